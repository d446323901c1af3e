package topology

import (
	"sort"
	"strings"
)

// Azure Virtual Network Manager resources that carry security admin rules.
const (
	tNetworkManager = "microsoft.network/networkmanagers"
	tNetworkGroup   = "microsoft.network/networkmanagers/networkgroups"
	tStaticMember   = "microsoft.network/networkmanagers/networkgroups/staticmembers"
	tAdminConfig    = "microsoft.network/networkmanagers/securityadminconfigurations"
	tAdminRC        = "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections"
	tAdminRule      = "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules"
)

// azAdminRule is one security admin rule.
type azAdminRule struct {
	azSrc
	Name, Configuration, CollectionID string
	Priority                          int
	Direction, Access, Protocol       string
	Sources, Destinations             []string
	SourcePorts, DestinationPorts     []string
}

// azAVNM holds what joins admin rules to VNets: rule collection → network
// groups, network group → static member VNets.
type azAVNM struct {
	Rules   []*azAdminRule
	Applies map[string][]string // rule collection id key → network group ids
	Members map[string][]string // network group id key → VNet ids
}

// avnm returns s.AVNM with its maps made.
func (s *azSet) avnm() *azAVNM {
	if s.AVNM.Applies == nil {
		s.AVNM.Applies, s.AVNM.Members = map[string][]string{}, map[string][]string{}
	}
	return &s.AVNM
}

// addAVNM reads one Virtual Network Manager resource; false if r is not one.
func (s *azSet) addAVNM(file string, r AzureResource) (note string, ok bool) {
	b := r.Body
	src := azSrc{File: file, ID: r.ID.Raw}
	s.avnm()
	switch r.Type {
	case tNetworkManager, tAdminConfig, tNetworkGroup:
		// Containers: their children hold what matters.
	case tStaticMember:
		k := azIDKey(r.ID.Parent().Raw)
		s.AVNM.Members[k] = append(s.AVNM.Members[k], str(b, "resourceId"))
	case tAdminRC:
		var groups []string
		for _, g := range objs(b, "appliesToGroups") {
			groups = append(groups, str(g, "networkGroupId"))
		}
		s.AVNM.Applies[azIDKey(r.ID.Raw)] = groups
	case tAdminRule:
		if len(r.ID.Names) < 4 {
			return "admin rule id does not name its configuration and rule collection; skipped", true
		}
		ar := &azAdminRule{azSrc: src, Name: r.Name, Configuration: r.ID.Names[1], CollectionID: r.ID.Parent().Raw,
			Direction: str(b, "direction"), Access: str(b, "access"), Protocol: str(b, "protocol"),
			SourcePorts: strs(b, "sourcePortRanges"), DestinationPorts: strs(b, "destinationPortRanges")}
		ar.Priority, _ = integer(b, "priority")
		if strings.EqualFold(ar.Protocol, "Any") {
			ar.Protocol = "*"
		}
		for _, side := range []struct {
			key string
			out *[]string
		}{{"sources", &ar.Sources}, {"destinations", &ar.Destinations}} {
			for _, a := range objs(b, side.key) {
				if strings.EqualFold(str(a, "addressPrefixType"), "NetworkGroup") {
					note = "network group address prefixes are not modelled; that entry is ignored"
					continue
				}
				*side.out = append(*side.out, str(a, "addressPrefix"))
			}
		}
		s.AVNM.Rules = append(s.AVNM.Rules, ar)
		return note, true
	default:
		return "", false
	}
	return "", true
}

// adminRules maps the admin rules; each applies to the static members of
// the network groups its rule collection targets.
func (m *azMapper) adminRules() {
	av := m.s.AVNM
	rules := append([]*azAdminRule(nil), av.Rules...)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
	for _, r := range rules {
		groups, ok := av.Applies[azIDKey(r.CollectionID)]
		if !ok {
			m.errf(r.azSrc, "admin rule %q: its rule collection %s is not in the inputs", r.Name, r.CollectionID)
			continue
		}
		var vnets []string
		for _, g := range groups {
			members, ok := av.Members[azIDKey(g)]
			if !ok {
				m.notef(r.azSrc, "admin rule %q: network group %s has no static members in the inputs (dynamic membership is not read)", r.Name, g)
			}
			vnets = union(vnets, members)
		}
		m.net.AdminRules = append(m.net.AdminRules, &AdminRule{Src: src(r.azSrc), Name: r.Name, ID: r.ID, Configuration: r.Configuration,
			AppliesToVNets: vnets, Priority: r.Priority, Direction: r.Direction, Action: r.Access, Protocol: r.Protocol,
			Source: r.Sources, SourcePorts: r.SourcePorts, Destination: r.Destinations, DestinationPorts: r.DestinationPorts})
	}
}
