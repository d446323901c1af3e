package explain

import (
	"context"
	"fmt"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// maxCached is the most events of the window windowCache holds in memory;
// a store with more in the window is queried filter by filter.
const maxCached = 20000

// windowCache answers the run's queries, which all ask for the same window
// (run.timed), from the window's events read once: every query through the
// store's events view costs milliseconds of planning, and a one-shot
// store, which holds only the flow's kept events, has few events in the
// window. The events stay in the store's order (time, then origin), so a
// filter's events, and the first limit of them, are the same as the
// store's answer: the filter's flags other than the window are tested in
// Go (filter.MatchUntimed, which agrees with the SQL compiler:
// store.TestFilterGoAndSQLAgree), the window by the one query.
type windowCache struct {
	Store
	since, until time.Time
	events       []event.Event
}

// CacheWindow returns st answering the queries of Explain and Widen over
// opt's window from memory, as Explain does by itself; a caller that asks
// both reads the window once. After the store changes
// (ingest.Loaded.Reread) the cache is stale: give Explain the store
// itself, which it caches again.
func (p *Plan) CacheWindow(ctx context.Context, st Store, opt Options) (Store, error) {
	r, err := p.windowRun(ctx, st, opt)
	if err != nil {
		return nil, err
	}
	return cacheWindow(ctx, st, r.since, r.until)
}

// cacheWindow returns st answering from memory when the window [since,
// until] holds at most maxCached events, else st itself (st too when it
// already caches that window).
func cacheWindow(ctx context.Context, st Store, since, until time.Time) (Store, error) {
	if c, ok := st.(*windowCache); ok && c.since.Equal(since) && c.until.Equal(until) {
		return c, nil
	}
	w := &windowCache{Store: st, since: since, until: until}
	n, err := st.Count(ctx, within(&filter.Filter{}, since, until))
	if err != nil {
		return nil, fmt.Errorf("explain: count evidence: %w", err)
	}
	if n > maxCached {
		return st, nil
	}
	evs, err := st.Events(ctx, within(&filter.Filter{}, since, until), 0)
	if err != nil {
		return nil, fmt.Errorf("explain: read evidence: %w", err)
	}
	w.events = evs
	return w, nil
}

// covers reports whether f asks for exactly the cache's window.
func (w *windowCache) covers(f *filter.Filter) bool {
	return f.Since.Ago == 0 && f.Until.Ago == 0 && f.Since.At.Equal(w.since) && f.Until.At.Equal(w.until)
}

// Events is Store.Events from memory for a filter over the window.
func (w *windowCache) Events(ctx context.Context, f *filter.Filter, limit int) ([]event.Event, error) {
	if !w.covers(f) {
		return w.Store.Events(ctx, f, limit)
	}
	var out []event.Event
	for i := range w.events {
		if limit > 0 && len(out) == limit {
			break
		}
		if f.MatchUntimed(&w.events[i]) {
			out = append(out, w.events[i])
		}
	}
	return out, nil
}

// Count is Store.Count from memory for a filter over the window.
func (w *windowCache) Count(ctx context.Context, f *filter.Filter) (int64, error) {
	if !w.covers(f) {
		return w.Store.Count(ctx, f)
	}
	var n int64
	for i := range w.events {
		if f.MatchUntimed(&w.events[i]) {
			n++
		}
	}
	return n, nil
}
