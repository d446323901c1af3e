package armset

import (
	"sort"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// AdminRule is one security admin rule.
type AdminRule struct {
	Src
	Name, Configuration, CollectionID string
	Priority                          int
	Direction, Access, Protocol       string
	Sources, Destinations             []string
	SourcePorts, DestinationPorts     []string
}

// AVNM holds what joins admin rules to VNets: rule collection → network
// groups, network group → static member VNets.
type AVNM struct {
	Rules   []*AdminRule
	Applies map[string][]string // rule collection id key → network group ids
	Members map[string][]string // network group id key → VNet ids
}

// Manager returns s.AVNM, the Virtual Network Manager part of the set,
// with its maps made.
func (s *Set) Manager() *AVNM {
	if s.AVNM.Applies == nil {
		s.AVNM.Applies, s.AVNM.Members = map[string][]string{}, map[string][]string{}
	}
	return &s.AVNM
}

// adminRules maps the admin rules; each applies to the static members of
// the network groups its rule collection targets.
func (m *mapper) adminRules() {
	av := m.s.AVNM
	rules := append([]*AdminRule(nil), av.Rules...)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
	for _, r := range rules {
		groups, ok := av.Applies[arm.IDKey(r.CollectionID)]
		if !ok {
			// An error, not a missing reference: which VNets the rule
			// applies to is unknown, and leaving out a Deny that outranks
			// every NSG would turn a denial into an allow.
			m.errf(r.Src, "admin rule %q: its rule collection %s is not in the inputs (the VNets it applies to are unknown)", r.Name, r.CollectionID)
			continue
		}
		var vnets []string
		for _, g := range groups {
			members, ok := av.Members[arm.IDKey(g)]
			if !ok {
				m.notef(r.Src, "admin rule %q: network group %s has no static members in the inputs (dynamic membership is not read)", r.Name, g)
			}
			vnets = arm.Union(vnets, members)
		}
		m.net.AdminRules = append(m.net.AdminRules, &topology.AdminRule{Src: source(r.Src), Name: r.Name, ID: r.ID, Configuration: r.Configuration,
			AppliesToVNets: vnets, Priority: r.Priority, Direction: r.Direction, Action: r.Access, Protocol: r.Protocol,
			Source: r.Sources, SourcePorts: r.SourcePorts, Destination: r.Destinations, DestinationPorts: r.DestinationPorts})
	}
}
