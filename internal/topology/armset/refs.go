package armset

import (
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// refTable turns ARM id references into the names the design format uses
// when the name is unambiguous, so exported networks answer queries that
// name resources ("peerings[hub->spoke]", "nic: vm1-nic") exactly as
// their design does. A reference to a resource missing from the inputs,
// or whose name is shared by two resources of its kind, stays an id.
type refTable struct {
	names map[string]map[string]string // kind → id key → name
	count map[string]map[string]int    // kind → lower-case name → resources
}

func (r *refTable) put(kind, id, name string) {
	if id == "" || name == "" {
		return
	}
	if r.names == nil {
		r.names, r.count = map[string]map[string]string{}, map[string]map[string]int{}
	}
	if r.names[kind] == nil {
		r.names[kind], r.count[kind] = map[string]string{}, map[string]int{}
	}
	k := arm.IDKey(id)
	if _, seen := r.names[kind][k]; seen {
		return
	}
	r.names[kind][k] = name
	r.count[kind][strings.ToLower(name)]++
}

// has reports whether a resource of kind with id is in the inputs.
func (r *refTable) has(kind, id string) bool {
	_, ok := r.names[kind][arm.IDKey(id)]
	return ok
}

// ref returns the name for id when unambiguous, else id.
func (r *refTable) ref(kind, id string) string {
	name, ok := r.names[kind][arm.IDKey(id)]
	if !ok || r.count[kind][strings.ToLower(name)] != 1 {
		return id
	}
	return name
}

// subnet returns "vnet/subnet" for a subnet id when both names are
// unambiguous, else the id.
func (r *refTable) subnet(id string) string {
	if _, ok := r.names["subnet"][arm.IDKey(id)]; !ok {
		return id
	}
	a := arm.ParseID(id)
	parent := a.Parent().Raw
	v := r.ref("vnet", parent)
	if v == parent {
		return id
	}
	return v + "/" + a.Name()
}

// collectRefs records every resource of s that others can reference.
func (s *Set) collectRefs() *refTable {
	r := &refTable{}
	for _, v := range s.VNets {
		r.put("vnet", v.ID, v.Name)
		for _, sb := range v.Subnets {
			// Subnets are named "vnet/subnet"; this kind only records
			// which ids exist.
			r.put("subnet", sb.ID, sb.ID)
		}
	}
	for _, x := range s.NSGs {
		r.put("nsg", x.ID, x.Name)
	}
	for _, x := range s.RouteTables {
		r.put("rt", x.ID, x.Name)
	}
	for _, x := range s.ASGs {
		r.put("asg", x.ID, x.Name)
	}
	for _, x := range s.Policies {
		r.put("policy", x.ID, x.Name)
	}
	for _, x := range s.IPGroups {
		r.put("ipgroup", x.ID, x.Name)
	}
	for _, x := range s.Gateways {
		r.put("gateway", x.ID, x.Name)
	}
	for _, x := range s.LocalGateways {
		r.put("site", x.ID, x.Name)
	}
	return r
}

// useNames rewrites the references of the mapped network n.
func (r *refTable) useNames(n *topology.Network) {
	for _, v := range n.VNets {
		for _, s := range v.Subnets {
			s.NSG, s.RouteTable = r.ref("nsg", s.NSG), r.ref("rt", s.RouteTable)
		}
	}
	for _, p := range n.Peerings {
		p.VNet, p.RemoteVNet = r.ref("vnet", p.VNet), r.ref("vnet", p.RemoteVNet)
	}
	for _, g := range n.NSGs {
		for _, ru := range g.Rules {
			ru.Source, ru.Destination = r.asgEntries(ru.Source), r.asgEntries(ru.Destination)
		}
	}
	for _, x := range n.NICs {
		x.Subnet, x.NSG = r.subnet(x.Subnet), r.ref("nsg", x.NSG)
		for i, a := range x.ASGs {
			x.ASGs[i] = r.ref("asg", a)
		}
	}
	for _, x := range n.PrivateEndpoints {
		x.Subnet = r.subnet(x.Subnet)
	}
	for _, x := range n.Firewalls {
		x.Subnet, x.Policy = r.subnet(x.Subnet), r.ref("policy", x.Policy)
	}
	for _, p := range n.FirewallPolicies {
		p.Parent = r.ref("policy", p.Parent)
		for _, g := range p.RuleCollectionGroups {
			for _, rc := range g.RuleCollections {
				for _, ru := range rc.Rules {
					for i, x := range ru.SourceIPGroups {
						ru.SourceIPGroups[i] = r.ref("ipgroup", x)
					}
					for i, x := range ru.DestinationIPGroups {
						ru.DestinationIPGroups[i] = r.ref("ipgroup", x)
					}
				}
			}
		}
	}
	for _, g := range n.Gateways {
		g.VNet = r.ref("vnet", g.VNet)
	}
	for _, a := range n.AdminRules {
		for i, v := range a.AppliesToVNets {
			a.AppliesToVNets[i] = r.ref("vnet", v)
		}
	}
	for _, c := range n.Connections {
		c.Gateway = r.ref("gateway", c.Gateway)
		if x := r.ref("site", c.Remote); x != c.Remote {
			c.Remote = x
		} else {
			c.Remote = r.ref("gateway", c.Remote)
		}
	}
}

func (r *refTable) asgEntries(list []string) []string {
	for i, s := range list {
		if id, ok := strings.CutPrefix(s, "asg:"); ok {
			list[i] = "asg:" + r.ref("asg", id)
		}
	}
	return list
}
