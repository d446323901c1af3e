package trace

import (
	"fmt"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
)

// State is per protocol (docs/azure-semantics.md §5.4): Azure Firewall
// tracks TCP connections, so a TCP packet it has no connection for (a
// SYN-ACK whose SYN took another path) is INVALID whatever the rules say.
// An ICMP echo reply or a UDP reply it has no session for is not invalid:
// it is a new flow, judged by the rules like any other first packet. That
// is why, on the same asymmetric network, ping can work while HTTPS fails.

// stateless reports whether a reply of protocol proto that meets a firewall
// without a session is judged by the rules as a new flow (ICMP echo reply,
// UDP) rather than dropped as INVALID (TCP).
func stateless(proto string) bool {
	return proto == "icmp" || proto == "udp"
}

// replyAsNewFlow is the return leg reaching firewall d, which never saw the
// request, with an ICMP or UDP reply: the firewall evaluates it against its
// rules as a new flow (§5.4). Allowed, the reply passes and the asymmetry is
// a warning (this protocol works, TCP on the same path does not); denied,
// the reply dies at the rule that denied it.
func (s *sim) replyAsNewFlow(d *device, p *Flow, h *Hop) *Drop {
	fw := d.fw
	proto := strings.ToUpper(p.Protocol)
	h.add("state", VerdictInfo, fw.Name, "", "no session: %s never saw the request; the %s %s has no connection to be invalid, so the firewall judges it as a new flow against its rules", d.token(), proto, replyWord(p.Protocol))
	dec := s.firewallDecision(fw, *p, false)
	fix, msg := s.fixForwardSkipped(d)
	if dec.ThreatIntel || dec.Action == azure.ActionDeny {
		h.add("firewall", VerdictDeny, dec.Policy, dec.Rule, "%s", dec.describe())
		s.addFinding(Finding{Code: FindAsymmetric, Severity: "error",
			Message:  fmt.Sprintf("%s reply: %s; judged as a new flow, it is denied (%s)", proto, msg, dec.describe()),
			Fix:      fix,
			Evidence: newFlowEvidence(d, *p, dec)})
		drop := dropf(DropAsymmetric, "the %s reply %s reaches %s, which has no session for it (the request did not pass it) and whose rules deny it as a new flow", proto, flowKey(*p), d.token()).fix("%s", fix)
		drop.Rule = dec.Rule
		return drop
	}
	h.add("firewall", VerdictAllow, dec.Policy, dec.Rule, "%s", dec.describe())
	if dec.SNAT || dec.DNATTo.IsValid() {
		s.assume(fmt.Sprintf("firewall %s would translate the %s reply it judges as a new flow (%s); the trace does not apply that translation to the reply", fw.Name, proto, dec.describe()))
	}
	s.addFinding(Finding{Code: FindAsymmetric, Severity: "warning",
		Message:  fmt.Sprintf("%s reply: %s; judged as a new flow, it is allowed (%s), so %s works on this path, but a TCP flow on the same path fails: its SYN-ACK has no session and is dropped as INVALID", proto, msg, dec.describe(), protoWord(p.Protocol)),
		Fix:      fix,
		Evidence: newFlowEvidence(d, *p, dec)})
	return nil
}

// replyWord names the reply packet of a protocol.
func replyWord(proto string) string {
	switch proto {
	case "icmp":
		return "echo reply"
	case "tcp":
		return "SYN-ACK"
	}
	return "reply"
}

// protoWord names what works when the reply of proto passes.
func protoWord(proto string) string {
	if proto == "icmp" {
		return "ping"
	}
	return strings.ToUpper(proto)
}

// newFlowEvidence is the log signature of a reply the firewall judged as a
// new flow (log-formats §4.2, §4.3): a network rule log line for the reply
// direction, ICMP with its type in the protocol and no ports.
func newFlowEvidence(d *device, reply Flow, dec fwDecision) string {
	action := "Allow"
	if dec.Action == azure.ActionDeny || dec.ThreatIntel {
		action = "Deny"
	}
	rule := "Rule " + dec.Rule
	if dec.Rule == "" {
		rule = "ActionReason Default Action (no rule matched)"
	}
	var line string
	if reply.Protocol == "icmp" {
		line = fmt.Sprintf("Protocol \"ICMP Type=0\", %s → %s, ports 0, Action %s, %s (legacy msg: \"ICMP Type=0 request from %s to %s. Action: %s.\")", reply.Src, reply.Dst, action, rule, reply.Src, reply.Dst, action)
	} else {
		line = fmt.Sprintf("Protocol %s, %s:%d → %s:%d, Action %s, %s (legacy msg: \"%s request from %s:%d to %s:%d. Action: %s.\")", strings.ToUpper(reply.Protocol), reply.Src, reply.SrcPort, reply.Dst, reply.DstPort, action, rule, strings.ToUpper(reply.Protocol), reply.Src, reply.SrcPort, reply.Dst, reply.DstPort, action)
	}
	return fmt.Sprintf("firewall %s: no rule log entry for the request; the network rule log (AZFWNetworkRule) shows the reply as a request of its own: %s; no INVALID in the flow trace log (that is TCP only)", d.name, line)
}
