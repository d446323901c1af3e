package topology

// dedupe keeps one copy of each resource listed more than once (the same
// VNet in an az CLI export and a Resource Graph export): the copy read
// last wins, and a note names both files.
func (s *azSet) dedupe(m *azMapper) {
	s.VNets = dedupeByID(m, s.VNets, func(x *azVNet) azSrc { return x.azSrc })
	s.NSGs = dedupeByID(m, s.NSGs, func(x *azNSG) azSrc { return x.azSrc })
	s.RouteTables = dedupeByID(m, s.RouteTables, func(x *azRouteTable) azSrc { return x.azSrc })
	s.NICs = dedupeByID(m, s.NICs, func(x *azNIC) azSrc { return x.azSrc })
	s.PEs = dedupeByID(m, s.PEs, func(x *azPE) azSrc { return x.azSrc })
	s.Firewalls = dedupeByID(m, s.Firewalls, func(x *azFirewall) azSrc { return x.azSrc })
	s.Policies = dedupeByID(m, s.Policies, func(x *azPolicy) azSrc { return x.azSrc })
	s.RCGs = dedupeByID(m, s.RCGs, func(x *azRCG) azSrc { return x.azSrc })
	s.IPGroups = dedupeByID(m, s.IPGroups, func(x *azIPGroup) azSrc { return x.azSrc })
	s.ASGs = dedupeByID(m, s.ASGs, func(x *azASG) azSrc { return x.azSrc })
	s.PublicIPs = dedupeByID(m, s.PublicIPs, func(x *azPublicIP) azSrc { return x.azSrc })
	s.Gateways = dedupeByID(m, s.Gateways, func(x *azGateway) azSrc { return x.azSrc })
	s.LocalGateways = dedupeByID(m, s.LocalGateways, func(x *azLocalGateway) azSrc { return x.azSrc })
	s.Connections = dedupeByID(m, s.Connections, func(x *azConnection) azSrc { return x.azSrc })
}

func dedupeByID[T any](m *azMapper, list []T, src func(T) azSrc) []T {
	last := map[string]int{}
	for i, x := range list {
		if id := src(x).ID; id != "" {
			last[azIDKey(id)] = i
		}
	}
	if len(last) == len(list) {
		return list
	}
	out := list[:0:0]
	for i, x := range list {
		a := src(x)
		if j, ok := last[azIDKey(a.ID)]; ok && a.ID != "" && j != i {
			m.notef(a, "listed again in %s; the copy read last is used", src(list[j]).File)
			continue
		}
		out = append(out, x)
	}
	return out
}
