package loggen

import (
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

func TestTrafficAnalyticsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	var want []event.Event
	if _, err := TrafficAnalytics(TAOptions{Out: dir, Rows: 9, Expect: func(e *event.Event) { want = append(want, *e) }}); err != nil {
		t.Fatal(err)
	}
	got, rep := readBack(t, dir)
	if rep.Skipped() != 0 || len(got) != len(want) {
		t.Fatalf("read %d events, want %d; skips %v", len(got), len(want), rep.Skips())
	}
	byRecord := map[int]event.Event{}
	for _, g := range got {
		byRecord[g.Origin.Record] = g
	}
	for _, w := range want {
		g := byRecord[w.Origin.Record]
		if !g.Aggregate || g.Count != w.Count || g.PacketsSent != 0 || g.Verdict != w.Verdict || g.Direction != w.Direction ||
			g.Protocol != w.Protocol || g.SrcIP != w.SrcIP || g.DstIP != w.DstIP || g.DstPort != w.DstPort || g.Rule.Name != w.Rule.Name ||
			!g.Time.Equal(w.Time) || g.Emitter != w.Emitter {
			t.Errorf("record %d: got %+v\nwant %+v", w.Origin.Record, g, w)
		}
	}
}
