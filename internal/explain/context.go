package explain

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/trace"
)

// maxContext bounds the client's other records read per kind (firewall
// and DNS proxy records; flow-log tuples of other NICs receiving from it).
const maxContext = 2000

// aboutClient reports whether e is a record of the client's other traffic that
// can back a conclusion about this flow: a firewall record (or a firewall
// DNS proxy query) from the client, which proves the firewall was alive
// and saw the client; a flow-log tuple of a NIC receiving from the client,
// which proves the client's traffic reaches Azure. A one-shot load keeps
// them (bounded by the client's own traffic, not by the input).
func (p *Plan) aboutClient(e *event.Event) bool {
	if e.SrcIP.Unmap() != p.src {
		return false
	}
	switch {
	case e.Source == event.SourceFirewall, isFirewallDNS(e):
		return true
	case isFlowLog(e.Source):
		return e.Direction == event.DirIn
	}
	return false
}

// keeps is what a one-shot load stores: the flow's candidate events and
// the client's other records (aboutClient).
func (p *Plan) keeps(e *event.Event) bool { return p.relevant(e) || p.aboutClient(e) }

// isFirewallDNS reports whether e is a query the firewall's DNS proxy
// logged (AZFWDnsQuery, legacy AzureFirewallDnsProxy): a DNS record whose
// emitter is the firewall.
func isFirewallDNS(e *event.Event) bool {
	if e.Source != event.SourceDNS {
		return false
	}
	return strings.HasPrefix(e.Category, "AZFW") || strings.HasPrefix(e.Category, "AzureFirewall") ||
		strings.Contains(e.EmitterID, "/microsoft.network/azurefirewalls/")
}

// gatherContext reads the client's records in the window that back a
// conclusion (Plan.aboutClient): firewall and DNS proxy records from it,
// NICs' inbound tuples from it. Some may be the flow's own too.
func (r *run) gatherContext(ctx context.Context) error {
	src := []netip.Prefix{netip.PrefixFrom(r.p.src, r.p.src.BitLen())}
	if !r.p.src.IsValid() {
		return nil
	}
	seen := map[citeKey]bool{}
	for _, f := range []*filter.Filter{
		{Src: src, Source: []event.Source{event.SourceFirewall, event.SourceDNS}},
		{Src: src, Source: []event.Source{event.SourceVNetFlow, event.SourceNSGFlow}, Direction: []event.Direction{event.DirIn}},
	} {
		evs, err := r.st.Events(ctx, r.timed(f), maxContext)
		if err != nil {
			return fmt.Errorf("explain: read the client's other records: %w", err)
		}
		for i := range evs {
			e := &evs[i]
			k := citeKey{e.Origin.Key, e.Origin.Record, e.Origin.Tuple}
			if seen[k] || !r.p.aboutClient(e) {
				continue
			}
			seen[k] = true
			r.clientEvents = append(r.clientEvents, *e)
		}
	}
	return nil
}

// fwSighting is what one firewall logged of the client in the window
// besides this flow.
type fwSighting struct {
	token string
	n     int
	// dns is the firewall's DNS proxy query of a destination name for the
	// client; others are its decisions on the client's other flows.
	dns    *event.Event
	others []*event.Event
}

// firewallSightings lists the firewalls that logged the client in the
// window but made no decision for this flow, by name.
func (r *run) firewallSightings() []*fwSighting {
	byName := map[string]*fwSighting{}
	for i := range r.clientEvents {
		e := &r.clientEvents[i]
		if e.Source != event.SourceFirewall && !isFirewallDNS(e) {
			continue
		}
		name := canonicalName(e.Emitter)
		if name == "" || r.firewallSawFlow(name) {
			continue
		}
		s := byName[name]
		if s == nil {
			s = &fwSighting{token: trace.KindFirewall + ":" + name}
			byName[name] = s
		}
		s.n++
		switch {
		case isFirewallDNS(e):
			if s.dns == nil && e.FQDN != "" && r.namesDest(e.FQDN) {
				s.dns = e
			}
		case len(s.others) < 2:
			s.others = append(s.others, e)
		}
	}
	var out []*fwSighting
	for _, s := range byName {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].token < out[j].token })
	return out
}

// firewallSawFlow reports whether the firewall named name logged the flow
// (either way) in the window.
func (r *run) firewallSawFlow(name string) bool {
	for i := range r.events {
		e := &r.events[i]
		if e.Source == event.SourceFirewall && strings.EqualFold(e.Emitter, name) && r.direction(e) != dirNone {
			return true
		}
	}
	return false
}

// namesDest reports whether a host name is the flow's destination: the
// name asked for, the private endpoint's, the name the destination
// resource logged the client's requests under, or a firewall DNS record
// of the topology that resolves to one of its addresses.
func (r *run) namesDest(name string) bool {
	p := r.p
	if p.fqdn != "" && samePaaS(name, p.fqdn) {
		return true
	}
	if p.pe != nil && p.pe.Target.FQDN != "" && samePaaS(name, p.pe.Target.FQDN) {
		return true
	}
	for _, h := range r.hops {
		for _, e := range h.requests {
			if e.FQDN != "" && samePaaS(name, e.FQDN) {
				return true
			}
		}
	}
	if n := p.net; n != nil {
		for _, pol := range n.FirewallPolicies {
			for _, d := range pol.DNSRecords {
				if strings.EqualFold(strings.TrimSuffix(d.FQDN, "."), strings.TrimSuffix(name, ".")) && r.isDst(d.IP) {
					return true
				}
			}
		}
	}
	return false
}

// describe says what the firewall logged of the client, and cites it.
func (s *fwSighting) describe(r *run) (string, []int) {
	var parts []string
	var cites []int
	if s.dns != nil {
		parts = append(parts, fmt.Sprintf("its DNS proxy resolved %s for it at %s", s.dns.FQDN, s.dns.Time.Format(quoteTime)))
		cites = append(cites, r.citeEvent(s.dns))
	}
	for _, e := range s.others {
		parts = append(parts, fmt.Sprintf("%s %s → %s %s", verdictWord(e), endpoint(e.SrcIP, e.SrcPort, ""), endpoint(e.DstIP, e.DstPort, e.FQDN), fwDecision(e)))
		cites = append(cites, r.citeEvent(e))
	}
	return fmt.Sprintf("%s logged %d record(s) of %s in the window (%s) but no decision for this flow", s.token, s.n, r.p.src, strings.Join(parts, "; ")), cites
}

// backBypass backs the simulation's finding that the flow bypasses the
// firewall with the evidence: the firewall was alive and logged the
// client, never this flow.
func (r *run) backBypass(f *Finding) {
	for _, s := range r.firewallSightings() {
		text, cites := s.describe(r)
		if !strings.HasSuffix(f.Message, ".") {
			f.Message += "."
		}
		f.Message += " The evidence agrees: " + text + "."
		f.Citations = append(f.Citations, cites...)
		r.step(cites, "The bypass in the evidence: %s.", text)
	}
}

// firewallNotCrossed, without a topology, notes a firewall that resolved
// the destination's name for the client in the window (its DNS proxy) and
// logged no decision for the flow: the client uses the firewall, but this
// flow goes around it.
func (r *run) firewallNotCrossed() {
	for _, h := range r.hops {
		if h.kind == trace.KindFirewall && h.out.Leg == LegForward {
			return // a firewall on the path: it saw the flow
		}
	}
	for _, s := range r.firewallSightings() {
		if s.dns == nil {
			continue
		}
		text, cites := s.describe(r)
		r.step(cites, "%s.", text)
		r.res.Findings = append(r.res.Findings, Finding{Code: FindFirewallNotCrossed, Severity: "info",
			Message:   fmt.Sprintf("%s: the client uses the firewall, but this flow does not cross it (a more specific route, such as a private endpoint's /32, takes it around).", text),
			Fix:       "If the flow must be inspected, route the destination through the firewall (a UDR for its address; for a private endpoint also set privateEndpointNetworkPolicies to RouteTableEnabled on its subnet); `pathproof trace` with the topology names the route that wins.",
			Citations: cites})
	}
}

// reachedElsewhere, for a flow nothing in Azure saw, finds where the
// client's other traffic arrived in the window: the NICs (not on this
// flow's path) whose flow logs show the client's address inbound. It
// proves the client (and its site's tunnel) reaches Azure.
func (r *run) reachedElsewhere() (string, []int) {
	type seenAt struct {
		id *nicIdent
		e  *event.Event
	}
	var list []seenAt
	for i := range r.clientEvents {
		e := &r.clientEvents[i]
		if !isFlowLog(e.Source) || e.Direction != event.DirIn || e.Verdict == event.VerdictDeny {
			continue
		}
		id := r.nics.byEmitter[e.Emitter]
		if id == nil || id.gateway != "" || r.isDst(e.DstIP) {
			continue
		}
		dup := false
		for _, x := range list {
			if x.id == id {
				dup = true
			}
		}
		if !dup {
			list = append(list, seenAt{id, e})
		}
	}
	if len(list) == 0 {
		return "", nil
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id.token < list[j].id.token })
	var parts []string
	var cites []int
	for i, x := range list {
		if i == 3 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%s at %s)", x.id.token, endpoint(x.e.DstIP, x.e.DstPort, ""), x.e.Time.Format(quoteTime)))
		cites = append(cites, r.citeEvent(x.e))
	}
	return fmt.Sprintf("%s reached %s in the window", r.p.src, strings.Join(parts, ", ")), cites
}
