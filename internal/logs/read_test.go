package logs

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pathproof/pathproof/internal/event"
)

const (
	fwLine  = `{"category":"AZFWNetworkRule","time":"2023-09-06T14:22:44.9546030Z","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/LAB-FIREWALL","properties":{"Protocol":"UDP","SourceIp":"10.13.1.4","SourcePort":52555,"DestinationIp":"23.72.254.146","DestinationPort":443,"Action":"Deny","Policy":"","RuleCollectionGroup":"","RuleCollection":"","Rule":"","ActionReason":"Default Action"}}`
	vnetRec = `{"time":"2023-07-09T03:59:30.2837112Z","flowLogVersion":4,"macAddress":"00-22-48-5d-8c-f8","category":"FlowLogFlowEvent","flowRecords":{"flows":[{"aclID":"a","flowGroups":[{"rule":"R_456b4993-6e57-4e46-aa4d-81767afff09c","flowTuples":["1688875131557,45.119.212.87,192.168.0.4,53018,3389,6,I,D,NX,0,0,0,0","1688875131558,fd00::1,fd00::2,1,2,17,O,E,NX_NOT_ACCEPTED,1,2,3,4"]}]},{"aclID":"b","flowGroups":[]}]}}`
)

type readResult struct {
	events []event.Event
	rep    *Report
}

func readData(t *testing.T, name, data string) readResult {
	t.Helper()
	var rep Report
	var evs []event.Event
	in := Input{Name: name, Key: name, Open: func(context.Context) (rc ioReadCloser, err error) {
		return nopCloser{strings.NewReader(data)}, nil
	}}
	if err := Read(context.Background(), in, &rep, func(e *event.Event) error { evs = append(evs, *e); return nil }); err != nil {
		t.Fatal(err)
	}
	return readResult{evs, &rep}
}

func indent(s string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "\t"); err != nil {
		panic(err)
	}
	return b.String()
}

func codesOf(r *Report) string {
	var out []string
	for _, s := range r.Skips() {
		out = append(out, fmt.Sprintf("%d/%d:%s", s.Record, s.Tuple, s.Code))
	}
	return strings.Join(out, " ")
}

func TestFramings(t *testing.T) {
	cases := []struct {
		name    string
		data    string
		events  int
		records []int // Origin.Record of each event
		skips   string
	}{
		{"jsonl", fwLine + "\n" + fwLine + "\n", 2, []int{0, 1}, ""},
		{"jsonl crlf no final newline", fwLine + "\r\n" + fwLine, 2, []int{0, 1}, ""},
		{"event hub envelope", `{"records":[` + fwLine + `,` + fwLine + `]}`, 2, []int{0, 1}, ""},
		{"two envelopes", `{"records":[` + fwLine + "]}\n" + `{"records":[` + fwLine + `]}`, 2, []int{0, 1}, ""},
		{"pretty single document", indent(vnetRec), 2, []int{0, 0}, ""},
		{"pretty flow log blob", indent(`{"records":[` + vnetRec + `,` + vnetRec + `]}`), 4, []int{0, 0, 1, 1}, ""},
		{"flow log blob", `{"records":[` + vnetRec + `,` + vnetRec + `]}`, 4, []int{0, 0, 1, 1}, ""},
		{"records nested in records (a Microsoft docs example)", `{"records":[{"records":[` + fwLine + `,` + fwLine + `]}]}` + "\n" + fwLine, 3, []int{0, 1, 2}, ""},
		{"envelope key not first", `{"x":1,"records":[` + fwLine + `]}`, 1, []int{0}, ""},
		{"la json array", `[` + fwLine + `,` + fwLine + `]`, 2, []int{0, 1}, ""},
		{"empty", "", 0, nil, ""},
		{"bom", "\ufeff" + fwLine, 1, []int{0}, ""},
		{"blob cut mid-record", `{"records":[` + vnetRec + `,` + vnetRec[:200], 2, []int{0, 0}, "1/-1:logs.truncated"},
		{"flow blob still growing (no closing)", `{"records":[` + vnetRec + `,` + vnetRec, 4, []int{0, 0, 1, 1}, ""},
		{"jsonl cut mid-line", fwLine + "\n" + fwLine[:50], 1, []int{0}, "1/-1:logs.truncated"},
		{"jsonl broken line in the middle", fwLine + "\n" + fwLine[:50] + "\n" + fwLine + "\n", 2, []int{0, 2}, "1/-1:logs.bad-json"},
		{"jsonl invalid json", fwLine + "\n{\"category\":x}\n" + fwLine, 2, []int{0, 2}, "1/-1:logs.bad-json"},
		{"garbage line between", fwLine + "\nhello\n" + fwLine, 2, []int{0, 2}, "1/-1:logs.bad-json"},
		{"unknown category", `{"category":"NoSuchCategoryForTests","time":"2023-01-01T00:00:00Z"}` + "\n" + fwLine, 1, []int{1}, "0/-1:logs.unknown-category"},
		{"bad tuple keeps the others", strings.Replace(vnetRec, "45.119.212.87", "45.119.212", 1), 1, []int{0}, "0/0:logs.bad-tuple"},
		{"flow tuple of the wrong type", strings.Replace(vnetRec, `"1688875131557,45.119.212.87,192.168.0.4,53018,3389,6,I,D,NX,0,0,0,0"`, `1`, 1), 0, nil, "0/-1:logs.bad-record"},
		{"escaped flow tuple", strings.Replace(vnetRec, `"1688875131557,`, `"\u0031688875131557,`, 1), 2, []int{0, 0}, ""},
		{"flowRecords null", strings.Replace(vnetRec, `"flowRecords":{`, `"flowRecords":null,"x":{`, 1), 0, nil, ""},
		{"flow record without mac", strings.Replace(vnetRec, `"macAddress":"00-22-48-5d-8c-f8",`, "", 1), 0, nil, "0/-1:logs.bad-record"},
		{"nsg flows of the wrong shape", `{"category":"NetworkSecurityGroupFlowEvent","time":"2018-11-13T12:00:35Z","properties":{"Version":2,"flows":5}}`, 0, nil, "0/-1:logs.bad-record"},
		{"nsg v1 and a bad tuple", `{"category":"NetworkSecurityGroupFlowEvent","time":"2018-11-13T12:00:35Z","properties":{"Version":1,"flows":[{"rule":"UserRule_x","flows":[]},{"rule":"r","flows":[{"mac":"000D3A18077E","flowTuples":["1497646722,10.0.0.4,168.62.32.14,44904,443,T,O,A","1497646722,10.0.0.4"]}]}]}}`, 1, []int{0}, "0/1:logs.bad-tuple"},
		{"bad time", strings.Replace(fwLine, "2023-09-06T14:22:44.9546030Z", "yesterday", 1), 0, nil, "0/-1:logs.bad-time"},
		{"text", "hello world\n", 0, nil, "-1/-1:logs.unknown-format"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := readData(t, "x", c.data)
			if len(r.events) != c.events {
				t.Errorf("%d events, want %d (skips %v)", len(r.events), c.events, r.rep.Skips())
			}
			var recs []int
			for _, e := range r.events {
				recs = append(recs, e.Origin.Record)
			}
			if d := cmp.Diff(c.records, recs); d != "" {
				t.Errorf("records (-want +got):\n%s", d)
			}
			if got := codesOf(r.rep); got != c.skips {
				t.Errorf("skips %q, want %q", got, c.skips)
			}
		})
	}
}

func TestVNetRecordDetails(t *testing.T) {
	r := readData(t, "x", vnetRec)
	if len(r.events) != 2 {
		t.Fatalf("%d events", len(r.events))
	}
	a, b := r.events[0], r.events[1]
	if a.Emitter != "0022485D8CF8" || a.Rule.Name != "R" || a.Rule.Raw != "R_456b4993-6e57-4e46-aa4d-81767afff09c" || a.Rule.ACL != "a" {
		t.Errorf("first event: %+v", a)
	}
	if a.Verdict != event.VerdictDeny || a.FlowState != "denied" || a.Direction != event.DirIn || a.Protocol != "tcp" {
		t.Errorf("first event verdict/state/dir/proto: %+v", a)
	}
	if b.SrcIP.String() != "fd00::1" || b.Protocol != "udp" || b.Verdict != event.VerdictDrop || b.Detail["encryption"] != "NX_NOT_ACCEPTED" {
		t.Errorf("second event: %+v", b)
	}
	if b.PacketsSent != 1 || b.BytesSent != 2 || b.PacketsRecv != 3 || b.BytesRecv != 4 || b.Origin.Tuple != 1 {
		t.Errorf("second event counters/tuple: %+v", b)
	}
	if want := time.UnixMilli(1688875131558).UTC(); !b.Time.Equal(want) {
		t.Errorf("time %v, want %v (the tuple's, not the record's)", b.Time, want)
	}
}

func TestLogAnalyticsExports(t *testing.T) {
	laJSON := `[{"TenantId":"t","TimeGenerated":"2023-09-06T14:22:44.954Z","Category":"AzureFirewallNetworkRule","OperationName":"AzureFirewallNetworkRuleLog","msg_s":"TCP request from 10.0.0.4:5000 to 10.1.0.4:443. Action: Deny. ","Resource":"FW1","ResourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/FW1","Type":"AzureDiagnostics"},` +
		`{"TimeGenerated":"2023-09-06T14:22:45Z","Protocol":"ICMP Type=8","SourceIp":"10.0.0.4","SourcePort":0,"DestinationIp":"10.1.0.4","DestinationPort":0,"Action":"Allow","Policy":"p","RuleCollectionGroup":"g","RuleCollection":"c","Rule":"r","ActionReason":"","_ResourceId":"/subscriptions/s/resourcegroups/rg/providers/microsoft.network/azurefirewalls/fw1","Type":"AZFWNetworkRule"},` +
		`{"TimeGenerated":"2023-09-06T14:22:46Z","SourceIp":"10.0.0.4","SourcePort":"1234","DestinationIp":"1.2.3.4","DestinationPort":"3389","Protocol":"TCP","TranslatedIp":"10.1.0.5","TranslatedPort":"3389","Policy":"p","Rule":"nat","Type":"AZFWNatRule"},` +
		`{"TimeGenerated":"2023-09-06T14:22:47Z","SourceIp":"10.0.0.4","SourcePort":1,"DestinationIp":"1.2.3.4","DestinationPort":80,"Protocol":"TCP","Action":"alert","SignatureId":"2032081","Category":"A Network Trojan was detected","Description":"USER_AGENTS","Severity":1,"Type":"AZFWIdpsSignature"}]`
	csv := "TimeGenerated [UTC],Category,OperationName,msg_s,Resource,ResourceId,Type\n" +
		`"9/6/2023, 2:22:44.954 PM",AzureFirewallApplicationRule,AzureFirewallApplicationRuleLog,"HTTPS request from 10.0.0.1:49553 to guestconfiguration.azure.com:443. Action: Allow. Rule Collection: c, d. Rule: r",FW1,/SUBSCRIPTIONS/S/X/FW1,AzureDiagnostics` + "\n" +
		`"9/6/2023, 2:22:45.000 PM",AzureFirewallNetworkRule,AzureFirewallNetworkRuleLog,"broken",FW1,/SUBSCRIPTIONS/S/X/FW1,AzureDiagnostics` + "\n"
	csvTable := "TimeGenerated [UTC],SourceIp,SourcePort,DestinationIp,DestinationPort,Protocol,TranslatedIp,TranslatedPort,Rule,_ResourceId,Type\n" +
		"2023-09-06T14:22:46Z,203.0.113.9,50000,20.1.2.3,3389,TCP,10.1.0.5,3389,rdp,/subscriptions/s/resourcegroups/rg/providers/microsoft.network/azurefirewalls/fw1,AZFWNatRule\n"
	// AZFW* categories sent in AzureDiagnostics mode: suffixed columns.
	diagAZFW := `{"TimeGenerated":"2023-09-06T14:22:47Z","Category":"AZFWNetworkRule","SourceIp_s":"10.0.0.4","SourcePort_d":1234.0,"DestinationIp_s":"10.1.0.4","DestinationPort_d":22,"Protocol_s":"TCP","Action_s":"Deny","ActionReason_s":"Default Action","Type":"AzureDiagnostics"}`
	r := readData(t, "la.json", laJSON)
	if len(r.events) != 4 || r.rep.Skipped() != 0 {
		t.Fatalf("LA JSON: %d events, skips %v", len(r.events), r.rep.Skips())
	}
	e := r.events[0]
	if e.Verdict != event.VerdictDeny || e.SrcIP.String() != "10.0.0.4" || e.DstPort != 443 || e.Emitter != "FW1" {
		t.Errorf("AzureDiagnostics msg_s row: %+v", e)
	}
	e = r.events[1]
	if e.Protocol != "icmp" || e.ICMPType != 8 || e.Rule.Name != "r" || e.Rule.Policy != "p" || e.Category != "AZFWNetworkRule" || e.Emitter != "fw1" {
		t.Errorf("resource-specific row: %+v", e)
	}
	e = r.events[2]
	if e.Verdict != event.VerdictDNAT || e.NAT == nil || e.NAT.TranslatedIP.String() != "10.1.0.5" || e.NAT.TranslatedPort != 3389 || e.DstIP.String() != "1.2.3.4" || e.SrcPort != 1234 {
		t.Errorf("NAT row (stringified ports): %+v %+v", e, e.NAT)
	}
	e = r.events[3]
	if e.Category != "AZFWIdpsSignature" || e.Verdict != event.VerdictAlert || e.Rule.Signature != "2032081" || e.Detail["idps_category"] != "A Network Trojan was detected" {
		t.Errorf("IDPS row: %+v", e)
	}
	r = readData(t, "la.csv", csv)
	if len(r.events) != 1 || codesOf(r.rep) != "1/-1:logs.bad-msg" {
		t.Fatalf("LA CSV: %d events, skips %v", len(r.events), r.rep.Skips())
	}
	api := `{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"Category","type":"string"},{"name":"msg_s","type":"string"},{"name":"Type","type":"string"}],` +
		`"rows":[["2023-09-06T14:22:44.954Z","AzureFirewallNetworkRule","TCP request from 10.0.0.4:5000 to 10.1.0.4:443. Action: Deny. ","AzureDiagnostics"],["2023-09-06T14:22:45Z","AzureFirewallNetworkRule","UDP request from 10.0.0.4:5001 to 10.1.0.4:53. Action: Allow","AzureDiagnostics"]]}]}`
	ra := readData(t, "api.json", api)
	if len(ra.events) != 2 || ra.rep.Skipped() != 0 || ra.events[1].Origin.Record != 1 || ra.events[1].Protocol != "udp" || ra.events[0].Verdict != event.VerdictDeny {
		t.Fatalf("LA API response: %+v, skips %v", ra.events, ra.rep.Skips())
	}
	rt := readData(t, "table.csv", csvTable)
	if len(rt.events) != 1 || rt.rep.Skipped() != 0 {
		t.Fatalf("resource-specific CSV: %d events, skips %v", len(rt.events), rt.rep.Skips())
	}
	if e := rt.events[0]; e.Verdict != event.VerdictDNAT || e.NAT == nil || e.NAT.TranslatedIP.String() != "10.1.0.5" || e.DstIP.String() != "20.1.2.3" || e.Rule.Name != "rdp" || e.Emitter != "fw1" {
		t.Errorf("resource-specific CSV row: %+v", e)
	}
	rd := readData(t, "diag.json", diagAZFW)
	if len(rd.events) != 1 || rd.rep.Skipped() != 0 {
		t.Fatalf("AzureDiagnostics AZFW: %d events, skips %v", len(rd.events), rd.rep.Skips())
	}
	if e := rd.events[0]; e.Verdict != event.VerdictDeny || e.SrcPort != 1234 || e.DstPort != 22 || !e.Rule.Default || e.Category != "AZFWNetworkRule" {
		t.Errorf("AzureDiagnostics AZFW row: %+v", e)
	}
	e = r.events[0]
	if e.FQDN != "guestconfiguration.azure.com" || e.Rule.RuleCollection != "c, d" || e.Time.Format(time.RFC3339Nano) != "2023-09-06T14:22:44.954Z" {
		t.Errorf("CSV row: %+v", e)
	}
}

func TestGzipAndExpand(t *testing.T) {
	dir := t.TempDir()
	blob := filepath.Join(dir, "insights-logs-azfwnetworkrule", "resourceId=", "SUBSCRIPTIONS", "S", "y=2023", "m=09", "d=06", "h=14", "m=00", "PT1H.json")
	if err := os.MkdirAll(filepath.Dir(blob), 0o755); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(fwLine + "\n" + fwLine + "\n"))
	zw.Close()
	if err := os.WriteFile(blob, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".hidden"), []byte("x"), 0o644)
	ins, errs := Expand([]string{dir, filepath.Join(dir, "missing"), "-"}, strings.NewReader(fwLine))
	if len(errs) != 1 || len(ins) != 2 {
		t.Fatalf("Expand: %d inputs, errors %v", len(ins), errs)
	}
	if want := "insights-logs-azfwnetworkrule/resourceId=/SUBSCRIPTIONS/S/y=2023/m=09/d=06/h=14/m=00/PT1H.json"; ins[0].Key != want {
		t.Errorf("key %q, want %q", ins[0].Key, want)
	}
	if ins[1].Key != "-" {
		t.Errorf("stdin key %q", ins[1].Key)
	}
	var rep Report
	var n int
	err := ReadAll(context.Background(), ins, Options{Workers: 2, BatchSize: 1}, &rep, func(b []event.Event) error {
		n += len(b)
		for _, e := range b {
			if e.Origin.Key != ins[0].Key && e.Origin.Key != "-" {
				t.Errorf("origin key %q", e.Origin.Key)
			}
		}
		return nil
	})
	if err != nil || n != 3 || rep.Skipped() != 0 || rep.Inputs() != 2 {
		t.Fatalf("ReadAll: err %v, %d events, skips %v, inputs %d", err, n, rep.Skips(), rep.Inputs())
	}
	// A truncated gzip stream keeps what was decompressed.
	os.WriteFile(blob, gz.Bytes()[:len(gz.Bytes())-12], 0o644)
	evs, rep2 := readFile(t, blob)
	if len(evs) != 2 || codesOf(rep2) != "-1/-1:logs.truncated" {
		t.Errorf("truncated gzip: %d events, skips %v", len(evs), rep2.Skips())
	}
}

// firewallInputs returns n inputs of lines firewall log lines each.
func firewallInputs(n, lines int) []Input {
	ins := make([]Input, n)
	for i := range ins {
		ins[i] = Input{Name: fmt.Sprint(i), Key: fmt.Sprint(i), Open: func(context.Context) (ioReadCloser, error) {
			return nopCloser{strings.NewReader(strings.Repeat(fwLine+"\n", lines))}, nil
		}}
	}
	return ins
}

func TestReadAllStopsOnEmitError(t *testing.T) {
	ins := firewallInputs(20, 100)
	boom := errors.New("boom")
	var rep Report
	err := ReadAll(context.Background(), ins, Options{Workers: 3, BatchSize: 10}, &rep, func([]event.Event) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}

// TestReadAllReturnsNewEmitError checks that a failing per-worker feed
// (Options.NewEmit, the store's workers) is what ReadAll returns, not the
// cancellation it causes in the other workers.
func TestReadAllReturnsNewEmitError(t *testing.T) {
	ins := firewallInputs(20, 100)
	boom := errors.New("boom")
	var rep Report
	opt := Options{Workers: 3, BatchSize: 10, NewEmit: func() func([]event.Event) error {
		return func([]event.Event) error { return boom }
	}}
	err := ReadAll(context.Background(), ins, opt, &rep, func([]event.Event) error { return nil })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}

func TestReportSummary(t *testing.T) {
	var rep Report
	r := readData(t, "f.json", fwLine+"\nbad\n{\"category\":\"Nope\"}\n")
	_ = r
	rep.merge(&tally{})
	var b bytes.Buffer
	if err := r.rep.WriteSummary(&b, 1); err != nil {
		t.Fatal(err)
	}
	want := "skipped 2 item(s) while reading logs:\n  f.json record 1: logs.bad-json: not a JSON object\n  ... and 1 more\n  logs.bad-json          1\n  logs.unknown-category  1\n"
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	rep.WriteSummary(&b, 5)
	if b.Len() != 0 {
		t.Errorf("empty report wrote %q", b.String())
	}
}

func TestKeyFor(t *testing.T) {
	cases := map[string]string{
		"-": "-",
		"/data/dl/insights-logs-flowlogflowevent/flowLogResourceID=/X/PT1H.json": "insights-logs-flowlogflowevent/flowLogResourceID=/X/PT1H.json",
		"/tmp/a/../b.json": "/tmp/b.json",
	}
	for in, want := range cases {
		if got := KeyFor(in); got != want {
			t.Errorf("KeyFor(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCategoryFromContainer(t *testing.T) {
	read := func(key, data string) ([]event.Event, *Report) {
		var rep Report
		var evs []event.Event
		in := Input{Name: "x", Key: key, Open: func(context.Context) (ioReadCloser, error) { return nopCloser{strings.NewReader(data)}, nil }}
		if err := Read(context.Background(), in, &rep, func(e *event.Event) error { evs = append(evs, *e); return nil }); err != nil {
			t.Fatal(err)
		}
		return evs, &rep
	}
	// Records without a category are read by their container's category.
	evs, rep := read("insights-logs-azfwnetworkrule/resourceId=/X/PT1H.json", strings.Replace(fwLine, `"category":"AZFWNetworkRule",`, "", 1))
	if len(evs) != 1 || evs[0].Category != "AZFWNetworkRule" || evs[0].Verdict != event.VerdictDeny || rep.Skipped() != 0 {
		t.Errorf("firewall: events %+v, skips %q", evs, codesOf(rep))
	}
	noCat := strings.Replace(vnetRec, `"category":"FlowLogFlowEvent",`, "", 1)
	evs, rep = read("insights-logs-flowlogflowevent/flowLogResourceID=/X/PT1H.json", noCat)
	if len(evs) != 2 || evs[0].Category != "FlowLogFlowEvent" || rep.Skipped() != 0 {
		t.Errorf("flow log: events %+v, skips %q", evs, codesOf(rep))
	}
	// Outside a container nothing says what it is.
	if evs, rep = read("/tmp/x.json", noCat); len(evs) != 0 || codesOf(rep) != "0/-1:logs.unknown-category" {
		t.Errorf("no container: events %+v, skips %q", evs, codesOf(rep))
	}
}

// TestReadAllMatchesRead: events built in place in small batches are the
// same as those Read passes one by one.
func TestReadAllMatchesRead(t *testing.T) {
	data := `{"records":[` + vnetRec + "," + vnetRec + "," + vnetRec + `]}` + "\n" + fwLine + "\n"
	mk := func(name string) Input {
		return Input{Name: name, Key: name, Open: func(context.Context) (ioReadCloser, error) { return nopCloser{strings.NewReader(data)}, nil }}
	}
	want := map[string]event.Event{}
	for _, n := range []string{"a", "b", "c"} {
		r := readData(t, n, data)
		for _, e := range r.events {
			want[fmt.Sprintf("%s/%d/%d", e.Origin.Key, e.Origin.Record, e.Origin.Tuple)] = e
		}
	}
	for _, batch := range []int{1, 2, 3, 7, 4096} {
		var rep Report
		got := map[string]event.Event{}
		err := ReadAll(context.Background(), []Input{mk("a"), mk("b"), mk("c")}, Options{Workers: 2, BatchSize: batch}, &rep, func(b []event.Event) error {
			for _, e := range b {
				got[fmt.Sprintf("%s/%d/%d", e.Origin.Key, e.Origin.Record, e.Origin.Tuple)] = e
			}
			return nil
		})
		if err != nil || len(got) != len(want) || len(want) != 21 {
			t.Fatalf("batch %d: err %v, %d events, want %d", batch, err, len(got), len(want))
		}
		for k, w := range want {
			if d := cmp.Diff(w, got[k], cmpAddrs); d != "" {
				t.Errorf("batch %d, %s (-want +got):\n%s", batch, k, d)
			}
		}
	}
}

// TestReadAllKeepFiltersWhileParsing: with NewKeep each worker gets its
// own predicate, emit sees exactly the events it keeps (built in place,
// the rejected slots reused), and the report still counts every event and
// knows the newest time of all of them, kept or not.
func TestReadAllKeepFiltersWhileParsing(t *testing.T) {
	data := `{"records":[` + vnetRec + "," + vnetRec + "," + vnetRec + `]}` + "\n" + fwLine + "\n"
	mk := func(name string) Input {
		return Input{Name: name, Key: name, Open: func(context.Context) (ioReadCloser, error) { return nopCloser{strings.NewReader(data)}, nil }}
	}
	var all []event.Event
	var newest time.Time
	for _, n := range []string{"a", "b", "c"} {
		for _, e := range readData(t, n, data).events {
			all = append(all, e)
			if e.Time.After(newest) {
				newest = e.Time
			}
		}
	}
	// Keep every second event of each input and nothing of the newest time,
	// so Newest can only come from an event that was dropped.
	keepIt := func(e *event.Event) bool { return e.Origin.Tuple%2 == 0 && !e.Time.Equal(newest) }
	want := map[string]event.Event{}
	for _, e := range all {
		if keepIt(&e) {
			want[fmt.Sprintf("%s/%d/%d", e.Origin.Key, e.Origin.Record, e.Origin.Tuple)] = e
		}
	}
	if len(want) == 0 || len(want) == len(all) {
		t.Fatalf("weak case: %d of %d events kept", len(want), len(all))
	}
	for _, batch := range []int{1, 3, 4096} {
		var rep Report
		var workers atomic.Int32
		got := map[string]event.Event{}
		opt := Options{Workers: 2, BatchSize: batch, NewKeep: func() func(*event.Event) bool {
			workers.Add(1)
			return keepIt
		}}
		err := ReadAll(context.Background(), []Input{mk("a"), mk("b"), mk("c")}, opt, &rep, func(b []event.Event) error {
			for _, e := range b {
				got[fmt.Sprintf("%s/%d/%d", e.Origin.Key, e.Origin.Record, e.Origin.Tuple)] = e
			}
			return nil
		})
		if err != nil || len(got) != len(want) {
			t.Fatalf("batch %d: err %v, %d events, want %d", batch, err, len(got), len(want))
		}
		for k, w := range want {
			if d := cmp.Diff(w, got[k], cmpAddrs); d != "" {
				t.Errorf("batch %d, %s (-want +got):\n%s", batch, k, d)
			}
		}
		var counted int64
		for _, c := range rep.Counts() {
			counted += c.Events
		}
		if counted != int64(len(all)) || !rep.Newest().Equal(newest) || workers.Load() != 2 {
			t.Errorf("batch %d: counted %d events (want %d), newest %v (want %v), %d predicates (want one per worker, 2)",
				batch, counted, len(all), rep.Newest(), newest, workers.Load())
		}
	}
}

func TestFirewallURLsLoseSASSignatures(t *testing.T) {
	legacy := `{"category":"AzureFirewallApplicationRule","time":"2022-06-08T20:40:34Z","properties":{"msg":"HTTP  request from 10.0.0.1:50776 to st.blob.core.windows.net:80. Url: st.blob.core.windows.net/c/b?sv=2022&sig=SECRET1&se=x. Action: Allow. Rule Collection: c. Rule: r"}}`
	structured := `{"category":"AZFWApplicationRule","time":"2024-03-20T23:39:59Z","properties":{"Action":"Allow","SourceIp":"10.0.0.1","SourcePort":1,"DestinationPort":443,"Fqdn":"st.blob.core.windows.net","Protocol":"HTTPS","TargetUrl":"https://st.blob.core.windows.net/c/b?sig=SECRET2"}}`
	r := readData(t, "x", legacy+"\n"+structured+"\n")
	if len(r.events) != 2 || r.rep.Skipped() != 0 {
		t.Fatalf("%d events, skips %v", len(r.events), r.rep.Skips())
	}
	for _, e := range r.events {
		if strings.Contains(e.URL, "SECRET") || !strings.Contains(e.URL, "st.blob.core.windows.net/c/b") {
			t.Errorf("URL %q", e.URL)
		}
	}
}

// TestReadAllManyInputsBoundedBatches: many more inputs than batches in the
// pool, small batches and a slow consumer: every event arrives once, no
// worker waits forever for a free batch, and a batch handed to emit is not
// written to while emit runs.
func TestReadAllManyInputsBoundedBatches(t *testing.T) {
	ins := make([]Input, 60)
	for i := range ins {
		ins[i] = Input{Name: fmt.Sprint(i), Key: fmt.Sprint(i), Open: func(context.Context) (ioReadCloser, error) {
			return nopCloser{strings.NewReader(strings.Repeat(fwLine+"\n", 7))}, nil
		}}
	}
	var rep Report
	seen := map[string]bool{}
	err := ReadAll(context.Background(), ins, Options{Workers: 3, BatchSize: 3}, &rep, func(b []event.Event) error {
		keys := make([]string, len(b))
		for i, e := range b {
			keys[i] = fmt.Sprintf("%s/%d", e.Origin.Key, e.Origin.Record)
		}
		time.Sleep(100 * time.Microsecond)
		for i, e := range b {
			k := fmt.Sprintf("%s/%d", e.Origin.Key, e.Origin.Record)
			if k != keys[i] {
				t.Fatalf("batch changed during emit: %s became %s", keys[i], k)
			}
			if seen[k] {
				t.Fatalf("event %s emitted twice", k)
			}
			seen[k] = true
		}
		return nil
	})
	if err != nil || len(seen) != 60*7 || rep.Skipped() != 0 {
		t.Fatalf("err %v, %d events (want %d), skips %v", err, len(seen), 60*7, rep.Skips())
	}
}

// cmpAddrs compares events and tuples with go-cmp: netip.Addr by value,
// a nil and an empty slice or map alike.
var cmpAddrs = cmp.Options{cmp.Comparer(func(a, b netip.Addr) bool { return a == b }), cmpopts.EquateEmpty()}
