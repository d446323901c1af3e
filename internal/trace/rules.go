package trace

import (
	"fmt"
	"net/netip"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// This file binds the simulation to Azure's rules in package azure; the
// trace itself never re-derives a route, an NSG verdict or a firewall
// decision.

// route is the effective route a subnet chose for a destination.
type route struct {
	Prefix      netip.Prefix
	Source      azure.RouteSource
	NextHopType topology.HopType
	NextHopIPs  []netip.Addr
	Name        string // UDR name
	Table       string // route table name or "System Route"
	Tag         string // service tag of a service endpoint or tag route
	Hub         string // virtual hub of a route taught by a hub connection
	RouteServer string // route server that programmed the route
	Peer        string // its BGP peer
}

// describe renders the route for a check line or a finding.
func (r route) describe() string {
	s := fmt.Sprintf("%s → %s", r.Prefix, r.NextHopType)
	if len(r.NextHopIPs) > 0 {
		s += " " + r.NextHopIPs[0].String()
	}
	s += " (" + string(r.Source)
	if r.Name != "" {
		s += " route " + r.Name + " of " + r.Table
	}
	return s + ")"
}

func fromAzure(r *azure.Route) route {
	out := route{Prefix: r.Prefix, Source: r.Source, NextHopType: r.NextHopType, NextHopIPs: r.NextHopIPs, Name: r.Name, Table: azure.RouteTableSystem, Tag: r.Tag,
		Hub: r.Hub, RouteServer: r.RouteServer, Peer: r.Connection}
	if r.Source == azure.SourceUser {
		out.Table = r.RouteTable
	}
	return out
}

// route looks dst up in sub's effective routes (§2.6). systemOnly skips
// UDRs, for a private endpoint's reply (§3.3).
func (s *sim) route(sub *topology.Subnet, dst netip.Addr, systemOnly bool) (route, bool) {
	if v := sub.VNet(); v != nil {
		for _, h := range v.MissingHubs {
			s.assume(azure.MissingHubAssumption(v, h))
		}
	}
	t := s.eng.Routes(sub)
	if t == nil {
		return route{}, false
	}
	lookup := t.Lookup
	if systemOnly {
		lookup = t.LookupWithoutUDRs
	}
	r, ok := lookup(dst)
	if !ok {
		return route{}, false
	}
	return fromAzure(r), true
}

// defaultRoute returns the Active 0.0.0.0/0 route of sub.
func (s *sim) defaultRoute(sub *topology.Subnet) (route, bool) {
	t := s.eng.Routes(sub)
	if t == nil {
		return route{}, false
	}
	for i := range t.Routes {
		r := &t.Routes[i]
		if r.State == azure.StateActive && r.Prefix.IsValid() && r.Prefix.Bits() == 0 {
			return fromAzure(r), true
		}
	}
	return route{}, false
}
