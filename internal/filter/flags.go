package filter

import (
	"slices"

	"github.com/spf13/pflag"
)

// Help states the combining rules; commands append it to their long help.
const Help = `Filters: the same flag repeated is OR, different flags are AND
(--port 443 --port 80 --verdict deny: denied traffic to 443 or 80).
--src, --dst and --ip (either side) take addresses or CIDRs; --port is the
destination port, --src-port the source port (a port or a range LO-HI).
--rule and --reason match case-insensitive substrings of the deciding rule
(name, policy, collection, signature) and of the decision's reason.
--since/--until take RFC3339 times or a duration (90m, 2h, 7d) counted back
from the newest event in the data; both ends are inclusive.`

// AddFlags registers the filter flags on fs, writing into s. With names,
// only those flags are registered (e.g. "ip", "port", "proto" for a
// capture); with none, all of them.
func AddFlags(fs *pflag.FlagSet, s *Spec, names ...string) {
	want := func(n string) bool { return len(names) == 0 || slices.Contains(names, n) }
	// Lists also accept comma-separated values (--port 80,443), except the
	// free-text ones, where a comma may be part of the text.
	list := func(p *[]string, name, usage string) {
		if !want(name) {
			return
		}
		if name == "rule" || name == "reason" {
			fs.StringArrayVar(p, name, nil, usage)
			return
		}
		fs.StringSliceVar(p, name, nil, usage)
	}
	list(&s.Src, "src", "source address or CIDR (repeatable)")
	list(&s.Dst, "dst", "destination address or CIDR (repeatable)")
	list(&s.IP, "ip", "address or CIDR on either side (repeatable)")
	list(&s.Port, "port", "destination port or range LO-HI (repeatable)")
	list(&s.SrcPort, "src-port", "source port or range LO-HI (repeatable)")
	list(&s.Proto, "proto", "protocol: tcp|udp|icmp|icmpv6|N (repeatable)")
	list(&s.Verdict, "verdict", "allow|deny|dnat|alert|drop|error|info (repeatable)")
	list(&s.Source, "source", "vnetflow|nsgflow|firewall|keyvault|storage|sql|vpngw|trafficanalytics|connmon|appgw (repeatable)")
	list(&s.Direction, "direction", "in|out, relative to the emitter (repeatable)")
	list(&s.Rule, "rule", "substring of the deciding rule, any part (repeatable)")
	list(&s.Reason, "reason", "substring of the decision's reason, e.g. a denial layer (repeatable)")
	if want("since") {
		fs.StringVar(&s.Since, "since", "", "from this RFC3339 time, or this long before the newest event (2h)")
	}
	if want("until") {
		fs.StringVar(&s.Until, "until", "", "up to this RFC3339 time, or this long before the newest event")
	}
}
