package probe

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/tlscheck"
)

func run(t *testing.T, o Options) *Result {
	t.Helper()
	p, err := o.Plan()
	if err != nil {
		t.Fatalf("Plan(%+v): %v", o, err)
	}
	res, err := Run(context.Background(), p)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func class(r *Result) string {
	if r.Failure == nil {
		return ""
	}
	return r.Failure.Class
}

func TestProbeLoopback(t *testing.T) {
	pki := testenv.NewPKI(t)
	resolver := dnsServer(t)
	open, closed, h503, h200 := testenv.OpenPort(t), testenv.ClosedPort(t), httpStatus(t, 503), httpStatus(t, 200)
	tlsPort := func(k testenv.LeafKind) int { return testenv.TLSServer(t, pki.Leaf(t, k).TLS) }
	valid, leafOnly, selfSigned := tlsPort(testenv.LeafValid), tlsPort(testenv.LeafOnly), tlsPort(testenv.LeafSelfSigned)
	expired, wrongName, unknownCA := tlsPort(testenv.LeafExpired), tlsPort(testenv.LeafWrongName), tlsPort(testenv.LeafUnknownCA)
	notYet, cnOnly := tlsPort(testenv.LeafNotYetValid), tlsPort(testenv.LeafCNOnly)
	hp := func(p int) string { return "127.0.0.1:" + strconv.Itoa(p) }

	cases := []struct {
		name    string
		o       Options
		verdict string
		class   string
	}{
		{"open port", Options{Target: hp(open)}, VerdictReachable, ""},
		{"closed port resets", Options{Target: hp(closed)}, VerdictFailed, ClassTCPRefused},
		{"http 503", Options{Target: "http://" + hp(h503) + "/health"}, VerdictFailed, ClassHTTPStatus},
		{"http 503 expected", Options{Target: "http://" + hp(h503) + "/", Expect: "5xx"}, VerdictReachable, ""},
		{"http 200", Options{Target: hp(h200), Protocol: "http"}, VerdictReachable, ""},
		{"tls valid chain with --ca", Options{Target: "localhost", Port: valid, Protocol: "tls", CAFile: pki.RootFile, ConnectTo: "127.0.0.1"}, VerdictReachable, ""},
		{"https valid chain", Options{Target: "https://localhost:" + strconv.Itoa(valid) + "/", CAFile: pki.RootFile, ConnectTo: "127.0.0.1"}, VerdictReachable, ""},
		{"tls valid chain, system store", Options{Target: hp(valid), Protocol: "tls"}, VerdictFailed, tlscheck.CodeUnknownCA},
		{"tls leaf only", Options{Target: hp(leafOnly), Protocol: "tls", CAFile: pki.RootFile}, VerdictFailed, tlscheck.CodeIncompleteChain},
		{"tls self-signed", Options{Target: hp(selfSigned), Protocol: "tls", CAFile: pki.RootFile}, VerdictFailed, tlscheck.CodeSelfSigned},
		{"tls expired", Options{Target: hp(expired), Protocol: "https", CAFile: pki.RootFile}, VerdictFailed, tlscheck.CodeExpired},
		{"tls not yet valid", Options{Target: hp(notYet), Protocol: "tls", CAFile: pki.RootFile}, VerdictFailed, tlscheck.CodeExpired},
		{"tls wrong name", Options{Target: hp(wrongName), Protocol: "tls", CAFile: pki.RootFile}, VerdictFailed, tlscheck.CodeNameMismatch},
		{"tls unknown ca", Options{Target: hp(unknownCA), Protocol: "tls", CAFile: pki.RootFile}, VerdictFailed, tlscheck.CodeUnknownCA},
		// The CN is the name asked for, but crypto/x509 matches SANs only
		// (and so does the capture analysis: tlscheck decides both).
		{"tls CN only", Options{Target: "localhost", Port: cnOnly, Protocol: "tls", CAFile: pki.RootFile, ConnectTo: "127.0.0.1"}, VerdictFailed, tlscheck.CodeNameMismatch},
		{"tls against plain http", Options{Target: hp(h200), Protocol: "tls"}, VerdictFailed, ClassTLSHandshakeFailed},
		{"dns nxdomain", Options{Target: "nx.test", Protocol: "dns", Resolver: resolver}, VerdictFailed, ClassDNSNXDomain},
		{"dns servfail", Options{Target: "fail.test", Protocol: "dns", Resolver: resolver}, VerdictFailed, ClassDNSTimeout},
		{"dns silent", Options{Target: "silent.test", Protocol: "dns", Resolver: resolver, Timeout: 300 * time.Millisecond}, VerdictFailed, ClassDNSTimeout},
		{"dns good", Options{Target: "good.test", Protocol: "dns", Resolver: resolver}, VerdictReachable, ""},
		{"privatelink public", Options{Target: "db.privatelink.database.windows.net", Protocol: "dns", Resolver: resolver}, VerdictFailed, ClassDNSPrivateLinkPublic},
		{"blob via cname to public", Options{Target: "st.blob.core.windows.net", Protocol: "dns", Resolver: resolver}, VerdictFailed, ClassDNSPrivateLinkPublic},
		{"privatelink private", Options{Target: "ok.privatelink.blob.core.windows.net", Protocol: "dns", Resolver: resolver}, VerdictReachable, ""},
		{"resolve then connect", Options{Target: "good.test", Port: open, Resolver: resolver}, VerdictReachable, ""},
		{"system resolver localhost", Options{Target: "localhost", Port: open, Family: "ip4"}, VerdictReachable, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, c.o)
			if r.Verdict != c.verdict || class(r) != c.class {
				b, _ := json.MarshalIndent(r, "", " ")
				t.Fatalf("verdict %s class %q, want %s %q\n%s", r.Verdict, class(r), c.verdict, c.class, b)
			}
			if r.Failure != nil && (r.Failure.Hint == "" || r.Failure.Message == "" || r.Failure.Evidence == "") {
				t.Errorf("failure lacks message, evidence or hint: %+v", r.Failure)
			}
		})
	}
}

func TestTCPTimeoutHintsAtTrace(t *testing.T) {
	p := testenv.ClosedPort(t)
	r := run(t, Options{Target: "127.0.0.1:" + strconv.Itoa(p)})
	if !strings.Contains(Hint(ClassTCPTimeout), "pathproof trace") {
		t.Errorf("tcp.timeout hint %q does not point at pathproof trace", Hint(ClassTCPTimeout))
	}
	if class(r) != ClassTCPRefused {
		t.Errorf("class %q", class(r))
	}
}

func TestChainReportEvenWhenVerificationFails(t *testing.T) {
	pki := testenv.NewPKI(t)
	port := testenv.TLSServer(t, pki.Leaf(t, testenv.LeafOnly).TLS)
	r := run(t, Options{Target: "127.0.0.1:" + strconv.Itoa(port), Protocol: "tls", CAFile: pki.RootFile})
	if r.TLS == nil || len(r.TLS.Certificates) != 1 {
		t.Fatalf("want a one-certificate chain report, got %+v", r.TLS)
	}
	c := r.TLS.Certificates[0]
	if c.KeyType != "ECDSA P-256" || c.KeyBits != 256 || c.Issuer != pki.Intermediate.Subject.String() || len(c.DNSNames) == 0 || c.NotAfter.IsZero() {
		t.Errorf("certificate facts incomplete: %+v", c)
	}
	if r.TLS.Verified || r.TLS.TrustStore != "file:"+pki.RootFile || len(r.TLS.Issues) == 0 || !strings.Contains(r.TLS.Issues[0], "incomplete") {
		t.Errorf("report: verified=%v store=%q issues=%v", r.TLS.Verified, r.TLS.TrustStore, r.TLS.Issues)
	}
}

func TestAddressModeEachAndCount(t *testing.T) {
	resolver := dnsServer(t)
	port := testenv.OpenPort(t) // listens on 127.0.0.1 only: 127.0.0.2 refuses
	r := run(t, Options{Target: "multi.test", Port: port, Resolver: resolver, AddressMode: "each", Count: 3, Interval: time.Millisecond})
	if len(r.Addresses) != 2 || r.Verdict != VerdictPartial {
		t.Fatalf("want 2 addresses and partial, got %d %s", len(r.Addresses), r.Verdict)
	}
	a, b := r.Addresses[0], r.Addresses[1]
	if a.Verdict != VerdictReachable || a.Stats.Sent != 3 || a.Stats.Received != 3 || a.Stats.LossPercent != 0 {
		t.Errorf("first address: %+v", a)
	}
	if a.Stats.MinMS > a.Stats.AvgMS || a.Stats.AvgMS > a.Stats.MaxMS || a.Stats.P95MS > a.Stats.MaxMS {
		t.Errorf("RTT statistics out of order: %+v", a.Stats)
	}
	if b.Verdict != VerdictFailed || b.Stats.LossPercent != 100 || b.Failure == nil || b.Failure.Class != ClassTCPRefused {
		t.Errorf("second address: %+v", b)
	}
	if r.DNS == nil || r.DNS.Resolver != resolver || len(r.DNS.Answers) != 2 || !r.DNS.Answers[0].Private {
		t.Errorf("dns: %+v", r.DNS)
	}
	first := run(t, Options{Target: "multi.test", Port: port, Resolver: resolver})
	if len(first.Addresses) != 1 || first.Verdict != VerdictReachable || len(first.Notes) == 0 {
		t.Errorf("--address-mode first: %+v", first)
	}
}

func TestTimingsAddUp(t *testing.T) {
	pki := testenv.NewPKI(t)
	port := testenv.TLSServer(t, pki.Leaf(t, testenv.LeafValid).TLS)
	resolver := dnsServer(t)
	r := run(t, Options{Target: "https://good.test:" + strconv.Itoa(port) + "/", Resolver: resolver, SNI: "localhost", CAFile: pki.RootFile})
	if r.Verdict != VerdictReachable {
		t.Fatalf("verdict %s: %+v", r.Verdict, r.Failure)
	}
	tm := r.Timings
	cum := []float64{tm.NameLookup, tm.Connect, tm.AppConnect, tm.PreTransfer, tm.StartTransfer, tm.Total}
	for i := 1; i < len(cum); i++ {
		if cum[i] < cum[i-1] {
			t.Errorf("cumulative timings decrease: %v", cum)
		}
	}
	p := tm.Phases
	sum := p.DNS + p.Connect + p.TLS + p.Request + p.Wait + p.Transfer
	if d := sum - tm.Total*1000; d > 0.002 || d < -0.002 {
		t.Errorf("phases add up to %.3f ms, total is %.3f ms", sum, tm.Total*1000)
	}
	if tm.NameLookup <= 0 || p.TLS <= 0 || r.HTTP == nil || r.HTTP.Status != 200 || r.TLS.ServerName != "localhost" || !r.TLS.Verified {
		t.Errorf("timings %+v http %+v tls %+v", tm, r.HTTP, r.TLS)
	}
}

// TestPlanRejects: options that cannot make a probe are refused before
// anything is sent, naming the field that is wrong.
func TestPlanRejects(t *testing.T) {
	cases := []struct {
		o     Options
		field string
	}{
		{Options{}, "Target"},
		{Options{Target: "example.com"}, "Port"}, // tcp without port
		{Options{Target: "example.com", Port: 80, Protocol: "gopher"}, "Protocol"},
		{Options{Target: "https://x/", Protocol: "http"}, "Protocol"},
		{Options{Target: "ftp://x/"}, "Target"},
		{Options{Target: "x:80", Port: 81}, "Port"},
		{Options{Target: "x:http"}, "Target"},
		{Options{Target: "x", Port: 70000}, "Port"},
		{Options{Target: "x", Protocol: "dns", Port: 53}, "Port"},
		{Options{Target: "10.0.0.1", Protocol: "dns"}, "Target"},
		{Options{Target: "x", Protocol: "dns", ConnectTo: "10.0.0.1"}, "ConnectTo"},
		{Options{Target: "x", Port: 22, SNI: "y"}, "SNI"},
		{Options{Target: "x", Port: 22, CAFile: "ca.pem"}, "CAFile"},
		{Options{Target: "x", Port: 22, FetchAIA: true}, "FetchAIA"},
		{Options{Target: "x", Port: 22, Expect: "200"}, "Expect"},
		{Options{Target: "x", Port: 22, Method: "GET"}, "Method"},
		{Options{Target: "http://x/", Expect: "700"}, "Expect"},
		{Options{Target: "http://x/", Path: "x"}, "Path"},
		{Options{Target: "x", Port: 22, Count: -1}, "Count"},
		{Options{Target: "x", Port: 22, Interval: -time.Second}, "Interval"},
		{Options{Target: "x", Port: 22, Timeout: -time.Second}, "Timeout"},
		{Options{Target: "x", Port: 22, AddressMode: "any"}, "AddressMode"},
		{Options{Target: "x", Port: 22, Family: "ipx"}, "Family"},
		{Options{Target: "x", Port: 22, Resolver: "dns.example"}, "Resolver"},
		{Options{Target: "x", Port: 22, ConnectTo: "host"}, "ConnectTo"},
		{Options{Target: "https://x/", CAFile: filepath.Join(t.TempDir(), "missing.pem")}, "CAFile"},
	}
	for _, c := range cases {
		_, err := c.o.Plan()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("Plan(%+v) = %v, want a FieldError on %s", c.o, err, c.field)
			continue
		}
		if strings.Contains(fe.Msg, "--") {
			t.Errorf("Plan(%+v): %q names a command-line flag", c.o, fe.Msg)
		}
	}
}

// TestPlanDefaults: a plan holds typed values with every default applied.
func TestPlanDefaults(t *testing.T) {
	p, err := Options{Target: "https://[2001:db8::1]:8443/health?x=1", Resolver: "10.0.0.4", ConnectTo: "[::1]"}.Plan()
	if err != nil {
		t.Fatal(err)
	}
	want := Plan{Target: "2001:db8::1", Addr: netip.MustParseAddr("2001:db8::1"), Port: 8443, Protocol: HTTPS, Count: 1,
		Interval: time.Second, Timeout: 5 * time.Second, Resolver: netip.MustParseAddrPort("10.0.0.4:53"), AddressMode: FirstAddress,
		Family: AnyFamily, ConnectTo: netip.MustParseAddr("::1"), Method: "GET", Path: "/health?x=1",
		Expect: StatusRanges{{200, 399}}, ExpectText: DefaultStatusRanges}
	if !reflect.DeepEqual(*p, want) {
		t.Errorf("plan\n %+v\nwant\n %+v", *p, want)
	}
	if p, err := (Options{Target: "x", Protocol: "dns"}).Plan(); err != nil || p.Port != 0 || p.Path != "" || p.Method != "" {
		t.Errorf("dns plan %+v, %v", p, err)
	}
}

func TestPrivateLinkZone(t *testing.T) {
	cases := map[string]string{
		"st.blob.core.windows.net":             "privatelink.blob.core.windows.net",
		"kv.vault.azure.net":                   "privatelink.vaultcore.azure.net",
		"x.privatelink.database.windows.net":   "privatelink.database.windows.net",
		"blob.core.windows.net":                "",
		"example.com":                          "",
		"notblob.core.windows.net.example.com": "",
		"KV.Vault.Azure.Net.":                  "privatelink.vaultcore.azure.net",
	}
	for name, want := range cases {
		if got := PrivateLinkZone(name, nil); got != want {
			t.Errorf("PrivateLinkZone(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestStatusRanges(t *testing.T) {
	r, err := ParseStatusRanges("200-202, 3xx,418")
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[int]bool{200: true, 202: true, 203: false, 301: true, 399: true, 418: true, 500: false} {
		if r.Contains(code) != want {
			t.Errorf("Contains(%d) = %v", code, !want)
		}
	}
}

func FuzzParseStatusRanges(f *testing.F) {
	for _, s := range []string{"200-399", "2xx,3xx", "418", "", "5xx,200-", "100-599", "9xx", "200-100"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseStatusRanges(s)
		if err != nil {
			return
		}
		for _, x := range r {
			if x.Lo < 100 || x.Hi > 599 || x.Lo > x.Hi || !r.Contains(x.Lo) {
				t.Fatalf("%q parsed to bad range %+v", s, x)
			}
		}
	})
}

// TestFetchAIA: a leaf-only chain fails without --fetch-aia and verifies
// with it, the intermediate downloaded from the leaf's AIA location.
func TestFetchAIA(t *testing.T) {
	pki := testenv.NewPKI(t)
	aia := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(pki.Intermediate.Raw) }))
	defer aia.Close()
	pki.AIAURL = aia.URL + "/intermediate.cer"
	port := testenv.TLSServer(t, pki.Leaf(t, testenv.LeafOnly).TLS)
	target := "127.0.0.1:" + strconv.Itoa(port)
	without := run(t, Options{Target: target, Protocol: "tls", CAFile: pki.RootFile})
	if class(without) != tlscheck.CodeIncompleteChain || !strings.Contains(without.Failure.Evidence, pki.AIAURL) {
		t.Errorf("without --fetch-aia: %+v", without.Failure)
	}
	with := run(t, Options{Target: target, Protocol: "tls", CAFile: pki.RootFile, FetchAIA: true})
	if with.Verdict != VerdictReachable || !with.TLS.Verified || len(with.TLS.AIAFetched) != 1 || len(with.TLS.VerifiedChain) != 3 {
		t.Errorf("with --fetch-aia: %s %+v %+v", with.Verdict, with.Failure, with.TLS)
	}
}

// TestTLSAlert: a server that requires a client certificate ends the
// handshake with an alert; the class is tls.handshake-failed, the alert is
// in the evidence and the chain it sent is still reported.
func TestTLSAlert(t *testing.T) {
	pki := testenv.NewPKI(t)
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	s.TLS = &tls.Config{Certificates: []tls.Certificate{pki.Leaf(t, testenv.LeafValid).TLS}, ClientAuth: tls.RequireAnyClientCert, MaxVersion: tls.VersionTLS12}
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	defer s.Close()
	r := run(t, Options{Target: s.Listener.Addr().String(), Protocol: "tls", CAFile: pki.RootFile})
	if class(r) != ClassTLSHandshakeFailed || !strings.Contains(r.Failure.Message, "alert") {
		t.Fatalf("%s %+v", r.Verdict, r.Failure)
	}
	if r.TLS == nil || len(r.TLS.Certificates) != 2 {
		t.Errorf("chain not reported after the alert: %+v", r.TLS)
	}
}
