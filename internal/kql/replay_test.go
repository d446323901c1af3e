package kql

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/kql/kqltest"
	"github.com/pathproof/pathproof/internal/logs"
)

// token is the fake credential's access token: it must reach the server
// in the Authorization header and never an error or output.
const token = kqltest.Token

type fakeCred = kqltest.Credential

// reply is one scripted answer of the loopback server.
type reply struct {
	status int
	header map[string]string
	file   string // under testdata/replay; or body
	body   string
}

// served is what the server saw of one request.
type served struct {
	path, auth string
	body       []byte
}

// replayServer answers requests with the scripted replies in order (the
// last one repeats), recording every request (kqltest.Server).
func replayServer(t *testing.T, replies ...reply) (*kqltest.Server, func() []served) {
	t.Helper()
	var rs []kqltest.Reply
	for _, rp := range replies {
		b := []byte(rp.body)
		if rp.file != "" {
			var err error
			if b, err = os.ReadFile(filepath.Join("testdata", "replay", rp.file)); err != nil {
				t.Fatal(err)
			}
		}
		rs = append(rs, kqltest.Reply{Status: rp.status, Header: rp.header, Body: b})
	}
	srv := kqltest.New(t, kqltest.Script(rs...))
	return srv, func() []served {
		var out []served
		for _, r := range srv.Requests() {
			out = append(out, served{path: r.Path, auth: r.Auth, body: r.Body})
		}
		return out
	}
}

var laWorkspace = Target{Workspace: "63613592-b6f7-4c3d-a390-22ba13102111"}

func testOptions(srv *kqltest.Server) Options {
	return Options{Credential: fakeCred{}, HTTPClient: srv.Client(), Endpoint: srv.URL,
		Now: func() time.Time { return time.Date(2026, 2, 3, 16, 0, 0, 0, time.UTC) }}
}

func testQuery(t *testing.T) *Query {
	f, err := filter.Parse(filter.Spec{IP: []string{"10.0.1.4"}, Port: []string{"443"}, Since: "2026-02-03T14:11:00Z", Until: "2026-02-03T14:31:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	return Compile(f, Events)
}

// readEvents parses a result's inputs as internal/logs does for files.
func readEvents(t *testing.T, res *Result) []event.Event {
	t.Helper()
	var out []event.Event
	rep := &logs.Report{}
	for _, in := range res.Inputs {
		if err := logs.Read(context.Background(), in, rep, func(e *event.Event) error { out = append(out, *e); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if rep.Skipped() > 0 {
		t.Fatalf("%d record(s) skipped: %+v", rep.Skipped(), rep.Skips())
	}
	return out
}

// TestLogAnalyticsReplay drives azlogs against a loopback server: the
// request carries the query, the window and a bearer token; two pages are
// read (the second asks for rows after the first's last); rows of three
// tables map to events citing workspace, table and row.
func TestLogAnalyticsReplay(t *testing.T) {
	srv, seen := replayServer(t, reply{status: 200, file: "la-page.json"}, reply{status: 200, file: "la-page2.json"})
	opt := testOptions(srv)
	opt.PageSize = 1 // the first answer's two rows: a full page and one more
	q := testQuery(t)
	res, err := Fetch(context.Background(), laWorkspace, q, opt)
	if err != nil {
		t.Fatal(err)
	}
	reqs := seen()
	if len(reqs) != 2 || res.Pages != 2 {
		t.Fatalf("%d requests, %d pages; want 2", len(reqs), res.Pages)
	}
	for i, r := range reqs {
		if r.path != "/v1/workspaces/"+laWorkspace.Workspace+"/query" {
			t.Errorf("request %d: path %s", i, r.path)
		}
		if r.auth != "Bearer "+token {
			t.Errorf("request %d: Authorization %q", i, r.auth)
		}
		var body struct{ Query, Timespan string }
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Timespan != "2026-02-03T14:11:00Z/2026-02-03T16:31:00Z" {
			t.Errorf("request %d: timespan %q (the window, to its end plus Traffic Analytics' ingestion lag)", i, body.Timespan)
		}
		if !strings.Contains(body.Query, "| where TimeGenerated between (datetime(2026-02-03T14:11:00Z) .. datetime(2026-02-03T14:31:00Z))") ||
			!strings.Contains(body.Query, `(SourceIp == "10.0.1.4" or DestinationIp == "10.0.1.4")`) {
			t.Errorf("request %d: query lacks the window or the address:\n%s", i, body.Query)
		}
		if (i == 1) != strings.Contains(body.Query, `TimeGenerated == datetime(2026-02-03T14:21:00.1234567Z) and pp_key > "k1"`) {
			t.Errorf("request %d: the cursor is wrong:\n%s", i, body.Query)
		}
		if !strings.Contains(body.Query, "| take 2\n") {
			t.Errorf("request %d: want take page+1", i)
		}
	}
	if len(res.Skips) != 0 || res.Rows != 2 {
		t.Fatalf("rows %d, skips %+v", res.Rows, res.Skips)
	}
	evs := readEvents(t, res)
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2: %+v", len(evs), evs)
	}
	fw, legacy := evs[0], evs[1]
	if fw.Source != event.SourceFirewall || fw.Verdict != event.VerdictDeny || fw.SrcIP.String() != "10.0.1.4" || fw.DstPort != 443 || fw.Emitter != "azfw" || !fw.Rule.Default {
		t.Errorf("network rule row: %+v", fw)
	}
	if !strings.HasPrefix(fw.Origin.Key, "loganalytics://"+laWorkspace.Workspace+"/AZFWNetworkRule/") || fw.Origin.Record != 0 {
		t.Errorf("origin %+v", fw.Origin)
	}
	if legacy.Source != event.SourceFirewall || legacy.SrcPort != 50124 || !strings.Contains(legacy.Origin.Key, "/AzureDiagnostics/") {
		t.Errorf("legacy row: %+v", legacy)
	}
	// The first answer's second row (Traffic Analytics) is the "one more"
	// that told a page follows; the rows after the cursor are the second
	// answer's. A second read of the target gets the same result.
	if c, ok := Cached(laWorkspace); !ok || c != res {
		t.Error("result not kept for re-reads")
	}
}

// TestLogAnalyticsTrafficAnalyticsIsAggregate: a Traffic Analytics row is
// aggregate evidence, as from a file.
func TestLogAnalyticsTrafficAnalyticsIsAggregate(t *testing.T) {
	srv, _ := replayServer(t, reply{status: 200, file: "la-page.json"})
	res, err := Fetch(context.Background(), laWorkspace, testQuery(t), testOptions(srv))
	if err != nil {
		t.Fatal(err)
	}
	evs := readEvents(t, res)
	var ta *event.Event
	for i := range evs {
		if evs[i].Source == event.SourceTrafficAnalytics {
			ta = &evs[i]
		}
	}
	if ta == nil || !ta.Aggregate || ta.Count != 3 || ta.Direction != event.DirOut || !strings.Contains(ta.Origin.Key, "/NTANetAnalytics/") {
		t.Fatalf("traffic analytics event %+v", ta)
	}
}

// TestLogAnalyticsThrottled: a 429 with Retry-After is retried, after the
// time it asks for.
func TestLogAnalyticsThrottled(t *testing.T) {
	srv, seen := replayServer(t,
		reply{status: 429, header: map[string]string{"Retry-After": "1"}, body: `{"error":{"code":"TooManyRequests","message":"slow down"}}`},
		reply{status: 200, file: "la-page2.json"})
	start := time.Now()
	res, err := Fetch(context.Background(), laWorkspace, testQuery(t), testOptions(srv))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(seen()); n != 2 || res.Rows != 1 {
		t.Fatalf("%d requests, %d rows; want 2 and 1", n, res.Rows)
	}
	if time.Since(start) < time.Second {
		t.Errorf("retried after %v, before the Retry-After of 1 s", time.Since(start))
	}
}

// TestLogAnalyticsPartial: a PartialError answer keeps its rows, reports
// the service's message as kql.partial, and a row that is not an object
// as kql.bad-row.
func TestLogAnalyticsPartial(t *testing.T) {
	srv, _ := replayServer(t, reply{status: 200, file: "la-partial.json"})
	res, err := Fetch(context.Background(), laWorkspace, testQuery(t), testOptions(srv))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 1 || len(readEvents(t, res)) != 1 {
		t.Fatalf("rows %d", res.Rows)
	}
	codes := map[string]string{}
	for _, s := range res.Skips {
		codes[s.Code] = s.Reason
	}
	if !strings.Contains(codes[CodePartial], "PartialError") || !strings.Contains(codes[CodePartial], "exceed the set limit") {
		t.Errorf("partial: %+v", res.Skips)
	}
	if !strings.Contains(codes[CodeBadRow], "1 row(s)") {
		t.Errorf("bad row: %+v", res.Skips)
	}
}

// TestLogAnalyticsRefusedKeepsTokenOut: a 403 whose body repeats the
// request's token fails with the status and the sign-in hint, and the
// token appears nowhere.
func TestLogAnalyticsRefusedKeepsTokenOut(t *testing.T) {
	srv, _ := replayServer(t, reply{status: 403,
		body: `{"error":{"code":"InsufficientAccessError","message":"The provided credentials have insufficient access. Authorization: Bearer ` + token + `"}}`})
	_, err := Fetch(context.Background(), laWorkspace, testQuery(t), testOptions(srv))
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.Contains(msg, token) || strings.Contains(msg, "TOKEN.ab12") {
		t.Fatalf("the error holds the token: %s", msg)
	}
	for _, want := range []string{"HTTP 403", "InsufficientAccessError", "Log Analytics Reader"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %s", want, msg)
		}
	}
}
