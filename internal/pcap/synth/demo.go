package synth

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// DemoStart is the demo capture's first timestamp.
var DemoStart = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// Demo writes the demo capture: a client in 10.1.0.4 talking to services
// that fail in the ways the field sees most often.
//
//   - 10.2.0.5:1433: SYN sent three times, never answered (an NSG drops it)
//   - 10.2.0.6:8080: refused with a RST (nothing listens)
//   - 10.2.0.7:443: TLS with the leaf certificate only (no intermediate)
//   - DNS: mystore.blob.core.windows.net -> privatelink CNAME -> public IP
//   - 10.2.0.8:80: HTTP GET answered 503, with one retransmission
//   - 10.2.0.9:443: a clean TLS connection with the full chain
func Demo(w io.Writer) error {
	c, err := New(w, DemoStart)
	if err != nil {
		return err
	}
	chain, err := demoChain()
	if err != nil {
		return err
	}
	client := netip.MustParseAddr("10.1.0.4")
	cp := func(p uint16) netip.AddrPort { return netip.AddrPortFrom(client, p) }
	srv := func(a string, p uint16) netip.AddrPort { return netip.AddrPortFrom(netip.MustParseAddr(a), p) }
	rtt := 2 * time.Millisecond
	steps := []func() error{
		func() error {
			return c.DNS(cp(53001), srv("168.63.129.16", 53), 0x1a2b, "mystore.blob.core.windows.net", layers.DNSResponseCodeNoErr,
				"mystore.privatelink.blob.core.windows.net", "blob.ams07prdstr02a.store.core.windows.net", "20.60.222.68")
		},
		func() error {
			return c.DNS(cp(53002), srv("168.63.129.16", 53), 0x1a2c, "db.internal.contoso.com", layers.DNSResponseCodeNXDomain)
		},
		func() error { return c.NewConn(cp(50001), srv("10.2.0.5", 1433), rtt).Unanswered(3) },
		func() error { return c.NewConn(cp(50002), srv("10.2.0.6", 8080), rtt).Refused() },
		func() error {
			k := c.NewConn(cp(50003), srv("10.2.0.7", 443), rtt)
			return run(k.Handshake,
				func() error { return k.ClientSend(Record(22, ClientHello("api.contoso.com", "h2", "http/1.1"))) },
				func() error {
					return k.ServerSend(Record(22, append(append(ServerHello(), Certificate(chain[0])...), ServerHelloDone()...)))
				},
				func() error { return k.ClientSend(Record(21, Alert(2, 48))) },
				k.Close)
		},
		func() error {
			k := c.NewConn(cp(50004), srv("10.2.0.8", 80), rtt)
			body := []byte("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
			return run(k.Handshake,
				func() error { return k.ClientSend([]byte("GET /health HTTP/1.1\r\nHost: app.contoso.com\r\n\r\n")) },
				func() error { return k.ServerSend(body) },
				func() error { return k.Retransmit(body) },
				k.Close)
		},
		func() error {
			k := c.NewConn(cp(50005), srv("10.2.0.9", 443), rtt)
			return run(k.Handshake,
				func() error { return k.ClientSend(Record(22, ClientHello("api.contoso.com"))) },
				func() error {
					return k.ServerSend(Record(22, append(append(ServerHello(), Certificate(chain[0], chain[1])...), ServerHelloDone()...)))
				},
				k.Close)
		},
	}
	return run(steps...)
}

func run(steps ...func() error) error {
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

// demoChain returns a leaf for api.contoso.com and the intermediate that
// issued it (DER), signed by a root that is not returned. Ed25519 keys from
// fixed seeds and fixed serials make the certificates, and so the demo
// capture, the same on every run.
func demoChain() ([][]byte, error) {
	nb, na := DemoStart.AddDate(0, -1, 0), DemoStart.AddDate(1, 0, 0)
	key := func(b byte) ed25519.PrivateKey {
		return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize))
	}
	rootKey, interKey, leafKey := key(1), key(2), key(3)
	root := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Contoso Demo Root CA"}, NotBefore: nb, NotAfter: na.AddDate(5, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	inter := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Contoso Demo Issuing CA 01"}, NotBefore: nb, NotAfter: na.AddDate(2, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	interDER, err := x509.CreateCertificate(rand.Reader, inter, root, interKey.Public(), rootKey)
	if err != nil {
		return nil, fmt.Errorf("synth: intermediate: %w", err)
	}
	interCert, err := x509.ParseCertificate(interDER)
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "api.contoso.com"}, DNSNames: []string{"api.contoso.com"},
		NotBefore: nb, NotAfter: na, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, interCert, leafKey.Public(), interKey)
	if err != nil {
		return nil, fmt.Errorf("synth: leaf: %w", err)
	}
	return [][]byte{leafDER, interDER}, nil
}
