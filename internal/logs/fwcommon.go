package logs

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// firewallName returns the last segment of an Azure Firewall resource id
// (".../AZUREFIREWALLS/NAME" → "NAME"), or "" when there is none.
func firewallName(id string) string {
	id = strings.TrimRight(id, "/")
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}

// actionVerdict maps a firewall action word (any case) to a verdict.
func actionVerdict(a string) (event.Verdict, bool) {
	switch strings.ToLower(strings.TrimSpace(a)) {
	case "allow", "allowed":
		return event.VerdictAllow, true
	case "deny", "denied", "block", "reject":
		return event.VerdictDeny, true
	case "alert":
		return event.VerdictAlert, true
	case "drop":
		return event.VerdictDrop, true
	case "dnat":
		return event.VerdictDNAT, true
	}
	return "", false
}

// fwProtocol maps a firewall protocol token ("TCP", "ICMP Type=8", "HTTP ",
// "udp", "6") to the event protocol word and the ICMP type (-1 when absent
// or not ICMP).
func fwProtocol(p string) (proto string, icmpType int) {
	p = strings.TrimSpace(p)
	icmpType = -1
	if i := strings.Index(p, " Type="); i >= 0 {
		if n, err := strconv.Atoi(strings.TrimSpace(p[i+len(" Type="):])); err == nil {
			icmpType = n
		}
		p = p[:i]
	}
	if p != "" && p[0] >= '0' && p[0] <= '9' {
		if n, err := strconv.Atoi(p); err == nil {
			return ProtocolName(n), icmpType
		}
	}
	switch p { // the usual spellings, without allocating
	case "TCP", "tcp":
		return "tcp", icmpType
	case "UDP", "udp":
		return "udp", icmpType
	case "ICMP", "icmp":
		return "icmp", icmpType
	case "HTTPS", "https":
		return "https", icmpType
	case "HTTP", "http":
		return "http", icmpType
	}
	return strings.ToLower(p), icmpType
}

// parseHostIP parses an address that may be an IP, returning ok=false for a
// name (an FQDN destination).
func parseHostIP(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}, false
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
