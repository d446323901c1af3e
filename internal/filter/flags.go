package filter

import (
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// Help states the combining rules of every filter flag; commands append it
// to their long help. HelpFor states those of some flags.
var Help = HelpFor()

// HelpFor states the combining rules of the named filter flags (all with
// none), mentioning only those flags, for a command that registers only
// them with AddFlags.
func HelpFor(names ...string) string {
	has := func(n ...string) bool {
		if len(names) == 0 {
			return true
		}
		for _, x := range n {
			if slices.Contains(names, x) {
				return true
			}
		}
		return false
	}
	var b strings.Builder
	b.WriteString("Filters: the same flag repeated is OR, different flags are AND")
	switch {
	case has("port") && has("verdict"):
		b.WriteString("\n(--port 443 --port 80 --verdict deny: denied traffic to 443 or 80).\n")
	case has("port") && has("proto"):
		b.WriteString("\n(--port 443 --port 80 --proto tcp: TCP to 443 or 80).\n")
	default:
		b.WriteString(".\n")
	}
	var addr []string
	for _, n := range []string{"src", "dst", "ip"} {
		if has(n) {
			addr = append(addr, "--"+n)
		}
	}
	if len(addr) > 0 {
		b.WriteString(strings.Join(addr, ", ") + " take addresses or CIDRs (--ip: either side).\n")
	}
	switch {
	case has("port") && has("src-port"):
		b.WriteString("--port is the destination port, --src-port the source port (a port or a\nrange LO-HI).\n")
	case has("port"):
		b.WriteString("--port is the destination port (a port or a range LO-HI).\n")
	case has("src-port"):
		b.WriteString("--src-port is the source port (a port or a range LO-HI).\n")
	}
	switch {
	case has("rule") && has("reason"):
		b.WriteString("--rule and --reason match case-insensitive substrings of the deciding rule\n(name, policy, collection, signature) and of the decision's reason.\n")
	case has("rule"):
		b.WriteString("--rule matches a case-insensitive substring of the deciding rule (name,\npolicy, collection, signature).\n")
	case has("reason"):
		b.WriteString("--reason matches a case-insensitive substring of the decision's reason.\n")
	}
	switch {
	case has("since") && has("until"):
		b.WriteString("--since/--until take RFC3339 times or a duration (90m, 2h, 7d) counted back\nfrom the newest event in the data; both ends are inclusive.\n")
	case has("since"):
		b.WriteString("--since takes an RFC3339 time or a duration (90m, 2h, 7d) counted back from\nthe newest event in the data (inclusive).\n")
	case has("until"):
		b.WriteString("--until takes an RFC3339 time or a duration (90m, 2h, 7d) counted back from\nthe newest event in the data (inclusive).\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

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
	list(&s.Source, "source", "vnetflow|nsgflow|firewall|keyvault|storage|sql|vpngw|trafficanalytics|connmon|appgw|dns|frontdoor|expressroute|paloalto (repeatable)")
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
