package pcap

import (
	"bytes"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/pathproof/pathproof/internal/pcap/synth"
)

func demoBytes(tb testing.TB) []byte {
	var b bytes.Buffer
	if err := synth.Demo(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// pcapngMinimal is a section header, one Ethernet interface and one
// enhanced packet block holding a 14-byte Ethernet header (ARP type).
var pcapngMinimal = []byte{
	0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0,
	1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0, 0, 20, 0, 0, 0,
	6, 0, 0, 0, 48, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 0, 0, 0, 14, 0, 0, 0,
	1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 0x08, 0x06, 0, 0, 48, 0, 0, 0,
}

// FuzzAnalyze runs the whole reader and analysis on arbitrary files: no
// panic, and every packet read is either in a connection or accounted for.
func FuzzAnalyze(f *testing.F) {
	demo := demoBytes(f)
	f.Add(demo)
	f.Add(demo[:200])
	f.Add(pcapngMinimal)
	f.Add([]byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Analyze(bytes.NewReader(data), Options{})
		if err != nil {
			return
		}
		n := 0
		for _, c := range r.Connections {
			n += c.Packets
		}
		for _, s := range r.Skipped {
			n += s
		}
		if n > r.Packets {
			t.Fatalf("%d packets accounted for, %d read", n, r.Packets)
		}
	})
}

// FuzzDecode decodes arbitrary frames under every supported link type.
func FuzzDecode(f *testing.F) {
	demo := demoBytes(f)
	f.Add(demo[40:140], uint8(0))
	f.Add([]byte{0x45, 0, 0, 20, 0, 0, 0x20, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}, uint8(4))
	f.Add([]byte{0x60, 0, 0, 0, 0, 8, 44, 64}, uint8(4))
	f.Add([]byte{0, 0, 0, 0x88, 0xa8, 0, 1, 0x81, 0, 0, 2, 0x08, 0}, uint8(1))
	links := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2, layers.LinkTypeNull, layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, 147}
	d := newDecoder()
	f.Fuzz(func(t *testing.T, frame []byte, link uint8) {
		var p pkt
		d.decode(links[int(link)%len(links)], frame, &p)
		if len(p.payload) > len(frame) {
			t.Fatalf("payload longer than the frame")
		}
	})
}

// FuzzQuoted parses arbitrary ICMP error quotes.
func FuzzQuoted(f *testing.F) {
	f.Add([]byte{0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0, 53, 0x9c, 0x40})
	f.Add(append([]byte{0x60, 0, 0, 0, 0, 8, 17, 64}, make([]byte, 40)...))
	f.Fuzz(func(t *testing.T, b []byte) { quoted(b) })
}

// FuzzHTTP feeds arbitrary chunks to the HTTP line reader.
func FuzzHTTP(f *testing.F) {
	f.Add([]byte("GET /x HTTP/1.1\r\nHost: a\r\n\r\n"), []byte("HTTP/1.1 503 Service Unavailable\r\n\r\n"))
	f.Add([]byte("HEAD / HTTP/1.0\n"), []byte("HTTP/1.0 99999999999999999999 x"))
	f.Fuzz(func(t *testing.T, req, resp []byte) {
		c := &conn{}
		for i := 0; i < 40; i++ {
			c.httpChunk(0, req)
			c.httpChunk(1, resp)
		}
		if len(c.http) > maxExchanges {
			t.Fatalf("%d exchanges kept", len(c.http))
		}
	})
}

// FuzzDNS feeds arbitrary UDP payloads to the DNS reader.
func FuzzDNS(f *testing.F) {
	f.Add([]byte{0x1a, 0x2b, 0x81, 0x83, 0, 1, 0, 0, 0, 0, 0, 0, 2, 'n', 'o', 0, 0, 1, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		c := &conn{}
		var d layers.DNS
		for i := 0; i < 40; i++ {
			c.dnsMessage(&d, b)
		}
		if len(c.dns) > maxExchanges {
			t.Fatalf("%d exchanges kept", len(c.dns))
		}
		for _, ex := range c.dns {
			privateLinkPublic(ex)
		}
	})
}

// FuzzStream pushes arbitrary segments through the reassembler: the bytes
// delivered never exceed what was pushed and pending data stays capped.
func FuzzStream(f *testing.F) {
	f.Add([]byte{0, 0, 0, 5, 'a', 'b', 0, 0, 0, 1, 'c', 'd', 'e'})
	f.Fuzz(func(t *testing.T, b []byte) {
		c := &conn{}
		c.d[0].app = appHTTP
		c.now = time.Time{}
		var s stream
		for len(b) >= 5 {
			seq := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
			n := min(int(b[4]), len(b)-5)
			s.push(seq, b[5:5+n], false, c, 0)
			b = b[5+n:]
			if s.held > maxPendingBytes || len(s.pending) > maxPending {
				t.Fatalf("pending %d bytes in %d segments", s.held, len(s.pending))
			}
		}
	})
}
