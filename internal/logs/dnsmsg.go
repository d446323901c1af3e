package logs

import (
	"errors"
	"strconv"
	"strings"
)

// DNSProxyMsg is a legacy AzureFirewallDnsProxy msg (docs/log-formats.md §4.3.2
// step 9, CoreDNS layout), or its upstream-failure form
// (" Error: 2 name. A: read udp a:p->b:p: i/o timeout").
type DNSProxyMsg struct {
	ClientHost string
	ClientPort int
	QueryID    string
	QueryType  string
	QueryClass string
	// QueryName keeps its trailing dot.
	QueryName    string
	Protocol     string
	RequestSize  string
	DNSSECOK     string
	EDNSBuffer   string
	ResponseCode string
	// Flags is "" when logged as "-".
	Flags        string
	ResponseSize string
	// Duration is the text before the final "s" ("0.002846368").
	Duration string

	// Error form: Error is the text after "Error: ", Upstream the server
	// the firewall asked ("168.63.129.160:53").
	Error        string
	UpstreamHost string
	UpstreamPort int
}

// ParseDNSProxyMsg parses a DNS proxy msg in either form.
func ParseDNSProxyMsg(msg string) (DNSProxyMsg, error) {
	m := DNSProxyMsg{ClientPort: -1, UpstreamPort: -1}
	s := strings.TrimSpace(msg)
	if rest, ok := strings.CutPrefix(s, "Error: "); ok {
		return m, m.parseError(rest)
	}
	rest, ok := strings.CutPrefix(s, "DNS Request: ")
	if !ok {
		return m, errors.New(`neither "DNS Request:" nor "Error:"`)
	}
	f := strings.Fields(rest)
	if len(f) != 14 {
		return m, errors.New("DNS request has " + strconv.Itoa(len(f)) + " fields, want 14")
	}
	if f[1] != "-" && f[1] != "–" {
		return m, errors.New(`no "-" after the client address`)
	}
	var err error
	if m.ClientHost, m.ClientPort, err = splitHostPort(f[0]); err != nil || m.ClientHost == "" {
		return m, errors.New("bad client address")
	}
	m.QueryID, m.QueryType, m.QueryClass, m.QueryName = f[2], f[3], f[4], f[5]
	m.Protocol, m.RequestSize, m.DNSSECOK, m.EDNSBuffer = f[6], f[7], f[8], f[9]
	m.ResponseCode, m.Flags, m.ResponseSize = f[10], f[11], f[12]
	if m.Flags == "-" {
		m.Flags = ""
	}
	d, ok := strings.CutSuffix(f[13], "s")
	if !ok {
		return m, errors.New("duration without its s unit")
	}
	if _, err := strconv.ParseFloat(d, 64); err != nil {
		return m, errors.New("bad duration")
	}
	m.Duration = d
	if _, err := strconv.Atoi(m.QueryID); err != nil {
		return m, errors.New("bad query id")
	}
	return m, nil
}

// parseError reads "2 name. A: read udp 10.0.1.5:49126->168.63.129.160:53: i/o timeout".
func (m *DNSProxyMsg) parseError(s string) error {
	m.Error = s
	f := strings.Fields(s)
	if len(f) >= 3 {
		m.QueryName = f[1]
		m.QueryType = strings.TrimSuffix(f[2], ":")
	}
	if i := strings.Index(s, "->"); i >= 0 {
		// Client side: the token before "->"; upstream: up to the next ": ".
		j := strings.LastIndexByte(s[:i], ' ')
		src := s[j+1 : i]
		dst := s[i+2:]
		if k := strings.Index(dst, ": "); k >= 0 {
			dst = dst[:k]
		}
		if h, p, err := splitHostPort(src); err == nil {
			m.ClientHost, m.ClientPort = h, p
		}
		if h, p, err := splitHostPort(dst); err == nil {
			m.UpstreamHost, m.UpstreamPort = h, p
		}
		if w := strings.Fields(s[:max(j, 0)]); len(w) > 0 {
			m.Protocol = w[len(w)-1]
		}
	}
	return nil
}
