package loggen

import (
	"fmt"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

func TestVPNGatewayRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := map[string]event.Event{}
	res, err := VPNGateway(VPNOptions{Out: dir, Start: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC), Expect: func(e *event.Event) {
		c := *e
		want[fmt.Sprintf("%s#%d#%d", e.Origin.Key, e.Origin.Record, e.Origin.Tuple)] = c
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 4 || int(res.Events) != len(want) {
		t.Fatalf("result %+v, %d expected", res, len(want))
	}
	got, rep := readBack(t, dir)
	if rep.Skipped() != 0 || len(got) != len(want) {
		t.Fatalf("read %d events, want %d; skips %v", len(got), len(want), rep.Skips())
	}
	failures := 0
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("missing %s", k)
			continue
		}
		if !w.Time.Equal(g.Time) || w.Category != g.Category || w.Verdict != g.Verdict || w.Emitter != g.Emitter {
			t.Errorf("%s: got %+v, want %+v", k, g, w)
		}
		for dk, dv := range w.Detail {
			if g.Detail[dk] != dv {
				t.Errorf("%s: detail %s = %q, want %q", k, dk, g.Detail[dk], dv)
			}
		}
		if g.Verdict == event.VerdictError {
			failures++
		}
	}
	if failures != 4 {
		t.Errorf("%d IKE failures read, want 4", failures)
	}
}
