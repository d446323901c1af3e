package export

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

func (e *exporter) policyID(p *topology.FirewallPolicy) string {
	return e.idOf(p.ID, "firewallPolicies", p.Name)
}

func (e *exporter) policiesOut() {
	for _, p := range e.n.FirewallPolicies {
		if p.Classic {
			continue // written inline in the firewall using it
		}
		id := e.policyID(p)
		props := map[string]any{"threatIntelMode": p.ThreatIntelMode, "dnsSettings": map[string]any{"enableProxy": p.DNSProxy},
			"sku": map[string]any{"tier": "Standard"}}
		if len(p.SNATPrivateRanges) > 0 {
			props["snat"] = map[string]any{"privateRanges": list(p.SNATPrivateRanges)}
		}
		if len(p.ThreatIntelAllowlist) > 0 {
			props["threatIntelWhitelist"] = map[string]any{"ipAddresses": list(p.ThreatIntelAllowlist)}
		}
		if parent := e.n.FirewallPolicy(p.Parent); parent != nil {
			props["basePolicy"] = refObj(e.policyID(parent))
		} else if p.Parent != "" {
			props["basePolicy"] = refObj(p.Parent)
		}
		var groups []any
		for _, g := range p.RuleCollectionGroups {
			gid := g.ID
			if gid == "" {
				gid = id + "/ruleCollectionGroups/" + g.Name
			}
			groups = append(groups, refObj(gid))
			var rcs []any
			for _, rc := range g.RuleCollections {
				rcs = append(rcs, e.policyCollection(rc))
			}
			e.out = append(e.out, map[string]any{"id": gid, "name": g.Name, "type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
				"properties": map[string]any{"priority": g.Priority, "ruleCollections": orEmpty(rcs)}})
		}
		props["ruleCollectionGroups"] = orEmpty(groups)
		e.add(id, p.Name, "Microsoft.Network/firewallPolicies", props, policyTags(p))
		// the rule collection groups were appended before the policy; ARM
		// lists order does not matter to the loader.
	}
}

// ipGroupIDs resolves IP group references to exported ids.
func (e *exporter) ipGroupIDs(refs []string) []any {
	out := make([]any, 0, len(refs))
	for _, r := range refs {
		if g := e.n.IPGroup(r); g != nil {
			out = append(out, e.idOf(g.ID, "ipGroups", g.Name))
		} else {
			out = append(out, r)
		}
	}
	return out
}

func (e *exporter) policyCollection(rc *topology.RuleCollection) map[string]any {
	c := map[string]any{"name": rc.Name, "priority": rc.Priority, "action": map[string]any{"type": rc.Action},
		"ruleCollectionType": "FirewallPolicyFilterRuleCollection"}
	if rc.Type == topology.RCDNAT {
		c["ruleCollectionType"] = "FirewallPolicyNatRuleCollection"
	}
	if rc.Type == topology.RCApplication && len(rc.Rules) == 0 {
		// Azure has one filter collection type; only its rules tell
		// network from application, and an empty one has none.
		c[arm.KeyCollectionType] = topology.RCApplication
	}
	var rules []any
	for _, r := range rc.Rules {
		m := map[string]any{"name": r.Name, "sourceAddresses": list(r.SourceAddresses), "sourceIpGroups": e.ipGroupIDs(r.SourceIPGroups)}
		switch rc.Type {
		case topology.RCApplication:
			m["ruleType"] = "ApplicationRule"
			m["protocols"] = appProtocols(r.Protocols)
			m["targetFqdns"] = list(r.TargetFQDNs)
			m["fqdnTags"] = list(r.FQDNTags)
			if len(r.DestinationAddresses) > 0 {
				m["destinationAddresses"] = list(r.DestinationAddresses)
			}
		case topology.RCDNAT:
			m["ruleType"] = "NatRule"
			m["ipProtocols"] = list(r.Protocols)
			m["destinationAddresses"] = list(r.DestinationAddresses)
			m["destinationPorts"] = list(r.DestinationPorts)
			m["translatedAddress"] = r.TranslatedAddress
			m["translatedFqdn"] = r.TranslatedFQDN
			m["translatedPort"] = r.TranslatedPort
		default:
			m["ruleType"] = "NetworkRule"
			m["ipProtocols"] = list(r.Protocols)
			m["destinationAddresses"] = list(r.DestinationAddresses)
			m["destinationIpGroups"] = e.ipGroupIDs(r.DestinationIPGroups)
			m["destinationFqdns"] = list(r.DestinationFQDNs)
			m["destinationPorts"] = list(r.DestinationPorts)
		}
		rules = append(rules, m)
	}
	c["rules"] = orEmpty(rules)
	return c
}

// appProtocols turns "Https:443" into {protocolType, port}.
func appProtocols(ps []string) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		t, port, _ := strings.Cut(p, ":")
		m := map[string]any{"protocolType": t}
		if n, err := strconv.Atoi(port); err == nil {
			m["port"] = n
		}
		out = append(out, m)
	}
	return out
}

func (e *exporter) firewallsOut() {
	for _, f := range e.n.Firewalls {
		id := e.idOf(f.ID, "azureFirewalls", f.Name)
		subnet := e.subnetRef(f.Subnet)
		props := map[string]any{"sku": map[string]any{"name": "AZFW_VNet", "tier": "Standard"}, "threatIntelMode": f.ThreatIntelMode}
		var cfgs []any
		pubs := f.PublicIPs
		if len(pubs) == 0 {
			pubs = []netip.Addr{{}}
		}
		if f.Hub != "" {
			pubs = nil
		}
		for i, ip := range pubs {
			p := map[string]any{}
			if i == 0 {
				p["privateIPAddress"] = f.PrivateIP.String()
				p["subnet"] = refObj(subnet)
			}
			if ip.IsValid() {
				p["publicIPAddress"] = refObj(e.publicIP(f.Name, i, ip))
			}
			cfgs = append(cfgs, map[string]any{"name": fmt.Sprintf("ipconfig%d", i+1), "id": fmt.Sprintf("%s/azureFirewallIpConfigurations/ipconfig%d", id, i+1), "properties": p})
		}
		props["ipConfigurations"] = cfgs
		if f.Hub != "" {
			// A secured hub's firewall: no ip configurations, its addresses
			// under hubIPAddresses.
			hub := f.Hub
			if h := e.n.VirtualHub(f.Hub); h != nil {
				hub = e.hubID(h)
			}
			var addrs []any
			for _, ip := range f.PublicIPs {
				addrs = append(addrs, map[string]any{"address": ip.String()})
			}
			props["sku"] = map[string]any{"name": "AZFW_Hub", "tier": "Standard"}
			props["virtualHub"] = refObj(hub)
			props["hubIPAddresses"] = map[string]any{"privateIPAddress": f.PrivateIP.String(), "publicIPs": map[string]any{"count": len(addrs), "addresses": orEmpty(addrs)}}
			props["ipConfigurations"] = []any{}
		}
		if f.ManagementNIC {
			mp := map[string]any{}
			if s := e.n.Subnet(f.Subnet); s != nil && s.VNet() != nil {
				mp["subnet"] = refObj(e.vnetID(s.VNet()) + "/subnets/AzureFirewallManagementSubnet")
			}
			if f.ManagementPublicIP.IsValid() {
				mp["publicIPAddress"] = refObj(e.publicIP(f.Name+"-mgmt", 0, f.ManagementPublicIP))
			}
			props["managementIpConfiguration"] = map[string]any{"name": "mgmtconfig", "properties": mp}
		}
		tags := map[string]string{}
		pol := e.n.FirewallPolicy(f.Policy)
		switch {
		case pol != nil && pol.Classic:
			e.classic(props, f, pol)
			if pol.Name != f.Name+arm.ClassicPolicySuffix {
				tags[arm.TagClassicPolicy] = pol.Name
			}
		case pol != nil:
			props["firewallPolicy"] = refObj(e.policyID(pol))
		case f.Policy != "":
			props["firewallPolicy"] = refObj(f.Policy)
		}
		e.add(id, f.Name, "Microsoft.Network/azureFirewalls", props, tags)
	}
}

// classic writes a classic policy's rule collections inline, as a
// firewall without Firewall Manager has them.
func (e *exporter) classic(props map[string]any, f *topology.Firewall, pol *topology.FirewallPolicy) {
	if f.ThreatIntelMode == "" {
		props["threatIntelMode"] = pol.ThreatIntelMode
	}
	ap := map[string]any{"Network.DNS.EnableProxy": strconv.FormatBool(pol.DNSProxy)}
	if len(pol.SNATPrivateRanges) > 0 {
		ap["Network.SNAT.PrivateRanges"] = strings.Join(pol.SNATPrivateRanges, ",")
	}
	props["additionalProperties"] = ap
	if len(pol.RuleCollectionGroups) > 1 {
		e.notes = append(e.notes, fmt.Sprintf("classic policy %s: %d rule collection groups merged into one (classic firewalls have none)", pol.Name, len(pol.RuleCollectionGroups)))
	}
	kinds := map[string]string{topology.RCDNAT: "natRuleCollections", topology.RCNetwork: "networkRuleCollections", topology.RCApplication: "applicationRuleCollections"}
	for _, k := range kinds {
		props[k] = []any{}
	}
	for _, g := range pol.RuleCollectionGroups {
		for _, rc := range g.RuleCollections {
			action := rc.Action
			if rc.Type == topology.RCDNAT {
				action = "Dnat"
			}
			var rules []any
			for _, r := range rc.Rules {
				m := map[string]any{"name": r.Name, "sourceAddresses": list(r.SourceAddresses), "sourceIpGroups": e.ipGroupIDs(r.SourceIPGroups)}
				switch rc.Type {
				case topology.RCApplication:
					m["protocols"] = appProtocols(r.Protocols)
					m["targetFqdns"] = list(r.TargetFQDNs)
					m["fqdnTags"] = list(r.FQDNTags)
				case topology.RCDNAT:
					m["protocols"] = list(r.Protocols)
					m["destinationAddresses"] = list(r.DestinationAddresses)
					m["destinationPorts"] = list(r.DestinationPorts)
					m["translatedAddress"] = r.TranslatedAddress
					m["translatedFqdn"] = r.TranslatedFQDN
					m["translatedPort"] = r.TranslatedPort
				default:
					m["protocols"] = list(r.Protocols)
					m["destinationAddresses"] = list(r.DestinationAddresses)
					m["destinationIpGroups"] = e.ipGroupIDs(r.DestinationIPGroups)
					m["destinationFqdns"] = list(r.DestinationFQDNs)
					m["destinationPorts"] = list(r.DestinationPorts)
				}
				rules = append(rules, m)
			}
			k := kinds[rc.Type]
			props[k] = append(props[k].([]any), map[string]any{"name": rc.Name, "properties": map[string]any{"priority": rc.Priority,
				"action": map[string]any{"type": action}, "rules": orEmpty(rules)}})
		}
	}
}

func (e *exporter) gatewayID(g *topology.Gateway) string {
	return e.idOf(g.ID, "virtualNetworkGateways", g.Name)
}

func (e *exporter) gatewaysOut() {
	for _, g := range e.n.Gateways {
		id := e.gatewayID(g)
		subnet := ""
		if v := e.n.VNet(g.VNet); v != nil {
			subnet = e.vnetID(v) + "/subnets/GatewaySubnet"
		} else {
			subnet = g.VNet + "/subnets/GatewaySubnet"
		}
		cfg := map[string]any{"subnet": refObj(subnet)}
		if g.PublicIP.IsValid() {
			cfg["publicIPAddress"] = refObj(e.publicIP(g.Name, 0, g.PublicIP))
		}
		bgp := map[string]any{"asn": g.BGP.ASN}
		if g.BGP.PeeringAddress.IsValid() {
			bgp["bgpPeeringAddress"] = g.BGP.PeeringAddress.String()
		}
		var nats []any
		for _, r := range g.NATRules {
			rid := r.ID
			if rid == "" {
				rid = id + "/natRules/" + r.Name
			}
			nats = append(nats, map[string]any{"id": rid, "name": r.Name, "properties": map[string]any{"type": r.Type, "mode": r.Mode,
				"internalMappings": mappings(r.Internal), "externalMappings": mappings(r.External)}})
		}
		props := map[string]any{"gatewayType": g.Type, "vpnType": "RouteBased", "sku": map[string]any{"name": g.SKU, "tier": g.SKU},
			"activeActive": g.ActiveActive, "enableBgp": g.BGP.Enabled, "enableBgpRouteTranslationForNat": g.BGP.RouteTranslationForNAT,
			"bgpSettings": bgp, "natRules": orEmpty(nats),
			"ipConfigurations": []any{map[string]any{"name": "default", "id": id + "/ipConfigurations/default", "properties": cfg}}}
		e.add(id, g.Name, "Microsoft.Network/virtualNetworkGateways", props, gatewayTags(g))
	}
}

func mappings(ps []netip.Prefix) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, map[string]any{"addressSpace": p.String()})
	}
	return out
}

func (e *exporter) siteID(s *topology.OnPremSite) string {
	return e.idOf(s.ID, "localNetworkGateways", s.Name)
}

func (e *exporter) sitesOut() {
	for _, s := range e.n.OnPremSites {
		e.add(e.siteID(s), s.Name, "Microsoft.Network/localNetworkGateways",
			map[string]any{"localNetworkAddressSpace": map[string]any{"addressPrefixes": prefixList(s.Prefixes)}}, siteTags(s))
	}
}

func (e *exporter) connectionsOut() {
	for _, c := range e.n.Connections {
		id := e.idOf(c.ID, "connections", c.Name)
		props := map[string]any{"connectionType": c.Type, "connectionStatus": "Connected"}
		gw := c.GatewayRef()
		if gw != nil {
			props["virtualNetworkGateway1"] = refObj(e.gatewayID(gw))
		} else {
			props["virtualNetworkGateway1"] = refObj(c.Gateway)
		}
		switch {
		case e.n.OnPremSite(c.Remote) != nil:
			props["localNetworkGateway2"] = refObj(e.siteID(e.n.OnPremSite(c.Remote)))
		case e.n.Gateway(c.Remote) != nil:
			props["virtualNetworkGateway2"] = refObj(e.gatewayID(e.n.Gateway(c.Remote)))
		}
		ingress, egress := []any{}, []any{}
		for _, name := range c.NATRules {
			if gw == nil {
				continue
			}
			for _, r := range gw.NATRules {
				if strings.EqualFold(r.Name, name) || (r.ID != "" && strings.EqualFold(r.ID, name)) {
					rid := r.ID
					if rid == "" {
						rid = e.gatewayID(gw) + "/natRules/" + r.Name
					}
					if strings.EqualFold(r.Mode, "EgressSnat") {
						egress = append(egress, refObj(rid))
					} else {
						ingress = append(ingress, refObj(rid))
					}
				}
			}
		}
		props["ingressNatRules"], props["egressNatRules"] = ingress, egress
		tags := map[string]string{arm.TagLearned: joinPrefixes(c.LearnedPrefixes)}
		e.add(id, c.Name, "Microsoft.Network/connections", props, tags)
	}
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}
