package trace

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// KindLB is a load balancer frontend hop: the packet reaches the frontend
// (as its destination, or as a route's next hop), the load balancer picks a
// backend, and the fabric hands the packet to it. The load balancer is not
// on the return path of a flow it translated: the backend's host undoes
// the translation (Azure's direct return), so the reply's hops go from the
// backend straight to the client.
const KindLB = "lb"

// lbSessionKey keys the translation a load balancer made for the backend
// that received the flow, undone when the backend replies.
func lbSessionKey(backend *device) string { return "lbnat:" + backend.token() }

// lbDevice is the hop a packet for frontend fe reaches first: the
// frontend, or on the forward leg the Gateway load balancer it is chained
// to, which hands the packet to the frontend after its appliances.
func (s *sim) lbDevice(fe *topology.LBFrontend) *device {
	d := s.plainLBDevice(fe)
	if g := s.chainedGateway(fe); g != nil && !s.ret {
		return s.gatewayDevice(g, frontendText(fe), d)
	}
	return d
}

func (s *sim) plainLBDevice(fe *topology.LBFrontend) *device {
	ip := fe.PrivateIP
	if !ip.IsValid() {
		ip = fe.PublicIP
	}
	d := &device{kind: KindLB, name: fe.LB().Name, ip: ip, fe: fe, subnet: fe.SubnetRef()}
	if d.subnet != nil {
		d.vnet = d.subnet.VNet()
	}
	return d
}

// arriveLB applies the frontend's rules: an inbound NAT rule or a
// load-balancing rule (HA ports match every port), the pool members with
// their health probes, the member the flow goes to, and the translation.
func (s *sim) arriveLB(d *device, p *Flow, h *Hop) (bool, *Drop) {
	if d.consumer != nil {
		return s.arriveGateway(d, p, h)
	}
	fe := d.fe
	l := fe.LB()
	if !s.ret && answersPing(fe, p) {
		return s.arrivePing(d, p, h)
	}
	toFrontend := p.Dst == fe.PrivateIP || (fe.PublicIP.IsValid() && p.Dst == fe.PublicIP)
	if l.Gateway() {
		// A chained frontend's traffic reaches arriveGateway (gwlb.go);
		// this is a packet addressed to the gateway load balancer itself.
		h.add("load-balancer", VerdictInfo, l.Name, "", "gateway load balancer %s is reached directly, not through a chained frontend: the trace hands the packet to the appliance its rule picks, as any load balancer would, without the VXLAN tunnel of a chain", l.Name)
		s.assume("gateway load balancer " + l.Name + " is addressed directly (its frontend IP or a route's next hop), not through a chained frontend; the trace treats it as a plain load balancer")
	}
	m, ok := s.eng.MatchLB(fe, p.Protocol, p.DstPort)
	if !ok && p.Protocol != "tcp" && p.Protocol != "udp" {
		// Load-balancing and inbound NAT rules carry TCP and UDP only
		// (azure.protoMatchLB); no rule can carry this flow.
		what := strings.ToUpper(p.Protocol)
		h.add("load-balancer", VerdictDeny, l.Name, "", "frontend %s forwards TCP and UDP only: %s is not load-balanced", fe.Name, what)
		fix := fmt.Sprintf("test frontend %s of load balancer %s with TCP or UDP on a rule's port (a TCP connect, not ping)", fe.Name, l.Name)
		if !toFrontend {
			fix = fmt.Sprintf("%s is not forwarded through load balancer %s to the appliances behind frontend %s: test the path with TCP or UDP, or ping an appliance's own address", what, l.Name, fe.Name)
		}
		return false, dropf(DropLBNoRule, "load balancer %s frontend %s (%s) carries TCP and UDP only: no load-balancing or inbound NAT rule can carry %s", l.Name, fe.Name, d.ip, what).fix("%s", fix)
	}
	if !ok {
		// Only TCP and UDP get here (the branch above ends the others).
		what := fmt.Sprintf("%s port %d", strings.ToUpper(p.Protocol), p.DstPort)
		h.add("load-balancer", VerdictDeny, l.Name, "", "frontend %s has no rule for %s", fe.Name, what)
		fix := fmt.Sprintf("add a load-balancing rule for %s on frontend %s of load balancer %s", what, fe.Name, l.Name)
		if fe.PrivateIP.IsValid() {
			fix += " (an HA ports rule, protocol All with ports 0, covers every TCP and UDP port)"
		}
		return false, dropf(DropLBNoRule, "load balancer %s frontend %s (%s) has no load-balancing or inbound NAT rule for %s", l.Name, fe.Name, d.ip, what).fix("%s", fix)
	}
	var target *topology.NIC
	floating := false
	if m.NAT != nil {
		target, floating = m.NATTarget, m.NAT.FloatingIP
		if target == nil {
			h.add("load-balancer", VerdictDeny, l.Name, m.NAT.Name, "inbound NAT rule %s has no backend for port %d", m.NAT.Name, p.DstPort)
			return false, dropf(DropLBNoBackend, "inbound NAT rule %s of load balancer %s maps port %d to no NIC", m.NAT.Name, l.Name, p.DstPort).
				fix("attach a NIC IP configuration to inbound NAT rule %s of load balancer %s", m.NAT.Name, l.Name)
		}
		h.add("load-balancer", VerdictAllow, l.Name, m.NAT.Name, "inbound NAT rule %s: frontend %s port %d → %s port %d", m.NAT.Name, fe.Name, p.DstPort, target.Name, m.BackendPort)
	} else {
		var drop *Drop
		target, drop = s.pickMember(d, m.Rule, *p, h)
		if drop != nil {
			return false, drop
		}
		floating = m.Rule.FloatingIP
	}
	next := s.nicDevice(target)
	in := *p
	if toFrontend && !floating {
		p.Dst, p.DstPort = target.IP, m.BackendPort
	} else if toFrontend {
		next.floating = in.Dst
		p.DstPort = m.BackendPort
	}
	if in != *p && !s.ret {
		s.sessions[lbSessionKey(next)] = session{in: in, out: *p}
		n := NAT{At: d.token(), Kind: "dnat", DestinationFrom: in.Dst, DestinationTo: p.Dst, Why: "load balancer " + l.Name + " frontend " + fe.Name + " to its backend (no SNAT: the backend sees the client's address)"}
		if in.DstPort != p.DstPort {
			n.DestinationPort = p.DstPort
		}
		if in.Dst == p.Dst {
			n.DestinationFrom, n.DestinationTo = netip.Addr{}, netip.Addr{}
		}
		s.addNAT(n)
		h.add("nat", VerdictInfo, l.Name, "", "%s → %s (source kept)", flowKey(in), flowKey(*p))
	}
	switch {
	case floating:
		h.add("load-balancer", VerdictInfo, l.Name, "", "floating IP (direct server return): %s receives the packet still addressed to %s", target.Name, in.Dst)
	case !toFrontend:
		h.add("load-balancer", VerdictInfo, l.Name, "", "the frontend is the route's next hop: the packet for %s is handed to %s unchanged", p.Dst, target.Name)
	}
	if !s.ret {
		s.lbChoice = append(s.lbChoice, lbChoice{lb: l, member: target})
	}
	d.next = next
	return false, nil
}

// pickMember lists the rule's pool with each member's health probe
// verdict, reports members whose NSGs block the probe, and picks the
// member the flow goes to.
func (s *sim) pickMember(d *device, r *topology.LBRule, p Flow, h *Hop) (*topology.NIC, *Drop) {
	l := d.fe.LB()
	backends := s.eng.Backends(l, r)
	var healthy []*topology.NIC
	var list []string
	for _, b := range backends {
		state := "up"
		if !b.Healthy {
			state = "down"
			s.addFinding(Finding{Code: FindLBProbeBlocked, Severity: "warning", Message: b.Why,
				Fix: fmt.Sprintf("allow inbound TCP from service tag AzureLoadBalancer to port %d on %s's NSGs (the default rule AllowAzureLoadBalancerInBound does, unless a deny with a lower priority number overrides it)", probePort(l, r), b.NIC.Name)})
		} else {
			healthy = append(healthy, b.NIC)
		}
		list = append(list, b.NIC.Name+" ("+state+")")
	}
	rule := r.Name
	if r.HAPorts() {
		rule += " (HA ports)"
	}
	if len(backends) == 0 {
		h.add("load-balancer", VerdictDeny, l.Name, r.Name, "rule %s: backend pool %s has no members", rule, r.BackendPool)
		return nil, dropf(DropLBNoBackend, "backend pool %s of load balancer %s has no member a NIC in the topology owns", r.BackendPool, l.Name).
			fix("add the backend NICs (or their addresses) to backend pool %s of load balancer %s", r.BackendPool, l.Name)
	}
	if len(healthy) == 0 {
		h.add("load-balancer", VerdictDeny, l.Name, r.Name, "rule %s: every member of pool %s is down: %s", rule, r.BackendPool, strings.Join(list, ", "))
		return nil, dropf(DropLBNoBackend, "every member of backend pool %s of load balancer %s fails its health probe, so new flows have no backend", r.BackendPool, l.Name).
			fix("allow the health probe (source AzureLoadBalancer, port %d) in the members' NSGs", probePort(l, r))
	}
	pick := azure.PickBackend(healthy, p.Protocol, netip.AddrPortFrom(p.Src, p.SrcPort), netip.AddrPortFrom(p.Dst, p.DstPort))
	h.add("load-balancer", VerdictAllow, l.Name, r.Name, "rule %s, pool %s: %s; the flow goes to %s", rule, r.BackendPool, strings.Join(list, ", "), pick.Name)
	if len(healthy) > 1 {
		names := make([]string, len(healthy))
		for i, n := range healthy {
			names[i] = n.Name
		}
		s.assume(fmt.Sprintf("load balancer %s spreads flows over %s by a five-tuple hash; the trace follows %s (the flow and its reply hash alike)", l.Name, strings.Join(names, ", "), pick.Name))
	}
	return pick, nil
}

func probePort(l *topology.LoadBalancer, r *topology.LBRule) int {
	if p := l.Probe(r.Probe); p != nil && p.Port != 0 {
		return p.Port
	}
	return r.BackendPort
}

// lbChoice is the member a load balancer on the forward leg picked.
type lbChoice struct {
	lb     *topology.LoadBalancer
	member *topology.NIC
}

// undoLB translates a backend's reply back to the frontend the client
// addressed: the backend's host does it, so the load balancer is not a
// hop of the return leg.
func (s *sim) undoLB(cur *device, p *Flow, h *Hop) {
	se, ok := s.sessions[lbSessionKey(cur)]
	if !ok || *p != se.out.Reply() {
		return
	}
	before := *p
	*p = se.in.Reply()
	h.add("nat", VerdictInfo, cur.name, "", "the host undoes the load balancer's translation: %s → %s", flowKey(before), flowKey(*p))
}

// checkLBReturn reports a reply that reaches a pool member of a load
// balancer the request crossed without crossing the load balancer again:
// only the load balancer's hash keeps both directions on one member, so a
// route straight to one member (or around the pool) breaks symmetry for
// every flow the load balancer sends elsewhere.
func (s *sim) checkLBReturn(d *device) {
	if d.kind != KindNIC {
		return
	}
	for _, c := range s.lbChoice {
		for _, t := range s.leg.Hops {
			if t.Kind == KindLB && t.Name == c.lb.Name {
				return
			}
		}
		member := false
		for _, pr := range s.net.PoolsOf(d.nic) {
			if pr.LB == c.lb {
				member = true
			}
		}
		if !member {
			continue
		}
		var via string
		if n := len(s.leg.Hops); n > 0 {
			if use, ok := s.routes[1][s.leg.Hops[n-1].Token()]; ok && use.r.Name != "" {
				via = fmt.Sprintf("route %s (%s) of route table %s on %s", use.r.Name, use.r.Prefix, use.r.Table, use.subnet.Key())
			}
		}
		msg := fmt.Sprintf("the request crossed load balancer %s, which picked %s; the reply goes straight to %s", c.lb.Name, c.member.Name, d.name)
		if via != "" {
			msg += " by " + via
		}
		if c.member == d.nic {
			msg += ": it works only for the flows the load balancer happens to send to " + d.name
		}
		fix := fmt.Sprintf("point the return route at the frontend of load balancer %s (next hop VirtualAppliance, its frontend IP) so both directions of a flow hash to the same member, or SNAT at the appliances", c.lb.Name)
		if fe := internalFrontend(c.lb); fe != nil {
			fix = fmt.Sprintf("point the return route at frontend %s (%s) of load balancer %s (next hop VirtualAppliance %s) so both directions of a flow hash to the same member, or SNAT at the appliances", fe.Name, fe.PrivateIP, c.lb.Name, fe.PrivateIP)
		}
		s.addFinding(Finding{Code: FindLBReturnBypass, Severity: "warning", Message: msg, Fix: fix})
		return
	}
}

func internalFrontend(l *topology.LoadBalancer) *topology.LBFrontend {
	for _, f := range l.Frontends {
		if f.PrivateIP.IsValid() {
			return f
		}
	}
	return nil
}
