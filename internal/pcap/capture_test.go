package pcap

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/tlscheck"
)

// TestRealTraffic builds two network namespaces joined by a veth pair,
// runs real servers in one (TLS with broken chains, a closed port, a port
// dropped by nftables, a DNS server, an HTTP server answering 503), real
// clients in the other, captures with tcpdump on the client side, and
// checks the diagnosis, with tshark as the oracle for packet counts.
func TestRealTraffic(t *testing.T) {
	testenv.RequireNetns(t)
	testenv.RequireTool(t, "nft")
	testenv.RequireTool(t, "tshark")
	cl, sv := testenv.NewNetns(t), testenv.NewNetns(t)
	v := testenv.Connect(t, cl, sv)
	srvIP := v.AddrB.String()
	capture := testenv.StartCapture(t, cl, v.IfA, "ip")

	pki := testenv.NewPKI(t)
	tlsPorts := []struct {
		port int
		kind testenv.LeafKind
		code string
	}{
		{8441, testenv.LeafSelfSigned, tlscheck.CodeSelfSigned},
		{8442, testenv.LeafOnly, tlscheck.CodeIncompleteChain},
		{8443, testenv.LeafExpired, tlscheck.CodeExpired},
		{8444, testenv.LeafWrongName, tlscheck.CodeNameMismatch},
	}
	for _, p := range tlsPorts {
		leaf := pki.Leaf(t, p.kind, "svc.test")
		l := tls.NewListener(sv.Listen(t, "tcp4", fmt.Sprintf("%s:%d", srvIP, p.port)), leaf.ServerConfig())
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					_ = c.SetDeadline(time.Now().Add(5 * time.Second))
					_ = c.(*tls.Conn).Handshake()
					_, _ = io.Copy(io.Discard, c)
				}()
			}
		}()
	}
	// 8445 is silently dropped; 9 has no listener (the kernel resets).
	// The capture markers go to UDP markerPort, dropped without an answer.
	sv.Run(t, "nft", "add", "table", "inet", "pp")
	sv.Run(t, "nft", "add", "chain", "inet", "pp", "in", "{ type filter hook input priority 0 ; }")
	sv.Run(t, "nft", "add", "rule", "inet", "pp", "in", "tcp", "dport", "8445", "drop")
	sv.Run(t, "nft", "add", "rule", "inet", "pp", "in", "udp", "dport", strconv.Itoa(markerPort), "drop")
	// HTTP 503.
	hl := sv.Listen(t, "tcp4", srvIP+":8080")
	go func() {
		_ = http.Serve(hl, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "backend pool empty", http.StatusServiceUnavailable)
		}))
	}()
	// DNS: NXDOMAIN, and a privatelink name answered with a public address.
	pc := sv.ListenPacket(t, "udp4", srvIP+":53")
	dnsSrv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		switch q.Question[0].Name {
		case "acct.blob.core.windows.net.":
			cname, _ := dns.NewRR("acct.blob.core.windows.net. 60 IN CNAME acct.privatelink.blob.core.windows.net.")
			a, _ := dns.NewRR("acct.privatelink.blob.core.windows.net. 60 IN A 20.60.1.2")
			m.Answer = []dns.RR{cname, a}
		default:
			m.Rcode = dns.RcodeNameError
		}
		_ = w.WriteMsg(m)
	})}
	go func() { _ = dnsSrv.ActivateAndServe() }()
	t.Cleanup(func() { _ = dnsSrv.Shutdown() })

	dial := func(network, addr string, timeout time.Duration) (net.Conn, error) {
		var c net.Conn
		err := cl.Do(func() error {
			var err error
			c, err = net.DialTimeout(network, addr, timeout)
			return err
		})
		return c, err
	}
	// One socket sends every marker: the markers are one UDP flow.
	mc, err := dial("udp4", fmt.Sprintf("%s:%d", srvIP, markerPort), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	mark := func(m []byte) error { _, err := mc.Write(m); return err }
	capture.Sync(t, mark) // tcpdump sees traffic before the real traffic starts

	// Clients.
	for _, p := range tlsPorts {
		c, err := dial("tcp4", fmt.Sprintf("%s:%d", srvIP, p.port), 5*time.Second)
		if err != nil {
			t.Fatalf("dial %d: %v", p.port, err)
		}
		tc := tls.Client(c, &tls.Config{ServerName: "svc.test", RootCAs: pki.Pool, MaxVersion: tls.VersionTLS12})
		_ = tc.SetDeadline(time.Now().Add(5 * time.Second))
		if err := tc.Handshake(); err == nil {
			t.Errorf("port %d: handshake succeeded, want a certificate error", p.port)
		}
		tc.Close()
	}
	if _, err := dial("tcp4", srvIP+":9", 5*time.Second); err == nil {
		t.Error("closed port accepted")
	}
	if _, err := dial("tcp4", srvIP+":8445", 1500*time.Millisecond); err == nil {
		t.Error("dropped port accepted")
	}
	hc, err := dial("tcp4", srvIP+":8080", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(hc, "GET /health HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(hc), nil)
	if err != nil || resp.StatusCode != 503 {
		t.Fatalf("http: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	hc.Close()
	for _, name := range []string{"nosuch.test.", "acct.blob.core.windows.net."} {
		uc, err := dial("udp4", srvIP+":53", 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		dc := &dns.Conn{Conn: uc}
		m := new(dns.Msg)
		m.SetQuestion(name, dns.TypeA)
		_ = dc.SetDeadline(time.Now().Add(5 * time.Second))
		if err := dc.WriteMsg(m); err != nil {
			t.Fatal(err)
		}
		if _, err := dc.ReadMsg(); err != nil {
			t.Fatal(err)
		}
		dc.Close()
	}
	// Every close handshake has finished on the wire, then a marker
	// proves tcpdump wrote all of it before it stops.
	cl.WaitTCPQuiet(t, 20*time.Second)
	capture.Sync(t, mark)
	capture.Stop(t)

	f, err := os.Open(capture.File)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Analyze(f, Options{File: capture.File})
	if err != nil {
		t.Fatal(err)
	}
	if r.Partial() {
		t.Errorf("partial read: %v %v", r.ReadError, r.Skipped)
	}
	byServer := map[string][]Connection{}
	for _, c := range r.Connections {
		byServer[c.Server] = append(byServer[c.Server], c)
	}
	want := func(port int, code, state string) {
		t.Helper()
		cs := byServer[fmt.Sprintf("%s:%d", srvIP, port)]
		if len(cs) == 0 {
			t.Errorf("port %d: no connection in the capture", port)
			return
		}
		found := false
		for _, c := range cs {
			found = found || hasFinding(&c, code, "")
			if state != "" && c.State != state {
				t.Errorf("port %d: state %s, want %s", port, c.State, state)
			}
		}
		if !found {
			t.Errorf("port %d: want %s, got %+v", port, code, cs[0].Findings)
		}
	}
	for _, p := range tlsPorts {
		want(p.port, p.code, "")
		want(p.port, CodeTLSAlert, "")
	}
	want(9, CodeRejected, "REJ")
	want(8445, CodeNoResponse, "S0")
	want(8080, CodeHTTPServerError, "SF")
	want(53, CodeNXDomain, "SF")
	want(53, CodePrivateLinkPub, "SF")
	if cs := byServer[fmt.Sprintf("%s:%d", srvIP, markerPort)]; len(cs) != 1 || cs[0].Protocol != "udp" {
		t.Errorf("markers: want one UDP flow, got %+v", cs)
	}

	// tshark is the oracle for packets and bytes per connection.
	oracle := tsharkConversations(t, capture.File)
	if len(oracle) != len(r.Connections) {
		t.Errorf("tshark sees %d conversations, pathproof %d connections", len(oracle), len(r.Connections))
	}
	for _, c := range r.Connections {
		k := convKey(c.Protocol, c.Client, c.Server)
		o, ok := oracle[k]
		if !ok {
			t.Errorf("%s: not in tshark's output", k)
			continue
		}
		if o.packets != c.Packets || o.bytes != c.Bytes || o.fromClient != c.FromClient.Packets {
			t.Errorf("%s: tshark %d packets %d bytes (%d from %s), pathproof %d packets %d bytes (%d from client)", k, o.packets, o.bytes, o.fromClient, c.Client, c.Packets, c.Bytes, c.FromClient.Packets)
		}
	}
}

// markerPort receives the capture markers (testenv.Capture.Sync).
const markerPort = 9999

type convCount struct {
	packets, fromClient int
	bytes               int64
}

func convKey(proto, a, b string) string {
	if b < a {
		a, b = b, a
	}
	return proto + " " + a + " " + b
}

// tsharkConversations counts frames and frame bytes per TCP and UDP
// endpoint pair with tshark. fromClient counts frames from the endpoint
// that sent first.
func tsharkConversations(t *testing.T, file string) map[string]*convCount {
	t.Helper()
	out := testenv.Tshark(t, "-r", file, "-T", "fields", "-E", "separator=,",
		"-e", "ip.src", "-e", "ip.dst", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "frame.len")
	m := map[string]*convCount{}
	first := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, ",")
		if len(f) != 7 || f[0] == "" {
			continue
		}
		proto, sp, dp := "tcp", f[2], f[3]
		if sp == "" {
			proto, sp, dp = "udp", f[4], f[5]
		}
		if sp == "" {
			continue
		}
		src := netip.AddrPortFrom(netip.MustParseAddr(f[0]), uint16(atoi(t, sp))).String()
		dst := netip.AddrPortFrom(netip.MustParseAddr(f[1]), uint16(atoi(t, dp))).String()
		k := convKey(proto, src, dst)
		if m[k] == nil {
			m[k] = &convCount{}
			first[k] = src
		}
		m[k].packets++
		m[k].bytes += int64(atoi(t, f[6]))
		if src == first[k] {
			m[k].fromClient++
		}
	}
	return m
}

func atoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("tshark field %q: %v", s, err)
	}
	return n
}
