// Package lab starts small, deliberately broken servers on loopback for
// the probe and monitor demos: an open port, a port that resets, a TLS
// server that sends its leaf without the intermediate, an HTTP server
// answering 503 and a DNS server that answers a private-link name with a
// public address and everything else with NXDOMAIN. Nothing listens
// beyond 127.0.0.1.
package lab

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/miekg/dns"
)

// PrivateLinkName is answered with PublicAddress by the lab's resolver,
// through a CNAME into privatelink.blob.core.windows.net, as a resolver
// without the private DNS zone would.
// MultiName resolves to 127.0.0.1 and 127.0.0.2; the open port listens
// on the first only, so probing each address is partly reachable.
const (
	PrivateLinkName = "pathproofdemo.blob.core.windows.net"
	PublicAddress   = "20.60.40.4"
	MultiName       = "app.pathproofdemo.test"
)

// Lab is a set of running servers.
type Lab struct {
	// OpenPort accepts and closes; ResetPort has no listener (RST).
	OpenPort, ResetPort int
	// LeafOnlyPort serves TLS with an incomplete chain; HTTP503Port
	// serves HTTP 503.
	LeafOnlyPort, HTTP503Port int
	// Resolver is the DNS server's "127.0.0.1:PORT".
	Resolver string
	// CAFile is the PEM root that would verify the leaf-only server if
	// it sent its intermediate.
	CAFile  string
	dir     string
	closers []func()
}

// Start starts every server. Close stops them and removes the files.
func Start() (_ *Lab, err error) {
	l := &Lab{}
	defer func() {
		if err != nil {
			l.Close()
		}
	}()
	if l.dir, err = os.MkdirTemp("", "pathproof-lab-"); err != nil {
		return nil, err
	}
	open, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	l.closers = append(l.closers, func() { open.Close() })
	go func() {
		for {
			c, err := open.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	l.OpenPort = open.Addr().(*net.TCPAddr).Port
	reset, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	l.ResetPort = reset.Addr().(*net.TCPAddr).Port
	reset.Close()

	h503, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s503 := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Server", "demo-gateway")
		http.Error(w, "backend pool has no healthy instance", http.StatusServiceUnavailable)
	})}
	go func() { _ = s503.Serve(h503) }()
	l.closers = append(l.closers, func() { _ = s503.Shutdown(context.Background()) })
	l.HTTP503Port = h503.Addr().(*net.TCPAddr).Port

	leaf, err := l.leafOnlyCert()
	if err != nil {
		return nil, fmt.Errorf("lab certificates: %w", err)
	}
	tl, err := tls.Listen("tcp4", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12})
	if err != nil {
		return nil, err
	}
	stls := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) }),
		ErrorLog: log.New(io.Discard, "", 0)} // the demo's aborted handshakes are expected
	go func() { _ = stls.Serve(tl) }()
	l.closers = append(l.closers, func() { _ = stls.Shutdown(context.Background()) })
	l.LeafOnlyPort = tl.Addr().(*net.TCPAddr).Port

	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ds := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(answer)}
	go func() { _ = ds.ActivateAndServe() }()
	l.closers = append(l.closers, func() { _ = ds.Shutdown() })
	l.Resolver = pc.LocalAddr().String()
	return l, nil
}

// answer is the lab resolver: the private-link name gets a public
// address, MultiName two loopback addresses, everything else NXDOMAIN.
func answer(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	if len(r.Question) == 1 && r.Question[0].Name == dns.Fqdn(PrivateLinkName) {
		alias := "pathproofdemo.privatelink.blob.core.windows.net."
		cn, _ := dns.NewRR(dns.Fqdn(PrivateLinkName) + " 60 IN CNAME " + alias)
		m.Answer = append(m.Answer, cn)
		if r.Question[0].Qtype == dns.TypeA {
			a, _ := dns.NewRR(alias + " 60 IN A " + PublicAddress)
			m.Answer = append(m.Answer, a)
		}
	} else if len(r.Question) == 1 && r.Question[0].Name == dns.Fqdn(MultiName) {
		if r.Question[0].Qtype == dns.TypeA {
			for _, ip := range []string{"127.0.0.1", "127.0.0.2"} {
				a, _ := dns.NewRR(dns.Fqdn(MultiName) + " 60 IN A " + ip)
				m.Answer = append(m.Answer, a)
			}
		}
	} else {
		m.Rcode = dns.RcodeNameError
	}
	_ = w.WriteMsg(m)
}

// Close stops every server and removes the lab's files.
func (l *Lab) Close() {
	for i := len(l.closers) - 1; i >= 0; i-- {
		l.closers[i]()
	}
	l.closers = nil
	if l.dir != "" {
		_ = os.RemoveAll(l.dir)
	}
}

// leafOnlyCert makes a root, an intermediate and a leaf for localhost /
// 127.0.0.1, writes the root to CAFile and returns the leaf without its
// intermediate: the classic incomplete chain.
func (l *Lab) leafOnlyCert() (tls.Certificate, error) {
	now := time.Now()
	mk := func(tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey, error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		if parent == nil {
			parent, parentKey = tmpl, key
		}
		tmpl.SerialNumber, _ = rand.Int(rand.Reader, big.NewInt(1<<62))
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
		if err != nil {
			return nil, nil, err
		}
		c, err := x509.ParseCertificate(der)
		return c, key, err
	}
	ca := func(cn string) *x509.Certificate {
		return &x509.Certificate{Subject: pkix.Name{CommonName: cn, Organization: []string{"pathproof demo"}}, NotBefore: now.Add(-time.Hour),
			NotAfter: now.Add(30 * 24 * time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	}
	root, rootKey, err := mk(ca("pathproof demo root"), nil, nil)
	if err != nil {
		return tls.Certificate{}, err
	}
	inter, interKey, err := mk(ca("pathproof demo intermediate"), root, rootKey)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, leafKey, err := mk(&x509.Certificate{Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(7 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, inter, interKey)
	if err != nil {
		return tls.Certificate{}, err
	}
	l.CAFile = filepath.Join(l.dir, "demo-root.pem")
	if err := os.WriteFile(l.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw}), 0o600); err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: leafKey, Leaf: leaf}, nil
}
