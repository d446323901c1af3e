package azure

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// Contradictions in a hub route table are findings, not silently resolved
// (issue #14). Which route Azure uses comes from VW2, "Route selection
// algorithm for virtual hub"
// (https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing-preference#selection):
// longest prefix match; static routes over BGP routes; then, by the hub
// routing preference, routes from connections local to the hub over routes
// learned from a remote hub, then the shortest AS path; "if there are
// still multiple routes, load-balance across all paths using equal-cost
// multi-path (ECMP) routing".
const (
	// CodeHubStaticConflict: two static routes of one hub route table
	// have the same destination prefix.
	CodeHubStaticConflict = "hub-static-route-conflict"
	// CodeHubPrefixConflict: two VNet connections of one virtual WAN
	// teach a hub route table the same prefix.
	CodeHubPrefixConflict = "hub-prefix-conflict"
)

// HubConflictCodes are the finding codes of hub route contradictions.
var HubConflictCodes = []string{CodeHubStaticConflict, CodeHubPrefixConflict}

// HubConflict is a contradiction behind one effective hub route: other
// routes for the same prefix that the route selection set aside.
type HubConflict struct {
	// Code is CodeHubStaticConflict or CodeHubPrefixConflict.
	Code string
	// Hub and Table name the route table where the routes met.
	Hub, Table string
	Prefix     netip.Prefix
	// Used is the route the table keeps; Unused the ones it set aside.
	Used   string
	Unused []string
	// Azure says which route Azure's selection (VW2) uses and why.
	Azure string
}

// Message is the finding's one-line explanation.
func (c *HubConflict) Message() string {
	what := "static routes"
	if c.Code == CodeHubPrefixConflict {
		what = "VNet connections"
	}
	return fmt.Sprintf("hub %s route table %s: %s comes from two %s, %s and %s: %s; %s was not used",
		c.Hub, c.Table, c.Prefix, what, c.Used, strings.Join(c.Unused, ", "), c.Azure, strings.Join(c.Unused, ", "))
}

// Fix says what to change so the table no longer contradicts itself.
func (c *HubConflict) Fix() string {
	if c.Code == CodeHubStaticConflict {
		return fmt.Sprintf("keep one route for %s in route table %s of hub %s (remove %s or change its destination)", c.Prefix, c.Table, c.Hub, strings.Join(c.Unused, ", "))
	}
	return fmt.Sprintf("give the VNets behind %s and %s distinct address ranges (re-address one, or disconnect it from the virtual WAN): one prefix cannot lead to two VNets", c.Used, strings.Join(c.Unused, ", "))
}

// conflictOf returns the contradiction among routes rs[cand] (one prefix,
// rs[win] selected), or nil when the set-aside routes are ordinary
// alternatives (a static route over a learned one, a branch by routing
// preference, BGP peers advertising one prefix).
func conflictOf(rs []HubRoute, cand []int, win int, h *topology.VirtualHub, t *topology.HubRouteTable) *HubConflict {
	w := rs[win]
	c := &HubConflict{Hub: h.Name, Table: t.Name, Prefix: w.Prefix}
	tie := false
	switch {
	case w.Static != "":
		c.Code, c.Used = CodeHubStaticConflict, "route "+w.Static
		for _, i := range cand {
			if o := rs[i]; i != win && o.Static != "" && o.Static != w.Static {
				c.Unused = append(c.Unused, "route "+o.Static)
				tie = true
			}
		}
	case vnetTaught(w):
		c.Code, c.Used = CodeHubPrefixConflict, connName(w.From)
		for _, i := range cand {
			if o := rs[i]; i != win && vnetTaught(o) && o.From != w.From {
				c.Unused = append(c.Unused, connName(o.From))
				tie = tie || (o.rank == w.rank && pathLen(o.ASPath) == pathLen(w.ASPath))
			}
		}
	}
	if len(c.Unused) == 0 {
		return nil
	}
	switch {
	case tie:
		c.Azure = fmt.Sprintf("no step of Azure's route selection separates them (longest prefix, static over BGP, local hub over remote hub, shortest AS path) and its last step load-balances across both (ECMP), so a flow may take either; pathproof follows %s", c.Used)
	default:
		c.Azure = fmt.Sprintf("Azure uses %s (route selection: routes from connections local to hub %s before routes learned from a remote hub)", c.Used, h.Name)
	}
	return c
}

// vnetTaught reports whether r is a VNet connection's address space or
// static route (locally or as a remote hub re-advertises it), not a BGP
// peer's.
func vnetTaught(r HubRoute) bool {
	return r.Static == "" && r.From != nil && r.From.Kind() == topology.HubConnVNet && !r.bgp
}

func connName(c *topology.HubConnection) string {
	if h := c.Hub(); h != nil {
		return "connection " + c.Name + " (hub " + h.Name + ")"
	}
	return "connection " + c.Name
}

// Conflicts returns the contradictions behind the table's routes, in route
// order.
func (t *HubTable) Conflicts() []*HubConflict {
	if t == nil {
		return nil
	}
	var out []*HubConflict
	for i := range t.Routes {
		if c := t.Routes[i].Conflict; c != nil {
			out = append(out, c)
		}
	}
	return out
}
