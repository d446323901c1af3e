package proberender

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/probe"
	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/tlscheck"
)

// TestProbeHumanGolden renders a fixed result whose server-supplied
// strings carry terminal escapes and format characters: the human report
// must match the golden file and contain none of them raw.
func TestProbeHumanGolden(t *testing.T) {
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f := &probe.Failure{Class: tlscheck.CodeIncompleteChain, Message: "the server sent its certificate without the intermediate(s)",
		Evidence: "the server sent 1 certificate; its issuer CN=Evil\x1b[31mCA is neither sent nor in the system store", Hint: probe.Hint(tlscheck.CodeIncompleteChain)}
	r := &probe.Result{SchemaVersion: 1, Target: "app.contoso.internal", Protocol: "https", Port: 443, Verdict: probe.VerdictFailed, Failure: f,
		DNS: &probe.DNSResult{Name: "app.contoso.internal", Resolver: "10.0.0.4:53", CNAMEs: []string{"app.privatelink.azurewebsites.net"},
			Answers: []probe.DNSAnswer{{Address: "10.1.2.3", Private: true}}, PrivateLinkZone: "privatelink.azurewebsites.net", LookupMS: 1.5},
		Addresses: []probe.AddressResult{{Address: "10.1.2.3", Private: true, Verdict: probe.VerdictFailed, Failure: f,
			Stats: probe.Stats{Sent: 2, Received: 0, LossPercent: 100}}},
		Timings: &probe.Timings{NameLookup: 0.0015, Connect: 0.0025, AppConnect: 0.0105, PreTransfer: 0.0105, StartTransfer: 0.0105, Total: 0.0105,
			Phases: probe.Phases{DNS: 1.5, Connect: 1, TLS: 8}},
		TLS: &probe.TLSReport{Version: "TLS 1.2", CipherSuite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ServerName: "app.contoso.internal",
			VerifyName: "app.contoso.internal", TrustStore: "system", VerifyError: "x509: certificate signed by unknown authority",
			Certificates: []probe.CertInfo{{Position: 0, Subject: "CN=app.contoso.internal\u202e", Issuer: "CN=Evil\x1b[31mCA", NotBefore: at, NotAfter: at.Add(90 * 24 * time.Hour),
				DNSNames: []string{"app.contoso.internal"}, KeyType: "RSA", KeyBits: 2048}},
			Issues: []string{"incomplete chain: the issuer of #0 (CN=Evil\x1b[31mCA) was not sent"}},
	}
	var b bytes.Buffer
	if err := Human(&b, r); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(b.Bytes(), "\x1b\u202e") {
		t.Errorf("raw escape in the human report:\n%s", b.String())
	}
	testenv.Golden(t, filepath.Join("testdata", "human.golden"), b.Bytes())
}
