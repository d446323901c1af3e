package monitor

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/pathproof/pathproof/internal/testenv"
)

// servers starts the loopback targets: an open port, a closed port, an
// HTTP 503, a TLS server with a leaf-only chain and a DNS server answering
// NXDOMAIN for everything.
type servers struct {
	open, closed, h503, leafOnly int
	resolver                     string
	caFile                       string
}

func startServers(t *testing.T) servers {
	t.Helper()
	var s servers
	s.open = testenv.OpenPort(t)
	s.closed = testenv.ClosedPort(t)
	h := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) }))
	t.Cleanup(h.Close)
	s.h503 = h.Listener.Addr().(*net.TCPAddr).Port
	pki := testenv.NewPKI(t)
	s.leafOnly = testenv.TLSServer(t, pki.Leaf(t, testenv.LeafOnly).TLS)
	s.caFile = pki.RootFile
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetRcode(r, dns.RcodeNameError)
		_ = w.WriteMsg(m)
	})}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	s.resolver = pc.LocalAddr().String()
	return s
}

func (s servers) config(webhook string) string {
	return fmt.Sprintf(`alerts:
  webhook: %s
  headers: {Authorization: "Bearer secret-token-123"}
  damping: 2
test_groups:
  - name: lab
    destinations:
      - name: lo
        address: 127.0.0.1
    test_configurations:
      - name: open
        protocol: tcp
        port: %d
        frequency: 40ms
        checks: 2
      - name: refused
        protocol: tcp
        port: %d
        frequency: 40ms
        checks: 2
      - name: http503
        protocol: http
        port: %d
        frequency: 40ms
        checks: 1
      - name: leaf-only
        protocol: tls
        port: %d
        frequency: 40ms
        checks: 1
        tls: {ca_file: %s}
  - name: names
    destinations:
      - name: missing
        address: missing.example.test
    test_configurations:
      - name: dns
        protocol: dns
        frequency: 40ms
        resolver: %s
        checks: 1
`, webhook, s.open, s.closed, s.h503, s.leafOnly, s.caFile, s.resolver)
}

var testLimits = Limits{MinFrequency: 10 * time.Millisecond, MaxFrequency: time.Hour}

// TestMonitorEndToEnd runs the scheduler against real loopback servers
// until every failing test has alerted, then checks the JSON lines, the
// /metrics endpoint and the webhook bodies.
func TestMonitorEndToEnd(t *testing.T) {
	s := startServers(t)
	var mu sync.Mutex
	var alerts []Alert
	var auth []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a Alert
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &a); err != nil {
			t.Errorf("webhook body is not an alert: %v: %s", err, b)
		}
		mu.Lock()
		alerts = append(alerts, a)
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer hook.Close()
	cfg, err := ParseConfig("lab.yaml", []byte(s.config(hook.URL+"/hook")), testLimits)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var streamed int
	var smu sync.Mutex
	m, err := New(cfg, Options{ResultsDir: dir, Log: os.Stderr, Stream: func(*Record) { smu.Lock(); streamed++; smu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	want := map[string]State{"lab/lo/refused": Fail, "lab/lo/http503": Fail, "lab/lo/leaf-only": Fail, "names/missing/dns": Fail}
	deadline := time.After(60 * time.Second)
	for {
		mu.Lock()
		got := map[string]State{}
		for _, a := range alerts {
			got[a.Test] = a.To
		}
		mu.Unlock()
		if len(got) >= len(want) {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("alerts after 60s: %v", got)
		case <-time.After(20 * time.Millisecond):
		}
	}
	// The metrics endpoint, scraped while running.
	ms := httptest.NewServer(m.MetricsHandler())
	resp, err := http.Get(ms.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ms.Close()
	cancel()
	<-done
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	mu.Lock()
	defer mu.Unlock()
	classes := map[string]string{}
	for i, a := range alerts {
		if a.From != Indeterminate || a.To != want[a.Test] || a.Consecutive != 2 || a.SchemaVersion != 1 {
			t.Errorf("alert %+v", a)
		}
		if a.Test == "lab/lo/open" {
			t.Errorf("a healthy start alerted: %+v", a)
		}
		if auth[i] != "Bearer secret-token-123" {
			t.Errorf("webhook header %q", auth[i])
		}
		classes[a.Test] = a.FailureClass
	}
	wantClass := map[string]string{"lab/lo/refused": "tcp.refused", "lab/lo/http503": "http.status", "lab/lo/leaf-only": "tls.incomplete-chain", "names/missing/dns": "dns.nxdomain"}
	for k, v := range wantClass {
		if classes[k] != v {
			t.Errorf("%s alerted class %q, want %q", k, classes[k], v)
		}
	}

	text := string(body)
	for _, line := range []string{
		`probe_success{destination="lo",test_configuration="open",test_group="lab"} 1`,
		`probe_success{destination="lo",test_configuration="refused",test_group="lab"} 0`,
		`pathproof_test_result{destination="lo",test_configuration="refused",test_group="lab"} 3`,
		`pathproof_test_result{destination="lo",test_configuration="open",test_group="lab"} 1`,
		`probe_failure_class{destination="lo",failure_class="tcp.refused",test_configuration="refused",test_group="lab"} 1`,
		`probe_failure_class{destination="lo",failure_class="tcp.timeout",test_configuration="refused",test_group="lab"} 0`,
		`probe_http_status_code{destination="lo",test_configuration="http503",test_group="lab"} 503`,
		`pathproof_checks_failed_percent{destination="lo",test_configuration="refused",test_group="lab"} 100`,
	} {
		if !strings.Contains(text, line) {
			t.Errorf("metrics lack %s", line)
		}
	}
	for _, name := range []string{"probe_duration_seconds{", "probe_dns_lookup_time_seconds{", "probe_ssl_earliest_cert_expiry{", `probe_http_duration_seconds{destination="lo",phase="connect"`, "pathproof_probe_failures_total{"} {
		if !strings.Contains(text, name) {
			t.Errorf("metrics lack %s", name)
		}
	}
	if strings.Contains(text, "secret-token") {
		t.Error("a webhook secret leaked into the metrics")
	}

	// The JSON lines: one file for today, every line a record.
	files, _ := filepath.Glob(filepath.Join(dir, "monitor-*.jsonl"))
	if len(files) != 1 || filepath.Base(files[0]) != "monitor-"+time.Now().UTC().Format("2006-01-02")+".jsonl" {
		t.Fatalf("results files %v", files)
	}
	fh, _ := os.Open(files[0])
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	states := map[string]State{}
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		states[r.Test] = r.State
		if r.Test == "lab/lo/open" && (r.ChecksTotal != 2 || r.RoundTripTimeMS == nil) {
			t.Errorf("open-port record %+v", r)
		}
	}
	smu.Lock()
	if n == 0 || n != streamed {
		t.Errorf("%d lines written, %d streamed", n, streamed)
	}
	smu.Unlock()
	if states["lab/lo/open"] != Pass || states["lab/lo/refused"] != Fail {
		t.Errorf("last states %v", states)
	}
}

// TestOnceWorstState runs every test once: the worst state is returned
// and no alert is sent.
func TestOnceWorstState(t *testing.T) {
	s := startServers(t)
	var calls atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls.Add(1) }))
	defer hook.Close()
	cfg, err := ParseConfig("lab.yaml", []byte(s.config(hook.URL)), testLimits)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(cfg, Options{ResultsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Once(context.Background()); got != Fail {
		t.Errorf("worst state %s, want Fail", got)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("--once sent %d alerts", n)
	}
	m.Close()
}

// TestWebhookErrorHidesSecrets checks that a failing webhook is reported
// without its URL path, query or headers.
func TestWebhookErrorHidesSecrets(t *testing.T) {
	w := &webhook{url: "http://127.0.0.1:1/hooks/SECRETPATH?token=SECRETQUERY", headers: map[string]string{"Authorization": "SECRETHEADER"}, client: http.DefaultClient}
	err := w.send(context.Background(), &Alert{})
	if err == nil {
		t.Fatal("no error from a closed port")
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error leaks a secret: %v", err)
	}
}
