package trace

import (
	"fmt"
	"net/netip"

	"github.com/pathproof/pathproof/internal/topology"
)

// Gateway load balancer chaining, as Microsoft documents it
// (learn.microsoft.com/azure/load-balancer/gateway-overview): a Standard
// public load balancer frontend chained to a Gateway load balancer sends
// "all traffic to and from" the public endpoint "first ... to the
// appliance before your application"; the Gateway load balancer keeps
// "flow stickiness to a specific instance in the backend pool along with
// flow symmetry", routes to its backends "using the HA ports rule", and
// "traffic sent to and from Gateway Load Balancer uses the VXLAN
// protocol" over the pool's tunnel interfaces (Internal and External).
// The trace shows the Gateway load balancer and the appliance it picks as
// hops in both directions; the appliance's software is not modelled.

// chainedGateway returns the Gateway load balancer frontend a public
// frontend is chained to, or nil.
func (s *sim) chainedGateway(fe *topology.LBFrontend) *topology.LBFrontend {
	if fe == nil || !fe.PublicIP.IsValid() || fe.LB().Gateway() {
		return nil
	}
	return s.gatewayRef(fe.GatewayLB, fe.MissingGatewayLB, func() string { return frontendText(fe) })
}

// gatewayRef resolves the Gateway load balancer frontend a chained public
// endpoint refers to, or nil; a chain to a frontend the inputs lack
// (missing) is an assumption naming the endpoint (what).
func (s *sim) gatewayRef(ref, missing string, what func() string) *topology.LBFrontend {
	if missing != "" {
		s.assume(missingChain(what(), missing))
	}
	if g := s.net.GatewayFrontendRef(ref); g != nil && g.LB().Gateway() {
		return g
	}
	return nil
}

// publicGateway returns the Gateway load balancer frontend the owner of
// public address a is chained to, and the text naming the chained
// endpoint; nil when a is not chained. A non-nil nic limits instance
// public IPs to that NIC's.
func (s *sim) publicGateway(a netip.Addr, nic *topology.NIC) (*topology.LBFrontend, string) {
	o, ok := s.net.PublicOwner(a)
	switch {
	case !ok:
	case o.Kind == topology.OwnerLB:
		if g := s.chainedGateway(o.Frontend); g != nil {
			return g, frontendText(o.Frontend)
		}
	case o.Kind == topology.OwnerNIC && (nic == nil || o.NIC == nic):
		if g := s.nicGateway(o.NIC); g != nil {
			return g, nicPIPText(o.NIC)
		}
	}
	return nil, ""
}

// gatewayDevice is the Gateway load balancer hop in front of then: the
// chained consumer frontend on the forward leg, the client side on the
// return leg.
func (s *sim) gatewayDevice(g *topology.LBFrontend, chained string, then *device) *device {
	d := s.plainLBDevice(g)
	d.consumer, d.chainedFrom, d.next = then, chained, nil
	return d
}

// chainTo routes traffic from the Internet to a public address (dst)
// through the Gateway load balancer its owner is chained to, then to
// then; then itself when the address is not chained.
func (s *sim) chainTo(dst netip.Addr, then *device) *device {
	if g, what := s.publicGateway(dst, nil); g != nil {
		return s.gatewayDevice(g, what, then)
	}
	return then
}

// arriveGateway picks the appliance of the Gateway load balancer's pool
// (health probes judged as for any pool) and hands it the packet over the
// VXLAN tunnel; the appliance returns it over the other tunnel.
func (s *sim) arriveGateway(d *device, p *Flow, h *Hop) (bool, *Drop) {
	g, l := d.fe, d.fe.LB()
	side := "to"
	if d.fromEndpoint {
		side = "from"
	}
	h.add("load-balancer", VerdictInfo, l.Name, "", "%s is chained to gateway load balancer %s (frontend %s): traffic %s it goes through the appliances first",
		d.chainedFrom, l.Name, g.Name, side)
	m, ok := s.eng.MatchLB(g, p.Protocol, p.DstPort)
	if !ok || m.Rule == nil {
		h.add("load-balancer", VerdictDeny, l.Name, "", "gateway load balancer %s has no load-balancing rule on frontend %s", l.Name, g.Name)
		return false, dropf(DropLBNoRule, "gateway load balancer %s frontend %s has no load-balancing rule, so the traffic of the chained %s goes nowhere", l.Name, g.Name, d.chainedFrom).
			fix("add an HA ports rule (protocol All, ports 0) on frontend %s of gateway load balancer %s", g.Name, l.Name)
	}
	nva, drop := s.pickMember(d, m.Rule, *p, h)
	if drop != nil {
		return false, drop
	}
	t := s.nicDevice(nva)
	t.tunnel, t.fe, t.tunnelPool, t.next, t.fromEndpoint = true, g, m.Rule.BackendPool, d.consumer, d.fromEndpoint
	d.next = t
	return false, nil
}

// arriveTunnel is an appliance behind a Gateway load balancer: it receives
// the packet encapsulated over one tunnel interface and returns it over the
// other, unchanged as far as the network is concerned.
func (s *sim) arriveTunnel(d *device, p *Flow, h *Hop) (bool, *Drop) {
	l := d.fe.LB()
	in, out := "External", "Internal"
	if d.fromEndpoint {
		in, out = out, in
	}
	pool := l.Pool(d.tunnelPool)
	h.add("tunnel", VerdictInfo, l.Name, d.tunnelPool, "%s receives %s over VXLAN from gateway load balancer %s (%s) and returns it over %s; what the appliance's software does with it is not modelled",
		d.name, flowKey(*p), l.Name, tunnelText(pool, in), tunnelText(pool, out))
	return false, nil
}

func tunnelText(p *topology.LBBackendPool, typ string) string {
	if p == nil {
		return typ + " tunnel"
	}
	t := p.Tunnel(typ)
	if t == nil {
		return typ + " tunnel (not in the inputs)"
	}
	return fmt.Sprintf("%s tunnel, identifier %d, port %d", typ, t.Identifier, t.Port)
}

// chainFrom routes traffic leaving a NIC for the Internet from a chained
// public address (a backend's reply from the frontend the client
// addressed, or a flow the VM starts from its chained instance-level
// public IP or load balancer frontend) through the Gateway load balancer:
// "traffic to and from the application endpoint is sent to the Gateway
// Load Balancer".
func (s *sim) chainFrom(cur, next *device, p Flow) *device {
	if cur.kind != KindNIC || cur.nic == nil || next == nil || next.kind != KindInternet {
		return next
	}
	if g, what := s.publicGateway(p.Src, cur.nic); g != nil {
		d := s.gatewayDevice(g, what, next)
		d.fromEndpoint = true
		return d
	}
	return next
}

// nicGateway returns the Gateway load balancer frontend a NIC's
// instance-level public IP is chained to, or nil.
func (s *sim) nicGateway(n *topology.NIC) *topology.LBFrontend {
	if !n.PublicIP.IsValid() {
		return nil
	}
	return s.gatewayRef(n.GatewayLB, n.MissingGatewayLB, func() string { return nicPIPText(n) })
}

func frontendText(fe *topology.LBFrontend) string {
	return fmt.Sprintf("frontend %s of load balancer %s", fe.Name, fe.LB().Name)
}

func nicPIPText(n *topology.NIC) string {
	return fmt.Sprintf("instance public IP %s of %s", n.PublicIP, n.Name)
}

// missingChain says that what chains (a frontend or an instance public IP)
// is chained to a Gateway load balancer frontend the inputs lack.
func missingChain(what, id string) string {
	return fmt.Sprintf("%s is chained to gateway load balancer frontend %s, which is not in the inputs: the appliances its traffic passes through are not shown (export it too)", what, id)
}
