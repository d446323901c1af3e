package explain

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// dnatTargets returns the addresses the firewall's DNAT records among evs
// translated the flow's destination to (the client, or an address the
// flow has, to the flow's destination and port) that the plan does not
// know yet: without a topology (or with one that lacks the rule) the
// backend behind a DNAT rule is known only from the record.
func (p *Plan) dnatTargets(evs []event.Event) []netip.AddrPort {
	var out []netip.AddrPort
	for i := range evs {
		e := &evs[i]
		if e.Source != event.SourceFirewall || e.NAT == nil || e.NAT.Kind != "dnat" || !e.NAT.TranslatedIP.IsValid() {
			continue
		}
		if !p.hasAddr(e.SrcIP.Unmap()) || !p.hasAddr(e.DstIP.Unmap()) || (p.proto != "icmp" && !p.hasPort(e.DstPort)) {
			continue
		}
		port := e.NAT.TranslatedPort
		if port == 0 {
			port = e.DstPort
		}
		t := netip.AddrPortFrom(e.NAT.TranslatedIP.Unmap(), port)
		if p.hasAddr(t.Addr()) && (p.proto == "icmp" || p.hasPort(t.Port())) {
			continue
		}
		if !containsAddrPort(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// touchesTarget reports whether a flow-log or firewall record is to or from
// one of the DNAT targets on its port: the translated leg of the flow.
func touchesTarget(targets []netip.AddrPort, icmp bool, e *event.Event) bool {
	if !isFlowLog(e.Source) && e.Source != event.SourceFirewall {
		return false
	}
	for _, t := range targets {
		if e.DstIP.Unmap() == t.Addr() && (icmp || e.DstPort == t.Port() || e.Aggregate) {
			return true
		}
		if e.SrcIP.Unmap() == t.Addr() && (icmp || e.SrcPort == t.Port() || e.Aggregate) {
			return true
		}
	}
	return false
}

func containsAddrPort(list []netip.AddrPort, a netip.AddrPort) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// Widen returns the predicate of a second pass over the logs that a
// one-shot load needs, nil when it needs none. Keep decides what to store
// before the firewall's DNAT record is read, so without a topology (or
// with one that lacks the rule) the backend's records are not stored: when
// the firewall's DNAT records in st (what Keep stored) translate the flow
// to an address the plan does not know, Widen returns a predicate that
// admits the records to and from that address and port and refuses what
// Keep stored (ingest.Loaded.Reread reads the logs again with it). opt
// chooses the window as for Explain (its Activity gives the newest event).
// The predicate is safe for concurrent use.
func (p *Plan) Widen(ctx context.Context, st Store, opt Options) (func(*event.Event) bool, error) {
	r, err := p.windowRun(ctx, st, opt)
	if err != nil {
		return nil, err
	}
	var pfx []netip.Prefix
	for _, a := range p.addrs {
		pfx = append(pfx, netip.PrefixFrom(a, a.BitLen()))
	}
	if len(pfx) == 0 {
		return nil, nil
	}
	evs, err := st.Events(ctx, r.timed(&filter.Filter{Source: []event.Source{event.SourceFirewall}, IP: pfx}), 0)
	if err != nil {
		return nil, fmt.Errorf("explain: read DNAT records: %w", err)
	}
	targets := p.dnatTargets(evs)
	if len(targets) == 0 {
		return nil, nil
	}
	icmp := p.proto == "icmp"
	return func(e *event.Event) bool {
		return p.inKeepWindow(e.Time) && touchesTarget(targets, icmp, e) && !p.keeps(e)
	}, nil
}

// gatherDNAT adds the translated leg of the flow: the records to and from
// the addresses the firewall's DNAT records among the flow's events
// translated it to, when the plan did not know them.
func (r *run) gatherDNAT(ctx context.Context, add func([]event.Event, func(*event.Event) bool)) error {
	r.dnat = r.p.dnatTargets(r.events)
	if len(r.dnat) == 0 {
		return nil
	}
	var pfx []netip.Prefix
	for _, t := range r.dnat {
		pfx = append(pfx, netip.PrefixFrom(t.Addr(), t.Addr().BitLen()))
	}
	evs, err := r.st.Events(ctx, r.timed(&filter.Filter{IP: pfx}), 0)
	if err != nil {
		return fmt.Errorf("explain: read the DNAT backend's evidence: %w", err)
	}
	icmp := r.p.proto == "icmp"
	add(evs, func(e *event.Event) bool { return touchesTarget(r.dnat, icmp, e) })
	return nil
}

// dnatStep says where the DNAT targets came from.
func (r *run) dnatStep() {
	for _, t := range r.dnat {
		var cites []int
		for i := range r.events {
			e := &r.events[i]
			if e.NAT != nil && e.NAT.Kind == "dnat" && e.NAT.TranslatedIP.Unmap() == t.Addr() {
				cites = append(cites, r.citeEvent(e))
				break
			}
		}
		r.step(cites, "The firewall's DNAT record translates the flow to %s: the backend's records are evidence of the flow too.", t)
	}
}
