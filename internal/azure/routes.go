package azure

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/gaissmai/bart"

	"github.com/pathproof/pathproof/internal/topology"
)

// Route is one effective route of a subnet.
type Route struct {
	Source      RouteSource
	State       string       // StateActive or StateInvalid
	Prefix      netip.Prefix // invalid when Tag could not be resolved
	Tag         string       // the service tag a tag route or service endpoint route came from
	NextHopType topology.HopType
	NextHopIPs  []netip.Addr
	Name        string // UDR name
	RouteTable  string // route table holding the UDR
	Gateway     string // gateway that injected a VirtualNetworkGateway route
	Connection  string // connection the gateway learned it over
	RemoteVNet  string // peer of a VNetPeering route
	PE          string // private endpoint of an InterfaceEndpoint route
	Hub         string // virtual hub of a route a hub connection teaches a spoke
	RouteServer string // route server that programmed a BGP peer's route
	Note        string // why a route is Invalid or unresolved

	rank int
}

// PrefixString renders the prefix, or the tag when unresolved.
func (r *Route) PrefixString() string {
	if r.Prefix.IsValid() {
		return r.Prefix.String()
	}
	return r.Tag + " (service tag, unresolved)"
}

// RouteTable is the effective route table of one subnet (§1.3: routes are
// per subnet; every NIC in the subnet sees the same table). Subnets of one
// VNet with the same route table and service endpoints share Routes,
// Assumptions and the lookup tables (engine.go, tableKey): treat them as
// read-only.
type RouteTable struct {
	Subnet *topology.Subnet
	Routes []Route
	// Assumptions lists [?] choices (§2.2) that shaped this table.
	Assumptions []string

	all, nonGW, sys *bart.Table[int32]
}

// Routes returns the effective routes of subnet s (nil if s is unknown).
func (e *Engine) Routes(s *topology.Subnet) *RouteTable { return e.tables[s] }

// RoutesOfNIC returns the effective routes of the NIC's subnet.
func (e *Engine) RoutesOfNIC(n *topology.NIC) *RouteTable {
	if n == nil {
		return nil
	}
	return e.tables[n.SubnetRef()]
}

// Lookup picks the route for dst (§2.6): Active routes only; a
// VirtualNetworkGateway route never wins where an Active VNet, peering or
// service endpoint route also contains dst ("even if BGP routes are more
// specific"); otherwise the longest prefix.
func (t *RouteTable) Lookup(dst netip.Addr) (*Route, bool) {
	i, ok := t.all.Lookup(dst)
	if !ok {
		return nil, false
	}
	if t.Routes[i].Source == SourceGateway && t.sys.Contains(dst) {
		if i, ok = t.nonGW.Lookup(dst); !ok {
			return nil, false
		}
	}
	return &t.Routes[i], true
}

// LookupWithoutUDRs picks the route for dst as if the subnet had no UDRs:
// the longest Active route that is not a user route. A private endpoint's
// reply takes it (§3.3).
func (t *RouteTable) LookupWithoutUDRs(dst netip.Addr) (*Route, bool) {
	var best *Route
	for i := range t.Routes {
		r := &t.Routes[i]
		if r.Source == SourceUser || r.State != StateActive || !r.Prefix.IsValid() || !r.Prefix.Contains(dst) {
			continue
		}
		if best == nil || r.Prefix.Bits() > best.Prefix.Bits() {
			best = r
		}
	}
	return best, best != nil
}

// RouteTableSystem is the route_table value of next hop when a system or
// gateway route wins (§2.1).
const RouteTableSystem = "System Route"

// NextHopResult is the answer of Network Watcher's next hop.
type NextHopResult struct {
	NextHopType topology.HopType
	NextHopIPs  []netip.Addr
	// RouteTable is the name of the route table holding the winning UDR, or "System Route".
	RouteTable string
	Route      *Route
	Subnet     *topology.Subnet
}

// NextHop answers next hop for a packet leaving the NIC (or other address
// owner with a subnet) that owns src toward dst.
func (e *Engine) NextHop(src, dst netip.Addr) (NextHopResult, error) {
	s := e.subnetOf(src)
	if s == nil {
		return NextHopResult{}, fmt.Errorf("no NIC, private endpoint or firewall owns %s", src)
	}
	return e.NextHopFromSubnet(s, dst)
}

// NextHopFromSubnet looks dst up in subnet s's effective routes.
func (e *Engine) NextHopFromSubnet(s *topology.Subnet, dst netip.Addr) (NextHopResult, error) {
	t := e.tables[s]
	if t == nil {
		return NextHopResult{}, fmt.Errorf("subnet %s is not part of the topology", s.Key())
	}
	r, ok := t.Lookup(dst)
	if !ok {
		return NextHopResult{Subnet: s, NextHopType: topology.HopNone, RouteTable: RouteTableSystem}, nil
	}
	res := NextHopResult{NextHopType: r.NextHopType, NextHopIPs: r.NextHopIPs, RouteTable: RouteTableSystem, Route: r, Subnet: s}
	if r.Source == SourceUser {
		res.RouteTable = r.RouteTable
	}
	return res, nil
}

func (e *Engine) subnetOf(ip netip.Addr) *topology.Subnet {
	o, ok := e.Net.Owner(ip)
	if !ok {
		return nil
	}
	if o.Kind == topology.OwnerGateway {
		if v := o.Gateway.VNetRef(); v != nil {
			return e.Net.Subnet(v.Name + "/GatewaySubnet")
		}
		return nil
	}
	return o.Subnet()
}

// vnetCtx is what every subnet of one VNet shares.
type vnetCtx struct {
	vnet       *topology.VNet
	peers      []peerRoute
	gateways   []*topology.Gateway
	gwRoutes   []Route
	pes        []*topology.PrivateEndpoint
	vnetRanges []netip.Prefix // own and peered ranges (reserved None replacement, §2.2)
	sysRoutes  []Route        // further system routes (a hub's range, vwan.go)
}

type peerRoute struct {
	remote *topology.VNet
	access bool // allowVirtualNetworkAccess on this side (VirtualNetwork tag, §2.8)
	global bool
}

// gatewayRouteCache computes each gateway's injected routes once.
func (e *Engine) gatewayRouteCache() map[*topology.Gateway][]Route {
	out := map[*topology.Gateway][]Route{}
	for _, g := range e.Net.Gateways {
		out[g] = e.gatewayRoutes(g)
	}
	return out
}

// connected reports whether both peering objects exist and are Connected (§2.8).
func (e *Engine) connected(p *topology.Peering) bool {
	if p.Remote() == nil || !p.Connected() {
		return false
	}
	r := e.Net.Reverse(p)
	return r != nil && r.Connected()
}

// GatewaysFor returns the gateways whose routes reach v: its own, else the
// one of a peer reached through gateway transit (§2.8: allowGatewayTransit
// on the gateway side and useRemoteGateways on v's side).
func (e *Engine) GatewaysFor(v *topology.VNet) []*topology.Gateway {
	if own := e.Net.GatewaysIn(v); len(own) > 0 {
		return own
	}
	for _, p := range e.Net.PeeringsOf(v) {
		if !p.UseRemoteGateways || !e.connected(p) {
			continue
		}
		if r := e.Net.Reverse(p); r != nil && r.AllowGatewayTransit {
			if gws := e.Net.GatewaysIn(p.Remote()); len(gws) > 0 {
				return gws
			}
		}
	}
	return nil
}

func (e *Engine) vnetContext(v *topology.VNet, gw map[*topology.Gateway][]Route) *vnetCtx {
	c := &vnetCtx{vnet: v}
	c.vnetRanges = append(c.vnetRanges, v.AddressSpace...)
	peered := map[*topology.VNet]bool{v: true}
	for _, p := range e.Net.PeeringsOf(v) {
		if !e.connected(p) {
			continue
		}
		rv := p.Remote()
		global := v.Region != "" && rv.Region != "" && !strings.EqualFold(v.Region, rv.Region)
		c.peers = append(c.peers, peerRoute{remote: rv, access: p.VNetAccess(), global: global})
		c.vnetRanges = append(c.vnetRanges, rv.AddressSpace...)
		peered[rv] = true
	}
	c.gateways = e.GatewaysFor(v)
	for _, g := range c.gateways {
		c.gwRoutes = append(c.gwRoutes, gw[g]...)
	}
	e.hubSpokeRoutes(c)
	c.gwRoutes = append(c.gwRoutes, e.routeServerRoutes(v)...)
	// §3.1: a PE's /32 reaches its own VNet and every directly peered VNet.
	for _, pe := range e.Net.PrivateEndpoints {
		if s := pe.SubnetRef(); s != nil && peered[s.VNet()] && pe.IP.IsValid() {
			c.pes = append(c.pes, pe)
		}
	}
	return c
}

// Route ranks for same-prefix selection (§2.6).
const (
	rankNone     = 10
	rankDefault  = 20
	rankPE       = 30
	rankGateway  = 50
	rankVNet     = 60 // VnetLocal/VNetPeering beat a same-prefix BGP route
	rankUserTag  = 90
	rankUser     = 100
	rankEndpoint = 1000 // a service endpoint route is never beaten
)

func (e *Engine) buildTable(s *topology.Subnet, c *vnetCtx) *RouteTable {
	t := &RouteTable{Subnet: s}
	var rs []Route
	// §2.2: one VnetLocal route per address range of the VNet.
	for _, p := range c.vnet.AddressSpace {
		rs = append(rs, Route{Source: SourceDefault, Prefix: p, NextHopType: topology.HopVnetLocal, rank: rankVNet})
	}
	// §2.3/§2.8: each range of a directly peered VNet.
	for _, p := range c.peers {
		typ := topology.HopVNetPeering
		if p.global {
			typ = topology.HopVNetGlobalPeering
			t.Assumptions = append(t.Assumptions, fmt.Sprintf("peering to %s crosses regions: next hop shown as VNetGlobalPeering ([?] docs/azure-semantics.md §2.1, name from field output)", p.remote.Name))
		}
		for _, pr := range p.remote.AddressSpace {
			rs = append(rs, Route{Source: SourceDefault, Prefix: pr, NextHopType: typ, RemoteVNet: p.remote.Name, rank: rankVNet})
		}
	}
	rs = append(rs, c.sysRoutes...)
	for _, h := range c.vnet.MissingHubs {
		t.Assumptions = append(t.Assumptions, MissingHubAssumption(c.vnet, h))
	}
	rt := e.Net.RouteTable(s.RouteTable)
	// §2.5: disableBgpRoutePropagation drops every gateway-sourced route.
	if rt == nil || !rt.DisableBGPRoutePropagation {
		rs = append(rs, c.gwRoutes...)
	}
	// §2.3: service endpoint routes, only in the subnet that enables them.
	for _, se := range s.ServiceEndpoints {
		tag := ServiceEndpointTag(se)
		pfx, ok := e.resolveTag(tag, c.vnet.Region)
		if !ok {
			rs = append(rs, Route{Source: SourceDefault, Tag: tag, NextHopType: topology.HopServiceEndpoint, rank: rankEndpoint,
				Note: "service endpoint prefixes need --service-tags"})
			t.Assumptions = append(t.Assumptions, fmt.Sprintf("service endpoint %s: prefixes unknown without --service-tags (shown as one unresolved route)", se))
			continue
		}
		for _, p := range pfx {
			rs = append(rs, Route{Source: SourceDefault, Prefix: p, Tag: tag, NextHopType: topology.HopServiceEndpoint, rank: rankEndpoint})
		}
	}
	// §3.1: private endpoint /32 routes.
	for _, pe := range c.pes {
		rs = append(rs, Route{Source: SourceDefault, Prefix: netip.PrefixFrom(pe.IP, pe.IP.BitLen()), NextHopType: topology.HopInterfaceEndpoint, PE: pe.Name, rank: rankPE})
	}
	// §2.4: user-defined routes; a prefix may be a service tag.
	removeNone := false
	if rt != nil {
		for _, r := range rt.Routes {
			base := Route{Source: SourceUser, NextHopType: r.NextHopType, Name: r.Name, RouteTable: rt.Name, rank: rankUser}
			if r.NextHopType == topology.HopVirtualApplianceEcmp {
				base.NextHopType = topology.HopVirtualAppliance // §2.1: treat as VirtualAppliance with a set
			}
			if r.NextHopIP.IsValid() {
				base.NextHopIPs = []netip.Addr{r.NextHopIP}
			}
			base.NextHopIPs = append(base.NextHopIPs, r.NextHopIPs...)
			if p, err := netip.ParsePrefix(r.Prefix); err == nil {
				base.Prefix = p.Masked()
				rs = append(rs, base)
				// §2.2: a 0/0 UDR to an appliance (or a VPN gateway [R]) removes the reserved None routes.
				if base.Prefix.Bits() == 0 && (base.NextHopType == topology.HopVirtualAppliance || base.NextHopType == topology.HopVirtualNetworkGateway) {
					removeNone = true
				}
				continue
			}
			base.Tag, base.rank = r.Prefix, rankUserTag
			pfx, ok := e.resolveTag(r.Prefix, "")
			if !ok {
				base.Note = "service tag unresolved (load --service-tags)"
				rs = append(rs, base)
				t.Assumptions = append(t.Assumptions, fmt.Sprintf("route %s uses service tag %s: unresolved without --service-tags", r.Name, r.Prefix))
				continue
			}
			for _, p := range pfx {
				b := base
				b.Prefix = p
				rs = append(rs, b)
			}
		}
	}
	if !removeNone && (rt == nil || !rt.DisableBGPRoutePropagation) {
		for _, r := range c.gwRoutes {
			if r.Prefix.Bits() == 0 {
				removeNone = true
				t.Assumptions = append(t.Assumptions, "a 0.0.0.0/0 learned from the gateway removes the reserved None routes ([?] docs/azure-semantics.md §2.2 default)")
				break
			}
		}
	}
	// §2.2: reserved None routes: replaced by an equal VNet/peered range,
	// removed by a containing one, removed altogether by a 0/0 UDR to an appliance.
	if !removeNone {
	none:
		for _, np := range e.none {
			for _, vr := range c.vnetRanges {
				if vr.Bits() <= np.Bits() && vr.Contains(np.Addr()) {
					continue none
				}
			}
			rs = append(rs, Route{Source: SourceDefault, Prefix: np, NextHopType: topology.HopNone, rank: rankNone})
		}
	}
	rs = append(rs, Route{Source: SourceDefault, Prefix: netip.MustParsePrefix("0.0.0.0/0"), NextHopType: topology.HopInternet, rank: rankDefault})
	// §2.6: within a group of identical prefixes the best rank is Active.
	best := map[netip.Prefix]int{}
	for _, r := range rs {
		if r.Prefix.IsValid() && r.rank > best[r.Prefix] {
			best[r.Prefix] = r.rank
		}
	}
	for i := range rs {
		rs[i].State = StateActive
		if rs[i].Prefix.IsValid() && rs[i].rank < best[rs[i].Prefix] {
			rs[i].State = StateInvalid
		}
	}
	e.invalidatePERoutes(rs)
	sort.SliceStable(rs, func(i, j int) bool { return sourceOrder(rs[i].Source) < sourceOrder(rs[j].Source) })
	t.Routes = rs
	t.all, t.nonGW, t.sys = &bart.Table[int32]{}, &bart.Table[int32]{}, &bart.Table[int32]{}
	for i := range rs {
		r := &rs[i]
		if r.State != StateActive || !r.Prefix.IsValid() {
			continue
		}
		insertFirst(t.all, r.Prefix, int32(i))
		if r.Source != SourceGateway {
			insertFirst(t.nonGW, r.Prefix, int32(i))
		}
		if r.Source == SourceDefault {
			switch r.NextHopType {
			case topology.HopVnetLocal, topology.HopVNetPeering, topology.HopVNetGlobalPeering, topology.HopServiceEndpoint:
				insertFirst(t.sys, r.Prefix, int32(i))
			}
		}
	}
	return t
}

func insertFirst(t *bart.Table[int32], p netip.Prefix, i int32) {
	if _, ok := t.Get(p); !ok {
		t.Insert(p, i)
	}
}

func sourceOrder(s RouteSource) int {
	switch s {
	case SourceDefault:
		return 0
	case SourceGateway:
		return 1
	}
	return 2
}

// invalidatePERoutes applies §3.2: with route-table network policies on the
// PE's subnet, a UDR that covers the PE IP and is at least as long as the PE
// VNet's range containing it invalidates the /32. 0.0.0.0/0 and shorter
// summaries do not.
func (e *Engine) invalidatePERoutes(rs []Route) {
	for i := range rs {
		r := &rs[i]
		if r.NextHopType != topology.HopInterfaceEndpoint || r.State != StateActive {
			continue
		}
		pe := e.Net.PrivateEndpoint(r.PE)
		if pe == nil || pe.SubnetRef() == nil {
			continue
		}
		switch pe.SubnetRef().PEPolicy() {
		case topology.PEPolicyRouteTable, topology.PEPolicyEnabled:
		default:
			continue
		}
		rangeBits := -1
		for _, p := range pe.SubnetRef().VNet().AddressSpace {
			if p.Contains(pe.IP) {
				rangeBits = p.Bits()
			}
		}
		if rangeBits < 0 {
			continue
		}
		for _, u := range rs {
			if u.Source == SourceUser && u.State == StateActive && u.Prefix.IsValid() && u.Prefix.Contains(pe.IP) && u.Prefix.Bits() >= rangeBits {
				r.State = StateInvalid
				r.Note = fmt.Sprintf("invalidated by UDR %s (%s) under network policies %s (docs/azure-semantics.md §3.2)", u.Name, u.Prefix, pe.SubnetRef().PEPolicy())
				break
			}
		}
	}
}

// gatewayRoutes are the VirtualNetworkGateway-source routes gateway g
// injects (§2.3): prefixes learned over each connection (BGP or static),
// translated by the connection's IngressSnat rules when BGP route
// translation is on (§6.2).
func (e *Engine) gatewayRoutes(g *topology.Gateway) []Route {
	var out []Route
	seen := map[netip.Prefix]bool{}
	hop := GatewayNextHopIPs(g)
	for _, c := range e.Net.ConnectionsOf(g) {
		for _, p := range e.learnedPrefixes(c) {
			if g.BGP.RouteTranslationForNAT {
				for _, nr := range connNATRules(c) {
					if strings.EqualFold(nr.Mode, "IngressSnat") {
						if m, ok := mapPrefix(p, nr.Internal, nr.External); ok {
							p = m
							break
						}
					}
				}
			}
			if seen[p] {
				continue
			}
			seen[p] = true
			out = append(out, Route{Source: SourceGateway, Prefix: p, NextHopType: topology.HopVirtualNetworkGateway,
				NextHopIPs: hop, Gateway: g.Name, Connection: c.Name, rank: rankGateway})
		}
	}
	return out
}

// ConnectionPrefixes returns the prefixes connection c's gateway injects
// as routes over c (§2.3), after BGP route translation; a prefix an earlier
// connection of the gateway injected is not repeated.
func (e *Engine) ConnectionPrefixes(c *topology.Connection) []netip.Prefix {
	var out []netip.Prefix
	for _, r := range e.gwRoutes[c.GatewayRef()] {
		if r.Connection == c.Name {
			out = append(out, r.Prefix)
		}
	}
	return out
}

// learnedPrefixes returns what a connection teaches its gateway: the
// explicit list, else the on-prem site's prefixes, else the remote
// gateway VNet's ranges (Vnet2Vnet).
func (e *Engine) learnedPrefixes(c *topology.Connection) []netip.Prefix {
	if len(c.LearnedPrefixes) > 0 {
		return c.LearnedPrefixes
	}
	if s := e.Net.OnPremSite(c.Remote); s != nil {
		return s.Prefixes
	}
	if g := e.Net.Gateway(c.Remote); g != nil && g.VNetRef() != nil {
		return g.VNetRef().AddressSpace
	}
	return nil
}

// GatewayNextHopIPs is the next hop IP shown for a gateway's routes (§2.3):
// the public IP of an active-standby VPN gateway, the instance IPs of an
// active-active one, nothing for ExpressRoute (MSEE addresses are unknown offline).
func GatewayNextHopIPs(g *topology.Gateway) []netip.Addr {
	if strings.EqualFold(g.Type, "ExpressRoute") {
		return nil
	}
	if g.ActiveActive && len(g.InstanceIPs) > 0 {
		return g.InstanceIPs
	}
	if g.PublicIP.IsValid() {
		return []netip.Addr{g.PublicIP}
	}
	return nil
}

func connNATRules(c *topology.Connection) []*topology.GatewayNATRule {
	g := c.GatewayRef()
	if g == nil {
		return nil
	}
	var out []*topology.GatewayNATRule
	for _, name := range c.NATRules {
		for _, r := range g.NATRules {
			if strings.EqualFold(r.Name, name) || (r.ID != "" && strings.EqualFold(r.ID, name)) {
				out = append(out, r)
			}
		}
	}
	return out
}

// MissingHubAssumption says that the routes virtual hub hub (not in the
// inputs) would program into VNet v are not known.
func MissingHubAssumption(v *topology.VNet, hub string) string {
	return fmt.Sprintf("VNet %s is connected to virtual hub %s, which is not in the inputs: the routes the hub would program (routing intent, branches, other spokes) are unknown, so these are the VNet's own routes only (export the hub too)", v.Name, hub)
}
