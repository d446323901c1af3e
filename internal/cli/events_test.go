package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/logs"
)

// storyT0 is the first tuple time of the test story.
var storyT0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// vnetTuple writes one VNet flow log v4 tuple at storyT0+off.
func vnetTuple(off time.Duration, src, dst string, sport, dport int, dir, state string, counters string) string {
	return fmt.Sprintf("%d,%s,%s,%d,%d,6,%s,%s,NX,%s", storyT0.Add(off).UnixMilli(), src, dst, sport, dport, dir, state, counters)
}

// writeVNetBlob writes a PT1H.json blob for one NIC in the storage layout
// (container insights-logs-flowlogflowevent), one record per group list.
func writeVNetBlob(t *testing.T, root, mac string, records [][2]any) {
	t.Helper()
	dir := filepath.Join(root, "insights-logs-flowlogflowevent", "flowLogResourceID=", "SUB_NETWORKWATCHERRG", "NETWORKWATCHER_WESTEUROPE_FL",
		"y=2026", "m=03", "d=01", "h=10", "m=00", "macAddress="+mac)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	for i, r := range records {
		recs = append(recs, map[string]any{
			"time": storyT0.Add(time.Duration(i+1) * time.Minute).Format(time.RFC3339Nano), "flowLogVersion": 4,
			"flowLogGUID": "c4de7bdb-291a-4315-84c2-ba1ecd0296dd", "macAddress": mac, "category": "FlowLogFlowEvent",
			"flowLogResourceID": "/SUBSCRIPTIONS/SUB/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_WESTEUROPE/FLOWLOGS/FL",
			"targetResourceID":  "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet",
			"operationName":     "FlowLogFlowEvent",
			"flowRecords": map[string]any{"flows": []any{map[string]any{"aclID": "db903ae8-908e-491b-b12b-afaafab9d9ed",
				"flowGroups": []any{map[string]any{"rule": r[0], "flowTuples": r[1]}}}}},
		})
	}
	b, err := json.Marshal(map[string]any{"records": recs})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "PT1H.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeStory writes the denied-flow story: the client NIC lets 10.0.0.4 →
// 10.1.0.5:1433 out, the server NIC's NSG denies it in (three SYNs); a web
// flow to 10.1.0.5:443 is allowed by both NICs.
func writeStory(t *testing.T, root string) {
	t.Helper()
	writeVNetBlob(t, root, "00224871C205", [][2]any{
		{"DefaultRule_AllowVnetOutBound", []string{
			vnetTuple(0, "10.0.0.4", "10.1.0.5", 50000, 1433, "O", "B", "0,0,0,0"),
			vnetTuple(2*time.Second, "10.0.0.4", "10.1.0.5", 50001, 443, "O", "B", "0,0,0,0"),
		}},
		{"DefaultRule_AllowVnetOutBound", []string{
			vnetTuple(60*time.Second, "10.0.0.4", "10.1.0.5", 50000, 1433, "O", "E", "3,180,0,0"),
			vnetTuple(62*time.Second, "10.0.0.4", "10.1.0.5", 50001, 443, "O", "E", "12,1500,10,9000"),
		}},
	})
	writeVNetBlob(t, root, "00224871C206", [][2]any{
		{"UserRule_AllowWeb_4b9ac3d8-dc7b-4b9e-8702-9e9c25b52451", []string{
			vnetTuple(2*time.Second, "10.0.0.4", "10.1.0.5", 50001, 443, "I", "B", "0,0,0,0"),
		}},
		{"DefaultRule_DenyAllInBound", []string{
			vnetTuple(1*time.Millisecond, "10.0.0.4", "10.1.0.5", 50000, 1433, "I", "D", "0,0,0,0"),
			vnetTuple(3*time.Second, "10.0.0.4", "10.1.0.5", 50000, 1433, "I", "D", "0,0,0,0"),
			vnetTuple(9*time.Second, "10.0.0.4", "10.1.0.5", 50000, 1433, "I", "D", "0,0,0,0"),
		}},
	})
}

// run runs pathproof in-process with args; every command test uses it.
func run(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Main(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

func TestLogCommandsExitCodes(t *testing.T) {
	root := t.TempDir()
	writeStory(t, root)
	bad := filepath.Join(t.TempDir(), "insights-logs-flowlogflowevent", "PT1H.json")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	os.WriteFile(bad, []byte(`{"records":[{"time":"2026-03-01T10:00:00Z","flowLogVersion":4,"macAddress":"00224871C205","category":"FlowLogFlowEvent","flowRecords":{"flows":[{"aclID":"x","flowGroups":[{"rule":"r","flowTuples":["not,a,tuple","`+vnetTuple(0, "10.0.0.4", "10.1.0.5", 1, 2, "O", "B", "0,0,0,0")+`"]}]}]}}]}`), 0o644)
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"events ok", []string{"events", "--logs", root}, ExitOK},
		{"flows ok", []string{"flows", "--logs", root}, ExitOK},
		{"top ok", []string{"flows", "--logs", root, "--top", "3", "--by", "rule"}, ExitOK},
		{"sql ok", []string{"sql", "--logs", root, "SELECT count(*) FROM events"}, ExitOK},
		{"no input", []string{"events"}, ExitUsage},
		{"missing logs path", []string{"events", "--logs", filepath.Join(root, "nope")}, ExitUsage},
		{"missing db without logs", []string{"flows", "--db", filepath.Join(root, "nope.duckdb")}, ExitUsage},
		{"bad cidr", []string{"events", "--logs", root, "--src", "10.0.0.0/40"}, ExitUsage},
		{"unknown verdict", []string{"events", "--logs", root, "--verdict", "denied"}, ExitUsage},
		{"since after until", []string{"events", "--logs", root, "--since", "1h", "--until", "2h"}, ExitUsage},
		{"mixed since after until", []string{"events", "--logs", root, "--since", "2026-03-01T10:00:30Z", "--until", "1m"}, ExitUsage},
		{"unknown flag", []string{"events", "--logs", root, "--colour"}, ExitUsage},
		{"bad output", []string{"events", "--logs", root, "-o", "yaml"}, ExitUsage},
		{"by without top", []string{"flows", "--logs", root, "--by", "rule"}, ExitUsage},
		{"unknown by", []string{"flows", "--logs", root, "--top", "3", "--by", "port"}, ExitUsage},
		{"limit with top", []string{"flows", "--logs", root, "--top", "3", "--limit", "4"}, ExitUsage},
		{"negative limit", []string{"events", "--logs", root, "--limit", "-1"}, ExitUsage},
		{"sql without query", []string{"sql", "--logs", root}, ExitUsage},
		{"sql error", []string{"sql", "--logs", root, "SELECT nope FROM events"}, ExitFailed},
		{"skipped tuple", []string{"events", "--logs", root, "--logs", bad}, ExitPartial},
		{"print-filter without input", []string{"events", "--print-filter", "--ip", "10.0.0.1"}, ExitOK},
		{"print-filter bad value", []string{"events", "--print-filter", "--ip", "10.0.0.300"}, ExitUsage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(c.args...)
			if code != c.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.want, out, errOut)
			}
			if c.want == ExitUsage && out != "" {
				t.Errorf("usage error printed results:\n%s", out)
			}
			if c.want == ExitPartial && (!strings.Contains(errOut, "PT1H.json record 0 tuple 0") || !strings.Contains(out, "10.0.0.4")) {
				t.Errorf("partial run must print results and name the skipped tuple:\nstdout:\n%s\nstderr:\n%s", out, errOut)
			}
		})
	}
}

func TestLogCommandsGolden(t *testing.T) {
	root := t.TempDir()
	writeStory(t, root)
	cases := []struct {
		name string
		args []string
	}{
		{"events.txt", []string{"events"}},
		{"events-deny.json", []string{"events", "--verdict", "deny", "-o", "json"}},
		{"events-web.jsonl", []string{"events", "--port", "443", "-o", "jsonl"}},
		{"flows.txt", []string{"flows"}},
		{"flows.json", []string{"flows", "--port", "1433", "-o", "json"}},
		{"flows-deny.txt", []string{"flows", "--verdict", "deny"}},
		{"flows-top-deny.txt", []string{"flows", "--verdict", "deny", "--top", "5", "--by", "dst-port"}},
		{"sql.txt", []string{"sql", "SELECT verdict, count(*) AS n FROM events GROUP BY ALL ORDER BY verdict"}},
		{"print-filter.txt", []string{"flows", "--print-filter", "--src", "10.0.0.0/24", "--port", "443,80", "--rule", "x' OR 1=1", "--since", "2h"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The folder is replaced by a fixed word, so drill-down commands
			// in the output do not depend on the temp dir.
			code, out, errOut := run(append(c.args, "--logs", root)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden(t, "logs/"+c.name, []byte(strings.ReplaceAll(out, root, "LOGS")))
		})
	}
}

func TestSinceIsRelativeToNewestEvent(t *testing.T) {
	root := t.TempDir()
	writeStory(t, root)
	// Newest tuple is at T0+62s; 5s back keeps only the two end tuples.
	code, out, errOut := run("events", "--logs", root, "--since", "5s", "-o", "jsonl")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "\n"); n != 2 {
		t.Errorf("--since 5s gave %d events, want 2:\n%s", n, out)
	}
}

func TestDBKeepsEventsWithoutDuplicates(t *testing.T) {
	root := t.TempDir()
	writeStory(t, root)
	db := filepath.Join(t.TempDir(), "evidence.duckdb")
	for i := range 2 {
		if code, _, errOut := run("events", "--logs", root, "--db", db); code != ExitOK {
			t.Fatalf("load %d: exit %d: %s", i, code, errOut)
		}
	}
	code, out, errOut := run("sql", "--db", db, "SELECT count(*) AS n FROM events", "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0]["n"] != float64(8) {
		t.Errorf("after loading twice: %s, want n = 8 (each event once)", out)
	}
}

func TestLogsDemo(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errOut := run("demo", "logs")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"DST-PORT", "server NIC: deny(in)", "BlockHighRiskTCPPortsFromInternet", "vnetflow  deny"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
}

// TestOneShotLoadGivesSameAnswers: without --db, a query stores only the
// events it can use; with --db everything is stored. Both must print the
// same events, conversations and groups.
func TestOneShotLoadGivesSameAnswers(t *testing.T) {
	root := t.TempDir()
	writeStory(t, root)
	if _, err := loggen.Generate(loggen.Options{Out: root, Seed: 5, NICs: 3, Tuples: 3000, NSGTuples: 300, Firewall: 300}); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "all.duckdb")
	if code, _, errOut := run("events", "--logs", root, "--db", db, "--limit", "1"); code != ExitOK {
		t.Fatalf("load: %s", errOut)
	}
	queries := [][]string{
		{"events", "--src", "10.0.0.4", "--limit", "0"},
		{"events", "--verdict", "deny", "--since", "20m", "--limit", "0"},
		{"events", "--ip", "10.0.0.0/24", "--port", "443", "--proto", "tcp", "--until", "40m", "--limit", "0"},
		{"flows", "--verdict", "deny", "--limit", "0"},
		{"flows", "--src", "10.0.0.4", "--port", "1433", "--limit", "0"},
		{"flows", "--dst", "10.1.0.5", "--since", "30m", "--limit", "0"},
		{"flows", "--dst", "10.0.0.5", "--limit", "0"},
		{"flows", "--proto", "udp", "--limit", "0"},
		{"flows", "--verdict", "deny", "--top", "5", "--by", "rule"},
		{"flows", "--source", "firewall", "--top", "5", "--by", "src"},
	}
	strip := func(s string) string {
		var keep []string
		for _, line := range strings.Split(s, "\n") {
			if !strings.Contains(line, "events_query") {
				keep = append(keep, line)
			}
		}
		return strings.Join(keep, "\n")
	}
	for _, q := range queries {
		t.Run(strings.Join(q, " "), func(t *testing.T) {
			c1, oneShot, e1 := run(append(q, "--logs", root, "-o", "json")...)
			c2, stored, e2 := run(append(q, "--db", db, "-o", "json")...)
			if c1 != ExitOK || c2 != ExitOK {
				t.Fatalf("exit %d / %d: %s %s", c1, c2, e1, e2)
			}
			if strip(oneShot) != strip(stored) {
				t.Errorf("one-shot and stored answers differ:\n--- one-shot\n%.2000s\n--- stored\n%.2000s", oneShot, stored)
			}
			if len(oneShot) < 10 {
				t.Errorf("query selects nothing (weak case): %s", oneShot)
			}
		})
	}
}

// TestGrowingBlobAddsOnlyNewRecords: Azure appends records to the hourly
// PT1H.json; re-reading it into the same --db adds only the new ones.
func TestGrowingBlobAddsOnlyNewRecords(t *testing.T) {
	root := t.TempDir()
	db := filepath.Join(t.TempDir(), "e.duckdb")
	rec := func(off time.Duration, sport int) [2]any {
		return [2]any{"DefaultRule_AllowVnetOutBound", []string{vnetTuple(off, "10.0.0.4", "10.1.0.5", sport, 443, "O", "B", "0,0,0,0")}}
	}
	count := func() string {
		_, out, _ := run("sql", "--db", db, "SELECT count(*) AS n, count(DISTINCT src_port) AS ports FROM events", "-o", "jsonl")
		return strings.TrimSpace(out)
	}
	writeVNetBlob(t, root, "00224871C205", [][2]any{rec(0, 1000), rec(time.Minute, 1001)})
	if code, _, e := run("events", "--logs", root, "--db", db); code != ExitOK {
		t.Fatal(e)
	}
	if got := count(); got != `{"n":2,"ports":2}` {
		t.Fatalf("after the first read: %s", got)
	}
	writeVNetBlob(t, root, "00224871C205", [][2]any{rec(0, 1000), rec(time.Minute, 1001), rec(2*time.Minute, 1002)})
	if code, _, e := run("events", "--logs", root, "--db", db); code != ExitOK {
		t.Fatal(e)
	}
	if got := count(); got != `{"n":3,"ports":3}` {
		t.Fatalf("after the blob grew by one record: %s, want 3 events", got)
	}
}

// TestEventsRecord: --record prints the raw record an event cites (the
// VNet flow record holding its tuple); without --logs it is a usage error.
func TestEventsRecord(t *testing.T) {
	dir := t.TempDir()
	writeStory(t, dir)
	code, out, errOut := run("events", "--logs", dir, "--port", "1433", "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var evs []struct {
		Origin struct {
			Key    string
			Record int
			Tuple  int
		}
		SrcIP string `json:"src_ip"`
	}
	if err := json.Unmarshal([]byte(out), &evs); err != nil || len(evs) == 0 {
		t.Fatalf("%v: %s", err, out)
	}
	o := evs[len(evs)-1].Origin
	origin := fmt.Sprintf("%s#%d.%d", o.Key, o.Record, o.Tuple)
	code, out, errOut = run("events", "--logs", dir, "--record", origin)
	if code != ExitOK {
		t.Fatalf("--record %s: exit %d: %s", origin, code, errOut)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rec["macAddress"] == nil || !strings.Contains(out, evs[len(evs)-1].SrcIP) {
		t.Errorf("record %s is not the flow record of %s:\n%s", origin, evs[len(evs)-1].SrcIP, out)
	}
	if code, _, _ := run("events", "--db", filepath.Join(dir, "x.duckdb"), "--record", origin); code != ExitUsage {
		t.Errorf("--record without --logs: exit %d, want 2", code)
	}

	// A classic Storage Analytics line is printed as it is, its SAS
	// signature redacted.
	sa := filepath.Join(t.TempDir(), "000000.log")
	line := `1.0;2026-11-25T09:59:23.1967767Z;GetBlob;SASSuccess;200;18;10;sas;;stclassic;blob;"https://stclassic.blob.core.windows.net/thumb/a.jpg?sv=2014-02-14&sig=RECORDSECRET";"/stclassic/thumb/a.jpg";a1;0;192.0.2.10:4362;2014-02-14;252;0;265;100;0;;;;;;"curl/8";;`
	if err := os.WriteFile(sa, []byte(line+"\n"+line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run("events", "--logs", sa, "--record", logs.KeyFor(sa)+"#1")
	if code != ExitOK || strings.Contains(out, "RECORDSECRET") || !strings.HasPrefix(out, "1.0;2026-11-25T09:59:23.1967767Z;GetBlob;SASSuccess;") || !strings.Contains(out, "a.jpg?REDACTED") {
		t.Errorf("Storage Analytics --record: exit %d\n%s%s", code, out, errOut)
	}
}

// TestEventsPagesAndHistogram: --offset/--limit pages concatenate to the
// full list, and --histogram's buckets add up to the count.
func TestEventsPagesAndHistogram(t *testing.T) {
	dir := t.TempDir()
	writeStory(t, dir)
	_, all, _ := run("events", "--logs", dir, "-o", "jsonl")
	lines := strings.Split(strings.TrimSpace(all), "\n")
	var paged []string
	for off := 0; off < len(lines)+2; off += 2 {
		code, out, errOut := run("events", "--logs", dir, "--offset", fmt.Sprint(off), "--limit", "2", "-o", "jsonl")
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if s := strings.TrimSpace(out); s != "" {
			paged = append(paged, strings.Split(s, "\n")...)
		}
	}
	if strings.Join(paged, "\n") != strings.Join(lines, "\n") {
		t.Errorf("pages:\n%s\nwant:\n%s", strings.Join(paged, "\n"), all)
	}
	code, out, errOut := run("events", "--logs", dir, "--histogram", "4", "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var bs []struct{ Events int }
	if err := json.Unmarshal([]byte(out), &bs); err != nil || len(bs) != 4 {
		t.Fatalf("%v: %s", err, out)
	}
	sum := 0
	for _, b := range bs {
		sum += b.Events
	}
	if sum != len(lines) {
		t.Errorf("histogram counts %d events, want %d", sum, len(lines))
	}
}
