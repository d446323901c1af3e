package explain

import (
	"net/netip"
	"time"
)

// Verdicts (stable codes, registered in codes.go). One of them answers
// every explanation.
const (
	// VerdictDelivered: the network delivered the request and something
	// answered; Answer says what (bytes back, HTTP status, TLS alert, a
	// PaaS denial and its layer).
	VerdictDelivered = "delivered-and-answered"
	// VerdictDropped: the flow stopped at At, by the rule or route named in
	// the summary.
	VerdictDropped = "dropped"
	// VerdictAsymmetric: the request arrived, the reply took another path
	// and a stateful device (At) dropped it.
	VerdictAsymmetric = "asymmetric-return"
	// VerdictNeverReachedAzure: nothing in Azure saw the flow while the
	// logs on its path show other traffic in the window (logging was
	// alive), so the sender's side blocks it.
	VerdictNeverReachedAzure = "never-reached-azure"
	// VerdictNotYetKnown: the evidence that would decide is not there yet
	// and the window is still inside the time logs take to land
	// (docs/log-formats.md §1.3); Result.RetryAfter says when to look again.
	VerdictNotYetKnown = "not-yet-known"
	// VerdictNoEvidence: a log the path needs is missing or not enabled
	// (or the window holds no logs at all); the findings say which and how
	// to enable it.
	VerdictNoEvidence = "no-evidence"
	// VerdictNameNotResolved: the destination was a name and it resolves
	// to no address from the source (NXDOMAIN in a linked private zone, a
	// custom DNS server whose forwarding is unknown); At is "dns".
	VerdictNameNotResolved = "name-not-resolved"
)

// Verdicts lists every verdict in a stable order.
var Verdicts = []string{VerdictDelivered, VerdictDropped, VerdictAsymmetric, VerdictNeverReachedAzure, VerdictNotYetKnown, VerdictNoEvidence, VerdictNameNotResolved}

// Confidence levels of a verdict.
const (
	ConfidenceHigh   = "high"   // a record at the named hop says so, nothing contradicts it
	ConfidenceMedium = "medium" // inferred from absence with logging proven alive, or evidence and simulation partly disagree
	ConfidenceLow    = "low"    // inferred from absence without proof that every log was alive, or a contradiction stands
)

// Hop statuses: what the evidence says about one hop.
const (
	StatusSeen      = "seen"       // a record shows the flow at this hop, passing
	StatusDenied    = "denied"     // a record shows this hop refusing the flow
	StatusAnswered  = "answered"   // the destination answered (bytes back, a response status)
	StatusNotSeen   = "not-seen"   // the hop's log was alive in the window but shows nothing of the flow
	StatusNotLogged = "not-logged" // no log covers this hop in the window (not enabled, not given, or the hop never logs)
	StatusSimulated = "simulated"  // only the simulation speaks for this hop (an edge: on-premises, Internet)
	StatusUp        = "up"         // a gateway whose tunnel was up (gateways log tunnels, not flows)
)

// Legs of a hop.
const (
	LegForward = "forward"
	LegReturn  = "return"
)

// Citation origins that are not log files.
const (
	OriginSimulation = "simulation" // a trace decision; Quote is the decision
	OriginInference  = "inference"  // a conclusion drawn from absence or counts; Quote says from what
)

// Result is one explanation: the verdict, the hops with what each was
// expected to do and what each was seen doing, findings with fixes, and the
// citations every claim points at. Every front end (table, JSON, report,
// web UI, MCP) renders this one value. JSON keys are snake_case and
// add-only.
type Result struct {
	// Verdict is one of Verdicts.
	Verdict string `json:"verdict"`
	// At is the hop token the verdict is about (where the flow stopped,
	// or the hop that answered): nic:NAME, firewall:NAME, gateway:NAME,
	// onprem:SITE, pe:NAME, keyvault:NAME, storage:NAME, sql:NAME,
	// appgw:NAME, frontdoor:NAME, ngfw:NAME (a Palo Alto firewall),
	// expressroute:NAME (a circuit's edge), internet. Empty when no hop can be named
	// (no-evidence for a window without logs).
	At string `json:"at"`
	// Confidence is high, medium or low.
	Confidence string `json:"confidence"`
	// Summary is the verdict in one sentence.
	Summary string `json:"summary"`
	// PathInferred is true when there was no topology: the hops are where
	// evidence appeared, not a simulated path.
	PathInferred bool `json:"path_inferred"`
	// Hops are the forward leg then the return leg, in path order.
	Hops []Hop `json:"hops"`
	// Findings are problems worth fixing (contradictions, missing logs,
	// the simulation's findings, capture findings), each with a fix.
	Findings []Finding `json:"findings"`
	// Citations are the records and simulation steps the claims cite, by
	// index (Evidence.Citation, Finding.Citations, Step.Citations).
	Citations []Citation `json:"citations"`
	// Window is the time window the evidence was read for.
	Window Window `json:"window"`

	// Query is the question as asked and resolved.
	Query QueryInfo `json:"query"`
	// Reasoning lists the steps that led to the verdict, in order.
	Reasoning []Step `json:"reasoning"`
	// Answer is the application-level answer when the network delivered
	// (verdict delivered-and-answered), else nil.
	Answer *Answer `json:"answer,omitempty"`
	// RetryAfter is when to look again (verdict not-yet-known).
	RetryAfter time.Time `json:"retry_after,omitzero"`
	// Inputs says what was read; the caller fills Logs, Topology,
	// Captures and Skipped (explain reads none of them itself).
	Inputs Inputs `json:"inputs"`
}

// QueryInfo is the flow as asked and as resolved.
type QueryInfo struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Protocol string `json:"protocol"`
	// Source is how From resolved (nic:NAME, onprem:SITE/HOST,
	// internet:IP, or the bare IP without a topology).
	Source string     `json:"source"`
	SrcIP  netip.Addr `json:"src_ip"`
	// DstIP is the address the client sends to (a private endpoint's
	// address for a PaaS name, when the topology has one); DstPort the port.
	DstIP   netip.Addr `json:"dst_ip,omitzero"`
	DstPort uint16     `json:"dst_port"`
	// FQDN is the destination name when DEST was a name.
	FQDN string `json:"fqdn,omitempty"`
	// DstAddrs are every address the destination was matched by in the
	// evidence (private endpoint, public addresses seen in logs, NAT).
	DstAddrs []netip.Addr `json:"dst_addrs,omitempty"`
}

// Hop is one device on the path: what the simulation (or, without a
// topology, the evidence's position) expected there, and what was seen.
type Hop struct {
	// Hop is the hop token (see Result.At).
	Hop string `json:"hop"`
	// Leg is forward or return.
	Leg string `json:"leg"`
	// Role says what the hop is to this flow: client NIC, server NIC,
	// appliance NIC, firewall, gateway, private endpoint, on-premises
	// site, Internet, the PaaS resource.
	Role string `json:"role"`
	// Expected is what should happen here, one sentence (the trace's
	// decision, or "logs the flow" for an inferred hop).
	Expected string `json:"expected"`
	// Seen is what the evidence shows here, one sentence.
	Seen string `json:"seen"`
	// Status is one of the Status constants: seen, denied, answered,
	// not-seen, not-logged, simulated, up.
	Status string `json:"status"`
	// Packet is the 5-tuple this hop should see (after earlier NAT); nil
	// for an inferred hop.
	Packet *Flow `json:"packet,omitempty"`
	// Evidence are the records that speak for this hop.
	Evidence []Evidence `json:"evidence"`
}

// Flow is a 5-tuple as one hop sees it.
type Flow struct {
	Protocol string     `json:"protocol"`
	Src      netip.Addr `json:"src_ip"`
	SrcPort  uint16     `json:"src_port"`
	Dst      netip.Addr `json:"dst_ip"`
	DstPort  uint16     `json:"dst_port"`
}

// Evidence is one record's contribution to a hop.
type Evidence struct {
	// Citation indexes Result.Citations.
	Citation int `json:"citation"`
	// Time is the event's time (a flow tuple's own time).
	Time time.Time `json:"time,omitzero"`
	// Source is the log family (vnetflow, firewall, keyvault, ...),
	// "simulation" or "pcap".
	Source string `json:"source"`
	// Verdict is the emitter's verdict (allow, deny, ...).
	Verdict string `json:"verdict,omitempty"`
	// Rule is the deciding rule as events prints it.
	Rule string `json:"rule,omitempty"`
	// Says is what this record shows about the flow, one sentence.
	Says string `json:"says"`
}

// Finding is a problem with a fix.
type Finding struct {
	// Code is a stable code (explain.* here, or the trace's / capture
	// analysis's own code passed through).
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
	// Citations index Result.Citations.
	Citations []int `json:"citations,omitempty"`
}

// Citation points at what a claim rests on: a log record (origin key,
// record, tuple as `events` prints them), a capture connection, or a
// simulation step.
type Citation struct {
	// Origin is the log's origin key (file or blob), the capture file, or
	// OriginSimulation / OriginInference.
	Origin string `json:"origin"`
	// Record is the record index in the file (0-based); for a capture, the
	// connection's index in its report; for the simulation, the hop index
	// on its leg.
	Record int `json:"record"`
	// Tuple is the flow tuple index inside the record (0 when not a flow
	// log).
	Tuple int `json:"tuple"`
	// Quote is the record's fields as `events` prints them, or the
	// simulation's decision, or the capture connection's summary.
	Quote string `json:"quote"`
	// Kind is "log", "capture", "simulation", "inference" or "topology"
	// (a record of the topology: Origin its file, Record its line).
	Kind string `json:"kind"`
	// Time is the record's event time, when it has one.
	Time time.Time `json:"time,omitzero"`
}

// Window is the time window the evidence was read for; both ends inclusive.
type Window struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Basis says how it was chosen: "at" (±10 minutes around --at),
	// "range" (--since/--until), "newest-hour" (the newest hour of the
	// evidence), "empty" (no evidence at all).
	Basis string `json:"basis,omitempty"`
}

// Step is one step of the reasoning.
type Step struct {
	Text      string `json:"text"`
	Citations []int  `json:"citations,omitempty"`
}

// Answer is the application-level answer of a delivered flow.
type Answer struct {
	// Hop is the token of what answered.
	Hop string `json:"hop"`
	// Kind is "bytes" (flow-log counters back), "http" (an HTTP status in
	// a PaaS or gateway log or a capture), "tls" (a TLS alert or chain
	// problem in a capture), "denied" (a PaaS refusal and its layer).
	Kind string `json:"kind"`
	// HTTPStatus when Kind is http or denied.
	HTTPStatus int `json:"http_status,omitempty"`
	// Layer is the PaaS denial layer (vault-firewall, rbac, ...).
	Layer string `json:"layer,omitempty"`
	// Text says it in one sentence.
	Text string `json:"text"`
	// Citations index Result.Citations.
	Citations []int `json:"citations,omitempty"`
}

// Inputs is what the explanation read. The caller fills it.
type Inputs struct {
	Logs     []string `json:"logs,omitempty"`
	DB       string   `json:"db,omitempty"`
	Topology []string `json:"topology,omitempty"`
	Captures []string `json:"captures,omitempty"`
	// Skipped lists input the reader could not use (the verdict still
	// stands on the rest).
	Skipped []Skipped `json:"skipped,omitempty"`
	// SkippedTotal is the number of skipped records (Skipped may list
	// only the first few).
	SkippedTotal int64 `json:"skipped_total,omitempty"`
}

// Skipped is one skipped input: where and why.
type Skipped struct {
	Origin string `json:"origin"`
	Record int    `json:"record"`
	Tuple  int    `json:"tuple"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}
