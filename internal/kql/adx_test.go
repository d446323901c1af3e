package kql

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/kql/kqltest"
)

func adxTarget(srv *kqltest.Server) Target {
	return Target{Cluster: srv.URL, Database: "NetLogs"}
}

// TestADXReplay drives azkustodata against a loopback server replaying
// the v2 frames of a query: the request names the database, carries the
// query and a bearer token; the row maps to a DNAT event citing cluster,
// database, table and row.
func TestADXReplay(t *testing.T) {
	srv, seen := replayServer(t, reply{status: 200, file: "adx-frames.json"})
	tg := adxTarget(srv)
	res, err := Fetch(context.Background(), tg, testQuery(t), testOptions(srv))
	if err != nil {
		t.Fatal(err)
	}
	reqs := seen()
	if len(reqs) != 1 {
		t.Fatalf("%d query requests", len(reqs))
	}
	r := reqs[0]
	if r.path != "/v2/rest/query" || r.auth != "Bearer "+token {
		t.Errorf("path %s, Authorization %q", r.path, r.auth)
	}
	var body struct{ DB, CSL string }
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	if body.DB != "NetLogs" || !strings.Contains(body.CSL, "| where TimeGenerated between (datetime(2026-02-03T14:11:00Z) .. datetime(2026-02-03T14:31:00Z))") {
		t.Errorf("db %q, query:\n%s", body.DB, body.CSL)
	}
	if len(res.Skips) != 0 {
		t.Fatalf("skips %+v", res.Skips)
	}
	evs := readEvents(t, res)
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	e := evs[0]
	host := strings.TrimPrefix(srv.URL, "https://")
	if e.Verdict != event.VerdictDNAT || e.NAT == nil || e.NAT.TranslatedIP.String() != "10.5.1.4" || e.Emitter != "azfw" ||
		!strings.HasPrefix(e.Origin.Key, "adx://"+host+"/NetLogs/AZFWNatRule/") {
		t.Errorf("event %+v", e)
	}
}

// TestADXThrottledThenPartial: a 429 is retried after its Retry-After; the
// answer's OneApiErrors make the result partial, its rows kept.
func TestADXThrottledThenPartial(t *testing.T) {
	srv, seen := replayServer(t,
		reply{status: 429, header: map[string]string{"Retry-After": "1"}, body: `{"error":{"code":"TooManyRequests","message":"throttled"}}`},
		reply{status: 200, file: "adx-partial.json"})
	start := time.Now()
	res, err := Fetch(context.Background(), adxTarget(srv), testQuery(t), testOptions(srv))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(seen()); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
	if time.Since(start) < time.Second {
		t.Errorf("retried after %v, before the Retry-After", time.Since(start))
	}
	if res.Rows != 1 || len(res.Skips) != 1 || res.Skips[0].Code != CodePartial || !strings.Contains(res.Skips[0].Reason, "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Fatalf("rows %d, skips %+v", res.Rows, res.Skips)
	}
	if evs := readEvents(t, res); len(evs) != 1 || evs[0].DstPort != 53 {
		t.Fatalf("events %+v", evs)
	}
}

// TestADXRefusedKeepsTokenOut: a 401 fails with the status, no token.
func TestADXRefusedKeepsTokenOut(t *testing.T) {
	srv, _ := replayServer(t, reply{status: 401, body: `{"error":{"code":"Unauthorized","message":"bad token Bearer ` + token + `"}}`})
	_, err := Fetch(context.Background(), adxTarget(srv), testQuery(t), testOptions(srv))
	if err == nil || strings.Contains(err.Error(), "TOKEN.ab12") || !strings.Contains(err.Error(), "HTTP 401") {
		t.Fatalf("error %v", err)
	}
}
