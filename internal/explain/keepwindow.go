package explain

import (
	"time"

	logsrc "github.com/pathproof/pathproof/internal/logs"
)

// keepSlack widens the one-shot keep window on both sides: every query
// applies the exact window again (run.timed), so the keep only has to hold
// a superset of it, and the slack absorbs any rounding of a time between
// the parsers and the store (DuckDB keeps microseconds).
const keepSlack = time.Second

// Bounds returns the window's bounds known before any evidence is read:
// both for At, an RFC3339 Since or Until as given (an Until alone starts
// DefaultSpan before it, as Explain's window does: run.window). A bound
// counted back from the newest event, or a missing Until, is zero (open):
// it is known only once the evidence is read. A spec Filter rejects gives
// zero bounds.
func (w WindowSpec) Bounds() (lo, hi time.Time) {
	f, err := w.Filter()
	if err != nil {
		return time.Time{}, time.Time{}
	}
	// Filter has turned At into its window (At ± AtSpan) already.
	if f.Since.Ago == 0 {
		lo = f.Since.At
	}
	if f.Until.Ago == 0 {
		hi = f.Until.At
	}
	if w.Since == "" && w.At == "" && !hi.IsZero() {
		lo = hi.Add(-DefaultSpan)
	}
	return lo, hi
}

// KeepWithin returns a copy of p whose one-shot keep (Keep, NewKeep,
// NewFlowKeep and the predicate Widen returns) also passes over events
// outside [lo, hi] (a zero bound is open), so a load for a question about
// twenty minutes does not store four hours of the client's records. The
// tally (Activity) still counts every event. Use it with the window's
// Bounds: every query of Explain is limited to the window, so the answer
// is the same.
func (p *Plan) KeepWithin(lo, hi time.Time) *Plan {
	c := *p
	if !lo.IsZero() {
		c.keepLo = lo.Add(-keepSlack)
	}
	if !hi.IsZero() {
		c.keepHi = hi.Add(keepSlack)
	}
	return &c
}

// inKeepWindow reports whether t is inside the keep window.
func (p *Plan) inKeepWindow(t time.Time) bool {
	return (p.keepLo.IsZero() || !t.Before(p.keepLo)) && (p.keepHi.IsZero() || !t.After(p.keepHi))
}

// mayKeepFlowInWindow is mayKeepFlow inside the keep window: a necessary
// condition of keepEvent for a flow-log tuple.
func (p *Plan) mayKeepFlowInWindow(f *logsrc.Flow) bool {
	return p.inKeepWindow(f.Time) && p.mayKeepFlow(f)
}
