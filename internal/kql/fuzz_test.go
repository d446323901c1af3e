package kql

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzRecord: the row mapping never panics, and what it returns is one
// JSON object naming its table, as internal/logs needs.
func FuzzRecord(f *testing.F) {
	f.Add("AZFWNetworkRule", "/subscriptions/s/x/azurefirewalls/fw", `{"SourceIp":"10.0.0.4","DestinationPort":443}`)
	f.Add("NTANetAnalytics", "", `{"Type":"NTANetAnalytics","SrcIp":"10.0.0.4"}`)
	f.Add("AzureDiagnostics", "", `{"ResourceId":"/X","msg_s":"TCP request from 1.2.3.4:5 to 6.7.8.9:10. Action: Deny"}`)
	f.Add("AZKVAuditLogs", "/v", `{}`)
	f.Add("AZKVAuditLogs", "/v", ` { } `)
	f.Add("bad table", "", `{"a":1}`)
	f.Add("T", "", `[1,2]`)
	f.Add("T", "", `{"a":`)
	f.Add("T", "\"", `{"type":"x","_resourceid":"y"}`)
	f.Fuzz(func(t *testing.T, table, resource, packed string) {
		out, err := record(table, resource, []byte(packed))
		if err != nil {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("record(%q, %q, %q) = %q: not a JSON object: %v", table, resource, packed, out, err)
		}
		found := false
		for k := range m {
			if strings.EqualFold(k, "Type") {
				found = true
			}
		}
		if !found {
			t.Fatalf("record(%q, %q, %q) = %q: no Type", table, resource, packed, out)
		}
	})
}

// FuzzCells: the cell readers of both services never panic.
func FuzzCells(f *testing.F) {
	f.Add("2026-02-03T14:21:00.1234567Z")
	f.Add("{\"a\":1}")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = parseTime(s)
		_, _ = packedJSON(s)
		_, _ = packedJSON([]byte(s))
		var v any
		if json.Unmarshal([]byte(s), &v) == nil {
			_, _ = packedJSON(v)
			_, _ = parseTime(v)
		}
	})
}
