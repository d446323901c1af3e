package cli

import (
	"strings"
	"testing"
)

// TestPrintKQL: --print-kql prints the query and reads nothing (no
// --workspace needed), with the note on what a workspace cannot hold.
func TestPrintKQL(t *testing.T) {
	code, out, errOut := run("events", "--print-kql", "--src", "10.0.1.0/24", "--port", "443", "--since", "2026-02-03T14:11:00Z", "--until", "2026-02-03T14:31:00Z")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		"raw VNet and NSG flow-log tuples are only in the storage account",
		"| where TimeGenerated between (datetime(2026-02-03T14:11:00Z) .. datetime(2026-02-03T14:31:00Z))",
		`| where ipv4_is_in_range(SourceIp, "10.0.1.0/24")`,
		"| where DestinationPort == 443",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run("flows", "--print-kql", "--src", "10.0.1.4", "--since", "1h")
	if code != ExitOK || !strings.Contains(out, `(SourceIp == "10.0.1.4" or DestinationIp == "10.0.1.4")`) {
		t.Errorf("flows: exit %d, want either side (a conversation):\n%s", code, out)
	}
	if code, _, errOut := run("events", "--workspace", "not-a-guid"); code != ExitUsage || !strings.Contains(errOut, "GUID") {
		t.Errorf("bad --workspace: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := run("events", "--adx", "http://c.kusto.windows.net/db"); code != ExitUsage || !strings.Contains(errOut, "https") {
		t.Errorf("http --adx: exit %d\n%s", code, errOut)
	}
}
