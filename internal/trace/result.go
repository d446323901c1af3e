// Package trace simulates one flow through an Azure network hop by hop:
// the forward leg from the source to the destination and the return leg of
// the reply, with every decision on the way (NSGs, the effective route
// chosen, next-hop resolution, Azure Firewall rules and NAT, peering
// forwarded-traffic, private endpoint policies), stateful-device asymmetry
// and findings that each carry a concrete fix.
//
// The hop model is the one of docs/azure-semantics.md §9 (the § numbers in
// this package cite that page): a hop is a NIC
// that received the packet and sent it on (VM or NVA NIC, Azure Firewall,
// gateway, private endpoint) or an edge (on-premises site, Internet,
// service). VNets, subnets and peerings are never hops.
package trace

import (
	"net/netip"

	"github.com/pathproof/pathproof/internal/azure"
)

// Results of a leg (stable codes, registered in codes.go).
const (
	ResultDelivered     = "delivered"
	ResultDropped       = "dropped"
	ResultIndeterminate = "indeterminate"
	ResultNotApplicable = "not-applicable"
)

// Hop kinds (semantics §9.2). A hop token is "kind:name", or the bare kind
// for the Internet.
const (
	KindNIC      = "nic"
	KindFirewall = "firewall"
	KindGateway  = "gateway"
	KindPE       = "pe"
	KindOnPrem   = "onprem"
	KindInternet = "internet"
	KindService  = "service"
)

// Result is one traced flow: both legs, the translations on the forward
// leg and the findings. It is the one value every output format renders.
type Result struct {
	// Query is the flow as asked (before any translation).
	Query Flow `json:"query"`
	// Source is how the --from argument was resolved.
	Source string `json:"source"`
	// Forward is the leg from the source to the destination.
	Forward Leg `json:"forward"`
	// Return is the reply's leg, from what the destination saw back to the
	// source; Result is not-applicable when the forward leg was dropped.
	Return Leg `json:"return"`
	// NAT lists the translations on the forward leg in path order; empty
	// when nothing translated the packet.
	NAT []NAT `json:"nat"`
	// Findings are problems worth fixing, whether or not they dropped the
	// flow, each with a fix naming the resource to change.
	Findings []Finding `json:"findings"`
	// Assumptions are the simulator choices the answer depends on (semantics
	// tags [?]), so nothing is hidden.
	Assumptions []string `json:"assumptions,omitempty"`
	// DNS is how the destination's name resolved from the source, when the
	// query gave a name (Query.Name).
	DNS *azure.DNSAnswer `json:"dns,omitempty"`
}

// Flow is a 5-tuple. Protocol is lower case: tcp, udp or icmp.
type Flow struct {
	Protocol string     `json:"protocol"`
	Src      netip.Addr `json:"src_ip"`
	SrcPort  uint16     `json:"src_port"`
	Dst      netip.Addr `json:"dst_ip"`
	DstPort  uint16     `json:"dst_port"`
}

// Reply returns the flow with source and destination swapped.
func (f Flow) Reply() Flow {
	return Flow{Protocol: f.Protocol, Src: f.Dst, SrcPort: f.DstPort, Dst: f.Src, DstPort: f.SrcPort}
}

// Leg is one direction of the flow.
type Leg struct {
	// Result is delivered, dropped, indeterminate or not-applicable.
	Result string `json:"result"`
	// Hops in order; the last is where the packet stopped.
	Hops []Hop `json:"hops"`
	// Drop says where and why the leg stopped; nil unless dropped.
	Drop *Drop `json:"drop,omitempty"`
	// Note explains an indeterminate or not-applicable result.
	Note string `json:"note,omitempty"`
}

// Hop is one device that touched the packet.
type Hop struct {
	Kind string `json:"kind"`
	Name string `json:"name,omitempty"`
	// IP is the hop's address on the path (NIC or firewall private IP,
	// gateway public IP, the host's IP for edges).
	IP netip.Addr `json:"ip"`
	// Region groups hops into boxes in diagrams: the VNet name, or the
	// on-premises site; empty for the Internet.
	VNet string `json:"vnet,omitempty"`
	// Packet is the 5-tuple as this hop received it (after earlier NAT).
	Packet Flow `json:"packet"`
	// Checks are the decisions taken at this hop, in evaluation order.
	Checks []Check `json:"checks"`
}

// Token returns the hop's stable token ("nic:vm1-nic", "internet").
func (h Hop) Token() string {
	if h.Name == "" {
		return h.Kind
	}
	return h.Kind + ":" + h.Name
}

// Check is one decision at a hop.
type Check struct {
	// Check names the step: nsg-outbound, nsg-inbound, admin-rules, route,
	// next-hop, ip-forwarding, firewall, peering, private-endpoint, nat,
	// vpn-nat, advertisement, state.
	Check string `json:"check"`
	// Verdict is allow, deny, skip (not applicable here) or info.
	Verdict string `json:"verdict"`
	// Resource names what decided: an NSG, a route table ("System Route"),
	// a firewall policy, a peering, a connection.
	Resource string `json:"resource,omitempty"`
	// Rule is the deciding rule or route name.
	Rule string `json:"rule,omitempty"`
	// Detail is a one-line human explanation.
	Detail string `json:"detail"`
}

// Check verdicts.
const (
	VerdictAllow = "allow"
	VerdictDeny  = "deny"
	VerdictSkip  = "skip"
	VerdictInfo  = "info"
)

// Drop says where a leg stopped and why.
type Drop struct {
	// At is the hop token where the packet died.
	At string `json:"at"`
	// Reason is a stable drop-reason code (semantics §9.4).
	Reason string `json:"reason"`
	// NSG and Rule name the deciding NSG rule (nsg-deny) or firewall rule
	// (firewall-deny; Rule is empty for the default deny).
	NSG  string `json:"nsg,omitempty"`
	Rule string `json:"rule,omitempty"`
	// Detail is a one-line human explanation.
	Detail string `json:"detail"`
	// Fix is the concrete change that would let the packet through, naming
	// the resource to change.
	Fix string `json:"fix,omitempty"`
}

// NAT is one translation on the forward leg.
type NAT struct {
	// At is the hop token that translated.
	At string `json:"at"`
	// Kind is snat, dnat or both ("dnat+snat").
	Kind string `json:"kind"`
	// SourceFrom/SourceTo are set when the source changed. SourceToPrefix
	// is the range Azure picks the address from when it is one of several
	// instance addresses (Azure Firewall SNAT to a private IP).
	SourceFrom     netip.Addr `json:"source_from,omitzero"`
	SourceTo       netip.Addr `json:"source_to,omitzero"`
	SourceToPrefix string     `json:"source_to_prefix,omitempty"`
	// DestinationFrom/DestinationTo are set when the destination changed.
	DestinationFrom netip.Addr `json:"destination_from,omitzero"`
	DestinationTo   netip.Addr `json:"destination_to,omitzero"`
	DestinationPort uint16     `json:"destination_port_to,omitempty"`
	// Why names the rule or feature that translated.
	Why string `json:"why"`
}

// Finding is a problem on the path, with a concrete fix.
type Finding struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
	// Evidence is what to expect in the logs when this happens (e.g. the
	// firewall flow-trace signature of an asymmetric reply).
	Evidence string `json:"evidence,omitempty"`
}

// Tokens returns the hop tokens of a leg.
func (l Leg) Tokens() []string {
	out := make([]string, len(l.Hops))
	for i, h := range l.Hops {
		out[i] = h.Token()
	}
	return out
}

// Works reports whether the flow works: both legs delivered and no error
// finding.
func (r *Result) Works() bool {
	if r.Forward.Result != ResultDelivered || r.Return.Result != ResultDelivered {
		return false
	}
	for _, f := range r.Findings {
		if f.Severity == "error" {
			return false
		}
	}
	return true
}
