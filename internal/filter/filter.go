// Package filter is the event filter shared by `events`, `flows` and `pcap`:
// Hubble's rules over pathproof's event model. The same flag repeated is OR,
// different flags are AND, and address flags take CIDRs. A Spec holds the raw
// flag values; Parse validates all of them before any work starts and returns
// a Filter that can be applied in Go (Match) or compiled to a SQL WHERE
// clause with bind parameters (SQL) for the store. Both give the same answer
// on the same events; a property test keeps them in step.
package filter

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// Spec is the raw value of every filter flag, as typed by the user.
type Spec struct {
	Src, Dst, IP  []string // address or CIDR
	Port, SrcPort []string // port or range "8000-8100"
	Proto         []string // tcp, udp, icmp, icmpv6 or an IANA number
	Verdict       []string
	Source        []string
	Direction     []string // in, out
	Rule          []string // case-insensitive substring of any part of the deciding rule
	Reason        []string // case-insensitive substring of the decision's reason
	Since, Until  string   // RFC3339, or a duration counted back from the newest event
}

// PortRange is an inclusive port range; a single port has Lo == Hi.
type PortRange struct{ Lo, Hi uint16 }

// Bound is one end of the time window: an absolute time, or a duration
// counted back from the newest event in the data (Ago > 0).
type Bound struct {
	At  time.Time
	Ago time.Duration
}

// IsZero reports whether the bound is unset.
func (b Bound) IsZero() bool { return b.At.IsZero() && b.Ago == 0 }

// resolve returns the absolute time of b given the newest event time.
func (b Bound) resolve(newest time.Time) time.Time {
	if b.Ago > 0 {
		return newest.Add(-b.Ago)
	}
	return b.At
}

// Filter is a validated filter. The zero Filter matches every event.
type Filter struct {
	Src, Dst, IP  []netip.Prefix
	Port, SrcPort []PortRange
	// Proto holds the protocol values an event may carry to match (the
	// expansion of the user's words, see protoAliases).
	Proto        []string
	Verdict      []event.Verdict
	Source       []event.Source
	Direction    []event.Direction
	Rule, Reason []string // lower-cased
	Since, Until Bound

	// since and until are the resolved window (zero when unbounded).
	since, until time.Time
}

// protoAliases maps a --proto word to the protocol values of matching
// events. Application protocols of firewall and PaaS records (http, https,
// mssql) run over TCP, so --proto tcp matches them too; icmp covers ICMPv6.
var protoAliases = map[string][]string{
	"tcp":    {"tcp", "6", "http", "https", "mssql"},
	"udp":    {"udp", "17"},
	"icmp":   {"icmp", "1", "icmpv6", "58"},
	"icmpv6": {"icmpv6", "58"},
}

// protoNumbers names the IANA protocol numbers events spell by name.
var protoNumbers = map[int]string{6: "tcp", 17: "udp", 1: "icmp", 58: "icmpv6"}

// Parse validates every value in s and returns the Filter. The error quotes
// the flag and the offending value.
func Parse(s Spec) (*Filter, error) {
	f := &Filter{}
	var err error
	if f.Src, err = parsePrefixes("src", s.Src); err != nil {
		return nil, err
	}
	if f.Dst, err = parsePrefixes("dst", s.Dst); err != nil {
		return nil, err
	}
	if f.IP, err = parsePrefixes("ip", s.IP); err != nil {
		return nil, err
	}
	if f.Port, err = parsePorts("port", s.Port); err != nil {
		return nil, err
	}
	if f.SrcPort, err = parsePorts("src-port", s.SrcPort); err != nil {
		return nil, err
	}
	for _, p := range s.Proto {
		vals, err := parseProto(p)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			if !slices.Contains(f.Proto, v) {
				f.Proto = append(f.Proto, v)
			}
		}
	}
	if f.Verdict, err = parseEnum("verdict", s.Verdict, event.Verdicts); err != nil {
		return nil, err
	}
	if f.Source, err = parseEnum("source", s.Source, event.Sources); err != nil {
		return nil, err
	}
	if f.Direction, err = parseEnum("direction", s.Direction, []event.Direction{event.DirIn, event.DirOut}); err != nil {
		return nil, err
	}
	if f.Rule, err = parseText("rule", s.Rule); err != nil {
		return nil, err
	}
	if f.Reason, err = parseText("reason", s.Reason); err != nil {
		return nil, err
	}
	if f.Since, err = parseBound("since", s.Since); err != nil {
		return nil, err
	}
	if f.Until, err = parseBound("until", s.Until); err != nil {
		return nil, err
	}
	// Two bounds of the same kind can be ordered now; a mixed pair only
	// once the newest event is known (Bind).
	switch {
	case !f.Since.At.IsZero() && !f.Until.At.IsZero() && f.Since.At.After(f.Until.At),
		f.Since.Ago > 0 && f.Until.Ago > 0 && f.Since.Ago < f.Until.Ago:
		return nil, fmt.Errorf("--since %s is after --until %s", s.Since, s.Until)
	}
	if !f.NeedsNewest() {
		_ = f.Bind(time.Time{}) // absolute bounds, already ordered above
	}
	return f, nil
}

func parsePrefixes(flag string, vals []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range vals {
		v = strings.TrimSpace(v)
		var p netip.Prefix
		if strings.Contains(v, "/") {
			pp, err := netip.ParsePrefix(v)
			if err != nil {
				return nil, fmt.Errorf("--%s %q: not an IP address or CIDR", flag, v)
			}
			if pp.Addr().Is4In6() {
				pp = netip.PrefixFrom(pp.Addr().Unmap(), max(pp.Bits()-96, 0))
			}
			p = pp.Masked()
		} else {
			a, err := netip.ParseAddr(v)
			if err != nil {
				return nil, fmt.Errorf("--%s %q: not an IP address or CIDR", flag, v)
			}
			a = a.Unmap().WithZone("")
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePorts(flag string, vals []string) ([]PortRange, error) {
	var out []PortRange
	for _, v := range vals {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(v), "-")
		a, err1 := strconv.ParseUint(lo, 10, 16)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.ParseUint(hi, 10, 16)
		}
		if err1 != nil || err2 != nil || a > b {
			return nil, fmt.Errorf("--%s %q: want a port 0-65535 or a range LO-HI", flag, v)
		}
		out = append(out, PortRange{uint16(a), uint16(b)})
	}
	return out, nil
}

func parseProto(v string) ([]string, error) {
	w := strings.ToLower(strings.TrimSpace(v))
	if vals, ok := protoAliases[w]; ok {
		return vals, nil
	}
	n, err := strconv.Atoi(w)
	if err != nil || n < 0 || n > 255 {
		return nil, fmt.Errorf("--proto %q: want tcp, udp, icmp, icmpv6 or a protocol number 0-255", v)
	}
	if name, ok := protoNumbers[n]; ok {
		return protoAliases[name], nil
	}
	return []string{strconv.Itoa(n)}, nil
}

func parseEnum[T ~string](flag string, vals []string, allowed []T) ([]T, error) {
	var out []T
	for _, v := range vals {
		t := T(strings.ToLower(strings.TrimSpace(v)))
		if !slices.Contains(allowed, t) {
			words := make([]string, len(allowed))
			for i, a := range allowed {
				words[i] = string(a)
			}
			return nil, fmt.Errorf("--%s %q: want one of %s", flag, v, strings.Join(words, ", "))
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

func parseText(flag string, vals []string) ([]string, error) {
	var out []string
	for _, v := range vals {
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("--%s: empty value", flag)
		}
		out = append(out, strings.ToLower(v))
	}
	return out, nil
}

// parseBound reads RFC3339 (with or without fractional seconds) or a
// duration such as 90m, 2h or 7d counted back from the newest event.
func parseBound(flag, v string) (Bound, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return Bound{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return Bound{At: t.UTC()}, nil
	}
	d, err := parseDuration(v)
	if err != nil || d <= 0 {
		return Bound{}, fmt.Errorf("--%s %q: want an RFC3339 time (2026-01-02T15:04:05Z) or a positive duration (90m, 2h, 7d) counted back from the newest event", flag, v)
	}
	return Bound{Ago: d}, nil
}

// parseDuration is time.ParseDuration plus a whole-day suffix "d".
func parseDuration(v string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 36500 {
			return 0, fmt.Errorf("bad day count %q", v)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(v)
}

// NeedsNewest reports whether the window is relative to the newest event,
// so the caller must find it (and call Bind) before matching.
func (f *Filter) NeedsNewest() bool { return f.Since.Ago > 0 || f.Until.Ago > 0 }

// Bind resolves the time window against the newest event time in the data.
// It fails when the resolved --since is after --until.
func (f *Filter) Bind(newest time.Time) error {
	f.since, f.until = time.Time{}, time.Time{}
	if !f.Since.IsZero() {
		f.since = f.Since.resolve(newest)
	}
	if !f.Until.IsZero() {
		f.until = f.Until.resolve(newest)
	}
	if !f.since.IsZero() && !f.until.IsZero() && f.since.After(f.until) {
		return fmt.Errorf("--since (%s) is after --until (%s)", f.since.Format(time.RFC3339), f.until.Format(time.RFC3339))
	}
	return nil
}
