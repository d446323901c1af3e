package filter

import (
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
	if len(f.Src) > 0 && !inPrefixes(e.SrcIP, f.Src) && !inPrefixes(e.DstIP, f.Src) {
		return false
	}
	if len(f.Dst) > 0 && !inPrefixes(e.SrcIP, f.Dst) && !inPrefixes(e.DstIP, f.Dst) {
		return false
	}
	if len(f.IP) > 0 && !inPrefixes(e.SrcIP, f.IP) && !inPrefixes(e.DstIP, f.IP) {
		return false
	}
	if len(f.Port) > 0 && !inPorts(e.DstPort, f.Port) && !inPorts(e.SrcPort, f.Port) {
		return false
	}
	if len(f.SrcPort) > 0 && !inPorts(e.SrcPort, f.SrcPort) && !inPorts(e.DstPort, f.SrcPort) {
		return false
	}
	if len(f.Proto) > 0 && !slices.Contains(f.Proto, e.Protocol) && !slices.Contains(f.Proto, l4(e.Protocol)) {
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
