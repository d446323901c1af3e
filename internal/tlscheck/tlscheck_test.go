package tlscheck

import (
	"bytes"
	"crypto/x509"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/testenv"
)

func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

// TestCheck judges chains made by testenv's PKI, one per kind of fault,
// and the edge cases where crypto/x509's rules decide.
func TestCheck(t *testing.T) {
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
		{"leaf only", testenv.LeafOnly, "svc.example", nil, []string{CodeIncompleteChain}},
		{"self-signed", testenv.LeafSelfSigned, "svc.example", nil, []string{CodeSelfSigned}},
		{"expired", testenv.LeafExpired, "svc.example", nil, []string{CodeExpired}},
		{"not yet valid", testenv.LeafNotYetValid, "svc.example", nil, []string{CodeExpired}},
		{"wrong name", testenv.LeafWrongName, "svc.example", nil, []string{CodeNameMismatch}},
		{"no name asked: not judged", testenv.LeafWrongName, "", nil, nil},
		// crypto/x509 matches names against the subjectAltName only: a
		// certificate whose CN is the name, without SANs, does not cover it.
		{"CN only, CN is the name", testenv.LeafCNOnly, "svc.example", nil, []string{CodeNameMismatch}},
		{"wrong order", testenv.LeafValid, "svc.example", func(l *testenv.Leaf) []*x509.Certificate {
			return []*x509.Certificate{l.Chain[0], pki.Root, pki.Intermediate}
		}, []string{CodeWrongOrder}},
		{"unparsable intermediate", testenv.LeafValid, "svc.example", func(l *testenv.Leaf) []*x509.Certificate {
			return []*x509.Certificate{l.Chain[0], nil}
		}, []string{CodeBadCertificate}},
		// A self-issued certificate whose signature crypto/x509 cannot
		// check is not self-signed: nothing proves who signed it.
		{"self-issued, signature algorithm unsupported", testenv.LeafSelfSigned, "", func(l *testenv.Leaf) []*x509.Certificate {
			return []*x509.Certificate{unsupportedAlgorithm(t, l.Chain[0])}
		}, []string{CodeIncompleteChain}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			leaf := pki.Leaf(t, tc.kind, "svc.example")
			chain := leaf.Chain
			if tc.chain != nil {
				chain = tc.chain(leaf)
			}
			got := codes(Check(chain, Options{Name: tc.sni, At: now}))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestCheckDetails checks the positions a finding carries.
func TestCheckDetails(t *testing.T) {
	pki := testenv.NewPKI(t)
	l := pki.Leaf(t, testenv.LeafValid, "svc.example")
	fs := Check([]*x509.Certificate{l.Chain[0], pki.Root, pki.Intermediate}, Options{})
	if len(fs) != 1 || fs[0] != (Finding{Code: CodeWrongOrder, Cert: 0, Next: 1, Issuer: 2}) {
		t.Errorf("wrong order: %+v", fs)
	}
	nyv := pki.Leaf(t, testenv.LeafNotYetValid, "svc.example")
	fs = Check(nyv.Chain, Options{At: time.Now()})
	if len(fs) != 1 || fs[0].Cert != 0 || !fs[0].NotYetValid {
		t.Errorf("not yet valid: %+v", fs)
	}
	cn := pki.Leaf(t, testenv.LeafCNOnly, "svc.example")
	fs = Check(cn.Chain, Options{Name: "svc.example"})
	var he x509.HostnameError
	if len(fs) != 1 || !errors.As(fs[0].Err, &he) {
		t.Errorf("CN only: %+v", fs)
	}
}

// TestVerify checks the trust verdicts against the PKI's root.
func TestVerify(t *testing.T) {
	pki := testenv.NewPKI(t)
	now := time.Now()
	cases := []struct {
		name  string
		chain func() []*x509.Certificate
		fetch bool
		want  string
	}{
		{"valid", func() []*x509.Certificate { return pki.Leaf(t, testenv.LeafValid).Chain }, false, ""},
		{"self-signed", func() []*x509.Certificate { return pki.Leaf(t, testenv.LeafSelfSigned).Chain }, false, CodeSelfSigned},
		{"leaf only", func() []*x509.Certificate { return pki.Leaf(t, testenv.LeafOnly).Chain }, false, CodeIncompleteChain},
		{"leaf only, issuer fetched", func() []*x509.Certificate { return pki.Leaf(t, testenv.LeafOnly).Chain }, true, ""},
		{"unknown CA", func() []*x509.Certificate { return pki.Leaf(t, testenv.LeafUnknownCA).Chain }, false, CodeUnknownCA},
		// The sent intermediate did not issue the leaf: its issuer is missing.
		{"wrong intermediate", func() []*x509.Certificate {
			return []*x509.Certificate{pki.Leaf(t, testenv.LeafUnknownCA).Chain[0], pki.Intermediate}
		}, false, CodeIncompleteChain},
		{"self-issued, signature algorithm unsupported", func() []*x509.Certificate {
			return []*x509.Certificate{unsupportedAlgorithm(t, pki.Leaf(t, testenv.LeafSelfSigned).Chain[0])}
		}, false, CodeIncompleteChain},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := Trust{Roots: pki.Pool}
			fetched := 0
			if tc.fetch {
				tr.Fetch = func(*x509.Certificate) []*x509.Certificate { fetched++; return []*x509.Certificate{pki.Intermediate} }
			}
			v := Verify(tc.chain(), tr, now)
			if v.Code != tc.want || (v.Err == nil) != (tc.want == "") || (v.Err == nil) != (len(v.Chains) > 0) {
				t.Errorf("code %q err %v chains %d, want %q", v.Code, v.Err, len(v.Chains), tc.want)
			}
			if tc.fetch && (fetched != 1 || len(v.Fetched) != 1) {
				t.Errorf("fetched %d times, %d certificates", fetched, len(v.Fetched))
			}
		})
	}
}

// unsupportedAlgorithm re-encodes c with its signature algorithm
// ecdsa-with-SHA256 replaced by ecdsa-with-SHA224, which crypto/x509
// parses but cannot check.
func unsupportedAlgorithm(t *testing.T, c *x509.Certificate) *x509.Certificate {
	t.Helper()
	sha256OID := []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}
	sha224OID := []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01}
	der := bytes.ReplaceAll(c.Raw, sha256OID, sha224OID)
	out, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.CheckSignature(out.SignatureAlgorithm, out.RawTBSCertificate, out.Signature); !errors.Is(err, x509.ErrUnsupportedAlgorithm) {
		t.Fatalf("signature check: %v, want ErrUnsupportedAlgorithm", err)
	}
	if !bytes.Equal(out.RawIssuer, out.RawSubject) {
		t.Fatal("not self-issued")
	}
	return out
}
