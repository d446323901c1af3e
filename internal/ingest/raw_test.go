package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/logs"
)

// TestRawRecords: every origin gets its record or a reason: two records
// and a flow tuple of inputs in a folder, a record past the end, an input
// that is gone, stdin, and a store without its logs.
func TestRawRecords(t *testing.T) {
	dir := t.TempDir()
	fw := filepath.Join(dir, "fw.json")
	flow := filepath.Join(dir, "flow.json")
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(fw, `{"time":"2026-03-01T10:00:00Z","category":"AZFWNetworkRule","properties":{"SourceIp":"10.0.0.1"}}
{"time":"2026-03-01T10:00:01Z","category":"AZFWNetworkRule","properties":{"SourceIp":"10.0.0.2"}}
`)
	write(flow, `{"time":"2026-03-01T10:00:00Z","category":"FlowLogFlowEvent","macAddress":"000D3A000001","flowRecords":{"flows":[{"aclID":"a","flowGroups":[{"rule":"r1","flowTuples":["1772359200000,10.0.0.4,10.1.0.4,50000,443,6,O,B,NX,0,0,0,0"]},{"rule":"r2","flowTuples":["1772359201000,10.0.0.4,10.1.0.5,50001,443,6,O,B,NX,0,0,0,0","1772359202000,10.0.0.4,10.1.0.6,50002,443,6,O,B,NX,0,0,0,0"]}]}]}}
`)
	o := func(path string, rec, tuple int) event.Origin {
		return event.Origin{Key: logs.KeyFor(path), Record: rec, Tuple: tuple}
	}
	gone := o(filepath.Join(dir, "gone.json"), 0, 0)
	origins := []event.Origin{o(fw, 1, 0), o(fw, 0, 0), o(flow, 0, 2), o(fw, 9, 0), gone, {Key: "-", Record: 0}}
	got := RawRecords(context.Background(), Sources{Logs: []string{dir, "-"}}, Options{}, origins, 0)
	if len(got) != len(origins) {
		t.Fatalf("%d answers for %d origins: %v", len(got), len(origins), got)
	}
	if r := got[o(fw, 1, 0)]; r.Err != nil || !strings.Contains(string(r.Record), "10.0.0.2") || r.Size != len(r.Record) {
		t.Errorf("fw#1: %+v", r)
	}
	if r := got[o(fw, 0, 0)]; r.Err != nil || !strings.Contains(string(r.Record), "10.0.0.1") || r.Tuple != "" {
		t.Errorf("fw#0: %+v", r)
	}
	if r := got[o(flow, 0, 2)]; r.Err != nil || !strings.HasPrefix(r.Tuple, "1772359202000,10.0.0.4,10.1.0.6") {
		t.Errorf("flow#0.2: %+v", r)
	}
	if r := got[o(fw, 9, 0)]; r.Err == nil || !strings.Contains(r.Err.Error(), "record 9: no such record") {
		t.Errorf("fw#9: %+v", r)
	}
	if r := got[gone]; r.Err == nil || !strings.Contains(r.Err.Error(), "gone.json among the --logs sources") {
		t.Errorf("gone: %+v", r)
	}
	if r := got[event.Origin{Key: "-"}]; !errors.Is(r.Err, ErrStdinRead) {
		t.Errorf("stdin: %+v", r)
	}
	got = RawRecords(context.Background(), Sources{DB: filepath.Join(dir, "e.duckdb")}, Options{}, origins[:1], 0)
	if r := got[origins[0]]; !errors.Is(r.Err, ErrNoRawRecords) {
		t.Errorf("store alone: %+v", r)
	}
}
