// Package azure applies Azure's documented rules to a topology.Network:
// effective routes and next hop (§2), private endpoint routes (§3), NSG
// evaluation, IP flow verify, NSG diagnostics and effective security rules
// (§4), Azure Firewall policy decisions and NAT (§5) and VPN gateway
// advertisement and NAT (§6). Section numbers cite the rule book in this
// repository, docs/azure-semantics.md, which links Microsoft's documentation
// for each rule.
//
// Everything is a pure function of the Network and Options: New precomputes
// every subnet's effective route table once (longest-prefix match through
// github.com/gaissmai/bart), and queries never modify the model. An Engine
// is safe for concurrent queries.
package azure

import (
	"net/netip"
	"strings"
	"sync"

	"github.com/pathproof/pathproof/internal/topology"
)

// RouteSource is where an effective route comes from, spelled as Azure's
// effective routes spell it (§2.1).
type RouteSource string

// Route sources (§2.1).
const (
	SourceDefault RouteSource = "Default"
	SourceUser    RouteSource = "User"
	SourceGateway RouteSource = "VirtualNetworkGateway"
)

// Route states (§2.1).
const (
	StateActive  = "Active"
	StateInvalid = "Invalid"
)

// Platform None-route profiles (§2.2).
const (
	ProfileDocumented = "documented"
	ProfileObserved   = "observed"
)

// DocumentedNoneRoutes are the reserved prefixes Microsoft documents (§2.2).
var DocumentedNoneRoutes = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
}

// ObservedNoneRoutes is a dated list of extra None routes seen in real
// effective-route output (§2.2 field observations, 2020s samples; it lacks
// 172.16.0.0/12 as real outputs frequently do).
var ObservedNoneRoutes = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("157.59.0.0/16"),
	netip.MustParsePrefix("23.103.0.0/18"),
	netip.MustParsePrefix("20.35.252.0/22"),
	netip.MustParsePrefix("40.108.0.0/17"),
	netip.MustParsePrefix("40.109.0.0/16"),
	netip.MustParsePrefix("104.146.0.0/17"),
	netip.MustParsePrefix("104.147.0.0/16"),
	netip.MustParsePrefix("25.4.0.0/14"),
	netip.MustParsePrefix("25.33.0.0/16"),
	netip.MustParsePrefix("25.41.0.0/20"),
	netip.MustParsePrefix("25.48.0.0/12"),
	netip.MustParsePrefix("25.148.0.0/15"),
	netip.MustParsePrefix("25.176.0.0/13"),
}

// Options tune the engine.
type Options struct {
	// Profile is ProfileDocumented (default) or ProfileObserved: which
	// platform None routes every subnet gets (§2.2).
	Profile string
	// Tags resolves service tags other than VirtualNetwork, Internet and
	// AzureLoadBalancer; nil = those resolve to "unknown" (§4.3).
	Tags *ServiceTags
}

// Engine answers Network Watcher questions about one Network.
type Engine struct {
	Net  *topology.Network
	opts Options
	none []netip.Prefix

	tables map[*topology.Subnet]*RouteTable

	gwRoutes map[*topology.Gateway][]Route
	nsgCache map[*topology.NSG][2][]rule

	hub hubState // Virtual WAN hub tables (vwan.go)

	mu     sync.Mutex
	vnetTg map[tagKey]*tagSet
}

// New indexes n if needed and computes every subnet's effective routes.
func New(n *topology.Network, o Options) *Engine {
	e := &Engine{Net: n, opts: o, tables: map[*topology.Subnet]*RouteTable{}, vnetTg: map[tagKey]*tagSet{}}
	switch o.Profile {
	case ProfileObserved:
		e.none = ObservedNoneRoutes
	default:
		e.opts.Profile = ProfileDocumented
		e.none = DocumentedNoneRoutes
	}
	n.Index()
	gw := e.gatewayRouteCache()
	e.gwRoutes = gw
	e.nsgCache = map[*topology.NSG][2][]rule{}
	for _, g := range n.NSGs {
		e.nsgCache[g] = [2][]rule{nsgRules(g, Inbound), nsgRules(g, Outbound)}
	}
	e.buildHubs()
	for _, v := range n.VNets {
		vc := e.vnetContext(v, gw)
		shared := map[tableKey]*RouteTable{}
		for _, s := range v.Subnets {
			k := e.tableKeyOf(s)
			base, ok := shared[k]
			if !ok {
				base = e.buildTable(s, vc)
				shared[k] = base
			}
			t := *base
			t.Subnet = s
			e.tables[s] = &t
		}
	}
	return e
}

// tableKey is what buildTable reads from a subnet besides its VNet: the
// route table it is associated with (nil for none or an unknown name) and
// its service endpoints, in order. Subnets of one VNet with equal keys get
// equal effective routes (§1.3 per subnet, §2.3 service endpoints, §2.4
// UDRs, §2.5 propagation), so New builds the routes once per key and each
// subnet's RouteTable shares them (read-only) under its own Subnet.
type tableKey struct {
	rt *topology.RouteTable
	se string
}

func (e *Engine) tableKeyOf(s *topology.Subnet) tableKey {
	return tableKey{rt: e.Net.RouteTable(s.RouteTable), se: strings.Join(s.ServiceEndpoints, "\x00")}
}

// Profile returns the platform None-route profile in use.
func (e *Engine) Profile() string { return e.opts.Profile }

// Tags returns the service tags in use (nil when none were loaded).
func (e *Engine) Tags() *ServiceTags { return e.opts.Tags }
