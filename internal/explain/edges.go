package explain

import (
	"fmt"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/trace"
)

// Hop kinds of the edge and third-party sources (docs/log-formats-more.md
// §4, §5, §12): a Palo Alto firewall (Cloud NGFW or a VM-Series
// appliance), an ExpressRoute circuit's edge as its Traffic Collector
// samples it, and Azure Front Door (a PaaS-like proxy, as Application
// Gateway).
const (
	kindNGFW      = "ngfw"
	kindER        = "expressroute"
	kindFrontDoor = "frontdoor"
)

// isFirewallKind reports whether a hop kind is a stateful firewall whose
// logs record rule decisions (Azure Firewall, a Palo Alto firewall).
func isFirewallKind(kind string) bool { return kind == trace.KindFirewall || kind == kindNGFW }

// isFirewallSource reports whether a log family records firewall rule
// decisions.
func isFirewallSource(s event.Source) bool {
	return s == event.SourceFirewall || s == event.SourcePaloAlto
}

// firewallKindOf is the hop kind of a firewall log family.
func firewallKindOf(s event.Source) string {
	if s == event.SourcePaloAlto {
		return kindNGFW
	}
	return trace.KindFirewall
}

// firewallSourceOf is the log family of a firewall hop kind.
func firewallSourceOf(kind string) event.Source {
	if kind == kindNGFW {
		return event.SourcePaloAlto
	}
	return event.SourceFirewall
}

// firewallRole names a firewall hop kind.
func firewallRole(kind string) string {
	if kind == kindNGFW {
		return "Palo Alto firewall"
	}
	return "Azure Firewall"
}

// erSampling is how often the Traffic Collector samples a packet: an
// absence at the circuit edge proves nothing, a record proves presence.
const erSampling = 4096

// judgeER judges an ExpressRoute edge: sampled presence of the request (and
// of the reply) at the circuit. Its silence is never evidence.
func (r *run) judgeER(h *hopState) {
	o := &h.out
	switch {
	case len(h.passed) > 0:
		o.Status = StatusSeen
		o.Seen = fmt.Sprintf("the circuit's Traffic Collector sampled the request crossing the edge (%d record(s), %s)", len(h.passed), erDirection(h.passed[0]))
		if len(h.replies) > 0 {
			o.Seen += fmt.Sprintf(", and the reply (%d record(s))", len(h.replies))
		} else {
			o.Seen += ", no reply sampled"
		}
		o.Seen += fmt.Sprintf("; sampled 1 packet in %d: presence, not a count", erSampling)
	case len(h.replies) > 0:
		o.Status = StatusSeen
		o.Seen = fmt.Sprintf("the circuit's Traffic Collector sampled the reply only (%d record(s)); sampled 1 packet in %d", len(h.replies), erSampling)
	case h.alive == 1:
		o.Status = StatusNotSeen
		o.Seen = fmt.Sprintf("the Traffic Collector sampled %d other flow record(s) in the window, none of this flow; sampling 1 packet in %d, so its silence proves nothing", h.aliveN, erSampling)
	default:
		o.Status = StatusNotLogged
		o.Seen = "no Traffic Collector record of this circuit in the window (no collector, or its ATCExpressRouteCircuitIpfix rows not given with --logs)"
	}
}

// erDirection says which way a sampled record crossed the edge.
func erDirection(e *event.Event) string {
	switch e.Detail["edge"] {
	case "to-azure":
		return "toward Azure"
	case "from-azure":
		return "out of Azure"
	}
	return "direction not logged"
}

// passedOn says how the last hop that saw a lost flow saw it.
func passedOn(h *hopState) string {
	if h.kind == kindER {
		return "its Traffic Collector sampled the flow crossing the circuit edge"
	}
	return "it passed the flow on"
}

// ngfwVerb says how a Palo Alto firewall refused: denied, dropped or
// reset.
func ngfwVerb(e *event.Event) string {
	a := e.Detail["action"]
	switch {
	case len(a) > 5 && a[:5] == "reset":
		return "reset (" + a + ")"
	case e.Verdict == event.VerdictDrop:
		return "dropped"
	}
	return "denied"
}

// ngfwFix is the fix for a Palo Alto firewall's refusal.
func ngfwFix(h *hopState, e *event.Event) string {
	s := fmt.Sprintf("Allow %s → %s in the security rules of Palo Alto firewall %s", endpoint(e.SrcIP, 0, ""), endpoint(e.DstIP, e.DstPort, e.FQDN), h.name)
	if e.Rule.Name != "" {
		s += fmt.Sprintf(" above rule %s, which refused it", e.Rule.Name)
	}
	if reason := e.Detail["session_end_reason"]; reason != "" && reason != "n/a" {
		s += fmt.Sprintf(" (session end reason %s)", reason)
	}
	return s + "; Cloud NGFW rules live in its local or Panorama rulestack."
}
