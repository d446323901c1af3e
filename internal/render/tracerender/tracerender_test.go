package tracerender

import (
	"testing"

	"github.com/pathproof/pathproof/internal/trace"
)

// TestVerdictReflectsFindings: the headline never says OK above a finding
// that warns; an error finding makes the flow broken.
func TestVerdictReflectsFindings(t *testing.T) {
	delivered := trace.Leg{Result: trace.ResultDelivered}
	for _, tc := range []struct {
		name     string
		findings []trace.Finding
		want     string
	}{
		{"clean", nil, "OK: delivered both ways"},
		{"warning", []trace.Finding{{Code: trace.FindPEBypassesFirewall, Severity: "warning"}},
			"WARNING: delivered both ways, but pe-bypasses-firewall (see FINDINGS)"},
		{"two warnings, one twice", []trace.Finding{{Code: "a", Severity: "warning"}, {Code: "b", Severity: "warning"}, {Code: "a", Severity: "warning"}},
			"WARNING: delivered both ways, but a, b (see FINDINGS)"},
		{"error wins", []trace.Finding{{Code: "w", Severity: "warning"}, {Code: trace.FindAsymmetric, Severity: "error"}},
			"BROKEN: both legs are delivered, but asymmetric-stateful (see FINDINGS)"},
		{"info is not a warning", []trace.Finding{{Code: "i", Severity: "info"}}, "OK: delivered both ways"},
	} {
		res := &trace.Result{Forward: delivered, Return: delivered, Findings: tc.findings}
		if got := Verdict(res); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
