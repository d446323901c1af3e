package loggen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/logs"
)

func originKey(e *event.Event) string {
	return fmt.Sprintf("%s#%06d#%06d", e.Origin.Key, e.Origin.Record, e.Origin.Tuple)
}

// TestRoundTrip: what the generator writes parses back to exactly the events
// it meant, field by field, with nothing skipped.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := map[string]event.Event{}
	opt := Options{Out: dir, Seed: 7, Hours: 2, NICs: 3, Tuples: 5000, NSGTuples: 700, Firewall: 450,
		Start: time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC),
		Expect: func(e *event.Event) {
			k := originKey(e)
			if _, dup := want[k]; dup {
				t.Fatalf("two expected events at %s", k)
			}
			want[k] = *e
		}}
	res, err := Generate(opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tuples != 5700 || res.Events != 6150 || int64(len(want)) != res.Events {
		t.Fatalf("result %+v, %d expected events", res, len(want))
	}
	ins, errs := logs.Expand([]string{dir}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(ins) != len(res.Files) {
		t.Fatalf("%d inputs, generator wrote %d files", len(ins), len(res.Files))
	}
	var rep logs.Report
	got := map[string]event.Event{}
	err = logs.ReadAll(context.Background(), ins, logs.Options{Workers: 2}, &rep, func(b []event.Event) error {
		for i := range b {
			got[originKey(&b[i])] = b[i]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped() != 0 {
		t.Fatalf("skips: %v", rep.Skips())
	}
	if len(got) != len(want) {
		t.Errorf("parsed %d events, generator meant %d", len(got), len(want))
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	bad := 0
	for _, k := range keys {
		w := want[k]
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: not parsed", k)
		} else if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", k, g, w)
		} else {
			continue
		}
		if bad++; bad > 5 {
			t.Fatal("too many differences")
		}
	}
	// Every source and verdict the generator is meant to cover appears.
	seen := map[string]bool{}
	for _, e := range want {
		seen[string(e.Source)+"/"+string(e.Verdict)] = true
		if e.SrcIP.Is6() {
			seen["ipv6"] = true
		}
	}
	for _, k := range []string{"vnetflow/allow", "vnetflow/deny", "vnetflow/drop", "nsgflow/allow", "nsgflow/deny", "firewall/allow", "firewall/deny", "firewall/dnat", "firewall/alert", "dns/info", "ipv6"} {
		if !seen[k] {
			t.Errorf("generated data has no %s events", k)
		}
	}
}

func TestDeterministicAndLayout(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	opt := Options{Seed: 42, NICs: 2, Tuples: 300, NSGTuples: 50, Firewall: 20, Start: time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)}
	opt.Out = a
	ra, err := Generate(opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Out = b
	rb, err := Generate(opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ra.Files, rb.Files) {
		t.Fatalf("file lists differ")
	}
	for _, f := range ra.Files {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if string(x) != string(y) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
	}
	// Blob names per docs/log-formats.md §2.4, §3.4, §1.2.
	wantFiles := []string{
		"insights-logs-flowlogflowevent/flowLogResourceID=/00000000-0000-0000-0000-000000000000_NETWORKWATCHERRG/NETWORKWATCHER_EASTUS_DEMO-VNET-DEMO-RG-FLOWLOG/y=2026/m=01/d=15/h=09/m=00/macAddress=000D3A100000/PT1H.json",
		"insights-logs-networksecuritygroupflowevent/resourceId=/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/DEMO-RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/DEMO-VNET-NSG/y=2026/m=01/d=15/h=09/m=00/macAddress=000D3A100000/PT1H.json",
		"insights-logs-azfwnetworkrule/resourceId=/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/DEMO-RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/DEMO-FW/y=2026/m=01/d=15/h=09/m=00/PT1H.json",
		"insights-logs-azurefirewalldnsproxy/resourceId=/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/DEMO-RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/DEMO-FW/y=2026/m=01/d=15/h=09/m=00/PT1H.json",
	}
	have := map[string]bool{}
	for _, f := range ra.Files {
		have[f] = true
	}
	for _, w := range wantFiles {
		if !have[w] {
			t.Errorf("missing %s; have %v", w, ra.Files)
		}
	}
	// A flow-log blob is one JSON document {"records":[...]} with 60 records.
	data, _ := os.ReadFile(filepath.Join(a, wantFiles[0]))
	if string(data[:12]) != `{"records":[` || string(data[len(data)-2:]) != "]}" {
		t.Errorf("flow log blob framing: %.40s ... %s", data, data[len(data)-2:])
	}
}

func TestRegisteredKindRuns(t *testing.T) {
	var got int64
	registerKind("test-kind", func(g *gen, n int64) error {
		b, err := g.create("insights-logs-test/x.json")
		if err != nil {
			return err
		}
		b.write([]byte("{}\n"))
		got = n
		return b.close()
	})
	defer func() { kinds = kinds[:len(kinds)-1] }()
	res, err := Generate(Options{Out: t.TempDir(), Counts: map[string]int64{"test-kind": 5}})
	if err != nil {
		t.Fatal(err)
	}
	if got != 5 || len(res.Files) != 1 || res.Bytes != 3 {
		t.Errorf("kind ran with %d, result %+v", got, res)
	}
	if k := Kinds(); k[len(k)-1] != "test-kind" {
		t.Errorf("Kinds() = %v", k)
	}
}
