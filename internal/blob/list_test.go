package blob

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// mapLister serves a fixed set of blob names like a container, and counts
// requests so tests can check that pruning avoided listing.
type mapLister struct {
	names []string
	mu    sync.Mutex
	calls []string
}

func (m *mapLister) log(s string) {
	m.mu.Lock()
	m.calls = append(m.calls, s)
	m.mu.Unlock()
}

func (m *mapLister) dir(_ context.Context, prefix string) ([]string, []item, error) {
	m.log("dir " + prefix)
	seen := map[string]bool{}
	var dirs []string
	var blobs []item
	for _, n := range m.names {
		if !strings.HasPrefix(n, prefix) {
			continue
		}
		rest := n[len(prefix):]
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			d := prefix + rest[:i+1]
			if !seen[d] {
				seen[d] = true
				dirs = append(dirs, d)
			}
			continue
		}
		blobs = append(blobs, item{Container: "c", Name: n})
	}
	return dirs, blobs, nil
}

func (m *mapLister) all(_ context.Context, prefix string) ([]item, error) {
	m.log("all " + prefix)
	var out []item
	for _, n := range m.names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, item{Container: "c", Name: n})
		}
	}
	return out, nil
}

// layout returns resource-log blob names for two resources over hours
// of 2026-11-24 and 2026-11-25 (every hour), plus one flow-log name and a
// blob with no time in its path.
func layout() []string {
	var names []string
	for _, res := range []string{"VAULTS/KV1", "VAULTS/KV2"} {
		for d := 24; d <= 25; d++ {
			for h := 0; h < 24; h++ {
				names = append(names, fmt.Sprintf("resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/%s/y=2026/m=11/d=%02d/h=%02d/m=00/PT1H.json", res, d, h))
			}
		}
	}
	names = append(names, "flowLogResourceID=/S_RG/NETWORKWATCHER_X_FL/y=2026/m=11/d=25/h=10/m=00/macAddress=000D3A18077E/PT1H.json")
	names = append(names, "readme.txt")
	sort.Strings(names)
	return names
}

func TestWalkWindow(t *testing.T) {
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	cases := []struct {
		name   string
		w      Window
		prefix string
		want   int // blobs
	}{
		{"everything", Window{}, "", 2*48 + 2},
		{"absolute two hours", Window{Since: at("2026-11-25T10:00:00Z"), Until: at("2026-11-25T11:30:00Z")}, "", 2*2 + 1 + 1},
		{"since only, last hours of the data", Window{Since: at("2026-11-25T22:00:00Z")}, "", 2*2 + 1},
		{"relative 2h from newest hour", Window{SinceAgo: 2 * time.Hour}, "", 2*3 + 1},
		{"relative until: 22h before the newest event", Window{UntilAgo: 22 * time.Hour}, "", 2*27 + 1},
		{"prefix one vault", Window{SinceAgo: 2 * time.Hour}, "resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1/", 3},
		{"prefix inside the time folders", Window{}, "resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV2/y=2026/m=11/d=24/", 24},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := &mapLister{names: layout()}
			p0 := startPeriod(c.prefix)
			w := c.w
			if w.relative() {
				_, hours, err := walkContainer(context.Background(), l, c.prefix, p0, Window{}, true, 4)
				if err != nil {
					t.Fatal(err)
				}
				var newest time.Time
				for _, h := range hours {
					if h.After(newest) {
						newest = h
					}
				}
				w = w.resolve(newest)
			}
			got, _, err := walkContainer(context.Background(), l, c.prefix, p0, w, false, 4)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != c.want {
				var names []string
				for _, g := range got {
					names = append(names, g.Name)
				}
				t.Fatalf("got %d blobs, want %d:\n%s", len(got), c.want, strings.Join(names, "\n"))
			}
			for _, g := range got {
				if h, ok := hourOf(g.Name); ok && !w.IsZero() && !w.overlaps(h, h.Add(time.Hour)) {
					t.Errorf("blob %s outside the window", g.Name)
				}
			}
			if !c.w.IsZero() {
				// Pruning: no listing call went below an hour outside the window.
				for _, call := range l.calls {
					if h, ok := hourOf(strings.TrimPrefix(strings.TrimPrefix(call, "all "), "dir ")); ok && !w.overlaps(h, h.Add(time.Hour)) {
						t.Errorf("listed %s outside the window", call)
					}
				}
			}
		})
	}
}

func TestHourOf(t *testing.T) {
	h, ok := hourOf("insights-logs-x/resourceId=/A/y=2026/m=02/d=03/h=04/m=00/PT1H.json")
	if !ok || !h.Equal(time.Date(2026, 2, 3, 4, 0, 0, 0, time.UTC)) {
		t.Errorf("hourOf = %v %v", h, ok)
	}
	for _, bad := range []string{"a/b/PT1H.json", "y=2026/m=13/d=01/h=00/x", "y=2026/m=01/d=01/x", "y=26/m=01/d=01/h=01/x"} {
		if _, ok := hourOf(bad); ok {
			t.Errorf("hourOf(%q) matched", bad)
		}
	}
}
