package filter

import (
	"net/netip"
	"slices"

	"github.com/pathproof/pathproof/internal/event"
)

// MatchUntimed is Match without the time window: a load that keeps only
// the events a one-shot query can return uses it, because a relative window
// is only known once the newest event of all the data has been seen.
func (f *Filter) MatchUntimed(e *event.Event) bool { return f.match(e, false) }

// MatchConversation reports whether e may belong to a conversation the
// filter selects: the address, port and protocol flags applied to either
// direction (a conversation joins A→B and B→A events), every other flag
// ignored (a selected conversation shows all its events). It is a superset
// test: every event of every conversation Flows would return passes it.
func (f *Filter) MatchConversation(e *event.Event) bool {
	return f.MatchConversationFlow(e.SrcIP, e.DstIP, e.SrcPort, e.DstPort, e.Protocol)
}

// MatchConversationFlow is MatchConversation on an event's addresses,
// ports and protocol alone (the only fields it reads), for a parser that
// filters before it builds the event.
func (f *Filter) MatchConversationFlow(src, dst netip.Addr, srcPort, dstPort uint16, proto string) bool {
	if len(f.Src) > 0 && !inPrefixes(src, f.Src) && !inPrefixes(dst, f.Src) {
		return false
	}
	if len(f.Dst) > 0 && !inPrefixes(src, f.Dst) && !inPrefixes(dst, f.Dst) {
		return false
	}
	if len(f.IP) > 0 && !inPrefixes(src, f.IP) && !inPrefixes(dst, f.IP) {
		return false
	}
	if len(f.Port) > 0 && !inPorts(dstPort, f.Port) && !inPorts(srcPort, f.Port) {
		return false
	}
	if len(f.SrcPort) > 0 && !inPorts(srcPort, f.SrcPort) && !inPorts(dstPort, f.SrcPort) {
		return false
	}
	if len(f.Proto) > 0 && !slices.Contains(f.Proto, proto) && !slices.Contains(f.Proto, l4(proto)) {
		return false
	}
	return true
}

// l4 maps the application protocols of firewall and PaaS records to the
// transport they run over, as conversations do.
func l4(p string) string {
	switch p {
	case "http", "https", "mssql":
		return "tcp"
	}
	return p
}
