package azure

import (
	"net/netip"

	"github.com/pathproof/pathproof/internal/topology"
)

// Azure Route Server, as Microsoft documents it:
//   - RS1 "What is Azure Route Server?" and the FAQ
//     (https://learn.microsoft.com/azure/route-server/route-server-faq):
//     Route Server is control plane only, never in the data path; it
//     programs the routes its BGP peers (NVAs) advertise into the VNet's
//     subnets with the NVA as next hop, and into peered VNets that use the
//     remote gateway (useRemoteGateways, allowGatewayTransit on its side).
//   - RS2 same FAQ: it cannot override VNet and peering ranges (a
//     VirtualNetworkGateway route never beats them, §2.6), UDRs override
//     its routes, and disableBgpRoutePropagation on a route table keeps
//     them out of that subnet (§2.5).
//   - RS3 "Configure route exchange" (branch-to-branch,
//     https://learn.microsoft.com/azure/route-server/configure-route-server#configure-route-exchange):
//     with allowBranchToBranchTraffic, routes learned from the NVAs are
//     advertised to on-premises through the VNet's VPN and ExpressRoute
//     gateways, and the gateways' routes to the NVAs.
// Effective routes show Route Server routes with source and next hop type
// VirtualNetworkGateway and the NVA's address as next hop IP.

// routeServerRoutes returns the routes every route server in v's VNet (or
// in the VNet v uses as its remote gateway) programs into v (RS1).
func (e *Engine) routeServerRoutes(v *topology.VNet) []Route {
	var out []Route
	for _, rs := range e.routeServersFor(v) {
		seen := map[netip.Prefix]bool{}
		for _, p := range rs.Peers {
			for _, r := range p.Routes {
				pfx := r.Prefix.Masked()
				if !pfx.IsValid() || seen[pfx] {
					continue
				}
				seen[pfx] = true
				out = append(out, Route{Source: SourceGateway, Prefix: pfx, NextHopType: topology.HopVirtualNetworkGateway,
					NextHopIPs: []netip.Addr{r.Hop(p)}, RouteServer: rs.Name, Connection: p.Name, rank: rankGateway})
			}
		}
	}
	return out
}

// routeServersFor returns the route servers in v, else those of the peer
// whose gateways v uses (useRemoteGateways and allowGatewayTransit, RS1).
func (e *Engine) routeServersFor(v *topology.VNet) []*topology.RouteServer {
	if own := e.Net.RouteServersIn(v); len(own) > 0 {
		return own
	}
	for _, p := range e.Net.PeeringsOf(v) {
		if !p.UseRemoteGateways || !e.connected(p) {
			continue
		}
		if r := e.Net.Reverse(p); r != nil && r.AllowGatewayTransit {
			if rss := e.Net.RouteServersIn(p.Remote()); len(rss) > 0 {
				return rss
			}
		}
	}
	return nil
}

// routeServerAdvertised returns the NVA prefixes gateway g advertises to
// on-premises when a route server in its VNet allows branch-to-branch
// traffic (RS3).
func (e *Engine) routeServerAdvertised(g *topology.Gateway) []netip.Prefix {
	var out []netip.Prefix
	for _, rs := range e.Net.RouteServersIn(g.VNetRef()) {
		if !rs.BranchToBranch {
			continue
		}
		for _, p := range rs.Peers {
			for _, r := range p.Routes {
				out = append(out, r.Prefix.Masked())
			}
		}
	}
	return out
}
