// Package export writes a topology.Network in Azure's formats: an ARM list
// response (ARM), az CLI output (AZCLI) and terraform show -json
// (TerraformState). Each reads back through package load to the same
// answers; design facts Azure has no field for travel as the tags of
// package arm.
package export

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// Defaults for the ids of resources that have none (designed networks).
const (
	Subscription  = "00000000-0000-0000-0000-000000000000"
	ResourceGroup = "pathproof"
)

// exporter turns a Network into ARM resources in the nested REST shape.
type exporter struct {
	n     *topology.Network
	out   []map[string]any
	notes []string
	vnets map[*topology.VNet]map[string]any
}

// ARM writes net as an ARM list response ({"value": [...]}) in the
// nested REST shape: every resource with its fields under "properties",
// references as {"id"} objects. Resources without an id get one in
// subscription Subscription, resource group ResourceGroup.
// Design facts Azure has no field for travel as "pathproof-*" tags. The
// notes say what could not be written (Internet hosts). Admin rules become
// Virtual Network Manager resources.
func ARM(net *topology.Network) ([]byte, []string, error) {
	rs, notes := exportResources(net)
	items := make([]any, len(rs))
	for i, r := range rs {
		items[i] = r
	}
	b, err := json.MarshalIndent(map[string]any{"value": items}, "", "  ")
	return b, notes, err
}

// AZCLI writes net the way `az ... list -o json` prints it: a JSON
// array, every "properties" object merged into its parent, a
// "resourceGroup" key beside every id, keys sorted.
func AZCLI(net *topology.Network) ([]byte, []string, error) {
	rs, notes := exportResources(net)
	items := make([]any, len(rs))
	for i, r := range rs {
		items[i] = addResourceGroup(arm.Flatten(r))
	}
	b, err := json.MarshalIndent(items, "", "  ")
	return b, notes, err
}

// addResourceGroup applies az CLI's second output rule: every object with
// an id naming a resource group gets "resourceGroup" (sourceVault is not
// descended into).
func addResourceGroup(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if k != "sourceVault" {
				t[k] = addResourceGroup(x)
			}
		}
		if id, ok := t["id"].(string); ok {
			if rg := arm.ParseID(id).ResourceGroup; rg != "" {
				if _, has := t["resourceGroup"]; !has {
					t["resourceGroup"] = rg
				}
			}
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = addResourceGroup(x)
		}
	}
	return v
}

func exportResources(net *topology.Network) ([]map[string]any, []string) {
	net.EnsureIndex()
	e := &exporter{n: net, vnets: map[*topology.VNet]map[string]any{}}
	e.vnetsOut()
	e.routeTablesOut()
	e.nsgsOut()
	for _, a := range net.ASGs {
		e.add(e.asgID(a), a.Name, "Microsoft.Network/applicationSecurityGroups", map[string]any{}, nil)
	}
	e.nicsOut()
	e.pesOut()
	e.policiesOut()
	e.firewallsOut()
	for _, g := range net.IPGroups {
		e.add(e.idOf(g.ID, "ipGroups", g.Name), g.Name, "Microsoft.Network/ipGroups", map[string]any{"ipAddresses": list(g.Addresses)}, nil)
	}
	e.gatewaysOut()
	e.sitesOut()
	e.connectionsOut()
	e.adminRulesOut()
	e.loadBalancersOut()
	e.natGatewaysOut()
	e.vwanOut()
	e.privateDNSOut()
	if len(net.InternetHosts) > 0 {
		e.notes = append(e.notes, fmt.Sprintf("%d Internet host(s) not exported (not Azure resources)", len(net.InternetHosts)))
	}
	return e.out, e.notes
}

// idOf returns id, or a made-up id for a resource of type typ (plural
// segment, e.g. "virtualNetworks") named name.
func (e *exporter) idOf(id, typ, name string) string {
	if id != "" {
		return id
	}
	return "/subscriptions/" + Subscription + "/resourceGroups/" + ResourceGroup + "/providers/Microsoft.Network/" + typ + "/" + name
}

func (e *exporter) add(id, name, typ string, props map[string]any, tags map[string]string) map[string]any {
	r := map[string]any{"id": id, "name": name, "type": typ, "properties": props}
	if len(tags) > 0 {
		r["tags"] = tags
	}
	e.out = append(e.out, r)
	return r
}

// policyTags, gatewayTags and siteTags carry the design facts Azure has no
// property for as pathproof-* tags (the ARM and Terraform exports share them).
func policyTags(p *topology.FirewallPolicy) map[string]string {
	tags := map[string]string{}
	if len(p.DNSRecords) > 0 {
		var kv []string
		for _, r := range p.DNSRecords {
			kv = append(kv, r.FQDN+"="+r.IP.String())
		}
		tags[arm.TagDNSRecords] = strings.Join(kv, ",")
	}
	if len(p.ThreatIntelIPs) > 0 {
		tags[arm.TagThreatIntelIPs] = strings.Join(p.ThreatIntelIPs, ",")
	}
	return tags
}

func gatewayTags(g *topology.Gateway) map[string]string {
	tags := map[string]string{}
	if len(g.InstanceIPs) > 0 {
		var s []string
		for _, ip := range g.InstanceIPs {
			s = append(s, ip.String())
		}
		tags[arm.TagInstanceIPs] = strings.Join(s, ",")
	}
	if len(g.InstanceMACs) > 0 {
		tags[arm.TagInstanceMACs] = strings.Join(g.InstanceMACs, ",")
	}
	return tags
}

func siteTags(s *topology.OnPremSite) map[string]string {
	tags := map[string]string{}
	if s.DefaultRouteToInternet {
		tags[arm.TagDefaultInternet] = "true"
	}
	if len(s.Hosts) > 0 {
		var kv []string
		for _, h := range s.Hosts {
			kv = append(kv, h.Name+"="+h.IP.String())
		}
		tags[arm.TagHosts] = strings.Join(kv, ",")
	}
	return tags
}

// peTargetID makes up the id of a private endpoint's target resource (named
// after the first label of its FQDN), or "" when the design names no type.
func peTargetID(p *topology.PrivateEndpoint) string {
	if p.Target.ResourceType == "" {
		return ""
	}
	tname := p.Name + "-target"
	if p.Target.FQDN != "" {
		tname, _, _ = strings.Cut(p.Target.FQDN, ".")
	}
	return "/subscriptions/" + Subscription + "/resourceGroups/" + ResourceGroup + "/providers/" + p.Target.ResourceType + "/" + tname
}

func refObj(id string) map[string]any { return map[string]any{"id": id} }

func list(s []string) []any {
	out := make([]any, 0, len(s))
	for _, x := range s {
		out = append(out, x)
	}
	return out
}

func prefixList(ps []netip.Prefix) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func (e *exporter) vnetID(v *topology.VNet) string { return e.idOf(v.ID, "virtualNetworks", v.Name) }

func (e *exporter) subnetID(s *topology.Subnet) string {
	if s.ID != "" {
		return s.ID
	}
	return e.vnetID(s.VNet()) + "/subnets/" + s.Name
}

func (e *exporter) rtID(r *topology.RouteTable) string { return e.idOf(r.ID, "routeTables", r.Name) }
func (e *exporter) nsgID(g *topology.NSG) string {
	return e.idOf(g.ID, "networkSecurityGroups", g.Name)
}
func (e *exporter) asgID(a *topology.ASG) string {
	return e.idOf(a.ID, "applicationSecurityGroups", a.Name)
}

// subnetRef resolves a subnet reference to its exported id ("" if dangling:
// the reference is then written as given, so the loader reports it).
func (e *exporter) subnetRef(ref string) string {
	if s := e.n.Subnet(ref); s != nil && s.VNet() != nil {
		return e.subnetID(s)
	}
	return ref
}

func (e *exporter) vnetsOut() {
	for _, v := range e.n.VNets {
		var subnets []any
		for _, s := range v.Subnets {
			p := map[string]any{}
			if len(s.AdditionalPrefixes) > 0 {
				p["addressPrefixes"] = prefixList(s.Prefixes())
			} else if s.Prefix.IsValid() {
				p["addressPrefix"] = s.Prefix.String()
			}
			if g := e.n.NSG(s.NSG); g != nil {
				p["networkSecurityGroup"] = refObj(e.nsgID(g))
			} else if s.NSG != "" {
				p["networkSecurityGroup"] = refObj(s.NSG)
			}
			if r := e.n.RouteTable(s.RouteTable); r != nil {
				p["routeTable"] = refObj(e.rtID(r))
			} else if s.RouteTable != "" {
				p["routeTable"] = refObj(s.RouteTable)
			}
			if len(s.ServiceEndpoints) > 0 {
				var ses []any
				for _, se := range s.ServiceEndpoints {
					ses = append(ses, map[string]any{"service": se, "locations": []any{"*"}})
				}
				p["serviceEndpoints"] = ses
			}
			p["privateEndpointNetworkPolicies"] = s.PEPolicy()
			if s.DefaultOutboundAccess != nil {
				p["defaultOutboundAccess"] = *s.DefaultOutboundAccess
			}
			subnets = append(subnets, map[string]any{"id": e.subnetID(s), "name": s.Name, "type": "Microsoft.Network/virtualNetworks/subnets", "properties": p})
		}
		props := map[string]any{"addressSpace": map[string]any{"addressPrefixes": prefixList(v.AddressSpace)},
			"subnets": orEmpty(subnets), "virtualNetworkPeerings": []any{}}
		if d := dhcpOptions(v.DNSServers); d != nil {
			props["dhcpOptions"] = d
		}
		loc := v.Region
		r := e.add(e.vnetID(v), v.Name, "Microsoft.Network/virtualNetworks", props, nil)
		if loc != "" {
			r["location"] = loc
		}
		e.vnets[v] = props
	}
	for _, p := range e.n.Peerings {
		local, remote := p.Local(), p.Remote()
		if local == nil {
			e.notes = append(e.notes, fmt.Sprintf("peering %s->%s not exported: VNet %q not found", p.VNet, p.RemoteVNet, p.VNet))
			continue
		}
		remoteID := p.RemoteVNet
		if remote != nil {
			remoteID = e.vnetID(remote)
		}
		name := p.Name
		if name == "" {
			name = local.Name + "-to-" + arm.LastSegment(p.RemoteVNet)
		}
		id := p.ID
		if id == "" {
			id = e.vnetID(local) + "/virtualNetworkPeerings/" + name
		}
		state := p.State
		if state == "" {
			state = "Connected"
		}
		props := map[string]any{"remoteVirtualNetwork": refObj(remoteID), "allowVirtualNetworkAccess": p.VNetAccess(),
			"allowForwardedTraffic": p.AllowForwardedTraffic, "allowGatewayTransit": p.AllowGatewayTransit,
			"useRemoteGateways": p.UseRemoteGateways, "peeringState": state}
		if remote != nil {
			props["remoteAddressSpace"] = map[string]any{"addressPrefixes": prefixList(remote.AddressSpace)}
		}
		vp := e.vnets[local]
		vp["virtualNetworkPeerings"] = append(vp["virtualNetworkPeerings"].([]any),
			map[string]any{"id": id, "name": name, "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "properties": props})
	}
}

func orEmpty(a []any) []any {
	if a == nil {
		return []any{}
	}
	return a
}

func (e *exporter) routeTablesOut() {
	for _, t := range e.n.RouteTables {
		var routes []any
		for _, r := range t.Routes {
			p := map[string]any{"addressPrefix": r.Prefix, "nextHopType": r.NextHopType}
			if r.NextHopIP.IsValid() {
				p["nextHopIpAddress"] = r.NextHopIP.String()
			}
			if len(r.NextHopIPs) > 0 {
				e.notes = append(e.notes, fmt.Sprintf("route %s/%s: ECMP next hops not exported", t.Name, r.Name))
			}
			routes = append(routes, map[string]any{"id": e.rtID(t) + "/routes/" + r.Name, "name": r.Name, "properties": p})
		}
		e.add(e.rtID(t), t.Name, "Microsoft.Network/routeTables", map[string]any{"disableBgpRoutePropagation": t.DisableBGPRoutePropagation, "routes": orEmpty(routes)}, nil)
	}
}

func (e *exporter) nsgsOut() {
	for _, g := range e.n.NSGs {
		var rules []any
		for _, r := range g.Rules {
			p := map[string]any{"priority": r.Priority, "direction": r.Direction, "access": r.Access, "protocol": r.Protocol}
			e.side(p, "source", r.Source)
			e.side(p, "destination", r.Destination)
			portField(p, "sourcePortRange", r.SourcePorts)
			portField(p, "destinationPortRange", r.DestinationPorts)
			rules = append(rules, map[string]any{"id": e.nsgID(g) + "/securityRules/" + r.Name, "name": r.Name,
				"type": "Microsoft.Network/networkSecurityGroups/securityRules", "properties": p})
		}
		e.add(e.nsgID(g), g.Name, "Microsoft.Network/networkSecurityGroups", map[string]any{"securityRules": orEmpty(rules)}, nil)
	}
}

// side writes one side of a security rule: prefixes singular or plural,
// "asg:" entries as application security group references.
func (e *exporter) side(p map[string]any, which string, entries []string) {
	var prefixes []string
	var asgs []any
	for _, s := range entries {
		if ref, ok := strings.CutPrefix(s, "asg:"); ok {
			id := ref
			if a := e.n.ASG(ref); a != nil {
				id = e.asgID(a)
			}
			asgs = append(asgs, refObj(id))
			continue
		}
		prefixes = append(prefixes, s)
	}
	switch len(prefixes) {
	case 0:
	case 1:
		p[which+"AddressPrefix"] = prefixes[0]
	default:
		p[which+"AddressPrefixes"] = list(prefixes)
	}
	if len(asgs) > 0 {
		p[which+"ApplicationSecurityGroups"] = asgs
	}
}

func portField(p map[string]any, key string, ports []string) {
	switch len(ports) {
	case 0:
		p[key] = "*"
	case 1:
		p[key] = ports[0]
	default:
		p[key+"s"] = list(ports)
	}
}

// publicIP writes a public IP resource for addr and returns its id.
func (e *exporter) publicIP(owner string, i int, addr netip.Addr) string {
	name := owner + "-pip"
	if i > 0 {
		name = fmt.Sprintf("%s-pip%d", owner, i+1)
	}
	id := e.idOf("", "publicIPAddresses", name)
	e.add(id, name, "Microsoft.Network/publicIPAddresses", map[string]any{"ipAddress": addr.String(), "publicIPAllocationMethod": "Static",
		"publicIPAddressVersion": "IPv4"}, nil)
	return id
}

func (e *exporter) nicsOut() {
	for _, n := range e.n.NICs {
		id := e.idOf(n.ID, "networkInterfaces", n.Name)
		subnet := e.subnetRef(n.Subnet)
		var cfgs []any
		for i, ip := range append([]netip.Addr{n.IP}, n.AdditionalIPs...) {
			p := map[string]any{"privateIPAddress": ip.String(), "privateIPAllocationMethod": "Static", "subnet": refObj(subnet), "primary": i == 0}
			if i == 0 {
				if n.PublicIP.IsValid() {
					p["publicIPAddress"] = refObj(e.publicIP(n.Name, 0, n.PublicIP))
				}
				if g := e.n.GatewayFrontendRef(n.GatewayLB); g != nil {
					p["gatewayLoadBalancer"] = refObj(e.lbID(g.LB()) + "/frontendIPConfigurations/" + g.Name)
				} else if n.GatewayLB != "" {
					p["gatewayLoadBalancer"] = refObj(n.GatewayLB)
				}
				var asgs []any
				for _, a := range n.ASGs {
					if x := e.n.ASG(a); x != nil {
						asgs = append(asgs, refObj(e.asgID(x)))
					} else {
						asgs = append(asgs, refObj(a))
					}
				}
				if len(asgs) > 0 {
					p["applicationSecurityGroups"] = asgs
				}
			}
			cfgs = append(cfgs, map[string]any{"id": fmt.Sprintf("%s/ipConfigurations/ipconfig%d", id, i+1), "name": fmt.Sprintf("ipconfig%d", i+1), "properties": p})
		}
		props := map[string]any{"ipConfigurations": cfgs, "enableIPForwarding": n.IPForwarding}
		if n.MAC != "" {
			props["macAddress"] = n.MAC
		}
		if d := dhcpOptions(n.DNSServers); d != nil {
			props["dnsSettings"] = d // same shape: {"dnsServers": [...]}
		}
		if g := e.n.NSG(n.NSG); g != nil {
			props["networkSecurityGroup"] = refObj(e.nsgID(g))
		} else if n.NSG != "" {
			props["networkSecurityGroup"] = refObj(n.NSG)
		}
		if n.VM != "" {
			props["virtualMachine"] = refObj("/subscriptions/" + Subscription + "/resourceGroups/" + ResourceGroup + "/providers/Microsoft.Compute/virtualMachines/" + n.VM)
		}
		var tags map[string]string
		if n.NVA != nil {
			var parts []string
			if n.NVA.Stateful {
				parts = append(parts, "stateful")
			} else {
				parts = append(parts, "stateless")
			}
			if n.NVA.SNAT {
				parts = append(parts, "snat")
			}
			tags = map[string]string{arm.TagNVA: strings.Join(parts, ",")}
		}
		e.add(id, n.Name, "Microsoft.Network/networkInterfaces", props, tags)
	}
}

func (e *exporter) pesOut() {
	for _, p := range e.n.PrivateEndpoints {
		id := e.idOf(p.ID, "privateEndpoints", p.Name)
		nicName := p.Name + ".nic.0"
		nicID := e.idOf("", "networkInterfaces", nicName)
		subnet := e.subnetRef(p.Subnet)
		state := p.ConnectionState
		if state == "" {
			state = "Approved"
		}
		target := peTargetID(p)
		conn := map[string]any{"privateLinkServiceId": target, "privateLinkServiceConnectionState": map[string]any{"status": state}}
		if p.Target.Subresource != "" {
			conn["groupIds"] = []any{p.Target.Subresource}
		}
		props := map[string]any{"subnet": refObj(subnet), "networkInterfaces": []any{refObj(nicID)},
			"privateLinkServiceConnections": []any{map[string]any{"id": id + "/privateLinkServiceConnections/" + p.Name, "name": p.Name, "properties": conn}}}
		if p.Target.FQDN != "" {
			props["customDnsConfigs"] = []any{map[string]any{"fqdn": p.Target.FQDN, "ipAddresses": []any{p.IP.String()}}}
		}
		e.add(id, p.Name, "Microsoft.Network/privateEndpoints", props, nil)
		e.add(nicID, nicName, "Microsoft.Network/networkInterfaces", map[string]any{"privateEndpoint": refObj(id),
			"ipConfigurations": []any{map[string]any{"name": "privateEndpointIpConfig", "id": nicID + "/ipConfigurations/privateEndpointIpConfig",
				"properties": map[string]any{"privateIPAddress": p.IP.String(), "privateIPAllocationMethod": "Dynamic", "subnet": refObj(subnet), "primary": true}}}}, nil)
	}
}
