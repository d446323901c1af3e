package trace

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

const (
	dirIn  = azure.Inbound
	dirOut = azure.Outbound
)

// nsgCheck evaluates admin rules and NSGs for target on packet p in
// direction dir (§4.1; for a private endpoint, §3.2) and records each
// evaluated group as a check on h. It returns the drop when denied.
func (s *sim) nsgCheck(h *Hop, t azure.Target, dir string, p Flow) *Drop {
	f := azure.Flow{Direction: dir, Protocol: strings.ToUpper(p.Protocol)}
	if dir == dirOut {
		f.LocalIP, f.LocalPort, f.RemoteIP, f.RemotePort = p.Src, int(p.SrcPort), p.Dst, int(p.DstPort)
	} else {
		f.LocalIP, f.LocalPort, f.RemoteIP, f.RemotePort = p.Dst, int(p.DstPort), p.Src, int(p.SrcPort)
	}
	d := s.eng.EvaluateNSG(t, f)
	check := "nsg-" + strings.ToLower(dir)
	if len(d.Groups) == 0 {
		h.add(check, VerdictSkip, "", "", "no NSG or admin rule applies")
	}
	for _, g := range d.Groups {
		c := check
		if g.Scope == azure.ScopeAdmin {
			c = "admin-rules"
		}
		verdict := VerdictAllow
		if g.Action == "Deny" {
			verdict = VerdictDeny
		}
		rule := ""
		if g.Rule != nil {
			rule = g.Rule.Name
		}
		detail := fmt.Sprintf("%s %s: %s", g.Scope, g.Name, orText(g.Action, "no rule matched"))
		if g.Rule != nil {
			detail += " by " + g.Rule.DiagName()
			if g.Rule.Priority > 0 {
				detail += fmt.Sprintf(" (priority %d)", g.Rule.Priority)
			}
		}
		h.add(c, verdict, g.Name, rule, "%s", detail)
	}
	for _, a := range d.Assumptions {
		s.assume(a)
	}
	for _, u := range d.Unknown {
		s.assume("service tag " + u + " could not be resolved (no service-tag file); rules using it were treated as not matching")
	}
	if d.Access != "Deny" || d.Decider == nil {
		s.checkVNetTagDefaultRoute(t, d, f.RemoteIP, dir)
		return nil
	}
	rule := ""
	if d.Decider.Rule != nil {
		rule = d.Decider.Rule.Name
	}
	if d.Decider.Scope == azure.ScopeAdmin {
		return (&Drop{Reason: DropAdminRuleDeny, NSG: d.Decider.Name, Rule: rule,
			Detail: fmt.Sprintf("admin rule %s of configuration %s denies %s %s", rule, d.Decider.Name, strings.ToLower(dir), flowKey(p))}).
			fix("change admin rule %s in network manager configuration %s; NSGs cannot override it", rule, d.Decider.Name)
	}
	drop := &Drop{Reason: DropNSGDeny, NSG: d.Decider.Name, Rule: rule,
		Detail: fmt.Sprintf("NSG %s (%s) rule %s denies %s %s", d.Decider.Name, d.Decider.Scope, rule, strings.ToLower(dir), flowKey(p))}
	prio := 0
	if d.Decider.Rule != nil {
		prio = d.Decider.Rule.Priority
	}
	remote, local, port := p.Src, p.Dst, p.DstPort
	what := "source"
	if dir == dirOut {
		remote, local, what = p.Dst, p.Src, "destination"
	}
	fix := fmt.Sprintf("add an %s rule to NSG %s allowing %s %s %s to %s port %d with a priority number below %d (rule %s denies it)",
		strings.ToLower(dir), d.Decider.Name, strings.ToUpper(p.Protocol), what, remote, local, port, prio, rule)
	if f := s.firewallBySubnet(p.Src); f != nil && dir == dirIn {
		if se, ok := s.sessions["firewall:"+f.Name]; ok && se.in.Src != se.out.Src {
			fix += fmt.Sprintf("; the source is firewall %s's SNAT address (it replaced client %s), so allow its subnet %s rather than the client", f.Name, se.in.Src, f.SubnetRef().Prefix)
		}
	}
	return drop.fix("%s", fix)
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// nicTarget and peTarget build NSG targets.
func nicTarget(n *topology.NIC) azure.Target            { return azure.Target{NIC: n} }
func peTarget(p *topology.PrivateEndpoint) azure.Target { return azure.Target{PE: p} }

// fwDecision is the firewall's decision in the trace's terms.
type fwDecision struct {
	Action      string // Allow, Deny, DNAT
	Policy      string
	Rule        string // deciding rule; "" for the default deny
	Where       string // human summary
	ThreatIntel bool   // dropped by threat intelligence (Alert and deny)
	SNAT        bool
	SNATTo      netip.Addr
	SNATPrefix  netip.Prefix
	DNATTo      netip.Addr
	DNATPort    uint16
}

func (d fwDecision) describe() string { return d.Where }

// appProtocol is the application protocol the firewall sees for a TCP
// flow: application rules only apply to HTTP, HTTPS and MSSQL (§5.1), and
// a trace knows only the port.
func appProtocol(p Flow) string {
	if p.Protocol == "tcp" {
		switch p.DstPort {
		case 443:
			return "HTTPS"
		case 80:
			return "HTTP"
		case 1433:
			return "MSSQL"
		}
	}
	return strings.ToUpper(p.Protocol)
}

// firewallDecision evaluates Azure Firewall fw's policy on p (§5.1, §5.2).
func (s *sim) firewallDecision(fw *topology.Firewall, p Flow, public bool) fwDecision {
	q := azure.FirewallQuery{Protocol: appProtocol(p), SrcIP: p.Src, SrcPort: int(p.SrcPort), DstIP: p.Dst, DstPort: int(p.DstPort), ArrivedOn: "internal"}
	if q.Protocol != strings.ToUpper(p.Protocol) {
		s.assume(fmt.Sprintf("TCP to port %d is evaluated as %s, so application rules apply (the firewall matches them on the Host header / SNI)", p.DstPort, q.Protocol))
	}
	if public {
		q.ArrivedOn = "public"
	}
	out := fwDecision{Policy: fw.Policy}
	d, err := s.eng.FirewallDecide(fw, nil, q)
	if err != nil {
		out.Action, out.Where = azure.ActionDeny, fmt.Sprintf("firewall %s: %v", fw.Name, err)
		return out
	}
	for _, a := range d.Assumptions {
		s.assume(a)
	}
	for _, u := range d.Unknown {
		s.assume("firewall " + fw.Name + ": " + u + " could not be resolved offline; rules using it were treated as not matching")
	}
	out.Action = d.Action
	if d.Match != nil {
		out.Policy, out.Rule = d.Match.Policy, d.Match.Rule
		out.Where = fmt.Sprintf("policy %s: %s by %s rule %s (group %s, collection %s)", d.Match.Policy, d.Action, d.Match.Type, d.Match.Rule, d.Match.Group, d.Match.Collection)
	} else {
		out.Where = fmt.Sprintf("policy %s: %s. Reason: %s", out.Policy, d.Action, orText(d.LogReason, "no rule matched"))
	}
	if d.ThreatIntel == "deny" {
		out.ThreatIntel = true
		out.Where = fmt.Sprintf("policy %s: threat intelligence (Alert and deny) drops the flow", out.Policy)
	} else if d.ThreatIntel == "alert" {
		out.Where += "; threat intelligence alert logged"
	}
	if d.SNAT.Applied {
		out.SNAT, out.SNATTo, out.SNATPrefix = true, d.SNAT.To, d.SNAT.ToPrefix
	}
	if d.DNAT != nil {
		out.DNATTo, out.DNATPort = d.DNAT.ToIP, uint16(d.DNAT.ToPort)
		if !out.DNATTo.IsValid() && d.DNAT.ToFQDN != "" {
			s.assume("DNAT to FQDN " + d.DNAT.ToFQDN + " has no offline resolution")
		}
	}
	return out
}

// advertised returns what a site learns over connection c (§6.2).
func (s *sim) advertised(c *topology.Connection) []netip.Prefix {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if p, ok := s.t.adv[c]; ok {
		return p
	}
	p := s.eng.AdvertisedRoutes(c.GatewayRef(), c)
	s.t.adv[c] = p
	return p
}

// learned returns the prefixes gateway routes send over connection c (after
// BGP route translation), else the connection's own learned prefixes.
func (s *sim) learned(c *topology.Connection) []netip.Prefix {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if p, ok := s.t.lrn[c]; ok {
		return p
	}
	p := s.learnedUncached(c)
	s.t.lrn[c] = p
	return p
}

func (s *sim) learnedUncached(c *topology.Connection) []netip.Prefix {
	if out := s.eng.ConnectionPrefixes(c); len(out) > 0 {
		return out
	}
	return c.LearnedPrefixes
}

// vpnTranslate applies connection c's VPN NAT rules to p (§6.2).
func (s *sim) vpnTranslate(c *topology.Connection, toOnPrem bool, p *Flow) {
	if g := c.GatewayRef(); g != nil && strings.EqualFold(g.Type, "ExpressRoute") {
		if len(c.NATRules) > 0 && !s.ret {
			s.addFinding(Finding{Code: FindERNoNAT, Severity: "error",
				Message: fmt.Sprintf("connection %s lists NAT rules %s, but ExpressRoute gateway %s does no NAT: %s reaches %s unchanged", c.Name, strings.Join(c.NATRules, ", "), g.Name, p.Src, c.Remote),
				Fix:     fmt.Sprintf("SNAT before gateway %s: route the prefixes of %s from the workload subnets to Azure Firewall or an NVA (nva: {snat: true}) that translates to the range %s expects, and remove the NAT rules from connection %s", g.Name, c.Remote, c.Remote, c.Name)})
		}
		return
	}
	dir := azure.FromOnPrem
	if toOnPrem {
		dir = azure.ToOnPrem
	}
	src, dst, _, err := s.eng.VPNNAT(c, dir, p.Src, p.Dst)
	if err == nil {
		p.Src, p.Dst = src, dst
	}
}

// checkVNetTagDefaultRoute reports an inbound allow by AllowVnetInBound
// that only matched because a 0.0.0.0/0 UDR on the subnet puts every
// address in the VirtualNetwork tag (§4.3).
func (s *sim) checkVNetTagDefaultRoute(t azure.Target, d azure.Decision, remote netip.Addr, dir string) {
	if d.Decider == nil || d.Decider.Rule == nil || !d.Decider.Rule.Default {
		return
	}
	// Inbound only: that is where the widened tag exposes the NIC (§4.3).
	// Outbound, hub-and-spoke designs rely on it (spoke to spoke through
	// the firewall is allowed by AllowVnetOutBound because of the 0/0 UDR).
	name := d.Decider.Rule.Name
	if dir != dirIn || !strings.EqualFold(name, "AllowVnetInBound") {
		return
	}
	sub := t.Subnet()
	if sub == nil {
		return
	}
	rt := s.net.RouteTable(sub.RouteTable)
	if rt == nil {
		return
	}
	var dflt *topology.Route
	for _, r := range rt.Routes {
		if p, err := netip.ParsePrefix(r.Prefix); err == nil && p.Bits() == 0 {
			dflt = r
		}
	}
	if dflt == nil || s.eng.InVirtualNetworkWithoutUDRs(sub, remote) {
		return
	}
	s.addFinding(Finding{Code: FindVNetTagDefaultRoute, Severity: "warning",
		Message: fmt.Sprintf("%s by %s of NSG %s admits %s only because route %s (0.0.0.0/0) of %s puts every address in the VirtualNetwork tag of %s", strings.ToLower(dir), name, d.Decider.Name, remote, dflt.Name, rt.Name, sub.Key()),
		Fix:     fmt.Sprintf("add an %s rule to NSG %s with a priority below 65000 that allows only the intended prefixes and denies %s (replace the VirtualNetwork tag with explicit prefixes)", strings.ToLower(dir), d.Decider.Name, remote)})
}
