package armset

import "github.com/pathproof/pathproof/internal/topology/arm"

// dedupe keeps one copy of each resource listed more than once (the same
// VNet in an az CLI export and a Resource Graph export): the copy read
// last wins, and a note names both files.
func (s *Set) dedupe(m *mapper) {
	s.VNets = dedupeByID(m, s.VNets, func(x *VNet) Src { return x.Src })
	s.NSGs = dedupeByID(m, s.NSGs, func(x *NSG) Src { return x.Src })
	s.RouteTables = dedupeByID(m, s.RouteTables, func(x *RouteTable) Src { return x.Src })
	s.NICs = dedupeByID(m, s.NICs, func(x *NIC) Src { return x.Src })
	s.PEs = dedupeByID(m, s.PEs, func(x *PrivateEndpoint) Src { return x.Src })
	s.Firewalls = dedupeByID(m, s.Firewalls, func(x *Firewall) Src { return x.Src })
	s.Policies = dedupeByID(m, s.Policies, func(x *Policy) Src { return x.Src })
	s.RCGs = dedupeByID(m, s.RCGs, func(x *RuleCollectionGroup) Src { return x.Src })
	s.IPGroups = dedupeByID(m, s.IPGroups, func(x *IPGroup) Src { return x.Src })
	s.ASGs = dedupeByID(m, s.ASGs, func(x *ASG) Src { return x.Src })
	s.PublicIPs = dedupeByID(m, s.PublicIPs, func(x *PublicIP) Src { return x.Src })
	s.Gateways = dedupeByID(m, s.Gateways, func(x *Gateway) Src { return x.Src })
	s.LocalGateways = dedupeByID(m, s.LocalGateways, func(x *LocalGateway) Src { return x.Src })
	s.Connections = dedupeByID(m, s.Connections, func(x *Connection) Src { return x.Src })
	s.LoadBalancers = dedupeByID(m, s.LoadBalancers, func(x *LoadBalancer) Src { return x.Src })
	s.NATGateways = dedupeByID(m, s.NATGateways, func(x *NATGateway) Src { return x.Src })
	s.DNSZones = dedupeByID(m, s.DNSZones, func(x *DNSZone) Src { return x.Src })
	s.DNSRecords = dedupeByID(m, s.DNSRecords, func(x *DNSRecord) Src { return x.Src })
	s.DNSLinks = dedupeByID(m, s.DNSLinks, func(x *DNSLink) Src { return x.Src })
	s.PublicIPPrefixes = dedupeByID(m, s.PublicIPPrefixes, func(x *PublicIPPrefix) Src { return x.Src })
}

func dedupeByID[T any](m *mapper, list []T, srcOf func(T) Src) []T {
	last := map[string]int{}
	for i, x := range list {
		if id := srcOf(x).ID; id != "" {
			last[arm.IDKey(id)] = i
		}
	}
	if len(last) == len(list) {
		return list
	}
	out := list[:0:0]
	for i, x := range list {
		a := srcOf(x)
		if j, ok := last[arm.IDKey(a.ID)]; ok && a.ID != "" && j != i {
			m.notef(a, "listed again in %s; the copy read last is used", srcOf(list[j]).File)
			continue
		}
		out = append(out, x)
	}
	return out
}
