package tlsparse

import (
	"bytes"
	"crypto/x509"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/testenv"
)

func record(typ byte, body []byte) []byte {
	return append([]byte{typ, 3, 3, byte(len(body) >> 8), byte(len(body))}, body...)
}

func handshake(typ byte, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

func u24(n int) []byte { return []byte{byte(n >> 16), byte(n >> 8), byte(n)} }

func certificateMsg(chain []*x509.Certificate) []byte {
	var list []byte
	for _, c := range chain {
		list = append(list, u24(len(c.Raw))...)
		list = append(list, c.Raw...)
	}
	return handshake(hsCertificate, append(u24(len(list)), list...))
}

func clientHello(sni string) []byte {
	b := append([]byte{3, 3}, make([]byte, 32)...)
	b = append(b, 0, 0, 2, 0xc0, 0x2f, 1, 0)
	name := []byte(sni)
	e := []byte{byte((len(name) + 3) >> 8), byte(len(name) + 3), 0, byte(len(name) >> 8), byte(len(name))}
	e = append(e, name...)
	ext := append([]byte{0, 0, byte(len(e) >> 8), byte(len(e))}, e...)
	// supported_versions: TLS 1.3, TLS 1.2
	ext = append(ext, 0, 43, 0, 5, 4, 3, 4, 3, 3)
	b = append(b, byte(len(ext)>>8), byte(len(ext)))
	return handshake(hsClientHello, append(b, ext...))
}

func serverHello(version uint16) []byte {
	b := append([]byte{3, 3}, make([]byte, 32)...)
	b = append(b, 0, 0xc0, 0x2f, 0)
	if version == 0x0304 {
		b = append(b, 0, 6, 0, 43, 0, 2, 3, 4)
	}
	return handshake(hsServerHello, b)
}

// splitRecords re-frames a handshake byte stream into records of n bytes.
func splitRecords(hs []byte, n int) []byte {
	var out []byte
	for len(hs) > 0 {
		k := min(n, len(hs))
		out = append(out, record(ctHandshake, hs[:k])...)
		hs = hs[k:]
	}
	return out
}

// TestReassembly feeds a server flight whose handshake messages are split
// across records of every size from 1 byte, delivered in TCP chunks of
// several sizes: the certificate chain must come out the same each time.
func TestReassembly(t *testing.T) {
	pki := testenv.NewPKI(t)
	leaf := pki.Leaf(t, testenv.LeafOnly, "svc.example")
	hs := append(serverHello(0x0303), certificateMsg(leaf.Chain)...)
	hs = append(hs, handshake(hsServerHelloDone, nil)...)
	for _, recSize := range []int{1, 2, 3, 5, 100, 16384} {
		stream := splitRecords(hs, recSize)
		for _, seg := range []int{1, 7, 1448, len(stream)} {
			var c Conn
			c.Feed(false, record(ctHandshake, clientHello("svc.example")), time.Now())
			for b := stream; len(b) > 0; {
				k := min(seg, len(b))
				c.Feed(true, b[:k], time.Now())
				b = b[k:]
			}
			i := c.Info
			if i.SNI != "svc.example" || i.Version != "TLS 1.2" || len(i.Certificates) != 1 || len(i.Problems) != 1 || i.Problems[0].Code != "tls.incomplete-chain" {
				t.Fatalf("records of %d, segments of %d: got %+v", recSize, seg, i)
			}
			if len(i.OfferedVersions) != 2 || i.OfferedVersions[0] != "TLS 1.3" {
				t.Fatalf("offered versions %v", i.OfferedVersions)
			}
		}
	}
}

// TestTLS13 says certificates are encrypted instead of guessing.
func TestTLS13(t *testing.T) {
	var c Conn
	c.Feed(false, record(ctHandshake, clientHello("x.example")), time.Now())
	c.Feed(true, record(ctHandshake, serverHello(0x0304)), time.Now())
	c.Feed(true, record(ctApplicationData, bytes.Repeat([]byte{0xAA}, 300)), time.Now())
	if !c.Info.CertificatesEncrypted || c.Info.Version != "TLS 1.3" || len(c.Info.Certificates) != 0 {
		t.Errorf("got %+v", c.Info)
	}
}

// TestAlerts distinguishes clear-text alerts from encrypted ones.
func TestAlerts(t *testing.T) {
	var c Conn
	c.Feed(false, record(ctHandshake, clientHello("x.example")), time.Now())
	c.Feed(true, record(ctAlert, []byte{2, 40}), time.Now())
	c.Feed(false, record(ctChangeCipherSpec, []byte{1}), time.Now())
	c.Feed(false, record(ctAlert, []byte{0x17, 0x99, 0x10, 0x20}), time.Now())
	a := c.Info.Alerts
	if len(a) != 2 || a[0].From != "server" || a[0].Level != "fatal" || a[0].Description != "handshake_failure" || !a[1].Encrypted || a[1].From != "client" {
		t.Errorf("got %+v", a)
	}
}

// TestNotTLS stops on a stream that is not TLS.
func TestNotTLS(t *testing.T) {
	var c Conn
	c.Feed(false, []byte("GET / HTTP/1.1\r\n\r\n"), time.Now())
	c.Feed(true, []byte("HTTP/1.1 200 OK\r\n\r\n"), time.Now())
	if !c.Done() || c.Info.ClientHelloSeen() {
		t.Errorf("done=%v info %+v", c.Done(), c.Info)
	}
}

// FuzzFeed feeds arbitrary bytes to both directions: no panic, and the
// lists stay within their caps.
func FuzzFeed(f *testing.F) {
	f.Add(record(ctHandshake, clientHello("a.example")), record(ctHandshake, serverHello(0x0303)), uint8(3))
	f.Add(record(ctHandshake, clientHello("b")), append(record(ctHandshake, serverHello(0x0304)), record(ctAlert, []byte{2, 48})...), uint8(1))
	f.Add([]byte{22, 3, 3, 0, 4, 11, 0, 0, 9}, []byte{22, 3, 1, 0xff, 0xff}, uint8(2))
	f.Add(splitRecords(handshake(hsCertificate, append(u24(6), append(u24(3), 1, 2, 3)...)), 2), []byte{21, 3, 3, 0, 2, 1, 112}, uint8(5))
	f.Fuzz(func(t *testing.T, client, server []byte, chunk uint8) {
		var c Conn
		n := int(chunk%16) + 1
		for len(client) > 0 || len(server) > 0 {
			k := min(n, len(client))
			c.Feed(false, client[:k], time.Time{})
			client = client[k:]
			k = min(n, len(server))
			c.Feed(true, server[:k], time.Time{})
			server = server[k:]
		}
		if len(c.Info.Alerts) > maxAlerts || len(c.Info.Certificates) > maxCerts || len(c.Info.Notes) > maxNotes {
			t.Fatalf("caps exceeded: %+v", c.Info)
		}
	})
}
