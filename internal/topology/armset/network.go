package armset

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// mapper turns a Set into a Network.
type mapper struct {
	s      *Set
	net    *topology.Network
	errs   []topology.Diag
	notes  []topology.Diag
	miss   []topology.Diag      // references to resources the inputs lack
	pips   map[string]*PublicIP // public IPs by id key
	peNICs map[string]*NIC      // NICs owned by private endpoints, by id key
}

func (m *mapper) errf(src Src, format string, a ...any) {
	m.errs = append(m.errs, topology.Diag{Src: source(src), Message: fmt.Sprintf(format, a...)})
}

// missf records that the resource read from src refers to the resource
// ref (an id) the inputs lack; the caller leaves the referring part out.
func (m *mapper) missf(src Src, ref, format string, a ...any) {
	m.missAt(source(src), ref, format, a...)
}

// missAt is missf for a mapped resource, named by its model source.
func (m *mapper) missAt(src topology.Source, ref, format string, a ...any) {
	m.miss = append(m.miss, topology.Diag{Src: src, Ref: ref, Message: fmt.Sprintf(format, a...)})
}

func (m *mapper) notef(src Src, format string, a ...any) {
	m.notes = append(m.notes, topology.Diag{Src: source(src), Message: fmt.Sprintf(format, a...)})
}

// Network maps the set into a new, unindexed model Network. Every
// diagnostic names the file and resource: warnings say what was ignored,
// missing references what the inputs lack (the referring part is left
// out), errors what is invalid. Mapping modifies s; map a Clone to keep s.
func (s *Set) Network() (net *topology.Network, d *topology.Diagnostics) {
	m := &mapper{s: s, net: &topology.Network{}, pips: map[string]*PublicIP{}, peNICs: map[string]*NIC{}}
	s.dedupe(m)
	s.mergeChildren(m)
	s.mergeLBChildren(m)
	for _, p := range s.PublicIPs {
		m.pips[arm.IDKey(p.ID)] = p
	}
	for _, n := range s.NICs {
		if n.PrivateEndpointID != "" {
			m.peNICs[arm.IDKey(n.ID)] = n
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
	m.vwan()
	m.loadBalancers()
	m.natGateways()
	m.privateDNS()
	refs := s.collectRefs()
	s.lbRefs(refs)
	refs.dropMissing(m)
	refs.useNames(m.net)
	refs.useLBNames(m)
	return m.net, &topology.Diagnostics{Errors: m.errs, Warnings: m.notes, Missing: m.miss}
}

// mergeChildren attaches standalone subnets, peerings, rules and routes to
// their parents (az network vnet subnet list, Terraform azurerm_subnet, ...).
// A standalone child replaces an inline one with the same id.
func (s *Set) mergeChildren(m *mapper) {
	vnets := map[string]*VNet{}
	for _, v := range s.VNets {
		vnets[arm.IDKey(v.ID)] = v
	}
	for _, sb := range s.Subnets {
		v := vnets[arm.IDKey(sb.VNetID)]
		if v == nil {
			m.missf(sb.Src, sb.VNetID, "subnet %q: its virtual network %s is not in the inputs", sb.Name, orNone(sb.VNetID))
			continue
		}
		v.Subnets = replaceByID(v.Subnets, sb, func(x *Subnet) string { return x.ID })
	}
	for _, p := range s.Peerings {
		v := vnets[arm.IDKey(p.VNetID)]
		if v == nil {
			m.missf(p.Src, p.VNetID, "peering %q: its virtual network %s is not in the inputs", p.Name, orNone(p.VNetID))
			continue
		}
		v.Peerings = replaceByID(v.Peerings, p, func(x *Peering) string { return x.ID })
	}
	nsgs := map[string]*NSG{}
	for _, n := range s.NSGs {
		nsgs[arm.IDKey(n.ID)] = n
	}
	for _, r := range s.NSGRules {
		n := nsgs[arm.IDKey(r.NSGID)]
		if n == nil {
			m.missf(r.Src, r.NSGID, "security rule %q: its network security group %s is not in the inputs", r.Name, orNone(r.NSGID))
			continue
		}
		n.Rules = replaceByName(n.Rules, r, func(x *NSGRule) string { return x.Name })
	}
	rts := map[string]*RouteTable{}
	for _, t := range s.RouteTables {
		rts[arm.IDKey(t.ID)] = t
	}
	for _, r := range s.Routes {
		t := rts[arm.IDKey(r.RouteTableID)]
		if t == nil {
			m.missf(r.Src, r.RouteTableID, "route %q: its route table %s is not in the inputs", r.Name, orNone(r.RouteTableID))
			continue
		}
		t.Routes = replaceByName(t.Routes, r, func(x *Route) string { return x.Name })
	}
	if len(s.SubnetNSG) == 0 && len(s.SubnetRT) == 0 {
		return
	}
	// One index for the associations: a Terraform state has one per
	// subnet, and a scan of every subnet for each made a 10,000-subnet
	// state take a minute.
	subnets := map[string]*Subnet{}
	for _, v := range s.VNets {
		for _, sb := range v.Subnets {
			if k := arm.IDKey(sb.ID); subnets[k] == nil {
				subnets[k] = sb
			}
		}
	}
	for sid, nsg := range s.SubnetNSG {
		if sb := subnets[arm.IDKey(sid)]; sb != nil {
			sb.NSGID = nsg
		}
	}
	for sid, rt := range s.SubnetRT {
		if sb := subnets[arm.IDKey(sid)]; sb != nil {
			sb.RouteTableID = rt
		}
	}
}

func replaceByID[T any](list []T, x T, id func(T) string) []T {
	for i, y := range list {
		if id(y) != "" && arm.IDKey(id(y)) == arm.IDKey(id(x)) {
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

func source(a Src) topology.Source { return topology.Source{File: a.File, ID: a.label()} }

// prefix parses a CIDR; a bare address becomes a host prefix.
func (m *mapper) prefix(a Src, what, s string) (netip.Prefix, bool) {
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

func (m *mapper) prefixes(a Src, what string, ss []string) []netip.Prefix {
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
func (m *mapper) addr(a Src, what, s string) netip.Addr {
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

func (m *mapper) vnets() {
	for _, v := range m.s.VNets {
		nv := &topology.VNet{Src: source(v.Src), Name: v.Name, ID: v.ID, Region: v.Location,
			AddressSpace: m.prefixes(v.Src, "address space", v.AddressSpace)}
		for _, s := range v.DNSServers {
			if ip := m.addr(v.Src, "DNS server", s); ip.IsValid() {
				nv.DNSServers = append(nv.DNSServers, ip)
			}
		}
		for _, sb := range v.Subnets {
			ss := sb.Src
			ns := &topology.Subnet{Src: source(ss), Name: sb.Name, ID: sb.ID, NSG: sb.NSGID, RouteTable: sb.RouteTableID,
				ServiceEndpoints: sb.ServiceEndpoints, PrivateEndpointNetworkPolicies: sb.PENetworkPolicies}
			ps := m.prefixes(ss, "subnet prefix", sb.Prefixes)
			if len(ps) > 0 {
				ns.Prefix, ns.AdditionalPrefixes = ps[0], ps[1:]
			}
			if sb.DefaultOutboundAccess != nil {
				v := *sb.DefaultOutboundAccess
				ns.DefaultOutboundAccess = &v
			}
			nv.Subnets = append(nv.Subnets, ns)
		}
		for _, p := range v.Peerings {
			ps := p.Src
			np := &topology.Peering{Src: source(ps), Name: p.Name, ID: p.ID, VNet: idOr(v.ID, v.Name), RemoteVNet: p.RemoteVNetID, State: p.State,
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

func (m *mapper) routeTables() {
	for _, t := range m.s.RouteTables {
		nt := &topology.RouteTable{Src: source(t.Src), Name: t.Name, ID: t.ID, DisableBGPRoutePropagation: t.DisableBGP}
		for _, r := range t.Routes {
			rs := r.Src
			if rs.ID == "" {
				rs.ID = t.ID + "/routes/" + r.Name
			}
			nr := &topology.Route{Src: source(rs), Name: r.Name, Prefix: r.Prefix, NextHopType: topology.HopType(r.NextHop)}
			if strings.ContainsAny(r.Prefix, "./:") {
				m.prefix(rs, "route prefix", r.Prefix)
			}
			nr.NextHopIP = m.addr(rs, "next hop address", r.NextHopIP)
			nt.Routes = append(nt.Routes, nr)
		}
		m.net.RouteTables = append(m.net.RouteTables, nt)
	}
}

func (m *mapper) nsgs() {
	for _, n := range m.s.NSGs {
		nn := &topology.NSG{Src: source(n.Src), Name: n.Name, ID: n.ID}
		rules := append([]*NSGRule(nil), n.Rules...)
		sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
		for _, r := range rules {
			rs := r.Src
			if rs.ID == "" {
				rs.ID = n.ID + "/securityRules/" + r.Name
			}
			nr := &topology.SecurityRule{Src: source(rs), Name: r.Name, Priority: r.Priority, Direction: r.Direction, Access: r.Access,
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

func (m *mapper) asgs() {
	for _, a := range m.s.ASGs {
		m.net.ASGs = append(m.net.ASGs, &topology.ASG{Src: source(a.Src), Name: a.Name, ID: a.ID})
	}
}

func (m *mapper) nics() {
	for _, n := range m.s.NICs {
		if n.PrivateEndpointID != "" {
			continue // represented by its private endpoint
		}
		nn := &topology.NIC{Src: source(n.Src), Name: n.Name, ID: n.ID, NSG: n.NSGID, IPForwarding: n.IPForwarding, MAC: topology.NormalizeMAC(n.MAC)}
		if n.VMID != "" {
			nn.VM = arm.ParseID(n.VMID).Name()
		}
		nn.DNSServers = m.nicDNSServers(n)
		cfgs := append([]IPConfig(nil), n.IPConfigs...)
		sort.SliceStable(cfgs, func(i, j int) bool { return cfgs[i].Primary && !cfgs[j].Primary })
		if len(cfgs) == 0 {
			m.errf(n.Src, "network interface %q has no IP configuration", n.Name)
		}
		for i, c := range cfgs {
			ip := m.addr(n.Src, "private IP address", c.IP)
			if i == 0 {
				nn.IP, nn.Subnet = ip, c.SubnetID
			} else if ip.IsValid() {
				nn.AdditionalIPs = append(nn.AdditionalIPs, ip)
			}
			if c.PublicIPID != "" && !nn.PublicIP.IsValid() {
				nn.PublicIP = m.publicIP(n.Src, c.PublicIPID)
				nn.GatewayLB = c.GatewayLBID
			}
			nn.ASGs = arm.Union(nn.ASGs, c.ASGIDs)
		}
		if v, ok := n.Tags[arm.TagNVA]; ok {
			nn.NVA = &topology.NVA{Stateful: strings.Contains(v, "stateful") && !strings.Contains(v, "stateless"), SNAT: strings.Contains(v, "snat")}
		}
		m.net.NICs = append(m.net.NICs, nn)
	}
}

// publicIP resolves a public IP resource to its address; missing resources
// or unallocated addresses are noted.
func (m *mapper) publicIP(a Src, id string) netip.Addr {
	p := m.pips[arm.IDKey(id)]
	if p == nil {
		m.notef(a, "public IP %s is not in the inputs; its address is unknown", id)
		return netip.Addr{}
	}
	if p.IP == "" {
		m.notef(a, "public IP %s has no address (unallocated)", id)
		return netip.Addr{}
	}
	return m.addr(p.Src, "public IP address", p.IP)
}

func (m *mapper) privateEndpoints() {
	for _, p := range m.s.PEs {
		np := &topology.PrivateEndpoint{Src: source(p.Src), Name: p.Name, ID: p.ID, Subnet: p.SubnetID, ConnectionState: p.ConnectionState}
		ips := p.IPs
		for _, nid := range p.NICIDs {
			if n := m.peNICs[arm.IDKey(nid)]; n != nil {
				for _, c := range n.IPConfigs {
					ips = arm.Union(ips, []string{c.IP})
				}
			}
		}
		if len(ips) == 0 {
			m.errf(p.Src, "private endpoint %q: no private IP address (export its network interface %s too)", p.Name, strings.Join(p.NICIDs, ", "))
		} else {
			np.IP = m.addr(p.Src, "private IP address", ips[0])
			if len(ips) > 1 {
				m.notef(p.Src, "private endpoint %q has %d addresses; only %s is modelled", p.Name, len(ips), ips[0])
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
	a := arm.ParseID(id)
	if !a.Parsed {
		return ""
	}
	return a.Namespace + "/" + strings.Join(a.Types, "/")
}

// nicDNSServers parses a NIC's own DNS servers. "AzureProvidedDNS" is how
// the API names Azure DNS (Microsoft, NetworkInterfaceDnsSettings:
// "Use 'AzureProvidedDNS' to switch to azure provided DNS resolution");
// a bad address is an error naming the NIC, and the rest is kept.
func (m *mapper) nicDNSServers(n *NIC) []netip.Addr {
	var out []netip.Addr
	for _, s := range n.DNSServers {
		if strings.EqualFold(strings.TrimSpace(s), "AzureProvidedDNS") {
			out = append(out, topology.AzureDNS)
			continue
		}
		if ip := m.addr(n.Src, fmt.Sprintf("network interface %q: DNS server", n.Name), s); ip.IsValid() {
			out = append(out, ip)
		}
	}
	return out
}
