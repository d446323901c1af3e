package store

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/logs"
)

// TestGeneratedLogsRoundTrip generates VNet, NSG and firewall logs in
// Azure's layout, reads them with the real parsers into the store, and
// checks the store returns exactly the events the generator meant to write;
// a second load of the same folder adds nothing. It loads through Add (one
// consumer), and through the parsing workers' own feeds (NewWorker) with
// every input listed three times, so copies of one log are stored by
// several workers at once and each event must still be stored once.
func TestGeneratedLogsRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name    string
		workers bool
		copies  int
	}{{"add", false, 1}, {"workers", true, 1}, {"workers-copies", true, 3}} {
		t.Run(tc.name, func(t *testing.T) { roundTrip(t, tc.workers, tc.copies) })
	}
}

func roundTrip(t *testing.T, workers bool, copies int) {
	dir := t.TempDir()
	var want []event.Event
	_, err := loggen.Generate(loggen.Options{Out: dir, Seed: 3, NICs: 3, Tuples: 3000, NSGTuples: 300, Firewall: 300,
		Expect: func(e *event.Event) {
			c := *e
			if e.Detail != nil {
				c.Detail = map[string]string{}
				for k, v := range e.Detail {
					c.Detail[k] = v
				}
			}
			if e.NAT != nil {
				n := *e.NAT
				c.NAT = &n
			}
			want = append(want, c)
		}})
	if err != nil {
		t.Fatal(err)
	}
	s := open(t, "")
	ctx := context.Background()
	loadDir := func() *Loader {
		one, errs := logs.Expand([]string{dir}, nil)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var ins []logs.Input // each input's copies side by side, read at once
		for _, in := range one {
			for range copies {
				ins = append(ins, in)
			}
		}
		l, err := s.NewLoader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		opt := logs.Options{}
		if workers {
			opt = logs.Options{Workers: 4, BatchSize: 100, NewEmit: l.NewWorker}
		}
		var rep logs.Report
		if err := logs.ReadAll(ctx, ins, opt, &rep, l.Add); err != nil {
			t.Fatal(err)
		}
		if rep.Skipped() != 0 {
			t.Fatalf("generated logs had %d skips: %v", rep.Skipped(), rep.Skips())
		}
		if err := l.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		return l
	}
	if l := loadDir(); l.Added() != int64(len(want)) || l.Duplicates() != int64((copies-1)*len(want)) {
		t.Fatalf("loaded %d events (%d duplicates), generator wrote %d, %d times", l.Added(), l.Duplicates(), len(want), copies)
	}
	if l := loadDir(); l.Added() != 0 || l.Duplicates() != int64(copies*len(want)) {
		t.Fatalf("second load added %d, skipped %d as duplicates", l.Added(), l.Duplicates())
	}
	got, err := s.Events(ctx, &filter.Filter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	order := func(evs []event.Event) {
		sort.Slice(evs, func(i, j int) bool {
			a, b := evs[i].Origin, evs[j].Origin
			if a.Key != b.Key {
				return a.Key < b.Key
			}
			if a.Record != b.Record {
				return a.Record < b.Record
			}
			return a.Tuple < b.Tuple
		})
	}
	order(got)
	order(want)
	if len(got) != len(want) {
		t.Fatalf("store holds %d events, want %d", len(got), len(want))
	}
	bad := 0
	for i := range want {
		w := want[i]
		w.Time = w.Time.UTC().Truncate(1000) // DuckDB keeps microseconds
		if len(w.Detail) == 0 {
			w.Detail = nil
		}
		if !reflect.DeepEqual(got[i], w) {
			if bad++; bad <= 3 {
				t.Errorf("event %d:\n got %+v\nwant %+v", i, got[i], w)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d events differ", bad, len(want))
	}
}
