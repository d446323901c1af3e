package explain

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/trace"
)

// Hop kinds explain adds to trace's: the PaaS resource behind a private
// endpoint or public address.
const (
	kindKeyVault = "keyvault"
	kindStorage  = "storage"
	kindSQL      = "sql"
	kindAppGW    = "appgw"
)

// hopState is one hop being explained: where it sits, what the simulation
// said, and what the evidence shows.
type hopState struct {
	out  Hop
	kind string
	name string
	ip   netip.Addr
	// nic identifies a NIC hop's flow-log emitters.
	nic *nicIdent
	// sim is the simulated hop (nil when inferred); simIdx its index on
	// its leg; drop the simulation's drop at this hop.
	sim    *trace.Hop
	simIdx int
	drop   *trace.Drop
	// source marks the hop the flow starts at; dest the last forward hop.
	source, dest bool

	// Evidence.
	events    []*event.Event // every event assigned to this hop
	denied    []*event.Event // refusals (NSG deny, firewall deny/drop)
	passed    []*event.Event // allow / dnat / alert records of the request
	replies   []*event.Event // reply-direction records (flow trace SYN-ACK, INVALID)
	flagged   []*event.Event // threat intelligence / IDPS alerts
	requests  []*event.Event // PaaS requests from the client (or its public face)
	others    []*event.Event // PaaS requests from other callers
	tunnel    []*event.Event // gateway tunnel and IKE records
	sent      int64          // packets client→server summed over C/E tuples
	back      int64          // packets server→client summed over C/E tuples
	bytesSent int64
	bytesBack int64
	counters  bool // a C/E tuple (or a non-flow-log counter) was seen
	beginOnly bool // only B tuples
	// alive: the hop's log logged something in the window (-1 unknown).
	alive       int
	aliveN      int64
	aliveBy     int // citation of the liveness inference
	tunnelState string
	// gwFlow is a gateway hop's own flow-log identity (its instances'
	// MACs), flowN what that flow log logged in the window.
	gwFlow  *nicIdent
	flowN   int64
	capture *capMatch
}

// handshakeOnly reports whether the flow-log counters show packets both
// ways but no payload: every packet is the size of a bare TCP segment, so
// the connection never carried data (SYNs answered by SYN-ACKs that never
// completed the handshake, typically).
func (h *hopState) handshakeOnly() bool {
	return h.counters && h.sent > 0 && h.back > 0 && h.bytesSent <= bareSegment*h.sent && h.bytesBack <= bareSegment*h.back
}

// bareSegment is the largest frame a TCP segment without payload makes
// (IPv6 header, TCP header with options).
const bareSegment = 100

// loggable reports whether the hop writes a per-flow log at all (NICs,
// firewalls, PaaS resources, a gateway whose instances' flow logs the
// topology maps). Private endpoints, other gateways and edges do not.
func (h *hopState) loggable() bool {
	if h.gwFlow != nil {
		return true // a gateway whose instances write VNet flow logs
	}
	switch h.kind {
	case trace.KindNIC, trace.KindFirewall, kindNGFW, kindKeyVault, kindStorage, kindSQL, kindAppGW, kindFrontDoor:
		return true
	}
	return false
}

func (h *hopState) token() string { return h.out.Hop }

func newHop(kind, name, leg, role string) *hopState {
	t := kind
	if name != "" {
		t = kind + ":" + name
	}
	return &hopState{kind: kind, name: name, alive: -1, aliveBy: -1, out: Hop{Hop: t, Leg: leg, Role: role, Evidence: []Evidence{}}}
}

func flowOf(f trace.Flow) *Flow {
	return &Flow{Protocol: f.Protocol, Src: f.Src, SrcPort: f.SrcPort, Dst: f.Dst, DstPort: f.DstPort}
}

// simulatedHops lays out the trace's path: the forward leg, the PaaS
// resource behind it, then the return leg's hops the request did not
// cross.
func (r *run) simulatedHops() {
	tr := r.p.Trace
	fwd := tr.Forward.Hops
	seen := map[string]bool{}
	for i := range fwd {
		h := &fwd[i]
		last := i == len(fwd)-1 && (tr.Forward.Result == trace.ResultDelivered || h.IP == h.Packet.Dst)
		role := roleOf(h.Kind, i == 0, last)
		hs := newHop(h.Kind, h.Name, LegForward, role)
		hs.ip, hs.sim, hs.simIdx = h.IP, h, i
		hs.source = i == 0
		hs.dest = i == len(fwd)-1
		hs.out.Packet = flowOf(h.Packet)
		if tr.Forward.Drop != nil && tr.Forward.Drop.At == h.Token() {
			hs.drop = tr.Forward.Drop
		}
		hs.out.Expected = expectedOf(h, hs.drop, last && tr.Forward.Result == trace.ResultDelivered)
		if h.Kind == trace.KindNIC {
			hs.nic = r.nics.forNIC(h.Name, h.IP)
		}
		seen[h.Token()] = true
		r.hops = append(r.hops, hs)
	}
	if tr.Forward.Result == trace.ResultDropped {
		r.beyondDrop(seen)
	}
	// The PaaS resource is the hop after its private endpoint, or after the
	// Internet when the name resolves to its public endpoint.
	if k := r.hops[len(r.hops)-1].kind; r.p.paas.Kind != "" && (k == trace.KindPE || (k == trace.KindInternet && tr.Forward.Result == trace.ResultDelivered)) {
		last := r.hops[len(r.hops)-1]
		last.dest = false
		r.hops = append(r.hops, r.paasHop())
	}
	for i := range tr.Return.Hops {
		h := &tr.Return.Hops[i]
		if seen[h.Token()] {
			continue
		}
		hs := newHop(h.Kind, h.Name, LegReturn, roleOf(h.Kind, false, false)+" (reply path)")
		hs.ip, hs.sim, hs.simIdx = h.IP, h, i
		hs.out.Packet = flowOf(h.Packet)
		if tr.Return.Drop != nil && tr.Return.Drop.At == h.Token() {
			hs.drop = tr.Return.Drop
		}
		hs.out.Expected = "carries the reply: " + expectedOf(h, hs.drop, false)
		if h.Kind == trace.KindNIC {
			hs.nic = r.nics.forNIC(h.Name, h.IP)
		}
		r.hops = append(r.hops, hs)
	}
	for _, hs := range r.hops {
		if hs.sim == nil {
			continue
		}
		leg := LegForward
		if hs.out.Leg == LegReturn {
			leg = LegReturn
		}
		r.step([]int{r.citeSim(leg, hs.simIdx, hs.out.Hop+": "+hs.out.Expected)}, "Simulation, %s leg, hop %d %s: %s", leg, hs.simIdx+1, hs.out.Hop, hs.out.Expected)
	}
}

// beyondDrop adds, after a forward leg the simulation drops, the hops the
// flow would meet next, so their logs can confirm the drop (they stay
// silent while logging other traffic) or contradict it (they logged the
// flow): the gateways that connect an on-premises source, and the
// destination's NIC or private endpoint.
func (r *run) beyondDrop(seen map[string]bool) {
	n := r.p.net
	last := r.hops[len(r.hops)-1]
	add := func(h *hopState) {
		if seen[h.token()] {
			return
		}
		seen[h.token()] = true
		h.out.Expected = "not reached in the simulation (it stops at " + r.p.Trace.Forward.Drop.At + "); its log should show nothing of the flow"
		r.hops = append(r.hops, h)
	}
	if src := r.hops[0]; src.kind == trace.KindOnPrem {
		for _, c := range n.Connections {
			if strings.EqualFold(c.Remote, src.name) {
				if g := c.GatewayRef(); g != nil {
					add(newHop(trace.KindGateway, g.Name, LegForward, "virtual network gateway"))
				}
			}
		}
	}
	if o, ok := n.Owner(r.p.dst); ok {
		switch o.Kind {
		case "nic":
			h := newHop(trace.KindNIC, o.NIC.Name, LegForward, "server NIC")
			h.nic = r.nics.forNIC(o.NIC.Name, o.NIC.IP)
			add(h)
		case "pe":
			add(newHop(trace.KindPE, o.PE.Name, LegForward, "private endpoint"))
		}
	}
	if tail := r.hops[len(r.hops)-1]; tail != last {
		last.dest = false
		tail.dest = true
	}
}

// paasHop is the PaaS resource's own hop.
func (r *run) paasHop() *hopState {
	ref := r.p.paas
	hs := newHop(ref.Kind, ref.Name, LegForward, paasRole(ref.Kind))
	hs.dest = true
	hs.out.Expected = fmt.Sprintf("logs the request (%s) with the caller's address and its answer", paasLog(ref.Kind))
	if r.p.pe != nil {
		hs.out.Expected += fmt.Sprintf("; through private endpoint %s the caller is the client's private address", r.p.pe.Name)
	}
	return hs
}

func paasRole(kind string) string {
	switch kind {
	case kindKeyVault:
		return "Key Vault (the resource)"
	case kindStorage:
		return "storage account (the resource)"
	case kindSQL:
		return "SQL server (the resource)"
	case kindAppGW:
		return "application gateway"
	case kindFrontDoor:
		return "Azure Front Door"
	}
	return kind
}

func paasLog(kind string) string {
	switch kind {
	case kindKeyVault:
		return "AuditEvent"
	case kindStorage:
		return "StorageRead/StorageWrite"
	case kindSQL:
		return "SQLSecurityAuditEvents"
	case kindAppGW:
		return "ApplicationGatewayAccessLog"
	case kindFrontDoor:
		return "FrontDoorAccessLog"
	}
	return "its resource log"
}

// roleOf names what a hop is to the flow.
func roleOf(kind string, first, last bool) string {
	switch kind {
	case trace.KindNIC:
		switch {
		case first:
			return "client NIC"
		case last:
			return "server NIC"
		}
		return "appliance NIC"
	case trace.KindFirewall:
		return "Azure Firewall"
	case trace.KindGateway:
		return "virtual network gateway"
	case trace.KindPE:
		return "private endpoint"
	case trace.KindOnPrem:
		if first {
			return "on-premises site (client)"
		}
		return "on-premises site"
	case trace.KindInternet:
		if first {
			return "the Internet (client)"
		}
		return "the Internet"
	case trace.KindService:
		return "service endpoint"
	}
	return kind
}

// expectedOf says in one sentence what the simulation decided at a hop:
// the drop, or its decisive checks (NSG, firewall, NAT, routes).
func expectedOf(h *trace.Hop, drop *trace.Drop, delivered bool) string {
	if drop != nil {
		s := "drops it: " + drop.Reason
		if drop.Detail != "" {
			s += " (" + drop.Detail + ")"
		}
		return s
	}
	var parts []string
	for _, c := range h.Checks {
		switch {
		case c.Verdict == trace.VerdictAllow || c.Verdict == trace.VerdictDeny:
			if c.Check == "next-hop" {
				continue
			}
			parts = append(parts, c.Check+" "+c.Verdict+": "+c.Detail)
		case c.Check == "nat" || c.Check == "vpn-nat":
			parts = append(parts, c.Check+": "+c.Detail)
		case c.Check == "route" && c.Verdict == trace.VerdictInfo:
			parts = append(parts, "route: "+c.Detail)
		}
	}
	if delivered {
		parts = append(parts, "delivered")
	}
	if len(parts) == 0 {
		return "passes it on"
	}
	return strings.Join(parts, "; ")
}
