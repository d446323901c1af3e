package trace

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// ParseQuery builds a Query from the words a person types: from as in
// Query.From, to as IP:PORT or NAME:PORT (IP or NAME alone for icmp; a NAME is
// resolved as the source would, see ResolveName), protocol tcp, udp or icmp
// ("" = tcp) and the client's source port (DefaultSourcePort when the person gives
// none). Its
// errors name the field, in the words of the trace command's flags.
func ParseQuery(from, to, protocol string, srcPort int) (Query, error) {
	if from == "" || to == "" {
		return Query{}, fmt.Errorf("from and to are required")
	}
	proto := strings.ToLower(protocol)
	if proto == "" {
		proto = "tcp"
	}
	if proto != "tcp" && proto != "udp" && proto != "icmp" {
		return Query{}, fmt.Errorf("protocol %q: want tcp, udp or icmp", protocol)
	}
	if srcPort < 1 || srcPort > 65535 {
		return Query{}, fmt.Errorf("source port %d: want 1-65535", srcPort)
	}
	q := Query{From: from, Protocol: proto, SrcPort: uint16(srcPort)}
	if ap, err := netip.ParseAddrPort(to); err == nil {
		q.Dst, q.DstPort = ap.Addr(), ap.Port()
	} else if ip, err := netip.ParseAddr(to); err == nil {
		q.Dst = ip
		if proto != "icmp" {
			return Query{}, fmt.Errorf("to %s: give the port (IP:PORT) for %s", to, proto)
		}
	} else if name, port, ok := namePort(to, proto); ok {
		q.Name, q.DstPort = name, port
	} else {
		return Query{}, fmt.Errorf("to %q: want IP:PORT or NAME:PORT (IP or NAME alone for icmp)", to)
	}
	return q, nil
}

// namePort reads NAME:PORT (NAME alone for icmp), NAME a DNS host name.
func namePort(to, proto string) (string, uint16, bool) {
	host, ps, err := net.SplitHostPort(to)
	if err != nil {
		host, ps = to, ""
	}
	if !isHostName(host) {
		return "", 0, false
	}
	if ps == "" {
		return host, 0, proto == "icmp"
	}
	p, err := strconv.ParseUint(ps, 10, 16)
	if err != nil || p == 0 {
		return "", 0, false
	}
	return host, uint16(p), true
}

// isHostName reports whether s is a DNS host name: dot-separated labels of
// letters, digits and hyphens (1-63 each, not starting or ending with a
// hyphen), at most 253 characters, with at least one letter (so it is not
// an address).
func isHostName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	letter := false
	for _, l := range strings.Split(s, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
				letter = true
			case c >= '0' && c <= '9', c == '-', c == '_':
			default:
				return false
			}
		}
	}
	return letter
}
