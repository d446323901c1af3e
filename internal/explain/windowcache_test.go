package explain

import (
	"context"
	"net/netip"
	"reflect"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// countingStore counts the queries that reach the store.
type countingStore struct {
	fakeStore
	queries int
}

func (s *countingStore) Events(ctx context.Context, f *filter.Filter, limit int) ([]event.Event, error) {
	s.queries++
	return s.fakeStore.Events(ctx, f, limit)
}

func (s *countingStore) Count(ctx context.Context, f *filter.Filter) (int64, error) {
	s.queries++
	return s.fakeStore.Count(ctx, f)
}

// TestWindowCacheAnswersAsTheStore: every query over the window gets the
// store's events, in its order and limit, and its counts, from the window
// read once; a query over another window still goes to the store.
func TestWindowCacheAnswersAsTheStore(t *testing.T) {
	ctx := context.Background()
	l := storySNATDrop()
	st := &countingStore{fakeStore: fakeStore{evs: l.evs}}
	since, until := at(0, 0), at(20, 0)
	c, err := cacheWindow(ctx, st, since, until)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(*windowCache); !ok {
		t.Fatalf("%d events in the window were not cached", len(l.evs))
	}
	if st.queries != 2 {
		t.Fatalf("caching took %d queries, want a count and a read", st.queries)
	}
	web := netip.MustParsePrefix("10.4.1.4/32")
	for _, f := range []func() *filter.Filter{
		func() *filter.Filter { return &filter.Filter{} },
		func() *filter.Filter { return &filter.Filter{IP: []netip.Prefix{web}} },
		func() *filter.Filter {
			return &filter.Filter{Src: []netip.Prefix{web}, Direction: []event.Direction{event.DirOut}}
		},
		func() *filter.Filter { return &filter.Filter{Source: []event.Source{event.SourceFirewall}} },
		func() *filter.Filter { return &filter.Filter{Source: []event.Source{event.SourceVPNGateway}} },
	} {
		for _, limit := range []int{0, 1, 3} {
			want, _ := st.fakeStore.Events(ctx, within(f(), since, until), limit)
			got, err := c.Events(ctx, within(f(), since, until), limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 && len(want) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("filter %+v limit %d: %d events from the cache, the store gives %d", f(), limit, len(got), len(want))
			}
		}
		wantN, _ := st.fakeStore.Count(ctx, within(f(), since, until))
		gotN, _ := c.Count(ctx, within(f(), since, until))
		if gotN != wantN {
			t.Errorf("filter %+v: count %d from the cache, %d from the store", f(), gotN, wantN)
		}
	}
	if st.queries != 2 {
		t.Errorf("queries over the window reached the store (%d queries)", st.queries)
	}
	want, _ := st.fakeStore.Events(ctx, within(&filter.Filter{}, at(30, 0), at(50, 0)), 0)
	got, _ := c.Events(ctx, within(&filter.Filter{}, at(30, 0), at(50, 0)), 0)
	if st.queries != 3 || !reflect.DeepEqual(got, want) {
		t.Errorf("a query over another window: %d events (store: %d), %d queries", len(got), len(want), st.queries)
	}
}

// TestWindowCacheLeavesABusyWindowToTheStore: more than maxCached events
// in the window are not read into memory.
func TestWindowCacheLeavesABusyWindowToTheStore(t *testing.T) {
	evs := make([]event.Event, maxCached+1)
	for i := range evs {
		evs[i] = event.Event{Time: at(1, i%60), Source: event.SourceVNetFlow}
	}
	st := &countingStore{fakeStore: fakeStore{evs: evs}}
	c, err := cacheWindow(context.Background(), st, at(0, 0), at(20, 0))
	if err != nil {
		t.Fatal(err)
	}
	if c != Store(st) || st.queries != 1 {
		t.Errorf("a window of %d events was cached (%d queries)", len(evs), st.queries)
	}
}

// TestCacheWindowReadsTheWindowOnce: the caller's cache (Plan.CacheWindow,
// before Widen) serves Widen and Explain without another read of the
// window, and the answer is the store's.
func TestCacheWindowReadsTheWindowOnce(t *testing.T) {
	ctx := context.Background()
	l := storyDNATBackend()
	p := prepareWith(t, "", Query{From: "203.0.113.7", To: "20.0.0.10:8443"})
	opt := Options{At: at(7, 0)}
	direct, err := p.Explain(ctx, &fakeStore{evs: l.evs}, opt)
	if err != nil {
		t.Fatal(err)
	}
	st := &countingStore{fakeStore: fakeStore{evs: l.evs}}
	c, err := p.CacheWindow(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Widen(ctx, c, opt); err != nil {
		t.Fatal(err)
	}
	got, err := p.Explain(ctx, c, opt)
	if err != nil {
		t.Fatal(err)
	}
	if st.queries != 2 {
		t.Errorf("CacheWindow, Widen and Explain took %d queries, want a count and a read", st.queries)
	}
	if !reflect.DeepEqual(got, direct) {
		t.Errorf("the cached answer differs\ncached:\n%s\ndirect:\n%s", dump(got), dump(direct))
	}
}
