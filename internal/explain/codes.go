package explain

import "github.com/pathproof/pathproof/internal/codes"

// Finding codes of explanations (stable, registered below).
const (
	// FindContradiction: the simulation and the evidence disagree.
	FindContradiction = "explain.contradiction"
	// FindLogMissing: a log the path needs shows no activity in the window.
	FindLogMissing = "explain.log-missing"
	// FindNotLanded: the window is still inside the time logs take to land.
	FindNotLanded = "explain.not-landed"
	// FindFlowTraceNeeded: only the firewall's flow trace log could prove
	// an asymmetric return, and it is not there.
	FindFlowTraceNeeded = "explain.flow-trace-needed"
	// FindPublicEndpoint: a resource with a private endpoint was called
	// from a public address (the client resolved the public name).
	FindPublicEndpoint = "explain.public-endpoint-used"
	// FindSNATSource: the server sees a translated source address.
	FindSNATSource = "explain.snat-source"
	// FindTunnelDown: the VPN tunnel was down or failing IKE in the window.
	FindTunnelDown = "explain.tunnel-down"
	// FindFirewallFlagged: threat intelligence or IDPS flagged the flow.
	FindFirewallFlagged = "explain.firewall-flagged"
	// FindDNSPublic: a DNS query log shows the client was answered a public
	// address for a resource that has a private endpoint.
	FindDNSPublic = "explain.dns-public-answer"
	// FindFirewallNotCrossed: a firewall the client uses (it resolved the
	// destination's name for it) made no decision for the flow.
	FindFirewallNotCrossed = "explain.firewall-not-crossed"
	// FindNameNotResolved: the destination name resolves to no address
	// from the source.
	FindNameNotResolved = "explain.name-not-resolved"
	// FindInputSkipped: some input could not be read.
	FindInputSkipped = "explain.input-skipped"
)

const domain = "explain"

func init() {
	v := func(id, meaning, next string) codes.Code {
		return codes.Code{ID: id, Domain: domain, Kind: "verdict", Meaning: meaning, Next: next}
	}
	f := func(id, sev, meaning, next string) codes.Code {
		return codes.Code{ID: id, Domain: domain, Kind: "finding", Severity: sev, Meaning: meaning, Next: next}
	}
	codes.Register(
		v(VerdictDelivered, "The network delivered the flow and the destination answered: flow-log counters show bytes back, or the PaaS resource logged a response. The answer (HTTP status, TLS alert, a PaaS refusal and its denial layer) is in `answer`.",
			"If the user still sees a failure, it is above the network: read the answer (a 403 names its layer; a TLS alert or chain problem comes from the capture)."),
		v(VerdictDropped, "The flow stopped at the hop named in `at`: a record there shows the deny (NSG rule, firewall rule or default action, IDPS), or the hop before it logged the flow and this hop, whose log was alive, did not (the simulation names the route or rule when it agrees).",
			"Apply the fix of the finding or the drop; `pathproof events` with the cited origin shows the raw record."),
		v(VerdictAsymmetric, "The request arrived and the destination answered, but the reply took another path and a stateful device (Azure Firewall, a stateful NVA) without a session dropped it. Firewall flow trace shows INVALID or a SYN-ACK without its SYN.",
			"Add the route the finding names so both directions cross the same device (usually a UDR on GatewaySubnet or the spoke), or SNAT at the device."),
		v(VerdictNeverReachedAzure, "Nothing in Azure (gateway, firewall, NICs) logged the flow, while the same logs show other traffic in the window: logging was alive, so the sender's side (on-premises firewall or routing, the client's own OS or DNS) never sent it.",
			"Capture on the sender (or start a VPN gateway packet capture) to prove it leaves; check the on-premises routes and firewall toward the Azure prefix."),
		v(VerdictNotYetKnown, "The evidence that would decide is not there yet, and the window is still inside the time the logs take to land (flow logs about 10 minutes, Key Vault up to 10, firewall and gateway about 5). `retry_after` says when to look again.",
			"Run the same explain again after `retry_after`."),
		v(VerdictNoEvidence, "A log the path needs is missing in the window (not enabled, not given, or the window holds no logs at all), so no verdict can be drawn without guessing. The findings name the log and how to enable it.",
			"Enable the log the finding names (and pass it with --logs), then reproduce the problem and explain again."),
		v(VerdictNameNotResolved, "The destination was a name and, resolved as the source would through the topology's DNS (private zones linked to its VNet, the VNet's DNS servers and what they forward to), it resolves to no address: NXDOMAIN in a linked private zone that lacks the record, or a custom DNS server whose forwarding is not in the inputs. The client has nothing to send to; the reasoning cites the zone, link or VNet.",
			"Apply the finding's fix (add the record, set the link's resolution policy to NxDomainRedirect, or declare the DNS server's forwarding), then explain again."),
		f(FindNameNotResolved, "error", "The destination name resolves to no address from the source (the verdict name-not-resolved): the message gives the resolver's answer and why.",
			"Add the missing record to the linked zone, let the link fall back to public DNS (NxDomainRedirect), or declare what the VNet's custom DNS server forwards to."),
		f(FindContradiction, "warning", "The simulation and the evidence disagree: the model puts a device on the path that logged nothing while hops on both sides did, or the model allows what a log shows denied (or the reverse). The topology export may be stale or a rule differs from it.",
			"Export the topology again (az network ... / Resource Graph) and compare the rule or route the finding names with the live resource."),
		f(FindLogMissing, "error", "A log that the path needs shows no activity in the window: flow logs not enabled on the NIC's VNet or subnet, a firewall without a diagnostic setting, or the log not passed with --logs.",
			"Enable the log the finding names (the fix gives the command) and pass its storage container or folder with --logs."),
		f(FindNotLanded, "info", "The window ends less than the time logs take to land (docs/log-formats.md §1.3) before now: records may still be on their way.",
			"Look again after the time the finding gives."),
		f(FindFlowTraceNeeded, "warning", "An asymmetric return is suspected but only Azure Firewall's flow trace log (AZFWFlowTrace: SYN-ACK, INVALID) could prove it, and it is not in the evidence.",
			"Enable the AZFWFlowTrace category (and the AFWEnableTcpConnectionLogging feature), reproduce, explain again, then switch it off: it is billed per record."),
		f(FindPublicEndpoint, "warning", "A PaaS resource that has a private endpoint logged the request from a public address: the client resolved the public name instead of the private endpoint's (its DNS is not linked to the privatelink zone), so the request left through the Internet edge.",
			"Link the privatelink DNS zone the finding names to the client's VNet (or fix the DNS forwarder), so the name resolves to the private endpoint."),
		f(FindSNATSource, "info", "A device on the path (Azure Firewall application rule or DNAT, an NVA with SNAT) translated the source: the server and its NSG see the device's address, not the client's.",
			"Write the server's NSG rules for the translated address (the firewall subnet), and use X-Forwarded-For for the client's address."),
		f(FindTunnelDown, "error", "The VPN gateway logged its tunnel disconnected, or IKE failures, in the window: traffic from the site could not cross.",
			"Read the cited IKE records: `pathproof codes` explains the failure class (PSK mismatch, policy mismatch, ...)."),
		f(FindFirewallFlagged, "warning", "Azure Firewall threat intelligence or IDPS flagged the flow (alert or deny).",
			"Check the signature or threat category; add an allow-list entry only for a confirmed false positive."),
		f(FindDNSPublic, "warning", "A DNS query log (DNS security policy, or the firewall's DNS proxy) shows the client asking for the destination's name and being answered a public address, while the resource has a private endpoint (the topology's, or a privatelink CNAME in the answer): the client resolved the public name, so its requests go around the private endpoint.",
			"Link the privatelink DNS zone the finding names to the client's VNet (or fix the DNS forwarder), then check the answer again in the DNS query log."),
		f(FindFirewallNotCrossed, "info", "Found without a topology: Azure Firewall resolved the destination's name for the client in the window (its DNS proxy) and logged its other traffic, but made no decision for this flow: the client uses the firewall, this flow goes around it (a more specific route, typically a private endpoint's /32).",
			"If the flow must be inspected, route the destination through the firewall (a UDR; for a private endpoint also privateEndpointNetworkPolicies RouteTableEnabled); `pathproof trace` with the topology names the route that wins."),
		f(FindInputSkipped, "warning", "Some log records could not be read; the verdict stands on the rest, which may miss evidence.",
			"Read the skipped list (file, record and reason) and fix or remove the damaged input."),
	)
}
