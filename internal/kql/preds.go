package kql

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// or joins conditions; a single one stays bare.
func or(conds []string) string {
	if len(conds) == 1 {
		return conds[0]
	}
	return "(" + strings.Join(conds, " or ") + ")"
}

// addrPred tests one side's address against the prefixes: equality for a
// single IPv4 address, ipv4_is_in_range for an IPv4 CIDR, ipv6_is_in_range
// for IPv6. Traffic Analytics' public entries are searched for "ip|" (a
// CIDR there cannot be tested: every public row may pass).
func addrPred(a addrs, ps []netip.Prefix) pred {
	if a.unknown {
		return pass
	}
	if a.v4 == "" && a.public == "" {
		return never
	}
	var conds, singles []string
	for _, p := range ps {
		if p.Addr().Is4() && p.IsSingleIP() {
			singles = append(singles, p.Addr().String())
		}
	}
	switch singles = dedupe(singles); len(singles) {
	case 0:
	case 1:
		conds = append(conds, a.v4+" == "+str(singles[0]))
	default:
		conds = append(conds, a.v4+" in ("+strList(singles)+")")
	}
	for _, p := range ps {
		switch {
		case p.Addr().Is4() && p.IsSingleIP():
		case p.Addr().Is4():
			conds = append(conds, "ipv4_is_in_range("+a.v4+", "+str(p.String())+")")
		default:
			conds = append(conds, "ipv6_is_in_range("+a.v6+", "+str(p.String())+")")
		}
		if a.public != "" {
			if p.IsSingleIP() {
				conds = append(conds, a.public+" contains "+str(p.Addr().String()+"|"))
			} else {
				conds = append(conds, "isnotempty("+a.public+")")
			}
		}
	}
	return pred{expr: or(dedupe(conds)), ok: true}
}

func dedupe(s []string) []string {
	var out []string
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// portPred tests a port against the ranges. A null column is port 0 to
// the parser, so a range from 0 also takes nulls.
func portPred(p port, rs []filter.PortRange) pred {
	switch {
	case p.unknown:
		return pass
	case p.fixed >= 0:
		for _, r := range rs {
			if p.fixed >= int(r.Lo) && p.fixed <= int(r.Hi) {
				return pass
			}
		}
		return never
	}
	var conds []string
	for _, r := range rs {
		c := fmt.Sprintf("%s == %d", p.expr, r.Lo)
		if r.Hi != r.Lo {
			c = fmt.Sprintf("%s between (%d .. %d)", p.expr, r.Lo, r.Hi)
		}
		if r.Lo == 0 {
			c = "(isnull(" + p.expr + ") or " + c + ")"
		}
		conds = append(conds, c)
	}
	return pred{expr: or(conds), ok: true}
}

// textPred searches the needles (lower-cased already) in the columns,
// case-insensitively.
func textPred(t texts, needles []string) pred {
	if t.unknown {
		return pass
	}
	if len(t.cols) == 0 && len(t.derived) == 0 {
		return never
	}
	var conds []string
	for _, n := range needles {
		// A needle that may match words the parser adds, or the ": "
		// joining them to the logged text, selects every row.
		if strings.Contains(n, ":") || slices.ContainsFunc(t.derived, func(d string) bool { return strings.Contains(d, n) }) {
			return pass
		}
		for _, c := range t.cols {
			conds = append(conds, c+" contains "+str(n))
		}
	}
	if len(conds) == 0 {
		return never
	}
	return pred{expr: or(conds), ok: true}
}

// fwProto tests a firewall protocol token ("TCP", "ICMP Type=8", "HTTP ",
// "6"): its first word, any case, against the filter's protocol values.
func fwProto(column string) func([]string) pred {
	return func(vals []string) pred {
		return pred{expr: `tostring(split(trim(@"\s+", ` + column + `), " ")[0]) in~ (` + strList(vals) + ")", ok: true}
	}
}

// ntaSpellings are Traffic Analytics' spellings of a protocol (the
// documented T/U and the observed TCP/UDP).
var ntaSpellings = map[string][]string{
	"tcp": {"T", "TCP"}, "udp": {"U", "UDP"}, "icmp": {"ICMP"},
}

func ntaProto(vals []string) pred {
	var raw []string
	for _, v := range vals {
		raw = append(raw, ntaSpellings[v]...)
		raw = append(raw, v)
	}
	return pred{expr: "L4Protocol in~ (" + strList(dedupe(raw)) + ")", ok: true}
}

// fixedProto is a table whose events all have protocol p.
func fixedProto(p string) func([]string) pred {
	return func(vals []string) pred {
		if slices.Contains(vals, p) {
			return pass
		}
		return never
	}
}

// storageProto: Storage events are https, http or tcp (SMB, NFS), by the
// row's protocol and URI.
func storageProto(vals []string) pred {
	for _, p := range []string{"https", "http", "tcp"} {
		if slices.Contains(vals, p) {
			return pass
		}
	}
	return never
}

// actionWords are the firewall Action spellings of each verdict (as
// internal/logs reads them, any case).
var actionWords = map[event.Verdict][]string{
	event.VerdictAllow: {"Allow", "Allowed"},
	event.VerdictDeny:  {"Deny", "Denied", "Block", "Reject"},
	event.VerdictAlert: {"Alert"},
	event.VerdictDrop:  {"Drop"},
	event.VerdictDNAT:  {"Dnat"},
}

func actionVerdict(column string) func([]event.Verdict) pred {
	return func(vs []event.Verdict) pred {
		var words []string
		for _, v := range vs {
			words = append(words, actionWords[v]...)
		}
		if len(words) == 0 {
			return never
		}
		return pred{expr: column + " in~ (" + strList(words) + ")", ok: true}
	}
}

func legacyVerdict(vs []event.Verdict) pred {
	p := actionVerdict("pp_action")(vs)
	if !slices.Contains(vs, event.VerdictDNAT) {
		return p
	}
	dnat := `msg_s contains "DNAT'ed to"`
	if !p.ok {
		return pred{expr: dnat, ok: true}
	}
	return pred{expr: "(" + p.expr + " or " + dnat + ")", ok: true}
}

func fixedVerdict(v event.Verdict) func([]event.Verdict) pred {
	return func(vs []event.Verdict) pred {
		if slices.Contains(vs, v) {
			return pass
		}
		return never
	}
}

// httpVerdicts: request logs decide by HTTP status (allow, deny, error, or
// info without one); the status is not pushed down.
func httpVerdicts(vs []event.Verdict) pred {
	for _, v := range []event.Verdict{event.VerdictAllow, event.VerdictDeny, event.VerdictError, event.VerdictInfo} {
		if slices.Contains(vs, v) {
			return pass
		}
	}
	return never
}

// ntaStatus are Traffic Analytics' FlowStatus spellings (documented A/D,
// observed Allowed/Denied); any other status is info.
var ntaStatus = map[event.Verdict][]string{
	event.VerdictAllow: {"A", "Allowed", "Allow"},
	event.VerdictDeny:  {"D", "Denied", "Deny"},
}

func ntaVerdict(vs []event.Verdict) pred {
	var conds []string
	for _, v := range vs {
		if w, ok := ntaStatus[v]; ok {
			conds = append(conds, "FlowStatus in~ ("+strList(w)+")")
		}
	}
	if slices.Contains(vs, event.VerdictInfo) {
		all := append(append([]string{}, ntaStatus[event.VerdictAllow]...), ntaStatus[event.VerdictDeny]...)
		conds = append(conds, "not(FlowStatus in~ ("+strList(all)+"))")
	}
	if len(conds) == 0 {
		return never
	}
	return pred{expr: or(conds), ok: true}
}

func noDirection([]event.Direction) pred { return never }

func fixedDirection(d event.Direction) func([]event.Direction) pred {
	return func(ds []event.Direction) pred {
		if slices.Contains(ds, d) {
			return pass
		}
		return never
	}
}

var ntaDirections = map[event.Direction][]string{
	event.DirIn:  {"I", "Inbound"},
	event.DirOut: {"O", "Outbound"},
}

func ntaDirection(ds []event.Direction) pred {
	var words []string
	for _, d := range ds {
		words = append(words, ntaDirections[d]...)
	}
	return pred{expr: "FlowDirection in~ (" + strList(words) + ")", ok: true}
}
