package azure

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/gaissmai/bart"

	"github.com/pathproof/pathproof/internal/topology"
)

// Virtual WAN hub routing, as Microsoft documents it:
//   - VW1 "About virtual hub routing"
//     (https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing):
//     each connection is associated with one route table (it sends by that
//     table) and propagates its routes to route tables and labels; every hub
//     has a defaultRouteTable (label "default") and a noneRouteTable (label
//     "none", which receives nothing); by default every connection
//     associates with and propagates to the default table; labels group
//     route tables across the hubs of one virtual WAN.
//   - VW2 "Virtual hub routing preference"
//     (https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing-preference):
//     longest prefix first; then static routes of the hub route table over
//     learned ones; then the hub routing preference (ExpressRoute, VPN or
//     AS path), local routes before routes learned from a remote hub.
//   - VW3 "How to configure routing intent and routing policies"
//     (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies):
//     a Private Traffic policy sends all branch and VNet traffic in and out
//     of the hub, inter-hub included, to the next hop security resource and
//     programs the private ranges (RFC 1918 plus additional prefixes) toward
//     it; an Internet Traffic policy advertises 0.0.0.0/0 toward it to the
//     connections with Internet security enabled. Section "Rollback
//     strategy": under a Private policy every connection is associated with
//     the defaultRouteTable and propagates to the noneRouteTable (Internet
//     only: to the default label). Section "Troubleshooting, Effective
//     Routes": "the effective routes of the defaultRouteTable show the
//     RFC1918 aggregate prefixes (10.0.0.0/8, 192.168.0.0/16,
//     172.16.0.0/12) with next hop Azure Firewall or Network Virtual
//     Appliance" (plus the private traffic prefixes, and 0.0.0.0/0 under an
//     Internet policy); the specific VNet and branch prefixes are in "the
//     effective route table of the Firewall", which Virtual WAN "uses to
//     forward inspected packets"; "ensure that all Virtual Network and
//     on-premises prefixes are subnets within the static routes in the
//     defaultRouteTable", else add them to the private traffic prefixes.
//     So a spoke (associated with the defaultRouteTable) learns the
//     aggregates toward the firewall, not every other spoke's range.
//   - VW4 scenario pages (isolating VNets, custom isolation): branches are
//     associated with the default route table.
//   - VW5 the effective routes API (VirtualHubs_GetEffectiveVirtualHubRoutes)
//     answers addressPrefixes, nextHopType ("Virtual Network Connection",
//     "Remote Hub", "VPN_S2S_Gateway", "ExpressRouteGateway", "Azure
//     Firewall", "HubBgpConnection"), nextHops, routeOrigin and asPath; a
//     route learned from a remote hub carries asPath 65520-65520.

// Hub next hop types, as the effective routes API spells them (VW5).
const (
	HubHopVNetConnection = "Virtual Network Connection"
	HubHopRemoteHub      = "Remote Hub"
	HubHopVPN            = "VPN_S2S_Gateway"
	HubHopExpressRoute   = "ExpressRouteGateway"
	HubHopFirewall       = "Azure Firewall"
	HubHopBGP            = "HubBgpConnection"
)

// interHubASPath is what a route learned from a remote hub carries (VW5).
const interHubASPath = "65520-65520"

// RFC1918 are the private ranges a Private Traffic policy covers (VW3).
var RFC1918 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// HubRoute is one effective route of a hub route table.
type HubRoute struct {
	Prefix      netip.Prefix
	NextHopType string
	NextHop     string // resource id (or name when the input had no ids)
	Origin      string // the connection, hub or policy the route comes from
	ASPath      string
	// Resolved next hop: one of these is set.
	Connection *topology.HubConnection // local connection (VNet or branch)
	Firewall   *topology.Firewall
	RemoteHub  *topology.VirtualHub
	Peer       *topology.BGPPeer
	// NextHopIP is the appliance of a VNet connection static route or a
	// BGP peer route.
	NextHopIP netip.Addr
	// Static names the hub route table route (or "routing intent").
	Static string
	// From is the connection that taught the route (nil for static ones).
	From *topology.HubConnection
	// Conflict is the contradiction this route was selected from (two
	// static routes, or two VNet connections, with its prefix); nil when
	// none.
	Conflict *HubConflict

	rank int
	bgp  bool // taught by a BGP peer of the connection
}

// HubTable is the effective route table of one hub route table.
type HubTable struct {
	Table  *topology.HubRouteTable
	Routes []HubRoute
	lpm    *bart.Table[int32]
}

// Lookup returns the longest-prefix route of the table for dst.
func (t *HubTable) Lookup(dst netip.Addr) (*HubRoute, bool) {
	if t == nil || t.lpm == nil {
		return nil, false
	}
	i, ok := t.lpm.Lookup(dst)
	if !ok {
		return nil, false
	}
	return &t.Routes[i], true
}

// hubState is the Virtual WAN part of an Engine.
type hubState struct {
	tables map[*topology.HubRouteTable]*HubTable
	// fwd is what a hub's security next hop forwards by: the default
	// table's routes before routing intent, without routes to itself.
	fwd map[*topology.VirtualHub]*HubTable
	// conn caches what each connection learns (its view of its table).
	conn map[*topology.HubConnection]*HubTable
}

// Hub route ranks (VW2): static and policy routes, then local connections,
// branch gateways by routing preference, remote hubs last.
const (
	hubRankStatic = 100
	hubRankLocal  = 90
	hubRankPref   = 70
	hubRankOther  = 60
	hubRankRemote = 40
)

// HubRoutes returns the effective routes of hub route table t (nil if t is
// not part of the topology).
func (e *Engine) HubRoutes(t *topology.HubRouteTable) *HubTable { return e.hub.tables[t] }

// HubConnectionRoutes returns what connection c learns from the hub: its
// associated table's routes without its own, without 0.0.0.0/0 unless
// Internet security is enabled on it, and without other branches' routes
// when the virtual WAN disables branch-to-branch traffic.
func (e *Engine) HubConnectionRoutes(c *topology.HubConnection) *HubTable { return e.hub.conn[c] }

// HubForwarding returns the table hub h's security next hop forwards by.
func (e *Engine) HubForwarding(h *topology.VirtualHub) *HubTable { return e.hub.fwd[h] }

// AssociatedTable returns the hub route table connection c sends by.
func (e *Engine) AssociatedTable(c *topology.HubConnection) *topology.HubRouteTable {
	h := c.Hub()
	if h == nil {
		return nil
	}
	if c.Branch() || h.RoutingIntent != nil {
		// VW4: branches always associate with the default table; VW3:
		// routing intent manages every connection's association.
		if c.AssociatedRouteTable == "" || h.RoutingIntent != nil {
			return h.RouteTable(topology.HubDefaultTable)
		}
	}
	return e.Net.HubRouteTable(h, c.AssociatedRouteTable)
}

// buildHubs computes every hub route table's effective routes.
func (e *Engine) buildHubs() {
	e.hub = hubState{tables: map[*topology.HubRouteTable]*HubTable{}, fwd: map[*topology.VirtualHub]*HubTable{}, conn: map[*topology.HubConnection]*HubTable{}}
	if len(e.Net.VirtualHubs) == 0 {
		return
	}
	raw := map[*topology.HubRouteTable][]HubRoute{}
	for _, h := range e.Net.VirtualHubs {
		for _, c := range h.Connections {
			taught := e.taught(c)
			for _, t := range e.propagationTargets(c) {
				for _, r := range taught {
					raw[t] = append(raw[t], viaHub(r, c, t.Hub()))
				}
			}
		}
	}
	for _, h := range e.Net.VirtualHubs {
		for _, t := range h.AllRouteTables() {
			rs := append(e.staticHubRoutes(h, t), raw[t]...)
			pre := selectHubRoutes(rs, h, t)
			if t.Name == topology.HubDefaultTable {
				e.hub.fwd[h] = newHubTable(t, withoutFirewall(pre))
			}
			e.hub.tables[t] = newHubTable(t, e.applyIntent(h, t, pre))
		}
	}
	for _, h := range e.Net.VirtualHubs {
		for _, c := range h.Connections {
			e.hub.conn[c] = e.connectionView(c)
		}
	}
}

// taught returns the routes connection c teaches the hub router.
func (e *Engine) taught(c *topology.HubConnection) []HubRoute {
	var out []HubRoute
	add := func(p netip.Prefix, typ string, ip netip.Addr, path string, peer *topology.BGPPeer) {
		out = append(out, HubRoute{Prefix: p.Masked(), NextHopType: typ, NextHopIP: ip, ASPath: path, Peer: peer, From: c, Connection: c, bgp: peer != nil})
	}
	switch c.Kind() {
	case topology.HubConnVNet:
		ps := c.Prefixes
		if len(ps) == 0 && c.VNetRef() != nil {
			ps = c.VNetRef().AddressSpace
		}
		for _, p := range ps {
			add(p, HubHopVNetConnection, netip.Addr{}, "", nil)
		}
		if c.StaticRoutesPropagate() {
			for _, sr := range c.StaticRoutes {
				for _, p := range sr.Prefixes {
					add(p, HubHopVNetConnection, sr.NextHopIP, "", nil)
				}
			}
		}
		for _, peer := range c.Hub().BGPPeers {
			if c.Hub().Connection(peer.Connection) != c {
				continue
			}
			for _, r := range peer.Routes {
				add(r.Prefix, HubHopBGP, r.Hop(peer), r.ASPath, peer)
			}
		}
	default:
		typ, path := HubHopVPN, ""
		if c.Kind() == topology.HubConnExpressRoute {
			typ, path = HubHopExpressRoute, "12076"
		}
		ps := c.Prefixes
		if len(ps) == 0 && c.SiteRef() != nil {
			ps = c.SiteRef().Prefixes
		}
		for _, p := range ps {
			add(p, typ, netip.Addr{}, path, nil)
		}
	}
	return out
}

// propagationTargets returns the route tables c propagates to (VW1): named
// tables, and every table of the WAN's hubs carrying one of its labels;
// neither set means the default table and label. The none table never
// receives routes.
func (e *Engine) propagationTargets(c *topology.HubConnection) []*topology.HubRouteTable {
	h := c.Hub()
	tables, labels := c.PropagatedRouteTables, c.PropagatedLabels
	if h.RoutingIntent != nil && h.RoutingIntent.PrivateNextHop != "" {
		// VW3: routing intent manages propagation. Azure propagates to the
		// noneRouteTable; the routes still reach the hub router and the
		// security next hop forwards by them (the "effective route table
		// of the Firewall"). They are collected in the default tables here
		// (the hub's fwd view) and applyIntent leaves them out of what the
		// defaultRouteTable shows and teaches.
		tables, labels = nil, nil
	}
	if len(tables) == 0 && len(labels) == 0 {
		tables, labels = []string{topology.HubDefaultTable}, []string{topology.LabelDefault}
	}
	seen := map[*topology.HubRouteTable]bool{}
	var out []*topology.HubRouteTable
	addT := func(t *topology.HubRouteTable) {
		if t != nil && !seen[t] && !strings.EqualFold(t.Name, topology.HubNoneTable) && !t.HasLabel(topology.LabelNone) {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, ref := range tables {
		addT(e.Net.HubRouteTable(h, ref))
	}
	for _, l := range labels {
		for _, hh := range e.Net.HubsOf(h.WANRef()) {
			for _, t := range hh.AllRouteTables() {
				if t.HasLabel(l) {
					addT(t)
				}
			}
		}
	}
	return out
}

// viaHub is route r of connection c as table owner hub `at` sees it: local
// routes keep their next hop; a remote hub's become "Remote Hub" (VW5).
func viaHub(r HubRoute, c *topology.HubConnection, at *topology.VirtualHub) HubRoute {
	h := c.Hub()
	r.Origin = refOf(c.ID, c.Name)
	if at == h {
		switch r.NextHopType {
		case HubHopBGP:
			r.NextHop = refOf(r.Peer.ID, r.Peer.Name)
		default:
			r.NextHop = refOf(c.ID, c.Name)
		}
		r.rank = hubRankLocal
		if c.Branch() {
			r.rank = branchRank(h, c)
		}
		return r
	}
	r.NextHopType, r.NextHop, r.Origin = HubHopRemoteHub, refOf(h.ID, h.Name), refOf(h.ID, h.Name)
	r.ASPath = joinPath(interHubASPath, r.ASPath)
	r.Connection, r.RemoteHub, r.Peer, r.NextHopIP = nil, h, nil, netip.Addr{}
	r.rank = hubRankRemote
	return r
}

// branchRank applies the hub routing preference (VW2) to a branch route.
func branchRank(h *topology.VirtualHub, c *topology.HubConnection) int {
	er := c.Kind() == topology.HubConnExpressRoute
	switch {
	case strings.EqualFold(h.RoutingPreference, "VpnGateway"):
		if !er {
			return hubRankPref
		}
	case strings.EqualFold(h.RoutingPreference, "ASPath"):
		return hubRankOther
	default:
		if er {
			return hubRankPref
		}
	}
	return hubRankOther
}

func joinPath(a, b string) string {
	if b == "" {
		return a
	}
	return a + "-" + b
}

func refOf(id, name string) string {
	if id != "" {
		return id
	}
	return name
}

// staticHubRoutes are table t's own routes (VW1), next hops resolved.
func (e *Engine) staticHubRoutes(h *topology.VirtualHub, t *topology.HubRouteTable) []HubRoute {
	var out []HubRoute
	for _, r := range t.Routes {
		base := HubRoute{Static: r.Name, Origin: refOf(t.ID, t.Name), rank: hubRankStatic}
		if f := e.Net.Firewall(r.NextHop); f != nil {
			base.NextHopType, base.NextHop, base.Firewall = HubHopFirewall, refOf(f.ID, f.Name), f
		} else if c := h.Connection(r.NextHop); c != nil {
			base.NextHopType, base.NextHop, base.Connection = HubHopVNetConnection, refOf(c.ID, c.Name), c
		} else {
			continue // validate reported it
		}
		for _, d := range r.Destinations {
			p, err := netip.ParsePrefix(d)
			if err != nil {
				continue
			}
			x := base
			x.Prefix = p.Masked()
			if x.Connection != nil {
				x.NextHopIP = staticRouteIP(x.Connection, x.Prefix)
			}
			out = append(out, x)
		}
	}
	return out
}

// staticRouteIP is the appliance a VNet connection's static routes name
// for prefix p (the longest static route containing it).
func staticRouteIP(c *topology.HubConnection, p netip.Prefix) netip.Addr {
	var best netip.Addr
	bits := -1
	for _, sr := range c.StaticRoutes {
		for _, q := range sr.Prefixes {
			if q.Bits() <= p.Bits() && q.Contains(p.Addr()) && q.Bits() > bits {
				best, bits = sr.NextHopIP, q.Bits()
			}
		}
	}
	return best
}

// selectHubRoutes keeps, per prefix, the best-ranked route (VW2); equal
// ranks keep the shorter AS path, then the first. When t is not nil, a
// selected route whose prefix two static routes or two VNet connections
// claimed carries the contradiction (vwan_conflict.go).
func selectHubRoutes(rs []HubRoute, h *topology.VirtualHub, t *topology.HubRouteTable) []HubRoute {
	best := make(map[netip.Prefix]int, len(rs))
	var order []netip.Prefix
	var dup map[netip.Prefix]bool
	for i, r := range rs {
		j, ok := best[r.Prefix]
		if !ok {
			best[r.Prefix] = i
			order = append(order, r.Prefix)
			continue
		}
		if dup == nil {
			dup = map[netip.Prefix]bool{}
		}
		dup[r.Prefix] = true
		o := rs[j]
		if r.rank > o.rank || (r.rank == o.rank && pathLen(r.ASPath) < pathLen(o.ASPath)) {
			best[r.Prefix] = i
		}
	}
	out := make([]HubRoute, 0, len(order))
	for _, p := range order {
		r := rs[best[p]]
		if dup[p] && t != nil {
			var cand []int
			for i := range rs {
				if rs[i].Prefix == p {
					cand = append(cand, i)
				}
			}
			r.Conflict = conflictOf(rs, cand, best[p], h, t)
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Prefix.Addr() != out[j].Prefix.Addr() {
			return out[i].Prefix.Addr().Less(out[j].Prefix.Addr())
		}
		return out[i].Prefix.Bits() < out[j].Prefix.Bits()
	})
	return out
}

func pathLen(p string) int {
	if p == "" {
		return 0
	}
	return strings.Count(p, "-") + 1
}

// applyIntent applies routing intent (VW3) to the default table of a hub
// with a routing intent: under a Private policy the table holds the private
// ranges (RFC 1918 plus the additional prefixes) toward the private next
// hop, and its static routes and the routes of connections that routing
// intent does not manage (a remote hub's without a Private policy) also go
// to it; the routes of connections under a Private policy propagate to the
// noneRouteTable and are left out (the security next hop forwards by them,
// HubForwarding). 0.0.0.0/0 goes to the Internet next hop.
func (e *Engine) applyIntent(h *topology.VirtualHub, t *topology.HubRouteTable, rs []HubRoute) []HubRoute {
	ri := h.RoutingIntent
	if ri == nil || t.Name != topology.HubDefaultTable {
		return rs
	}
	origin := refOf(ri.ID, ri.Name)
	if origin == "" {
		origin = "routing intent"
	}
	var out []HubRoute
	covered := map[netip.Prefix]bool{}
	if priv := e.intentHop(h, ri.PrivateNextHop); priv != nil {
		for _, r := range rs {
			if r.Static == "" && privateIntentManaged(r.From) {
				continue
			}
			x := *priv
			x.Prefix, x.Origin, x.ASPath, x.From, x.Static, x.Conflict = r.Prefix, r.Origin, r.ASPath, r.From, "", r.Conflict
			out = append(out, x)
			covered[r.Prefix] = true
		}
		for _, p := range append(append([]netip.Prefix(nil), RFC1918...), ri.PrivatePrefixes...) {
			if covered[p.Masked()] {
				continue
			}
			x := *priv
			x.Prefix, x.Origin = p.Masked(), origin
			out = append(out, x)
			covered[p.Masked()] = true
		}
	} else {
		out = append(out, rs...)
		for _, r := range rs {
			covered[r.Prefix] = true
		}
	}
	if inet := e.intentHop(h, ri.InternetNextHop); inet != nil {
		x := *inet
		x.Prefix, x.Origin = netip.MustParsePrefix("0.0.0.0/0"), origin
		out = replacePrefix(out, x, covered)
	}
	return selectHubRoutes(out, h, nil)
}

// privateIntentManaged reports whether connection c's hub has a Private
// Traffic policy, under which c propagates to the noneRouteTable (VW3).
func privateIntentManaged(c *topology.HubConnection) bool {
	if c == nil || c.Hub() == nil {
		return false
	}
	ri := c.Hub().RoutingIntent
	return ri != nil && ri.PrivateNextHop != ""
}

func replacePrefix(rs []HubRoute, x HubRoute, covered map[netip.Prefix]bool) []HubRoute {
	if covered[x.Prefix] {
		for i := range rs {
			if rs[i].Prefix == x.Prefix {
				rs[i] = x
			}
		}
		return rs
	}
	return append(rs, x)
}

// intentHop resolves a routing policy's next hop: the hub's firewall or a
// BGP peer NVA; nil when unset or unknown.
func (e *Engine) intentHop(h *topology.VirtualHub, ref string) *HubRoute {
	if ref == "" {
		return nil
	}
	if f := e.Net.Firewall(ref); f != nil {
		return &HubRoute{NextHopType: HubHopFirewall, NextHop: refOf(f.ID, f.Name), Firewall: f, Static: "routing intent", rank: hubRankStatic}
	}
	for _, p := range h.BGPPeers {
		if strings.EqualFold(p.Name, ref) || (p.ID != "" && strings.EqualFold(p.ID, ref)) {
			return &HubRoute{NextHopType: HubHopBGP, NextHop: refOf(p.ID, p.Name), Peer: p, NextHopIP: p.PeerIP, Static: "routing intent", rank: hubRankStatic}
		}
	}
	return nil
}

// withoutFirewall drops routes whose next hop is a firewall: what the
// firewall itself forwards by.
func withoutFirewall(rs []HubRoute) []HubRoute {
	out := make([]HubRoute, 0, len(rs))
	for _, r := range rs {
		if r.Firewall == nil {
			out = append(out, r)
		}
	}
	return out
}

// connectionView is what connection c learns from its associated table.
func (e *Engine) connectionView(c *topology.HubConnection) *HubTable {
	t := e.AssociatedTable(c)
	ht := e.hub.tables[t]
	if ht == nil {
		return newHubTable(t, nil)
	}
	noB2B := c.Branch() && c.Hub().WANRef() != nil && c.Hub().WANRef().DisableBranchToBranch
	var rs []HubRoute
	for _, r := range ht.Routes {
		switch {
		case r.From == c && r.Static == "":
			continue
		case r.Prefix.Bits() == 0 && !c.InternetSecurity:
			continue
		case noB2B && r.From != nil && r.From.Branch():
			continue
		}
		rs = append(rs, r)
	}
	return newHubTable(t, rs)
}

func newHubTable(t *topology.HubRouteTable, rs []HubRoute) *HubTable {
	ht := &HubTable{Table: t, Routes: rs, lpm: &bart.Table[int32]{}}
	for i := range rs {
		if _, ok := ht.lpm.Get(rs[i].Prefix); !ok {
			ht.lpm.Insert(rs[i].Prefix, int32(i))
		}
	}
	return ht
}

// hubSpokeRoutes adds to a spoke VNet's context what its hub connection
// teaches it (VW1: the associated table's routes, as the connection sees
// them): VirtualNetworkGateway routes toward the hub router (the firewall's
// address for a firewall next hop), and the hub's own range as a peering.
func (e *Engine) hubSpokeRoutes(c *vnetCtx) {
	hc := e.Net.HubConnectionOf(c.vnet)
	if hc == nil || hc.Hub() == nil {
		return
	}
	h := hc.Hub()
	if h.AddressPrefix.IsValid() {
		c.sysRoutes = append(c.sysRoutes, Route{Source: SourceDefault, Prefix: h.AddressPrefix, NextHopType: topology.HopVNetPeering, RemoteVNet: h.Name, Hub: h.Name, rank: rankVNet})
		c.vnetRanges = append(c.vnetRanges, h.AddressPrefix)
	}
	view := e.hub.conn[hc]
	if view == nil {
		return
	}
	own := map[netip.Prefix]bool{}
	for _, p := range c.vnet.AddressSpace {
		own[p.Masked()] = true
	}
	for _, r := range view.Routes {
		if own[r.Prefix] {
			continue
		}
		ips := h.RouterIPs
		if r.Firewall != nil && r.Firewall.PrivateIP.IsValid() {
			ips = []netip.Addr{r.Firewall.PrivateIP}
		}
		c.gwRoutes = append(c.gwRoutes, Route{Source: SourceGateway, Prefix: r.Prefix, NextHopType: topology.HopVirtualNetworkGateway,
			NextHopIPs: ips, Hub: h.Name, Connection: hc.Name, rank: rankGateway})
	}
}
