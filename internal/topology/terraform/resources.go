package terraform

import (
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// tfRead adds one azurerm resource to s; false when its type is not one
// pathproof models. Attribute names follow azurerm 4.x, with the 3.x
// spellings accepted where they differ.
func tfRead(s *armset.Set, r Resource, a armset.Src, j *tfJoins) bool {
	v := r.Values
	name := jsonobj.Str(v, "name")
	switch r.Type {
	case "azurerm_virtual_network":
		a.ID = tfID(v, "virtualNetworks", name)
		vn := &armset.VNet{Src: a, Name: name, ResourceGroup: jsonobj.Str(v, "resource_group_name"), Location: jsonobj.Str(v, "location"),
			AddressSpace: jsonobj.Strs(v, "address_space"), DNSServers: jsonobj.Strs(v, "dns_servers"), Tags: jsonobj.StrMap(v, "tags")}
		for _, sb := range jsonobj.Objs(v, "subnet") {
			sn := tfSubnet(sb, a, a.ID)
			vn.Subnets = append(vn.Subnets, sn)
			if nsg := jsonobj.Str(sb, "security_group"); nsg != "" {
				sn.NSGID = nsg
			}
		}
		s.VNets = append(s.VNets, vn)
	case "azurerm_subnet":
		vnetID := tfParentID(v, "virtualNetworks", "virtual_network_name")
		sn := tfSubnet(v, a, vnetID)
		s.Subnets = append(s.Subnets, sn)
	case "azurerm_subnet_network_security_group_association":
		s.SubnetNSG[jsonobj.Str(v, "subnet_id")] = jsonobj.Str(v, "network_security_group_id")
	case "azurerm_subnet_route_table_association":
		s.SubnetRT[jsonobj.Str(v, "subnet_id")] = jsonobj.Str(v, "route_table_id")
	case "azurerm_virtual_network_peering":
		vnetID := tfParentID(v, "virtualNetworks", "virtual_network_name")
		a.ID = tfID(v, "virtualNetworks/virtualNetworkPeerings", jsonobj.Str(v, "virtual_network_name"), name)
		s.Peerings = append(s.Peerings, &armset.Peering{Src: a, VNetID: vnetID, Name: name, RemoteVNetID: jsonobj.Str(v, "remote_virtual_network_id"),
			AllowVNetAccess: jsonobj.BoolOr(v, "allow_virtual_network_access", true), AllowForwarded: jsonobj.BoolOr(v, "allow_forwarded_traffic", false),
			AllowGatewayTransit: jsonobj.BoolOr(v, "allow_gateway_transit", false), UseRemoteGateways: jsonobj.BoolOr(v, "use_remote_gateways", false)})
	case "azurerm_network_security_group":
		a.ID = tfID(v, "networkSecurityGroups", name)
		n := &armset.NSG{Src: a, Name: name}
		for _, ru := range jsonobj.Objs(v, "security_rule") {
			n.Rules = append(n.Rules, tfRule(ru, a, a.ID))
		}
		s.NSGs = append(s.NSGs, n)
	case "azurerm_network_security_rule":
		nsgID := tfParentID(v, "networkSecurityGroups", "network_security_group_name")
		s.NSGRules = append(s.NSGRules, tfRule(v, a, nsgID))
	case "azurerm_route_table":
		a.ID = tfID(v, "routeTables", name)
		t := &armset.RouteTable{Src: a, Name: name}
		if b, ok := jsonobj.Bool(v, "bgp_route_propagation_enabled"); ok {
			t.DisableBGP = !b
		} else {
			t.DisableBGP = jsonobj.BoolOr(v, "disable_bgp_route_propagation", false)
		}
		for _, ro := range jsonobj.Objs(v, "route") {
			t.Routes = append(t.Routes, tfRoute(ro, a, a.ID))
		}
		s.RouteTables = append(s.RouteTables, t)
	case "azurerm_route":
		rtID := tfParentID(v, "routeTables", "route_table_name")
		s.Routes = append(s.Routes, tfRoute(v, a, rtID))
	case "azurerm_network_interface":
		a.ID = tfID(v, "networkInterfaces", name)
		n := &armset.NIC{Src: a, Name: name, Tags: jsonobj.StrMap(v, "tags"), MAC: jsonobj.Str(v, "mac_address"), DNSServers: jsonobj.Strs(v, "dns_servers")}
		if b, ok := jsonobj.Bool(v, "ip_forwarding_enabled"); ok {
			n.IPForwarding = b
		} else {
			n.IPForwarding = jsonobj.BoolOr(v, "enable_ip_forwarding", false)
		}
		if vm := jsonobj.Str(v, "virtual_machine_id"); vm != "" {
			n.VMID = vm
		}
		for _, c := range jsonobj.Objs(v, "ip_configuration") {
			n.IPConfigs = append(n.IPConfigs, armset.IPConfig{Name: jsonobj.Str(c, "name"), IP: jsonobj.Str(c, "private_ip_address"), SubnetID: jsonobj.Str(c, "subnet_id"),
				PublicIPID: jsonobj.Str(c, "public_ip_address_id"), Primary: jsonobj.BoolOr(c, "primary", false),
				GatewayLBID: jsonobj.Str(c, "gateway_load_balancer_frontend_ip_configuration_id")})
		}
		s.NICs = append(s.NICs, n)
	case "azurerm_network_interface_security_group_association":
		j.nicNSG[arm.IDKey(jsonobj.Str(v, "network_interface_id"))] = jsonobj.Str(v, "network_security_group_id")
	case "azurerm_network_interface_application_security_group_association":
		k := arm.IDKey(jsonobj.Str(v, "network_interface_id"))
		j.nicASG[k] = append(j.nicASG[k], jsonobj.Str(v, "application_security_group_id"))
	case "azurerm_application_security_group":
		a.ID = tfID(v, "applicationSecurityGroups", name)
		s.ASGs = append(s.ASGs, &armset.ASG{Src: a, Name: name})
	case "azurerm_public_ip":
		a.ID = tfID(v, "publicIPAddresses", name)
		s.PublicIPs = append(s.PublicIPs, &armset.PublicIP{Src: a, Name: name, IP: jsonobj.Str(v, "ip_address")})
	case "azurerm_private_endpoint":
		a.ID = tfID(v, "privateEndpoints", name)
		p := &armset.PrivateEndpoint{Src: a, Name: name, SubnetID: jsonobj.Str(v, "subnet_id")}

		for _, c := range jsonobj.Objs(v, "ip_configuration") {
			p.IPs = arm.Union(p.IPs, jsonobj.Strs(c, "private_ip_address"))
		}
		for _, c := range jsonobj.Objs(v, "private_service_connection") {
			p.IPs = arm.Union(p.IPs, jsonobj.Strs(c, "private_ip_address"))
			if p.TargetID == "" {
				p.TargetID = jsonobj.Str(c, "private_connection_resource_id")
				p.GroupIDs = jsonobj.Strs(c, "subresource_names")
				p.ConnectionState = "Approved"
				if jsonobj.BoolOr(c, "is_manual_connection", false) {
					p.ConnectionState = "Pending"
				}
			}
		}
		for _, c := range jsonobj.Objs(v, "custom_dns_configs") {
			p.IPs = arm.Union(p.IPs, jsonobj.Strs(c, "ip_addresses"))
			if f := jsonobj.Str(c, "fqdn"); f != "" {
				p.FQDNs = append(p.FQDNs, f)
			}
		}
		for _, n := range jsonobj.Objs(v, "network_interface") {
			p.NICIDs = append(p.NICIDs, jsonobj.Str(n, "id"))
		}
		if st := jsonobj.StrMap(v, "tags")[arm.TagConnectionState]; st != "" {
			p.ConnectionState = st
		}
		tfPEZoneGroup(v, p, a, j.dns)
		s.PEs = append(s.PEs, p)
	case "azurerm_firewall":
		a.ID = tfID(v, "azureFirewalls", name)
		f := &armset.Firewall{Src: a, Name: name, SkuName: jsonobj.Str(v, "sku_name"), SkuTier: jsonobj.Str(v, "sku_tier"), PolicyID: jsonobj.Str(v, "firewall_policy_id"),
			ThreatIntelMode: jsonobj.Str(v, "threat_intel_mode"), Tags: jsonobj.StrMap(v, "tags"), ClassicSNAT: jsonobj.Strs(v, "private_ip_ranges")}
		if b, ok := jsonobj.Bool(v, "dns_proxy_enabled"); ok {
			f.DNSProxy = &b
		}
		for _, c := range jsonobj.Objs(v, "ip_configuration") {
			if f.PrivateIP == "" {
				f.PrivateIP = jsonobj.Str(c, "private_ip_address")
			}
			if sid := jsonobj.Str(c, "subnet_id"); sid != "" {
				f.SubnetID = sid
			}
			if pid := jsonobj.Str(c, "public_ip_address_id"); pid != "" {
				f.PublicIPIDs = append(f.PublicIPIDs, pid)
			}
		}
		for _, c := range jsonobj.Objs(v, "management_ip_configuration") {
			f.MgmtSubnetID, f.MgmtPublicIPID = jsonobj.Str(c, "subnet_id"), jsonobj.Str(c, "public_ip_address_id")
		}
		for _, h := range jsonobj.Objs(v, "virtual_hub") {
			f.HubID = jsonobj.Str(h, "virtual_hub_id")
			if f.PrivateIP == "" {
				f.PrivateIP = jsonobj.Str(h, "private_ip_address")
			}
			f.PublicIPs = append(f.PublicIPs, jsonobj.Strs(h, "public_ip_addresses")...)
		}
		s.Firewalls = append(s.Firewalls, f)
	case "azurerm_firewall_policy":
		a.ID = tfID(v, "firewallPolicies", name)
		p := &armset.Policy{Src: a, Name: name, BasePolicyID: jsonobj.Str(v, "base_policy_id"), ThreatIntelMode: jsonobj.Str(v, "threat_intelligence_mode"),
			SNATPrivateRanges: jsonobj.Strs(v, "private_ip_ranges"), Tags: jsonobj.StrMap(v, "tags")}
		for _, d := range jsonobj.Objs(v, "dns") {
			p.DNSProxy = jsonobj.BoolOr(d, "proxy_enabled", false)
		}
		for _, al := range jsonobj.Objs(v, "threat_intelligence_allowlist") {
			p.Allowlist = append(p.Allowlist, jsonobj.Strs(al, "ip_addresses")...)
		}
		s.Policies = append(s.Policies, p)
	case "azurerm_firewall_policy_rule_collection_group":
		polID := jsonobj.Str(v, "firewall_policy_id")
		a.ID = jsonobj.Str(v, "id")
		if a.ID == "" {
			a.ID = polID + "/ruleCollectionGroups/" + name
		}
		g := &armset.RuleCollectionGroup{Src: a, PolicyID: polID, Name: name}
		g.Priority, _ = jsonobj.Int(v, "priority")
		for _, kind := range []struct{ key, typ string }{{"nat_rule_collection", topology.RCDNAT}, {"network_rule_collection", topology.RCNetwork}, {"application_rule_collection", topology.RCApplication}} {
			for _, c := range jsonobj.Objs(v, kind.key) {
				g.Collections = append(g.Collections, tfCollection(c, kind.typ))
			}
		}
		s.RCGs = append(s.RCGs, g)
	case "azurerm_ip_group":
		a.ID = tfID(v, "ipGroups", name)
		s.IPGroups = append(s.IPGroups, &armset.IPGroup{Src: a, Name: name, Addresses: jsonobj.Strs(v, "cidrs")})
	case "azurerm_virtual_network_gateway":
		a.ID = tfID(v, "virtualNetworkGateways", name)
		g := &armset.Gateway{Src: a, Name: name, Type: jsonobj.Str(v, "type"), VPNType: jsonobj.Str(v, "vpn_type"), SKU: jsonobj.Str(v, "sku"),
			ActiveActive: jsonobj.BoolOr(v, "active_active", false), Tags: jsonobj.StrMap(v, "tags")}
		if b, ok := jsonobj.Bool(v, "bgp_enabled"); ok {
			g.BGP = b
		} else {
			g.BGP = jsonobj.BoolOr(v, "enable_bgp", false)
		}
		g.RouteTranslationForNAT = jsonobj.BoolOr(v, "bgp_route_translation_for_nat_enabled", false)
		for _, b := range jsonobj.Objs(v, "bgp_settings") {
			g.ASN, _ = jsonobj.Int(b, "asn")
			for _, pa := range jsonobj.Objs(b, "peering_addresses") {
				if d := jsonobj.Strs(pa, "default_addresses"); len(d) > 0 && g.BGPPeeringAddress == "" {
					g.BGPPeeringAddress = d[0]
				}
			}
		}
		for _, c := range jsonobj.Objs(v, "ip_configuration") {
			if g.SubnetID == "" {
				g.SubnetID = jsonobj.Str(c, "subnet_id")
			}
			if pid := jsonobj.Str(c, "public_ip_address_id"); pid != "" {
				g.PublicIPIDs = append(g.PublicIPIDs, pid)
			}
		}
		s.Gateways = append(s.Gateways, g)
	case "azurerm_virtual_network_gateway_nat_rule":
		r := armset.GatewayNATRule{ID: jsonobj.Str(v, "id"), Name: name, Mode: jsonobj.Str(v, "mode"), Type: jsonobj.Str(v, "type")}
		for _, m := range jsonobj.Objs(v, "internal_mapping") {
			r.Internal = append(r.Internal, jsonobj.Strs(m, "address_space")...)
		}
		for _, m := range jsonobj.Objs(v, "external_mapping") {
			r.External = append(r.External, jsonobj.Strs(m, "address_space")...)
		}
		k := arm.IDKey(jsonobj.Str(v, "virtual_network_gateway_id"))
		j.gwNAT[k] = append(j.gwNAT[k], r)
	case "azurerm_local_network_gateway":
		a.ID = tfID(v, "localNetworkGateways", name)
		l := &armset.LocalGateway{Src: a, Name: name, Prefixes: jsonobj.Strs(v, "address_space"), GatewayIP: jsonobj.Str(v, "gateway_address"), Tags: jsonobj.StrMap(v, "tags")}
		for _, b := range jsonobj.Objs(v, "bgp_settings") {
			l.ASN, _ = jsonobj.Int(b, "asn")
		}
		s.LocalGateways = append(s.LocalGateways, l)
	case "azurerm_virtual_network_gateway_connection":
		a.ID = tfID(v, "connections", name)
		s.Connections = append(s.Connections, &armset.Connection{Src: a, Name: name, Type: jsonobj.Str(v, "type"),
			Gateway1ID: jsonobj.Str(v, "virtual_network_gateway_id"), Gateway2ID: jsonobj.Str(v, "peer_virtual_network_gateway_id"),
			LocalGatewayID: jsonobj.Str(v, "local_network_gateway_id"), IngressNATIDs: jsonobj.Strs(v, "ingress_nat_rule_ids"),
			EgressNATIDs: jsonobj.Strs(v, "egress_nat_rule_ids"), Tags: jsonobj.StrMap(v, "tags")})
	case "azurerm_network_manager", "azurerm_network_manager_network_group", "azurerm_network_manager_security_admin_configuration":
		// Containers: their children hold what matters.
	case "azurerm_network_manager_static_member":
		k := arm.IDKey(jsonobj.Str(v, "network_group_id"))
		s.Manager().Members[k] = append(s.Manager().Members[k], jsonobj.Str(v, "target_virtual_network_id"))
	case "azurerm_network_manager_admin_rule_collection":
		s.Manager().Applies[arm.IDKey(jsonobj.Str(v, "id"))] = jsonobj.Strs(v, "network_group_ids")
	case "azurerm_network_manager_admin_rule":
		rc := jsonobj.Str(v, "admin_rule_collection_id")
		a.ID = jsonobj.Str(v, "id")
		if a.ID == "" {
			a.ID = rc + "/rules/" + name
		}
		cfg := arm.ParseID(rc)
		ar := &armset.AdminRule{Src: a, Name: name, CollectionID: rc, Direction: jsonobj.Str(v, "direction"), Access: jsonobj.Str(v, "action"),
			Protocol: jsonobj.Str(v, "protocol"), SourcePorts: jsonobj.Strs(v, "source_port_ranges"), DestinationPorts: jsonobj.Strs(v, "destination_port_ranges")}
		if len(cfg.Names) >= 2 {
			ar.Configuration = cfg.Names[1]
		}
		ar.Priority, _ = jsonobj.Int(v, "priority")
		if strings.EqualFold(ar.Protocol, "Any") {
			ar.Protocol = "*"
		}
		for _, x := range jsonobj.Objs(v, "source") {
			ar.Sources = append(ar.Sources, jsonobj.Str(x, "address_prefix"))
		}
		for _, x := range jsonobj.Objs(v, "destination") {
			ar.Destinations = append(ar.Destinations, jsonobj.Str(x, "address_prefix"))
		}
		s.Manager().Rules = append(s.Manager().Rules, ar)
	case "azurerm_firewall_network_rule_collection", "azurerm_firewall_application_rule_collection", "azurerm_firewall_nat_rule_collection":
		typ := map[string]string{"azurerm_firewall_network_rule_collection": topology.RCNetwork, "azurerm_firewall_application_rule_collection": topology.RCApplication,
			"azurerm_firewall_nat_rule_collection": topology.RCDNAT}[r.Type]
		fw := tfParentID(v, "azureFirewalls", "azure_firewall_name")
		j.classic[arm.IDKey(fw)] = append(j.classic[arm.IDKey(fw)], tfCollection(v, typ))
	default:
		if tfReadVWAN(s, r, a, j) || tfReadDNS(s, r, a, j.dns) {
			return true
		}
		return tfReadLB(s, r, a, j.lb)
	}
	return true
}

// tfJoins holds what Terraform keeps in separate resources, joined to
// their owners once every resource is read.
type tfJoins struct {
	nicNSG  map[string]string
	nicASG  map[string][]string
	gwNAT   map[string][]armset.GatewayNATRule
	classic map[string][]*armset.RuleCollection
	// hubRoutes: azurerm_virtual_hub_route_table_route by route table id.
	hubRoutes map[string][]*topology.HubRoute
	lb        *lbJoins
	dns       *dnsJoins
}

func tfSubnet(v map[string]any, a armset.Src, vnetID string) *armset.Subnet {
	name := jsonobj.Str(v, "name")
	sn := &armset.Subnet{Src: a, VNetID: vnetID, Name: name, Prefixes: arm.Union(jsonobj.Strs(v, "address_prefixes"), jsonobj.Strs(v, "address_prefix")),
		ServiceEndpoints: jsonobj.Strs(v, "service_endpoints"), RouteTableID: jsonobj.Str(v, "route_table_id")}
	sn.ID = jsonobj.Str(v, "id")
	if sn.ID == "" {
		sn.ID = vnetID + "/subnets/" + name
	}
	switch p := jsonobj.Str(v, "private_endpoint_network_policies"); {
	case p != "":
		sn.PENetworkPolicies = p
	default:
		if b, ok := jsonobj.Bool(v, "private_endpoint_network_policies_enabled"); ok {
			sn.PENetworkPolicies = map[bool]string{true: topology.PEPolicyEnabled, false: topology.PEPolicyDisabled}[b]
		}
	}
	if b, ok := jsonobj.Bool(v, "default_outbound_access_enabled"); ok {
		sn.DefaultOutboundAccess = &b
	}
	return sn
}

func tfRule(v map[string]any, a armset.Src, nsgID string) *armset.NSGRule {
	r := &armset.NSGRule{Src: a, NSGID: nsgID, Name: jsonobj.Str(v, "name"), Direction: jsonobj.Str(v, "direction"), Access: jsonobj.Str(v, "access"),
		Protocol:         jsonobj.Str(v, "protocol"),
		Sources:          arm.Union(jsonobj.Strs(v, "source_address_prefixes"), jsonobj.Strs(v, "source_address_prefix")),
		Destinations:     arm.Union(jsonobj.Strs(v, "destination_address_prefixes"), jsonobj.Strs(v, "destination_address_prefix")),
		SourceASGs:       jsonobj.Strs(v, "source_application_security_group_ids"),
		DestinationASGs:  jsonobj.Strs(v, "destination_application_security_group_ids"),
		SourcePorts:      arm.Union(jsonobj.Strs(v, "source_port_ranges"), jsonobj.Strs(v, "source_port_range")),
		DestinationPorts: arm.Union(jsonobj.Strs(v, "destination_port_ranges"), jsonobj.Strs(v, "destination_port_range")),
		Description:      jsonobj.Str(v, "description")}
	r.Priority, _ = jsonobj.Int(v, "priority")
	if id := jsonobj.Str(v, "id"); id != "" {
		r.ID = id
	}
	return r
}

func tfRoute(v map[string]any, a armset.Src, rtID string) *armset.Route {
	r := &armset.Route{Src: a, RouteTableID: rtID, Name: jsonobj.Str(v, "name"), Prefix: jsonobj.Str(v, "address_prefix"),
		NextHop: jsonobj.Str(v, "next_hop_type"), NextHopIP: jsonobj.Str(v, "next_hop_in_ip_address")}
	if id := jsonobj.Str(v, "id"); id != "" {
		r.ID = id
	}
	return r
}

func tfCollection(c map[string]any, typ string) *armset.RuleCollection {
	rc := &armset.RuleCollection{Name: jsonobj.Str(c, "name"), Type: typ, Action: jsonobj.Str(c, "action")}
	rc.Priority, _ = jsonobj.Int(c, "priority")
	if strings.EqualFold(rc.Action, "dnat") {
		rc.Action = topology.RCDNAT
	}
	for _, r := range jsonobj.Objs(c, "rule") {
		f := &armset.FirewallRule{Name: jsonobj.Str(r, "name"), SourceAddresses: jsonobj.Strs(r, "source_addresses"), SourceIPGroups: jsonobj.Strs(r, "source_ip_groups"),
			DestinationAddresses: arm.Union(jsonobj.Strs(r, "destination_addresses"), jsonobj.Strs(r, "destination_address")),
			DestinationIPGroups:  jsonobj.Strs(r, "destination_ip_groups"), DestinationPorts: jsonobj.Strs(r, "destination_ports"),
			FQDNTags: arm.Union(jsonobj.Strs(r, "destination_fqdn_tags"), jsonobj.Strs(r, "fqdn_tags")), WebCategories: jsonobj.Strs(r, "web_categories"),
			TranslatedAddress: jsonobj.Str(r, "translated_address"), TranslatedFQDN: jsonobj.Str(r, "translated_fqdn"), TranslatedPort: jsonobj.Str(r, "translated_port")}
		if typ == topology.RCApplication {
			f.TargetFQDNs = arm.Union(jsonobj.Strs(r, "destination_fqdns"), jsonobj.Strs(r, "target_fqdns"))
			for _, p := range append(jsonobj.Objs(r, "protocols"), jsonobj.Objs(r, "protocol")...) {
				t := jsonobj.Str(p, "type")
				if port := jsonobj.Str(p, "port"); port != "" {
					t += ":" + port
				}
				f.Protocols = append(f.Protocols, t)
			}
		} else {
			f.DestinationFQDNs = jsonobj.Strs(r, "destination_fqdns")
			f.Protocols = jsonobj.Strs(r, "protocols")
		}
		rc.Rules = append(rc.Rules, f)
	}
	return rc
}
