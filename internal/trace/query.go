package trace

import (
	"fmt"
	"net/netip"
	"strings"
)

// ParseQuery builds a Query from the words a person types: from as in
// Query.From, to as IP:PORT (IP alone for icmp), protocol tcp, udp or icmp
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
	} else {
		return Query{}, fmt.Errorf("to %q: want IP:PORT (or IP for icmp)", to)
	}
	return q, nil
}
