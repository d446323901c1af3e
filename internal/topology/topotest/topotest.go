// Package topotest holds helpers for the tests of the topology packages.
package topotest

import (
	"fmt"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// Counts summarises a network as resource counts, one "kind=n" per kind.
// The kinds of issue #14 onward (load balancers, NAT gateways, ...) are
// printed only when non-zero, so tables written before them stay valid.
func Counts(n *topology.Network) string {
	s := fmt.Sprintf("vnet=%d subnet=%d peer=%d rt=%d route=%d nsg=%d rule=%d asg=%d nic=%d pe=%d fw=%d pol=%d rcg=%d ipg=%d gw=%d conn=%d site=%d",
		len(n.VNets), countSubnets(n), len(n.Peerings), len(n.RouteTables), countRoutes(n), len(n.NSGs), countRules(n), len(n.ASGs), len(n.NICs),
		len(n.PrivateEndpoints), len(n.Firewalls), len(n.FirewallPolicies), countRCGs(n), len(n.IPGroups), len(n.Gateways), len(n.Connections), len(n.OnPremSites))
	for _, k := range optionalCounts(n) {
		if k.n > 0 {
			s += fmt.Sprintf(" %s=%d", k.kind, k.n)
		}
	}
	return s
}

// optionalCount is one kind printed by Counts only when non-zero.
type optionalCount struct {
	kind string
	n    int
}

// optionalCounts lists the kinds Counts prints only when non-zero, in
// print order. Add new kinds here.
func optionalCounts(n *topology.Network) []optionalCount {
	pools, members := 0, 0
	for _, l := range n.LoadBalancers {
		pools += len(l.BackendPools)
		for _, p := range l.BackendPools {
			members += len(p.NICs) + len(p.Addresses)
		}
	}
	hubrt, hubconn, peers := 0, 0, 0
	for _, h := range n.VirtualHubs {
		hubrt += len(h.RouteTables)
		hubconn += len(h.Connections)
		peers += len(h.BGPPeers)
	}
	for _, r := range n.RouteServers {
		peers += len(r.Peers)
	}
	zrec, zlink := 0, 0
	for _, z := range n.PrivateDNSZones {
		zrec += len(z.ARecords) + len(z.CNAMERecords)
		zlink += len(z.Links)
	}
	return []optionalCount{
		{"lb", len(n.LoadBalancers)},
		{"lbpool", pools},
		{"lbmember", members},
		{"natgw", len(n.NATGateways)},
		{"vwan", len(n.VirtualWANs)},
		{"hub", len(n.VirtualHubs)},
		{"hubrt", hubrt},
		{"hubconn", hubconn},
		{"rs", len(n.RouteServers)},
		{"bgppeer", peers},
		{"dnszone", len(n.PrivateDNSZones)},
		{"dnsrec", zrec},
		{"dnslink", zlink},
	}
}

func countSubnets(n *topology.Network) (c int) {
	for _, v := range n.VNets {
		c += len(v.Subnets)
	}
	return
}

func countRoutes(n *topology.Network) (c int) {
	for _, v := range n.RouteTables {
		c += len(v.Routes)
	}
	return
}

func countRules(n *topology.Network) (c int) {
	for _, v := range n.NSGs {
		c += len(v.Rules)
	}
	return
}

func countRCGs(n *topology.Network) (c int) {
	for _, v := range n.FirewallPolicies {
		c += len(v.RuleCollectionGroups)
	}
	return
}

// DiagLines prints diagnostics one per indented line.
func DiagLines(ds []topology.Diag) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("  " + d.String() + "\n")
	}
	return b.String()
}
