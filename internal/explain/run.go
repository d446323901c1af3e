package explain

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// run is the state of one explanation.
type run struct {
	p     *Plan
	st    Store
	opt   Options
	res   *Result
	now   time.Time
	since time.Time
	until time.Time
	cites map[citeKey]int
	// act is the tally of the logs: Options.Activity, or counted by a
	// Tallier store in the window; nil when neither.
	act *Activity

	// events are the flow's candidate events in the window, deduplicated,
	// in time order.
	events []event.Event
	// total is how many events of any kind the window holds (proof that
	// there are logs at all).
	total int64
	// clientEvents are the client's other records in the window (Plan.
	// aboutClient): what its firewall and other NICs saw of it.
	clientEvents []event.Event
	// dnat are the addresses (and ports) the firewall's DNAT records
	// translated the flow to, when the plan did not know them.
	dnat []netip.AddrPort

	// src and dst are the flow's source and destination addresses at any
	// hop (NAT included); srcPfx adds the ranges a translated source may
	// come from (Azure Firewall instance addresses).
	src    []netip.Addr
	srcPfx []netip.Prefix
	dst    []netip.Addr

	nics        *nicMap
	offPath     []*event.Event
	clientPorts map[uint16]bool
	// publicAddr is the PaaS resource's public address the client was
	// seen sending to, when it went around the private endpoint.
	publicAddr netip.Addr
	// dnsPublic is the client's DNS answer that proves it resolved the
	// public name of a resource with a private endpoint (dns.go).
	dnsPublic     *event.Event
	dnsPublicCite int
	contradicted  bool
	hops          []*hopState
	steps         []Step
}

// Explain gathers the evidence for the plan's flow from st in the window
// the options choose and returns the explanation. Errors are about reading
// the evidence; every network outcome is in the Result.
func (p *Plan) Explain(ctx context.Context, st Store, opt Options) (*Result, error) {
	r := &run{p: p, st: st, opt: opt, cites: map[citeKey]int{}, res: &Result{
		Hops: []Hop{}, Findings: []Finding{}, Citations: []Citation{}, Reasoning: []Step{},
		PathInferred: p.Trace == nil,
	}}
	r.now = opt.Now
	if r.now.IsZero() {
		r.now = time.Now().UTC()
	}
	r.res.Query = p.queryInfo()
	if err := r.window(ctx); err != nil {
		return nil, err
	}
	r.dnsStep()
	if p.unresolved() {
		r.unresolvedResult()
		r.finish()
		return r.res, nil
	}
	r.act = opt.Activity
	if t, ok := st.(Tallier); ok && r.act == nil {
		act, err := tallyStore(ctx, t, r.since, r.until)
		if err != nil {
			return nil, err
		}
		r.act = act
	}
	if r.act != nil && opt.Known != nil {
		r.act = r.act.withKnown(opt.Known)
	}
	cached, err := cacheWindow(ctx, r.st, r.since, r.until)
	if err != nil {
		return nil, err
	}
	r.st = cached
	if err := r.gather(ctx); err != nil {
		return nil, err
	}
	r.addrSets()
	r.nics = r.mapEmitters(ctx)
	r.discover()
	r.dnsEvidence() // after discover: a public address it finds from the resource's log is the flow's already
	if p.Trace != nil {
		r.simulatedHops()
	} else {
		r.inferredHops()
	}
	if err := r.evaluate(ctx); err != nil {
		return nil, err
	}
	r.captures()
	r.decide()
	r.finish()
	return r.res, nil
}

func (p *Plan) queryInfo() QueryInfo {
	q := QueryInfo{From: p.q.From, To: p.q.To, Protocol: p.proto, Source: p.srcToken, SrcIP: p.src, DstIP: p.dst, DstPort: p.port, FQDN: p.fqdn}
	return q
}

// step adds a reasoning step.
func (r *run) step(cites []int, format string, a ...any) {
	r.steps = append(r.steps, Step{Text: fmt.Sprintf(format, a...), Citations: cites})
}

// window chooses the time window: At ± AtSpan, Since/Until, or the newest
// hour of the evidence.
func (r *run) window(ctx context.Context) error {
	w := &r.res.Window
	switch {
	case !r.opt.At.IsZero():
		w.Since, w.Until, w.Basis = r.opt.At.Add(-AtSpan).UTC(), r.opt.At.Add(AtSpan).UTC(), "at"
	case !r.opt.Since.IsZero() || !r.opt.Until.IsZero():
		w.Since, w.Until, w.Basis = r.opt.Since.UTC(), r.opt.Until.UTC(), "range"
		if w.Until.IsZero() || w.Since.IsZero() {
			newest, ok, err := r.newest(ctx)
			if err != nil {
				return err
			}
			if w.Until.IsZero() {
				w.Until = newest
				if !ok || newest.Before(w.Since) {
					w.Until = w.Since.Add(DefaultSpan)
				}
			}
			if w.Since.IsZero() {
				w.Since = w.Until.Add(-DefaultSpan)
			}
		}
	default:
		newest, ok, err := r.newest(ctx)
		if err != nil {
			return err
		}
		if !ok {
			w.Basis = "empty"
			w.Until = r.now.Truncate(time.Second)
			w.Since = w.Until.Add(-DefaultSpan)
		} else {
			w.Since, w.Until, w.Basis = newest.Add(-DefaultSpan), newest, "newest-hour"
		}
	}
	r.since, r.until = w.Since, w.Until
	return nil
}

// windowRun is a run over st that has chosen opt's window, for the
// passes before Explain (Widen, CacheWindow).
func (p *Plan) windowRun(ctx context.Context, st Store, opt Options) (*run, error) {
	r := &run{p: p, st: st, opt: opt, res: &Result{}}
	if err := r.window(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// newest is the newest event of all the data read: the tally's when there
// is one (the store may hold only the kept events), else the store's.
func (r *run) newest(ctx context.Context) (time.Time, bool, error) {
	if r.opt.Activity != nil {
		t, ok := r.opt.Activity.Newest()
		return t, ok, nil
	}
	t, ok, err := r.st.Newest(ctx)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("explain: newest event: %w", err)
	}
	return t, ok, nil
}

// timed returns a filter over the window.
func (r *run) timed(f *filter.Filter) *filter.Filter { return within(f, r.since, r.until) }

// within sets f's window to [since, until] and returns f.
func within(f *filter.Filter, since, until time.Time) *filter.Filter {
	f.Since, f.Until = filter.Bound{At: since}, filter.Bound{At: until}
	_ = f.Bind(time.Time{}) // absolute bounds, ordered
	return f
}

// gather reads the flow's candidate events in the window: everything that
// touches one of its addresses, the destination resource's PaaS records
// and the VPN gateways' records; then keeps what Plan.relevant accepts.
func (r *run) gather(ctx context.Context) error {
	p := r.p
	seen := map[citeKey]bool{}
	add := func(evs []event.Event, keep func(*event.Event) bool) {
		for i := range evs {
			e := &evs[i]
			k := citeKey{e.Origin.Key, e.Origin.Record, e.Origin.Tuple}
			if seen[k] || !keep(e) {
				continue
			}
			seen[k] = true
			r.events = append(r.events, *e)
		}
	}
	var pfx []netip.Prefix
	for _, a := range p.addrs {
		pfx = append(pfx, netip.PrefixFrom(a, a.BitLen()))
	}
	if len(pfx) > 0 {
		evs, err := r.st.Events(ctx, r.timed(&filter.Filter{IP: pfx}), 0)
		if err != nil {
			return fmt.Errorf("explain: read evidence: %w", err)
		}
		add(evs, p.relevant)
		if err := r.gatherDNAT(ctx, add); err != nil {
			return err
		}
	}
	if p.fqdn != "" || p.paas.Kind != "" {
		evs, err := r.st.Events(ctx, r.timed(&filter.Filter{Source: []event.Source{event.SourceKeyVault, event.SourceStorage, event.SourceSQL, event.SourceAppGateway, event.SourceFrontDoor}}), 0)
		if err != nil {
			return fmt.Errorf("explain: read PaaS evidence: %w", err)
		}
		add(evs, p.matchesResource)
	}
	evs, err := r.st.Events(ctx, r.timed(&filter.Filter{Source: []event.Source{event.SourceVPNGateway}}), 0)
	if err != nil {
		return fmt.Errorf("explain: read gateway evidence: %w", err)
	}
	add(evs, func(*event.Event) bool { return true })
	sort.SliceStable(r.events, func(i, j int) bool { return r.events[i].Time.Before(r.events[j].Time) })
	if err := r.gatherContext(ctx); err != nil {
		return err
	}
	if r.act != nil {
		r.total = r.act.total(r.since, r.until)
	} else {
		n, err := r.st.Count(ctx, r.timed(&filter.Filter{}))
		if err != nil {
			return fmt.Errorf("explain: count evidence: %w", err)
		}
		r.total = n
	}
	r.step(nil, "Read the evidence from %s to %s: %d event(s) in the window, %d of them about this flow's addresses, resource or gateways.",
		r.since.Format(time.RFC3339), r.until.Format(time.RFC3339), r.total, len(r.events))
	r.dnatStep()
	return nil
}

// finish copies the judged hops into the result and fills the reasoning.
func (r *run) finish() {
	for _, h := range r.hops {
		r.res.Hops = append(r.res.Hops, h.out)
	}
	r.res.Reasoning = r.steps
	if r.res.Query.DstAddrs == nil {
		r.res.Query.DstAddrs = append([]netip.Addr(nil), r.dst...)
	} else {
		for _, a := range r.dst {
			if !containsAddr(r.res.Query.DstAddrs, a) {
				r.res.Query.DstAddrs = append(r.res.Query.DstAddrs, a)
			}
		}
	}
}
