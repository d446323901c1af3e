package logs_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/logs"
)

// TestRawRecordIsTheCitedRecord: for every event of generated flow,
// firewall and Key Vault logs, RawRecord returns a JSON object that is the
// record its Origin cites (it names the event's addresses), and an index
// past the end is an error naming the input.
func TestRawRecordIsTheCitedRecord(t *testing.T) {
	dir := t.TempDir()
	_, err := loggen.Generate(loggen.Options{Out: dir, Seed: 7, Start: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		NICs: 2, Tuples: 40, NSGTuples: 20, Firewall: 30, Counts: map[string]int64{"keyvault": 10}})
	if err != nil {
		t.Fatal(err)
	}
	ins, errs := logs.Expand([]string{dir}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	byKey := map[string]logs.Input{}
	for _, in := range ins {
		byKey[in.Key] = in
	}
	ctx := context.Background()
	checked := map[string]bool{}
	rep := &logs.Report{}
	for _, in := range ins {
		err := logs.Read(ctx, in, rep, func(e *event.Event) error {
			o := e.Origin.String()
			if checked[o] || len(checked) > 200 {
				return nil
			}
			checked[o] = true
			raw, err := logs.RawRecord(ctx, byKey[e.Origin.Key], e.Origin.Record)
			if err != nil {
				t.Errorf("%s: %v", o, err)
				return nil
			}
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Errorf("%s: not a JSON object: %v", o, err)
				return nil
			}
			for _, a := range []string{addr(e.SrcIP.String()), addr(e.DstIP.String())} {
				if a != "" && !strings.Contains(string(raw), a) && !strings.Contains(string(raw), strings.ReplaceAll(a, ".", "-")) {
					t.Errorf("%s: raw record does not name %s:\n%s", o, a, raw)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(checked) < 20 {
		t.Fatalf("only %d records checked", len(checked))
	}
	_, err = logs.RawRecord(ctx, ins[0], 1<<20)
	if err == nil || !strings.Contains(err.Error(), ins[0].Name) {
		t.Errorf("past the end: %v, want an error naming %s", err, ins[0].Name)
	}
}

func addr(s string) string {
	if s == "invalid IP" {
		return ""
	}
	return s
}
