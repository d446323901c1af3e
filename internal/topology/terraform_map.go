package topology

import "strings"

// tfRead adds one azurerm resource to s; false when its type is not one
// pathproof models. Attribute names follow azurerm 4.x, with the 3.x
// spellings accepted where they differ.
func tfRead(s *azSet, r TerraformResource, a azSrc, j *tfJoins) bool {
	v := r.Values
	name := str(v, "name")
	switch r.Type {
	case "azurerm_virtual_network":
		a.ID = tfID(v, "virtualNetworks", name)
		vn := &azVNet{azSrc: a, Name: name, ResourceGroup: str(v, "resource_group_name"), Location: str(v, "location"),
			AddressSpace: strs(v, "address_space"), DNSServers: strs(v, "dns_servers"), Tags: tagMap(v)}
		for _, sb := range objs(v, "subnet") {
			sn := tfSubnet(sb, a, a.ID)
			vn.Subnets = append(vn.Subnets, sn)
			if nsg := str(sb, "security_group"); nsg != "" {
				sn.NSGID = nsg
			}
		}
		s.VNets = append(s.VNets, vn)
	case "azurerm_subnet":
		vnetID := tfParentID(v, "virtualNetworks", "virtual_network_name")
		sn := tfSubnet(v, a, vnetID)
		s.Subnets = append(s.Subnets, sn)
	case "azurerm_subnet_network_security_group_association":
		s.SubnetNSG[str(v, "subnet_id")] = str(v, "network_security_group_id")
	case "azurerm_subnet_route_table_association":
		s.SubnetRT[str(v, "subnet_id")] = str(v, "route_table_id")
	case "azurerm_virtual_network_peering":
		vnetID := tfParentID(v, "virtualNetworks", "virtual_network_name")
		a.ID = tfID(v, "virtualNetworks/virtualNetworkPeerings", str(v, "virtual_network_name"), name)
		s.Peerings = append(s.Peerings, &azPeering{azSrc: a, VNetID: vnetID, Name: name, RemoteVNetID: str(v, "remote_virtual_network_id"),
			AllowVNetAccess: boolOr(v, "allow_virtual_network_access", true), AllowForwarded: boolOr(v, "allow_forwarded_traffic", false),
			AllowGatewayTransit: boolOr(v, "allow_gateway_transit", false), UseRemoteGateways: boolOr(v, "use_remote_gateways", false)})
	case "azurerm_network_security_group":
		a.ID = tfID(v, "networkSecurityGroups", name)
		n := &azNSG{azSrc: a, Name: name}
		for _, ru := range objs(v, "security_rule") {
			n.Rules = append(n.Rules, tfRule(ru, a, a.ID))
		}
		s.NSGs = append(s.NSGs, n)
	case "azurerm_network_security_rule":
		nsgID := tfParentID(v, "networkSecurityGroups", "network_security_group_name")
		s.NSGRules = append(s.NSGRules, tfRule(v, a, nsgID))
	case "azurerm_route_table":
		a.ID = tfID(v, "routeTables", name)
		t := &azRouteTable{azSrc: a, Name: name}
		if b, ok := boolean(v, "bgp_route_propagation_enabled"); ok {
			t.DisableBGP = !b
		} else {
			t.DisableBGP = boolOr(v, "disable_bgp_route_propagation", false)
		}
		for _, ro := range objs(v, "route") {
			t.Routes = append(t.Routes, tfRoute(ro, a, a.ID))
		}
		s.RouteTables = append(s.RouteTables, t)
	case "azurerm_route":
		rtID := tfParentID(v, "routeTables", "route_table_name")
		s.Routes = append(s.Routes, tfRoute(v, a, rtID))
	case "azurerm_network_interface":
		a.ID = tfID(v, "networkInterfaces", name)
		n := &azNIC{azSrc: a, Name: name, Tags: tagMap(v)}
		if b, ok := boolean(v, "ip_forwarding_enabled"); ok {
			n.IPForwarding = b
		} else {
			n.IPForwarding = boolOr(v, "enable_ip_forwarding", false)
		}
		if vm := str(v, "virtual_machine_id"); vm != "" {
			n.VMID = vm
		}
		for _, c := range objs(v, "ip_configuration") {
			n.IPConfigs = append(n.IPConfigs, azIPConfig{Name: str(c, "name"), IP: str(c, "private_ip_address"), SubnetID: str(c, "subnet_id"),
				PublicIPID: str(c, "public_ip_address_id"), Primary: boolOr(c, "primary", false)})
		}
		s.NICs = append(s.NICs, n)
	case "azurerm_network_interface_security_group_association":
		j.nicNSG[azIDKey(str(v, "network_interface_id"))] = str(v, "network_security_group_id")
	case "azurerm_network_interface_application_security_group_association":
		k := azIDKey(str(v, "network_interface_id"))
		j.nicASG[k] = append(j.nicASG[k], str(v, "application_security_group_id"))
	case "azurerm_application_security_group":
		a.ID = tfID(v, "applicationSecurityGroups", name)
		s.ASGs = append(s.ASGs, &azASG{azSrc: a, Name: name})
	case "azurerm_public_ip":
		a.ID = tfID(v, "publicIPAddresses", name)
		s.PublicIPs = append(s.PublicIPs, &azPublicIP{azSrc: a, Name: name, IP: str(v, "ip_address")})
	case "azurerm_private_endpoint":
		a.ID = tfID(v, "privateEndpoints", name)
		p := &azPE{azSrc: a, Name: name, SubnetID: str(v, "subnet_id")}

		for _, c := range objs(v, "ip_configuration") {
			p.IPs = union(p.IPs, strs(c, "private_ip_address"))
		}
		for _, c := range objs(v, "private_service_connection") {
			p.IPs = union(p.IPs, strs(c, "private_ip_address"))
			if p.TargetID == "" {
				p.TargetID = str(c, "private_connection_resource_id")
				p.GroupIDs = strs(c, "subresource_names")
				p.ConnectionState = "Approved"
				if boolOr(c, "is_manual_connection", false) {
					p.ConnectionState = "Pending"
				}
			}
		}
		for _, c := range objs(v, "custom_dns_configs") {
			p.IPs = union(p.IPs, strs(c, "ip_addresses"))
			if f := str(c, "fqdn"); f != "" {
				p.FQDNs = append(p.FQDNs, f)
			}
		}
		for _, n := range objs(v, "network_interface") {
			p.NICIDs = append(p.NICIDs, str(n, "id"))
		}
		if st := tagMap(v)[tagConnectionState]; st != "" {
			p.ConnectionState = st
		}
		s.PEs = append(s.PEs, p)
	case "azurerm_firewall":
		a.ID = tfID(v, "azureFirewalls", name)
		f := &azFirewall{azSrc: a, Name: name, SkuName: str(v, "sku_name"), SkuTier: str(v, "sku_tier"), PolicyID: str(v, "firewall_policy_id"),
			ThreatIntelMode: str(v, "threat_intel_mode"), Tags: tagMap(v), ClassicSNAT: strs(v, "private_ip_ranges")}
		if b, ok := boolean(v, "dns_proxy_enabled"); ok {
			f.DNSProxy = &b
		}
		for _, c := range objs(v, "ip_configuration") {
			if f.PrivateIP == "" {
				f.PrivateIP = str(c, "private_ip_address")
			}
			if sid := str(c, "subnet_id"); sid != "" {
				f.SubnetID = sid
			}
			if pid := str(c, "public_ip_address_id"); pid != "" {
				f.PublicIPIDs = append(f.PublicIPIDs, pid)
			}
		}
		for _, c := range objs(v, "management_ip_configuration") {
			f.MgmtSubnetID, f.MgmtPublicIPID = str(c, "subnet_id"), str(c, "public_ip_address_id")
		}
		for _, h := range objs(v, "virtual_hub") {
			if f.PrivateIP == "" {
				f.PrivateIP = str(h, "private_ip_address")
			}
			f.PublicIPs = append(f.PublicIPs, strs(h, "public_ip_addresses")...)
		}
		s.Firewalls = append(s.Firewalls, f)
	case "azurerm_firewall_policy":
		a.ID = tfID(v, "firewallPolicies", name)
		p := &azPolicy{azSrc: a, Name: name, BasePolicyID: str(v, "base_policy_id"), ThreatIntelMode: str(v, "threat_intelligence_mode"),
			SNATPrivateRanges: strs(v, "private_ip_ranges"), Tags: tagMap(v)}
		for _, d := range objs(v, "dns") {
			p.DNSProxy = boolOr(d, "proxy_enabled", false)
		}
		for _, al := range objs(v, "threat_intelligence_allowlist") {
			p.Allowlist = append(p.Allowlist, strs(al, "ip_addresses")...)
		}
		s.Policies = append(s.Policies, p)
	case "azurerm_firewall_policy_rule_collection_group":
		polID := str(v, "firewall_policy_id")
		a.ID = str(v, "id")
		if a.ID == "" {
			a.ID = polID + "/ruleCollectionGroups/" + name
		}
		g := &azRCG{azSrc: a, PolicyID: polID, Name: name}
		g.Priority, _ = integer(v, "priority")
		for _, kind := range []struct{ key, typ string }{{"nat_rule_collection", RCDNAT}, {"network_rule_collection", RCNetwork}, {"application_rule_collection", RCApplication}} {
			for _, c := range objs(v, kind.key) {
				g.Collections = append(g.Collections, tfCollection(c, kind.typ))
			}
		}
		s.RCGs = append(s.RCGs, g)
	case "azurerm_ip_group":
		a.ID = tfID(v, "ipGroups", name)
		s.IPGroups = append(s.IPGroups, &azIPGroup{azSrc: a, Name: name, Addresses: strs(v, "cidrs")})
	case "azurerm_virtual_network_gateway":
		a.ID = tfID(v, "virtualNetworkGateways", name)
		g := &azGateway{azSrc: a, Name: name, Type: str(v, "type"), VPNType: str(v, "vpn_type"), SKU: str(v, "sku"),
			ActiveActive: boolOr(v, "active_active", false), Tags: tagMap(v)}
		if b, ok := boolean(v, "bgp_enabled"); ok {
			g.BGP = b
		} else {
			g.BGP = boolOr(v, "enable_bgp", false)
		}
		g.RouteTranslationForNAT = boolOr(v, "bgp_route_translation_for_nat_enabled", false)
		for _, b := range objs(v, "bgp_settings") {
			g.ASN, _ = integer(b, "asn")
			for _, pa := range objs(b, "peering_addresses") {
				if d := strs(pa, "default_addresses"); len(d) > 0 && g.BGPPeeringAddress == "" {
					g.BGPPeeringAddress = d[0]
				}
			}
		}
		for _, c := range objs(v, "ip_configuration") {
			if g.SubnetID == "" {
				g.SubnetID = str(c, "subnet_id")
			}
			if pid := str(c, "public_ip_address_id"); pid != "" {
				g.PublicIPIDs = append(g.PublicIPIDs, pid)
			}
		}
		s.Gateways = append(s.Gateways, g)
	case "azurerm_virtual_network_gateway_nat_rule":
		r := azGwNATRule{ID: str(v, "id"), Name: name, Mode: str(v, "mode"), Type: str(v, "type")}
		for _, m := range objs(v, "internal_mapping") {
			r.Internal = append(r.Internal, strs(m, "address_space")...)
		}
		for _, m := range objs(v, "external_mapping") {
			r.External = append(r.External, strs(m, "address_space")...)
		}
		k := azIDKey(str(v, "virtual_network_gateway_id"))
		j.gwNAT[k] = append(j.gwNAT[k], r)
	case "azurerm_local_network_gateway":
		a.ID = tfID(v, "localNetworkGateways", name)
		l := &azLocalGateway{azSrc: a, Name: name, Prefixes: strs(v, "address_space"), GatewayIP: str(v, "gateway_address"), Tags: tagMap(v)}
		for _, b := range objs(v, "bgp_settings") {
			l.ASN, _ = integer(b, "asn")
		}
		s.LocalGateways = append(s.LocalGateways, l)
	case "azurerm_virtual_network_gateway_connection":
		a.ID = tfID(v, "connections", name)
		s.Connections = append(s.Connections, &azConnection{azSrc: a, Name: name, Type: str(v, "type"),
			Gateway1ID: str(v, "virtual_network_gateway_id"), Gateway2ID: str(v, "peer_virtual_network_gateway_id"),
			LocalGatewayID: str(v, "local_network_gateway_id"), IngressNATIDs: strs(v, "ingress_nat_rule_ids"),
			EgressNATIDs: strs(v, "egress_nat_rule_ids"), Tags: tagMap(v)})
	case "azurerm_network_manager", "azurerm_network_manager_network_group", "azurerm_network_manager_security_admin_configuration":
		// Containers: their children hold what matters.
	case "azurerm_network_manager_static_member":
		k := azIDKey(str(v, "network_group_id"))
		s.avnm().Members[k] = append(s.avnm().Members[k], str(v, "target_virtual_network_id"))
	case "azurerm_network_manager_admin_rule_collection":
		s.avnm().Applies[azIDKey(str(v, "id"))] = strs(v, "network_group_ids")
	case "azurerm_network_manager_admin_rule":
		rc := str(v, "admin_rule_collection_id")
		a.ID = str(v, "id")
		if a.ID == "" {
			a.ID = rc + "/rules/" + name
		}
		cfg := ParseAzureID(rc)
		ar := &azAdminRule{azSrc: a, Name: name, CollectionID: rc, Direction: str(v, "direction"), Access: str(v, "action"),
			Protocol: str(v, "protocol"), SourcePorts: strs(v, "source_port_ranges"), DestinationPorts: strs(v, "destination_port_ranges")}
		if len(cfg.Names) >= 2 {
			ar.Configuration = cfg.Names[1]
		}
		ar.Priority, _ = integer(v, "priority")
		if strings.EqualFold(ar.Protocol, "Any") {
			ar.Protocol = "*"
		}
		for _, x := range objs(v, "source") {
			ar.Sources = append(ar.Sources, str(x, "address_prefix"))
		}
		for _, x := range objs(v, "destination") {
			ar.Destinations = append(ar.Destinations, str(x, "address_prefix"))
		}
		s.avnm().Rules = append(s.avnm().Rules, ar)
	case "azurerm_firewall_network_rule_collection", "azurerm_firewall_application_rule_collection", "azurerm_firewall_nat_rule_collection":
		typ := map[string]string{"azurerm_firewall_network_rule_collection": RCNetwork, "azurerm_firewall_application_rule_collection": RCApplication,
			"azurerm_firewall_nat_rule_collection": RCDNAT}[r.Type]
		fw := tfParentID(v, "azureFirewalls", "azure_firewall_name")
		j.classic[azIDKey(fw)] = append(j.classic[azIDKey(fw)], tfCollection(v, typ))
	default:
		return false
	}
	return true
}

// tfJoins holds what Terraform keeps in separate resources, joined to
// their owners once every resource is read.
type tfJoins struct {
	nicNSG  map[string]string
	nicASG  map[string][]string
	gwNAT   map[string][]azGwNATRule
	classic map[string][]*azRuleCollection
}

func tfSubnet(v map[string]any, a azSrc, vnetID string) *azSubnet {
	name := str(v, "name")
	sn := &azSubnet{azSrc: a, VNetID: vnetID, Name: name, Prefixes: union(strs(v, "address_prefixes"), strs(v, "address_prefix")),
		ServiceEndpoints: strs(v, "service_endpoints"), RouteTableID: str(v, "route_table_id")}
	sn.ID = str(v, "id")
	if sn.ID == "" {
		sn.ID = vnetID + "/subnets/" + name
	}
	switch p := str(v, "private_endpoint_network_policies"); {
	case p != "":
		sn.PENetworkPolicies = p
	default:
		if b, ok := boolean(v, "private_endpoint_network_policies_enabled"); ok {
			sn.PENetworkPolicies = map[bool]string{true: PEPolicyEnabled, false: PEPolicyDisabled}[b]
		}
	}
	if b, ok := boolean(v, "default_outbound_access_enabled"); ok {
		sn.DefaultOutboundAccess = &b
	}
	return sn
}

func tfRule(v map[string]any, a azSrc, nsgID string) *azNSGRule {
	r := &azNSGRule{azSrc: a, NSGID: nsgID, Name: str(v, "name"), Direction: str(v, "direction"), Access: str(v, "access"),
		Protocol:         str(v, "protocol"),
		Sources:          union(strs(v, "source_address_prefixes"), strs(v, "source_address_prefix")),
		Destinations:     union(strs(v, "destination_address_prefixes"), strs(v, "destination_address_prefix")),
		SourceASGs:       strs(v, "source_application_security_group_ids"),
		DestinationASGs:  strs(v, "destination_application_security_group_ids"),
		SourcePorts:      union(strs(v, "source_port_ranges"), strs(v, "source_port_range")),
		DestinationPorts: union(strs(v, "destination_port_ranges"), strs(v, "destination_port_range")),
		Description:      str(v, "description")}
	r.Priority, _ = integer(v, "priority")
	if id := str(v, "id"); id != "" {
		r.ID = id
	}
	return r
}

func tfRoute(v map[string]any, a azSrc, rtID string) *azRoute {
	r := &azRoute{azSrc: a, RouteTableID: rtID, Name: str(v, "name"), Prefix: str(v, "address_prefix"),
		NextHop: str(v, "next_hop_type"), NextHopIP: str(v, "next_hop_in_ip_address")}
	if id := str(v, "id"); id != "" {
		r.ID = id
	}
	return r
}

func tfCollection(c map[string]any, typ string) *azRuleCollection {
	rc := &azRuleCollection{Name: str(c, "name"), Type: typ, Action: str(c, "action")}
	rc.Priority, _ = integer(c, "priority")
	if strings.EqualFold(rc.Action, "dnat") {
		rc.Action = RCDNAT
	}
	for _, r := range objs(c, "rule") {
		f := &azFwRule{Name: str(r, "name"), SourceAddresses: strs(r, "source_addresses"), SourceIPGroups: strs(r, "source_ip_groups"),
			DestinationAddresses: union(strs(r, "destination_addresses"), strs(r, "destination_address")),
			DestinationIPGroups:  strs(r, "destination_ip_groups"), DestinationPorts: strs(r, "destination_ports"),
			FQDNTags: union(strs(r, "destination_fqdn_tags"), strs(r, "fqdn_tags")), WebCategories: strs(r, "web_categories"),
			TranslatedAddress: str(r, "translated_address"), TranslatedFQDN: str(r, "translated_fqdn"), TranslatedPort: str(r, "translated_port")}
		if typ == RCApplication {
			f.TargetFQDNs = union(strs(r, "destination_fqdns"), strs(r, "target_fqdns"))
			for _, p := range append(objs(r, "protocols"), objs(r, "protocol")...) {
				t := str(p, "type")
				if port := str(p, "port"); port != "" {
					t += ":" + port
				}
				f.Protocols = append(f.Protocols, t)
			}
		} else {
			f.DestinationFQDNs = strs(r, "destination_fqdns")
			f.Protocols = strs(r, "protocols")
		}
		rc.Rules = append(rc.Rules, f)
	}
	return rc
}
