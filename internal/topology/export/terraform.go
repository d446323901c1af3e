package export

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// tfWriter builds `terraform show -json` state for a Network.
type tfWriter struct {
	e     *exporter
	root  []any
	hub   []any // resources of module.network (exercises module walking)
	names map[string]int
}

var tfNameRE = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// add appends one azurerm resource; inModule puts it in module.network.
func (w *tfWriter) add(typ, name string, values map[string]any, inModule bool) {
	n := tfNameRE.ReplaceAllString(name, "_")
	if n == "" || (n[0] >= '0' && n[0] <= '9') {
		n = "r_" + n
	}
	k := typ + "." + n
	if c := w.names[k]; c > 0 {
		n = fmt.Sprintf("%s_%d", n, c+1)
	}
	w.names[k]++
	addr := typ + "." + n
	if inModule {
		addr = "module.network." + addr
	}
	r := map[string]any{"address": addr, "mode": "managed", "type": typ, "name": n,
		"provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 0, "values": values, "sensitive_values": map[string]any{}}
	if inModule {
		w.hub = append(w.hub, r)
	} else {
		w.root = append(w.root, r)
	}
}

// TerraformState writes net as `terraform show -json` state for the
// azurerm 4.x provider: separate subnet, association, peering, NAT rule
// and rule collection group resources as Terraform manages them, the
// firewall and its policy in a child module, admin rules as
// azurerm_network_manager_* resources. Design facts without an
// azurerm attribute travel as "pathproof-*" tags. Peerings carry no state
// in Terraform: they read back as Connected.
func TerraformState(net *topology.Network) ([]byte, []string, error) {
	net.EnsureIndex()
	e := &exporter{n: net, vnets: map[*topology.VNet]map[string]any{}}
	w := &tfWriter{e: e, names: map[string]int{}}
	rg := ResourceGroup
	for _, v := range net.VNets {
		w.add("azurerm_virtual_network", v.Name, map[string]any{"id": e.vnetID(v), "name": v.Name, "resource_group_name": rg,
			"location": v.Region, "address_space": prefixList(v.AddressSpace), "dns_servers": addrList(v.DNSServers), "subnet": []any{}}, false)
		for _, s := range v.Subnets {
			sid := e.subnetID(s)
			sv := map[string]any{"id": sid, "name": s.Name, "resource_group_name": rg,
				"virtual_network_name": v.Name, "address_prefixes": prefixList(s.Prefixes()), "service_endpoints": list(s.ServiceEndpoints),
				"private_endpoint_network_policies": s.PEPolicy()}
			if s.DefaultOutboundAccess != nil {
				sv["default_outbound_access_enabled"] = *s.DefaultOutboundAccess
			}
			w.add("azurerm_subnet", v.Name+"_"+s.Name, sv, false)
			if g := net.NSG(s.NSG); g != nil {
				w.add("azurerm_subnet_network_security_group_association", v.Name+"_"+s.Name, map[string]any{"id": sid, "subnet_id": sid, "network_security_group_id": e.nsgID(g)}, false)
			}
			if t := net.RouteTable(s.RouteTable); t != nil {
				w.add("azurerm_subnet_route_table_association", v.Name+"_"+s.Name, map[string]any{"id": sid, "subnet_id": sid, "route_table_id": e.rtID(t)}, false)
			}
		}
	}
	for _, p := range net.Peerings {
		l, r := p.Local(), p.Remote()
		if l == nil || r == nil {
			e.notes = append(e.notes, fmt.Sprintf("peering %s->%s not exported: VNet not found", p.VNet, p.RemoteVNet))
			continue
		}
		name := p.Name
		if name == "" {
			name = l.Name + "-to-" + r.Name
		}
		w.add("azurerm_virtual_network_peering", name, map[string]any{"id": e.vnetID(l) + "/virtualNetworkPeerings/" + name, "name": name,
			"resource_group_name": rg, "virtual_network_name": l.Name, "remote_virtual_network_id": e.vnetID(r),
			"allow_virtual_network_access": p.VNetAccess(), "allow_forwarded_traffic": p.AllowForwardedTraffic,
			"allow_gateway_transit": p.AllowGatewayTransit, "use_remote_gateways": p.UseRemoteGateways}, false)
	}
	for _, t := range net.RouteTables {
		var routes []any
		for _, r := range t.Routes {
			ip := ""
			if r.NextHopIP.IsValid() {
				ip = r.NextHopIP.String()
			}
			routes = append(routes, map[string]any{"name": r.Name, "address_prefix": r.Prefix, "next_hop_type": r.NextHopType, "next_hop_in_ip_address": ip})
		}
		w.add("azurerm_route_table", t.Name, map[string]any{"id": e.rtID(t), "name": t.Name, "resource_group_name": rg,
			"bgp_route_propagation_enabled": !t.DisableBGPRoutePropagation, "route": orEmpty(routes)}, false)
	}
	for _, g := range net.NSGs {
		var rules []any
		for _, r := range g.Rules {
			rules = append(rules, w.tfRule(r))
		}
		w.add("azurerm_network_security_group", g.Name, map[string]any{"id": e.nsgID(g), "name": g.Name, "resource_group_name": rg, "security_rule": orEmpty(rules)}, false)
	}
	for _, a := range net.ASGs {
		w.add("azurerm_application_security_group", a.Name, map[string]any{"id": e.asgID(a), "name": a.Name, "resource_group_name": rg}, false)
	}
	w.nics()
	w.pes()
	w.firewalls()
	w.gateways()
	w.adminRules()
	w.vwan()
	w.loadBalancers()
	w.natGateways()
	w.privateDNS()
	root := map[string]any{"resources": orEmpty(w.root)}
	if len(w.hub) > 0 {
		root["child_modules"] = []any{map[string]any{"address": "module.network", "resources": w.hub}}
	}
	doc := map[string]any{"format_version": "1.0", "terraform_version": "1.9.8", "values": map[string]any{"outputs": map[string]any{}, "root_module": root}}
	b, err := json.MarshalIndent(doc, "", "  ")
	return b, e.notes, err
}

func (w *tfWriter) tfRule(r *topology.SecurityRule) map[string]any {
	m := map[string]any{"name": r.Name, "priority": r.Priority, "direction": r.Direction, "access": r.Access, "protocol": r.Protocol,
		"source_port_range": "", "source_port_ranges": []any{}, "destination_port_range": "", "destination_port_ranges": []any{},
		"source_address_prefix": "", "source_address_prefixes": []any{}, "destination_address_prefix": "", "destination_address_prefixes": []any{},
		"source_application_security_group_ids": []any{}, "destination_application_security_group_ids": []any{}, "description": ""}
	for _, side := range []struct {
		key     string
		entries []string
	}{{"source", r.Source}, {"destination", r.Destination}} {
		var prefixes, asgs []any
		for _, s := range side.entries {
			if ref, ok := strings.CutPrefix(s, "asg:"); ok {
				if a := w.e.n.ASG(ref); a != nil {
					ref = w.e.asgID(a)
				}
				asgs = append(asgs, ref)
			} else {
				prefixes = append(prefixes, s)
			}
		}
		if len(prefixes) == 1 {
			m[side.key+"_address_prefix"] = prefixes[0]
		} else if len(prefixes) > 1 {
			m[side.key+"_address_prefixes"] = prefixes
		}
		if len(asgs) > 0 {
			m[side.key+"_application_security_group_ids"] = asgs
		}
	}
	for _, side := range []struct {
		key   string
		ports []string
	}{{"source", r.SourcePorts}, {"destination", r.DestinationPorts}} {
		switch len(side.ports) {
		case 0:
			m[side.key+"_port_range"] = "*"
		case 1:
			m[side.key+"_port_range"] = side.ports[0]
		default:
			m[side.key+"_port_ranges"] = list(side.ports)
		}
	}
	return m
}

func (w *tfWriter) pip(owner string, i int, ip netip.Addr, inModule bool) string {
	name := owner + "-pip"
	if i > 0 {
		name = fmt.Sprintf("%s-pip%d", owner, i+1)
	}
	id := w.e.idOf("", "publicIPAddresses", name)
	w.add("azurerm_public_ip", name, map[string]any{"id": id, "name": name, "resource_group_name": ResourceGroup, "ip_address": ip.String(),
		"allocation_method": "Static", "sku": "Standard"}, inModule)
	return id
}

func (w *tfWriter) nics() {
	e, net := w.e, w.e.n
	for _, n := range net.NICs {
		id := e.idOf(n.ID, "networkInterfaces", n.Name)
		subnet := e.subnetRef(n.Subnet)
		var cfgs []any
		for i, ip := range append([]netip.Addr{n.IP}, n.AdditionalIPs...) {
			c := map[string]any{"name": fmt.Sprintf("ipconfig%d", i+1), "subnet_id": subnet, "private_ip_address": ip.String(),
				"private_ip_address_allocation": "Static", "primary": i == 0, "public_ip_address_id": ""}
			if i == 0 && n.PublicIP.IsValid() {
				c["public_ip_address_id"] = w.pip(n.Name, 0, n.PublicIP, false)
			}
			if g := e.n.GatewayFrontendRef(n.GatewayLB); i == 0 && g != nil {
				c["gateway_load_balancer_frontend_ip_configuration_id"] = e.lbID(g.LB()) + "/frontendIPConfigurations/" + g.Name
			}
			cfgs = append(cfgs, c)
		}
		v := map[string]any{"id": id, "name": n.Name, "resource_group_name": ResourceGroup, "ip_forwarding_enabled": n.IPForwarding,
			"ip_configuration": cfgs, "tags": map[string]any{}}
		if n.MAC != "" {
			v["mac_address"] = n.MAC
		}
		if len(n.DNSServers) > 0 {
			v["dns_servers"] = addrList(n.DNSServers)
		}
		if n.VM != "" {
			v["virtual_machine_id"] = "/subscriptions/" + Subscription + "/resourceGroups/" + ResourceGroup + "/providers/Microsoft.Compute/virtualMachines/" + n.VM
		}
		if n.NVA != nil {
			s := "stateless"
			if n.NVA.Stateful {
				s = "stateful"
			}
			if n.NVA.SNAT {
				s += ",snat"
			}
			v["tags"] = map[string]any{arm.TagNVA: s}
		}
		w.add("azurerm_network_interface", n.Name, v, false)
		if g := net.NSG(n.NSG); g != nil {
			w.add("azurerm_network_interface_security_group_association", n.Name, map[string]any{"id": id + "|" + e.nsgID(g),
				"network_interface_id": id, "network_security_group_id": e.nsgID(g)}, false)
		}
		for _, a := range n.ASGs {
			if x := net.ASG(a); x != nil {
				w.add("azurerm_network_interface_application_security_group_association", n.Name+"_"+x.Name, map[string]any{"id": id + "|" + e.asgID(x),
					"network_interface_id": id, "application_security_group_id": e.asgID(x)}, false)
			}
		}
	}
}

func (w *tfWriter) pes() {
	e := w.e
	for _, p := range e.n.PrivateEndpoints {
		id := e.idOf(p.ID, "privateEndpoints", p.Name)
		target := peTargetID(p)
		conn := map[string]any{"name": p.Name, "private_connection_resource_id": target, "subresource_names": []any{},
			"is_manual_connection": p.ConnectionState != "" && !p.Approved(), "private_ip_address": p.IP.String()}
		if p.Target.Subresource != "" {
			conn["subresource_names"] = []any{p.Target.Subresource}
		}
		v := map[string]any{"id": id, "name": p.Name, "resource_group_name": ResourceGroup, "subnet_id": e.subnetRef(p.Subnet),
			"private_service_connection": []any{conn}, "custom_dns_configs": []any{}, "tags": map[string]any{}}
		if p.Target.FQDN != "" {
			v["custom_dns_configs"] = []any{map[string]any{"fqdn": p.Target.FQDN, "ip_addresses": []any{p.IP.String()}}}
		}
		if p.ConnectionState != "" {
			v["tags"] = map[string]any{arm.TagConnectionState: p.ConnectionState}
		}
		w.add("azurerm_private_endpoint", p.Name, v, false)
	}
}

func (w *tfWriter) firewalls() {
	e := w.e
	for _, g := range e.n.IPGroups {
		w.add("azurerm_ip_group", g.Name, map[string]any{"id": e.idOf(g.ID, "ipGroups", g.Name), "name": g.Name, "resource_group_name": ResourceGroup, "cidrs": list(g.Addresses)}, true)
	}
	for _, p := range e.n.FirewallPolicies {
		if p.Classic {
			continue
		}
		id := e.policyID(p)
		v := map[string]any{"id": id, "name": p.Name, "resource_group_name": ResourceGroup, "threat_intelligence_mode": p.ThreatIntelMode,
			"dns": []any{map[string]any{"proxy_enabled": p.DNSProxy, "servers": []any{}}}, "private_ip_ranges": list(p.SNATPrivateRanges), "base_policy_id": ""}
		if parent := e.n.FirewallPolicy(p.Parent); parent != nil {
			v["base_policy_id"] = e.policyID(parent)
		}
		if len(p.ThreatIntelAllowlist) > 0 {
			v["threat_intelligence_allowlist"] = []any{map[string]any{"ip_addresses": list(p.ThreatIntelAllowlist), "fqdns": []any{}}}
		}
		v["tags"] = policyTags(p)
		w.add("azurerm_firewall_policy", p.Name, v, true)
		for _, g := range p.RuleCollectionGroups {
			gv := map[string]any{"id": id + "/ruleCollectionGroups/" + g.Name, "name": g.Name, "firewall_policy_id": id, "priority": g.Priority,
				"nat_rule_collection": []any{}, "network_rule_collection": []any{}, "application_rule_collection": []any{}}
			for _, rc := range g.RuleCollections {
				k := map[string]string{topology.RCDNAT: "nat_rule_collection", topology.RCNetwork: "network_rule_collection", topology.RCApplication: "application_rule_collection"}[rc.Type]
				if k == "" {
					continue
				}
				action := rc.Action
				if rc.Type == topology.RCDNAT {
					action = "Dnat"
				}
				gv[k] = append(gv[k].([]any), map[string]any{"name": rc.Name, "priority": rc.Priority, "action": action, "rule": w.tfFwRules(rc, false)})
			}
			w.add("azurerm_firewall_policy_rule_collection_group", p.Name+"_"+g.Name, gv, true)
		}
	}
	for _, f := range e.n.Firewalls {
		id := e.idOf(f.ID, "azureFirewalls", f.Name)
		var cfgs []any
		pubs := append([]netip.Addr(nil), f.PublicIPs...)
		if f.Hub != "" {
			pubs = nil
		}
		for i, ip := range pubs {
			c := map[string]any{"name": fmt.Sprintf("ipconfig%d", i+1), "public_ip_address_id": w.pip(f.Name, i, ip, true), "subnet_id": "", "private_ip_address": ""}
			if i == 0 {
				c["subnet_id"], c["private_ip_address"] = e.subnetRef(f.Subnet), f.PrivateIP.String()
			}
			cfgs = append(cfgs, c)
		}
		if len(cfgs) == 0 && f.Hub == "" {
			cfgs = []any{map[string]any{"name": "ipconfig1", "subnet_id": e.subnetRef(f.Subnet), "private_ip_address": f.PrivateIP.String(), "public_ip_address_id": ""}}
		}
		v := map[string]any{"id": id, "name": f.Name, "resource_group_name": ResourceGroup, "sku_name": "AZFW_VNet", "sku_tier": "Standard",
			"threat_intel_mode": f.ThreatIntelMode, "firewall_policy_id": "", "ip_configuration": cfgs, "management_ip_configuration": []any{}, "tags": map[string]any{}}
		if f.ManagementNIC {
			mc := map[string]any{"name": "mgmt", "subnet_id": "", "public_ip_address_id": ""}
			if s := e.n.Subnet(f.Subnet); s != nil && s.VNet() != nil {
				mc["subnet_id"] = e.vnetID(s.VNet()) + "/subnets/AzureFirewallManagementSubnet"
			}
			if f.ManagementPublicIP.IsValid() {
				mc["public_ip_address_id"] = w.pip(f.Name+"-mgmt", 0, f.ManagementPublicIP, true)
			}
			v["management_ip_configuration"] = []any{mc}
		}
		pol := e.n.FirewallPolicy(f.Policy)
		switch {
		case pol != nil && pol.Classic:
			if f.ThreatIntelMode == "" {
				v["threat_intel_mode"] = pol.ThreatIntelMode
			}
			v["dns_proxy_enabled"] = pol.DNSProxy
			v["private_ip_ranges"] = list(pol.SNATPrivateRanges)
			if pol.Name != f.Name+arm.ClassicPolicySuffix {
				v["tags"] = map[string]any{arm.TagClassicPolicy: pol.Name}
			}
			for _, g := range pol.RuleCollectionGroups {
				for _, rc := range g.RuleCollections {
					typ := map[string]string{topology.RCDNAT: "azurerm_firewall_nat_rule_collection", topology.RCNetwork: "azurerm_firewall_network_rule_collection",
						topology.RCApplication: "azurerm_firewall_application_rule_collection"}[rc.Type]
					action := rc.Action
					if rc.Type == topology.RCDNAT {
						action = "Dnat"
					}
					w.add(typ, f.Name+"_"+rc.Name, map[string]any{"id": id + "/" + map[string]string{topology.RCDNAT: "natRuleCollections", topology.RCNetwork: "networkRuleCollections",
						topology.RCApplication: "applicationRuleCollections"}[rc.Type] + "/" + rc.Name, "name": rc.Name, "azure_firewall_name": f.Name,
						"resource_group_name": ResourceGroup, "priority": rc.Priority, "action": action, "rule": w.tfFwRules(rc, true)}, true)
				}
			}
		case pol != nil:
			v["firewall_policy_id"] = e.policyID(pol)
		default:
			v["firewall_policy_id"] = f.Policy
		}
		if f.Hub != "" {
			// A secured hub's firewall: a virtual_hub block, no ip configuration.
			hub := f.Hub
			if h := e.n.VirtualHub(f.Hub); h != nil {
				hub = e.hubID(h)
			}
			v["sku_name"], v["ip_configuration"] = "AZFW_Hub", []any{}
			v["virtual_hub"] = []any{map[string]any{"virtual_hub_id": hub, "private_ip_address": f.PrivateIP.String(),
				"public_ip_addresses": addrList(f.PublicIPs), "public_ip_count": len(f.PublicIPs)}}
		}
		w.add("azurerm_firewall", f.Name, v, true)
	}
}

// tfFwRules writes rules in the policy (classic=false) or classic shape.
func (w *tfWriter) tfFwRules(rc *topology.RuleCollection, classic bool) []any {
	var out []any
	for _, r := range rc.Rules {
		m := map[string]any{"name": r.Name, "description": "", "source_addresses": list(r.SourceAddresses), "source_ip_groups": w.e.ipGroupIDs(r.SourceIPGroups)}
		switch rc.Type {
		case topology.RCApplication:
			var ps []any
			for _, p := range r.Protocols {
				t, port, _ := strings.Cut(p, ":")
				n, _ := strconv.Atoi(port)
				ps = append(ps, map[string]any{"type": t, "port": n})
			}
			if classic {
				m["protocol"] = orEmpty(ps)
				m["target_fqdns"] = list(r.TargetFQDNs)
				m["fqdn_tags"] = list(r.FQDNTags)
			} else {
				m["protocols"] = orEmpty(ps)
				m["destination_fqdns"] = list(r.TargetFQDNs)
				m["destination_fqdn_tags"] = list(r.FQDNTags)
				m["destination_addresses"] = list(r.DestinationAddresses)
			}
		case topology.RCDNAT:
			m["protocols"] = list(r.Protocols)
			m["destination_ports"] = list(r.DestinationPorts)
			m["translated_address"] = r.TranslatedAddress
			m["translated_fqdn"] = r.TranslatedFQDN
			m["translated_port"] = r.TranslatedPort
			if classic {
				m["destination_addresses"] = list(r.DestinationAddresses)
			} else if len(r.DestinationAddresses) > 0 {
				m["destination_address"] = r.DestinationAddresses[0]
			}
		default:
			m["protocols"] = list(r.Protocols)
			m["destination_addresses"] = list(r.DestinationAddresses)
			m["destination_ip_groups"] = w.e.ipGroupIDs(r.DestinationIPGroups)
			m["destination_fqdns"] = list(r.DestinationFQDNs)
			m["destination_ports"] = list(r.DestinationPorts)
		}
		out = append(out, m)
	}
	return orEmpty(out)
}

func (w *tfWriter) gateways() {
	e := w.e
	for _, g := range e.n.Gateways {
		id := e.gatewayID(g)
		subnet := g.VNet + "/subnets/GatewaySubnet"
		if v := e.n.VNet(g.VNet); v != nil {
			subnet = e.vnetID(v) + "/subnets/GatewaySubnet"
		}
		cfg := map[string]any{"name": "default", "subnet_id": subnet, "public_ip_address_id": ""}
		if g.PublicIP.IsValid() {
			cfg["public_ip_address_id"] = w.pip(g.Name, 0, g.PublicIP, false)
		}
		bgp := map[string]any{"asn": g.BGP.ASN, "peering_addresses": []any{}}
		if g.BGP.PeeringAddress.IsValid() {
			bgp["peering_addresses"] = []any{map[string]any{"ip_configuration_name": "default", "default_addresses": []any{g.BGP.PeeringAddress.String()}}}
		}
		w.add("azurerm_virtual_network_gateway", g.Name, map[string]any{"id": id, "name": g.Name, "resource_group_name": ResourceGroup,
			"type": g.Type, "vpn_type": "RouteBased", "sku": g.SKU, "active_active": g.ActiveActive, "bgp_enabled": g.BGP.Enabled,
			"bgp_route_translation_for_nat_enabled": g.BGP.RouteTranslationForNAT, "bgp_settings": []any{bgp},
			"ip_configuration": []any{cfg}, "tags": gatewayTags(g)}, false)
		for _, r := range g.NATRules {
			w.add("azurerm_virtual_network_gateway_nat_rule", g.Name+"_"+r.Name, map[string]any{"id": id + "/natRules/" + r.Name, "name": r.Name,
				"resource_group_name": ResourceGroup, "virtual_network_gateway_id": id, "mode": r.Mode, "type": r.Type,
				"internal_mapping": tfMappings(r.Internal), "external_mapping": tfMappings(r.External)}, false)
		}
	}
	for _, s := range e.n.OnPremSites {
		w.add("azurerm_local_network_gateway", s.Name, map[string]any{"id": e.siteID(s), "name": s.Name, "resource_group_name": ResourceGroup,
			"address_space": prefixList(s.Prefixes), "gateway_address": "", "tags": siteTags(s)}, false)
	}
	for _, c := range e.n.Connections {
		v := map[string]any{"id": e.idOf(c.ID, "connections", c.Name), "name": c.Name, "resource_group_name": ResourceGroup, "type": c.Type,
			"virtual_network_gateway_id": c.Gateway, "local_network_gateway_id": "", "peer_virtual_network_gateway_id": "",
			"ingress_nat_rule_ids": []any{}, "egress_nat_rule_ids": []any{}, "tags": map[string]any{arm.TagLearned: joinPrefixes(c.LearnedPrefixes)}}
		gw := c.GatewayRef()
		if gw != nil {
			v["virtual_network_gateway_id"] = e.gatewayID(gw)
		}
		if s := e.n.OnPremSite(c.Remote); s != nil {
			v["local_network_gateway_id"] = e.siteID(s)
		} else if g2 := e.n.Gateway(c.Remote); g2 != nil {
			v["peer_virtual_network_gateway_id"] = e.gatewayID(g2)
		}
		for _, name := range c.NATRules {
			if gw == nil {
				continue
			}
			for _, r := range gw.NATRules {
				if strings.EqualFold(r.Name, name) {
					k := "ingress_nat_rule_ids"
					if strings.EqualFold(r.Mode, "EgressSnat") {
						k = "egress_nat_rule_ids"
					}
					v[k] = append(v[k].([]any), e.gatewayID(gw)+"/natRules/"+r.Name)
				}
			}
		}
		w.add("azurerm_virtual_network_gateway_connection", c.Name, v, false)
	}
}

func tfMappings(ps []netip.Prefix) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, map[string]any{"address_space": p.String(), "port_range": ""})
	}
	return out
}

// adminRules writes admin rules as azurerm_network_manager_* resources,
// grouped like the ARM export (avnmName, one network group of static
// members per set of VNets).
func (w *tfWriter) adminRules() {
	e := w.e
	if len(e.n.AdminRules) == 0 {
		return
	}
	nm := e.idOf("", "networkManagers", avnmName)
	w.add("azurerm_network_manager", avnmName, map[string]any{"id": nm, "name": avnmName, "resource_group_name": ResourceGroup}, false)
	configs := map[string]bool{}
	collections := map[string]string{}
	n := 0
	for _, a := range e.n.AdminRules {
		cfg := nm + "/securityAdminConfigurations/" + a.Configuration
		if !configs[cfg] {
			configs[cfg] = true
			w.add("azurerm_network_manager_security_admin_configuration", a.Configuration, map[string]any{"id": cfg, "name": a.Configuration, "network_manager_id": nm}, false)
		}
		vnets := e.adminRuleVNets(a)
		k := cfg + "\x00" + strings.Join(vnets, ",")
		rc, ok := collections[k]
		if !ok {
			n++
			group := fmt.Sprintf("%s/networkGroups/group%d", nm, n)
			w.add("azurerm_network_manager_network_group", fmt.Sprintf("group%d", n), map[string]any{"id": group, "name": fmt.Sprintf("group%d", n), "network_manager_id": nm}, false)
			for _, v := range vnets {
				w.add("azurerm_network_manager_static_member", fmt.Sprintf("group%d_%s", n, arm.LastSegment(v)), map[string]any{"id": group + "/staticMembers/" + arm.LastSegment(v),
					"name": arm.LastSegment(v), "network_group_id": group, "target_virtual_network_id": v}, false)
			}
			rc = fmt.Sprintf("%s/ruleCollections/collection%d", cfg, n)
			w.add("azurerm_network_manager_admin_rule_collection", fmt.Sprintf("collection%d", n), map[string]any{"id": rc, "name": fmt.Sprintf("collection%d", n),
				"security_admin_configuration_id": cfg, "network_group_ids": []any{group}}, false)
			collections[k] = rc
		}
		proto := a.Protocol
		if proto == "*" || proto == "" {
			proto = "Any"
		}
		side := func(entries []string) []any {
			out := []any{}
			for _, x := range entries {
				out = append(out, map[string]any{"address_prefix": x, "address_prefix_type": addressType(x)})
			}
			return out
		}
		w.add("azurerm_network_manager_admin_rule", a.Configuration+"_"+a.Name, map[string]any{"id": rc + "/rules/" + a.Name, "name": a.Name,
			"admin_rule_collection_id": rc, "action": a.Action, "direction": a.Direction, "priority": a.Priority, "protocol": proto,
			"source": side(a.Source), "destination": side(a.Destination), "source_port_ranges": list(a.SourcePorts),
			"destination_port_ranges": list(a.DestinationPorts)}, false)
	}
}
