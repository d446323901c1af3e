package trace

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// DefaultMaxHops bounds one leg (semantics §9.4 suggests 16): a real Azure
// path has at most a handful of appliances and gateways, so a leg longer
// than this is a loop.
const DefaultMaxHops = 16

// DefaultSourcePort is the client port used when the query gives none: an
// ephemeral port, fixed so traces are deterministic.
const DefaultSourcePort = 50000

// Query is one flow to trace.
type Query struct {
	// From is the source: an IP, nic:NAME, onprem:SITE/HOST or internet:IP.
	From string
	// Dst and DstPort are the destination as the client addresses it.
	Dst     netip.Addr
	DstPort uint16
	// Protocol is tcp, udp or icmp (case-insensitive; "" = tcp).
	Protocol string
	// SrcPort is the client's port; 0 means DefaultSourcePort.
	SrcPort uint16
	// Name, when Dst is not set, is the destination's DNS name: the trace
	// resolves it as the source would (ResolveName) and goes to the first
	// address; a name without an address is a *NameError.
	Name string
}

// Trace builds an engine for n with default options and traces q; see
// TraceEngine.
func Trace(n *topology.Network, q Query) (*Result, error) {
	return TraceEngine(azure.New(n, azure.Options{}), q)
}

// TraceEngine traces q on the engine's network; see Tracer.Trace. Use a
// Tracer to run many traces on one network.
func TraceEngine(e *azure.Engine, q Query) (*Result, error) {
	return NewTracer(e).Trace(q)
}

// Tracer runs traces on one engine's network and caches what does not
// depend on the flow (what each gateway connection advertises and learns).
// It is safe for concurrent use.
type Tracer struct {
	eng   *azure.Engine
	mu    sync.Mutex
	adv   map[*topology.Connection][]netip.Prefix
	lrn   map[*topology.Connection][]netip.Prefix
	gwSub map[*topology.Subnet][]Finding
}

// NewTracer returns a Tracer over e. The engine holds the precomputed
// effective routes; neither may be used after the network changes.
func NewTracer(e *azure.Engine) *Tracer {
	return &Tracer{eng: e, adv: map[*topology.Connection][]netip.Prefix{}, lrn: map[*topology.Connection][]netip.Prefix{}, gwSub: map[*topology.Subnet][]Finding{}}
}

// Trace resolves q.From and traces the flow both ways. The error is only
// about the query (unknown source, bad protocol); every network outcome is
// in the Result.
func (t *Tracer) Trace(q Query) (*Result, error) {
	e := t.eng
	n := e.Net
	src, err := ResolveSource(n, q.From)
	if err != nil {
		return nil, err
	}
	proto := strings.ToLower(q.Protocol)
	switch proto {
	case "":
		proto = "tcp"
	case "tcp", "udp", "icmp":
	default:
		return nil, fmt.Errorf("protocol %q: want tcp, udp or icmp", q.Protocol)
	}
	var dns *azure.DNSAnswer
	if !q.Dst.IsValid() && q.Name != "" {
		a := resolveFor(e, src, q.Name)
		ip, ok := a.Address()
		if !ok {
			return nil, &NameError{Answer: a}
		}
		q.Dst, dns = ip, &a
	}
	if !q.Dst.IsValid() {
		return nil, fmt.Errorf("no destination IP")
	}
	f := Flow{Protocol: proto, Src: src.IP, SrcPort: q.SrcPort, Dst: q.Dst, DstPort: q.DstPort}
	if f.SrcPort == 0 {
		f.SrcPort = DefaultSourcePort
	}
	if proto == "icmp" {
		f.SrcPort, f.DstPort = 0, 0
	}
	s := newSim(t)
	res := s.run(src, f)
	if dns != nil {
		res.DNS = dns
		for _, a := range dns.Assumptions {
			s.assume(a)
		}
	}
	return res, nil
}

// sim is the state of one trace.
type sim struct {
	t   *Tracer
	eng *azure.Engine
	net *topology.Network
	res *Result
	// sessions holds, per stateful or translating device token, the packet
	// as it arrived and as it left on the forward leg.
	sessions map[string]session
	// forwardStateful lists the stateful devices the request crossed.
	forwardStateful []*device
	// routes remembers, per leg and device token, the route the device
	// chose, for fixes.
	routes [2]map[string]routeUse
	// appliances counts forwarding appliances on the forward leg.
	appliances []*device
	ret        bool
	// leg is the leg being walked (its hops so far), for fixes built
	// while it is still in progress.
	leg *Leg
	// replyNew marks appliances the reply crosses without a session from
	// the request: their NSGs evaluate the reply as a new flow.
	replyNew map[string]bool
	// firewallIsDestination marks a request addressed to a firewall's
	// own private IP (set by arriveFirewall for arrive).
	firewallIsDestination bool
	// lbChoice lists the members load balancers picked on the forward leg.
	lbChoice []lbChoice
	// outbound maps the reply of a flow a NIC's outbound method translated
	// (NAT gateway, load balancer outbound) to that NIC.
	outbound map[Flow]*device
}

type session struct{ in, out Flow }

// routeUse is a route decision made at a device.
type routeUse struct {
	r      route
	subnet *topology.Subnet
	dev    *device
}

func newSim(t *Tracer) *sim {
	return &sim{t: t, eng: t.eng, net: t.eng.Net, replyNew: map[string]bool{}, sessions: map[string]session{}, routes: [2]map[string]routeUse{{}, {}}, outbound: map[Flow]*device{}}
}

func (s *sim) legIndex() int {
	if s.ret {
		return 1
	}
	return 0
}

func (s *sim) run(src Endpoint, f Flow) *Result {
	s.res = &Result{Query: f, Source: src.String(), NAT: []NAT{}, Findings: []Finding{}}
	var start *device
	switch src.Kind {
	case KindNIC:
		start = s.nicDevice(src.NIC)
	case KindOnPrem:
		start = siteDevice(src.Site, src.IP)
	default:
		start = internetDevice(src.IP)
	}
	fwd, last, lastPkt := s.walk(start, f)
	s.res.Forward = fwd
	if fwd.Result != ResultDelivered {
		s.res.Return = Leg{Result: ResultNotApplicable, Hops: []Hop{}, Note: "the forward leg did not reach the destination"}
		s.finish()
		return s.res
	}
	s.ret = true
	reply := lastPkt.Reply()
	if last.kind == KindPE && s.peReplyIndeterminate(last, lastPkt) {
		s.res.Return = Leg{Result: ResultIndeterminate, Hops: []Hop{last.hop(reply)},
			Note: "Azure does not guarantee the private endpoint's reply returns through the appliance that forwarded the request without SNAT (docs/azure-semantics.md §3.3)"}
		s.finish()
		return s.res
	}
	var lastReply Flow
	s.res.Return, _, lastReply = s.walk(last, reply)
	s.asymmetry()
	s.checkReplySource(lastReply)
	s.finish()
	return s.res
}

// walk moves the packet from start until it is delivered or dropped and
// returns the leg, the device it stopped at and the packet as it arrived
// there.
func (s *sim) walk(start *device, p Flow) (Leg, *device, Flow) {
	leg := Leg{Hops: make([]Hop, 0, 6)}
	s.leg = &leg
	cur := start
	h := cur.hop(p)
	// A gateway is visited twice on a transit path (in from a connection,
	// then out toward another), so the direction is part of the key.
	type visit struct {
		token  string
		inward bool
		p      Flow
	}
	seen := map[visit]bool{}
	origin := true
	for {
		key := visit{cur.token(), cur.conn != nil, p}
		if seen[key] || len(leg.Hops) >= DefaultMaxHops {
			leg.Hops = append(leg.Hops, h)
			leg.Result = ResultDropped
			leg.Drop = &Drop{At: cur.token(), Reason: DropRoutingLoop,
				Detail: fmt.Sprintf("the packet %s came back to %s (or passed %d hops)", flowKey(p), cur.token(), DefaultMaxHops),
				Fix:    fmt.Sprintf("check the route tables of the hops listed (%s): one of them sends %s back toward a hop it came from", joinTokens(leg.Tokens()), p.Dst)}
			return leg, cur, p
		}
		seen[key] = true
		next, drop := s.egress(cur, &p, &h, origin)
		if drop == nil && origin {
			next = s.chainFrom(cur, next, p)
		}
		origin = false
		leg.Hops = append(leg.Hops, h)
		if drop != nil {
			drop.At = cur.token()
			leg.Result, leg.Drop = ResultDropped, drop
			return leg, cur, p
		}
		h = next.hop(p)
		done, drop := s.arrive(next, &p, &h)
		if drop != nil {
			leg.Hops = append(leg.Hops, h)
			drop.At = next.token()
			leg.Result, leg.Drop = ResultDropped, drop
			return leg, next, p
		}
		if done {
			leg.Hops = append(leg.Hops, h)
			leg.Result = ResultDelivered
			return leg, next, p
		}
		cur = next
	}
}

func flowKey(p Flow) string {
	return fmt.Sprintf("%s %s → %s", p.Protocol, netip.AddrPortFrom(p.Src, p.SrcPort), netip.AddrPortFrom(p.Dst, p.DstPort))
}

func dropf(reason, format string, a ...any) *Drop {
	return &Drop{Reason: reason, Detail: fmt.Sprintf(format, a...)}
}

// fix sets the drop's fix and returns it.
func (d *Drop) fix(format string, a ...any) *Drop {
	d.Fix = fmt.Sprintf(format, a...)
	return d
}

func (h *Hop) add(check, verdict, resource, rule, format string, a ...any) {
	h.Checks = append(h.Checks, Check{Check: check, Verdict: verdict, Resource: resource, Rule: rule, Detail: fmt.Sprintf(format, a...)})
}

// finish sorts nothing (order is path order) but guarantees non-nil lists.
func (s *sim) finish() {
	if s.res.Return.Hops == nil {
		s.res.Return.Hops = []Hop{}
	}
}

// addFinding records a finding once per code and message.
func (s *sim) addFinding(f Finding) {
	for _, g := range s.res.Findings {
		if g.Code == f.Code && g.Message == f.Message {
			return
		}
	}
	s.res.Findings = append(s.res.Findings, f)
}

func (s *sim) addNAT(n NAT) {
	if !s.ret {
		s.res.NAT = append(s.res.NAT, n)
	}
}

func (s *sim) assume(a string) {
	for _, x := range s.res.Assumptions {
		if x == a {
			return
		}
	}
	s.res.Assumptions = append(s.res.Assumptions, a)
}

// applySession translates a reply with the forward session of d, if it is
// the reply of that session. It reports whether it did.
func (s *sim) applySession(d *device, p *Flow, h *Hop) bool {
	se, ok := s.sessions[d.token()]
	if !ok || *p != se.out.Reply() || se.in == se.out {
		return false
	}
	before := *p
	*p = se.in.Reply()
	h.add("nat", VerdictInfo, d.name, "", "reply translated back by the forward session: %s → %s", flowKey(before), flowKey(*p))
	return true
}

// srcInVNet reports whether ip is inside v's address space.
func srcInVNet(v *topology.VNet, ip netip.Addr) bool {
	if v == nil {
		return false
	}
	for _, p := range v.AddressSpace {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// peeringBetween returns the peering object held by from toward to.
func (s *sim) peeringBetween(from, to *topology.VNet) *topology.Peering {
	for _, p := range s.net.PeeringsOf(from) {
		if p.Remote() == to {
			return p
		}
	}
	return nil
}
