package trace

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// asymmetry compares the stateful devices of both legs after the return
// leg (§9.4): a device the request crossed and the delivered reply skipped
// never completes the session. (A reply reaching a device the request
// skipped is reported where it is dropped, in asymmetricDrop.)
func (s *sim) asymmetry() {
	if s.res.Return.Result != ResultDelivered {
		return
	}
	seen := map[string]bool{}
	for _, h := range s.res.Return.Hops {
		seen[h.Token()] = true
	}
	for _, d := range s.forwardStateful {
		if seen[d.token()] {
			continue
		}
		fix, msg := s.fixReturnSkipped(d)
		reply := s.sessions[d.token()].out.Reply()
		sev := "error"
		proto := strings.ToUpper(reply.Protocol)
		msg = proto + ": " + msg
		if d.kind == KindFirewall && stateless(reply.Protocol) {
			// The firewall needs no session to let an ICMP or UDP request
			// through, and the reply does not cross it: this protocol
			// works, a TCP flow on the same path would not (§5.4).
			sev = "warning"
			msg = fmt.Sprintf("%s; the reply needs no session, so %s works on this path, but a TCP flow on the same path fails: the client's next packet reaches %s without the SYN-ACK and is dropped as INVALID", msg, protoWord(reply.Protocol), d.name)
		}
		s.addFinding(Finding{Code: FindAsymmetric, Severity: sev, Message: msg, Fix: fix, Evidence: evidence(d, reply, true)})
	}
}

// fixReturnSkipped builds the fix for a reply that skips stateful device d:
// the hop that sends the reply past d must route it to d instead.
func (s *sim) fixReturnSkipped(d *device) (fix, msg string) {
	fwd := s.res.Forward.Tokens()
	// The device after d on the forward leg is where the reply should turn
	// toward d.
	var after string
	for i, t := range fwd {
		if t == d.token() && i+1 < len(fwd) {
			after = fwd[i+1]
		}
	}
	use, ok := s.routes[1][after]
	if !ok && len(s.res.Return.Hops) > 0 {
		use, ok = s.routes[1][s.res.Return.Hops[0].Token()]
	}
	msg = fmt.Sprintf("the request passes stateful %s but the reply skips it (return: %s)", d.token(), joinTokens(s.res.Return.Tokens()))
	if !ok {
		return "route the reply through " + d.token() + " or SNAT at " + d.name, msg
	}
	msg += fmt.Sprintf("; at %s the reply takes %s", use.dev.token(), use.r.describe())
	prefix := use.r.Prefix
	if use.r.NextHopType == topology.HopVnetLocal {
		// A UDR for the whole VNet would also pull the subnet's own
		// traffic through the appliance: route the client's subnet only.
		if o := s.ownerDevice(s.sessions[d.token()].in.Src); o != nil && o.subnet != nil {
			prefix = o.subnet.Prefix
		}
	}
	fix = routeFix(use.subnet, s.net, prefix, applianceIP(d))
	if use.r.Source == azure.SourceGateway {
		if rt := s.net.RouteTable(use.subnet.RouteTable); rt != nil && !rt.DisableBGPRoutePropagation {
			fix += fmt.Sprintf(", or disable gateway route propagation on route table %s", rt.Name)
		}
	}
	return fix, msg
}

// fixForwardSkipped builds the fix for a reply that reaches stateful
// device d which the request skipped: the hop that delivered the request
// directly must send it to d.
func (s *sim) fixForwardSkipped(d *device) (fix, msg string) {
	ret := s.leg.Hops
	msg = fmt.Sprintf("the reply reaches stateful %s, which the request did not pass (forward: %s)", d.token(), joinTokens(s.res.Forward.Tokens()))
	// The return hop that sent the reply to d; on the forward leg, the hop
	// before it delivered the request around d.
	var before string
	if n := len(ret); n > 0 {
		before = ret[n-1].Token()
	}
	fwd := s.res.Forward.Tokens()
	var sender string
	for i, t := range fwd {
		if t == before && i > 0 {
			sender = fwd[i-1]
		}
	}
	use, ok := s.routes[0][sender]
	if !ok {
		return "route the request through " + d.token() + " as well, or SNAT at " + d.name, msg
	}
	msg += fmt.Sprintf("; at %s the request takes %s", use.dev.token(), use.r.describe())
	prefix := use.r.Prefix
	if prefix.Bits() == 0 {
		if v := s.vnetOf(s.res.Forward.Hops[len(s.res.Forward.Hops)-1].Packet.Dst); v != nil {
			for _, p := range v.AddressSpace {
				if p.Contains(s.res.Forward.Hops[len(s.res.Forward.Hops)-1].Packet.Dst) {
					prefix = p
				}
			}
		}
	}
	return routeFix(use.subnet, s.net, prefix, applianceIP(d)), msg
}

func joinTokens(ts []string) string {
	out := ""
	for i, t := range ts {
		if i > 0 {
			out += " → "
		}
		out += t
	}
	return out
}

// applianceIP is the address a UDR must point at to reach d.
func applianceIP(d *device) netip.Addr {
	if d.fw != nil {
		return d.fw.PrivateIP
	}
	return d.ip
}

// routeFix spells the UDR to add, naming the route table (or saying to
// create one) and the subnet.
func routeFix(sub *topology.Subnet, n *topology.Network, prefix netip.Prefix, via netip.Addr) string {
	if rt := n.RouteTable(sub.RouteTable); rt != nil {
		return fmt.Sprintf("add route %s → VirtualAppliance %s to route table %s on %s", prefix, via, rt.Name, sub.Key())
	}
	return fmt.Sprintf("create a route table with route %s → VirtualAppliance %s and associate it with %s", prefix, via, sub.Key())
}

// checkPEBypass reports a private endpoint /32 that wins over a UDR toward
// an appliance on the client's subnet (§3.3 failure mode 1).
func (s *sim) checkPEBypass(cur *device, r route, pe *device, p Flow) {
	if r.NextHopType != topology.HopInterfaceEndpoint || cur.subnet == nil {
		return
	}
	rt := s.net.RouteTable(cur.subnet.RouteTable)
	if rt == nil {
		return
	}
	for _, u := range rt.Routes {
		pfx, err := netip.ParsePrefix(u.Prefix)
		if err != nil || !pfx.Contains(p.Dst) || u.NextHopType != topology.HopVirtualAppliance {
			continue
		}
		msg := fmt.Sprintf("traffic from %s to private endpoint %s (%s) takes the endpoint's /32 system route and bypasses appliance %s that route %s (%s) of %s points at", cur.subnet.Key(), pe.name, p.Dst, u.NextHopIP, u.Name, u.Prefix, rt.Name)
		fix := fmt.Sprintf("add route %s/32 → VirtualAppliance %s to route table %s on %s", p.Dst, u.NextHopIP, rt.Name, cur.subnet.Key())
		if pe.subnet != nil {
			fix += fmt.Sprintf(", or set privateEndpointNetworkPolicies to RouteTableEnabled on %s and route the endpoint VNet's range (not 0.0.0.0/0) to %s", pe.subnet.Key(), u.NextHopIP)
		}
		s.addFinding(Finding{Code: FindPEBypassesFirewall, Severity: "warning", Message: msg, Fix: fix})
		return
	}
}

// peReplyIndeterminate reports (and records the finding) when the request
// reached a private endpoint through an appliance without SNAT: Azure does
// not guarantee the reply path (§3.3 failure mode 2).
func (s *sim) peReplyIndeterminate(pe *device, arrived Flow) bool {
	if len(s.appliances) == 0 || arrived.Src != s.res.Query.Src {
		return false
	}
	last := s.appliances[len(s.appliances)-1]
	fix := "configure SNAT on appliance " + last.name
	if last.fw != nil {
		pol := last.fw.Policy
		fix = fmt.Sprintf("SNAT at firewall %s: allow the flow with an application rule (always SNATs), or set the SNAT private ranges of policy %s to 255.255.255.255/32 (always SNAT)", last.name, pol)
	}
	s.addFinding(Finding{Code: FindPEReturnWithoutSNAT, Severity: "warning",
		Message: fmt.Sprintf("%s forwards %s to private endpoint %s without SNAT; Microsoft does not guarantee the reply returns through it", last.token(), arrived.Src, pe.name),
		Fix:     fix})
	return true
}

// checkFirewallDefaultRoute reports an AzureFirewallSubnet whose default
// route is not the Internet on a firewall without a management NIC (§5.3).
func (s *sim) checkFirewallDefaultRoute(d *device) {
	if d.fw.ManagementNIC || d.subnet == nil {
		return
	}
	r, ok := s.defaultRoute(d.subnet)
	if !ok || r.NextHopType == topology.HopInternet {
		return
	}
	fix := fmt.Sprintf("add route 0.0.0.0/0 → Internet to a route table on %s", d.subnet.Key())
	if rt := s.net.RouteTable(d.subnet.RouteTable); rt != nil {
		fix = fmt.Sprintf("add route 0.0.0.0/0 → Internet to route table %s on %s", rt.Name, d.subnet.Key())
	}
	fix += fmt.Sprintf(", or redeploy firewall %s with a management NIC (forced tunnelling)", d.fw.Name)
	s.addFinding(Finding{Code: FindFirewallDefaultRoute, Severity: "error",
		Message: fmt.Sprintf("the default route of %s is %s, not Internet, and firewall %s has no management NIC", d.subnet.Key(), r.describe(), d.fw.Name),
		Fix:     fix})
}

// checkGatewaySubnet reports an NSG or a 0.0.0.0/0 UDR on the GatewaySubnet
// of a gateway on the path (§2.7): both are unsupported. The answer per
// subnet is cached by the Tracer (a hub's table may hold a UDR per spoke).
func (s *sim) checkGatewaySubnet(d *device) {
	sub := d.subnet
	if sub == nil {
		return
	}
	s.t.mu.Lock()
	fs, ok := s.t.gwSub[sub]
	s.t.mu.Unlock()
	if !ok {
		fs = gatewaySubnetFindings(s.net, sub, d.name)
		s.t.mu.Lock()
		s.t.gwSub[sub] = fs
		s.t.mu.Unlock()
	}
	for _, f := range fs {
		s.addFinding(f)
	}
}

func gatewaySubnetFindings(n *topology.Network, sub *topology.Subnet, gw string) []Finding {
	var out []Finding
	if sub.NSG != "" {
		out = append(out, Finding{Code: FindGatewaySubnetConfig, Severity: "warning",
			Message: fmt.Sprintf("%s (gateway %s) has NSG %s; NSGs on GatewaySubnet are not supported and may break the gateway", sub.Key(), gw, sub.NSG),
			Fix:     fmt.Sprintf("remove NSG %s from %s", sub.NSG, sub.Key())})
	}
	if rt := n.RouteTable(sub.RouteTable); rt != nil {
		for _, r := range rt.Routes {
			if p, err := netip.ParsePrefix(r.Prefix); err == nil && p.Bits() == 0 {
				out = append(out, Finding{Code: FindGatewaySubnetConfig, Severity: "warning",
					Message: fmt.Sprintf("route table %s on %s (gateway %s) has route %s for 0.0.0.0/0, which GatewaySubnet does not support", rt.Name, sub.Key(), gw, r.Name),
					Fix:     fmt.Sprintf("remove route %s from route table %s; route only specific prefixes (spoke ranges) from GatewaySubnet", r.Name, rt.Name)})
			}
		}
	}
	return out
}

// checkReplySource reports a reply that reaches the Internet from another
// address than the one the client addressed (a VM's public IP whose reply
// a 0.0.0.0/0 UDR sends through an appliance): the client drops it.
func (s *sim) checkReplySource(last Flow) {
	r := s.res.Return
	if r.Result != ResultDelivered || len(r.Hops) == 0 || r.Hops[len(r.Hops)-1].Kind != KindInternet || last.Src == s.res.Query.Dst {
		return
	}
	first := r.Hops[0]
	use, ok := s.routes[1][first.Token()]
	fix := "send the reply straight to the Internet, or publish the service through the appliance (DNAT) instead of the VM's public IP"
	if ok {
		fix = fmt.Sprintf("publish the service through the appliance or firewall (DNAT) instead of %s's public IP, or route the clients' prefixes → Internet in the route table of %s (route %s %s sends the reply away)", first.Name, use.subnet.Key(), use.r.Name, use.r.Prefix)
	}
	s.addFinding(Finding{Code: FindAsymmetric, Severity: "error",
		Message: fmt.Sprintf("the client addressed %s but the reply reaches the Internet from %s (return: %s): the client drops it", s.res.Query.Dst, last.Src, joinTokens(r.Tokens())),
		Fix:     fix})
}
