package pcap

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/pathproof/pathproof/internal/pcap/synth"
	"github.com/pathproof/pathproof/internal/testenv"
)

var (
	client = netip.MustParseAddr("10.0.0.1")
	server = netip.MustParseAddr("10.0.0.2")
	cli    = netip.AddrPortFrom(client, 40000)
	srv    = netip.AddrPortFrom(server, 443)
	t0     = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
)

// build writes a capture with fn and analyses it.
func build(t *testing.T, fn func(c *synth.Capture) error) *Report {
	t.Helper()
	var b bytes.Buffer
	c, err := synth.New(&b, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := fn(c); err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(&b, Options{File: "synth"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestConnections checks state, history and findings for connections
// written packet by packet.
func TestConnections(t *testing.T) {
	cases := []struct {
		name    string
		write   func(c *synth.Capture) error
		conns   int
		state   string
		history string
		codes   []string
	}{
		{"syn never answered", func(c *synth.Capture) error { return c.NewConn(cli, srv, time.Millisecond).Unanswered(3) }, 1, "S0", "S", []string{CodeNoResponse}},
		{"refused", func(c *synth.Capture) error { return c.NewConn(cli, srv, time.Millisecond).Refused() }, 1, "REJ", "Sr", []string{CodeRejected}},
		{"clean close", func(c *synth.Capture) error {
			k := c.NewConn(cli, srv, time.Millisecond)
			return run(k.Handshake, func() error { return k.ClientSend([]byte("hello")) }, k.Close)
		}, 1, "SF", "ShADaFf", nil},
		{"reset by server after data", func(c *synth.Capture) error {
			k := c.NewConn(cli, srv, time.Millisecond)
			return run(k.Handshake, func() error { return k.ClientSend([]byte("hello")) }, k.Reset)
		}, 1, "RSTR", "ShADar", []string{CodeReset}},
		{"established, still open", func(c *synth.Capture) error { return c.NewConn(cli, srv, time.Millisecond).Handshake() }, 1, "S1", "ShA", nil},
		{"retransmission", func(c *synth.Capture) error {
			k := c.NewConn(cli, srv, time.Millisecond)
			b := []byte("response body")
			return run(k.Handshake, func() error { return k.ServerSend(b) }, func() error { return k.Retransmit(b) }, k.Close)
		}, 1, "SF", "ShAdtFf", []string{CodeRetransmissions}},
		{"two attempts on one 4-tuple", func(c *synth.Capture) error {
			if err := c.NewConn(cli, srv, time.Millisecond).Refused(); err != nil {
				return err
			}
			k := c.NewConn(cli, srv, time.Millisecond)
			return run(k.Handshake, k.Close)
		}, 2, "", "", []string{CodeRejected}},
		{"missing syn", func(c *synth.Capture) error {
			if err := c.TCP(time.Second, srv, cli, synth.SYN|synth.ACK, 5000, 1001, nil, 1460); err != nil {
				return err
			}
			return c.TCP(time.Millisecond, cli, srv, synth.ACK, 1001, 5001, nil, 0)
		}, 1, "OTH", "^hA", []string{CodeMissingSYN}},
		{"zero window", func(c *synth.Capture) error {
			k := c.NewConn(cli, srv, time.Millisecond)
			if err := k.Handshake(); err != nil {
				return err
			}
			return c.TCPWindow(time.Millisecond, cli, srv, synth.ACK, 1001, 5001, 0)
		}, 1, "S1", "ShAW", []string{CodeZeroWindow}},
		{"frame captured twice", func(c *synth.Capture) error {
			k := c.NewConn(cli, srv, time.Millisecond)
			if err := k.Handshake(); err != nil {
				return err
			}
			// The same segment written twice: the second copy repeats
			// the IP ID only when it is the same frame, so write it
			// through the raw writer twice with one ID.
			return c.Twice(10*time.Microsecond, cli, srv, synth.PSH|synth.ACK, 1001, 5001, []byte("data"))
		}, 1, "S1", "ShAD", []string{CodeDuplicates}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := build(t, tc.write)
			if len(r.Connections) != tc.conns {
				t.Fatalf("want %d connections, got %d: %+v", tc.conns, len(r.Connections), r.Connections)
			}
			got := codesOf(r)
			for _, c := range tc.codes {
				if got[c] == 0 {
					t.Errorf("want %s, got %v", c, got)
				}
			}
			if tc.codes == nil && len(got) > 0 {
				t.Errorf("want no findings, got %v", got)
			}
			if tc.state == "" {
				return
			}
			c := r.Connections[0]
			if c.State != tc.state || c.History != tc.history {
				t.Errorf("got state %s history %s, want %s %s", c.State, c.History, tc.state, tc.history)
			}
			if c.Client != cli.String() || c.Server != srv.String() {
				t.Errorf("got %s -> %s", c.Client, c.Server)
			}
		})
	}
}

func run(steps ...func() error) error {
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

// TestFragments ties every fragment of a datagram to its connection.
func TestFragments(t *testing.T) {
	dst := netip.AddrPortFrom(server, 4789)
	r := build(t, func(c *synth.Capture) error {
		return c.FragmentedUDP(time.Microsecond, cli, dst, make([]byte, 3000), 1480)
	})
	if len(r.Connections) != 1 || len(r.Skipped) != 0 {
		t.Fatalf("got %d connections, skipped %v", len(r.Connections), r.Skipped)
	}
	c := r.Connections[0]
	if c.Packets != 3 || c.Fragments != 3 || c.Server != dst.String() || !hasFinding(&c, CodeFragmented, "3 IP fragments") {
		t.Errorf("got %d packets, %d fragments, %s, %+v", c.Packets, c.Fragments, c.Server, c.Findings)
	}
}

// TestRTT checks the handshake RTT (SYN to the ACK of the SYN-ACK).
func TestRTT(t *testing.T) {
	r := build(t, func(c *synth.Capture) error { return c.NewConn(cli, srv, 20*time.Millisecond).Handshake() })
	c := r.Connections[0]
	if c.RTTMs == nil || *c.RTTMs != 20.05 {
		t.Errorf("rtt = %v, want 20.05 ms", c.RTTMs)
	}
}

// TestDNS checks NXDOMAIN, SERVFAIL and the privatelink trap.
func TestDNS(t *testing.T) {
	dns := netip.AddrPortFrom(netip.MustParseAddr("168.63.129.16"), 53)
	cases := []struct {
		name    string
		rcode   layers.DNSResponseCode
		answers []string
		code    string
	}{
		{"nxdomain", layers.DNSResponseCodeNXDomain, nil, CodeNXDomain},
		{"servfail", layers.DNSResponseCodeServFail, nil, CodeServFail},
		{"privatelink to public", layers.DNSResponseCodeNoErr, []string{"acct.privatelink.blob.core.windows.net", "20.60.1.2"}, CodePrivateLinkPub},
		{"privatelink to private", layers.DNSResponseCodeNoErr, []string{"acct.privatelink.blob.core.windows.net", "10.1.2.3"}, ""},
		{"public name to public", layers.DNSResponseCodeNoErr, []string{"20.60.1.2"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := build(t, func(c *synth.Capture) error {
				return c.DNS(netip.AddrPortFrom(client, 5353), dns, 7, "acct.blob.core.windows.net", tc.rcode, tc.answers...)
			})
			c := r.Connections[0]
			if c.Server != dns.String() || len(c.DNS) != 1 || c.DNS[0].Query != "acct.blob.core.windows.net" || c.State != "SF" {
				t.Fatalf("got %+v", c)
			}
			got := codesOf(r)
			if tc.code != "" && got[tc.code] != 1 {
				t.Errorf("want %s, got %v", tc.code, got)
			}
			if tc.code == "" && len(got) != 0 {
				t.Errorf("want no findings, got %v", got)
			}
		})
	}
}

// TestDemoGolden pins the whole JSON report of the demo capture.
func TestDemoGolden(t *testing.T) {
	var b bytes.Buffer
	if err := synth.Demo(&b); err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(&b, Options{File: "demo.pcap"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "demo.golden.json")
	testenv.Golden(t, path, got)
}

// TestTruncatedEverywhere cuts the demo capture at many lengths: reading
// never panics, a cut inside a record is reported with the index and offset
// of that record, and a cut at a record boundary is a clean end.
func TestTruncatedEverywhere(t *testing.T) {
	var b bytes.Buffer
	if err := synth.Demo(&b); err != nil {
		t.Fatal(err)
	}
	full := b.Bytes()
	whole, err := Analyze(bytes.NewReader(full), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Record boundaries of a pcap file: 24-byte header, then 16 + caplen.
	bounds := map[int]int{24: 0}
	for off, i := 24, 0; off < len(full); i++ {
		n := int(uint32(full[off+8]) | uint32(full[off+9])<<8 | uint32(full[off+10])<<16 | uint32(full[off+11])<<24)
		off += 16 + n
		bounds[off] = i + 1
	}
	// Every length in the first records, then around every boundary.
	var cuts []int
	for n := 0; n < min(len(full), 400); n++ {
		cuts = append(cuts, n)
	}
	for off := range bounds {
		for d := -3; d <= 3; d++ {
			if n := off + d; n >= 400 && n < len(full) {
				cuts = append(cuts, n)
			}
		}
	}
	for _, n := range cuts {
		r, err := Analyze(bytes.NewReader(full[:n]), Options{})
		if n < 24 {
			if err == nil {
				t.Fatalf("cut at %d: want a header error", n)
			}
			continue
		}
		if err != nil {
			t.Fatalf("cut at %d: %v", n, err)
		}
		if idx, ok := bounds[n]; ok {
			if r.ReadError != nil || r.Packets != idx {
				t.Fatalf("cut at record boundary %d: read error %v, %d packets, want %d", n, r.ReadError, r.Packets, idx)
			}
			continue
		}
		if r.ReadError == nil || int64(r.ReadError.Offset) > int64(n) || r.ReadError.Packet != r.Packets || !r.Partial() {
			t.Fatalf("cut at %d: read error %+v after %d packets", n, r.ReadError, r.Packets)
		}
	}
	if whole.Packets != 42 {
		t.Errorf("demo has %d packets, want 42", whole.Packets)
	}
}

// TestNotACapture rejects input that is neither pcap nor pcapng.
func TestNotACapture(t *testing.T) {
	for _, in := range []string{"", "abc", "hello, world: not a capture at all"} {
		if _, err := Analyze(strings.NewReader(in), Options{}); err == nil {
			t.Errorf("%q: want an error", in)
		}
	}
}
