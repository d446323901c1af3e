package azjson

import (
	"fmt"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
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
	"microsoft.network/bastionhosts":                       "Bastion hosts are not modelled (their subnet and NSGs are)",
	"microsoft.network/networkwatchers":                    "Network Watchers hold no topology",
	"microsoft.network/networkwatchers/flowlogs":           "flow log settings hold no topology",
	"microsoft.network/ddosprotectionplans":                "DDoS protection plans do not change routing or filtering",
	"microsoft.network/networkwatchers/connectionmonitors": "connection monitors hold no topology",
	"microsoft.compute/virtualmachines":                    "VMs are represented by their NICs",
}

// add reads one normalised resource into s. It returns a note (a warning)
// when the resource is skipped, and an error when it is recognised but
// malformed.
func add(s *armset.Set, file string, r Resource) (note string, err error) {
	b := r.Body
	src := srcOf(file, r)
	if note, ok := addAVNM(s, file, r); ok {
		return note, nil
	}
	if note, ok := addVWAN(s, file, r); ok {
		return note, nil
	}
	if note, ok := addLB(s, file, r); ok {
		return note, nil
	}
	if note, ok := addDNS(s, file, r); ok {
		return note, nil
	}
	if r.Bare && azKnownTypes[r.Type] && r.Type != tASG {
		return bareNote(r.Type), nil
	}
	switch r.Type {
	case tVNet:
		v := &armset.VNet{Src: src, Name: r.Name, ResourceGroup: rgOf(b, r.ID), Location: jsonobj.Str(b, "location"),
			AddressSpace: jsonobj.Strs(jsonobj.Obj(b, "addressSpace"), "addressPrefixes"), DNSServers: jsonobj.Strs(jsonobj.Obj(b, "dhcpOptions"), "dnsServers"),
			Tags: jsonobj.StrMap(b, "tags")}
		if len(v.AddressSpace) == 0 {
			if len(jsonobj.Objs(jsonobj.Obj(b, "addressSpace"), "ipamPoolPrefixAllocations")) > 0 {
				for _, a := range jsonobj.Objs(jsonobj.Obj(b, "addressSpace"), "ipamPoolPrefixAllocations") {
					v.AddressSpace = append(v.AddressSpace, jsonobj.Strs(a, "allocatedAddressPrefixes")...)
				}
			}
		}
		for _, sb := range jsonobj.Objs(b, "subnets") {
			v.Subnets = append(v.Subnets, subnetFrom(sb, file, r.ID.Raw))
		}
		for _, p := range jsonobj.Objs(b, "virtualNetworkPeerings") {
			v.Peerings = append(v.Peerings, peeringFrom(p, file, r.ID.Raw))
		}
		s.VNets = append(s.VNets, v)
	case tSubnet:
		s.Subnets = append(s.Subnets, subnetFrom(b, file, r.ID.Parent().Raw))
	case tPeering:
		s.Peerings = append(s.Peerings, peeringFrom(b, file, r.ID.Parent().Raw))
	case tNSG:
		n := &armset.NSG{Src: src, Name: r.Name}
		for _, ru := range jsonobj.Objs(b, "securityRules") {
			n.Rules = append(n.Rules, nsgRuleFrom(ru, file, r.ID.Raw))
		}
		s.NSGs = append(s.NSGs, n)
	case tNSGRule:
		s.NSGRules = append(s.NSGRules, nsgRuleFrom(b, file, r.ID.Parent().Raw))
	case tRouteTable:
		t := &armset.RouteTable{Src: src, Name: r.Name, DisableBGP: jsonobj.BoolOr(b, "disableBgpRoutePropagation", false)}
		for _, ro := range jsonobj.Objs(b, "routes") {
			t.Routes = append(t.Routes, routeFrom(ro, file, r.ID.Raw))
		}
		s.RouteTables = append(s.RouteTables, t)
	case tRoute:
		s.Routes = append(s.Routes, routeFrom(b, file, r.ID.Parent().Raw))
	case tNIC:
		n := &armset.NIC{Src: src, Name: r.Name, VMID: jsonobj.Ref(b, "virtualMachine"), NSGID: jsonobj.Ref(b, "networkSecurityGroup"),
			IPForwarding: jsonobj.BoolOr(b, "enableIPForwarding", false), MAC: jsonobj.Str(b, "macAddress"), PrivateEndpointID: jsonobj.Ref(b, "privateEndpoint"), Tags: jsonobj.StrMap(b, "tags"),
			DNSServers: jsonobj.Strs(jsonobj.Obj(b, "dnsSettings"), "dnsServers")}
		for _, c := range jsonobj.Objs(b, "ipConfigurations") {
			ic := armset.IPConfig{Name: jsonobj.Str(c, "name"), IP: jsonobj.Str(c, "privateIPAddress"),
				SubnetID: jsonobj.Ref(c, "subnet"), PublicIPID: jsonobj.Ref(c, "publicIPAddress"), ASGIDs: jsonobj.Refs(c, "applicationSecurityGroups"),
				Primary: jsonobj.BoolOr(c, "primary", false)}
			ic.LBPoolIDs, ic.LBNATRuleIDs = nicLBRefs(c)
			ic.GatewayLBID = jsonobj.Ref(c, "gatewayLoadBalancer")
			n.IPConfigs = append(n.IPConfigs, ic)
		}
		s.NICs = append(s.NICs, n)
	case tPE:
		s.PEs = append(s.PEs, peFrom(b, src, r.Name))
	case tFirewall:
		s.Firewalls = append(s.Firewalls, firewallFrom(b, src, r.Name))
	case tPolicy:
		p := &armset.Policy{Src: src, Name: r.Name, BasePolicyID: jsonobj.Ref(b, "basePolicy"), ThreatIntelMode: jsonobj.Str(b, "threatIntelMode"),
			DNSProxy: jsonobj.BoolOr(jsonobj.Obj(b, "dnsSettings"), "enableProxy", false), RCGIDs: jsonobj.Refs(b, "ruleCollectionGroups"), Tags: jsonobj.StrMap(b, "tags"),
			Allowlist: jsonobj.Strs(jsonobj.Obj(b, "threatIntelWhitelist"), "ipAddresses")}
		if sn := jsonobj.Obj(b, "snat"); sn != nil {
			p.SNATPrivateRanges = jsonobj.Strs(sn, "privateRanges")
		}
		s.Policies = append(s.Policies, p)
	case tRCG:
		g := &armset.RuleCollectionGroup{Src: src, PolicyID: r.ID.Parent().Raw, Name: r.Name}
		g.Priority, _ = jsonobj.Int(b, "priority")
		for _, c := range jsonobj.Objs(b, "ruleCollections") {
			g.Collections = append(g.Collections, policyCollectionFrom(c))
		}
		s.RCGs = append(s.RCGs, g)
	case tIPGroup:
		s.IPGroups = append(s.IPGroups, &armset.IPGroup{Src: src, Name: r.Name, Addresses: jsonobj.Strs(b, "ipAddresses")})
	case tASG:
		s.ASGs = append(s.ASGs, &armset.ASG{Src: src, Name: r.Name})
	case tPublicIP:
		s.PublicIPs = append(s.PublicIPs, &armset.PublicIP{Src: src, Name: r.Name, IP: jsonobj.Str(b, "ipAddress"), IPConfigID: jsonobj.Ref(b, "ipConfiguration")})
	case tGateway:
		s.Gateways = append(s.Gateways, gatewayFrom(b, src, r.Name))
	case tLocalGW:
		g := &armset.LocalGateway{Src: src, Name: r.Name, Prefixes: jsonobj.Strs(jsonobj.Obj(b, "localNetworkAddressSpace"), "addressPrefixes"),
			GatewayIP: jsonobj.Str(b, "gatewayIpAddress"), Tags: jsonobj.StrMap(b, "tags")}
		g.ASN, _ = jsonobj.Int(jsonobj.Obj(b, "bgpSettings"), "asn")
		s.LocalGateways = append(s.LocalGateways, g)
	case tConnection:
		s.Connections = append(s.Connections, &armset.Connection{Src: src, Name: r.Name, Type: jsonobj.Str(b, "connectionType"),
			Gateway1ID: jsonobj.Ref(b, "virtualNetworkGateway1"), Gateway2ID: jsonobj.Ref(b, "virtualNetworkGateway2"),
			LocalGatewayID: jsonobj.Ref(b, "localNetworkGateway2"), Status: jsonobj.Str(b, "connectionStatus"),
			IngressNATIDs: jsonobj.Refs(b, "ingressNatRules"), EgressNATIDs: jsonobj.Refs(b, "egressNatRules"), Tags: jsonobj.StrMap(b, "tags")})
	default:
		if why, ok := azIgnored[r.Type]; ok {
			return fmt.Sprintf("%s skipped: %s", r.Type, why), nil
		}
		return fmt.Sprintf("unknown resource type %q skipped", r.Type), nil
	}
	return "", nil
}

func rgOf(b map[string]any, id arm.ID) string {
	if rg := jsonobj.Str(b, "resourceGroup"); rg != "" {
		return rg
	}
	return id.ResourceGroup
}

func subnetFrom(b map[string]any, file, vnetID string) *armset.Subnet {
	s := &armset.Subnet{Src: armset.Src{File: file, ID: jsonobj.Str(b, "id")}, VNetID: vnetID, Name: jsonobj.Str(b, "name"),
		Prefixes: jsonobj.Strs(b, "addressPrefixes"), NSGID: jsonobj.Ref(b, "networkSecurityGroup"), RouteTableID: jsonobj.Ref(b, "routeTable"),
		NATGWID: jsonobj.Ref(b, "natGateway"), PENetworkPolicies: jsonobj.Str(b, "privateEndpointNetworkPolicies")}
	if len(s.Prefixes) == 0 {
		s.Prefixes = jsonobj.Strs(b, "addressPrefix")
	}
	if s.ID == "" && vnetID != "" {
		s.ID = vnetID + "/subnets/" + s.Name
	}
	if s.Name == "" {
		s.Name = arm.ParseID(s.ID).Name()
	}
	for _, se := range jsonobj.Objs(b, "serviceEndpoints") {
		if v := jsonobj.Str(se, "service"); v != "" {
			s.ServiceEndpoints = append(s.ServiceEndpoints, v)
		}
	}
	if v, ok := jsonobj.Bool(b, "defaultOutboundAccess"); ok {
		s.DefaultOutboundAccess = &v
	}
	return s
}

func peeringFrom(b map[string]any, file, vnetID string) *armset.Peering {
	p := &armset.Peering{Src: armset.Src{File: file, ID: jsonobj.Str(b, "id")}, VNetID: vnetID, Name: jsonobj.Str(b, "name"),
		RemoteVNetID: jsonobj.Ref(b, "remoteVirtualNetwork"), AllowVNetAccess: jsonobj.BoolOr(b, "allowVirtualNetworkAccess", true),
		AllowForwarded: jsonobj.BoolOr(b, "allowForwardedTraffic", false), AllowGatewayTransit: jsonobj.BoolOr(b, "allowGatewayTransit", false),
		UseRemoteGateways: jsonobj.BoolOr(b, "useRemoteGateways", false), State: jsonobj.Str(b, "peeringState"),
		RemoteAddressSpace: jsonobj.Strs(jsonobj.Obj(b, "remoteAddressSpace"), "addressPrefixes")}
	if p.Name == "" {
		p.Name = arm.ParseID(p.ID).Name()
	}
	return p
}

func nsgRuleFrom(b map[string]any, file, nsgID string) *armset.NSGRule {
	r := &armset.NSGRule{Src: armset.Src{File: file, ID: jsonobj.Str(b, "id")}, NSGID: nsgID, Name: jsonobj.Str(b, "name"),
		Direction: jsonobj.Str(b, "direction"), Access: jsonobj.Str(b, "access"), Protocol: jsonobj.Str(b, "protocol"),
		Sources:          arm.Union(jsonobj.Strs(b, "sourceAddressPrefixes"), jsonobj.Strs(b, "sourceAddressPrefix")),
		Destinations:     arm.Union(jsonobj.Strs(b, "destinationAddressPrefixes"), jsonobj.Strs(b, "destinationAddressPrefix")),
		SourceASGs:       jsonobj.Refs(b, "sourceApplicationSecurityGroups"),
		DestinationASGs:  jsonobj.Refs(b, "destinationApplicationSecurityGroups"),
		SourcePorts:      arm.Union(jsonobj.Strs(b, "sourcePortRanges"), jsonobj.Strs(b, "sourcePortRange")),
		DestinationPorts: arm.Union(jsonobj.Strs(b, "destinationPortRanges"), jsonobj.Strs(b, "destinationPortRange")),
		Description:      jsonobj.Str(b, "description")}
	r.Priority, _ = jsonobj.Int(b, "priority")
	if r.Name == "" {
		r.Name = arm.ParseID(r.ID).Name()
	}
	return r
}

func routeFrom(b map[string]any, file, rtID string) *armset.Route {
	r := &armset.Route{Src: armset.Src{File: file, ID: jsonobj.Str(b, "id")}, RouteTableID: rtID, Name: jsonobj.Str(b, "name"),
		Prefix: jsonobj.Str(b, "addressPrefix"), NextHop: jsonobj.Str(b, "nextHopType"), NextHopIP: jsonobj.Str(b, "nextHopIpAddress")}
	if r.Name == "" {
		r.Name = arm.ParseID(r.ID).Name()
	}
	return r
}

func peFrom(b map[string]any, src armset.Src, name string) *armset.PrivateEndpoint {
	p := &armset.PrivateEndpoint{Src: src, Name: name, SubnetID: jsonobj.Ref(b, "subnet"), NICIDs: jsonobj.Refs(b, "networkInterfaces"),
		ASGIDs: jsonobj.Refs(b, "applicationSecurityGroups")}
	for _, c := range jsonobj.Objs(b, "ipConfigurations") {
		if ip := jsonobj.Str(c, "privateIPAddress"); ip != "" {
			p.IPs = append(p.IPs, ip)
		}
	}
	for _, c := range jsonobj.Objs(b, "customDnsConfigs") {
		p.IPs = arm.Union(p.IPs, jsonobj.Strs(c, "ipAddresses"))
		if f := jsonobj.Str(c, "fqdn"); f != "" {
			p.FQDNs = append(p.FQDNs, f)
		}
	}
	conns := append(jsonobj.Objs(b, "privateLinkServiceConnections"), jsonobj.Objs(b, "manualPrivateLinkServiceConnections")...)
	if len(conns) > 0 {
		c := conns[0]
		p.TargetID = jsonobj.Str(c, "privateLinkServiceId")
		p.GroupIDs = jsonobj.Strs(c, "groupIds")
		p.ConnectionState = jsonobj.Str(jsonobj.Obj(c, "privateLinkServiceConnectionState"), "status")
	}
	return p
}

func firewallFrom(b map[string]any, src armset.Src, name string) *armset.Firewall {
	f := &armset.Firewall{Src: src, Name: name, PolicyID: jsonobj.Ref(b, "firewallPolicy"), ThreatIntelMode: jsonobj.Str(b, "threatIntelMode"), Tags: jsonobj.StrMap(b, "tags")}
	if sku := jsonobj.Obj(b, "sku"); sku != nil {
		f.SkuName, f.SkuTier = jsonobj.Str(sku, "name"), jsonobj.Str(sku, "tier")
	}
	for i, c := range jsonobj.Objs(b, "ipConfigurations") {
		if i == 0 || f.PrivateIP == "" {
			f.PrivateIP = jsonobj.Str(c, "privateIPAddress")
		}
		if sid := jsonobj.Ref(c, "subnet"); sid != "" {
			f.SubnetID = sid
		}
		if pid := jsonobj.Ref(c, "publicIPAddress"); pid != "" {
			f.PublicIPIDs = append(f.PublicIPIDs, pid)
		}
	}
	if m := jsonobj.Obj(b, "managementIpConfiguration"); m != nil {
		f.MgmtSubnetID, f.MgmtPublicIPID = jsonobj.Ref(m, "subnet"), jsonobj.Ref(m, "publicIPAddress")
	}
	f.HubID = jsonobj.Ref(b, "virtualHub")
	if h := jsonobj.Obj(b, "hubIPAddresses"); h != nil {
		if f.PrivateIP == "" {
			f.PrivateIP = jsonobj.Str(h, "privateIPAddress")
		}
		for _, a := range jsonobj.Objs(jsonobj.Obj(h, "publicIPs"), "addresses") {
			if ip := jsonobj.Str(a, "address"); ip != "" {
				f.PublicIPs = append(f.PublicIPs, ip)
			}
		}
	}
	if ap := jsonobj.Obj(b, "additionalProperties"); ap != nil {
		if v, ok := jsonobj.Bool(ap, "Network.DNS.EnableProxy"); ok {
			f.DNSProxy = &v
		}
		for _, r := range strings.Split(jsonobj.Str(ap, "Network.SNAT.PrivateRanges"), ",") {
			if r = strings.TrimSpace(r); r != "" {
				f.ClassicSNAT = append(f.ClassicSNAT, r)
			}
		}
	}
	for _, kind := range []struct{ key, typ string }{{"natRuleCollections", "DNAT"}, {"networkRuleCollections", "Network"}, {"applicationRuleCollections", "Application"}} {
		for _, c := range jsonobj.Objs(b, kind.key) {
			rc := &armset.RuleCollection{Name: jsonobj.Str(c, "name"), Type: kind.typ, Action: jsonobj.Str(jsonobj.Obj(c, "action"), "type")}
			rc.Priority, _ = jsonobj.Int(c, "priority")
			if strings.EqualFold(rc.Action, "Dnat") {
				rc.Action = "DNAT"
			}
			for _, r := range jsonobj.Objs(c, "rules") {
				rc.Rules = append(rc.Rules, fwRuleFrom(r, kind.typ))
			}
			f.Classic = append(f.Classic, rc)
		}
	}
	return f
}

func policyCollectionFrom(c map[string]any) *armset.RuleCollection {
	rc := &armset.RuleCollection{Name: jsonobj.Str(c, "name"), Action: jsonobj.Str(jsonobj.Obj(c, "action"), "type")}
	rc.Priority, _ = jsonobj.Int(c, "priority")
	switch {
	case strings.EqualFold(jsonobj.Str(c, "ruleCollectionType"), "FirewallPolicyNatRuleCollection"):
		rc.Type = "DNAT"
	case jsonobj.Str(c, arm.KeyCollectionType) == topology.RCApplication:
		rc.Type = topology.RCApplication
	default:
		rc.Type = topology.RCNetwork
		for _, r := range jsonobj.Objs(c, "rules") {
			if strings.EqualFold(jsonobj.Str(r, "ruleType"), "ApplicationRule") {
				rc.Type = topology.RCApplication
			}
		}
	}
	if strings.EqualFold(rc.Action, "dnat") {
		rc.Action = "DNAT"
	}
	for _, r := range jsonobj.Objs(c, "rules") {
		rc.Rules = append(rc.Rules, fwRuleFrom(r, rc.Type))
	}
	return rc
}

// fwRuleFrom reads a firewall rule in either the policy or the classic
// shape (they differ in the protocol and translated-address keys).
func fwRuleFrom(r map[string]any, typ string) *armset.FirewallRule {
	f := &armset.FirewallRule{Name: jsonobj.Str(r, "name"), SourceAddresses: jsonobj.Strs(r, "sourceAddresses"), SourceIPGroups: jsonobj.Strs(r, "sourceIpGroups"),
		DestinationAddresses: jsonobj.Strs(r, "destinationAddresses"), DestinationIPGroups: jsonobj.Strs(r, "destinationIpGroups"),
		DestinationFQDNs: jsonobj.Strs(r, "destinationFqdns"), DestinationPorts: jsonobj.Strs(r, "destinationPorts"),
		TargetFQDNs: jsonobj.Strs(r, "targetFqdns"), FQDNTags: jsonobj.Strs(r, "fqdnTags"), WebCategories: jsonobj.Strs(r, "webCategories"),
		TranslatedAddress: jsonobj.Str(r, "translatedAddress"), TranslatedFQDN: jsonobj.Str(r, "translatedFqdn"), TranslatedPort: jsonobj.Str(r, "translatedPort")}
	if typ == "Application" {
		for _, p := range jsonobj.Objs(r, "protocols") {
			t := jsonobj.Str(p, "protocolType")
			if port := jsonobj.Str(p, "port"); port != "" {
				t += ":" + port
			}
			f.Protocols = append(f.Protocols, t)
		}
	} else {
		f.Protocols = arm.Union(jsonobj.Strs(r, "ipProtocols"), jsonobj.Strs(r, "protocols"))
	}
	return f
}

func gatewayFrom(b map[string]any, src armset.Src, name string) *armset.Gateway {
	g := &armset.Gateway{Src: src, Name: name, Type: jsonobj.Str(b, "gatewayType"), VPNType: jsonobj.Str(b, "vpnType"),
		ActiveActive: jsonobj.BoolOr(b, "activeActive", false), BGP: jsonobj.BoolOr(b, "enableBgp", false),
		RouteTranslationForNAT: jsonobj.BoolOr(b, "enableBgpRouteTranslationForNat", false), Tags: jsonobj.StrMap(b, "tags")}
	if sku := jsonobj.Obj(b, "sku"); sku != nil {
		g.SKU = jsonobj.Str(sku, "name")
	}
	g.ASN, _ = jsonobj.Int(jsonobj.Obj(b, "bgpSettings"), "asn")
	// Active-active gateways list one address per instance, comma-separated.
	g.BGPPeeringAddress, _, _ = strings.Cut(jsonobj.Str(jsonobj.Obj(b, "bgpSettings"), "bgpPeeringAddress"), ",")
	for _, c := range jsonobj.Objs(b, "ipConfigurations") {
		if sid := jsonobj.Ref(c, "subnet"); sid != "" && g.SubnetID == "" {
			g.SubnetID = sid
		}
		if pid := jsonobj.Ref(c, "publicIPAddress"); pid != "" {
			g.PublicIPIDs = append(g.PublicIPIDs, pid)
		}
	}
	for _, n := range jsonobj.Objs(b, "natRules") {
		r := armset.GatewayNATRule{ID: jsonobj.Str(n, "id"), Name: jsonobj.Str(n, "name"), Mode: jsonobj.Str(n, "mode"), Type: jsonobj.Str(n, "type")}
		if t := jsonobj.Str(n, "properties.type"); t != "" {
			r.Type = t
		} else if strings.Contains(r.Type, "/") { // the child's resource type, not the rule type
			r.Type = ""
		}
		for _, m := range jsonobj.Objs(n, "internalMappings") {
			r.Internal = append(r.Internal, jsonobj.Strs(m, "addressSpace")...)
		}
		for _, m := range jsonobj.Objs(n, "externalMappings") {
			r.External = append(r.External, jsonobj.Strs(m, "addressSpace")...)
		}
		g.NATRules = append(g.NATRules, r)
	}
	return g
}

// azKnownTypes are the types add reads.
var azKnownTypes = map[string]bool{tVNet: true, tSubnet: true, tPeering: true, tNSG: true, tNSGRule: true, tRouteTable: true,
	tRoute: true, tNIC: true, tPE: true, tFirewall: true, tPolicy: true, tRCG: true, tIPGroup: true, tASG: true, tPublicIP: true,
	tGateway: true, tLocalGW: true, tConnection: true}

// srcOf is where r came from: its id, or its name when it has none.
func srcOf(file string, r Resource) armset.Src {
	src := armset.Src{File: file, ID: r.ID.Raw}
	if src.ID == "" {
		src.Where = r.Name
	}
	return src
}

// bareNote is the note for a recognised resource listed without its
// properties.
func bareNote(typ string) string {
	return typ + " has no resource fields (an 'az resource list' row, or a Resource Graph query without 'properties' in its project); skipped"
}
