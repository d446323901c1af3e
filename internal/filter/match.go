package filter

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// Match reports whether e passes every flag of the filter. Call Bind first
// when NeedsNewest reports true.
func (f *Filter) Match(e *event.Event) bool { return f.match(e, true) }

// MatchFlow reports whether an event with these addresses, ports and
// protocol can pass the address, port and protocol flags: false means no
// such event passes Match or MatchUntimed, whatever its other fields
// (those apply the remaining flags too). A parser that filters while
// reading calls it before it builds the event.
func (f *Filter) MatchFlow(src, dst netip.Addr, srcPort, dstPort uint16, proto string) bool {
	if len(f.Src) > 0 && !inPrefixes(src, f.Src) {
		return false
	}
	if len(f.Dst) > 0 && !inPrefixes(dst, f.Dst) {
		return false
	}
	if len(f.IP) > 0 && !inPrefixes(src, f.IP) && !inPrefixes(dst, f.IP) {
		return false
	}
	if len(f.Port) > 0 && !inPorts(dstPort, f.Port) {
		return false
	}
	if len(f.SrcPort) > 0 && !inPorts(srcPort, f.SrcPort) {
		return false
	}
	if len(f.Proto) > 0 && !slices.Contains(f.Proto, proto) {
		return false
	}
	return true
}

func (f *Filter) match(e *event.Event, timed bool) bool {
	if !f.MatchFlow(e.SrcIP, e.DstIP, e.SrcPort, e.DstPort, e.Protocol) {
		return false
	}
	if len(f.Verdict) > 0 && !slices.Contains(f.Verdict, e.Verdict) {
		return false
	}
	if len(f.Source) > 0 && !slices.Contains(f.Source, e.Source) {
		return false
	}
	if len(f.Direction) > 0 && !slices.Contains(f.Direction, e.Direction) {
		return false
	}
	if len(f.Rule) > 0 && !anyContains(f.Rule, RuleTexts(&e.Rule)...) {
		return false
	}
	if len(f.Reason) > 0 && !anyContains(f.Reason, e.Rule.Reason) {
		return false
	}
	if !timed {
		return true
	}
	if !f.since.IsZero() && e.Time.Before(f.since) {
		return false
	}
	if !f.until.IsZero() && e.Time.After(f.until) {
		return false
	}
	return true
}

// RuleTexts lists the parts of a rule that --rule searches: the name as
// normalised and as logged, the firewall policy trail, the IDPS signature
// and the threat-intel category.
func RuleTexts(r *event.Rule) []string {
	return []string{r.Name, r.Raw, r.Policy, r.RuleCollectionGroup, r.RuleCollection, r.Signature, r.ThreatIntel}
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	if !a.IsValid() {
		return false
	}
	if !a.Is4() { // an IPv4 address is already what Contains compares
		a = a.Unmap().WithZone("")
	}
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func inPorts(p uint16, rs []PortRange) bool {
	for _, r := range rs {
		if p >= r.Lo && p <= r.Hi {
			return true
		}
	}
	return false
}

// anyContains reports whether any of texts contains any of the lower-case
// needles, ignoring case.
func anyContains(needles []string, texts ...string) bool {
	for _, t := range texts {
		if t == "" {
			continue
		}
		lt := strings.ToLower(t)
		for _, n := range needles {
			if strings.Contains(lt, n) {
				return true
			}
		}
	}
	return false
}

// MatchEndpoints reports whether a connection from client to server, each
// IP or IP:PORT (as a capture names a connection's ends), over protocol
// passes the filter, matched as an event from client to server.
func (f *Filter) MatchEndpoints(protocol, client, server string) bool {
	e := event.Event{Protocol: protocol}
	e.SrcIP, e.SrcPort = endpoint(client)
	e.DstIP, e.DstPort = endpoint(server)
	return f.Match(&e)
}

// endpoint parses IP:PORT or IP; the zero address when it is neither.
func endpoint(s string) (netip.Addr, uint16) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr(), ap.Port()
	}
	a, _ := netip.ParseAddr(s)
	return a, 0
}
