package explain

import (
	"fmt"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/trace"
)

// Time to land per log family (docs/log-formats.md §1.3): how long after an
// event its record may still be missing from the logs.
var landing = map[string]time.Duration{
	trace.KindNIC:      10 * time.Minute, // flow logs: 1-minute collection, blob updated every few minutes, first blob up to 5 minutes
	trace.KindFirewall: 5 * time.Minute,  // resource logs: 30-90 s at source plus the pipeline
	trace.KindGateway:  5 * time.Minute,
	kindKeyVault:       10 * time.Minute, // "at most 10 minutes"
	kindStorage:        5 * time.Minute,
	kindSQL:            5 * time.Minute,
	kindAppGW:          5 * time.Minute,
	kindNGFW:           5 * time.Minute, // no vendor statement (docs/log-formats-more.md §1.2)
	kindER:             5 * time.Minute, // exported every minute, plus ingestion
	kindFrontDoor:      5 * time.Minute,
}

// decide draws the verdict from the judged hops.
func (r *run) decide() {
	r.findings()
	var fwd, ret []*hopState
	for _, h := range r.hops {
		if h.out.Leg == LegForward {
			fwd = append(fwd, h)
		} else {
			ret = append(ret, h)
		}
	}
	dest := fwd[len(fwd)-1]
	src := fwd[0]

	// No logs at all: never a guess.
	if r.total == 0 && len(r.events) == 0 && !r.captureAnswered(dest) {
		if ok, when := r.recent(fwd); ok && r.res.Window.Basis != "empty" {
			r.notYetKnown(when, "the window holds no log record at all yet")
			return
		}
		r.missingLogs(fwd)
		r.verdict(VerdictNoEvidence, "", ConfidenceHigh, "No evidence: the window holds no log record at all, so nothing can be said without guessing; give the logs of the path with --logs (the findings say which) or choose a window with --at/--since.", nil)
		return
	}

	// A hop refused the flow.
	for i, h := range fwd {
		if h.out.Status != StatusDenied {
			continue
		}
		if h.kind == trace.KindGateway && !anySeen(fwd[i+1:]) {
			cites := r.hopCites(h)
			r.verdict(VerdictNeverReachedAzure, h.token(), ConfidenceHigh,
				fmt.Sprintf("Never reached Azure: the VPN tunnel of %s was %s in the window (%s), and no NIC or firewall logged the flow.", h.token(), h.tunnelState, h.out.Seen), cites)
			return
		}
		if dest.out.Status == StatusAnswered && i > 0 {
			continue // an earlier attempt was refused, a later one answered
		}
		r.dropped(h)
		return
	}

	strong, asymHop, asymCites := r.asymmetry(ret)
	clientNoReply := src.kind == trace.KindNIC && src.counters && src.back == 0 && len(src.passed) > 0

	switch {
	case dest.out.Status == StatusAnswered || r.captureAnswered(dest):
		clientGotData := src.kind == trace.KindNIC && src.counters && src.back > 0
		if (strong && !clientGotData) || (clientNoReply && dest.kind == trace.KindNIC) ||
			(asymHop != nil && dest.handshakeOnly() && !clientGotData) {
			r.asymmetric(dest, asymHop, asymCites, strong, clientNoReply)
			return
		}
		r.delivered(dest)
		return
	case dest.out.Status == StatusSeen:
		if strong || asymHop != nil {
			r.asymmetric(dest, asymHop, asymCites, strong, false)
			return
		}
		if dest.beginOnly {
			if ok, when := r.recent([]*hopState{dest}); ok {
				r.notYetKnown(when, fmt.Sprintf("%s logged the flow's begin but no counters yet", dest.token()))
				return
			}
			r.verdict(VerdictDropped, dest.token(), ConfidenceLow,
				fmt.Sprintf("Dropped at %s, probably: the flow reached it (its flow log shows the begin) but no counters ever showed packets back; the guest OS firewall or the application did not answer.", dest.token()), r.hopCites(dest))
			return
		}
		r.verdict(VerdictDropped, dest.token(), ConfidenceMedium,
			fmt.Sprintf("Dropped at %s: the request arrived (%s) but nothing came back; the NSG allowed it, so the guest OS firewall or the application did not answer (no listener on port %d?).", dest.token(), dest.out.Seen, r.p.port), r.hopCites(dest))
		return
	}

	// The destination logged nothing (or cannot log): the client's own
	// counters say whether anything answered.
	if src.kind == trace.KindNIC && src.counters && src.back > 0 && !dest.loggable() {
		r.delivered(dest)
		return
	}
	r.gap(fwd, src, dest)
}

// gap explains a flow the destination never logged: where the evidence
// stops, and whether the logs after that point were alive.
func (r *run) gap(fwd []*hopState, src, dest *hopState) {
	last := -1
	for i, h := range fwd {
		if h.out.Status == StatusSeen || h.out.Status == StatusAnswered {
			last = i
		}
	}
	if last < 0 {
		r.nothingSeen(fwd, src)
		return
	}
	seenHop := fwd[last]
	var next *hopState
	for _, h := range fwd[last+1:] {
		if h.loggable() {
			next = h
			break
		}
	}
	if ok, when := r.recent(fwd[last:]); ok {
		r.notYetKnown(when, fmt.Sprintf("%s logged the flow, nothing after it has so far", seenHop.token()))
		return
	}
	if next == nil {
		// Past the last log: the Internet, a site, a private endpoint
		// without its resource's log.
		conf := ConfidenceLow
		what := "no counters show packets back"
		if src.kind == trace.KindNIC && src.counters {
			conf, what = ConfidenceMedium, fmt.Sprintf("the client's flow log shows %d packet(s) sent and none back", src.sent)
		}
		r.verdict(VerdictDropped, dest.token(), conf,
			fmt.Sprintf("No answer from %s: %s passed the flow on, and %s; beyond it no Azure log can say more (capture at the destination to see whether it arrives).", dest.token(), seenHop.token(), what),
			append(r.hopCites(seenHop), r.hopCites(src)...))
		return
	}
	if next.alive != 1 {
		r.missingLogs([]*hopState{next})
		r.verdict(VerdictNoEvidence, next.token(), ConfidenceHigh,
			fmt.Sprintf("No evidence past %s: it logged the flow, but %s has no log in the window, so where the flow stopped cannot be proven (see the findings to enable it).", seenHop.token(), next.token()),
			append(r.hopCites(seenHop), r.hopCites(next)...))
		return
	}
	cites := append(r.hopCites(seenHop), r.hopCites(next)...)
	if tr := r.p.Trace; tr != nil && tr.Forward.Drop != nil {
		if h := r.hopByToken(tr.Forward.Drop.At); h != nil && r.indexOf(h) >= last && r.indexOf(h) <= r.indexOf(next) {
			d := tr.Forward.Drop
			cites = append(cites, r.citeSim(LegForward, h.simIdx, h.token()+": "+h.out.Expected))
			r.verdict(VerdictDropped, d.At, ConfidenceMedium,
				fmt.Sprintf("Dropped at %s (%s): %s logged the flow and %s, whose log was alive, never saw it; the simulation names the cause: %s.", d.At, d.Reason, seenHop.token(), next.token(), d.Detail), cites)
			r.res.Findings = append(r.res.Findings, Finding{Code: d.Reason, Severity: "error", Message: d.Detail, Fix: d.Fix, Citations: cites})
			return
		}
	}
	r.verdict(VerdictDropped, seenHop.token(), ConfidenceLow,
		fmt.Sprintf("Lost after %s: %s, and %s, whose log was alive in the window (%d other events), never saw it; no log names the cause (a route or peering between them).", seenHop.token(), passedOn(seenHop), next.token(), next.aliveN), cites)
}

// nothingSeen explains a flow no hop in Azure logged.
func (r *run) nothingSeen(fwd []*hopState, src *hopState) {
	var alive, missing []*hopState
	for _, h := range fwd {
		switch {
		case !h.loggable() && h.kind != trace.KindGateway:
		case h.alive == 1 || h.out.Status == StatusUp:
			alive = append(alive, h)
		case h.kind == trace.KindNIC && h.nic != nil && len(h.nic.macs) == 0 && len(h.nic.ips) == 0:
		default:
			missing = append(missing, h)
		}
	}
	if ok, when := r.recent(fwd); ok {
		r.notYetKnown(when, "no hop has logged the flow so far")
		return
	}
	if len(missing) > 0 || len(alive) == 0 {
		r.missingLogs(missing)
		at := ""
		var names []string
		for _, h := range missing {
			names = append(names, h.token())
		}
		if len(missing) > 0 {
			at = missing[0].token()
		}
		msg := "No evidence: no hop logged the flow, and "
		if len(names) > 0 {
			msg += "the logs of " + strings.Join(names, ", ") + " are missing in the window, so an absence proves nothing; enable them (see the findings) and explain again."
		} else {
			msg += "no log on its path shows any activity in the window."
		}
		r.verdict(VerdictNoEvidence, at, ConfidenceHigh, msg, nil)
		return
	}
	var cites []int
	var names []string
	for _, h := range alive {
		cites = append(cites, r.hopCites(h)...)
		names = append(names, h.token())
	}
	conf := ConfidenceMedium
	why := ""
	if tr := r.p.Trace; tr != nil && tr.Forward.Drop != nil && tr.Forward.Drop.At == src.token() {
		conf = ConfidenceHigh
		why = fmt.Sprintf(" The simulation agrees: %s (%s).", tr.Forward.Drop.Reason, tr.Forward.Drop.Detail)
		cites = append(cites, r.citeSim(LegForward, 0, src.token()+": "+src.out.Expected))
		r.res.Findings = append(r.res.Findings, Finding{Code: tr.Forward.Drop.Reason, Severity: "error", Message: tr.Forward.Drop.Detail, Fix: tr.Forward.Drop.Fix, Citations: cites[len(cites)-1:]})
	} else if len(alive) >= 2 {
		conf = ConfidenceHigh
	}
	// The client's other traffic that arrived in Azure in the window
	// proves its side works in general (the tunnel, the site, the VM).
	works := ""
	if reached, rc := r.reachedElsewhere(); reached != "" {
		cites = append(cites, rc...)
		what := "The client's network works"
		if src.kind == trace.KindOnPrem {
			what = "The tunnel and the site work"
			if len(r.gatewayHops()) == 0 {
				what = "The site's link to Azure works"
			}
		}
		works = fmt.Sprintf(" %s: %s.", what, reached)
		r.step(rc, "%s: %s, so only this flow is missing.", what, reached)
	}
	if src.kind == trace.KindNIC {
		others := ""
		if len(names) > 1 {
			others = fmt.Sprintf(" (%s logged other traffic too)", strings.Join(names[1:], ", "))
		}
		r.verdict(VerdictNeverReachedAzure, src.token(), conf,
			fmt.Sprintf("Never left the client: %s logged %d other event(s) in the window but not this flow, and nothing after it did%s; the VM never sent it (its OS firewall, its DNS answer or the application).%s%s A capture on the VM would prove it.", src.token(), src.aliveN, others, works, why), cites)
		return
	}
	r.verdict(VerdictNeverReachedAzure, src.token(), conf,
		fmt.Sprintf("Never reached Azure: nothing on the path logged the flow while %s logged other traffic in the window, so %s never sent it into Azure (its firewall or routing).%s%s A capture on the sender's edge, or a VPN gateway packet capture, would prove it.", strings.Join(names, ", "), src.token(), works, why), cites)
}

// gatewayHops lists the path's gateway hops.
func (r *run) gatewayHops() []*hopState {
	var out []*hopState
	for _, h := range r.hops {
		if h.kind == trace.KindGateway {
			out = append(out, h)
		}
	}
	return out
}

// asymmetry finds the stateful device that dropped the reply: a firewall
// whose flow trace shows the reply (SYN-ACK, INVALID) of this flow (strong),
// else the simulation's return-leg drop or its asymmetric-stateful finding.
func (r *run) asymmetry(ret []*hopState) (strong bool, at *hopState, cites []int) {
	for _, h := range r.hops {
		if isFirewallKind(h.kind) && len(h.replies) > 0 && (len(h.passed) == 0 || h.out.Leg == LegReturn) {
			return true, h, r.hopCites(h)
		}
	}
	if tr := r.p.Trace; tr != nil {
		if d := tr.Return.Drop; d != nil && d.Reason == trace.DropAsymmetric {
			h := r.hopByToken(d.At)
			if h != nil {
				return false, h, []int{r.citeSim(LegReturn, h.simIdx, h.token()+": "+h.out.Expected)}
			}
		}
	}
	return false, nil, nil
}

// findings adds the findings that do not depend on the verdict:
// contradictions, the simulation's own findings, translated sources, PaaS
// reached over its public name, firewall alerts, skipped input.
func (r *run) findings() {
	r.contradictions()
	if tr := r.p.Trace; tr != nil {
		for _, f := range tr.Findings {
			c := r.citeSim("path", 0, f.Code+": "+f.Message)
			fd := Finding{Code: f.Code, Severity: f.Severity, Message: f.Message, Fix: f.Fix, Citations: []int{c}}
			if f.Code == trace.FindPEBypassesFirewall {
				r.backBypass(&fd)
			}
			r.res.Findings = append(r.res.Findings, fd)
		}
		for _, n := range tr.NAT {
			if n.SourceTo.IsValid() {
				c := r.citeSim(LegForward, 0, fmt.Sprintf("%s %s: source %s → %s (%s)", n.At, n.Kind, n.SourceFrom, n.SourceTo, n.Why))
				to := n.SourceTo.String()
				if n.SourceToPrefix != "" {
					to = "an address of " + n.SourceToPrefix
				}
				r.res.Findings = append(r.res.Findings, Finding{Code: FindSNATSource, Severity: "info",
					Message: fmt.Sprintf("%s translates the source %s to %s: hops after it (and their flow logs and NSGs) see that address, not the client's.", n.At, n.SourceFrom, to),
					Fix:     fmt.Sprintf("Match the server side on %s (NSG rules, logs); the client's address travels in X-Forwarded-For for HTTP.", to), Citations: []int{c}})
			}
		}
	}
	if r.p.Trace == nil {
		r.firewallNotCrossed()
	}
	r.publicEndpointFinding()
	for _, h := range r.hops {
		for _, e := range h.flagged {
			c := r.citeEvent(e)
			r.res.Findings = append(r.res.Findings, Finding{Code: FindFirewallFlagged, Severity: "warning",
				Message: fmt.Sprintf("%s flagged the flow: %s.", h.token(), fwDecision(e)),
				Fix:     "Check the signature or threat category; allow-list it only for a confirmed false positive.", Citations: []int{c}})
			break
		}
		if h.tunnelState == "down" || h.tunnelState == "failing" {
			r.res.Findings = append(r.res.Findings, Finding{Code: FindTunnelDown, Severity: "error",
				Message: fmt.Sprintf("%s: %s.", h.token(), h.out.Seen),
				Fix:     "Read the IKE records cited (`pathproof codes` explains each failure class: PSK or policy mismatch, timeouts) and fix the connection on both sides.", Citations: r.hopCites(h)})
		}
	}
}

// contradictions compares the simulation with the evidence, hop by hop.
func (r *run) contradictions() {
	tr := r.p.Trace
	if tr == nil {
		return
	}
	var fwd []*hopState
	for _, h := range r.hops {
		if h.out.Leg == LegForward {
			fwd = append(fwd, h)
		}
	}
	seenAt := func(hs []*hopState) *hopState {
		for _, h := range hs {
			if h.out.Status == StatusSeen || h.out.Status == StatusAnswered || h.out.Status == StatusDenied {
				return h
			}
		}
		return nil
	}
	for i, h := range fwd {
		if h.sim == nil {
			continue
		}
		simCite := r.citeSim(LegForward, h.simIdx, h.token()+": "+h.out.Expected)
		// On the path, logging, silent, with the flow logged on both sides.
		if h.out.Status == StatusNotSeen && h.alive == 1 {
			before, after := seenAt(reverse(fwd[:i])), seenAt(fwd[i+1:])
			if before != nil && after != nil {
				r.contradiction(fmt.Sprintf("The simulation puts %s on the path, but it logged nothing of the flow (while logging %d other events) although %s before it and %s after it did: the traffic goes around it.", h.token(), h.aliveN, before.token(), after.token()),
					fmt.Sprintf("Export the topology again and compare the routes of %s's subnet with the live effective routes (`az network nic show-effective-route-table`); a private endpoint /32 or a changed UDR takes the traffic around %s.", before.token(), h.token()),
					append([]int{simCite, h.aliveBy}, append(r.hopCites(before), r.hopCites(after)...)...))
			}
		}
		// The model allows where a log denies.
		if h.out.Status == StatusDenied && h.drop == nil && len(h.denied) > 0 && h.kind != trace.KindGateway {
			e := h.denied[0]
			r.contradiction(fmt.Sprintf("The simulation lets the flow through %s (%s), but its log shows %s: the live rules differ from the topology.", h.token(), h.out.Expected, strings.TrimSpace(verdictWord(e)+" "+fwDecisionOrRule(e))),
				fmt.Sprintf("Export %s's rules again (NSG or firewall policy) and compare them with the rule the log names.", h.token()), []int{simCite, r.citeEvent(e)})
		}
		// The model drops where the evidence shows the flow pass.
		if h.drop != nil {
			if h.out.Status == StatusSeen || h.out.Status == StatusAnswered || seenAt(fwd[i+1:]) != nil {
				past := h
				if a := seenAt(fwd[i+1:]); a != nil {
					past = a
				}
				r.contradiction(fmt.Sprintf("The simulation drops the flow at %s (%s), but the evidence shows it at %s: the topology is stale or a rule differs from the export.", h.token(), h.drop.Reason, past.token()),
					"Export the topology again and re-run; compare the rule or route the simulation names with the live resource.", append([]int{simCite}, r.hopCites(past)...))
			}
		}
	}
	// Devices off the simulated path that logged the flow.
	reported := map[string]bool{}
	for _, e := range r.offPath {
		key := string(e.Source) + "/" + e.Emitter
		if reported[key] || (!isFirewallSource(e.Source) && !isFlowLog(e.Source)) {
			continue
		}
		reported[key] = true
		who := e.Emitter
		if isFlowLog(e.Source) {
			if id := r.nics.byEmitter[e.Emitter]; id != nil {
				who = id.token
			}
			if r.hopByToken(who) != nil {
				continue
			}
		} else {
			who = firewallKindOf(e.Source) + ":" + canonicalName(e.Emitter)
		}
		r.contradiction(fmt.Sprintf("%s logged the flow, but the simulation does not put it on the path: the topology may be stale.", who),
			"Export the topology again; compare the effective routes on the path with the live ones.", []int{r.citeEvent(e)})
	}
}

func fwDecisionOrRule(e *event.Event) string {
	if isFirewallSource(e.Source) {
		return fwDecision(e)
	}
	if l := e.Rule.Label(); l != "" {
		return "by rule " + l
	}
	return ""
}

func (r *run) contradiction(msg, fix string, cites []int) {
	r.res.Findings = append(r.res.Findings, Finding{Code: FindContradiction, Severity: "warning", Message: msg, Fix: fix, Citations: cites})
	r.contradicted = true
}

// publicEndpointFinding reports a resource that has a private endpoint
// answering the client on a public address.
func (r *run) publicEndpointFinding() {
	for _, h := range r.hops {
		if h.kind != r.p.paas.Kind || r.p.paas.Kind == "" {
			continue
		}
		for _, e := range h.requests {
			if e.SrcIP.IsPrivate() || isCGNAT(e.SrcIP) {
				continue
			}
			private := r.p.pe != nil || e.Detail["denial_layer"] == "private-link-only"
			if !private {
				continue
			}
			pe := "its private endpoint"
			if r.p.pe != nil {
				pe = fmt.Sprintf("private endpoint %s (%s)", r.p.pe.Name, r.p.pe.IP)
			}
			zone := privatelinkZones[h.kind]
			fix := fmt.Sprintf("Link the private DNS zone %s (holding %s's record) to the client's VNet, or make its DNS forwarder resolve through it, so %s resolves to %s.", zone, r.p.paas.Name, r.p.fqdn, pe)
			if v := r.clientVNet(); v != "" {
				fix = fmt.Sprintf("Link the private DNS zone %s to VNet %s (the client's), or make its DNS forwarder resolve through it, so %s resolves to %s.", zone, v, orName(r.p.fqdn, r.p.paas.Name), pe)
			}
			r.res.Findings = append(r.res.Findings, Finding{Code: FindPublicEndpoint, Severity: "warning",
				Message: fmt.Sprintf("%s logged the client's request from public address %s: the client resolved the public name and went around %s.", h.token(), e.SrcIP, pe),
				Fix:     fix, Citations: []int{r.citeEvent(e)}})
			return
		}
	}
}

func orName(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// clientVNet names the client NIC's VNet from the topology, when known.
func (r *run) clientVNet() string {
	if r.p.Trace == nil || len(r.p.Trace.Forward.Hops) == 0 {
		return ""
	}
	h := r.p.Trace.Forward.Hops[0]
	if h.Kind != trace.KindNIC {
		return ""
	}
	return h.VNet
}

// --- verdict setters -------------------------------------------------

func (r *run) verdict(v, at, conf, summary string, cites []int) {
	if r.contradicted && conf == ConfidenceHigh {
		conf = ConfidenceMedium
	}
	r.res.Verdict, r.res.At, r.res.Confidence, r.res.Summary = v, at, conf, summary
	r.step(dedupeInts(cites), "Verdict %s at %s (%s confidence): %s", v, orDash(at), conf, summary)
}

func (r *run) dropped(h *hopState) {
	e := h.denied[0]
	cites := r.hopCites(h)
	var summary, code, fix string
	switch h.kind {
	case trace.KindNIC:
		code = trace.DropNSGDeny
		rule := ruleOr(e, "a rule")
		summary = fmt.Sprintf("Dropped at %s: NSG rule %s denied the %s flow %s → %s.", h.token(), rule, dirWord(e.Direction), endpoint(e.SrcIP, 0, ""), endpoint(e.DstIP, e.DstPort, ""))
		if !r.isOrigSrc(e.SrcIP) {
			summary += fmt.Sprintf(" The NIC sees %s, not the client %s: the source was translated on the way.", e.SrcIP, r.p.src)
		}
		fix = fmt.Sprintf("Add an allow rule for %s → %s above %s in the NSG that holds it (`pathproof nsg-diag` shows which), or remove the deny.", e.SrcIP, endpoint(e.DstIP, e.DstPort, ""), rule)
	case trace.KindFirewall:
		code = trace.DropFirewallDeny
		if e.Rule.ThreatIntel != "" {
			code = trace.DropFirewallThreatIntel
		}
		summary = fmt.Sprintf("Dropped at %s: the firewall denied the request %s.", h.token(), fwDecision(e))
		fix = fmt.Sprintf("Add a rule allowing %s → %s to the firewall policy of %s (`pathproof firewall` shows which rule decides).", endpoint(e.SrcIP, 0, ""), endpoint(e.DstIP, e.DstPort, e.FQDN), h.token())
	case kindNGFW:
		code = trace.DropFirewallDeny
		summary = fmt.Sprintf("Dropped at %s: the Palo Alto firewall %s the request %s.", h.token(), ngfwVerb(e), fwDecision(e))
		if reason := e.Detail["session_end_reason"]; reason != "" && reason != "n/a" {
			summary = strings.TrimSuffix(summary, ".") + fmt.Sprintf(" (session end reason %s).", reason)
		}
		fix = ngfwFix(h, e)
	default:
		code = "dropped"
		summary = fmt.Sprintf("Dropped at %s: %s.", h.token(), h.out.Seen)
	}
	if h.drop != nil && h.drop.Fix != "" {
		fix = h.drop.Fix
		cites = append(cites, r.citeSim(LegForward, h.simIdx, h.token()+": "+h.out.Expected))
		summary += " The simulation agrees."
	}
	r.verdict(VerdictDropped, h.token(), ConfidenceHigh, summary, cites)
	if fix != "" {
		r.res.Findings = append([]Finding{{Code: code, Severity: "error", Message: summary, Fix: fix, Citations: dedupeInts(cites)}}, r.res.Findings...)
	}
}

// isOrigSrc reports whether a is the client's own address.
func (r *run) isOrigSrc(a interface{ String() string }) bool {
	return a.String() == r.p.src.String()
}

func (r *run) delivered(dest *hopState) {
	ans := r.answer(dest)
	r.res.Answer = ans
	cites := append(r.hopCites(dest), ans.Citations...)
	r.verdict(VerdictDelivered, dest.token(), ConfidenceHigh,
		fmt.Sprintf("Delivered and answered: the network delivered the flow to %s, which answered (%s).", dest.token(), ans.Text), cites)
}

// answer describes the application-level answer at the destination: a
// PaaS status and its denial layer, a capture's TLS or HTTP finding, or
// flow-log counters back.
func (r *run) answer(dest *hopState) *Answer {
	if len(dest.requests) > 0 {
		e := dest.requests[len(dest.requests)-1]
		a := &Answer{Hop: dest.token(), Kind: "http", HTTPStatus: e.HTTPStatus, Citations: []int{r.citeEvent(e)}}
		a.Text = fmt.Sprintf("HTTP %d to %s", e.HTTPStatus, e.Detail["operation"])
		if l := e.Detail["denial_layer"]; l != "" || e.Verdict == event.VerdictDeny {
			a.Kind, a.Layer = "denied", l
			a.Text = fmt.Sprintf("HTTP %d: %s refused the request at its %s layer", e.HTTPStatus, dest.token(), orName(l, "unknown"))
			if why := strings.TrimSpace(strings.TrimPrefix(e.Rule.Reason, l+":")); why != "" {
				a.Text += ": " + why
			}
		}
		return a
	}
	if c := dest.capture; c != nil {
		if a := c.answer(dest.token()); a != nil {
			return a
		}
	}
	for _, h := range r.hops {
		if h.capture != nil {
			if a := h.capture.answer(dest.token()); a != nil {
				return a
			}
		}
	}
	var holder *hopState
	switch {
	case dest.kind == trace.KindNIC && dest.back > 0:
		holder = dest
	case r.hops[0].back > 0:
		holder = r.hops[0]
	}
	if holder != nil {
		var cites []int
		for _, e := range holder.passed {
			if e.PacketsRecv > 0 {
				cites = append(cites, r.citeEvent(e))
			}
		}
		return &Answer{Hop: dest.token(), Kind: "bytes", Text: fmt.Sprintf("%d packet(s), %d bytes back at %s", holder.back, holder.bytesBack, holder.token()), Citations: cites}
	}
	return &Answer{Hop: dest.token(), Kind: "bytes", Text: "an answer seen in the capture"}
}

func (r *run) asymmetric(dest, at *hopState, cites []int, strong, clientNoReply bool) {
	conf := ConfidenceMedium
	if strong {
		conf = ConfidenceHigh
	}
	cites = append(cites, r.hopCites(dest)...)
	where := "a stateful device on the reply path"
	tok := dest.token()
	if at != nil {
		where, tok = at.token(), at.token()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Asymmetric return: the request reached %s", dest.token())
	if dest.back > 0 {
		fmt.Fprintf(&b, ", which answered (%d packet(s) back)", dest.back)
	}
	fmt.Fprintf(&b, ", but the reply went through %s without a session and was dropped", where)
	if strong {
		b.WriteString(" (its flow trace shows the reply without the request's SYN)")
	}
	if clientNoReply {
		fmt.Fprintf(&b, "; the client's NIC %s got nothing back", r.hops[0].token())
	}
	b.WriteString(".")
	fix := "Make both directions cross the same stateful device: add the UDR that sends the request through it (or the reply around it), or SNAT at the device."
	if tr := r.p.Trace; tr != nil {
		if d := tr.Return.Drop; d != nil && d.Reason == trace.DropAsymmetric && d.Fix != "" {
			fix = d.Fix
			fmt.Fprintf(&b, " The simulation names the cause: %s.", d.Detail)
		} else {
			for _, f := range tr.Findings {
				if f.Code == trace.FindAsymmetric {
					fix = f.Fix
					break
				}
			}
		}
	}
	r.verdict(VerdictAsymmetric, tok, conf, b.String(), cites)
	kept := r.res.Findings[:0]
	for _, f := range r.res.Findings {
		if f.Code == trace.FindAsymmetric {
			cites = append(cites, f.Citations...) // the simulation's own finding, merged into this one
			continue
		}
		kept = append(kept, f)
	}
	r.res.Findings = kept
	r.res.Findings = append([]Finding{{Code: trace.FindAsymmetric, Severity: "error", Message: b.String(), Fix: fix, Citations: dedupeInts(cites)}}, r.res.Findings...)
	if !strong {
		r.res.Findings = append(r.res.Findings, Finding{Code: FindFlowTraceNeeded, Severity: "warning",
			Message: "Only Azure Firewall's flow trace log (AZFWFlowTrace: the SYN-ACK or INVALID without the SYN) proves an asymmetric return, and it is not in the evidence.",
			Fix:     enableFix("flowtrace", "")})
	}
}

func (r *run) notYetKnown(when time.Time, what string) {
	r.res.RetryAfter = when
	r.res.Findings = append(r.res.Findings, Finding{Code: FindNotLanded, Severity: "info",
		Message: fmt.Sprintf("The window ends at %s, less than the time logs take to land before now (%s).", r.until.Format(time.RFC3339), r.now.Format(time.RFC3339)),
		Fix:     "Run the same explain again after " + when.Format(time.RFC3339) + "."})
	r.verdict(VerdictNotYetKnown, "", ConfidenceMedium,
		fmt.Sprintf("Not known yet: %s, but the window is still inside the time the logs take to land; look again after %s.", what, when.Format(time.RFC3339)), nil)
}

// recent reports whether the window ends within the landing time of a
// hop's log, and when every such log will have landed.
func (r *run) recent(hops []*hopState) (bool, time.Time) {
	var wait time.Duration
	for _, h := range hops {
		if d, ok := landing[h.kind]; ok && d > wait {
			wait = d
		}
	}
	when := r.until.Add(wait).Truncate(time.Minute).Add(time.Minute)
	return wait > 0 && r.now.Before(r.until.Add(wait)), when
}

// missingLogs adds a log-missing finding for each hop whose log is absent.
func (r *run) missingLogs(hops []*hopState) {
	for _, h := range hops {
		if !h.loggable() && h.kind != trace.KindGateway {
			continue
		}
		if h.alive == 1 {
			continue
		}
		var cites []int
		if h.aliveBy >= 0 {
			cites = []int{h.aliveBy}
		}
		kind := h.kind
		r.res.Findings = append(r.res.Findings, Finding{Code: FindLogMissing, Severity: "error",
			Message: fmt.Sprintf("%s (%s) has no log in the window: %s.", h.token(), h.out.Role, h.out.Seen),
			Fix:     enableFix(kind, h.name), Citations: cites})
	}
}

// enableFix says how to enable the log a hop kind writes.
func enableFix(kind, name string) string {
	n := name
	if n == "" {
		n = "NAME"
	}
	switch kind {
	case trace.KindNIC:
		return "Enable VNet flow logs on the NIC's VNet or subnet (az network watcher flow-log create --location REGION --name FLOWLOG --vnet VNET --storage-account ACCOUNT), then pass the insights-logs-flowlogflowevent container with --logs."
	case trace.KindFirewall:
		return fmt.Sprintf("Add a diagnostic setting on firewall %s sending AZFWNetworkRule, AZFWApplicationRule and AZFWNatRule (resource-specific) to a storage account (az monitor diagnostic-settings create --resource FIREWALL_ID --name pathproof --storage-account ACCOUNT --export-to-resource-specific true --logs '[{\"category\":\"AZFWNetworkRule\",\"enabled\":true},{\"category\":\"AZFWApplicationRule\",\"enabled\":true},{\"category\":\"AZFWNatRule\",\"enabled\":true}]'), then pass its insights-logs-* containers with --logs.", n)
	case "flowtrace":
		return "Enable the firewall's flow trace: az feature register --namespace Microsoft.Network --name AFWEnableTcpConnectionLogging, then add the AZFWFlowTrace category to its diagnostic setting; reproduce, explain again with the insights-logs-azfwflowtrace container, then switch the category off again: flow trace is billed per record."
	case trace.KindGateway:
		return fmt.Sprintf("Add a diagnostic setting on gateway %s with TunnelDiagnosticLog and IKEDiagnosticLog to a storage account (az monitor diagnostic-settings create --resource GATEWAY_ID --name pathproof --storage-account ACCOUNT --logs '[{\"category\":\"TunnelDiagnosticLog\",\"enabled\":true},{\"category\":\"IKEDiagnosticLog\",\"enabled\":true}]').", n)
	case kindKeyVault:
		return fmt.Sprintf("Add a diagnostic setting on vault %s with the AuditEvent category to a storage account (az monitor diagnostic-settings create --resource VAULT_ID --name pathproof --storage-account ACCOUNT --logs '[{\"category\":\"AuditEvent\",\"enabled\":true}]'); records land within 10 minutes.", n)
	case kindStorage:
		return fmt.Sprintf("Add a diagnostic setting on %s/blobServices/default with StorageRead and StorageWrite to a storage account (az monitor diagnostic-settings create --resource ACCOUNT_ID/blobServices/default --name pathproof --storage-account LOGACCOUNT --logs '[{\"category\":\"StorageRead\",\"enabled\":true},{\"category\":\"StorageWrite\",\"enabled\":true}]').", n)
	case kindSQL:
		return fmt.Sprintf("Enable auditing on SQL server %s to a storage account (az sql server audit-policy update --state Enabled --blob-storage-target-state Enabled ...).", n)
	case kindAppGW:
		return fmt.Sprintf("Add a diagnostic setting on application gateway %s with ApplicationGatewayAccessLog and ApplicationGatewayFirewallLog.", n)
	case kindFrontDoor:
		return fmt.Sprintf("Add a diagnostic setting on Front Door profile %s with FrontDoorAccessLog and FrontDoorWebApplicationFirewallLog.", n)
	case kindNGFW:
		return fmt.Sprintf("In Cloud NGFW %s's log settings send TRAFFIC and THREAT logs to a Log Analytics workspace and pass its fluentbit_CL rows (an export) with --logs; for a VM-Series appliance, pass the PAN-OS syslog it forwards.", n)
	case kindER:
		return fmt.Sprintf("Create an ExpressRoute Traffic Collector for circuit %s sending ExpressRouteCircuitIpfix to a Log Analytics workspace, and pass the ATCExpressRouteCircuitIpfix rows with --logs (it samples 1 packet in 4,096).", n)
	}
	return "Enable the resource's diagnostic logs and pass them with --logs."
}

// --- helpers ---------------------------------------------------------

// hopCites lists the citations of a hop's evidence (or of its liveness).
func (r *run) hopCites(h *hopState) []int {
	var out []int
	for _, e := range h.out.Evidence {
		out = append(out, e.Citation)
	}
	if len(out) == 0 && h.aliveBy >= 0 {
		out = append(out, h.aliveBy)
	}
	return out
}

func (r *run) hopByToken(tok string) *hopState {
	for _, h := range r.hops {
		if h.token() == tok {
			return h
		}
	}
	return nil
}

func (r *run) indexOf(h *hopState) int {
	for i, x := range r.hops {
		if x == h {
			return i
		}
	}
	return -1
}

func anySeen(hs []*hopState) bool {
	for _, h := range hs {
		if h.out.Status == StatusSeen || h.out.Status == StatusAnswered || h.out.Status == StatusDenied {
			return true
		}
	}
	return false
}

func reverse(hs []*hopState) []*hopState {
	out := make([]*hopState, len(hs))
	for i, h := range hs {
		out[len(hs)-1-i] = h
	}
	return out
}

func dedupeInts(xs []int) []int {
	seen := map[int]bool{}
	out := []int{}
	for _, x := range xs {
		if x >= 0 && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
