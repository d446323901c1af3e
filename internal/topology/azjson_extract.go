package topology

import (
	"fmt"
	"strings"
)

// Lower-cased ARM types the loader reads.
const (
	tVNet       = "microsoft.network/virtualnetworks"
	tSubnet     = "microsoft.network/virtualnetworks/subnets"
	tPeering    = "microsoft.network/virtualnetworks/virtualnetworkpeerings"
	tNSG        = "microsoft.network/networksecuritygroups"
	tNSGRule    = "microsoft.network/networksecuritygroups/securityrules"
	tRouteTable = "microsoft.network/routetables"
	tRoute      = "microsoft.network/routetables/routes"
	tNIC        = "microsoft.network/networkinterfaces"
	tPE         = "microsoft.network/privateendpoints"
	tFirewall   = "microsoft.network/azurefirewalls"
	tPolicy     = "microsoft.network/firewallpolicies"
	tRCG        = "microsoft.network/firewallpolicies/rulecollectiongroups"
	tIPGroup    = "microsoft.network/ipgroups"
	tASG        = "microsoft.network/applicationsecuritygroups"
	tPublicIP   = "microsoft.network/publicipaddresses"
	tGateway    = "microsoft.network/virtualnetworkgateways"
	tLocalGW    = "microsoft.network/localnetworkgateways"
	tConnection = "microsoft.network/connections"
)

// azIgnored are known network types that do not change the answers
// pathproof computes; they are skipped with a note saying why.
var azIgnored = map[string]string{
	"microsoft.network/natgateways":                        "NAT gateways only change the outbound source address, which pathproof does not model",
	"microsoft.network/loadbalancers":                      "load balancers are not modelled",
	"microsoft.network/bastionhosts":                       "Bastion hosts are not modelled (their subnet and NSGs are)",
	"microsoft.network/virtualhubs":                        "Virtual WAN hubs are not modelled",
	"microsoft.network/networkwatchers":                    "Network Watchers hold no topology",
	"microsoft.network/networkwatchers/flowlogs":           "flow log settings hold no topology",
	"microsoft.network/ddosprotectionplans":                "DDoS protection plans do not change routing or filtering",
	"microsoft.network/privatednszones":                    "private DNS zones are not modelled",
	"microsoft.network/networkwatchers/connectionmonitors": "connection monitors hold no topology",
	"microsoft.compute/virtualmachines":                    "VMs are represented by their NICs",
}

// add reads one normalised resource into s. It returns a note (a warning)
// when the resource is skipped, and an error when it is recognised but
// malformed.
func (s *azSet) add(file string, r AzureResource) (note string, err error) {
	b := r.Body
	src := azSrc{File: file, ID: r.ID.Raw}
	if src.ID == "" {
		src.Where = r.Name
	}
	if note, ok := s.addAVNM(file, r); ok {
		return note, nil
	}
	if r.Bare && azKnownTypes[r.Type] && r.Type != tASG {
		return fmt.Sprintf("%s has no resource fields (an 'az resource list' row, or a Resource Graph query without 'properties' in its project); skipped", r.Type), nil
	}
	switch r.Type {
	case tVNet:
		v := &azVNet{azSrc: src, Name: r.Name, ResourceGroup: rgOf(b, r.ID), Location: str(b, "location"),
			AddressSpace: strs(obj(b, "addressSpace"), "addressPrefixes"), DNSServers: strs(obj(b, "dhcpOptions"), "dnsServers"),
			Tags: tagMap(b)}
		if len(v.AddressSpace) == 0 {
			if len(objs(obj(b, "addressSpace"), "ipamPoolPrefixAllocations")) > 0 {
				for _, a := range objs(obj(b, "addressSpace"), "ipamPoolPrefixAllocations") {
					v.AddressSpace = append(v.AddressSpace, strs(a, "allocatedAddressPrefixes")...)
				}
			}
		}
		for _, sb := range objs(b, "subnets") {
			v.Subnets = append(v.Subnets, subnetFrom(sb, file, r.ID.Raw))
		}
		for _, p := range objs(b, "virtualNetworkPeerings") {
			v.Peerings = append(v.Peerings, peeringFrom(p, file, r.ID.Raw))
		}
		s.VNets = append(s.VNets, v)
	case tSubnet:
		s.Subnets = append(s.Subnets, subnetFrom(b, file, r.ID.Parent().Raw))
	case tPeering:
		s.Peerings = append(s.Peerings, peeringFrom(b, file, r.ID.Parent().Raw))
	case tNSG:
		n := &azNSG{azSrc: src, Name: r.Name}
		for _, ru := range objs(b, "securityRules") {
			n.Rules = append(n.Rules, nsgRuleFrom(ru, file, r.ID.Raw))
		}
		s.NSGs = append(s.NSGs, n)
	case tNSGRule:
		s.NSGRules = append(s.NSGRules, nsgRuleFrom(b, file, r.ID.Parent().Raw))
	case tRouteTable:
		t := &azRouteTable{azSrc: src, Name: r.Name, DisableBGP: boolOr(b, "disableBgpRoutePropagation", false)}
		for _, ro := range objs(b, "routes") {
			t.Routes = append(t.Routes, routeFrom(ro, file, r.ID.Raw))
		}
		s.RouteTables = append(s.RouteTables, t)
	case tRoute:
		s.Routes = append(s.Routes, routeFrom(b, file, r.ID.Parent().Raw))
	case tNIC:
		n := &azNIC{azSrc: src, Name: r.Name, VMID: ref(b, "virtualMachine"), NSGID: ref(b, "networkSecurityGroup"),
			IPForwarding: boolOr(b, "enableIPForwarding", false), PrivateEndpointID: ref(b, "privateEndpoint"), Tags: tagMap(b)}
		for _, c := range objs(b, "ipConfigurations") {
			n.IPConfigs = append(n.IPConfigs, azIPConfig{Name: str(c, "name"), IP: str(c, "privateIPAddress"),
				SubnetID: ref(c, "subnet"), PublicIPID: ref(c, "publicIPAddress"), ASGIDs: refs(c, "applicationSecurityGroups"),
				Primary: boolOr(c, "primary", false)})
		}
		s.NICs = append(s.NICs, n)
	case tPE:
		s.PEs = append(s.PEs, peFrom(b, src, r.Name))
	case tFirewall:
		s.Firewalls = append(s.Firewalls, firewallFrom(b, src, r.Name))
	case tPolicy:
		p := &azPolicy{azSrc: src, Name: r.Name, BasePolicyID: ref(b, "basePolicy"), ThreatIntelMode: str(b, "threatIntelMode"),
			DNSProxy: boolOr(obj(b, "dnsSettings"), "enableProxy", false), RCGIDs: refs(b, "ruleCollectionGroups"), Tags: tagMap(b),
			Allowlist: strs(obj(b, "threatIntelWhitelist"), "ipAddresses")}
		if sn := obj(b, "snat"); sn != nil {
			p.SNATPrivateRanges = strs(sn, "privateRanges")
		}
		s.Policies = append(s.Policies, p)
	case tRCG:
		g := &azRCG{azSrc: src, PolicyID: r.ID.Parent().Raw, Name: r.Name}
		g.Priority, _ = integer(b, "priority")
		for _, c := range objs(b, "ruleCollections") {
			g.Collections = append(g.Collections, policyCollectionFrom(c))
		}
		s.RCGs = append(s.RCGs, g)
	case tIPGroup:
		s.IPGroups = append(s.IPGroups, &azIPGroup{azSrc: src, Name: r.Name, Addresses: strs(b, "ipAddresses")})
	case tASG:
		s.ASGs = append(s.ASGs, &azASG{azSrc: src, Name: r.Name})
	case tPublicIP:
		s.PublicIPs = append(s.PublicIPs, &azPublicIP{azSrc: src, Name: r.Name, IP: str(b, "ipAddress"), IPConfigID: ref(b, "ipConfiguration")})
	case tGateway:
		s.Gateways = append(s.Gateways, gatewayFrom(b, src, r.Name))
	case tLocalGW:
		g := &azLocalGateway{azSrc: src, Name: r.Name, Prefixes: strs(obj(b, "localNetworkAddressSpace"), "addressPrefixes"),
			GatewayIP: str(b, "gatewayIpAddress"), Tags: tagMap(b)}
		g.ASN, _ = integer(obj(b, "bgpSettings"), "asn")
		s.LocalGateways = append(s.LocalGateways, g)
	case tConnection:
		s.Connections = append(s.Connections, &azConnection{azSrc: src, Name: r.Name, Type: str(b, "connectionType"),
			Gateway1ID: ref(b, "virtualNetworkGateway1"), Gateway2ID: ref(b, "virtualNetworkGateway2"),
			LocalGatewayID: ref(b, "localNetworkGateway2"), Status: str(b, "connectionStatus"),
			IngressNATIDs: refs(b, "ingressNatRules"), EgressNATIDs: refs(b, "egressNatRules"), Tags: tagMap(b)})
	default:
		if why, ok := azIgnored[r.Type]; ok {
			return fmt.Sprintf("%s skipped: %s", r.Type, why), nil
		}
		return fmt.Sprintf("unknown resource type %q skipped", r.Type), nil
	}
	return "", nil
}

func rgOf(b map[string]any, id AzureID) string {
	if rg := str(b, "resourceGroup"); rg != "" {
		return rg
	}
	return id.ResourceGroup
}

func tagMap(b map[string]any) map[string]string {
	t := obj(b, "tags")
	if len(t) == 0 {
		return nil
	}
	out := map[string]string{}
	for k := range t {
		out[k] = str(t, k)
	}
	return out
}

func subnetFrom(b map[string]any, file, vnetID string) *azSubnet {
	s := &azSubnet{azSrc: azSrc{File: file, ID: str(b, "id")}, VNetID: vnetID, Name: str(b, "name"),
		Prefixes: strs(b, "addressPrefixes"), NSGID: ref(b, "networkSecurityGroup"), RouteTableID: ref(b, "routeTable"),
		NATGWID: ref(b, "natGateway"), PENetworkPolicies: str(b, "privateEndpointNetworkPolicies")}
	if len(s.Prefixes) == 0 {
		s.Prefixes = strs(b, "addressPrefix")
	}
	if s.ID == "" && vnetID != "" {
		s.ID = vnetID + "/subnets/" + s.Name
	}
	if s.Name == "" {
		s.Name = ParseAzureID(s.ID).Name()
	}
	for _, se := range objs(b, "serviceEndpoints") {
		if v := str(se, "service"); v != "" {
			s.ServiceEndpoints = append(s.ServiceEndpoints, v)
		}
	}
	if v, ok := boolean(b, "defaultOutboundAccess"); ok {
		s.DefaultOutboundAccess = &v
	}
	return s
}

func peeringFrom(b map[string]any, file, vnetID string) *azPeering {
	p := &azPeering{azSrc: azSrc{File: file, ID: str(b, "id")}, VNetID: vnetID, Name: str(b, "name"),
		RemoteVNetID: ref(b, "remoteVirtualNetwork"), AllowVNetAccess: boolOr(b, "allowVirtualNetworkAccess", true),
		AllowForwarded: boolOr(b, "allowForwardedTraffic", false), AllowGatewayTransit: boolOr(b, "allowGatewayTransit", false),
		UseRemoteGateways: boolOr(b, "useRemoteGateways", false), State: str(b, "peeringState"),
		RemoteAddressSpace: strs(obj(b, "remoteAddressSpace"), "addressPrefixes")}
	if p.Name == "" {
		p.Name = ParseAzureID(p.ID).Name()
	}
	return p
}

func nsgRuleFrom(b map[string]any, file, nsgID string) *azNSGRule {
	r := &azNSGRule{azSrc: azSrc{File: file, ID: str(b, "id")}, NSGID: nsgID, Name: str(b, "name"),
		Direction: str(b, "direction"), Access: str(b, "access"), Protocol: str(b, "protocol"),
		Sources:          union(strs(b, "sourceAddressPrefixes"), strs(b, "sourceAddressPrefix")),
		Destinations:     union(strs(b, "destinationAddressPrefixes"), strs(b, "destinationAddressPrefix")),
		SourceASGs:       refs(b, "sourceApplicationSecurityGroups"),
		DestinationASGs:  refs(b, "destinationApplicationSecurityGroups"),
		SourcePorts:      union(strs(b, "sourcePortRanges"), strs(b, "sourcePortRange")),
		DestinationPorts: union(strs(b, "destinationPortRanges"), strs(b, "destinationPortRange")),
		Description:      str(b, "description")}
	r.Priority, _ = integer(b, "priority")
	if r.Name == "" {
		r.Name = ParseAzureID(r.ID).Name()
	}
	return r
}

func routeFrom(b map[string]any, file, rtID string) *azRoute {
	r := &azRoute{azSrc: azSrc{File: file, ID: str(b, "id")}, RouteTableID: rtID, Name: str(b, "name"),
		Prefix: str(b, "addressPrefix"), NextHop: str(b, "nextHopType"), NextHopIP: str(b, "nextHopIpAddress")}
	if r.Name == "" {
		r.Name = ParseAzureID(r.ID).Name()
	}
	return r
}

func peFrom(b map[string]any, src azSrc, name string) *azPE {
	p := &azPE{azSrc: src, Name: name, SubnetID: ref(b, "subnet"), NICIDs: refs(b, "networkInterfaces"),
		ASGIDs: refs(b, "applicationSecurityGroups")}
	for _, c := range objs(b, "ipConfigurations") {
		if ip := str(c, "privateIPAddress"); ip != "" {
			p.IPs = append(p.IPs, ip)
		}
	}
	for _, c := range objs(b, "customDnsConfigs") {
		p.IPs = union(p.IPs, strs(c, "ipAddresses"))
		if f := str(c, "fqdn"); f != "" {
			p.FQDNs = append(p.FQDNs, f)
		}
	}
	conns := append(objs(b, "privateLinkServiceConnections"), objs(b, "manualPrivateLinkServiceConnections")...)
	if len(conns) > 0 {
		c := conns[0]
		p.TargetID = str(c, "privateLinkServiceId")
		p.GroupIDs = strs(c, "groupIds")
		p.ConnectionState = str(obj(c, "privateLinkServiceConnectionState"), "status")
	}
	return p
}

func firewallFrom(b map[string]any, src azSrc, name string) *azFirewall {
	f := &azFirewall{azSrc: src, Name: name, PolicyID: ref(b, "firewallPolicy"), ThreatIntelMode: str(b, "threatIntelMode"), Tags: tagMap(b)}
	if sku := obj(b, "sku"); sku != nil {
		f.SkuName, f.SkuTier = str(sku, "name"), str(sku, "tier")
	}
	for i, c := range objs(b, "ipConfigurations") {
		if i == 0 || f.PrivateIP == "" {
			f.PrivateIP = str(c, "privateIPAddress")
		}
		if sid := ref(c, "subnet"); sid != "" {
			f.SubnetID = sid
		}
		if pid := ref(c, "publicIPAddress"); pid != "" {
			f.PublicIPIDs = append(f.PublicIPIDs, pid)
		}
	}
	if m := obj(b, "managementIpConfiguration"); m != nil {
		f.MgmtSubnetID, f.MgmtPublicIPID = ref(m, "subnet"), ref(m, "publicIPAddress")
	}
	if h := obj(b, "hubIPAddresses"); h != nil {
		if f.PrivateIP == "" {
			f.PrivateIP = str(h, "privateIPAddress")
		}
		for _, a := range objs(obj(h, "publicIPs"), "addresses") {
			if ip := str(a, "address"); ip != "" {
				f.PublicIPs = append(f.PublicIPs, ip)
			}
		}
	}
	if ap := obj(b, "additionalProperties"); ap != nil {
		if v, ok := boolean(ap, "Network.DNS.EnableProxy"); ok {
			f.DNSProxy = &v
		}
		for _, r := range strings.Split(str(ap, "Network.SNAT.PrivateRanges"), ",") {
			if r = strings.TrimSpace(r); r != "" {
				f.ClassicSNAT = append(f.ClassicSNAT, r)
			}
		}
	}
	for _, kind := range []struct{ key, typ string }{{"natRuleCollections", "DNAT"}, {"networkRuleCollections", "Network"}, {"applicationRuleCollections", "Application"}} {
		for _, c := range objs(b, kind.key) {
			rc := &azRuleCollection{Name: str(c, "name"), Type: kind.typ, Action: str(obj(c, "action"), "type")}
			rc.Priority, _ = integer(c, "priority")
			if strings.EqualFold(rc.Action, "Dnat") {
				rc.Action = "DNAT"
			}
			for _, r := range objs(c, "rules") {
				rc.Rules = append(rc.Rules, fwRuleFrom(r, kind.typ))
			}
			f.Classic = append(f.Classic, rc)
		}
	}
	return f
}

func policyCollectionFrom(c map[string]any) *azRuleCollection {
	rc := &azRuleCollection{Name: str(c, "name"), Action: str(obj(c, "action"), "type")}
	rc.Priority, _ = integer(c, "priority")
	switch {
	case strings.EqualFold(str(c, "ruleCollectionType"), "FirewallPolicyNatRuleCollection"):
		rc.Type = "DNAT"
	case str(c, keyCollectionType) == RCApplication:
		rc.Type = RCApplication
	default:
		rc.Type = RCNetwork
		for _, r := range objs(c, "rules") {
			if strings.EqualFold(str(r, "ruleType"), "ApplicationRule") {
				rc.Type = RCApplication
			}
		}
	}
	if strings.EqualFold(rc.Action, "dnat") {
		rc.Action = "DNAT"
	}
	for _, r := range objs(c, "rules") {
		rc.Rules = append(rc.Rules, fwRuleFrom(r, rc.Type))
	}
	return rc
}

// fwRuleFrom reads a firewall rule in either the policy or the classic
// shape (they differ in the protocol and translated-address keys).
func fwRuleFrom(r map[string]any, typ string) *azFwRule {
	f := &azFwRule{Name: str(r, "name"), SourceAddresses: strs(r, "sourceAddresses"), SourceIPGroups: strs(r, "sourceIpGroups"),
		DestinationAddresses: strs(r, "destinationAddresses"), DestinationIPGroups: strs(r, "destinationIpGroups"),
		DestinationFQDNs: strs(r, "destinationFqdns"), DestinationPorts: strs(r, "destinationPorts"),
		TargetFQDNs: strs(r, "targetFqdns"), FQDNTags: strs(r, "fqdnTags"), WebCategories: strs(r, "webCategories"),
		TranslatedAddress: str(r, "translatedAddress"), TranslatedFQDN: str(r, "translatedFqdn"), TranslatedPort: str(r, "translatedPort")}
	if typ == "Application" {
		for _, p := range objs(r, "protocols") {
			t := str(p, "protocolType")
			if port := str(p, "port"); port != "" {
				t += ":" + port
			}
			f.Protocols = append(f.Protocols, t)
		}
	} else {
		f.Protocols = union(strs(r, "ipProtocols"), strs(r, "protocols"))
	}
	return f
}

func gatewayFrom(b map[string]any, src azSrc, name string) *azGateway {
	g := &azGateway{azSrc: src, Name: name, Type: str(b, "gatewayType"), VPNType: str(b, "vpnType"),
		ActiveActive: boolOr(b, "activeActive", false), BGP: boolOr(b, "enableBgp", false),
		RouteTranslationForNAT: boolOr(b, "enableBgpRouteTranslationForNat", false), Tags: tagMap(b)}
	if sku := obj(b, "sku"); sku != nil {
		g.SKU = str(sku, "name")
	}
	g.ASN, _ = integer(obj(b, "bgpSettings"), "asn")
	// Active-active gateways list one address per instance, comma-separated.
	g.BGPPeeringAddress, _, _ = strings.Cut(str(obj(b, "bgpSettings"), "bgpPeeringAddress"), ",")
	for _, c := range objs(b, "ipConfigurations") {
		if sid := ref(c, "subnet"); sid != "" && g.SubnetID == "" {
			g.SubnetID = sid
		}
		if pid := ref(c, "publicIPAddress"); pid != "" {
			g.PublicIPIDs = append(g.PublicIPIDs, pid)
		}
	}
	for _, n := range objs(b, "natRules") {
		r := azGwNATRule{ID: str(n, "id"), Name: str(n, "name"), Mode: str(n, "mode"), Type: str(n, "type")}
		if t := str(n, "properties.type"); t != "" {
			r.Type = t
		} else if strings.Contains(r.Type, "/") { // the child's resource type, not the rule type
			r.Type = ""
		}
		for _, m := range objs(n, "internalMappings") {
			r.Internal = append(r.Internal, strs(m, "addressSpace")...)
		}
		for _, m := range objs(n, "externalMappings") {
			r.External = append(r.External, strs(m, "addressSpace")...)
		}
		g.NATRules = append(g.NATRules, r)
	}
	return g
}

// keyCollectionType is the one key pathproof adds to Azure's shape: on an
// empty filter rule collection exported from a design, whether it was an
// application collection (its rules would otherwise say).
const keyCollectionType = "pathproofCollectionType"

// azKnownTypes are the types add reads.
var azKnownTypes = map[string]bool{tVNet: true, tSubnet: true, tPeering: true, tNSG: true, tNSGRule: true, tRouteTable: true,
	tRoute: true, tNIC: true, tPE: true, tFirewall: true, tPolicy: true, tRCG: true, tIPGroup: true, tASG: true, tPublicIP: true,
	tGateway: true, tLocalGW: true, tConnection: true}
