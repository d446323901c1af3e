package store

import (
	"context"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/filter"
)

// TestHistogramAndPages: the histogram's buckets span oldest to newest and
// add up to the count, each event in the bucket of its minute; pages
// concatenate to the whole list.
func TestHistogramAndPages(t *testing.T) {
	s := open(t, "")
	evs := flowEvents("k", 10, 3) // records 0..9 one minute apart, 3 tuples each
	load(t, s, evs)
	ctx := context.Background()
	f := &filter.Filter{}
	for _, tc := range []struct {
		n    int
		want []int64
	}{
		{1, []int64{30}},
		{3, []int64{9, 9, 12}}, // 9 minutes / 3: [0,3) [3,6) [6,9]
		{9, []int64{3, 3, 3, 3, 3, 3, 3, 3, 6}},
	} {
		bs, err := s.Histogram(ctx, f, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) != tc.n || !bs[0].Start.Equal(t0) || !bs[len(bs)-1].End.Equal(t0.Add(9*time.Minute)) {
			t.Fatalf("n=%d: %+v", tc.n, bs)
		}
		for i, b := range bs {
			if b.Events != tc.want[i] {
				t.Errorf("n=%d bucket %d: %d events, want %d", tc.n, i, b.Events, tc.want[i])
			}
		}
	}
	none, err := filter.Parse(filter.Spec{Port: []string{"1"}})
	if err != nil {
		t.Fatal(err)
	}
	if bs, err := s.Histogram(ctx, none, 5); err != nil || len(bs) != 0 {
		t.Errorf("no events: %v %+v", err, bs)
	}
	var all []string
	for off := 0; off < 40; off += 7 {
		page, err := s.EventsPage(ctx, f, off, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page {
			all = append(all, e.Origin.String())
		}
	}
	whole, _ := s.Events(ctx, f, 0)
	if len(all) != len(whole) {
		t.Fatalf("pages hold %d events, want %d", len(all), len(whole))
	}
	for i := range whole {
		if all[i] != whole[i].Origin.String() {
			t.Errorf("event %d: page order %s, list order %s", i, all[i], whole[i].Origin)
		}
	}
}
