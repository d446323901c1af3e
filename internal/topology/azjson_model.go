package topology

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// Tags pathproof writes on exported resources to carry design facts Azure
// has no field for; the loader reads them back.
const (
	tagNVA             = "pathproof-nva"              // on a NIC: "stateful", "stateful,snat", "snat" or "stateless"
	tagDefaultInternet = "pathproof-default-internet" // on a local network gateway: "true" = the site breaks out to the Internet
	tagHosts           = "pathproof-hosts"            // on a local network gateway: "name=ip,..."
	tagLearned         = "pathproof-learned-prefixes" // on a connection: prefixes learned over it, comma-separated
	tagDNSRecords      = "pathproof-dns-records"      // on a firewall policy: "fqdn=ip,..."
	tagInstanceIPs     = "pathproof-instance-ips"     // on a gateway: instance private IPs, comma-separated
	tagClassicPolicy   = "pathproof-classic-policy"   // on a classic firewall: the design's policy name
	tagThreatIntelIPs  = "pathproof-threat-intel-ips" // on a firewall policy: the offline threat intelligence feed
	tagConnectionState = "pathproof-connection-state" // on a Terraform private endpoint: Azure's connection state, which state lacks
)

// azProblem is an error in an Azure input, naming the file and resource.
type azProblem struct {
	Src azSrc
	Msg string
}

func (p *azProblem) Error() string { return p.Src.String() + ": " + p.Msg }

// azMapper turns an azSet into a Network.
type azMapper struct {
	s      *azSet
	net    *Network
	errs   []error
	notes  []error
	pips   map[string]*azPublicIP // public IPs by id key
	peNICs map[string]*azNIC      // NICs owned by private endpoints, by id key
}

func (m *azMapper) errf(src azSrc, format string, a ...any) {
	m.errs = append(m.errs, &azProblem{Src: src, Msg: fmt.Sprintf(format, a...)})
}

func (m *azMapper) notef(src azSrc, format string, a ...any) {
	m.notes = append(m.notes, &azProblem{Src: src, Msg: fmt.Sprintf(format, a...)})
}

// toNetwork maps the intermediate form into the model. Errors name the
// file and resource; notes are warnings about what was ignored.
func (s *azSet) toNetwork() (*Network, []error, []error) {
	m := &azMapper{s: s, net: &Network{}, pips: map[string]*azPublicIP{}, peNICs: map[string]*azNIC{}}
	s.dedupe(m)
	s.mergeChildren(m)
	for _, p := range s.PublicIPs {
		m.pips[azIDKey(p.ID)] = p
	}
	for _, n := range s.NICs {
		if n.PrivateEndpointID != "" {
			m.peNICs[azIDKey(n.ID)] = n
		}
	}
	m.vnets()
	m.routeTables()
	m.nsgs()
	m.asgs()
	m.nics()
	m.privateEndpoints()
	m.policies()
	m.firewalls()
	m.ipGroups()
	m.gateways()
	m.onPrem()
	m.adminRules()
	s.collectRefs().useNames(m.net)
	return m.net, m.notes, m.errs
}

// mergeChildren attaches standalone subnets, peerings, rules and routes to
// their parents (az network vnet subnet list, Terraform azurerm_subnet, ...).
// A standalone child replaces an inline one with the same id.
func (s *azSet) mergeChildren(m *azMapper) {
	vnets := map[string]*azVNet{}
	for _, v := range s.VNets {
		vnets[azIDKey(v.ID)] = v
	}
	for _, sb := range s.Subnets {
		v := vnets[azIDKey(sb.VNetID)]
		if v == nil {
			m.errf(sb.azSrc, "subnet %q: its virtual network %s is not in the inputs", sb.Name, orNone(sb.VNetID))
			continue
		}
		v.Subnets = replaceByID(v.Subnets, sb, func(x *azSubnet) string { return x.ID })
	}
	for _, p := range s.Peerings {
		v := vnets[azIDKey(p.VNetID)]
		if v == nil {
			m.errf(p.azSrc, "peering %q: its virtual network %s is not in the inputs", p.Name, orNone(p.VNetID))
			continue
		}
		v.Peerings = replaceByID(v.Peerings, p, func(x *azPeering) string { return x.ID })
	}
	nsgs := map[string]*azNSG{}
	for _, n := range s.NSGs {
		nsgs[azIDKey(n.ID)] = n
	}
	for _, r := range s.NSGRules {
		n := nsgs[azIDKey(r.NSGID)]
		if n == nil {
			m.errf(r.azSrc, "security rule %q: its network security group %s is not in the inputs", r.Name, orNone(r.NSGID))
			continue
		}
		n.Rules = replaceByName(n.Rules, r, func(x *azNSGRule) string { return x.Name })
	}
	rts := map[string]*azRouteTable{}
	for _, t := range s.RouteTables {
		rts[azIDKey(t.ID)] = t
	}
	for _, r := range s.Routes {
		t := rts[azIDKey(r.RouteTableID)]
		if t == nil {
			m.errf(r.azSrc, "route %q: its route table %s is not in the inputs", r.Name, orNone(r.RouteTableID))
			continue
		}
		t.Routes = replaceByName(t.Routes, r, func(x *azRoute) string { return x.Name })
	}
	for sid, nsg := range s.SubnetNSG {
		if sb := s.findSubnet(sid); sb != nil {
			sb.NSGID = nsg
		}
	}
	for sid, rt := range s.SubnetRT {
		if sb := s.findSubnet(sid); sb != nil {
			sb.RouteTableID = rt
		}
	}
}

func (s *azSet) findSubnet(id string) *azSubnet {
	k := azIDKey(id)
	for _, v := range s.VNets {
		for _, sb := range v.Subnets {
			if azIDKey(sb.ID) == k {
				return sb
			}
		}
	}
	return nil
}

func replaceByID[T any](list []T, x T, id func(T) string) []T {
	for i, y := range list {
		if id(y) != "" && azIDKey(id(y)) == azIDKey(id(x)) {
			list[i] = x
			return list
		}
	}
	return append(list, x)
}

func replaceByName[T any](list []T, x T, name func(T) string) []T {
	for i, y := range list {
		if strings.EqualFold(name(y), name(x)) {
			list[i] = x
			return list
		}
	}
	return append(list, x)
}

// idOr returns id, or name for a resource written without an id.
func idOr(id, name string) string {
	if id != "" {
		return id
	}
	return name
}

func orNone(s string) string {
	if s == "" {
		return "(none given)"
	}
	return s
}

func src(a azSrc) Source { return Source{File: a.File, ID: a.label()} }

// prefix parses a CIDR; a bare address becomes a host prefix.
func (m *azMapper) prefix(a azSrc, what, s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p, true
	}
	if ip, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(ip, ip.BitLen()), true
	}
	m.errf(a, "%s %q is not a valid CIDR", what, s)
	return netip.Prefix{}, false
}

func (m *azMapper) prefixes(a azSrc, what string, ss []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		if p, ok := m.prefix(a, what, s); ok {
			out = append(out, p)
		}
	}
	return out
}

// addr parses an address; "172.20.2.16/28" (IP prefix assignment) yields
// its address part. Empty is the zero Addr without an error.
func (m *azMapper) addr(a azSrc, what, s string) netip.Addr {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		m.errf(a, "%s %q is not a valid IP address", what, s)
		return netip.Addr{}
	}
	return ip
}

func (m *azMapper) vnets() {
	for _, v := range m.s.VNets {
		nv := &VNet{Src: src(v.azSrc), Name: v.Name, ID: v.ID, Region: v.Location,
			AddressSpace: m.prefixes(v.azSrc, "address space", v.AddressSpace)}
		for _, sb := range v.Subnets {
			ss := sb.azSrc
			ns := &Subnet{Src: src(ss), Name: sb.Name, ID: sb.ID, NSG: sb.NSGID, RouteTable: sb.RouteTableID,
				ServiceEndpoints: sb.ServiceEndpoints, PrivateEndpointNetworkPolicies: sb.PENetworkPolicies}
			ps := m.prefixes(ss, "subnet prefix", sb.Prefixes)
			if len(ps) > 0 {
				ns.Prefix, ns.AdditionalPrefixes = ps[0], ps[1:]
			}
			if sb.NATGWID != "" {
				m.notef(ss, "NAT gateway association ignored (outbound source address is not modelled)")
			}
			nv.Subnets = append(nv.Subnets, ns)
		}
		for _, p := range v.Peerings {
			ps := p.azSrc
			np := &Peering{Src: src(ps), Name: p.Name, ID: p.ID, VNet: idOr(v.ID, v.Name), RemoteVNet: p.RemoteVNetID, State: p.State,
				AllowForwardedTraffic: p.AllowForwarded, AllowGatewayTransit: p.AllowGatewayTransit, UseRemoteGateways: p.UseRemoteGateways}
			access := p.AllowVNetAccess
			np.AllowVirtualNetworkAccess = &access
			if p.RemoteVNetID == "" {
				m.errf(ps, "peering %q has no remote virtual network", p.Name)
			}
			m.net.Peerings = append(m.net.Peerings, np)
		}
		m.net.VNets = append(m.net.VNets, nv)
	}
}

func (m *azMapper) routeTables() {
	for _, t := range m.s.RouteTables {
		nt := &RouteTable{Src: src(t.azSrc), Name: t.Name, ID: t.ID, DisableBGPRoutePropagation: t.DisableBGP}
		for _, r := range t.Routes {
			rs := r.azSrc
			if rs.ID == "" {
				rs.ID = t.ID + "/routes/" + r.Name
			}
			nr := &Route{Src: src(rs), Name: r.Name, Prefix: r.Prefix, NextHopType: r.NextHop}
			if strings.ContainsAny(r.Prefix, "./:") {
				m.prefix(rs, "route prefix", r.Prefix)
			}
			nr.NextHopIP = m.addr(rs, "next hop address", r.NextHopIP)
			nt.Routes = append(nt.Routes, nr)
		}
		m.net.RouteTables = append(m.net.RouteTables, nt)
	}
}

func (m *azMapper) nsgs() {
	for _, n := range m.s.NSGs {
		nn := &NSG{Src: src(n.azSrc), Name: n.Name, ID: n.ID}
		rules := append([]*azNSGRule(nil), n.Rules...)
		sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
		for _, r := range rules {
			rs := r.azSrc
			if rs.ID == "" {
				rs.ID = n.ID + "/securityRules/" + r.Name
			}
			nr := &SecurityRule{Src: src(rs), Name: r.Name, Priority: r.Priority, Direction: r.Direction, Access: r.Access,
				Protocol: r.Protocol, Source: r.Sources, SourcePorts: r.SourcePorts, Destination: r.Destinations,
				DestinationPorts: r.DestinationPorts}
			for _, a := range r.SourceASGs {
				nr.Source = append(nr.Source, "asg:"+a)
			}
			for _, a := range r.DestinationASGs {
				nr.Destination = append(nr.Destination, "asg:"+a)
			}
			for _, s := range append(append([]string(nil), r.Sources...), r.Destinations...) {
				if strings.ContainsAny(s, "./:") {
					m.prefix(rs, "address prefix", s)
				}
			}
			nn.Rules = append(nn.Rules, nr)
		}
		m.net.NSGs = append(m.net.NSGs, nn)
	}
}

func (m *azMapper) asgs() {
	for _, a := range m.s.ASGs {
		m.net.ASGs = append(m.net.ASGs, &ASG{Src: src(a.azSrc), Name: a.Name, ID: a.ID})
	}
}

func (m *azMapper) nics() {
	for _, n := range m.s.NICs {
		if n.PrivateEndpointID != "" {
			continue // represented by its private endpoint
		}
		nn := &NIC{Src: src(n.azSrc), Name: n.Name, ID: n.ID, NSG: n.NSGID, IPForwarding: n.IPForwarding}
		if n.VMID != "" {
			nn.VM = ParseAzureID(n.VMID).Name()
		}
		cfgs := append([]azIPConfig(nil), n.IPConfigs...)
		sort.SliceStable(cfgs, func(i, j int) bool { return cfgs[i].Primary && !cfgs[j].Primary })
		if len(cfgs) == 0 {
			m.errf(n.azSrc, "network interface %q has no IP configuration", n.Name)
		}
		for i, c := range cfgs {
			ip := m.addr(n.azSrc, "private IP address", c.IP)
			if i == 0 {
				nn.IP, nn.Subnet = ip, c.SubnetID
			} else if ip.IsValid() {
				nn.AdditionalIPs = append(nn.AdditionalIPs, ip)
			}
			if c.PublicIPID != "" && !nn.PublicIP.IsValid() {
				nn.PublicIP = m.publicIP(n.azSrc, c.PublicIPID)
			}
			nn.ASGs = union(nn.ASGs, c.ASGIDs)
		}
		if v, ok := n.Tags[tagNVA]; ok {
			nn.NVA = &NVA{Stateful: strings.Contains(v, "stateful") && !strings.Contains(v, "stateless"), SNAT: strings.Contains(v, "snat")}
		}
		m.net.NICs = append(m.net.NICs, nn)
	}
}

// publicIP resolves a public IP resource to its address; missing resources
// or unallocated addresses are noted.
func (m *azMapper) publicIP(a azSrc, id string) netip.Addr {
	p := m.pips[azIDKey(id)]
	if p == nil {
		m.notef(a, "public IP %s is not in the inputs; its address is unknown", id)
		return netip.Addr{}
	}
	if p.IP == "" {
		m.notef(a, "public IP %s has no address (unallocated)", id)
		return netip.Addr{}
	}
	return m.addr(p.azSrc, "public IP address", p.IP)
}

func (m *azMapper) privateEndpoints() {
	for _, p := range m.s.PEs {
		np := &PrivateEndpoint{Src: src(p.azSrc), Name: p.Name, ID: p.ID, Subnet: p.SubnetID, ConnectionState: p.ConnectionState}
		ips := p.IPs
		for _, nid := range p.NICIDs {
			if n := m.peNICs[azIDKey(nid)]; n != nil {
				for _, c := range n.IPConfigs {
					ips = union(ips, []string{c.IP})
				}
			}
		}
		if len(ips) == 0 {
			m.errf(p.azSrc, "private endpoint %q: no private IP address (export its network interface %s too)", p.Name, strings.Join(p.NICIDs, ", "))
		} else {
			np.IP = m.addr(p.azSrc, "private IP address", ips[0])
			if len(ips) > 1 {
				m.notef(p.azSrc, "private endpoint %q has %d addresses; only %s is modelled", p.Name, len(ips), ips[0])
			}
		}
		if p.TargetID != "" {
			np.Target.ResourceType = targetType(p.TargetID)
		}
		if len(p.GroupIDs) > 0 {
			np.Target.Subresource = p.GroupIDs[0]
		}
		if len(p.FQDNs) > 0 {
			np.Target.FQDN = p.FQDNs[0]
		}
		m.net.PrivateEndpoints = append(m.net.PrivateEndpoints, np)
	}
}

// targetType returns "Microsoft.Storage/storageAccounts" for a resource id.
func targetType(id string) string {
	a := ParseAzureID(id)
	if !a.Parsed {
		return ""
	}
	return a.Namespace + "/" + strings.Join(a.Types, "/")
}
