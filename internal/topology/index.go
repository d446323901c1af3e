package topology

import (
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology/arm"
)

// Owner kinds of an address.
const (
	OwnerNIC      = "nic"
	OwnerPE       = "pe"
	OwnerFirewall = "firewall"
	OwnerGateway  = "gateway"
	OwnerLB       = "lb" // a load balancer frontend
)

// Owner is whatever owns an address inside Azure.
type Owner struct {
	Kind     string // OwnerNIC, OwnerPE, OwnerFirewall, OwnerGateway, OwnerLB
	NIC      *NIC
	PE       *PrivateEndpoint
	Firewall *Firewall
	Gateway  *Gateway
	LB       *LoadBalancer
	Frontend *LBFrontend
}

// Subnet is the subnet of a NIC, private endpoint or firewall owner; nil
// for a gateway (it sits in its VNet's GatewaySubnet, which callers that
// want it look up) or an owner whose subnet is not in the topology.
func (o Owner) Subnet() *Subnet {
	switch o.Kind {
	case OwnerNIC:
		return o.NIC.SubnetRef()
	case OwnerPE:
		return o.PE.SubnetRef()
	case OwnerFirewall:
		return o.Firewall.SubnetRef()
	case OwnerLB:
		return o.Frontend.SubnetRef()
	}
	return nil
}

// index holds the lookup maps built by Index. Keys are lower-cased names or ids.
type index struct {
	vnets, rts, nsgs, asgs, nics, pes, fws, pols, ipgs, gws, conns, sites map[string]any
	subnets                                                               map[string]*Subnet
	peerings                                                              map[*VNet][]*Peering
	owners                                                                map[netip.Addr]Owner
	publicIPs                                                             map[netip.Addr]Owner
	lbs, natgws                                                           map[string]any
	subnetNAT                                                             map[*Subnet]*NATGateway
	nicPools                                                              map[*NIC][]LBPoolRef
	vwanIndex
	dnsZones  map[string]any
	vnetZones map[*VNet][]ZoneLink
}

func eqFold(a, b string) bool { return strings.EqualFold(a, b) }

func key(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func put(m map[string]any, name, id string, v any) {
	if name != "" {
		if _, dup := m[key(name)]; !dup {
			m[key(name)] = v
		}
	}
	if id != "" {
		m[key(id)] = v
	}
}

func get[T any](m map[string]any, ref string) T {
	var zero T
	if ref == "" || m == nil {
		return zero
	}
	v, ok := m[key(ref)]
	if !ok && strings.HasPrefix(ref, "/") {
		v, ok = m[key(arm.LastSegment(ref))]
	}
	if !ok {
		return zero
	}
	t, _ := v.(T)
	return t
}

// Index (re)builds the lookup maps and back-references. Call it after
// loading or changing the model; lookups before Index find nothing.
func (n *Network) Index() {
	ix := &index{
		vnets: map[string]any{}, rts: map[string]any{}, nsgs: map[string]any{}, asgs: map[string]any{},
		nics: map[string]any{}, pes: map[string]any{}, fws: map[string]any{}, pols: map[string]any{},
		ipgs: map[string]any{}, gws: map[string]any{}, conns: map[string]any{}, sites: map[string]any{},
		subnets: map[string]*Subnet{}, peerings: map[*VNet][]*Peering{},
		owners: map[netip.Addr]Owner{}, publicIPs: map[netip.Addr]Owner{},
	}
	n.idx = ix
	for _, v := range n.VNets {
		put(ix.vnets, v.Name, v.ID, v)
		for _, s := range v.Subnets {
			s.vnet = v
			ix.subnets[key(v.Name+"/"+s.Name)] = s
			if v.ID != "" {
				ix.subnets[key(v.ID+"/subnets/"+s.Name)] = s
			}
			if s.ID != "" {
				ix.subnets[key(s.ID)] = s
			}
		}
	}
	for _, r := range n.RouteTables {
		put(ix.rts, r.Name, r.ID, r)
	}
	for _, x := range n.NSGs {
		put(ix.nsgs, x.Name, x.ID, x)
	}
	for _, x := range n.ASGs {
		put(ix.asgs, x.Name, x.ID, x)
	}
	for _, x := range n.FirewallPolicies {
		put(ix.pols, x.Name, x.ID, x)
	}
	for _, x := range n.IPGroups {
		put(ix.ipgs, x.Name, x.ID, x)
	}
	for _, x := range n.OnPremSites {
		put(ix.sites, x.Name, x.ID, x)
	}
	for _, p := range n.Peerings {
		p.vnet, p.remote = n.VNet(p.VNet), n.VNet(p.RemoteVNet)
		if p.vnet != nil {
			ix.peerings[p.vnet] = append(ix.peerings[p.vnet], p)
		}
	}
	for _, x := range n.NICs {
		put(ix.nics, x.Name, x.ID, x)
		x.subnet = n.Subnet(x.Subnet)
		for _, ip := range append([]netip.Addr{x.IP}, x.AdditionalIPs...) {
			if ip.IsValid() {
				if _, dup := ix.owners[ip]; !dup {
					ix.owners[ip] = Owner{Kind: OwnerNIC, NIC: x}
				}
			}
		}
		if x.PublicIP.IsValid() {
			ix.publicIPs[x.PublicIP] = Owner{Kind: OwnerNIC, NIC: x}
		}
	}
	for _, x := range n.PrivateEndpoints {
		put(ix.pes, x.Name, x.ID, x)
		x.subnet = n.Subnet(x.Subnet)
		if _, dup := ix.owners[x.IP]; x.IP.IsValid() && !dup {
			ix.owners[x.IP] = Owner{Kind: OwnerPE, PE: x}
		}
	}
	for _, x := range n.Firewalls {
		put(ix.fws, x.Name, x.ID, x)
		x.subnet = n.Subnet(x.Subnet)
		if _, dup := ix.owners[x.PrivateIP]; x.PrivateIP.IsValid() && !dup {
			ix.owners[x.PrivateIP] = Owner{Kind: OwnerFirewall, Firewall: x}
		}
		for _, ip := range x.PublicIPs {
			ix.publicIPs[ip] = Owner{Kind: OwnerFirewall, Firewall: x}
		}
	}
	for _, x := range n.Gateways {
		put(ix.gws, x.Name, x.ID, x)
		x.vnet = n.VNet(x.VNet)
		if x.PublicIP.IsValid() {
			ix.publicIPs[x.PublicIP] = Owner{Kind: OwnerGateway, Gateway: x}
		}
		for _, ip := range x.InstanceIPs {
			if _, dup := ix.owners[ip]; !dup {
				ix.owners[ip] = Owner{Kind: OwnerGateway, Gateway: x}
			}
		}
	}
	for _, x := range n.Connections {
		put(ix.conns, x.Name, x.ID, x)
		x.gateway = n.Gateway(x.Gateway)
	}
	n.indexLB(ix)
	n.indexVWAN(ix)
	n.indexDNS(ix)
}

// EnsureIndex indexes n unless it already is.
func (n *Network) EnsureIndex() {
	if n.idx == nil {
		n.Index()
	}
}

func (n *Network) ix() *index {
	n.EnsureIndex()
	return n.idx
}

// VNet finds a VNet by name or id.
func (n *Network) VNet(ref string) *VNet { return get[*VNet](n.ix().vnets, ref) }

// Subnet finds a subnet by "vnet/subnet" or subnet id.
func (n *Network) Subnet(ref string) *Subnet {
	if ref == "" {
		return nil
	}
	return n.ix().subnets[key(ref)]
}

// RouteTable finds a route table by name or id.
func (n *Network) RouteTable(ref string) *RouteTable { return get[*RouteTable](n.ix().rts, ref) }

// NSG finds an NSG by name or id.
func (n *Network) NSG(ref string) *NSG { return get[*NSG](n.ix().nsgs, ref) }

// ASG finds an application security group by name or id.
func (n *Network) ASG(ref string) *ASG { return get[*ASG](n.ix().asgs, ref) }

// NIC finds a NIC by name or id.
func (n *Network) NIC(ref string) *NIC { return get[*NIC](n.ix().nics, ref) }

// PrivateEndpoint finds a private endpoint by name or id.
func (n *Network) PrivateEndpoint(ref string) *PrivateEndpoint {
	return get[*PrivateEndpoint](n.ix().pes, ref)
}

// Firewall finds an Azure Firewall by name or id.
func (n *Network) Firewall(ref string) *Firewall { return get[*Firewall](n.ix().fws, ref) }

// FirewallPolicy finds a firewall policy by name or id.
func (n *Network) FirewallPolicy(ref string) *FirewallPolicy {
	return get[*FirewallPolicy](n.ix().pols, ref)
}

// IPGroup finds an IP group by name or id.
func (n *Network) IPGroup(ref string) *IPGroup { return get[*IPGroup](n.ix().ipgs, ref) }

// Gateway finds a virtual network gateway by name or id.
func (n *Network) Gateway(ref string) *Gateway { return get[*Gateway](n.ix().gws, ref) }

// Connection finds a gateway connection by name or id.
func (n *Network) Connection(ref string) *Connection { return get[*Connection](n.ix().conns, ref) }

// OnPremSite finds an on-premises site by name or id.
func (n *Network) OnPremSite(ref string) *OnPremSite { return get[*OnPremSite](n.ix().sites, ref) }

// PeeringsOf returns the peering objects held by v.
func (n *Network) PeeringsOf(v *VNet) []*Peering { return n.ix().peerings[v] }

// Reverse returns the peering object held by p's remote VNet toward p's VNet.
func (n *Network) Reverse(p *Peering) *Peering {
	for _, q := range n.ix().peerings[p.remote] {
		if q.remote == p.vnet {
			return q
		}
	}
	return nil
}

// Owner returns what owns a private address inside Azure.
func (n *Network) Owner(ip netip.Addr) (Owner, bool) {
	o, ok := n.ix().owners[ip]
	return o, ok
}

// PublicOwner returns what owns a public IP address (NIC, firewall, gateway).
func (n *Network) PublicOwner(ip netip.Addr) (Owner, bool) {
	o, ok := n.ix().publicIPs[ip]
	return o, ok
}

// GatewaysIn returns the gateways deployed in v.
func (n *Network) GatewaysIn(v *VNet) []*Gateway {
	var out []*Gateway
	for _, g := range n.Gateways {
		if g.vnet == v {
			out = append(out, g)
		}
	}
	return out
}

// ConnectionsOf returns the connections of gateway g.
func (n *Network) ConnectionsOf(g *Gateway) []*Connection {
	var out []*Connection
	for _, c := range n.Connections {
		if c.gateway == g {
			out = append(out, c)
		}
	}
	return out
}
