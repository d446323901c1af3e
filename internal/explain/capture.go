package explain

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/pcap"
)

// capMatch is the capture connection that matches the flow at a hop.
type capMatch struct {
	file string
	conn *pcap.Connection
	cite int
}

// captures matches every capture's connections to the flow: the server
// side is one of the destination's addresses on the flow's port (or the
// client is one of its sources). A connection seen from the client's
// address belongs to the client's hop, any other to the destination's.
func (r *run) captures() {
	for _, rep := range r.opt.Captures {
		if rep == nil {
			continue
		}
		for i := range rep.Connections {
			c := &rep.Connections[i]
			if !r.captureMatches(c) {
				continue
			}
			cl, _ := netip.ParseAddrPort(c.Client)
			h := r.destHop()
			if cl.Addr().Unmap() == r.p.src {
				h = r.hops[0]
			}
			m := &capMatch{file: rep.File, conn: c}
			m.cite = r.citeCapture(rep.File, i, quoteConn(c), c.First)
			if h.capture == nil || pcap.SeverityRank(worst(c)) > pcap.SeverityRank(worst(h.capture.conn)) {
				h.capture = m
			}
			h.out.Evidence = append(h.out.Evidence, Evidence{Citation: m.cite, Time: c.First.UTC(), Source: "pcap", Says: connSays(c)})
			if h.out.Status == StatusNotLogged || h.out.Status == StatusSimulated {
				h.out.Seen = strings.TrimSuffix(h.out.Seen, ".") + "; capture: " + connSays(c)
			}
			for _, f := range c.Findings {
				if f.Severity == pcap.SevInfo {
					continue
				}
				r.res.Findings = append(r.res.Findings, Finding{Code: f.Code, Severity: f.Severity,
					Message: fmt.Sprintf("capture %s, %s → %s: %s", rep.File, c.Client, c.Server, f.Message),
					Fix:     captureFix(f.Code), Citations: []int{m.cite}})
			}
		}
	}
}

func (r *run) destHop() *hopState {
	for _, h := range r.hops {
		if h.dest {
			return h
		}
	}
	return r.hops[len(r.hops)-1]
}

func (r *run) captureMatches(c *pcap.Connection) bool {
	if c.Protocol != r.p.proto && !(r.p.proto == "icmp" && c.Protocol == "icmpv6") {
		return false
	}
	cl, err1 := netip.ParseAddrPort(c.Client)
	sv, err2 := netip.ParseAddrPort(c.Server)
	if err1 != nil || err2 != nil {
		return false
	}
	if r.p.proto != "icmp" && !r.hasPort(sv.Port()) {
		return false
	}
	return r.isDst(sv.Addr()) || (r.isSrc(cl.Addr()) && r.p.dst == sv.Addr().Unmap())
}

// captureAnswered reports whether a capture shows the destination
// answering the flow.
func (r *run) captureAnswered(dest *hopState) bool {
	for _, h := range r.hops {
		if h.capture != nil && h.capture.answered() {
			return true
		}
	}
	return false
}

// answered reports whether the server sent anything back.
func (m *capMatch) answered() bool {
	c := m.conn
	if c.Protocol == "tcp" {
		switch c.State {
		case "S0", "OTH", "SH", "":
			return false
		}
		return c.FromServer.Packets > 0
	}
	return c.FromServer.Packets > 0
}

// answer is the application-level answer a capture shows: a TLS alert or
// chain problem, an HTTP status, or bytes back.
func (m *capMatch) answer(hop string) *Answer {
	c := m.conn
	if !m.answered() {
		return nil
	}
	a := &Answer{Hop: hop, Citations: []int{m.cite}}
	if c.TLS != nil && (len(c.TLS.Alerts) > 0 || len(c.TLS.Problems) > 0) {
		a.Kind = "tls"
		var parts []string
		for _, al := range c.TLS.Alerts {
			d := al.Description
			if al.Encrypted || d == "" {
				d = "(encrypted)"
			}
			parts = append(parts, strings.TrimSpace(fmt.Sprintf("the %s sent a %s TLS alert %s", al.From, al.Level, d)))
		}
		for _, p := range c.TLS.Problems {
			parts = append(parts, p.Code+": "+p.Message)
		}
		a.Text = strings.Join(parts, "; ")
		return a
	}
	for _, h := range c.HTTP {
		if h.Status != 0 {
			a.Kind, a.HTTPStatus = "http", h.Status
			a.Text = fmt.Sprintf("HTTP %d %s", h.Status, h.Reason)
			return a
		}
	}
	a.Kind = "bytes"
	a.Text = fmt.Sprintf("the capture shows %d packet(s) back (connection state %s)", c.FromServer.Packets, c.State)
	return a
}

func worst(c *pcap.Connection) string {
	if len(c.Findings) == 0 {
		return ""
	}
	return c.Findings[0].Severity
}

// quoteConn summarises a capture connection for its citation.
func quoteConn(c *pcap.Connection) string {
	s := fmt.Sprintf("%s %s %s → %s state=%s history=%s packets=%d/%d", c.First.UTC().Format(quoteTime), c.Protocol, c.Client, c.Server, c.State, c.History, c.FromClient.Packets, c.FromServer.Packets)
	if c.FromClient.Retransmissions > 0 {
		s += fmt.Sprintf(" retransmissions=%d", c.FromClient.Retransmissions)
	}
	for _, f := range c.Findings {
		s += " " + f.Code
	}
	return s
}

// connSays says what a capture connection shows, one sentence.
func connSays(c *pcap.Connection) string {
	var parts []string
	switch c.State {
	case "S0":
		parts = append(parts, "SYN unanswered")
	case "REJ":
		parts = append(parts, "refused (RST to the SYN)")
	case "SF":
		parts = append(parts, "handshake and close completed")
	case "S1":
		parts = append(parts, "handshake completed")
	default:
		parts = append(parts, "state "+c.State)
	}
	if n := c.FromClient.Retransmissions; n > 0 {
		parts = append(parts, fmt.Sprintf("%d retransmission(s) from the client", n))
	}
	for _, f := range c.Findings {
		parts = append(parts, f.Code)
	}
	return fmt.Sprintf("capture %s → %s: %s", c.Client, c.Server, strings.Join(parts, ", "))
}

// captureFix points at the code's own next step.
func captureFix(code string) string {
	return "See `pathproof codes " + code + "` for what to check next."
}
