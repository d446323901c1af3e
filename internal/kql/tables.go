package kql

import (
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// table is one table a query may read: its name, the event source its rows
// become, and how each filter flag reads on its columns. The column
// spellings follow the Azure Monitor table reference (docs/log-formats.md
// §4.1, §5.3, §6, §7) and what internal/logs reads from the same rows.
type table struct {
	name   string
	source event.Source
	// where are the table's own conditions (the legacy firewall
	// categories, Traffic Analytics' FlowLog rows), before any flag's.
	where []string
	// eventTime is the event's time when it is not TimeGenerated, and lag
	// how long after it TimeGenerated may be (Traffic Analytics rows are
	// ingested up to an hour after the flows they sum).
	eventTime string
	lag       time.Duration
	// helpers are computed columns (name → expression) the predicates may
	// use; only those used are added, and removed again before the row is
	// packed.
	helpers []helper

	src, dst         addrs
	srcPort, dstPort port
	proto            func(vals []string) pred
	verdict          func(vs []event.Verdict) pred
	direction        func(ds []event.Direction) pred
	rule, reason     texts
}

// helper is a computed column.
type helper struct{ name, expr string }

// addrs says where a table keeps one side's address: v4 and v6 are
// expressions giving the address text (the same column for plain address
// columns); public is a column of "ip|flows|..." entries read when the
// address column is empty (Traffic Analytics' public flows); unknown marks
// a side the rows carry but no predicate can test (every row may pass).
// All empty: the table's events never have that side.
type addrs struct {
	v4, v6, public string
	unknown        bool
}

// col is a plain address column.
func col(name string) addrs { return addrs{v4: name, v6: name} }

// port says where a table keeps a port: expr is an integer expression
// (null is port 0 to the parser); fixed >= 0 is the one port every event
// has; unknown marks a port derived in ways no predicate follows.
type port struct {
	expr    string
	fixed   int
	unknown bool
}

func portCol(name string) port { return port{expr: name, fixed: -1} }

// noPort is a port the table's events never carry (0).
var noPort = port{fixed: 0}

// texts says which string columns --rule or --reason search in a table:
// cols are searched with contains (case-insensitive, like the store);
// derived are words the parser adds to the event's text itself (a denial
// layer), which no predicate can see, so a needle that may match them
// selects every row; unknown selects every row. All empty: the events
// never carry that text.
type texts struct {
	cols    []string
	derived []string
	unknown bool
}

// pred is one flag's condition on one table: ok false when no row of the
// table can pass (the table is left out of the query), expr "" when every
// row may pass.
type pred struct {
	expr string
	ok   bool
}

var (
	pass  = pred{ok: true}
	never = pred{}
)

// ruleCols are the firewall policy trail columns (event.Rule's Name,
// Policy, RuleCollectionGroup, RuleCollection).
var ruleCols = []string{"Rule", "Policy", "RuleCollectionGroup", "RuleCollection"}

// azfwTable is a structured Azure Firewall table with the common columns.
func azfwTable(name string, dst bool) table {
	t := table{
		name: name, source: event.SourceFirewall,
		src: col("SourceIp"), srcPort: portCol("SourcePort"), dstPort: portCol("DestinationPort"),
		proto: fwProto("Protocol"), verdict: actionVerdict("Action"), direction: noDirection,
		rule: texts{cols: ruleCols}, reason: texts{cols: []string{"ActionReason"}},
	}
	if dst {
		t.dst = col("DestinationIp")
	}
	return t
}

// tables are every table a query reads, in query order.
var tables = func() []table {
	network := azfwTable("AZFWNetworkRule", true)
	app := azfwTable("AZFWApplicationRule", false) // no DestinationIp: the target is Fqdn
	nat := azfwTable("AZFWNatRule", true)
	nat.verdict = fixedVerdict(event.VerdictDNAT)
	nat.reason = texts{}
	ti := azfwTable("AZFWThreatIntel", true)
	ti.rule = texts{cols: []string{`tostring(column_ifexists("ThreatDescription", ""))`}}
	ti.reason = texts{}
	idps := azfwTable("AZFWIdpsSignature", true)
	idps.rule = texts{cols: []string{"SignatureId"}}
	idps.reason = texts{}
	trace := azfwTable("AZFWFlowTrace", true)
	trace.verdict = fixedVerdict(event.VerdictInfo)
	trace.rule = texts{}
	dns := azfwTable("AZFWDnsQuery", false)
	dns.source = event.SourceDNS
	dns.dstPort = noPort
	dns.verdict = fixedVerdict(event.VerdictInfo)
	dns.rule, dns.reason = texts{}, texts{}
	return []table{network, app, nat, ti, idps, trace, dns, legacyFirewall, trafficAnalytics, keyVault, storageBlob}
}()

var trafficAnalytics = table{
	name: "NTANetAnalytics", source: event.SourceTrafficAnalytics,
	where:     []string{`SubType == "FlowLog"`},
	eventTime: "coalesce(FlowStartTime, FlowIntervalStartTime, TimeGenerated)", lag: 2 * time.Hour,
	src:     addrs{v4: "SrcIp", v6: "SrcIp", public: "SrcPublicIps"},
	dst:     addrs{v4: "DestIp", v6: "DestIp", public: "DestPublicIps"},
	srcPort: noPort, dstPort: portCol("DestPort"),
	proto:     ntaProto,
	verdict:   ntaVerdict,
	direction: ntaDirection,
	rule:      texts{cols: []string{"AclRule", `tostring(column_ifexists("NsgRule", ""))`}},
}

// callerV4 and callerV6 take the address out of a caller column that may
// carry a port ("10.0.0.4:50123", "[2001:db8::1]:443").
const (
	callerV4 = `extract(@"^([0-9.]+)(?::[0-9]+)?$", 1, CallerIpAddress)`
	callerV6 = `coalesce(extract(@"^\[([^\]]+)\]", 1, CallerIpAddress), CallerIpAddress)`
)

var keyVault = table{
	name: "AZKVAuditLogs", source: event.SourceKeyVault,
	src:       addrs{v4: callerV4, v6: callerV6},
	srcPort:   port{unknown: true},
	dstPort:   port{fixed: 443},
	proto:     fixedProto("https"),
	verdict:   httpVerdicts,
	direction: fixedDirection(event.DirIn),
	reason: texts{cols: []string{"ResultDescription"},
		derived: []string{"vault-firewall", "private-link-only", "rbac", "access-policy", "authentication", "unknown"}},
}

var storageBlob = table{
	name: "StorageBlobLogs", source: event.SourceStorage,
	src:       addrs{v4: callerV4, v6: callerV6},
	srcPort:   port{unknown: true},
	dstPort:   port{unknown: true}, // from the protocol or URI
	proto:     storageProto,
	verdict:   httpVerdicts,
	direction: fixedDirection(event.DirIn),
	reason: texts{cols: []string{"StatusText"},
		derived: []string{"storage-firewall", "rbac", "authorization", "authentication", "unknown"}},
}
