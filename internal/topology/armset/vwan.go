package armset

import (
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// VWAN holds the Virtual WAN and Route Server resources of a Set.
type VWAN struct {
	WANs        []*VirtualWAN
	Hubs        []*VirtualHub
	Tables      []*HubRouteTable
	Conns       []*HubConnection
	Intents     []*RoutingIntent
	BGPPeers    []*BGPPeer
	HubIPConfig map[string]string   // hub id key → subnet id (Route Server's RouteServerSubnet)
	HubIPSrc    map[string]HubIPRef // hub id key → where the ip configuration was read
	GatewayHub  map[string]string   // VPN / ExpressRoute gateway id key → hub id
	Sites       []*VPNSite
	Learned     []*LearnedRoutes
}

// HubIPRef is where a virtualHubs/ipConfigurations resource was read and
// the hub id it names as written.
type HubIPRef struct {
	Src
	HubID string
}

// VirtualWAN is a virtualWans resource.
type VirtualWAN struct {
	Src
	Name, Type     string
	BranchToBranch bool
}

// VirtualHub is a virtualHubs resource: a Virtual WAN hub, or a Route
// Server when it names no virtual WAN.
type VirtualHub struct {
	Src
	Name, WANID, AddressPrefix, RoutingPreference string
	RouterIPs                                     []string
	ASN                                           int
	BranchToBranch                                bool
	SubnetID                                      string // Route Server: its ipConfigurations subnet
	Region                                        string
}

// HubRouteTable is a virtualHubs/hubRouteTables resource.
type HubRouteTable struct {
	Src
	HubID, Name string
	Labels      []string
	Routes      []*topology.HubRoute
}

// HubConnection is a hub VNet connection, a VPN connection or an
// ExpressRoute connection.
type HubConnection struct {
	Src
	HubID, GatewayID, Name, Type string // GatewayID: VPN/ER connections, resolved to a hub
	RemoteVNetID, SiteID         string
	Associated                   string
	PropagatedTables, Labels     []string
	StaticRoutes                 []*topology.HubStaticRoute
	PropagateStatic              *bool
	InternetSecurity             bool
}

// RoutingIntent is a virtualHubs/routingIntent resource.
type RoutingIntent struct {
	Src
	HubID, Name                 string
	PrivateNextHop, InetNextHop string
}

// AddPolicy records one routing policy: nextHop for each of its destinations
// (PrivateTraffic or Internet, any case; others are ignored). The ARM and
// Terraform readers both call it.
func (ri *RoutingIntent) AddPolicy(destinations []string, nextHop string) {
	for _, d := range destinations {
		switch {
		case strings.EqualFold(d, "PrivateTraffic"):
			ri.PrivateNextHop = nextHop
		case strings.EqualFold(d, "Internet"):
			ri.InetNextHop = nextHop
		}
	}
}

// NewStaticRoute builds a hub connection's static VNet route; prefixes that
// do not parse are dropped, as is a next hop that does not.
func NewStaticRoute(name string, prefixes []string, nextHop string) *topology.HubStaticRoute {
	hs := &topology.HubStaticRoute{Name: name}
	for _, p := range prefixes {
		if pf, err := netip.ParsePrefix(strings.TrimSpace(p)); err == nil {
			hs.Prefixes = append(hs.Prefixes, pf)
		}
	}
	hs.NextHopIP, _ = netip.ParseAddr(nextHop)
	return hs
}

// BGPPeer is a virtualHubs/bgpConnections (or virtualRouters/peerings) resource.
type BGPPeer struct {
	Src
	HubID, Name, PeerIP, ConnectionID string
	ASN                               int
}

// VPNSite is a vpnSites resource: an on-premises site of Virtual WAN.
type VPNSite struct {
	Src
	Name     string
	Prefixes []string
}

// LearnedRoutes is a listLearnedRoutes answer: what a route server (hub)
// learned from one peer.
type LearnedRoutes struct {
	Src
	Hub, Peer string // from the REST example's parameters, when known
	Routes    []LearnedRoute
}

// LearnedRoute is one route of a listLearnedRoutes answer.
type LearnedRoute struct {
	Network, NextHop, SourcePeer, ASPath string
}

// VirtualWAN returns s.VWANs, its maps made.
func (s *Set) VirtualWAN() *VWAN {
	if s.VWANs.HubIPConfig == nil {
		s.VWANs.HubIPConfig, s.VWANs.GatewayHub, s.VWANs.HubIPSrc = map[string]string{}, map[string]string{}, map[string]HubIPRef{}
	}
	return &s.VWANs
}

// vwan maps virtual WANs, hubs (and Route Servers), their tables,
// connections, routing intents, BGP peers, VPN sites and learned routes.
func (m *mapper) vwan() {
	w := m.s.VirtualWAN()
	for _, x := range w.WANs {
		m.net.VirtualWANs = append(m.net.VirtualWANs, &topology.VirtualWAN{Src: source(x.Src), Name: x.Name, ID: x.ID, Type: x.Type, DisableBranchToBranch: !x.BranchToBranch})
	}
	for _, x := range w.Sites {
		site := &topology.OnPremSite{Src: source(x.Src), Name: x.Name, ID: x.ID}
		site.Prefixes = m.prefixes(x.Src, "VPN site prefix", x.Prefixes)
		m.net.OnPremSites = append(m.net.OnPremSites, site)
	}
	hubs := map[string]*topology.VirtualHub{}
	rss := map[string]*topology.RouteServer{}
	for _, x := range w.Hubs {
		subnet := x.SubnetID
		if subnet == "" {
			subnet = w.HubIPConfig[arm.IDKey(x.ID)]
		}
		if x.WANID == "" && subnet != "" {
			rs := &topology.RouteServer{Src: source(x.Src), Name: x.Name, ID: x.ID, VNet: arm.ParseID(subnet).Parent().Raw, ASN: uint32(x.ASN), BranchToBranch: x.BranchToBranch}
			rs.IPs = m.addrs(x.Src, "route server IP", x.RouterIPs)
			rss[arm.IDKey(x.ID)] = rs
			m.net.RouteServers = append(m.net.RouteServers, rs)
			continue
		}
		h := &topology.VirtualHub{Src: source(x.Src), Name: x.Name, ID: x.ID, WAN: x.WANID, RouterASN: uint32(x.ASN), RoutingPreference: x.RoutingPreference, Region: x.Region}
		if x.AddressPrefix != "" {
			h.AddressPrefix, _ = m.prefix(x.Src, "hub address prefix", x.AddressPrefix)
		}
		h.RouterIPs = m.addrs(x.Src, "hub router IP", x.RouterIPs)
		if x.WANID == "" {
			m.notef(x.Src, "virtual hub %q names no virtual WAN and no Route Server subnet: read as a Virtual WAN hub", x.Name)
		}
		hubs[arm.IDKey(x.ID)] = h
		m.net.VirtualHubs = append(m.net.VirtualHubs, h)
	}
	for _, k := range slices.Sorted(maps.Keys(w.HubIPConfig)) {
		if hubs[k] == nil && rss[k] == nil {
			ref := w.HubIPSrc[k]
			m.missf(ref.Src, ref.HubID, "virtual hub ip configuration (subnet %s): its virtual hub %s is not in the inputs", orNone(w.HubIPConfig[k]), orNone(ref.HubID))
		}
	}
	for _, t := range w.Tables {
		h := hubs[arm.IDKey(t.HubID)]
		if h == nil {
			m.missf(t.Src, t.HubID, "hub route table %q: its virtual hub %s is not in the inputs", t.Name, orNone(t.HubID))
			continue
		}
		h.RouteTables = append(h.RouteTables, &topology.HubRouteTable{Src: source(t.Src), Name: t.Name, ID: t.ID, Labels: t.Labels, Routes: t.Routes})
	}
	for _, c := range w.Conns {
		hubID := c.HubID
		if hubID == "" {
			hubID = w.GatewayHub[arm.IDKey(c.GatewayID)]
		}
		h := hubs[arm.IDKey(hubID)]
		if h == nil {
			m.missf(c.Src, hubID+c.GatewayID, "hub connection %q: its virtual hub %s is not in the inputs", c.Name, orNone(hubID+c.GatewayID))
			// The spoke stays, but what the hub would program into it
			// (routing intent, branches, other spokes) is unknown.
			for _, v := range m.net.VNets {
				if c.RemoteVNetID != "" && arm.IDKey(v.ID) == arm.IDKey(c.RemoteVNetID) {
					v.MissingHubs = append(v.MissingHubs, orNone(hubID+c.GatewayID))
				}
			}
			continue
		}
		if c.Type == topology.HubConnExpressRoute {
			m.notef(c.Src, "ExpressRoute connection %q: the prefixes the circuit learns over BGP are not in the export; add them as 'prefixes' in a design file", c.Name)
		}
		h.Connections = append(h.Connections, &topology.HubConnection{Src: source(c.Src), Name: c.Name, ID: c.ID, Type: c.Type, RemoteVNet: c.RemoteVNetID, Site: c.SiteID,
			AssociatedRouteTable: c.Associated, PropagatedRouteTables: c.PropagatedTables, PropagatedLabels: c.Labels, StaticRoutes: c.StaticRoutes,
			PropagateStaticRoutes: c.PropagateStatic, InternetSecurity: c.InternetSecurity})
	}
	for _, ri := range w.Intents {
		h := hubs[arm.IDKey(ri.HubID)]
		if h == nil {
			m.missf(ri.Src, ri.HubID, "routing intent %q: its virtual hub %s is not in the inputs", ri.Name, orNone(ri.HubID))
			continue
		}
		h.RoutingIntent = &topology.RoutingIntent{Name: ri.Name, ID: ri.ID, PrivateNextHop: ri.PrivateNextHop, InternetNextHop: ri.InetNextHop}
	}
	for _, p := range w.BGPPeers {
		tp := &topology.BGPPeer{Src: source(p.Src), Name: p.Name, ID: p.ID, PeerASN: uint32(p.ASN), Connection: p.ConnectionID}
		tp.PeerIP = m.addr(p.Src, "BGP peer IP", p.PeerIP)
		switch {
		case rss[arm.IDKey(p.HubID)] != nil:
			rs := rss[arm.IDKey(p.HubID)]
			rs.Peers = append(rs.Peers, tp)
		case hubs[arm.IDKey(p.HubID)] != nil:
			h := hubs[arm.IDKey(p.HubID)]
			h.BGPPeers = append(h.BGPPeers, tp)
		default:
			m.missf(p.Src, p.HubID, "BGP peer %q: its route server or virtual hub %s is not in the inputs", p.Name, orNone(p.HubID))
		}
	}
	m.learnedRoutes(w.Learned)
}

// learnedRoutes attaches listLearnedRoutes answers to the route server
// peer they came from: by the example's hub and connection names, else by
// the source peer address.
func (m *mapper) learnedRoutes(ls []*LearnedRoutes) {
	for _, l := range ls {
		attached := 0
		for _, r := range l.Routes {
			peer := m.findPeer(l.Hub, l.Peer, r.SourcePeer)
			if peer == nil {
				continue
			}
			pfx, err := netip.ParsePrefix(r.Network)
			if err != nil {
				m.notef(l.Src, "learned route %q is not a CIDR; skipped", r.Network)
				continue
			}
			br := &topology.BGPRoute{Prefix: pfx.Masked(), ASPath: r.ASPath}
			if ip, err := netip.ParseAddr(r.NextHop); err == nil && ip != peer.PeerIP {
				br.NextHop = ip
			}
			if !hasRoute(peer, br) {
				peer.Routes = append(peer.Routes, br)
			}
			attached++
		}
		if attached == 0 && len(l.Routes) > 0 {
			peer := l.Peer
			if peer == "" {
				peer = l.Routes[0].SourcePeer
			}
			m.notef(l.Src, "learned routes of peer %s (route server %s): no such route server peer in the inputs; skipped", peer, orNone(l.Hub))
		}
	}
}

func hasRoute(p *topology.BGPPeer, r *topology.BGPRoute) bool {
	for _, x := range p.Routes {
		if x.Prefix == r.Prefix && x.NextHop == r.NextHop {
			return true
		}
	}
	return false
}

// findPeer finds the peer of a learned-routes answer among the route
// servers' peers, then the virtual hubs' BGP peers.
func (m *mapper) findPeer(hub, name, ip string) *topology.BGPPeer {
	match := func(router string, peers []*topology.BGPPeer) *topology.BGPPeer {
		if hub != "" && !strings.EqualFold(router, hub) {
			return nil
		}
		for _, p := range peers {
			if (name != "" && strings.EqualFold(p.Name, name)) || (name == "" && p.PeerIP.String() == ip) {
				return p
			}
		}
		return nil
	}
	for _, rs := range m.net.RouteServers {
		if p := match(rs.Name, rs.Peers); p != nil {
			return p
		}
	}
	for _, h := range m.net.VirtualHubs {
		if p := match(h.Name, h.BGPPeers); p != nil {
			return p
		}
	}
	return nil
}

func (m *mapper) addrs(src Src, what string, ss []string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		if ip := m.addr(src, what, s); ip.IsValid() {
			out = append(out, ip)
		}
	}
	return out
}
