package kql

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"
)

// TestKeepCountsUnreadableRows: a backend's row reader keeps the rows it
// can read, in order, and counts the others with the first reason.
func TestKeepCountsUnreadableRows(t *testing.T) {
	idx := map[string]int{"TimeGenerated": 0, colTable: 1, colRow: 2}
	var p page
	read := keep(&p.answer, &p.rows, laRow)
	for _, r := range []azlogs.Row{
		{"2026-02-03T14:21:00Z", "AZFWNetworkRule", `{"a":1}`},
		{"not a time", "AZFWNetworkRule", `{"a":2}`},
		{"2026-02-03T14:22:00Z", "AZFWNetworkRule", nil},
		{"2026-02-03T14:23:00Z", "AZFWDnsQuery", `{"a":3}`},
	} {
		read(laCells{idx, r})
	}
	if len(p.rows) != 2 || string(p.rows[0].packed) != `{"a":1}` || p.rows[1].table != "AZFWDnsQuery" {
		t.Fatalf("rows kept: %+v", p.rows)
	}
	if p.bad != 2 || !strings.Contains(p.badReason, "not a time") {
		t.Fatalf("bad %d, reason %q; want 2, the time's", p.bad, p.badReason)
	}
}
