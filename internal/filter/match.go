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

func (f *Filter) match(e *event.Event, timed bool) bool {
	if len(f.Src) > 0 && !inPrefixes(e.SrcIP, f.Src) {
		return false
	}
	if len(f.Dst) > 0 && !inPrefixes(e.DstIP, f.Dst) {
		return false
	}
	if len(f.IP) > 0 && !inPrefixes(e.SrcIP, f.IP) && !inPrefixes(e.DstIP, f.IP) {
		return false
	}
	if len(f.Port) > 0 && !inPorts(e.DstPort, f.Port) {
		return false
	}
	if len(f.SrcPort) > 0 && !inPorts(e.SrcPort, f.SrcPort) {
		return false
	}
	if len(f.Proto) > 0 && !slices.Contains(f.Proto, e.Protocol) {
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
	a = a.Unmap().WithZone("")
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
