package pcap

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/pcap/tlsparse"
	"github.com/pathproof/pathproof/internal/tlscheck"
)

// startedLateWindow: a connection whose first packet is this close to the
// start of the capture probably began before the capture did.
const startedLateWindow = time.Second

// summary finishes a connection: counters, state, history and findings.
func (c *conn) summary() Connection {
	out := Connection{
		Protocol:   protoName(c.proto),
		Client:     c.orig.String(),
		Server:     c.resp.String(),
		State:      c.zeekState(),
		History:    string(c.history),
		Packets:    c.d[0].Packets + c.d[1].Packets,
		Bytes:      c.d[0].Bytes + c.d[1].Bytes,
		First:      c.first.UTC(),
		Last:       c.last.UTC(),
		Attempt:    c.attempt,
		FromClient: c.d[0].Direction,
		FromServer: c.d[1].Direction,
		Fragments:  c.fragments,
		DNS:        c.dns,
		HTTP:       c.http,
		Findings:   []Finding{},
	}
	if c.proto == protoICMP || c.proto == protoICMPv6 {
		out.Client, out.Server = c.orig.Addr().String(), c.resp.Addr().String()
		if c.orig.Port() != 0 {
			out.Client, out.Server = c.orig.String(), c.resp.String()
		}
	}
	if out.DNS == nil {
		out.DNS = []DNSExchange{}
	}
	if out.HTTP == nil {
		out.HTTP = []HTTPExchange{}
	}
	if c.rttSet {
		ms := float64(c.rtt.Microseconds()) / 1000
		out.RTTMs = &ms
	}
	var f []Finding
	add := func(code, sev, format string, a ...any) {
		f = append(f, Finding{Code: code, Severity: sev, Message: fmt.Sprintf(format, a...)})
	}
	if c.proto == protoTCP {
		c.tcpFindings(&out, add)
	}
	c.ipFindings(add)
	c.icmpFindings(add)
	if c.tls != nil {
		info := c.tls.Info
		out.TLS = &info
		c.tlsFindings(&info, add)
	}
	c.dnsFindings(add)
	c.httpFindings(add)
	sort.SliceStable(f, func(i, j int) bool { return SeverityRank(f[i].Severity) > SeverityRank(f[j].Severity) })
	if f != nil {
		out.Findings = f
		out.severity = SeverityRank(f[0].Severity)
	}
	return out
}

type addFunc func(code, sev, format string, a ...any)

func (c *conn) tcpFindings(out *Connection, add addFunc) {
	o, r := &c.d[0], &c.d[1]
	server := c.resp.String()
	span := c.last.Sub(c.first).Round(time.Millisecond)
	lateStart := c.first.Sub(c.captureT0) < startedLateWindow
	switch {
	case out.State == "REJ":
		add(CodeRejected, SevError, "%s answered the SYN with a RST (connection refused): nothing listens on port %d, or a host firewall rejects it", server, c.resp.Port())
	case o.SYNs > 0 && !c.sawSynAck && r.Packets == 0 && o.PayloadBytes == 0:
		msg := fmt.Sprintf("SYN never answered (%s): dropped on the way (NSG, firewall, route) or %s is down", count(o.SYNs, "SYN", "SYNs")+" over "+span.String(), server)
		if out.State == "RSTOS0" {
			msg += "; the client gave up with a RST"
		}
		add(CodeNoResponse, SevError, "%s", msg)
	case o.SYNs > 0 && !c.sawSynAck && r.PayloadBytes > 0:
		add(CodeMissingSYNACK, SevWarning, "the server's SYN-ACK is not in the capture although the server sent %d bytes of data: the SYN-ACK took another path (asymmetric routing) or the capture missed it", r.PayloadBytes)
	case o.SYNs > 0 && !c.sawSynAck && (r.Packets == 0 || o.PayloadBytes > 0):
		add(CodeOneSided, SevWarning, "the client sent its SYN and then %d bytes of data, so a SYN-ACK reached it, but nothing from %s passed this capture point: the return path differs (asymmetric routing) or the capture sees one direction only", o.PayloadBytes, server)
	case o.SYNs == 0:
		first := "data"
		if c.sawSynAck {
			first = "the server's SYN-ACK"
		}
		why := "the SYN took another path (asymmetric routing) or the capture started after the connection opened"
		sev := SevWarning
		if lateStart && !c.sawSynAck {
			why = "the connection was already open when the capture started (its first packet is at the start of the capture), or the SYN took another path"
			sev = SevInfo
		}
		add(CodeMissingSYN, sev, "no SYN from the client: the capture starts at %s; %s", first, why)
		if o.Packets == 0 || r.Packets == 0 {
			side := "server"
			if r.Packets == 0 {
				side = "client"
			}
			add(CodeOneSided, SevWarning, "only the %s's packets were captured: the other direction takes another path (asymmetric routing) or the capture sees one direction only", side)
		}
	}
	if out.State == "RSTO" || out.State == "RSTR" || (out.State == "RSTRH" && o.PayloadBytes+r.PayloadBytes > 0) {
		who, other := "client", "server"
		if out.State != "RSTO" {
			who, other = "server", "client"
		}
		add(CodeReset, SevWarning, "the %s reset the connection after %d bytes from the client and %d from the server (%s after the first packet); the %s did not close it", who, o.PayloadBytes, r.PayloadBytes, span, other)
	}
	if n := o.Retransmissions + r.Retransmissions; n > 0 {
		var parts []string
		for i, d := range []*dir{o, r} {
			if d.Retransmissions == 0 {
				continue
			}
			who := [2]string{"client", "server"}[i]
			parts = append(parts, fmt.Sprintf("%d from the %s (%d%% of its %d data segments)", d.Retransmissions, who, 100*d.Retransmissions/max(d.dataSegs, 1), d.dataSegs))
		}
		msg := fmt.Sprintf("%s: %s", count(n, "retransmission", "retransmissions"), strings.Join(parts, ", "))
		if lost := o.LostSegments + r.LostSegments; lost > 0 {
			msg += fmt.Sprintf("; %d segments missing from the capture", lost)
		}
		add(CodeRetransmissions, SevWarning, "%s", msg)
	}
	if n := o.Duplicates + r.Duplicates; n > 0 {
		add(CodeDuplicates, SevInfo, "%d of %d frames are copies of a frame already seen (same IP ID within 100 ms): captured on several interfaces or merged; not counted as retransmissions", n, o.Packets+r.Packets)
	}
	for i, d := range []*dir{o, r} {
		if d.ZeroWindows > 0 {
			who := [2]string{"client", "server"}[i]
			add(CodeZeroWindow, SevWarning, "the %s advertised a zero receive window %s: its application was not reading fast enough (not a network problem)", who, count(d.ZeroWindows, "time", "times"))
		}
	}
	for i, d := range []*dir{o, r} {
		peer := []*dir{r, o}[i]
		if peer.MSS > 0 && d.MaxSegment > int(peer.MSS) {
			who, other := [2]string{"client", "server"}[i], [2]string{"server", "client"}[i]
			add(CodeMSSMismatch, SevInfo, "the %s sent %d-byte segments but the %s announced MSS %d: captured before segmentation offload on the sending host, or a path that ignores the MSS", who, d.MaxSegment, other, peer.MSS)
		}
	}
}

func (c *conn) ipFindings(add addFunc) {
	if c.fragments > 0 {
		add(CodeFragmented, SevWarning, "%s: packets larger than the path MTU were fragmented", count(c.fragments, "IP fragment", "IP fragments"))
	}
}

func (c *conn) icmpFindings(add addFunc) {
	e := &c.icmp
	about := ""
	if c.quote != "" {
		about = " (about " + c.quote + ", not in the capture)"
	}
	if e.fragNeeded > 0 {
		add(CodeFragNeeded, SevWarning, "%s sent %s: next-hop MTU %d; the sender must send smaller packets%s", e.fnFrom, count(e.fragNeeded, "ICMP 'fragmentation needed / packet too big' message", "ICMP 'fragmentation needed / packet too big' messages"), e.mtu, about)
	}
	if e.unreach > 0 {
		add(CodeUnreachable, SevError, "%s sent %s (%s)%s", e.urFrom, count(e.unreach, "ICMP destination unreachable", "ICMP destination unreachables"), e.unreachWhy, about)
	}
	if e.ttl > 0 {
		add(CodeTTLExceeded, SevWarning, "%s sent %s: TTL ran out (routing loop or traceroute)%s", e.ttlFrom, count(e.ttl, "ICMP time exceeded", "ICMP time exceeded messages"), about)
	}
}

func (c *conn) tlsFindings(info *tlsparse.Info, add addFunc) {
	for _, a := range info.Alerts {
		if a.Encrypted || a.Description == "close_notify" {
			continue
		}
		sev := SevError
		if a.Level == "warning" {
			sev = SevWarning
		}
		when := ""
		if !info.ServerHelloSeen() {
			when = " before any ServerHello"
		}
		add(CodeTLSAlert, sev, "the %s sent a %s TLS alert %s%s%s", a.From, a.Level, a.Description, when, alertHint(a.Description))
	}
	for _, p := range info.Problems {
		sev := SevError
		switch p.Code {
		case tlscheck.CodeSelfSigned, tlscheck.CodeWrongOrder:
			sev = SevWarning
		}
		add(p.Code, sev, "%s", p.Message)
	}
	if info.CertificatesEncrypted {
		add(CodeTLS13Encrypted, SevInfo, "%s negotiated: the server's certificates are encrypted and cannot be checked from a capture", info.Version)
	}
	if c.tlsPlain {
		add(CodePlaintextReply, SevError, "the client sent a TLS ClientHello but %s answered in plain HTTP: wrong port or scheme, or TLS terminates elsewhere", c.resp)
	}
}

func alertHint(desc string) string {
	switch desc {
	case "handshake_failure":
		return ": no TLS version or cipher in common, or the server requires something the client did not send (SNI, a client certificate)"
	case "unknown_ca":
		return ": the client does not trust the CA that issued the server's certificate"
	case "certificate_unknown", "bad_certificate", "unsupported_certificate":
		return ": the client rejected the server's certificate"
	case "certificate_expired":
		return ": a certificate in the chain is expired"
	case "protocol_version":
		return ": no TLS version in common (minimum version settings)"
	case "unrecognized_name":
		return ": the server has no certificate for the name in SNI"
	case "certificate_required":
		return ": the server requires a client certificate"
	case "access_denied":
		return ": the peer refused access after the handshake"
	}
	return ""
}

func (c *conn) dnsFindings(add addFunc) {
	var nx, sf []string
	for _, ex := range c.dns {
		switch ex.Rcode {
		case "NXDOMAIN":
			nx = append(nx, ex.Query)
		case "SERVFAIL":
			sf = append(sf, ex.Query)
		}
		if name, ip, ok := privateLinkPublic(ex); ok {
			add(CodePrivateLinkPub, SevError, "%s resolves through %s to the public address %s: the private endpoint is bypassed (private DNS zone not linked to the VNet, or DNS not forwarded to Azure DNS)", ex.Query, name, ip)
		}
	}
	if len(nx) > 0 {
		add(CodeNXDomain, SevWarning, "%s answered NXDOMAIN: %s", count(len(nx), "query", "queries"), listNames(nx))
	}
	if len(sf) > 0 {
		add(CodeServFail, SevError, "%s answered SERVFAIL: %s", count(len(sf), "query", "queries"), listNames(sf))
	}
}

func listNames(n []string) string {
	seen := map[string]bool{}
	var u []string
	for _, x := range n {
		if !seen[x] {
			seen[x] = true
			u = append(u, x)
		}
	}
	if len(u) > 5 {
		return strings.Join(u[:5], ", ") + fmt.Sprintf(" and %d more", len(u)-5)
	}
	return strings.Join(u, ", ")
}

func (c *conn) httpFindings(add addFunc) {
	for _, ex := range c.http {
		if ex.Status < 400 {
			continue
		}
		req := strings.TrimSpace(ex.Method + " " + ex.Host + ex.Path)
		if req == "" {
			req = "a request not in the capture"
		}
		if ex.Status >= 500 {
			add(CodeHTTPServerError, SevError, "%s answered %d %s", req, ex.Status, ex.Reason)
		} else {
			add(CodeHTTPClientError, SevWarning, "%s answered %d %s", req, ex.Status, ex.Reason)
		}
	}
}

// count writes n with the singular or plural noun.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
