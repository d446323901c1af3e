package testenv

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// PKI is a test certificate authority: a root, an intermediate signed by
// it, and leaves signed by the intermediate. Everything is generated in the
// test with crypto/x509 (ECDSA P-256, fast) and written as PEM under
// t.TempDir().
type PKI struct {
	Root, Intermediate       *x509.Certificate
	rootKey, intermediateKey crypto.Signer
	// Pool trusts the root only.
	Pool *x509.CertPool
	// RootFile is the root certificate as a PEM file (for --ca FILE).
	RootFile string
	// AIAURL, when set before Leaf is called, is written into leaves as
	// the AIA "CA Issuers" location of their issuer (serve
	// Intermediate.Raw there to test AIA fetching).
	AIAURL string
	dir    string
}

// LeafKind says what is wrong, if anything, with a leaf certificate and
// the chain a server presents with it.
type LeafKind int

// Leaf kinds.
const (
	// LeafValid is signed by the intermediate; the server sends leaf +
	// intermediate.
	LeafValid LeafKind = iota
	// LeafOnly is a valid leaf, but the server sends it without its
	// intermediate (an incomplete chain).
	LeafOnly
	// LeafSelfSigned is a leaf signed by its own key.
	LeafSelfSigned
	// LeafExpired expired a day ago.
	LeafExpired
	// LeafNotYetValid becomes valid tomorrow.
	LeafNotYetValid
	// LeafWrongName is valid but names only wrong.example.
	LeafWrongName
	// LeafUnknownCA is signed by an intermediate of another root, which
	// Pool does not trust; the server sends the full chain.
	LeafUnknownCA
	// LeafCNOnly is valid and names its first name in the subject's CN
	// only, with no subjectAltName (as certificates of old private CAs
	// do): crypto/x509 matches no name against it.
	LeafCNOnly
)

// Leaf is a server certificate ready to serve.
type Leaf struct {
	// TLS is the key pair with the chain the server presents.
	TLS tls.Certificate
	// Chain is what the server presents, leaf first.
	Chain []*x509.Certificate
	// CertFile (the presented chain, PEM) and KeyFile (PKCS#8 PEM).
	CertFile, KeyFile string
}

// NewPKI creates a root and an intermediate valid from an hour ago for a
// year.
func NewPKI(t testing.TB) *PKI {
	t.Helper()
	p := &PKI{dir: t.TempDir()}
	now := time.Now()
	ca := func(cn string) *x509.Certificate {
		return &x509.Certificate{
			Subject:               pkix.Name{CommonName: cn, Organization: []string{"pathproof tests"}},
			NotBefore:             now.Add(-time.Hour),
			NotAfter:              now.Add(365 * 24 * time.Hour),
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
	}
	p.rootKey = newKey(t)
	p.Root = sign(t, ca("pathproof test root CA"), nil, nil, p.rootKey)
	p.intermediateKey = newKey(t)
	inter := ca("pathproof test intermediate CA")
	inter.MaxPathLenZero = true // issues leaves only
	p.Intermediate = sign(t, inter, p.Root, p.rootKey, p.intermediateKey)
	p.Pool = x509.NewCertPool()
	p.Pool.AddCert(p.Root)
	p.RootFile = filepath.Join(p.dir, "root.pem")
	writePEM(t, p.RootFile, "CERTIFICATE", p.Root.Raw)
	return p
}

// Leaf issues a server certificate of kind for names (DNS names or IP
// addresses; "localhost" and 127.0.0.1 when none are given).
func (p *PKI) Leaf(t testing.TB, kind LeafKind, names ...string) *Leaf {
	t.Helper()
	if len(names) == 0 {
		names = []string{"localhost", "127.0.0.1", "::1"}
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: names[0]},
		NotBefore:   now.Add(-time.Hour),
		NotAfter:    now.Add(90 * 24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if p.AIAURL != "" {
		tmpl.IssuingCertificateURL = []string{p.AIAURL}
	}
	if kind == LeafWrongName {
		names = []string{"wrong.example"}
		tmpl.Subject.CommonName = names[0]
	}
	for _, n := range names {
		if kind == LeafCNOnly {
			break
		}
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	switch kind {
	case LeafExpired:
		tmpl.NotBefore, tmpl.NotAfter = now.Add(-30*24*time.Hour), now.Add(-24*time.Hour)
	case LeafNotYetValid:
		tmpl.NotBefore, tmpl.NotAfter = now.Add(24*time.Hour), now.Add(30*24*time.Hour)
	}
	key := newKey(t)
	var chain []*x509.Certificate
	switch kind {
	case LeafSelfSigned:
		chain = []*x509.Certificate{sign(t, tmpl, nil, nil, key)}
	case LeafOnly:
		chain = []*x509.Certificate{sign(t, tmpl, p.Intermediate, p.intermediateKey, key)}
	case LeafUnknownCA:
		other := NewPKI(t)
		chain = []*x509.Certificate{sign(t, tmpl, other.Intermediate, other.intermediateKey, key), other.Intermediate}
	default:
		chain = []*x509.Certificate{sign(t, tmpl, p.Intermediate, p.intermediateKey, key), p.Intermediate}
	}
	l := &Leaf{Chain: chain, TLS: tls.Certificate{PrivateKey: key, Leaf: chain[0]}}
	for _, c := range chain {
		l.TLS.Certificate = append(l.TLS.Certificate, c.Raw)
	}
	_, id := nextID()
	l.CertFile = filepath.Join(p.dir, "leaf"+strconv.Itoa(id)+".pem")
	l.KeyFile = filepath.Join(p.dir, "leaf"+strconv.Itoa(id)+".key")
	var certPEM []byte
	for _, c := range chain {
		certPEM = append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	if err := os.WriteFile(l.CertFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, l.KeyFile, "PRIVATE KEY", der)
	return l
}

// ServerConfig returns a tls.Config serving leaf.
func (l *Leaf) ServerConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{l.TLS}, MinVersion: tls.VersionTLS12}
}

var serial = big.NewInt(1000)

func newKey(t testing.TB) crypto.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// sign creates tmpl signed by parent/parentKey, or self-signed when parent
// is nil, for the public half of key.
func sign(t testing.TB, tmpl, parent *x509.Certificate, parentKey, key crypto.Signer) *x509.Certificate {
	t.Helper()
	nsMu.Lock()
	serial.Add(serial, big.NewInt(1))
	tmpl.SerialNumber = new(big.Int).Set(serial)
	nsMu.Unlock()
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatalf("creating certificate %s: %v", tmpl.Subject.CommonName, err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writePEM(t testing.TB, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}
