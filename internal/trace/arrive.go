package trace

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// arrive applies what happens when d receives the packet: inbound NSGs at
// the destination, IP forwarding and NSGs at an appliance NIC, Azure
// Firewall rules and NAT, private endpoint approval and policies, VPN NAT
// on the way in, stateful sessions on the return leg. done means the leg
// ends here, delivered.
func (s *sim) arrive(d *device, p *Flow, h *Hop) (done bool, drop *Drop) {
	if d.tunnel {
		return s.arriveTunnel(d, p, h)
	}
	switch d.kind {
	case KindInternet, KindService:
		h.add("delivery", VerdictAllow, "", "", "handed to %s", d.token())
		return true, nil
	case KindOnPrem:
		if !siteHas(d.site, p.Dst) {
			if !d.site.DefaultRouteToInternet {
				h.add("delivery", VerdictDeny, d.site.Name, "", "%s is not in site %s's prefixes and the site does not break out to the Internet", p.Dst, d.site.Name)
				return false, dropf(DropNoDestination, "site %s receives a packet for %s, which is outside its prefixes, and has no Internet break-out", d.site.Name, p.Dst).
					fix("stop advertising a route covering %s from site %s, or mark the site as breaking out to the Internet (default_route_to_internet) if it does", p.Dst, d.site.Name)
			}
			h.add("delivery", VerdictAllow, d.site.Name, "", "site %s breaks out to the Internet for %s", d.site.Name, p.Dst)
			return true, nil
		}
		h.add("delivery", VerdictAllow, d.site.Name, "", "site %s receives %s", d.site.Name, p.Dst)
		return true, nil
	case KindGateway:
		if !s.ret {
			s.checkGatewaySubnet(d)
		}
		if d.conn != nil {
			in := *p
			if !s.ret || !s.applySession(d, p, h) {
				s.vpnTranslate(d.conn, false, p)
			}
			if !s.ret {
				s.recordGatewayNAT(d, d.conn, in, *p, h)
			}
		}
		h.add("relay", VerdictInfo, d.name, "", "gateway %s relays the packet", d.name)
		return false, nil
	case KindHub:
		h.add("relay", VerdictInfo, d.name, "", "virtual hub %s router relays the packet", d.name)
		return false, nil
	case KindBGPPeer:
		h.add("delivery", VerdictAllow, d.name, "", "beyond %s, which learned %s outside Azure: the rest of the path is not modelled", d.next.token(), p.Dst)
		return true, nil
	case KindPE:
		return s.arrivePE(d, p, h)
	case KindLB:
		return s.arriveLB(d, p, h)
	case KindFirewall:
		drop := s.arriveFirewall(d, p, h)
		if s.firewallIsDestination {
			s.firewallIsDestination = false
			return drop == nil, drop
		}
		return false, drop
	}
	return s.arriveNIC(d, p, h)
}

func (s *sim) arriveNIC(d *device, p *Flow, h *Hop) (bool, *Drop) {
	nic := d.nic
	if s.ret {
		s.checkLBReturn(d)
		s.applySession(d, p, h)
	} else if nic.PublicIP.IsValid() && p.Dst == nic.PublicIP {
		in := *p
		p.Dst = nic.IP
		s.sessions[d.token()] = session{in: in, out: *p}
		s.addNAT(NAT{At: d.token(), Kind: "dnat", DestinationFrom: in.Dst, DestinationTo: p.Dst, Why: "instance public IP of " + nic.Name})
		h.add("nat", VerdictInfo, nic.Name, "", "public IP %s → private %s (inbound NSGs see the private address)", in.Dst, p.Dst)
	}
	if d.owns(p.Dst) {
		if !s.ret {
			if drop := s.nsgCheck(h, nicTarget(nic), dirIn, *p); drop != nil {
				return false, drop
			}
		}
		h.add("delivery", VerdictAllow, nic.Name, "", "%s owns %s", nic.Name, p.Dst)
		return true, nil
	}
	// An appliance NIC receiving a packet for someone else (§2.9).
	if !nic.IPForwarding {
		h.add("ip-forwarding", VerdictDeny, nic.Name, "", "IP forwarding is off on %s; it drops packets for %s", nic.Name, p.Dst)
		return false, dropf(DropIPForwarding, "%s receives a packet for %s but IP forwarding is off", nic.Name, p.Dst).
			fix("enable IP forwarding on NIC %s (and inside the appliance's OS)", nic.Name)
	}
	h.add("ip-forwarding", VerdictAllow, nic.Name, "", "IP forwarding is on")
	stateful := nic.NVA != nil && nic.NVA.Stateful
	if s.ret {
		_, seen := s.sessions[d.token()]
		if stateful {
			if !seen {
				return false, s.asymmetricDrop(d, *p, h)
			}
			h.add("state", VerdictAllow, nic.Name, "", "the appliance has the session of the request")
		}
		if !seen {
			// The request did not pass this appliance, so its NSGs hold no
			// state for the reply: they judge it as a new flow (§9.4).
			if drop := s.nsgCheck(h, nicTarget(nic), dirIn, *p); drop != nil {
				return false, drop
			}
			s.replyNew[d.token()] = true
		}
		return false, nil
	}
	if drop := s.nsgCheck(h, nicTarget(nic), dirIn, *p); drop != nil {
		return false, drop
	}
	in := *p
	if nic.NVA != nil && nic.NVA.SNAT {
		p.Src = nic.IP
		s.addNAT(NAT{At: d.token(), Kind: "snat", SourceFrom: in.Src, SourceTo: p.Src, Why: "appliance " + nic.Name + " source-NATs what it forwards"})
		h.add("nat", VerdictInfo, nic.Name, "", "appliance SNAT: source %s → %s", in.Src, p.Src)
	}
	if nic.NVA == nil {
		s.assume("NIC " + nic.Name + " forwards traffic but is not marked as an appliance (nva:); the trace treats it as stateless without NAT")
	}
	s.sessions[d.token()] = session{in: in, out: *p}
	s.appliances = append(s.appliances, d)
	if stateful {
		s.forwardStateful = append(s.forwardStateful, d)
	}
	return false, nil
}

func (s *sim) arrivePE(d *device, p *Flow, h *Hop) (bool, *Drop) {
	pe := d.pe
	if !pe.Approved() {
		h.add("private-endpoint", VerdictDeny, pe.Name, "", "connection state %s", pe.ConnectionState)
		return false, dropf(DropPENotApproved, "private endpoint %s connection is %s, not Approved", pe.Name, pe.ConnectionState).
			fix("approve the private endpoint connection of %s on its target resource (%s)", pe.Name, orText(pe.Target.FQDN, pe.Target.ResourceType))
	}
	h.add("private-endpoint", VerdictAllow, pe.Name, "", "connection Approved")
	if d.subnet != nil && !s.ret {
		switch d.subnet.PEPolicy() {
		case topology.PEPolicyEnabled, topology.PEPolicyNSG:
			if drop := s.nsgCheck(h, peTarget(pe), dirIn, *p); drop != nil {
				return false, drop
			}
		default:
			h.add("nsg-inbound", VerdictSkip, d.subnet.NSG, "", "privateEndpointNetworkPolicies=%s on %s: NSGs do not apply to the endpoint", d.subnet.PEPolicy(), d.subnet.Key())
		}
	}
	h.add("delivery", VerdictAllow, pe.Name, "", "private endpoint %s (%s)", pe.Name, pe.Target.FQDN)
	return true, nil
}

func (s *sim) arriveFirewall(d *device, p *Flow, h *Hop) *Drop {
	fw := d.fw
	if s.ret {
		if _, ok := s.sessions[d.token()]; !ok {
			if stateless(p.Protocol) {
				return s.replyAsNewFlow(d, p, h)
			}
			return s.asymmetricDrop(d, *p, h)
		}
		h.add("state", VerdictAllow, fw.Name, "", "the firewall has the session of the request")
		s.applySession(d, p, h)
		return nil
	}
	s.checkFirewallDefaultRoute(d)
	if p.Dst == fw.PrivateIP {
		// Addressed to the firewall itself (its DNS proxy, for one): no
		// rule evaluation, the flow ends here.
		h.add("delivery", VerdictAllow, fw.Name, "", "addressed to firewall %s itself", fw.Name)
		s.sessions[d.token()] = session{in: *p, out: *p}
		s.forwardStateful = append(s.forwardStateful, d)
		s.firewallIsDestination = true
		return nil
	}
	public := false
	for _, ip := range fw.PublicIPs {
		if ip == p.Dst {
			public = true
		}
	}
	dec := s.firewallDecision(fw, *p, public)
	rule := dec.Rule
	where := dec.describe()
	switch {
	case dec.ThreatIntel:
		h.add("firewall", VerdictDeny, dec.Policy, rule, "%s", where)
		return (&Drop{Reason: DropFirewallThreatIntel, Rule: rule, Detail: where}).
			fix("if %s is a false positive, add it to the threat intelligence allow list of policy %s", p.Dst, dec.Policy)
	case dec.Action == "Deny":
		h.add("firewall", VerdictDeny, dec.Policy, rule, "%s", where)
		d := &Drop{Reason: DropFirewallDeny, Rule: rule, Detail: where}
		if rule == "" {
			return d.fix("add a network rule to policy %s allowing %s from %s to %s port %d (no rule matched, so the default deny applied)", dec.Policy, strings.ToUpper(p.Protocol), p.Src, p.Dst, p.DstPort)
		}
		return d.fix("rule %s of policy %s denies the flow: change its collection's action or add an allow rule in a collection processed before it", rule, dec.Policy)
	}
	h.add("firewall", VerdictAllow, dec.Policy, rule, "%s", where)
	in := *p
	n := NAT{At: d.token(), Why: where}
	if dec.DNATTo.IsValid() {
		p.Dst = dec.DNATTo
		if dec.DNATPort != 0 {
			p.DstPort = dec.DNATPort
			n.DestinationPort = dec.DNATPort
		}
		n.DestinationFrom, n.DestinationTo = in.Dst, p.Dst
	}
	if dec.SNAT {
		to := dec.SNATTo
		if !to.IsValid() {
			to = representative(fw, dec.SNATPrefix)
		}
		p.Src = to
		n.SourceFrom = in.Src
		if dec.SNATTo.IsValid() {
			n.SourceTo = dec.SNATTo
		} else {
			n.SourceTo = to
			n.SourceToPrefix = dec.SNATPrefix.String()
		}
	}
	if in != *p {
		n.Kind = natKind(n)
		s.addNAT(n)
		h.add("nat", VerdictInfo, fw.Name, rule, "%s → %s", flowKey(in), flowKey(*p))
	}
	s.sessions[d.token()] = session{in: in, out: *p}
	s.forwardStateful = append(s.forwardStateful, d)
	s.appliances = append(s.appliances, d)
	return nil
}

// representative is the address a firewall SNAT picks from prefix: Azure
// uses one of the instance addresses of AzureFirewallSubnet; the trace uses
// the firewall's private IP when it lies in the prefix, so the reply is
// routed to the firewall as it would be.
func representative(fw *topology.Firewall, prefix netip.Prefix) netip.Addr {
	if !prefix.IsValid() || prefix.Contains(fw.PrivateIP) {
		return fw.PrivateIP
	}
	return prefix.Addr().Next()
}

// asymmetricDrop is the return leg reaching a stateful device that never
// saw the request (§9.4, §5.4).
func (s *sim) asymmetricDrop(d *device, p Flow, h *Hop) *Drop {
	h.add("state", VerdictDeny, d.name, "", "no session: %s never saw the request", d.token())
	if p.Protocol != "tcp" {
		s.assume("a " + strings.ToUpper(p.Protocol) + " reply without a session is treated as dropped by the stateful appliance " + d.name + "; what a third-party appliance does with it depends on its software")
	}
	fix, msg := s.fixForwardSkipped(d)
	msg = strings.ToUpper(p.Protocol) + " reply: " + msg
	s.addFinding(Finding{Code: FindAsymmetric, Severity: "error", Message: msg, Fix: fix, Evidence: evidence(d, p, false)})
	return dropf(DropAsymmetric, "the reply %s reaches %s, which has no session for it: the request did not pass it", flowKey(p), d.token()).fix("%s", fix)
}

// evidence is the log signature to expect from an asymmetric flow (§5.4).
func evidence(d *device, reply Flow, forwardSeen bool) string {
	if d.kind != KindFirewall {
		return fmt.Sprintf("appliance %s logs the reply %s as a packet without a session (or the client's next packet, if it saw only the request)", d.name, flowKey(reply))
	}
	if forwardSeen {
		if stateless(reply.Protocol) {
			return fmt.Sprintf("firewall %s: the rule log (AZFWNetworkRule) shows the %s request allowed and nothing for the reply, which goes around it; no INVALID in the flow trace log (that is TCP only)", d.name, strings.ToUpper(reply.Protocol))
		}
		return fmt.Sprintf("firewall %s: the rule log (AZFWNetworkRule/AZFWApplicationRule) shows the TCP request allowed; the reply never arrives, so the flow trace log (AZFWFlowTrace) shows the client's next packet to %s:%d as INVALID", d.name, reply.Src, reply.SrcPort)
	}
	what := ""
	switch reply.Protocol {
	case "tcp":
		what = " (TCP SYN-ACK)"
	case "icmp":
		what = " (ICMP echo reply)"
	}
	return fmt.Sprintf("firewall %s: no rule log entry for the request; the flow trace log (AZFWFlowTrace) shows the reply %s%s as INVALID", d.name, flowKey(reply), what)
}

// siteHas reports whether ip is inside one of the site's prefixes or is one
// of its hosts.
func siteHas(site *topology.OnPremSite, ip netip.Addr) bool {
	for _, p := range site.Prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	for _, h := range site.Hosts {
		if h.IP == ip {
			return true
		}
	}
	return false
}
