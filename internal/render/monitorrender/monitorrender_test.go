package monitorrender

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/monitor"
	"github.com/pathproof/pathproof/internal/testenv"
)

func f(v float64) *float64 { return &v }

var at = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// TestLinesAlign: whatever the test name, percentage and round trip,
// every column starts at the same offset on every line.
func TestLinesAlign(t *testing.T) {
	recs := []*monitor.Record{
		{Time: at, State: monitor.Fail, Test: "demo/loopback/health-503", ChecksFailedPercent: 100, Reason: "all 3 checks failed"},
		{Time: at, State: monitor.Pass, Test: "a/b/c", ChecksFailedPercent: 0, RoundTripTimeMS: f(0.3), Reason: "within thresholds"},
		{Time: at, State: monitor.Indeterminate, Test: "private-link/storage/dns", ChecksFailedPercent: 33.3, RoundTripTimeMS: f(1234.5), Reason: "x"},
	}
	width := 0
	for _, r := range recs {
		width = max(width, len(r.Test))
	}
	var starts []int
	for i, r := range recs {
		line := Line(r, width)
		cols := []int{strings.Index(line, "checks_failed="), strings.Index(line, "rtt="), strings.Index(line, r.Reason)}
		if i == 0 {
			starts = cols
			continue
		}
		for j := range cols {
			if cols[j] != starts[j] {
				t.Errorf("line %d column %d starts at %d, line 0's at %d:\n%s\n%s", i, j, cols[j], starts[j], Line(recs[0], width), line)
			}
		}
	}
}

// TestRoundGolden: a --once round printed for people, sorted by test,
// byte for byte: go test ./internal/render/monitorrender -run TestRoundGolden -update
func TestRoundGolden(t *testing.T) {
	recs := []*monitor.Record{
		{Time: at.Add(time.Minute), State: monitor.Warning, Test: "private-link/storage/dns", ChecksFailedPercent: 33.3, RoundTripTimeMS: f(1234.56), Reason: "round trip over the warning threshold"},
		{Time: at, State: monitor.Pass, Test: "a/b/c", ChecksFailedPercent: 0, RoundTripTimeMS: f(0.3), Reason: "within thresholds"},
		{Time: at, State: monitor.Fail, Test: "demo/loopback/health-503", ChecksFailedPercent: 100, Reason: "all 3 checks failed"},
	}
	var b bytes.Buffer
	p := NewPrinter(&b, "table")
	p.TestWidth = len("private-link/storage/dns")
	if err := p.Round(recs); err != nil {
		t.Fatal(err)
	}
	testenv.Golden(t, "testdata/lines.txt", b.Bytes())
}

// TestPrinterJSONAndEscapes: -o json prints one Record per line; a human
// line escapes what a config or a server put in it.
func TestPrinterJSONAndEscapes(t *testing.T) {
	r := &monitor.Record{Time: at, State: monitor.Fail, Test: "g/d\x1b[2J/t", Reason: "bad\nreason"}
	var b bytes.Buffer
	if err := NewPrinter(&b, "json").Record(r); err != nil {
		t.Fatal(err)
	}
	var back monitor.Record
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back.Test != r.Test || strings.Count(b.String(), "\n") != 1 {
		t.Errorf("json line %q: %v", b.String(), err)
	}
	b.Reset()
	if err := NewPrinter(&b, "table").Record(r); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b") || strings.Count(b.String(), "\n") != 1 {
		t.Errorf("human line not escaped: %q", b.String())
	}
}

func TestStartLine(t *testing.T) {
	ids := []string{"g/a/tcp", "g/b/tcp", "g/c/tcp", "g/d/tcp", "g/e/tcp", "g/f/tcp", "g/g/tcp"}
	got := StartLine(ids, "m.yaml", "out", "off")
	want := "pathproof monitor: 7 tests (g/a/tcp, g/b/tcp, g/c/tcp, g/d/tcp, g/e/tcp, and 2 more) from m.yaml; results in out; metrics off; Ctrl-C stops"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := StartLine(ids[:1], "m.yaml", "out", "http://127.0.0.1:9469/metrics"); !strings.HasPrefix(got, "pathproof monitor: 1 test (g/a/tcp) from") {
		t.Errorf("one test: %q", got)
	}
}
