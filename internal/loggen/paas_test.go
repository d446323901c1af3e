package loggen

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/logs"
)

// readBack parses every file under dir and returns its events by origin.
func readBack(t *testing.T, dir string) (map[string]event.Event, *logs.Report) {
	t.Helper()
	ins, errs := logs.Expand([]string{dir}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got := map[string]event.Event{}
	rep := &logs.Report{}
	err := logs.ReadAll(context.Background(), ins, logs.Options{}, rep, func(evs []event.Event) error {
		for _, e := range evs {
			k := fmt.Sprintf("%s#%d#%d", e.Origin.Key, e.Origin.Record, e.Origin.Tuple)
			if _, dup := got[k]; dup {
				t.Errorf("two events at %s", k)
			}
			c := e
			c.Detail = map[string]string{}
			for k, v := range e.Detail {
				c.Detail[k] = v
			}
			got[k] = c
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, rep
}

// sameEvent compares the fields a generator promises.
func sameEvent(want, got event.Event) error {
	switch {
	case !want.Time.Equal(got.Time):
		return fmt.Errorf("time %v, want %v", got.Time, want.Time)
	case want.Source != got.Source || want.Category != got.Category:
		return fmt.Errorf("source %s/%s, want %s/%s", got.Source, got.Category, want.Source, want.Category)
	case want.SrcIP != got.SrcIP || want.SrcPort != got.SrcPort || want.DstIP != got.DstIP || want.DstPort != got.DstPort:
		return fmt.Errorf("tuple %v:%d->%v:%d, want %v:%d->%v:%d", got.SrcIP, got.SrcPort, got.DstIP, got.DstPort, want.SrcIP, want.SrcPort, want.DstIP, want.DstPort)
	case want.Verdict != got.Verdict || want.HTTPStatus != got.HTTPStatus:
		return fmt.Errorf("verdict %s %d, want %s %d", got.Verdict, got.HTTPStatus, want.Verdict, want.HTTPStatus)
	case want.Emitter != got.Emitter || want.FQDN != got.FQDN || want.Protocol != got.Protocol:
		return fmt.Errorf("emitter %q fqdn %q proto %q, want %q %q %q", got.Emitter, got.FQDN, got.Protocol, want.Emitter, want.FQDN, want.Protocol)
	}
	for k, v := range want.Detail {
		if got.Detail[k] != v {
			return fmt.Errorf("detail %s = %q, want %q", k, got.Detail[k], v)
		}
	}
	return nil
}

func TestPaaSRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := map[string]event.Event{}
	res, err := PaaS(PaaSOptions{Out: dir, Seed: 7, Hours: 2, KeyVault: 40, Storage: 30,
		Start: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
		Expect: func(e *event.Event) {
			want[fmt.Sprintf("%s#%d#%d", e.Origin.Key, e.Origin.Record, e.Origin.Tuple)] = *e
		}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != 70 || len(want) != 70 || len(res.Files) != 6 {
		t.Fatalf("result %+v, %d expected events", res, len(want))
	}
	got, rep := readBack(t, dir)
	if rep.Skipped() != 0 {
		t.Fatalf("skips: %v", rep.Skips())
	}
	if len(got) != len(want) {
		t.Fatalf("read %d events, generator wrote %d", len(got), len(want))
	}
	layers := map[string]int{}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("missing %s", k)
			continue
		}
		if err := sameEvent(w, g); err != nil {
			t.Errorf("%s: %v", k, err)
		}
		layers[g.Detail["denial_layer"]]++
	}
	for _, l := range []string{"vault-firewall", "rbac", "access-policy", "storage-firewall", "authentication"} {
		if layers[l] == 0 {
			t.Errorf("no %s denial generated: %v", l, layers)
		}
	}
	for _, f := range res.Files {
		if filepath.Base(f) != "PT1H.json" {
			t.Errorf("blob %s is not PT1H.json", f)
		}
	}
}
