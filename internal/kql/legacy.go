package kql

import "github.com/pathproof/pathproof/internal/event"

// The legacy Azure Firewall categories land in AzureDiagnostics with the
// decision as text in msg_s (docs/log-formats.md §4.3):
//
//	TCP request from 10.0.2.4:51990 to 13.69.65.17:443. Action: Deny.
//	ICMP Type=8 request from 10.0.2.4 to 8.8.8.8. Action: Allow.
//	TCP request from 203.0.113.7:50123 to 20.1.2.3:3389 was DNAT'ed to 10.0.0.4:3389
//
// The query splits the text with these regular expressions (KQL's are RE2,
// as Go's: the tests run the same expressions in Go over every msg variant
// and compare with internal/logs' parser) so that addresses, ports,
// protocol and action can be tested on the workspace's side. The rows still
// reach pathproof whole, and internal/logs parses msg_s itself.
const (
	// legacyHead captures source host, source port, destination host and
	// destination port; ports may be empty ("from 10.0.0.1: to ...") or
	// absent (ICMP), the destination absent (SNI-missing denials).
	legacyHead = `^\S+(?: Type=\d+)?\s+request from (\S*?)(?::(\d*))?(?: to (\S*?)(?::(\d*))?)?(?:\.\s|\.$| was DNAT'ed|$)`
	// legacyProto captures the protocol word ("TCP", "ICMP", "HTTP").
	legacyProto = `^(\S+)`
	// legacyAction captures the logged action (absent on DNAT lines).
	legacyAction = `Action: (\w+)`
)

// legacyCategories are the AzureDiagnostics categories of the firewall's
// rule logs (network, NAT, IDPS and threat-intel lines come under the
// first).
var legacyCategories = []string{"AzureFirewallNetworkRule", "AzureFirewallApplicationRule"}

func extract(re string, group int, int_ bool) string {
	e := "extract(" + verbatim(re) + ", " + string(rune('0'+group)) + ", msg_s)"
	if int_ {
		return "toint(" + e + ")"
	}
	return e
}

var legacyFirewall = table{
	name: "AzureDiagnostics", source: event.SourceFirewall,
	where: []string{"Category in (" + strList(legacyCategories) + ")"},
	helpers: []helper{
		{"pp_src", extract(legacyHead, 1, false)},
		{"pp_sport", extract(legacyHead, 2, true)},
		{"pp_dst", extract(legacyHead, 3, false)},
		{"pp_dport", extract(legacyHead, 4, true)},
		{"pp_proto", extract(legacyProto, 1, false)},
		{"pp_action", extract(legacyAction, 1, false)},
	},
	src: col("pp_src"), dst: col("pp_dst"),
	srcPort: portCol("pp_sport"), dstPort: portCol("pp_dport"),
	proto:     fwProto("pp_proto"),
	verdict:   legacyVerdict,
	direction: noDirection,
	rule:      texts{cols: []string{"msg_s"}},
	reason:    texts{cols: []string{"msg_s"}},
}
