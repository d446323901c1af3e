package trace

import (
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// device is where the packet is: one hop of the model (§9.2).
type device struct {
	kind string
	name string
	ip   netip.Addr
	vnet *topology.VNet
	// subnet is the subnet whose effective routes apply when the device
	// sends (GatewaySubnet for a gateway).
	subnet *topology.Subnet

	nic  *topology.NIC
	fw   *topology.Firewall
	gw   *topology.Gateway
	pe   *topology.PrivateEndpoint
	site *topology.OnPremSite
	// conn is the connection a gateway received the packet from, or the
	// one a site sends through; nil when a gateway got it from its VNet.
	conn *topology.Connection
	// vhub and hconn: a hub router and the hub connection it received the
	// packet from (nil from a remote hub).
	vhub  *topology.VirtualHub
	hconn *topology.HubConnection

	// fe is a load balancer frontend's; next is the backend it handed
	// the packet to (set by arriveLB).
	fe   *topology.LBFrontend
	next *device
	// floating is the frontend address a backend of a floating IP rule
	// accepts as its own (direct server return).
	floating netip.Addr
	// consumer is where a Gateway load balancer hop hands the packet after
	// its appliances (the chained frontend, or the client side on the
	// return leg); chainedFrom says what is chained (a frontend or an
	// instance-level public IP).
	consumer    *device
	chainedFrom string
	// fromEndpoint marks a Gateway load balancer hop (and its appliance)
	// carrying traffic that leaves the chained endpoint (a reply, or a
	// flow the VM starts from its chained public IP) rather than traffic
	// to it: the appliance gets it over the Internal tunnel.
	fromEndpoint bool
	// tunnel marks an appliance behind a Gateway load balancer (fe is the
	// Gateway frontend, tunnelPool its pool): it gets the packet over VXLAN
	// and returns it to next.
	tunnel     bool
	tunnelPool string
}

func (d *device) token() string {
	if d.kind == KindInternet {
		return KindInternet
	}
	return d.kind + ":" + d.name
}

func (s *sim) nicDevice(n *topology.NIC) *device {
	d := &device{kind: KindNIC, name: n.Name, ip: n.IP, nic: n, subnet: n.SubnetRef()}
	if d.subnet != nil {
		d.vnet = d.subnet.VNet()
	}
	return d
}

func (s *sim) fwDevice(f *topology.Firewall) *device {
	d := &device{kind: KindFirewall, name: f.Name, ip: f.PrivateIP, fw: f, subnet: f.SubnetRef()}
	if d.subnet != nil {
		d.vnet = d.subnet.VNet()
	}
	return d
}

func (s *sim) peDevice(p *topology.PrivateEndpoint) *device {
	d := &device{kind: KindPE, name: p.Name, ip: p.IP, pe: p, subnet: p.SubnetRef()}
	if d.subnet != nil {
		d.vnet = d.subnet.VNet()
	}
	return d
}

func (s *sim) gwDevice(g *topology.Gateway, from *topology.Connection) *device {
	d := &device{kind: KindGateway, name: g.Name, ip: g.PublicIP, gw: g, vnet: g.VNetRef(), conn: from}
	if d.vnet != nil {
		for _, sn := range d.vnet.Subnets {
			if strings.EqualFold(sn.Name, "GatewaySubnet") {
				d.subnet = sn
			}
		}
	}
	return d
}

func siteDevice(site *topology.OnPremSite, ip netip.Addr) *device {
	return &device{kind: KindOnPrem, name: site.Name, ip: ip, site: site}
}

func internetDevice(ip netip.Addr) *device {
	return &device{kind: KindInternet, ip: ip}
}

// owns reports whether ip is one of the device's own addresses, so a packet
// to it ends here rather than being forwarded.
func (d *device) owns(ip netip.Addr) bool {
	switch d.kind {
	case KindNIC:
		if d.nic.IP == ip || (d.floating.IsValid() && d.floating == ip) {
			return true
		}
		for _, a := range d.nic.AdditionalIPs {
			if a == ip {
				return true
			}
		}
	case KindPE:
		return d.pe.IP == ip
	case KindFirewall:
		if d.fw.PrivateIP == ip {
			return true
		}
		for _, a := range d.fw.PublicIPs {
			if a == ip {
				return true
			}
		}
	}
	return false
}

// hop returns the output record of the device for packet p.
func (d *device) hop(p Flow) Hop {
	h := Hop{Kind: d.kind, IP: d.ip, Packet: p, Checks: make([]Check, 0, 4)}
	if d.kind != KindInternet {
		h.Name = d.name
	}
	switch {
	case d.vnet != nil:
		h.VNet = d.vnet.Name
	case d.kind == KindOnPrem:
		h.VNet = ""
	}
	return h
}

// vnetOf returns the VNet whose address space contains ip, or nil.
func (s *sim) vnetOf(ip netip.Addr) *topology.VNet {
	for _, v := range s.net.VNets {
		for _, p := range v.AddressSpace {
			if p.Contains(ip) {
				return v
			}
		}
	}
	return nil
}

// firewallBySubnet returns the Azure Firewall whose AzureFirewallSubnet
// contains ip: its instances SNAT from addresses of that subnet, so a reply
// to one of them belongs to the firewall.
func (s *sim) firewallBySubnet(ip netip.Addr) *topology.Firewall {
	for _, f := range s.net.Firewalls {
		if sn := f.SubnetRef(); sn != nil {
			for _, p := range sn.Prefixes() {
				if p.Contains(ip) {
					return f
				}
			}
		}
	}
	return nil
}

// ownerDevice returns the device that owns a private address.
func (s *sim) ownerDevice(ip netip.Addr) *device {
	if o, ok := s.net.Owner(ip); ok {
		switch o.Kind {
		case topology.OwnerNIC:
			return s.nicDevice(o.NIC)
		case topology.OwnerPE:
			return s.peDevice(o.PE)
		case topology.OwnerFirewall:
			return s.fwDevice(o.Firewall)
		case topology.OwnerGateway:
			return s.gwDevice(o.Gateway, nil)
		case topology.OwnerLB:
			return s.lbDevice(o.Frontend)
		}
	}
	if f := s.firewallBySubnet(ip); f != nil {
		return s.fwDevice(f)
	}
	return nil
}
