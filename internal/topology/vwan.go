package topology

import (
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology/arm"
)

// Virtual WAN: virtual WANs, virtual hubs, hub route tables, hub
// connections (VNet, VPN, ExpressRoute) and routing intent. The rules that
// turn them into effective routes live in package azure (vwan.go); they
// cite Microsoft's "About virtual hub routing"
// (https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing)
// and "How to configure Virtual WAN hub routing intent and routing
// policies" (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies).

// Built-in hub route tables and labels: every hub has both tables; the
// default table carries the label "default", the none table "none".
const (
	HubDefaultTable = "defaultRouteTable"
	HubNoneTable    = "noneRouteTable"
	LabelDefault    = "default"
	LabelNone       = "none"
)

// Hub connection types.
const (
	HubConnVNet         = "VNet"
	HubConnVPN          = "VPN"
	HubConnExpressRoute = "ExpressRoute"
)

// VirtualWAN is a Virtual WAN: the hubs naming it form one full mesh.
type VirtualWAN struct {
	Src  Source `yaml:"-" json:"-"`
	Name string `yaml:"name" json:"name,omitempty"`
	ID   string `yaml:"id" json:"id,omitempty"`
	// Type is Standard (default) or Basic.
	Type string `yaml:"type" json:"type,omitempty"`
	// DisableBranchToBranch is allowBranchToBranchTraffic=false: branches
	// (VPN, ExpressRoute) do not learn each other's prefixes.
	DisableBranchToBranch bool `yaml:"disable_branch_to_branch" json:"disable_branch_to_branch,omitempty"`
}

// VirtualHub is a Virtual WAN hub: a Microsoft-managed VNet holding the hub
// router, gateways and optionally a firewall (a secured hub).
type VirtualHub struct {
	Src           Source       `yaml:"-" json:"-"`
	Name          string       `yaml:"name" json:"name,omitempty"`
	ID            string       `yaml:"id" json:"id,omitempty"`
	WAN           string       `yaml:"wan" json:"wan,omitempty"` // virtual WAN name or id
	Region        string       `yaml:"region" json:"region,omitempty"`
	AddressPrefix netip.Prefix `yaml:"address_prefix" json:"address_prefix,omitempty"`
	// RouterIPs are the hub router's addresses (virtualRouterIps).
	RouterIPs []netip.Addr `yaml:"router_ips" json:"router_ips,omitempty"`
	RouterASN uint32       `yaml:"router_asn" json:"router_asn,omitempty"`
	// RoutingPreference is hubRoutingPreference: ExpressRoute (default),
	// VpnGateway or ASPath.
	RoutingPreference string           `yaml:"routing_preference" json:"routing_preference,omitempty"`
	RouteTables       []*HubRouteTable `yaml:"route_tables" json:"route_tables,omitempty"`
	Connections       []*HubConnection `yaml:"connections" json:"connections,omitempty"`
	RoutingIntent     *RoutingIntent   `yaml:"routing_intent" json:"routing_intent,omitempty"`
	BGPPeers          []*BGPPeer       `yaml:"bgp_peers" json:"bgp_peers,omitempty"`

	wan     *VirtualWAN
	tables  map[string]*HubRouteTable
	conns   map[string]*HubConnection
	builtin map[string]*HubRouteTable
}

// WANRef returns the hub's virtual WAN (set by Index; nil when missing).
func (h *VirtualHub) WANRef() *VirtualWAN { return h.wan }

// HubRouteTable is a hub route table with its static routes and labels.
type HubRouteTable struct {
	Src    Source      `yaml:"-" json:"-"`
	Name   string      `yaml:"name" json:"name,omitempty"`
	ID     string      `yaml:"id" json:"id,omitempty"`
	Labels []string    `yaml:"labels" json:"labels,omitempty"`
	Routes []*HubRoute `yaml:"routes" json:"routes,omitempty"`

	hub *VirtualHub
}

// Hub returns the hub holding the table (set by Index).
func (t *HubRouteTable) Hub() *VirtualHub { return t.hub }

// HasLabel reports whether the table carries label l (case-insensitive).
func (t *HubRouteTable) HasLabel(l string) bool {
	for _, x := range t.Labels {
		if eqFold(x, l) {
			return true
		}
	}
	return false
}

// HubRoute is a static route of a hub route table: destinations (CIDRs)
// sent to a resource: the hub's Azure Firewall or a VNet connection (whose
// static routes name the appliance IP).
type HubRoute struct {
	Name         string   `yaml:"name" json:"name,omitempty"`
	Destinations []string `yaml:"destinations" json:"destinations,omitempty"`
	// NextHop is a firewall or hub connection name or id.
	NextHop string `yaml:"next_hop" json:"next_hop,omitempty"`
}

// HubConnection is a connection of a hub: a VNet connection, a site-to-site
// VPN connection or an ExpressRoute connection, with its routing
// configuration.
type HubConnection struct {
	Src  Source `yaml:"-" json:"-"`
	Name string `yaml:"name" json:"name,omitempty"`
	ID   string `yaml:"id" json:"id,omitempty"`
	// Type is VNet (default), VPN or ExpressRoute.
	Type string `yaml:"type" json:"type,omitempty"`
	// RemoteVNet is the spoke of a VNet connection.
	RemoteVNet string `yaml:"remote_vnet" json:"remote_vnet,omitempty"`
	// Site is the on-premises site (VPN site or ExpressRoute peer) of a
	// branch connection; its prefixes are what the hub learns.
	Site string `yaml:"site" json:"site,omitempty"`
	// Prefixes, when set, replace what the connection teaches the hub.
	Prefixes []netip.Prefix `yaml:"prefixes" json:"prefixes,omitempty"`
	// AssociatedRouteTable is a route table name or id; "" = defaultRouteTable.
	AssociatedRouteTable string `yaml:"associated_route_table" json:"associated_route_table,omitempty"`
	// PropagatedRouteTables and PropagatedLabels: both empty means the
	// default (propagate to defaultRouteTable and the label default).
	PropagatedRouteTables []string `yaml:"propagated_route_tables" json:"propagated_route_tables,omitempty"`
	PropagatedLabels      []string `yaml:"propagated_labels" json:"propagated_labels,omitempty"`
	// StaticRoutes of a VNet connection (vnetRoutes.staticRoutes).
	StaticRoutes []*HubStaticRoute `yaml:"static_routes" json:"static_routes,omitempty"`
	// PropagateStaticRoutes defaults to true.
	PropagateStaticRoutes *bool `yaml:"propagate_static_routes" json:"propagate_static_routes,omitempty"`
	// InternetSecurity is enableInternetSecurity: the hub's 0.0.0.0/0 is
	// propagated to this connection.
	InternetSecurity bool `yaml:"internet_security" json:"internet_security,omitempty"`

	hub  *VirtualHub
	vnet *VNet
	site *OnPremSite
}

// Hub returns the hub holding the connection (set by Index).
func (c *HubConnection) Hub() *VirtualHub { return c.hub }

// VNetRef returns the spoke VNet of a VNet connection (set by Index).
func (c *HubConnection) VNetRef() *VNet { return c.vnet }

// SiteRef returns the site of a branch connection (set by Index).
func (c *HubConnection) SiteRef() *OnPremSite { return c.site }

// Kind returns the connection type, VNet when unset.
func (c *HubConnection) Kind() string {
	switch {
	case eqFold(c.Type, HubConnVPN):
		return HubConnVPN
	case eqFold(c.Type, HubConnExpressRoute):
		return HubConnExpressRoute
	}
	return HubConnVNet
}

// Branch reports whether the connection is a VPN or ExpressRoute branch.
func (c *HubConnection) Branch() bool { return c.Kind() != HubConnVNet }

// StaticRoutesPropagate reports propagateStaticRoutes (default true).
func (c *HubConnection) StaticRoutesPropagate() bool {
	return c.PropagateStaticRoutes == nil || *c.PropagateStaticRoutes
}

// HubStaticRoute is a static route of a VNet connection: prefixes behind an
// appliance in the spoke.
type HubStaticRoute struct {
	Name      string         `yaml:"name" json:"name,omitempty"`
	Prefixes  []netip.Prefix `yaml:"prefixes" json:"prefixes,omitempty"`
	NextHopIP netip.Addr     `yaml:"next_hop_ip" json:"next_hop_ip,omitempty"`
}

// RoutingIntent is a hub's routing intent: private and/or Internet traffic
// to a security next hop in the hub (an Azure Firewall name or id, or a
// BGP peer NVA name).
type RoutingIntent struct {
	Name            string `yaml:"name" json:"name,omitempty"`
	ID              string `yaml:"id" json:"id,omitempty"`
	PrivateNextHop  string `yaml:"private_next_hop" json:"private_next_hop,omitempty"`
	InternetNextHop string `yaml:"internet_next_hop" json:"internet_next_hop,omitempty"`
	// PrivatePrefixes are additional private prefixes beyond RFC 1918.
	PrivatePrefixes []netip.Prefix `yaml:"private_prefixes" json:"private_prefixes,omitempty"`
}

// RouteTable returns the hub's route table by name or id; the built-in
// defaultRouteTable and noneRouteTable exist even when not listed.
func (h *VirtualHub) RouteTable(ref string) *HubRouteTable {
	if ref == "" {
		ref = HubDefaultTable
	}
	if t := h.tables[key(ref)]; t != nil {
		return t
	}
	if strings.HasPrefix(ref, "/") {
		if t := h.tables[key(arm.LastSegment(ref))]; t != nil {
			return t
		}
	}
	return nil
}

// Connection returns the hub's connection by name or id.
func (h *VirtualHub) Connection(ref string) *HubConnection {
	if c := h.conns[key(ref)]; c != nil {
		return c
	}
	if strings.HasPrefix(ref, "/") {
		return h.conns[key(arm.LastSegment(ref))]
	}
	return nil
}

// AllRouteTables returns the listed route tables and the built-in ones not
// listed, in that order.
func (h *VirtualHub) AllRouteTables() []*HubRouteTable {
	out := append([]*HubRouteTable(nil), h.RouteTables...)
	for _, name := range []string{HubDefaultTable, HubNoneTable} {
		if t := h.builtin[key(name)]; t != nil {
			out = append(out, t)
		}
	}
	return out
}

// indexHub sets the hub's back-references and lookup maps; built-in tables
// not listed are made here (they carry their labels).
func (n *Network) indexHub(h *VirtualHub) {
	h.tables, h.conns, h.builtin = map[string]*HubRouteTable{}, map[string]*HubConnection{}, map[string]*HubRouteTable{}
	h.wan = get[*VirtualWAN](n.idx.wans, h.WAN)
	for _, t := range h.RouteTables {
		t.hub = h
		if t.Name != "" && h.tables[key(t.Name)] == nil {
			h.tables[key(t.Name)] = t
		}
		if t.ID != "" {
			h.tables[key(t.ID)] = t
		}
	}
	for name, label := range map[string]string{HubDefaultTable: LabelDefault, HubNoneTable: LabelNone} {
		if h.tables[key(name)] == nil {
			t := &HubRouteTable{Src: h.Src, Name: name, Labels: []string{label}, hub: h}
			if h.ID != "" {
				t.ID = h.ID + "/hubRouteTables/" + name
			}
			h.tables[key(name)] = t
			if t.ID != "" {
				h.tables[key(t.ID)] = t
			}
			h.builtin[key(name)] = t
		}
	}
	for _, c := range h.Connections {
		c.hub = h
		c.vnet = n.VNet(c.RemoteVNet)
		c.site = n.OnPremSite(c.Site)
		if c.Name != "" && h.conns[key(c.Name)] == nil {
			h.conns[key(c.Name)] = c
		}
		if c.ID != "" {
			h.conns[key(c.ID)] = c
		}
		if c.vnet != nil {
			n.idx.hubConnOfVNet[c.vnet] = c
		}
	}
	for _, p := range h.BGPPeers {
		p.hub = h
	}
}

// vwanIndex holds the Virtual WAN and Route Server lookups of index.
type vwanIndex struct {
	wans, hubs, rss map[string]any
	hubConnOfVNet   map[*VNet]*HubConnection
}

// indexVWAN indexes virtual WANs, hubs (their tables and connections) and
// route servers; a hub firewall owns its private IP like any firewall.
func (n *Network) indexVWAN(ix *index) {
	ix.wans, ix.hubs, ix.rss, ix.hubConnOfVNet = map[string]any{}, map[string]any{}, map[string]any{}, map[*VNet]*HubConnection{}
	for _, w := range n.VirtualWANs {
		put(ix.wans, w.Name, w.ID, w)
	}
	for _, h := range n.VirtualHubs {
		put(ix.hubs, h.Name, h.ID, h)
	}
	for _, h := range n.VirtualHubs {
		n.indexHub(h)
	}
	for _, r := range n.RouteServers {
		put(ix.rss, r.Name, r.ID, r)
		r.vnet = n.VNet(r.VNet)
	}
}

// VirtualWAN returns the virtual WAN with that name or id.
func (n *Network) VirtualWAN(ref string) *VirtualWAN { return get[*VirtualWAN](n.ix().wans, ref) }

// VirtualHub returns the hub with that name or id.
func (n *Network) VirtualHub(ref string) *VirtualHub { return get[*VirtualHub](n.ix().hubs, ref) }

// HubConnectionOf returns the hub VNet connection whose spoke is v, or nil.
func (n *Network) HubConnectionOf(v *VNet) *HubConnection {
	return n.ix().hubConnOfVNet[v]
}

// HubsOf returns the hubs of virtual WAN w (every hub when w is nil and the
// hub names no WAN, so a design with one implicit WAN still meshes).
func (n *Network) HubsOf(w *VirtualWAN) []*VirtualHub {
	var out []*VirtualHub
	for _, h := range n.VirtualHubs {
		if h.wan == w {
			out = append(out, h)
		}
	}
	return out
}
