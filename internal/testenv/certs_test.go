package testenv

import (
	"crypto/x509"
	"strings"
	"testing"
)

func TestPKILeafKinds(t *testing.T) {
	p := NewPKI(t)
	cases := []struct {
		kind    LeafKind
		name    string
		certs   int
		wantErr string
	}{
		{LeafValid, "localhost", 2, ""},
		{LeafOnly, "localhost", 1, "unknown authority"},
		{LeafSelfSigned, "localhost", 1, "unknown authority"},
		{LeafExpired, "localhost", 2, "expired"},
		{LeafNotYetValid, "localhost", 2, "not yet valid"},
		{LeafWrongName, "localhost", 2, "valid for wrong.example"},
		{LeafUnknownCA, "localhost", 2, "unknown authority"},
		{LeafCNOnly, "localhost", 2, "certificate relies on legacy Common Name field"},
	}
	for _, c := range cases {
		l := p.Leaf(t, c.kind)
		if len(l.Chain) != c.certs || len(l.TLS.Certificate) != c.certs {
			t.Errorf("kind %d: %d certificates presented, want %d", c.kind, len(l.Chain), c.certs)
		}
		inter := x509.NewCertPool()
		for _, ic := range l.Chain[1:] {
			inter.AddCert(ic)
		}
		_, err := l.Chain[0].Verify(x509.VerifyOptions{Roots: p.Pool, Intermediates: inter, DNSName: c.name})
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("kind %d: %v", c.kind, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("kind %d: error %v, want %q", c.kind, err, c.wantErr)
		}
	}
}
