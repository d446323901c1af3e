package pcap

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/tlscheck"
)

// sharedCase states what ../shared/testdata/pcap/SOURCES.md says a capture
// shows, as facts the diagnosis must contain.
type sharedCase struct {
	file string
	// conns is the expected number of connections (0: not checked).
	conns int
	// codes must each appear on some connection; absent must not appear.
	codes  []string
	absent []string
	// partial is whether the file is damaged (exit 4).
	partial bool
	check   func(t *testing.T, r *Report)
}

func analyzeShared(t *testing.T, file string) *Report {
	t.Helper()
	f, err := os.Open(testenv.Shared(t, "pcap/"+file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Analyze(f, Options{File: file})
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return r
}

func codesOf(r *Report) map[string]int {
	m := map[string]int{}
	for _, c := range r.Connections {
		for _, f := range c.Findings {
			m[f.Code]++
		}
	}
	return m
}

// conn returns the first connection whose server or client contains s.
func connWith(t *testing.T, r *Report, s string) *Connection {
	t.Helper()
	for i := range r.Connections {
		c := &r.Connections[i]
		if strings.Contains(c.Server, s) || strings.Contains(c.Client, s) {
			return c
		}
	}
	t.Fatalf("no connection with %q", s)
	return nil
}

func hasFinding(c *Connection, code, text string) bool {
	for _, f := range c.Findings {
		if f.Code == code && strings.Contains(f.Message, text) {
			return true
		}
	}
	return false
}

var chainProblems = []string{tlscheck.CodeIncompleteChain, tlscheck.CodeSelfSigned, tlscheck.CodeExpired, tlscheck.CodeNameMismatch, tlscheck.CodeWrongOrder}

var sharedCases = []sharedCase{
	{file: "zeek-tls1.2.pcap", conns: 1, absent: chainProblems, check: func(t *testing.T, r *Report) {
		c := r.Connections[0]
		if c.TLS == nil || c.TLS.Version != "TLS 1.2" || len(c.TLS.Certificates) != 3 || !strings.Contains(c.TLS.Certificates[0].Subject, "taleo.net") {
			t.Errorf("want TLS 1.2 with 3 certificates for *.taleo.net, got %+v", c.TLS)
		}
	}},
	{file: "zeek-missing-intermediate.pcap", conns: 3, codes: []string{tlscheck.CodeIncompleteChain}, check: func(t *testing.T, r *Report) {
		n := 0
		for _, c := range r.Connections {
			inc := hasFinding(&c, tlscheck.CodeIncompleteChain, "Starfield Secure Certificate Authority - G2")
			if inc {
				n++
				if !strings.HasPrefix(c.Server, "128.32.169.140:") {
					t.Errorf("incomplete chain reported for %s", c.Server)
				}
			}
		}
		if n != 2 {
			t.Errorf("want 2 connections with the leaf only, got %d", n)
		}
	}},
	{file: "zeek-tls-expired-cert.pcap", conns: 2, codes: []string{tlscheck.CodeExpired}, check: func(t *testing.T, r *Report) {
		for _, c := range r.Connections {
			exp := hasFinding(&c, tlscheck.CodeExpired, "2014-03-04")
			spidh := c.TLS != nil && len(c.TLS.Certificates) > 0 && strings.Contains(c.TLS.Certificates[0].Subject, "spidh.org")
			if exp != spidh {
				t.Errorf("%s: expired=%v, spidh.org leaf=%v", c.Server, exp, spidh)
			}
		}
	}},
	{file: "zeek-tls-1.2-handshake-failure.pcap", conns: 1, codes: []string{CodeTLSAlert}, check: func(t *testing.T, r *Report) {
		c := &r.Connections[0]
		if !hasFinding(c, CodeTLSAlert, "server sent a fatal TLS alert handshake_failure before any ServerHello") {
			t.Errorf("findings: %+v", c.Findings)
		}
	}},
	{file: "zeek-tls-early-alert.pcap", conns: 1, codes: []string{CodeTLSAlert, tlscheck.CodeExpired}, check: func(t *testing.T, r *Report) {
		c := &r.Connections[0]
		if !strings.HasSuffix(c.Server, ":64132") || c.TLS.SNI != "jeffbryner.com" || !hasFinding(c, CodeTLSAlert, "warning TLS alert unrecognized_name") {
			t.Errorf("got %s sni=%q findings %+v", c.Server, c.TLS.SNI, c.Findings)
		}
	}},
	{file: "zeek-certificate-request-failed.pcap", conns: 1, codes: []string{CodeTLSAlert}, check: func(t *testing.T, r *Report) {
		c := &r.Connections[0]
		if !strings.HasPrefix(c.Server, "[") || !strings.HasSuffix(c.Server, "]:3000") || !c.TLS.ClientCertificateRequested || !hasFinding(c, CodeTLSAlert, "server sent a fatal TLS alert handshake_failure") {
			t.Errorf("got %s tls %+v findings %+v", c.Server, c.TLS, c.Findings)
		}
	}},
	{file: "zeek-tls13draft16-ff52.a01.pcap", conns: 2, codes: []string{CodeTLSAlert, CodeTLS13Encrypted}, check: func(t *testing.T, r *Report) {
		if got := codesOf(r)[CodeTLSAlert]; got != 1 {
			t.Errorf("want the unknown_ca alert on one connection, got %d", got)
		}
		for _, c := range r.Connections {
			if hasFinding(&c, CodeTLSAlert, "") && !hasFinding(&c, CodeTLSAlert, "client sent a fatal TLS alert unknown_ca") {
				t.Errorf("alert: %+v", c.Findings)
			}
		}
	}},
	{file: "zeek-tls13_wolfssl.pcap", conns: 1, codes: []string{CodeTLS13Encrypted}, absent: chainProblems, check: func(t *testing.T, r *Report) {
		c := r.Connections[0]
		if c.TLS.Version != "TLS 1.3" || !c.TLS.CertificatesEncrypted || !strings.HasSuffix(c.Server, ":9090") || c.State != "SF" {
			t.Errorf("got %+v", c)
		}
	}},
	{file: "zeek-chrome-1250-tls-x25519-kyber.pcap", conns: 1, codes: []string{CodeTLS13Encrypted}, check: func(t *testing.T, r *Report) {
		c := r.Connections[0]
		if c.TLS.SNI != "lh3.google.com" || !slices.Contains(c.TLS.OfferedVersions, "TLS 1.3") || c.TLS.Version != "TLS 1.3" {
			t.Errorf("ClientHello across two segments not reassembled: %+v", c.TLS)
		}
	}},
	{file: "zeek-openjdk-25.0.2-zeek.org.pcap", conns: 1, codes: []string{CodeTLS13Encrypted}, check: func(t *testing.T, r *Report) {
		if c := r.Connections[0]; c.TLS.SNI != "zeek.org" || c.TLS.Version != "TLS 1.3" {
			t.Errorf("got %+v", c.TLS)
		}
	}},
	{file: "zeek-ssl-to-http-server.pcap", conns: 1, codes: []string{CodePlaintextReply, CodeHTTPClientError}, check: func(t *testing.T, r *Report) {
		c := r.Connections[0]
		if c.TLS.SNI != "vk.com" || !strings.HasSuffix(c.Server, ":80") || len(c.HTTP) == 0 || c.HTTP[0].Status != 400 {
			t.Errorf("got sni %q server %s http %+v", c.TLS.SNI, c.Server, c.HTTP)
		}
	}},
	{file: "zeek-tls-fragmented-handshake.pcap", conns: 1, codes: []string{tlscheck.CodeSelfSigned, tlscheck.CodeNameMismatch}, check: func(t *testing.T, r *Report) {
		c := r.Connections[0]
		if len(c.TLS.Certificates) != 1 || c.TLS.Certificates[0].Subject != "CN=Bro" || c.TLS.SNI != "104.236.167.107" {
			t.Errorf("fragmented Certificate not reassembled: %+v", c.TLS)
		}
	}},
	{file: "zeek-syn.pcap", conns: 1, codes: []string{CodeNoResponse}, check: func(t *testing.T, r *Report) {
		if c := r.Connections[0]; c.State != "S0" || c.History != "S" {
			t.Errorf("got %s %s", c.State, c.History)
		}
	}},
	{file: "zeek-pop3.pcap", conns: 11, codes: []string{CodeRejected}, check: func(t *testing.T, r *Report) {
		rej, sf := 0, 0
		for _, c := range r.Connections {
			switch c.State {
			case "REJ":
				rej++
			case "SF":
				sf++
				if !strings.HasPrefix(c.Server, "212.227.15.166:") {
					t.Errorf("SF to %s", c.Server)
				}
			}
		}
		if rej != 6 || sf != 5 || codesOf(r)[CodeRejected] != 6 {
			t.Errorf("want 6 refused attempts (2 servers x 3, each a separate attempt) and 5 sessions, got %d and %d", rej, sf)
		}
	}},
	{file: "zeek-retransmit-fast009.pcap", conns: 1, codes: []string{CodeRetransmissions, CodeReset}, check: func(t *testing.T, r *Report) {
		c := r.Connections[0]
		if c.FromServer.Retransmissions == 0 || c.State != "RSTO" {
			t.Errorf("want server retransmissions and a client RST, got %+v state %s", c.FromServer, c.State)
		}
	}},
	{file: "zeek-missing-syn.pcap", conns: 1, codes: []string{CodeMissingSYN}, check: func(t *testing.T, r *Report) {
		// Zeek's conn.log for this trace: 141.42.64.125:56730 ->
		// 125.190.109.199:80 SF ^hADdFaf, orig 11 packets / 98 bytes,
		// resp 10 packets / 9417 bytes.
		c := r.Connections[0]
		if c.Client != "141.42.64.125:56730" || c.Server != "125.190.109.199:80" || c.State != "SF" || c.History != "^hADdFaf" ||
			c.FromClient.Packets != 11 || c.FromClient.PayloadBytes != 98 || c.FromServer.Packets != 10 || c.FromServer.PayloadBytes != 9417 {
			t.Errorf("got %s -> %s %s %s %+v %+v", c.Client, c.Server, c.State, c.History, c.FromClient, c.FromServer)
		}
	}},
	{file: "zeek-one-sided-2745.pcap", conns: 2, codes: []string{CodeOneSided, CodeMissingSYN}, check: func(t *testing.T, r *Report) {
		for _, c := range r.Connections {
			if c.FromClient.Packets != 0 || !strings.HasSuffix(c.Client, ":2745") || c.State != "SHR" {
				t.Errorf("want only server->client packets towards port 2745 (SHR), got %s -> %s %s %+v", c.Client, c.Server, c.State, c.FromClient)
			}
		}
	}},
	{file: "zeek-206_example_b.pcap", codes: []string{CodeZeroWindow, CodeRetransmissions, CodeReset}, check: func(t *testing.T, r *Report) {
		zw := 0
		for _, c := range r.Connections {
			zw += c.FromClient.ZeroWindows
		}
		if zw != 57 {
			t.Errorf("want 57 zero windows from the client, got %d", zw)
		}
	}},
	{file: "zeek-smtp.pcap", codes: []string{CodeFragNeeded}, check: func(t *testing.T, r *Report) {
		c := connWith(t, r, ":25")
		for _, c2 := range r.Connections {
			if hasFinding(&c2, CodeFragNeeded, "") {
				c = &c2
			}
		}
		if !strings.HasSuffix(c.Server, ":25") || !hasFinding(c, CodeFragNeeded, "192.168.1.1 sent 4 ICMP") || !hasFinding(c, CodeFragNeeded, "MTU 1492") {
			t.Errorf("frag-needed not tied to the SMTP connection: %s %+v", c.Server, c.Findings)
		}
		tlsSeen := false
		for _, c := range r.Connections {
			tlsSeen = tlsSeen || (c.TLS != nil && strings.Contains(c.TLS.SNI, "icloud.com"))
		}
		if !tlsSeen {
			t.Error("no TLS session to icloud.com")
		}
	}},
	{file: "zeek-icmp6-toobig.pcap", conns: 1, codes: []string{CodeFragNeeded}, check: func(t *testing.T, r *Report) {
		if !hasFinding(&r.Connections[0], CodeFragNeeded, "MTU 1280") {
			t.Errorf("%+v", r.Connections[0].Findings)
		}
	}},
	{file: "zeek-icmp-destunreach-udp.pcap", conns: 1, codes: []string{CodeUnreachable}, check: func(t *testing.T, r *Report) {
		if !hasFinding(&r.Connections[0], CodeUnreachable, "port unreachable") || !hasFinding(&r.Connections[0], CodeUnreachable, "192.168.1.1:53 -> 192.168.1.102:59207") {
			t.Errorf("%+v", r.Connections[0].Findings)
		}
	}},
	{file: "zeek-http-get.pcap", conns: 1, absent: []string{CodeRetransmissions, CodeReset, CodeHTTPClientError, CodeHTTPServerError}, check: func(t *testing.T, r *Report) {
		c := r.Connections[0]
		if c.State != "SF" || len(c.HTTP) != 1 || c.HTTP[0].Method != "GET" || c.HTTP[0].Status != 200 || c.HTTP[0].Host != "bro.org" || c.HTTP[0].Path != "/download/CHANGES.bro-aux.txt" {
			t.Errorf("got %s %+v", c.State, c.HTTP)
		}
	}},
	{file: "zeek-wikipedia.pcap", codes: []string{CodeNXDomain}, check: func(t *testing.T, r *Report) {
		n304, aaaa := 0, 0
		for _, c := range r.Connections {
			for _, h := range c.HTTP {
				if h.Status == 304 {
					n304++
				}
			}
			for _, d := range c.DNS {
				if d.Type == "AAAA" {
					aaaa++
				}
			}
		}
		if n304 == 0 || aaaa == 0 {
			t.Errorf("want 304 Not Modified answers and AAAA queries, got %d and %d", n304, aaaa)
		}
	}},
	{file: "zeek-q-in-q.pcap", conns: 2, check: func(t *testing.T, r *Report) {
		n := 0
		for _, c := range r.Connections {
			n += c.Packets
		}
		if n != 4 || r.Skipped[skipNotIP] != 1 {
			t.Errorf("want the 4 UDP packets inside QinQ decoded and the ARP frame set aside, got %d, %v", n, r.Skipped)
		}
	}},
	{file: "zeek-pcapng-multi-interface.pcapng", conns: 3, check: func(t *testing.T, r *Report) {
		for _, c := range r.Connections {
			if len(c.DNS) != 1 || c.DNS[0].Rcode != "NOERROR" || len(c.DNS[0].Answers) == 0 {
				t.Errorf("DNS lookup: %+v", c.DNS)
			}
		}
	}},
	{file: "zeek-linux_dlt_sll2.pcap", conns: 2, check: func(t *testing.T, r *Report) {
		protos := []string{r.Connections[0].Protocol, r.Connections[1].Protocol}
		slices.Sort(protos)
		if !slices.Equal(protos, []string{"icmp", "icmpv6"}) || r.Connections[0].Packets != 2 {
			t.Errorf("want ping and ping6 (request and reply each), got %v", protos)
		}
	}},
	{file: "zeek-trunc-hdr.pcap", conns: 0, partial: true, check: func(t *testing.T, r *Report) {
		if r.Skipped[skipTruncated] != 1 || r.SnaplenCut != 1 {
			t.Errorf("skipped %v cut %d", r.Skipped, r.SnaplenCut)
		}
	}},
	{file: "arkime-ssl-selfsign.pcap", conns: 1, codes: []string{tlscheck.CodeSelfSigned}, check: func(t *testing.T, r *Report) {
		c := r.Connections[0]
		if c.TLS.Version != "SSL 3.0" || c.TLS.Certificates[0].Subject != "CN=molochftw" || !strings.HasSuffix(c.Server, ":4443") {
			t.Errorf("got %s %+v", c.Server, c.TLS)
		}
	}},
	{file: "arkime-badcurveball.pcap", conns: 1, codes: []string{CodeTLSAlert}, absent: []string{tlscheck.CodeIncompleteChain}, check: func(t *testing.T, r *Report) {
		c := &r.Connections[0]
		if c.TLS.SNI != "bad.curveballtest.com" || !hasFinding(c, CodeTLSAlert, "client sent a fatal TLS alert certificate_unknown") || len(c.TLS.Certificates) != 2 {
			t.Errorf("got %+v %+v", c.TLS, c.Findings)
		}
	}},
	// SOURCES.md reads this file as four connections with heavy loss, as
	// tshark shows it; every frame is in fact there two to four times with
	// the same IP ID (27 distinct frames): one connection, copies, no loss.
	{file: "arkime-wireshark-retrans.pcap", conns: 1, codes: []string{CodeDuplicates}, absent: []string{CodeRetransmissions}, check: func(t *testing.T, r *Report) {
		c := r.Connections[0]
		if c.Packets != 108 || c.FromClient.Duplicates+c.FromServer.Duplicates != 108-27 || c.State != "SF" {
			t.Errorf("got %d packets, %d+%d duplicates, %s", c.Packets, c.FromClient.Duplicates, c.FromServer.Duplicates, c.State)
		}
	}},
	{file: "arkime-http-syn-ack.pcap", conns: 1, codes: []string{CodeMissingSYN}, check: func(t *testing.T, r *Report) {
		if c := r.Connections[0]; c.FromClient.Packets != 2 || c.FromServer.Packets != 11 {
			t.Errorf("got client %d server %d packets", c.FromClient.Packets, c.FromServer.Packets)
		}
	}},
	{file: "arkime-no-syn-ack.pcap", conns: 2, codes: []string{CodeMissingSYNACK}, check: func(t *testing.T, r *Report) {
		ports := []string{}
		for _, c := range r.Connections {
			ports = append(ports, c.Server[strings.LastIndex(c.Server, ":"):])
		}
		slices.Sort(ports)
		if !slices.Equal(ports, []string{":3306", ":80"}) || codesOf(r)[CodeMissingSYNACK] != 2 {
			t.Errorf("got %v %v", ports, codesOf(r))
		}
	}},
	{file: "arkime-http-500-head.pcap", conns: 1, codes: []string{CodeHTTPServerError}, check: func(t *testing.T, r *Report) {
		if !hasFinding(&r.Connections[0], CodeHTTPServerError, "HEAD samples.example.com/UpdataConfig.dat answered 500") {
			t.Errorf("%+v", r.Connections[0].Findings)
		}
	}},
	{file: "arkime-dns-error.pcap", conns: 1, codes: []string{CodeNXDomain}, check: func(t *testing.T, r *Report) {
		if d := r.Connections[0].DNS; len(d) != 1 || d[0].Query != "no.such.host" || d[0].Rcode != "NXDOMAIN" {
			t.Errorf("%+v", d)
		}
	}},
	{file: "arkime-twovlan.pcap", conns: 1, codes: []string{CodeMSSMismatch}, check: func(t *testing.T, r *Report) {
		c := r.Connections[0]
		if c.FromServer.MaxSegment <= 1460 || len(c.HTTP) != 1 || c.HTTP[0].Method != "GET" || c.HTTP[0].Status != 200 {
			t.Errorf("got max segment %d http %+v", c.FromServer.MaxSegment, c.HTTP)
		}
	}},
	{file: "arkime-v6-http.pcap", check: func(t *testing.T, r *Report) {
		c := connWith(t, r, "]:80")
		if c.Protocol != "tcp" || len(c.HTTP) != 1 || c.HTTP[0].Status != 200 || c.State != "SF" {
			t.Errorf("got %+v", c)
		}
	}},
	{file: "gopacket-linux_sll_oversized_addr.pcapng", partial: true, check: func(t *testing.T, r *Report) {
		if r.Skipped[skipTruncated] == 0 || r.Packets != 209 {
			t.Errorf("want the malformed SLL frames skipped and the rest read: %d packets, %v", r.Packets, r.Skipped)
		}
	}},
	{file: "gopacket-pcapng-test202.pcapng", check: func(t *testing.T, r *Report) {
		if r.Packets == 0 || r.Format != FormatPcapng {
			t.Errorf("got %d packets, format %s", r.Packets, r.Format)
		}
	}},
	{file: "suricata-verify-http-mime-truncated.pcap", conns: 1, partial: true, codes: []string{CodeZeroWindow}, check: func(t *testing.T, r *Report) {
		if r.ReadError == nil || !strings.Contains(r.ReadError.Reason, "truncated") || r.ReadError.Packet != r.Packets {
			t.Errorf("read error %+v after %d packets", r.ReadError, r.Packets)
		}
	}},
	{file: "suricata-verify-tls_DER-incomplete-header.pcap", conns: 1, partial: true, codes: []string{tlscheck.CodeBadCertificate}, check: func(t *testing.T, r *Report) {
		if r.ReadError == nil || !strings.Contains(r.ReadError.Reason, "corrupt record") || r.ReadError.Offset <= 24 {
			t.Errorf("read error %+v", r.ReadError)
		}
	}},
	{file: "zeek-pop3.pcap"}, // duplicate-free sanity: loads
	{file: "zeek-206_example_b.pcap"},
}

// TestSharedCaptures checks the diagnosis of every reference capture
// against what SOURCES.md says it shows.
func TestSharedCaptures(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range sharedCases {
		seen[tc.file] = true
		t.Run(tc.file, func(t *testing.T) {
			r := analyzeShared(t, tc.file)
			if tc.conns > 0 && len(r.Connections) != tc.conns {
				t.Errorf("want %d connections, got %d", tc.conns, len(r.Connections))
			}
			got := codesOf(r)
			for _, c := range tc.codes {
				if got[c] == 0 {
					t.Errorf("want finding %s, got %v", c, got)
				}
			}
			for _, c := range tc.absent {
				if got[c] > 0 {
					t.Errorf("unexpected finding %s", c)
				}
			}
			if r.Partial() != tc.partial {
				t.Errorf("partial = %v, want %v (read error %v, skipped %v)", r.Partial(), tc.partial, r.ReadError, r.Skipped)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
	// Every capture in the folder loads without a crash.
	dir := testenv.Shared(t, "pcap")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") || seen[e.Name()] {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) { analyzeShared(t, e.Name()) })
	}
}
