package monitor

import (
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/testenv"
)

// TestReasonAgreesInNumber: one check is not "all 1 checks".
func TestReasonAgreesInNumber(t *testing.T) {
	for _, tc := range []struct {
		total int
		want  string
	}{{1, "the only check failed"}, {3, "all 3 checks failed"}} {
		if _, why := Evaluate(Sample{ChecksTotal: tc.total, ChecksFailed: tc.total}, nil); why != tc.want {
			t.Errorf("%d of %d failed: %q, want %q", tc.total, tc.total, why, tc.want)
		}
	}
}

// TestHumanLinesAlign: whatever the test name, percentage and round trip,
// every column starts at the same offset on every line.
func TestHumanLinesAlign(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	recs := []*Record{
		{Time: at, State: Fail, Test: "demo/loopback/health-503", ChecksFailedPercent: 100, Reason: "all 3 checks failed"},
		{Time: at, State: Pass, Test: "a/b/c", ChecksFailedPercent: 0, RoundTripTimeMS: f(0.3), Reason: "within thresholds"},
		{Time: at, State: Indeterminate, Test: "private-link/storage/dns", ChecksFailedPercent: 33.3, RoundTripTimeMS: f(1234.5), Reason: "x"},
	}
	width := 0
	for _, r := range recs {
		width = max(width, len(r.Test))
	}
	var starts []int
	for i, r := range recs {
		line := HumanLine(r, width)
		cols := []int{strings.Index(line, "checks_failed="), strings.Index(line, "rtt="), strings.Index(line, r.Reason)}
		if i == 0 {
			starts = cols
			continue
		}
		for j := range cols {
			if cols[j] != starts[j] {
				t.Errorf("line %d column %d starts at %d, line 0's at %d:\n%s\n%s", i, j, cols[j], starts[j], HumanLine(recs[0], width), line)
			}
		}
	}
}

// TestHumanLinesGolden: the human lines of a round, byte for byte:
// go test ./internal/monitor -run TestHumanLinesGolden -update
func TestHumanLinesGolden(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	recs := []*Record{
		{Time: at, State: Fail, Test: "demo/loopback/health-503", ChecksFailedPercent: 100, Reason: "all 3 checks failed"},
		{Time: at, State: Pass, Test: "a/b/c", ChecksFailedPercent: 0, RoundTripTimeMS: f(0.3), Reason: "within thresholds"},
		{Time: at.Add(time.Minute), State: Warning, Test: "private-link/storage/dns", ChecksFailedPercent: 33.3, RoundTripTimeMS: f(1234.56), Reason: "round trip over the warning threshold"},
	}
	var b strings.Builder
	for _, r := range recs {
		b.WriteString(HumanLine(r, len("private-link/storage/dns")) + "\n")
	}
	testenv.Golden(t, "testdata/humanlines.txt", []byte(b.String()))
}
