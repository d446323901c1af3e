package explain

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/trace"
)

// maxHopEvidence caps the evidence items listed per hop; Seen still counts
// every record.
const maxHopEvidence = 12

// evaluate assigns the flow's events to hops and judges each hop: what
// it decided, whether it was reached, whether an answer came back, and
// whether its log was alive in the window.
func (r *run) evaluate(ctx context.Context) error {
	for _, h := range r.hops {
		if h.nic != nil && len(h.nic.macs) > 0 {
			r.step(nil, "%s.", h.nic.describe())
		}
		if h.kind == trace.KindGateway {
			if id := r.nics.gateways[strings.ToLower(h.name)]; id != nil {
				h.gwFlow = id
				r.step(nil, "%s.", id.describe())
			}
		}
	}
	r.offPath = nil
	for i := range r.events {
		e := &r.events[i]
		dir := r.direction(e)
		if e.Source == event.SourceVPNGateway {
			if h := r.gatewayHop(e.Emitter); h != nil {
				h.events = append(h.events, e)
				h.tunnel = append(h.tunnel, e)
			}
			continue
		}
		if isPaaS(e.Source) {
			h := r.paasHopFor(e)
			if h == nil {
				continue
			}
			h.events = append(h.events, e)
			if r.isSrc(e.SrcIP) {
				h.requests = append(h.requests, e)
			} else {
				h.others = append(h.others, e)
			}
			continue
		}
		if dir == dirNone {
			continue
		}
		h := r.hopFor(e)
		if h == nil {
			r.offPath = append(r.offPath, e)
			continue
		}
		h.events = append(h.events, e)
		if dir == dirReply {
			h.replies = append(h.replies, e)
			continue
		}
		switch e.Verdict {
		case event.VerdictDeny, event.VerdictDrop:
			h.denied = append(h.denied, e)
		case event.VerdictAlert:
			h.flagged = append(h.flagged, e)
			h.passed = append(h.passed, e)
		case event.VerdictInfo:
			if e.Detail["flow_trace"] == "true" && isReplyFlag(e) {
				h.replies = append(h.replies, e)
			} else {
				h.passed = append(h.passed, e)
			}
		default:
			h.passed = append(h.passed, e)
		}
		if isFlowLog(e.Source) && e.Verdict != event.VerdictDeny {
			switch e.FlowState {
			case "continuing", "end":
				h.counters = true
				h.sent += e.PacketsSent
				h.back += e.PacketsRecv
				h.bytesSent += e.BytesSent
				h.bytesBack += e.BytesRecv
			}
		}
	}
	for _, h := range r.hops {
		if err := r.liveness(ctx, h); err != nil {
			return err
		}
		r.judge(h)
		r.step(r.hopCites(h), "%s (%s): %s; %s.", h.token(), h.out.Role, strings.ToUpper(h.out.Status), h.out.Seen)
	}
	return nil
}

// hopFor returns the hop a flow-log or firewall record belongs to.
func (r *run) hopFor(e *event.Event) *hopState {
	switch {
	case isFlowLog(e.Source):
		id := r.nics.byEmitter[e.Emitter]
		if id == nil {
			return nil
		}
		if id.gateway != "" {
			return r.gatewayHop(id.gateway)
		}
		for _, h := range r.hops {
			if h.nic == id || (h.nic != nil && h.nic.token == id.token) {
				return h
			}
		}
	case isFirewallSource(e.Source):
		for _, h := range r.hops {
			if h.kind == firewallKindOf(e.Source) && strings.EqualFold(h.name, e.Emitter) {
				return h
			}
		}
	case e.Source == event.SourceExpressRoute:
		for _, h := range r.hops {
			if h.kind == kindER && strings.EqualFold(h.name, e.Emitter) {
				return h
			}
		}
	}
	return nil
}

// gatewayHop returns the gateway hop a gateway record belongs to: by name,
// else the only gateway on the path.
func (r *run) gatewayHop(name string) *hopState {
	var gws []*hopState
	for _, h := range r.hops {
		if h.kind == trace.KindGateway {
			if strings.EqualFold(h.name, name) {
				return h
			}
			gws = append(gws, h)
		}
	}
	if len(gws) == 1 && r.p.Trace == nil {
		return gws[0]
	}
	return nil
}

// paasHopFor returns the PaaS hop a resource record belongs to.
func (r *run) paasHopFor(e *event.Event) *hopState {
	for _, h := range r.hops {
		if h.kind == kindOfSource(e.Source) && (strings.EqualFold(h.name, e.Emitter) || (r.p.paas.Kind == h.kind && r.p.matchesResource(e))) {
			return h
		}
	}
	return nil
}

// liveness finds out whether the hop's log logged anything in the window.
func (r *run) liveness(ctx context.Context, h *hopState) error {
	var n int64
	var what string
	a := r.act
	switch h.kind {
	case trace.KindNIC:
		if h.nic == nil {
			return nil
		}
		what = "flow log of " + h.token()
		macs := h.nic.macs
		if a != nil {
			if len(macs) == 0 {
				for _, ip := range h.nic.ips {
					for _, k := range a.emittersOf(ip) {
						if id := r.nics.byEmitter[k.emitter]; id == nil || id.gateway == "" {
							macs = append(macs, k.emitter) // a gateway instance's tuples carry others' addresses
						}
					}
				}
			}
			for _, m := range macs {
				n += a.count(event.SourceVNetFlow, m, r.since, r.until) + a.count(event.SourceNSGFlow, m, r.since, r.until)
			}
		} else {
			for _, ip := range h.nic.ips {
				pf := []netip.Prefix{netip.PrefixFrom(ip, ip.BitLen())}
				fl := []event.Source{event.SourceVNetFlow, event.SourceNSGFlow}
				c1, err := r.st.Count(ctx, r.timed(&filter.Filter{Src: pf, Direction: []event.Direction{event.DirOut}, Source: fl}))
				if err != nil {
					return fmt.Errorf("explain: count flow logs: %w", err)
				}
				c2, err := r.st.Count(ctx, r.timed(&filter.Filter{Dst: pf, Direction: []event.Direction{event.DirIn}, Source: fl}))
				if err != nil {
					return fmt.Errorf("explain: count flow logs: %w", err)
				}
				n += c1 + c2
			}
		}
	case trace.KindFirewall, kindNGFW, kindER, trace.KindGateway, kindKeyVault, kindStorage, kindSQL, kindAppGW, kindFrontDoor:
		src := firewallSourceOf(h.kind)
		switch h.kind {
		case trace.KindGateway:
			src = event.SourceVPNGateway
		case kindER:
			src = event.SourceExpressRoute
		case kindKeyVault, kindStorage, kindSQL, kindAppGW, kindFrontDoor:
			src = sourceOfKind(h.kind)
		}
		what = string(src) + " log of " + h.token()
		if a != nil {
			for k := range a.emitters {
				if k.source == src && strings.EqualFold(k.emitter, h.name) {
					n += a.count(src, k.emitter, r.since, r.until)
				}
			}
			if id := h.gwFlow; id != nil {
				for _, m := range id.macs {
					h.flowN += a.count(event.SourceVNetFlow, m, r.since, r.until) + a.count(event.SourceNSGFlow, m, r.since, r.until)
				}
				what = fmt.Sprintf("%s: %d event(s); flow log of its instances (%s): %d event(s)", what, n, strings.Join(id.macs, ", "), h.flowN)
				n += h.flowN
			}
		} else {
			c, err := r.st.Count(ctx, r.timed(&filter.Filter{Source: []event.Source{src}}))
			if err != nil {
				return fmt.Errorf("explain: count %s logs: %w", src, err)
			}
			n = c
			what = string(src) + " logs (any resource; the store keeps no per-resource tally)"
		}
	default:
		return nil
	}
	h.aliveN = n
	if n > 0 {
		h.alive = 1
		h.aliveBy = r.citeInference(fmt.Sprintf("%s: %d event(s) from %s to %s", what, n, r.since.Format(quoteTime), r.until.Format(quoteTime)))
	} else {
		h.alive = 0
		h.aliveBy = r.citeInference(fmt.Sprintf("%s: no event from %s to %s", what, r.since.Format(quoteTime), r.until.Format(quoteTime)))
	}
	return nil
}

// judge sets the hop's status, its Seen sentence and its evidence list.
func (r *run) judge(h *hopState) {
	o := &h.out
	switch h.kind {
	case trace.KindNIC:
		r.judgeNIC(h)
	case trace.KindFirewall, kindNGFW:
		r.judgeFirewall(h)
	case kindER:
		r.judgeER(h)
	case trace.KindGateway:
		r.judgeGateway(h)
	case trace.KindPE:
		o.Status = StatusNotLogged
		o.Seen = "private endpoints write no flow log of their own (docs/log-formats.md §3.3); the resource's log speaks for them"
		if r.publicAddr.IsValid() {
			o.Status = StatusNotSeen
			o.Seen = fmt.Sprintf("not used: the client's flow log shows it sent to %s, the resource's public address, instead (private endpoints write no flow log of their own)", r.publicAddr)
		}
		if d := r.dnsPublic; d != nil {
			o.Status = StatusNotSeen
			o.Seen = fmt.Sprintf("not used: DNS answered the client %s for %s, a public address, not the endpoint's (private endpoints write no flow log of their own)", d.Detail["answers"], d.FQDN)
			if r.publicAddr.IsValid() {
				o.Seen += fmt.Sprintf("; the client's flow log shows it sent to %s", r.publicAddr)
			}
			h.events = append(h.events, d)
			h.passed = append(h.passed, d)
		}
	case kindKeyVault, kindStorage, kindSQL, kindAppGW, kindFrontDoor:
		r.judgePaaS(h)
	case trace.KindOnPrem:
		o.Status = StatusSimulated
		o.Seen = "outside Azure: no Azure log; a capture on the site would show what left it"
	case trace.KindInternet:
		o.Status = StatusSimulated
		o.Seen = "outside Azure: no Azure log"
	default:
		o.Status = StatusSimulated
		o.Seen = "no log covers this hop"
	}
	r.listEvidence(h)
}

func (r *run) judgeNIC(h *hopState) {
	o := &h.out
	switch {
	case len(h.denied) > 0:
		e := h.denied[0]
		o.Status = StatusDenied
		o.Seen = fmt.Sprintf("denied %s by NSG rule %s (%d denied tuple(s))", dirWord(e.Direction), ruleOr(e, "?"), len(h.denied))
		if enc := e.Detail["encryption"]; strings.HasPrefix(enc, "NX_") && e.Verdict == event.VerdictDrop {
			o.Seen = fmt.Sprintf("dropped by virtual network encryption (%s)", enc)
		}
	case len(h.passed) > 0:
		e := h.passed[0]
		o.Status = StatusSeen
		s := fmt.Sprintf("logged the flow %s, allowed by %s (%d tuple(s))", dirWord(e.Direction), ruleOr(e, "a rule"), len(h.passed))
		switch {
		case h.counters && h.back > 0:
			s += fmt.Sprintf("; %d packet(s) sent, %d back (%d bytes back)", h.sent, h.back, h.bytesBack)
			if !h.source {
				o.Status = StatusAnswered
			}
		case h.counters:
			s += fmt.Sprintf("; %d packet(s) sent, none back", h.sent)
		default:
			h.beginOnly = true
			s += "; only the flow's begin (B) was logged, no counters yet"
		}
		o.Seen = s
	case h.nic == nil || len(h.nic.ips) == 0 && len(h.nic.macs) == 0:
		o.Status = StatusNotLogged
		o.Seen = "no flow log names this NIC"
	case h.alive == 1:
		o.Status = StatusNotSeen
		o.Seen = fmt.Sprintf("its flow log logged %d other event(s) in the window, none of this flow", h.aliveN)
	default:
		o.Status = StatusNotLogged
		o.Seen = "no flow-log record from this NIC in the window (flow logs not enabled on its VNet/subnet, or not given with --logs)"
	}
}

func (r *run) judgeFirewall(h *hopState) {
	o := &h.out
	var parts []string
	switch {
	case len(h.denied) > 0:
		e := h.denied[0]
		o.Status = StatusDenied
		verb := "denied"
		if h.kind == kindNGFW {
			verb = ngfwVerb(e)
		}
		parts = append(parts, verb+" the request "+fwDecision(e))
	case len(h.passed) > 0:
		e := h.passed[0]
		o.Status = StatusSeen
		parts = append(parts, fwVerb(e)+" the request "+fwDecision(e))
		for _, p := range h.passed {
			if p.NAT != nil {
				parts = append(parts, fmt.Sprintf("%s to %s", strings.ToUpper(p.NAT.Kind), endpoint(p.NAT.TranslatedIP, p.NAT.TranslatedPort, "")))
				break
			}
		}
	case len(h.replies) > 0:
		o.Status = StatusSeen
	case h.alive == 1:
		o.Status = StatusNotSeen
		parts = append(parts, fmt.Sprintf("logged %d other event(s) in the window, none of this flow", h.aliveN))
	default:
		o.Status = StatusNotLogged
		parts = append(parts, "no record from this firewall in the window (no diagnostic setting, or its logs not given with --logs)")
	}
	for _, f := range h.flagged {
		parts = append(parts, "flagged: "+ruleOr(f, "alert"))
		break
	}
	if len(h.replies) > 0 {
		e := h.replies[0]
		parts = append(parts, fmt.Sprintf("flow trace shows %s %s → %s without a session (%d record(s))", e.Detail["flag"], endpoint(e.SrcIP, e.SrcPort, ""), endpoint(e.DstIP, e.DstPort, ""), len(h.replies)))
	}
	o.Seen = strings.Join(parts, "; ")
}

func (r *run) judgeGateway(h *hopState) {
	o := &h.out
	var down, ike, up *event.Event
	for _, e := range h.tunnel {
		switch {
		case e.Detail["ike_failure"] != "":
			if ike == nil {
				ike = e
			}
		case e.Detail["tunnel_state"] == "disconnected":
			down = e
		case e.Detail["tunnel_state"] == "connected":
			up = e
			if down != nil && e.Time.After(down.Time) {
				down = nil
			}
		}
	}
	defer r.judgeGatewayFlow(h)
	switch {
	case down != nil:
		o.Status = StatusDenied
		h.tunnelState = "down"
		o.Seen = fmt.Sprintf("tunnel %s disconnected at %s and not reconnected in the window", orDash(down.Detail["connection"]), down.Time.Format(quoteTime))
	case ike != nil && up == nil:
		o.Status = StatusDenied
		h.tunnelState = "failing"
		o.Seen = fmt.Sprintf("IKE failing: %s (%s)", ike.Detail["ike_failure"], ike.Rule.Reason)
	case up != nil || h.alive == 1:
		o.Status = StatusUp
		h.tunnelState = "up"
		o.Seen = "tunnel up in the window (gateways log tunnels, not flows)"
		if up != nil {
			o.Seen = fmt.Sprintf("tunnel %s connected at %s (gateways log tunnels, not flows)", orDash(up.Detail["connection"]), up.Time.Format(quoteTime))
		} else if h.aliveN > 0 {
			o.Seen = fmt.Sprintf("logged %d event(s) in the window, no disconnect (gateways log tunnels, not flows)", h.aliveN)
		}
	default:
		o.Status = StatusNotLogged
		o.Seen = "no gateway record in the window (no diagnostic setting with TunnelDiagnosticLog/IKEDiagnosticLog, or not given with --logs)"
	}
}

// judgeGatewayFlow adds what the gateway's instances' own flow log shows
// (VNet flow logs cover gateways): the flow crossing, or other traffic
// and not this flow. A tunnel that was down stays the gateway's status.
func (r *run) judgeGatewayFlow(h *hopState) {
	if h.gwFlow == nil {
		return
	}
	o := &h.out
	o.Seen = strings.Replace(o.Seen, " (gateways log tunnels, not flows)", "", 1)
	switch {
	case len(h.passed) > 0:
		s := fmt.Sprintf("its instances' flow log shows the flow crossing (%d tuple(s)", len(h.passed))
		if h.counters {
			s += fmt.Sprintf("; %d packet(s) sent, %d back", h.sent, h.back)
		}
		s += ")"
		if o.Status != StatusDenied {
			o.Status = StatusSeen
		}
		o.Seen = s + "; " + o.Seen
	case h.flowN > 0:
		if o.Status != StatusDenied {
			o.Status = StatusNotSeen
		}
		o.Seen = fmt.Sprintf("its instances' flow log logged %d other event(s) in the window, none of this flow; %s", h.flowN, o.Seen)
	}
}

func (r *run) judgePaaS(h *hopState) {
	o := &h.out
	switch {
	case len(h.requests) > 0:
		o.Status = StatusAnswered
		e := h.requests[len(h.requests)-1]
		s := fmt.Sprintf("logged %d request(s) from the client; last answered %d", len(h.requests), e.HTTPStatus)
		if l := e.Detail["denial_layer"]; l != "" {
			s += " (denied by " + l + ")"
		}
		s += " to caller " + e.SrcIP.String()
		o.Seen = s
	case len(h.others) > 0:
		o.Status = StatusNotSeen
		o.Seen = fmt.Sprintf("logged %d request(s) from other callers (%s), none from the client's addresses", len(h.others), callerList(h.others))
	case h.alive == 1:
		o.Status = StatusNotSeen
		o.Seen = fmt.Sprintf("logged %d other event(s) in the window, none from the client", h.aliveN)
	default:
		o.Status = StatusNotLogged
		o.Seen = fmt.Sprintf("no %s record in the window (no diagnostic setting, the log not given with --logs, or not landed yet)", paasLog(h.kind))
	}
}

// listEvidence turns the hop's records into cited evidence items.
func (r *run) listEvidence(h *hopState) {
	var list []*event.Event
	list = append(list, h.denied...)
	list = append(list, h.replies...)
	list = append(list, h.requests...)
	list = append(list, h.passed...)
	list = append(list, h.tunnel...)
	if len(h.requests) == 0 {
		list = append(list, h.others...)
	}
	seen := map[*event.Event]bool{}
	for _, e := range list {
		if seen[e] {
			continue
		}
		seen[e] = true
		if len(h.out.Evidence) == maxHopEvidence {
			break
		}
		h.out.Evidence = append(h.out.Evidence, Evidence{
			Citation: r.citeEvent(e), Time: e.Time.UTC(), Source: string(e.Source), Verdict: string(e.Verdict),
			Rule: e.Rule.Label(), Says: says(h, e),
		})
	}
	if len(h.events) == 0 && h.aliveBy >= 0 {
		h.out.Evidence = append(h.out.Evidence, Evidence{Citation: h.aliveBy, Source: OriginInference, Says: r.res.Citations[h.aliveBy].Quote})
	}
}

// says is what one record shows at a hop.
func says(h *hopState, e *event.Event) string {
	switch {
	case isFlowLog(e.Source):
		s := fmt.Sprintf("%s %s %s", e.FlowState, dirWord(e.Direction), verdictWord(e))
		if e.Verdict == event.VerdictDeny || e.Verdict == event.VerdictDrop {
			s = fmt.Sprintf("%s %s", dirWord(e.Direction), verdictWord(e))
		}
		if e.Rule.Name != "" {
			s += " by " + e.Rule.Name
		}
		if e.FlowState == "continuing" || e.FlowState == "end" {
			s += fmt.Sprintf(", %d packet(s) sent, %d back", e.PacketsSent, e.PacketsRecv)
		}
		return s + ", " + endpoint(e.SrcIP, e.SrcPort, "") + " → " + endpoint(e.DstIP, e.DstPort, "")
	case e.Source == event.SourceExpressRoute:
		return fmt.Sprintf("sampled %s: %s %s → %s (%s)", erDirection(e), e.Protocol, endpoint(e.SrcIP, e.SrcPort, ""), endpoint(e.DstIP, e.DstPort, ""), orDash(e.Detail["peering"]))
	case isFirewallSource(e.Source):
		if e.Detail["flow_trace"] == "true" {
			return fmt.Sprintf("flow trace %s %s → %s", e.Detail["flag"], endpoint(e.SrcIP, e.SrcPort, ""), endpoint(e.DstIP, e.DstPort, e.FQDN))
		}
		return fmt.Sprintf("%s %s → %s %s", e.Category, endpoint(e.SrcIP, e.SrcPort, ""), endpoint(e.DstIP, e.DstPort, e.FQDN), fwDecision(e))
	case e.Source == event.SourceVPNGateway:
		if f := e.Detail["ike_failure"]; f != "" {
			return "IKE failure " + f + ": " + e.Rule.Reason
		}
		if s := e.Detail["tunnel_state"]; s != "" {
			return "tunnel " + s + " " + e.Detail["connection"]
		}
		return e.Category + " " + e.Rule.Reason
	case e.Source == event.SourceDNS:
		s := fmt.Sprintf("DNS: %s asked for %s, answered %s", e.SrcIP, e.FQDN, orDash(e.Detail["answers"]))
		if cn := e.Detail["cnames"]; cn != "" {
			s += " via " + strings.ReplaceAll(cn, ",", " → ")
		}
		return s
	case isPaaS(e.Source):
		s := fmt.Sprintf("%s answered %d to caller %s", e.Detail["operation"], e.HTTPStatus, e.SrcIP)
		if l := e.Detail["denial_layer"]; l != "" {
			s += ", denied by " + l
		}
		return strings.TrimSpace(s)
	}
	return quoteEvent(e)
}

func dirWord(d event.Direction) string {
	switch d {
	case event.DirOut:
		return "outbound"
	case event.DirIn:
		return "inbound"
	}
	return ""
}

func verdictWord(e *event.Event) string {
	switch e.Verdict {
	case event.VerdictAllow:
		return "allowed"
	case event.VerdictDeny:
		return "denied"
	case event.VerdictDrop:
		return "dropped"
	}
	return string(e.Verdict)
}

func ruleOr(e *event.Event, def string) string {
	if l := e.Rule.Label(); l != "" {
		return l
	}
	return def
}

func fwVerb(e *event.Event) string {
	switch e.Verdict {
	case event.VerdictDNAT:
		return "DNATed"
	case event.VerdictAlert:
		return "let through (alert)"
	}
	return "allowed"
}

// fwDecision names what decided at the firewall: the rule trail, the
// default action, threat intelligence or the IDPS signature.
func fwDecision(e *event.Event) string {
	switch {
	case e.Rule.Default:
		return "by the default action (no rule matched)"
	case e.Rule.ThreatIntel != "":
		return "by threat intelligence (" + e.Rule.ThreatIntel + ")"
	case e.Rule.Signature != "":
		return "by IDPS signature " + e.Rule.Signature
	}
	if l := e.Rule.Label(); l != "" {
		return "by rule " + l
	}
	return "(no rule named)"
}

func callerList(evs []*event.Event) string {
	var out []string
	for _, e := range evs {
		s := e.SrcIP.String()
		if !containsStr(out, s) {
			out = append(out, s)
		}
		if len(out) == 4 {
			break
		}
	}
	return strings.Join(out, ", ")
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
