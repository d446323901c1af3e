package kql

import (
	"time"

	"github.com/pathproof/pathproof/internal/filter"
)

// DefaultSpan is the window of a push-down query without --since: the day
// before --until (or before now). A query is never sent unbounded: the
// workspace bills and limits by the data a query scans.
const DefaultSpan = 24 * time.Hour

// Window is the time window a query selects. A relative bound (--since 2h)
// counts back from the moment the query runs (the service's now()), not
// from the newest event: a workspace is live, and finding its newest row
// would scan it.
type Window struct {
	Since, Until filter.Bound
}

// windowOf returns f's window with the defaults filled in: no --until is
// now, no --since is DefaultSpan before the until.
func windowOf(f *filter.Filter) Window {
	w := Window{Since: f.Since, Until: f.Until}
	if w.Since.IsZero() {
		switch {
		case !w.Until.At.IsZero():
			w.Since = filter.Bound{At: w.Until.At.Add(-DefaultSpan)}
		default:
			w.Since = filter.Bound{Ago: w.Until.Ago + DefaultSpan}
		}
	}
	return w
}

// since and until are the bounds as KQL datetime expressions.
func (w Window) since() string { return boundExpr(w.Since) }
func (w Window) until() string {
	if w.Until.IsZero() {
		return "now()"
	}
	return boundExpr(w.Until)
}

// untilPlus is the until bound widened by d (rows ingested after the
// event they describe).
func (w Window) untilPlus(d time.Duration) string {
	if w.Until.IsZero() {
		return "now()"
	}
	if w.Until.Ago > 0 {
		if w.Until.Ago > d {
			return "ago(" + timespan(w.Until.Ago-d) + ")"
		}
		return "now()"
	}
	return datetime(w.Until.At.Add(d))
}

func boundExpr(b filter.Bound) string {
	if b.Ago > 0 {
		return "ago(" + timespan(b.Ago) + ")"
	}
	return datetime(b.At)
}

// Resolve returns the absolute window at now: what the query selects when
// it runs then.
func (w Window) Resolve(now time.Time) (since, until time.Time) {
	at := func(b filter.Bound) time.Time {
		if b.Ago > 0 {
			return now.Add(-b.Ago)
		}
		return b.At
	}
	since = at(w.Since)
	until = now
	if !w.Until.IsZero() {
		until = at(w.Until)
	}
	return since.UTC(), until.UTC()
}
