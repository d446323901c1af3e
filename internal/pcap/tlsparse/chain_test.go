package tlsparse

import (
	"crypto/x509"
	"slices"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/testenv"
)

func problemCodes(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	slices.Sort(out)
	return out
}

// TestDiagnose judges chains made by testenv's PKI, one per kind of fault.
func TestDiagnose(t *testing.T) {
	pki := testenv.NewPKI(t)
	now := time.Now()
	cases := []struct {
		name  string
		kind  testenv.LeafKind
		sni   string
		chain func(l *testenv.Leaf) []*x509.Certificate
		want  []string
	}{
		{"valid full chain", testenv.LeafValid, "svc.example", nil, nil},
		{"leaf only", testenv.LeafOnly, "svc.example", nil, []string{"tls.incomplete-chain"}},
		{"self-signed", testenv.LeafSelfSigned, "svc.example", nil, []string{"tls.self-signed"}},
		{"expired", testenv.LeafExpired, "svc.example", nil, []string{"tls.expired"}},
		{"not yet valid", testenv.LeafNotYetValid, "svc.example", nil, []string{"tls.expired"}},
		{"wrong name", testenv.LeafWrongName, "svc.example", nil, []string{"tls.name-mismatch"}},
		{"no SNI: name not judged", testenv.LeafWrongName, "", nil, nil},
		// No subjectAltName: the CN is the SNI, but crypto/x509 (and the
		// probe, through the same tlscheck) does not match it.
		{"CN only", testenv.LeafCNOnly, "svc.example", nil, []string{"tls.name-mismatch"}},
		{"wrong order", testenv.LeafValid, "svc.example", func(l *testenv.Leaf) []*x509.Certificate {
			return []*x509.Certificate{l.Chain[0], pki.Root, pki.Intermediate}
		}, []string{"tls.wrong-order"}},
		{"unparsable intermediate", testenv.LeafValid, "svc.example", func(l *testenv.Leaf) []*x509.Certificate {
			return []*x509.Certificate{l.Chain[0], nil}
		}, []string{"tls.bad-certificate"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			leaf := pki.Leaf(t, tc.kind, "svc.example")
			chain := leaf.Chain
			if tc.chain != nil {
				chain = tc.chain(leaf)
			}
			got := problemCodes(Diagnose(chain, tc.sni, now))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
