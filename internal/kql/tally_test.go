package kql

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/kql/kqltest"
	"github.com/pathproof/pathproof/internal/testenv"
)

// TestTallyGolden: explain's activity query counts every row per
// resource and minute over the evidence query's tables (without Traffic
// Analytics) and its window widened to whole minutes; no flag predicate.
func TestTallyGolden(t *testing.T) {
	f, err := filter.Parse(filter.Spec{IP: []string{"10.0.1.4", "10.5.1.4"}, Since: "2026-02-03T14:11:30Z", Until: "2026-02-03T14:31:10Z"})
	if err != nil {
		t.Fatal(err)
	}
	ty := Compile(f, Events).Tally()
	txt := ty.String()
	testenv.Golden(t, filepath.Join("testdata", "tally-explain.kql"), []byte(txt))
	if strings.Contains(txt, "10.0.1.4") || strings.Contains(txt, "NTANetAnalytics") {
		t.Errorf("the tally filters by address or counts Traffic Analytics:\n%s", txt)
	}
	if len(ty.Tables) == 0 || !strings.Contains(txt, "TimeGenerated >= datetime(2026-02-03T14:11:00Z) and TimeGenerated < datetime(2026-02-03T14:32:00Z)") {
		t.Errorf("tables %v; window not in whole minutes:\n%s", ty.Tables, txt)
	}
	// A filter that leaves every table out leaves nothing to count.
	f2, _ := filter.Parse(filter.Spec{Source: []string{"vnetflow"}, Since: "1h"})
	if ty := Compile(f2, Events).Tally(); len(ty.Tables) != 0 || !strings.HasPrefix(ty.String(), "//") {
		t.Errorf("tally of no table: %v %q", ty.Tables, ty.String())
	}
}

// TestTallyLogAnalytics: the count query is sent with the minute window
// and a token; each (table, resource) maps to the emitter the parsers
// give its rows; a partial answer is kept and reported.
func TestTallyLogAnalytics(t *testing.T) {
	fw := "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/AZFW"
	kv := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/KV-Pay"
	m := time.Date(2026, 2, 3, 14, 21, 0, 0, time.UTC)
	rows := [][]any{
		kqltest.TallyRow(fw, m, 5, "AZFWNetworkRule"),
		kqltest.TallyRow(fw, m, 2, "AZFWDnsQuery"),
		kqltest.TallyRow(kv, m.Add(time.Minute), 3, "AZKVAuditLogs"),
		kqltest.TallyRow("", m, 4, "AZFWNetworkRule"), // no resource: no emitter
	}
	for _, partial := range []bool{false, true} {
		var pe map[string]any
		if partial {
			pe = kqltest.PartialError("Query exceeded the set limit")
		}
		srv := kqltest.New(t, kqltest.Script(kqltest.Reply{Status: 200, Body: kqltest.LogAnalytics(kqltest.TallyColumns, rows, pe)}))
		res, err := FetchTally(context.Background(), laWorkspace, Compile(mustFilter(t), Events).Tally(), testOptions(srv))
		if err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		if len(reqs) != 1 || reqs[0].Auth != "Bearer "+token || !strings.Contains(reqs[0].Query, "summarize pp_count = count() by pp_resource") {
			t.Fatalf("requests %+v", reqs)
		}
		var body struct{ Timespan string }
		_ = json.Unmarshal(reqs[0].Body, &body)
		if body.Timespan != "2026-02-03T14:11:00Z/2026-02-03T14:32:00Z" {
			t.Errorf("timespan %q", body.Timespan)
		}
		want := []Count{
			{Table: "AZFWNetworkRule", Resource: fw, Source: event.SourceFirewall, Emitter: "AZFW", Minute: m, N: 5},
			{Table: "AZFWDnsQuery", Resource: fw, Source: event.SourceDNS, Emitter: "AZFW", Minute: m, N: 2},
			{Table: "AZKVAuditLogs", Resource: kv, Source: event.SourceKeyVault, Emitter: "kv-pay", Minute: m.Add(time.Minute), N: 3},
		}
		if len(res.Counts) != len(want) || res.Unmapped != 4 {
			t.Fatalf("counts %+v, unmapped %d", res.Counts, res.Unmapped)
		}
		for i := range want {
			if res.Counts[i] != want[i] {
				t.Errorf("count %d: %+v, want %+v", i, res.Counts[i], want[i])
			}
		}
		if got := len(res.Skips) == 1 && res.Skips[0].Code == CodePartial && strings.Contains(res.Skips[0].Reason, "exceeded the set limit"); got != partial {
			t.Errorf("partial %v: skips %+v", partial, res.Skips)
		}
	}
}

// TestTallyADX: the same count query through azkustodata's v2 frames.
func TestTallyADX(t *testing.T) {
	frames := `[{"FrameType":"DataSetHeader","IsProgressive":false,"Version":"v2.0","IsFragmented":true,"ErrorReportingPlacement":"EndOfTable"}
,{"FrameType":"DataTable","TableId":0,"TableKind":"QueryProperties","TableName":"@ExtendedProperties","Columns":[{"ColumnName":"TableId","ColumnType":"int"},{"ColumnName":"Key","ColumnType":"string"},{"ColumnName":"Value","ColumnType":"dynamic"}],"Rows":[[1,"Visualization","{\"Visualization\":null}"]]}
,{"FrameType":"TableHeader","TableId":1,"TableKind":"PrimaryResult","TableName":"PrimaryResult","Columns":[{"ColumnName":"pp_resource","ColumnType":"string"},{"ColumnName":"pp_minute","ColumnType":"datetime"},{"ColumnName":"pp_count","ColumnType":"long"},{"ColumnName":"pp_table","ColumnType":"string"}]}
,{"FrameType":"TableFragment","TableFragmentType":"DataAppend","TableId":1,"Rows":[["/subscriptions/s/resourcegroups/rg/providers/microsoft.network/azurefirewalls/azfw","2026-02-03T14:21:00Z",7,"AzureDiagnostics"]]}
,{"FrameType":"TableCompletion","TableId":1,"RowCount":1}
,{"FrameType":"DataSetCompletion","HasErrors":false,"Cancelled":false}
]`
	srv := kqltest.New(t, kqltest.Script(kqltest.Reply{Status: 200, Body: []byte(frames)}))
	res, err := FetchTally(context.Background(), adxTarget(srv), Compile(mustFilter(t), Events).Tally(), testOptions(srv))
	if err != nil {
		t.Fatal(err)
	}
	if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].Path != "/v2/rest/query" || !strings.Contains(reqs[0].Query, "bin(TimeGenerated, 1m)") {
		t.Fatalf("requests %+v", reqs)
	}
	if len(res.Counts) != 1 || res.Counts[0].Emitter != "azfw" || res.Counts[0].Source != event.SourceFirewall || res.Counts[0].N != 7 || len(res.Skips) != 0 {
		t.Fatalf("result %+v", res)
	}
}

func mustFilter(t *testing.T) *filter.Filter {
	t.Helper()
	f, err := filter.Parse(filter.Spec{IP: []string{"10.0.1.4"}, Since: "2026-02-03T14:11:30Z", Until: "2026-02-03T14:31:10Z"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}
