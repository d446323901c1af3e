// Package event defines the one normalised event every evidence source maps
// to: flow logs, firewall logs, PaaS diagnostics, gateway logs. Parsers
// produce events, the store keeps them, queries and reports cite them by
// Origin.
package event

import (
	"net/netip"
	"time"
)

// Source names the kind of log an event came from. The values are the
// `--source` filter words and the `source` column of the store.
type Source string

// Sources.
const (
	SourceVNetFlow         Source = "vnetflow"
	SourceNSGFlow          Source = "nsgflow"
	SourceFirewall         Source = "firewall"
	SourceKeyVault         Source = "keyvault"
	SourceStorage          Source = "storage"
	SourceSQL              Source = "sql"
	SourceVPNGateway       Source = "vpngw"
	SourceTrafficAnalytics Source = "trafficanalytics"
	SourceConnMon          Source = "connmon"
	SourceAppGateway       Source = "appgw"
	SourceDNS              Source = "dns"          // DNS query logs (DNS security policy, Azure Firewall DNS proxy)
	SourceFrontDoor        Source = "frontdoor"    // Azure Front Door access, WAF and health probe logs
	SourceExpressRoute     Source = "expressroute" // ExpressRoute Traffic Collector (sampled flow records)
	SourcePaloAlto         Source = "paloalto"     // Palo Alto Networks firewalls (Cloud NGFW, PAN-OS syslog)
)

// Sources lists every Source in a stable order.
var Sources = []Source{SourceVNetFlow, SourceNSGFlow, SourceFirewall, SourceKeyVault, SourceStorage, SourceSQL, SourceVPNGateway, SourceTrafficAnalytics, SourceConnMon, SourceAppGateway, SourceDNS, SourceFrontDoor, SourceExpressRoute, SourcePaloAlto}

// Verdict is what the emitter decided about the traffic or request.
type Verdict string

// Verdicts.
const (
	VerdictAllow Verdict = "allow" // permitted (flow allowed, request served 2xx/3xx)
	VerdictDeny  Verdict = "deny"  // refused by a rule or default action (HTTP 401/403)
	VerdictDNAT  Verdict = "dnat"  // destination-translated by a NAT rule
	VerdictAlert Verdict = "alert" // let through but flagged (IDPS, threat intel)
	VerdictDrop  Verdict = "drop"  // dropped without a rule decision (IDPS drop, encryption drop)
	VerdictError Verdict = "error" // the request failed for another reason (other 4xx, 5xx)
	VerdictInfo  Verdict = "info"  // an observation without a decision (DNS query, flow trace, tunnel state)
)

// Verdicts lists every Verdict in a stable order.
var Verdicts = []Verdict{VerdictAllow, VerdictDeny, VerdictDNAT, VerdictAlert, VerdictDrop, VerdictError, VerdictInfo}

// Direction is relative to the emitter: "in" is traffic arriving at the NIC
// (or resource), "out" traffic leaving it. Empty when the source does not say.
type Direction string

// Directions.
const (
	DirIn  Direction = "in"
	DirOut Direction = "out"
)

// Rule identifies what decided. Only the parts the source carries are set.
type Rule struct {
	// Name is the deciding rule as the source spells it: the NSG rule
	// (`DefaultRule_DenyAllInBound`, `UserRule_x`, GUID suffix removed in
	// Name and kept in Raw), the firewall rule, or the IDPS signature id.
	Name string `json:"name,omitempty"`
	// Raw is the rule string exactly as logged when it differs from Name.
	Raw string `json:"raw,omitempty"`
	// ACL is the NSG / admin-rule configuration id (VNet flow `aclID`, NSG
	// flow log resource) that holds the rule.
	ACL string `json:"acl,omitempty"`
	// Firewall policy trail.
	Policy              string `json:"policy,omitempty"`
	RuleCollectionGroup string `json:"rule_collection_group,omitempty"`
	RuleCollection      string `json:"rule_collection,omitempty"`
	// Signature is the IDPS signature id; ThreatIntel the threat category.
	Signature   string `json:"signature,omitempty"`
	ThreatIntel string `json:"threat_intel,omitempty"`
	// Default is true when no rule matched and the default action applied.
	Default bool `json:"default,omitempty"`
	// Reason is free text the source gives for the decision (ActionReason,
	// "SNI TLS extension was missing", a Key Vault denial layer, ...).
	Reason string `json:"reason,omitempty"`
}

// NAT is the translation a NAT record describes. The event's 5-tuple is the
// packet as it arrived at the emitter; NAT holds the translated side.
type NAT struct {
	Kind           string     `json:"kind"` // "dnat" or "snat"
	TranslatedIP   netip.Addr `json:"translated_ip"`
	TranslatedPort uint16     `json:"translated_port,omitempty"`
}

// Origin cites where an event came from so every answer can be traced back
// to the raw record. Key is stable across local copies and blob reads of the
// same log: for files inside a storage-account layout it is the path from
// the container name on (`insights-logs-x/resourceId=/.../PT1H.json`),
// otherwise the cleaned absolute path (or "-" for stdin).
type Origin struct {
	Key    string `json:"key"`
	Record int    `json:"record"`          // 0-based record (line or array element) index in the file
	Tuple  int    `json:"tuple,omitempty"` // 0-based flow tuple index inside the record, or -1/0 when not a flow log
}

// Event is one normalised piece of evidence.
type Event struct {
	// Time is UTC: the flow tuple's own time for flow logs, else the record time.
	Time time.Time `json:"time"`
	// Source is the log family; Category the source's own category or table
	// name (FlowLogFlowEvent, AZFWNetworkRule, AzureFirewallApplicationRule, ...).
	Source   Source `json:"source"`
	Category string `json:"category,omitempty"`
	// Emitter names the resource that wrote the record: a NIC MAC (upper-case
	// hex, no separators), a firewall name, a vault name. EmitterID is its
	// ARM resource id lower-cased, when known.
	Emitter   string `json:"emitter,omitempty"`
	EmitterID string `json:"emitter_id,omitempty"`

	// Protocol by lower-case name: "tcp", "udp", "icmp", "icmpv6", "http",
	// "https", "mssql", or the IANA number as a string when unnamed.
	Protocol string     `json:"protocol,omitempty"`
	SrcIP    netip.Addr `json:"src_ip"`
	SrcPort  uint16     `json:"src_port"`
	DstIP    netip.Addr `json:"dst_ip"`
	DstPort  uint16     `json:"dst_port"`
	// ICMPType is set for ICMP records that carry one (-1 when absent).
	ICMPType int `json:"icmp_type,omitempty"`

	Direction Direction `json:"direction,omitempty"`
	Verdict   Verdict   `json:"verdict"`
	Rule      Rule      `json:"rule"`
	NAT       *NAT      `json:"nat,omitempty"`

	// FlowState is the flow-log state: "begin", "continuing", "end", "denied".
	FlowState string `json:"flow_state,omitempty"`
	// Counters, src→dst and dst→src. Flow-log counters are deltas since the
	// previous tuple of the same flow.
	PacketsSent int64 `json:"packets_sent,omitempty"`
	BytesSent   int64 `json:"bytes_sent,omitempty"`
	PacketsRecv int64 `json:"packets_recv,omitempty"`
	BytesRecv   int64 `json:"bytes_recv,omitempty"`

	// FQDN is the destination name (application rules, DNS queries, PaaS
	// host); URL the request URL or path.
	FQDN string `json:"fqdn,omitempty"`
	URL  string `json:"url,omitempty"`
	// HTTPStatus of a request log; Caller the identity that made it.
	HTTPStatus int    `json:"http_status,omitempty"`
	Caller     string `json:"caller,omitempty"`

	// Aggregate marks rows that summarise many flows (Traffic Analytics,
	// AZFW*Aggregation, Connection Monitor): evidence of presence, never a
	// single packet. Count is the number of hits the aggregate stands for.
	Aggregate bool  `json:"aggregate,omitempty"`
	Count     int64 `json:"count,omitempty"`

	// Detail holds source-specific facts worth keeping: encryption status,
	// flow-trace flag, DNS rcode, IDPS severity, tunnel state, ...
	Detail map[string]string `json:"detail,omitempty"`

	Origin Origin `json:"origin"`
}
