package trace

import (
	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/codes"
)

// Drop reasons (semantics §9.4). The strings are stable codes.
const (
	DropRouteNone           = "route-none"
	DropNoRoute             = "no-route"
	DropNoDestination       = "no-destination"
	DropNextHopNotFound     = "next-hop-not-found"
	DropNextHopUnreachable  = "next-hop-unreachable"
	DropIPForwarding        = "ip-forwarding-disabled"
	DropNSGDeny             = "nsg-deny"
	DropAdminRuleDeny       = "admin-rule-deny"
	DropFirewallDeny        = "firewall-deny"
	DropFirewallThreatIntel = "firewall-threat-intel"
	DropForwardedTraffic    = "forwarded-traffic-not-allowed"
	DropPENotApproved       = "pe-not-approved"
	DropAsymmetric          = "asymmetric-stateful"
	DropRoutingLoop         = "routing-loop"
	DropGatewayMissing      = "gateway-missing"
	DropOnPremNoRoute       = "onprem-no-route"
	DropLBNoRule            = "lb-no-rule"
	DropLBNoBackend         = "lb-no-healthy-backend"
	DropNoOutbound          = "no-outbound-connectivity"
)

// Finding codes (semantics §9.4). asymmetric-stateful is both a finding
// and a drop reason; it is registered once, as a finding.
const (
	FindAsymmetric           = "asymmetric-stateful"
	FindPEBypassesFirewall   = "pe-bypasses-firewall"
	FindPEReturnWithoutSNAT  = "pe-return-without-snat"
	FindFirewallDefaultRoute = "firewall-default-route-not-internet"
	FindVNetTagDefaultRoute  = "virtualnetwork-tag-includes-default-route"
	FindGatewaySubnetConfig  = "unsupported-gatewaysubnet-config"
	FindNoSNATToInternet     = "nva-internet-without-snat"
	FindERNoNAT              = "expressroute-nat-unsupported"
	FindLBProbeBlocked       = "lb-probe-blocked"
	FindLBReturnBypass       = "lb-return-bypasses-load-balancer"
)

// PathFindingCodes are the finding codes a scenario's `findings: []`
// asserts absent.
var PathFindingCodes = append([]string{FindAsymmetric, FindPEBypassesFirewall, FindPEReturnWithoutSNAT, FindFirewallDefaultRoute, FindVNetTagDefaultRoute, FindGatewaySubnetConfig, FindLBProbeBlocked, FindLBReturnBypass},
	azure.HubConflictCodes...)

func init() {
	const d = "trace"
	v := func(id, meaning, next string) codes.Code {
		return codes.Code{ID: id, Domain: d, Kind: "verdict", Meaning: meaning, Next: next}
	}
	r := func(id, meaning, next string) codes.Code {
		return codes.Code{ID: id, Domain: d, Kind: "drop-reason", Meaning: meaning, Next: next}
	}
	f := func(id, sev, meaning, next string) codes.Code {
		return codes.Code{ID: id, Domain: d, Kind: "finding", Severity: sev, Meaning: meaning, Next: next}
	}
	codes.Register(
		v(ResultDelivered, "The leg reached its end: the destination NIC, private endpoint, site or Internet accepted the packet.",
			"Nothing to fix on this leg; read the findings for problems that do not drop packets (asymmetry, bypassed inspection)."),
		v(ResultDropped, "The leg stopped before its end; `drop` names the hop and the reason code.",
			"Look up the drop reason with `pathproof codes REASON` and apply the finding's fix."),
		v(ResultIndeterminate, "Azure documents no guaranteed path for this leg (a private endpoint's reply to a client whose traffic an appliance forwarded without SNAT, docs/azure-semantics.md §3.3).",
			"Make the path deterministic: SNAT at the appliance (an Azure Firewall application rule always does)."),
		v(ResultNotApplicable, "The return leg was not traced because the forward leg was dropped.",
			"Fix the forward leg first."),

		r(DropRouteNone, "The effective route chosen for the destination has next hop None: Azure drops the packet (a UDR of type None or a reserved system route such as 10.0.0.0/8).",
			"Run `pathproof routes` on the hop's subnet; add a more specific route or peer the destination VNet."),
		r(DropNoRoute, "No effective route contains the destination (should not happen: 0.0.0.0/0 always exists unless removed).",
			"Check the exported effective routes of the hop's subnet."),
		r(DropNoDestination, "The route says VnetLocal or VNet peering but no NIC, private endpoint, firewall or gateway owns the destination IP.",
			"Check the destination IP; the VM may be deallocated or the address unassigned."),
		r(DropNextHopNotFound, "A VirtualAppliance route points at an IP no NIC, firewall or load balancer owns (Azure shows next hop IP None).",
			"Fix the route's next hop IP or start the appliance."),
		r(DropNextHopUnreachable, "A VirtualAppliance route points at an appliance that is not in the same or a directly peered VNet; Azure cannot deliver to it.",
			"Point the route at an appliance in the same VNet or a directly peered one."),
		r(DropIPForwarding, "The packet reached an appliance NIC whose IP forwarding is off; the NIC drops packets not addressed to it.",
			"Enable IP forwarding on the appliance NIC (and inside the appliance OS)."),
		r(DropNSGDeny, "A network security group rule denied the packet; `nsg` and `rule` name it.",
			"Run `pathproof nsg-diag` for the hop and add an allow rule with a lower priority number, or remove the deny."),
		r(DropAdminRuleDeny, "An Azure Virtual Network Manager security admin rule denied the packet before any NSG.",
			"Change the admin rule in the network manager configuration; NSGs cannot override it."),
		r(DropFirewallDeny, "Azure Firewall denied the packet: a deny rule, or no rule matched and the default action applied.",
			"Run `pathproof firewall` with the flow; add an allow rule to the policy. Logs: AZFWNetworkRule with Action Deny."),
		r(DropFirewallThreatIntel, "Azure Firewall threat intelligence in Alert and deny mode dropped the flow.",
			"Check the threat intel hit; add the destination to the threat intel allow list if it is a false positive."),
		r(DropForwardedTraffic, "A packet forwarded by an appliance crossed a peering whose receiving side does not allow forwarded traffic.",
			"Set allowForwardedTraffic on the receiving VNet's peering toward the appliance's VNet."),
		r(DropPENotApproved, "The private endpoint's connection is not Approved (Pending, Rejected or Disconnected); Private Link drops the traffic.",
			"Approve the private endpoint connection on the target resource."),
		r(DropRoutingLoop, "The packet came back to a hop with the same 5-tuple, or exceeded the hop limit: a routing loop.",
			"Check the route tables of the appliances on the path; an appliance's own subnet usually sends the traffic back to itself."),
		r(DropGatewayMissing, "A route sends the packet to a virtual network gateway, but the VNet has none (or the peering does not use the remote gateway).",
			"Deploy the gateway or enable gateway transit on the peering, or remove the route."),
		r(DropLBNoRule, "The packet reached a load balancer frontend (as its destination or as a route's next hop) that has no load-balancing or inbound NAT rule for its protocol and port; the load balancer drops it.",
			"Add a load-balancing rule for the port, or an HA ports rule (protocol All, ports 0) on an internal frontend used as a next hop."),
		r(DropLBNoBackend, "The load balancer has no backend to send a new flow to: the pool is empty, or every member fails its health probe (often an NSG that blocks the probe from 168.63.129.16, tag AzureLoadBalancer).",
			"Check the pool members with `pathproof check` (lb_backends) and allow the AzureLoadBalancer tag on the probe port."),
		r(DropNoOutbound, "The source has no way to the Internet: a private subnet (default outbound access off) or a backend of only an internal Standard load balancer, with no NAT gateway, public IP or outbound rule; or a NAT gateway without a public IP.",
			"Associate a NAT gateway with a public IP with the subnet (Microsoft's recommended outbound method)."),
		r(DropOnPremNoRoute, "The on-premises site has no route toward Azure for the destination: the gateway does not advertise that prefix (no gateway transit for that VNet, or prefix summarised away).",
			"Enable allowGatewayTransit/useRemoteGateways on the peering of the destination VNet, or add a static route on the site."),

		f(FindAsymmetric, "error", "The request and its reply do not cross the same stateful devices (Azure Firewall, stateful NVA): the device drops the reply, or the client's next packets, for lack of a session. State is per protocol at Azure Firewall: a TCP packet without a session is INVALID whatever the rules say, while an ICMP echo reply or UDP reply without one is judged by the rules as a new flow; when a rule admits it the finding is a warning (that protocol works, TCP on the same path does not). Classic symptom: ping works, HTTPS does not. Also the drop reason of a return leg that dies at a device without a session.",
			"Compare both legs' hop lists; add the UDR the fix names so both directions cross the device. Logs: for TCP the firewall flow trace (AZFWFlowTrace) shows INVALID for the packet without state; for ICMP and UDP the network rule log (AZFWNetworkRule) shows the reply as a request of its own (ICMP Type=0 from the server), allowed or denied."),
		f(FindPEBypassesFirewall, "warning", "The private endpoint's /32 system route beats the subnet's UDR toward the firewall, so traffic to the endpoint is not inspected.",
			"Set privateEndpointNetworkPolicies to RouteTableEnabled (or Enabled) on the endpoint's subnet with a UDR as long as the endpoint VNet's range, or add a /32 UDR."),
		f(FindPEReturnWithoutSNAT, "warning", "Traffic reaches a private endpoint through an appliance without SNAT; Azure does not guarantee the reply returns through the appliance.",
			"SNAT at the appliance: use an Azure Firewall application rule, or set the policy's SNAT private ranges so the endpoint is outside them (255.255.255.255/32 = always SNAT)."),
		f(FindFirewallDefaultRoute, "error", "The Azure Firewall subnet's default route does not point to the Internet and the firewall has no management NIC: an unsupported configuration that breaks the firewall's own management traffic.",
			"Add a UDR 0.0.0.0/0 → Internet to AzureFirewallSubnet, or redeploy the firewall with a management NIC for forced tunnelling."),
		f(FindVNetTagDefaultRoute, "warning", "An NSG rule on the VirtualNetwork tag decided, and the tag includes 0.0.0.0/0 because of a UDR on the subnet: AllowVnetInBound admits any source.",
			"Replace the VirtualNetwork tag with explicit prefixes in a higher-priority rule."),
		f(FindGatewaySubnetConfig, "warning", "GatewaySubnet carries an NSG or a 0.0.0.0/0 UDR, which Azure does not support.",
			"Remove the NSG or the default route from GatewaySubnet."),
		f(FindERNoNAT, "error", "A connection of an ExpressRoute gateway lists NAT rules, but ExpressRoute gateways do no NAT (docs/azure-semantics.md §6.1): the partner or site sees the private source address.",
			"SNAT before the gateway: route the partner's prefixes from the workload subnets to Azure Firewall or an NVA that source-NATs to the range the partner expects."),
		f(FindLBProbeBlocked, "warning", "A load balancer backend's NSGs deny the health probe from 168.63.129.16 (service tag AzureLoadBalancer): the load balancer marks the member down and sends it no new flows, though clients reach it directly.",
			"Allow inbound from AzureLoadBalancer to the probe port (the default rule AllowAzureLoadBalancerInBound does unless a deny with a lower priority number overrides it)."),
		f(FindLBReturnBypass, "warning", "A flow crossed a load balancer to reach a pool member (an NVA behind an internal load balancer), but the reply reaches a member directly or skips the pool: only the load balancer's hash keeps both directions of a flow on one member, so stateful appliances drop the replies of flows the hash sent elsewhere.",
			"Make the return route's next hop the load balancer's frontend (HA ports), or SNAT at the appliances."),
		f(FindNoSNATToInternet, "warning", "An appliance without SNAT sends traffic to the Internet; replies cannot come back to a private source.",
			"Configure SNAT on the appliance or route Internet traffic through Azure Firewall."),
	)
}
