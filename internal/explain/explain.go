// Package explain answers "where did my packet stop, and why" for one flow:
// it lays the evidence (flow logs, firewall, gateway and PaaS logs from the
// store, packet captures) over the path the trace simulates, hop by hop and
// NAT-aware (docs/log-formats.md §9), and returns one Result: a verdict with its
// confidence, what each hop was expected to do and was seen doing, findings
// with fixes, and a citation for every claim (a log record, a capture
// connection or a simulation step).
//
// Without a topology the hops are inferred from where evidence appears and
// the verdict comes from the evidence alone.
//
// explain imports trace, the store's query interface (Store, which
// *store.Store satisfies) and pcap; it renders nothing. Use it in three
// steps:
//
//	plan, err := explain.Prepare(explain.Query{From: "nic:web-nic", To: "10.5.1.4:443"}, eng) // eng nil: no topology
//	ld.Keep = plan.Keep(act)                                   // optional: a one-shot load keeps only what matters
//	                                                           // (or plan.NewKeep(act) to filter in the parsing workers)
//	res, err := plan.Explain(ctx, st, explain.Options{Activity: act})
package explain

import (
	"context"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/pcap"
)

// Store is the query interface explain reads logs through.
// *store.Store satisfies it; tests may pass a fake.
type Store interface {
	// Events returns the events passing f in time order, at most limit
	// (0: all).
	Events(ctx context.Context, f *filter.Filter, limit int) ([]event.Event, error)
	// Count returns how many events pass f.
	Count(ctx context.Context, f *filter.Filter) (int64, error)
	// Newest returns the newest event time, ok false when there is none.
	Newest(ctx context.Context) (t time.Time, ok bool, err error)
}

// Query is the question, as the command line spells it.
type Query struct {
	// From is the source as in trace: an IP, nic:NAME, onprem:SITE/HOST or
	// internet:IP.
	From string
	// To is IP:PORT or FQDN:PORT (IP alone for icmp). A PaaS name resolves
	// through the topology's private endpoints when it has one.
	To string
	// Protocol is tcp (default), udp or icmp.
	Protocol string
}

// AtSpan is the half-width of the window around Options.At.
const AtSpan = 10 * time.Minute

// DefaultSpan is the window when no time is given: the newest hour of the
// evidence.
const DefaultSpan = time.Hour

// Options tune one explanation. The zero value reads the newest hour of the
// evidence, no captures.
type Options struct {
	// At selects the window At ± AtSpan.
	At time.Time
	// Since and Until select the window (either may be zero: open end,
	// bounded by the evidence). Ignored when At is set.
	Since, Until time.Time
	// Captures are the --pcap reports; their connections that match the
	// flow become evidence.
	Captures []*pcap.Report
	// Activity is the tally of every event read (kept or not) that
	// Plan.Keep filled during a one-shot load. With it, "logging was
	// alive" is proven per emitter (this firewall, this NIC's MAC).
	// Without it, a Store that is a Tallier (one that holds every event)
	// counts the same per emitter in the window; any other Store is
	// counted per log family (and per NIC address).
	Activity *Activity
	// Known are counts made elsewhere of every record an emitter wrote
	// per minute (a push-down's activity query, which reads none of the
	// records): they join the tally (Activity, or the Tallier store's) as
	// lower bounds (Activity.AtLeast), so a workspace proves a log alive
	// as files do. Ignored when there is no tally.
	Known *Activity
	// Now is the current time for the time-to-land rule (zero: time.Now).
	Now time.Time
}
