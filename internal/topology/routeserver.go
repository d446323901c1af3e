package topology

import "net/netip"

// Azure Route Server and the BGP peers (NVAs) it learns routes from. The
// rules live in package azure (routeserver.go) and cite Microsoft's "Azure
// Route Server overview" and FAQ
// (https://learn.microsoft.com/azure/route-server/route-server-faq).

// RouteServer is an Azure Route Server: control plane only (never a hop),
// it programs the routes its BGP peers advertise into its VNet and into the
// peered VNets that use its VNet's gateways (useRemoteGateways).
type RouteServer struct {
	Src  Source `yaml:"-" json:"-"`
	Name string `yaml:"name" json:"name,omitempty"`
	ID   string `yaml:"id" json:"id,omitempty"`
	// VNet holds the route server (in its RouteServerSubnet).
	VNet string `yaml:"vnet" json:"vnet,omitempty"`
	// ASN is always 65515 in Azure; kept as exported.
	ASN uint32       `yaml:"asn" json:"asn,omitempty"`
	IPs []netip.Addr `yaml:"ips" json:"ips,omitempty"`
	// BranchToBranch is allowBranchToBranchTraffic: routes are exchanged
	// between the NVAs and the VNet's VPN/ExpressRoute gateways.
	BranchToBranch bool       `yaml:"branch_to_branch" json:"branch_to_branch,omitempty"`
	Peers          []*BGPPeer `yaml:"peers" json:"peers,omitempty"`

	vnet *VNet
}

// VNetRef returns the route server's VNet (set by Index).
func (r *RouteServer) VNetRef() *VNet { return r.vnet }

// BGPPeer is a BGP peering of a Route Server or of a virtual hub router
// with an appliance (an NVA), and the routes the appliance advertises.
type BGPPeer struct {
	Src     Source     `yaml:"-" json:"-"`
	Name    string     `yaml:"name" json:"name,omitempty"`
	ID      string     `yaml:"id" json:"id,omitempty"`
	PeerIP  netip.Addr `yaml:"peer_ip" json:"peer_ip,omitempty"`
	PeerASN uint32     `yaml:"peer_asn" json:"peer_asn,omitempty"`
	// Connection is the hub VNet connection a hub BGP peer rides on (the
	// spoke holding the NVA); hub peers only.
	Connection string `yaml:"connection" json:"connection,omitempty"`
	// Routes are what the peer advertises: from a design, or recorded
	// with listLearnedRoutes.
	Routes []*BGPRoute `yaml:"routes" json:"routes,omitempty"`

	hub *VirtualHub
}

// Hub returns the hub of a hub BGP peer (set by Index; nil for Route Server peers).
func (p *BGPPeer) Hub() *VirtualHub { return p.hub }

// BGPRoute is one route a BGP peer advertises.
type BGPRoute struct {
	Prefix netip.Prefix `yaml:"prefix" json:"prefix,omitempty"`
	// NextHop defaults to the peer's address.
	NextHop netip.Addr `yaml:"next_hop" json:"next_hop,omitempty"`
	ASPath  string     `yaml:"as_path" json:"as_path,omitempty"`
}

// Hop returns the route's next hop: its own, else the peer's address.
func (r *BGPRoute) Hop(p *BGPPeer) netip.Addr {
	if r.NextHop.IsValid() {
		return r.NextHop
	}
	return p.PeerIP
}

// RouteServer returns the route server with that name or id.
func (n *Network) RouteServer(ref string) *RouteServer { return get[*RouteServer](n.ix().rss, ref) }

// RouteServersIn returns the route servers deployed in v.
func (n *Network) RouteServersIn(v *VNet) []*RouteServer {
	var out []*RouteServer
	for _, r := range n.RouteServers {
		if r.vnet == v {
			out = append(out, r)
		}
	}
	return out
}
