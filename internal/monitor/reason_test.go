package monitor

import "testing"

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
