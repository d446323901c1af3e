package azure

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// Firewall actions.
const (
	ActionAllow = "Allow"
	ActionDeny  = "Deny"
	ActionDNAT  = "DNAT"
)

// DefaultDenyReason is what Azure Firewall logs when no rule matched (§5.1).
const DefaultDenyReason = "No rule matched. Proceeding with default action"

// IANAPrivateRanges is the default SNAT private range set (§5.2): RFC 1918 and RFC 6598.
var IANAPrivateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
}

// FirewallQuery is a packet (or request) arriving at an Azure Firewall.
type FirewallQuery struct {
	Protocol  string // TCP | UDP | ICMP | HTTP | HTTPS | MSSQL | Any
	SrcIP     netip.Addr
	SrcPort   int
	DstIP     netip.Addr // may be invalid when only FQDN is known
	FQDN      string     // destination FQDN (Host header / SNI), optional
	DstPort   int
	ArrivedOn string // "internal" (default) or "public" (addressed to a firewall public IP)
}

// FirewallMatch names the deciding rule.
type FirewallMatch struct {
	Policy, Group, Collection, Rule string
	Type                            string // DNAT | Network | Application
}

// SNAT is the source translation the firewall applies.
type SNAT struct {
	Applied bool
	// To is the translated address when it is one known address (a public IP).
	To netip.Addr
	// ToPrefix is set when Azure picks one of several instance addresses in
	// AzureFirewallSubnet (private SNAT).
	ToPrefix       netip.Prefix
	SourcePortKept bool
}

// DNAT is the destination translation of a DNAT rule.
type DNAT struct {
	ToIP   netip.Addr
	ToFQDN string
	ToPort int
}

// FirewallDecision is the firewall's verdict on one query.
type FirewallDecision struct {
	Action string
	// Match is the deciding rule; nil means the default deny.
	Match       *FirewallMatch
	SNAT        SNAT
	DNAT        *DNAT
	LogReason   string
	ThreatIntel string // "alert" or "deny" when the threat-intel list matched
	Assumptions []string
	Unknown     []string
}

// OrderedCollection is one rule collection in processing order.
type OrderedCollection struct {
	Policy     *topology.FirewallPolicy
	Group      *topology.RuleCollectionGroup
	Collection *topology.RuleCollection
}

// PolicyChain returns pol's ancestors (root first) followed by pol.
func (e *Engine) PolicyChain(pol *topology.FirewallPolicy) []*topology.FirewallPolicy {
	var chain []*topology.FirewallPolicy
	seen := map[*topology.FirewallPolicy]bool{}
	for p := pol; p != nil && !seen[p]; p = e.Net.FirewallPolicy(p.Parent) {
		seen[p] = true
		chain = append([]*topology.FirewallPolicy{p}, chain...)
		if p.Parent == "" {
			break
		}
	}
	return chain
}

// ProcessingOrder lists the rule collections of pol in the order the
// firewall tries them (§5.1): all DNAT, then all Network, then all
// Application collections; within a type, parent-policy groups before
// child groups, then group priority, then collection priority.
func (e *Engine) ProcessingOrder(pol *topology.FirewallPolicy) []OrderedCollection {
	var out []OrderedCollection
	chain := e.PolicyChain(pol)
	for _, typ := range []string{topology.RCDNAT, topology.RCNetwork, topology.RCApplication} {
		for _, p := range chain {
			groups := append([]*topology.RuleCollectionGroup(nil), p.RuleCollectionGroups...)
			sort.SliceStable(groups, func(i, j int) bool { return groups[i].Priority < groups[j].Priority })
			for _, g := range groups {
				var rcs []*topology.RuleCollection
				for _, rc := range g.RuleCollections {
					if strings.EqualFold(rc.Type, typ) {
						rcs = append(rcs, rc)
					}
				}
				sort.SliceStable(rcs, func(i, j int) bool { return rcs[i].Priority < rcs[j].Priority })
				for _, rc := range rcs {
					out = append(out, OrderedCollection{p, g, rc})
				}
			}
		}
	}
	return out
}

// FirewallPolicyOf returns the policy of firewall fw.
func (e *Engine) FirewallPolicyOf(fw *topology.Firewall) *topology.FirewallPolicy {
	return e.Net.FirewallPolicy(fw.Policy)
}

// FirewallDecide evaluates q against firewall fw (may be nil to evaluate a
// policy alone) with policy pol (nil = fw's policy), §5.1–§5.2.
func (e *Engine) FirewallDecide(fw *topology.Firewall, pol *topology.FirewallPolicy, q FirewallQuery) (FirewallDecision, error) {
	if pol == nil && fw != nil {
		pol = e.FirewallPolicyOf(fw)
	}
	if pol == nil {
		return FirewallDecision{}, fmt.Errorf("no firewall policy to evaluate")
	}
	chain := e.PolicyChain(pol)
	ev := &fwEval{e: e, fw: fw, chain: chain, q: q}
	ev.resolve()
	d := FirewallDecision{}
	// Threat intelligence runs first (§5.1).
	if mode := ev.threatIntelMode(); mode != "" && !strings.EqualFold(mode, "Off") && ev.threatListed() {
		if strings.EqualFold(mode, "Deny") {
			return FirewallDecision{Action: ActionDeny, ThreatIntel: "deny", LogReason: "Threat intelligence: destination or source is on the threat intelligence list", Assumptions: ev.notes}, nil
		}
		d.ThreatIntel = "alert"
	}
	public := strings.EqualFold(q.ArrivedOn, "public")
	for _, oc := range e.ProcessingOrder(pol) {
		typ := oc.Collection.Type
		if public && !strings.EqualFold(typ, topology.RCDNAT) {
			continue // a packet to a firewall public IP is only DNATed (§5.2); application rules never apply inbound (§5.1)
		}
		for _, r := range oc.Collection.Rules {
			var ok bool
			switch {
			case strings.EqualFold(typ, topology.RCDNAT):
				ok = ev.matchDNAT(r)
			case strings.EqualFold(typ, topology.RCNetwork):
				ok = ev.matchNetwork(r)
			case strings.EqualFold(typ, topology.RCApplication):
				ok = ev.matchApplication(r)
			}
			if !ok {
				continue
			}
			d.Match = &FirewallMatch{Policy: oc.Policy.Name, Group: oc.Group.Name, Collection: oc.Collection.Name, Rule: r.Name, Type: typ}
			switch {
			case strings.EqualFold(typ, topology.RCDNAT):
				d.Action = ActionDNAT
				d.DNAT = ev.dnatTarget(r)
				// §5.2: DNAT also translates the source to a firewall private address, port kept.
				d.SNAT = SNAT{Applied: true, ToPrefix: ev.subnetPrefix(), SourcePortKept: true}
				ev.notes = append(ev.notes, "a DNAT match ends evaluation ([?] docs/azure-semantics.md §5.1 default: no further network rules)")
			case strings.EqualFold(oc.Collection.Action, ActionDeny):
				d.Action = ActionDeny
			default:
				d.Action = ActionAllow
				if strings.EqualFold(typ, topology.RCApplication) {
					d.SNAT = ev.snatTo() // application rules always SNAT (§5.2)
				} else if !ev.privateDst() {
					d.SNAT = ev.snatTo() // network rules SNAT outside the private ranges (§5.2)
				}
			}
			d.Assumptions, d.Unknown = ev.notes, ev.unknown
			return d, nil
		}
	}
	d.Action, d.LogReason, d.Assumptions, d.Unknown = ActionDeny, DefaultDenyReason, ev.notes, ev.unknown
	return d, nil
}

type fwEval struct {
	e       *Engine
	fw      *topology.Firewall
	chain   []*topology.FirewallPolicy
	q       FirewallQuery
	dst     netip.Addr // q.DstIP or the FQDN's resolution
	fqdn    string     // q.FQDN or a reverse resolution of the IP
	notes   []string
	unknown []string
}

func (ev *fwEval) resolve() {
	ev.dst, ev.fqdn = ev.q.DstIP, ev.q.FQDN
	if !ev.dst.IsValid() && ev.fqdn != "" {
		if ip, ok := ev.lookupFQDN(ev.fqdn); ok {
			ev.dst = ip
		}
	}
	if ev.fqdn == "" && ev.dst.IsValid() {
		for _, p := range ev.chain {
			for _, r := range p.DNSRecords {
				if r.IP == ev.dst {
					ev.fqdn = r.FQDN
				}
			}
		}
	}
}

func (ev *fwEval) lookupFQDN(name string) (netip.Addr, bool) {
	for i := len(ev.chain) - 1; i >= 0; i-- {
		for _, r := range ev.chain[i].DNSRecords {
			if strings.EqualFold(strings.TrimSuffix(r.FQDN, "."), strings.TrimSuffix(name, ".")) {
				return r.IP, true
			}
		}
	}
	return netip.Addr{}, false
}

func (ev *fwEval) self() *topology.FirewallPolicy { return ev.chain[len(ev.chain)-1] }

func (ev *fwEval) threatIntelMode() string {
	if m := ev.self().ThreatIntelMode; m != "" {
		return m
	}
	if ev.fw != nil {
		return ev.fw.ThreatIntelMode
	}
	return ""
}

func (ev *fwEval) threatListed() bool {
	var listed, allowed bool
	for _, p := range ev.chain {
		for _, a := range p.ThreatIntelIPs {
			listed = listed || addrIn(a, ev.dst) || addrIn(a, ev.q.SrcIP) || (ev.fqdn != "" && fqdnMatch(a, ev.fqdn))
		}
		for _, a := range p.ThreatIntelAllowlist {
			allowed = allowed || addrIn(a, ev.dst) || addrIn(a, ev.q.SrcIP) || (ev.fqdn != "" && fqdnMatch(a, ev.fqdn))
		}
	}
	return listed && !allowed
}

// privateRanges returns the SNAT private ranges (§5.2), the policy's own
// setting, else the nearest ancestor's, else IANAPrivateRanges.
func (ev *fwEval) privateRanges() []netip.Prefix {
	var list []string
	for i := len(ev.chain) - 1; i >= 0 && len(list) == 0; i-- {
		list = ev.chain[i].SNATPrivateRanges
	}
	if len(list) == 0 {
		return IANAPrivateRanges
	}
	var out []netip.Prefix
	for _, s := range list {
		if strings.EqualFold(s, "IANAPrivateRanges") {
			out = append(out, IANAPrivateRanges...)
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}

func (ev *fwEval) privateDst() bool {
	if !ev.dst.IsValid() {
		return false
	}
	for _, p := range ev.privateRanges() {
		if p.Contains(ev.dst) {
			return true
		}
	}
	return false
}

func (ev *fwEval) subnetPrefix() netip.Prefix {
	if ev.fw != nil && ev.fw.SubnetRef() != nil {
		return ev.fw.SubnetRef().Prefix
	}
	return netip.Prefix{}
}

// snatTo picks the SNAT address (§5.2, §5.3): a public IP when the
// firewall subnet routes the destination to the Internet, else a private
// address of AzureFirewallSubnet (forced tunnelling, private destinations).
func (ev *fwEval) snatTo() SNAT {
	s := SNAT{Applied: true}
	if ev.fw == nil {
		return s
	}
	toInternet := false
	if sub := ev.fw.SubnetRef(); sub != nil && ev.dst.IsValid() {
		if nh, err := ev.e.NextHopFromSubnet(sub, ev.dst); err == nil {
			toInternet = nh.NextHopType == topology.HopInternet
		}
	}
	if toInternet && len(ev.fw.PublicIPs) > 0 {
		s.To = ev.fw.PublicIPs[0]
		return s
	}
	s.ToPrefix = ev.subnetPrefix()
	return s
}

func (ev *fwEval) dnatTarget(r *topology.FirewallRule) *DNAT {
	d := &DNAT{ToFQDN: r.TranslatedFQDN}
	if a, err := netip.ParseAddr(r.TranslatedAddress); err == nil {
		d.ToIP = a
	} else if r.TranslatedFQDN != "" {
		if ip, ok := ev.lookupFQDN(r.TranslatedFQDN); ok {
			d.ToIP = ip // FQDN targets use the first resolved IP (§5.2)
		}
	}
	if p, err := strconv.Atoi(r.TranslatedPort); err == nil {
		d.ToPort = p
	} else {
		d.ToPort = ev.q.DstPort
	}
	return d
}

func l4(p string) string {
	switch strings.ToUpper(p) {
	case "HTTP", "HTTPS", "MSSQL":
		return "TCP"
	}
	return strings.ToUpper(p)
}

func (ev *fwEval) protoOK(protocols []string) bool {
	if len(protocols) == 0 {
		return true
	}
	want := l4(ev.q.Protocol)
	for _, p := range protocols {
		switch strings.ToUpper(p) {
		case "ANY", "*":
			return true
		case want:
			return true
		}
	}
	return false
}

func (ev *fwEval) sourceOK(addrs, groups []string) bool {
	if len(addrs) == 0 && len(groups) == 0 {
		return false
	}
	for _, a := range addrs {
		if addrIn(a, ev.q.SrcIP) {
			return true
		}
	}
	return ev.groupsContain(groups, ev.q.SrcIP)
}

func (ev *fwEval) groupsContain(groups []string, ip netip.Addr) bool {
	for _, g := range groups {
		if ig := ev.e.Net.IPGroup(g); ig != nil {
			for _, a := range ig.Addresses {
				if addrIn(a, ip) {
					return true
				}
			}
		}
	}
	return false
}

func portOK(list []string, p int) bool {
	if len(list) == 0 {
		return true
	}
	return portMatch(list, p)
}

func (ev *fwEval) matchDNAT(r *topology.FirewallRule) bool {
	if !ev.protoOK(r.Protocols) || !ev.sourceOK(r.SourceAddresses, r.SourceIPGroups) || !ev.dst.IsValid() {
		return false
	}
	hit := false
	for _, a := range r.DestinationAddresses {
		hit = hit || (a != "*" && addrIn(a, ev.dst))
	}
	return hit && portOK(r.DestinationPorts, ev.q.DstPort)
}

func (ev *fwEval) matchNetwork(r *topology.FirewallRule) bool {
	if !ev.protoOK(r.Protocols) || !ev.sourceOK(r.SourceAddresses, r.SourceIPGroups) {
		return false
	}
	if !strings.EqualFold(ev.q.Protocol, "ICMP") && !portOK(r.DestinationPorts, ev.q.DstPort) {
		return false
	}
	for _, a := range r.DestinationAddresses {
		if a == "*" {
			return true
		}
		if !ev.dst.IsValid() {
			continue
		}
		if IsTag(a) {
			set, known := ev.e.TagSet(nil, a)
			if !known {
				ev.unknown = append(ev.unknown, a)
				continue
			}
			if set.Contains(ev.dst) {
				return true
			}
			continue
		}
		if addrIn(a, ev.dst) {
			return true
		}
	}
	if ev.dst.IsValid() && ev.groupsContain(r.DestinationIPGroups, ev.dst) {
		return true
	}
	for _, name := range r.DestinationFQDNs {
		// §5.1: FQDNs in network rules need DNS proxy; offline the policy's
		// dns_records stand in for the firewall's resolution.
		if !ev.dnsProxy() {
			ev.notes = append(ev.notes, fmt.Sprintf("rule %s uses FQDN %s but DNS proxy is off: the FQDN never matches (docs/azure-semantics.md §5.1)", r.Name, name))
			continue
		}
		ip, ok := ev.lookupFQDN(name)
		if !ok {
			ev.unknown = append(ev.unknown, "fqdn:"+name)
			continue
		}
		if ip == ev.dst {
			return true
		}
	}
	return false
}

func (ev *fwEval) dnsProxy() bool {
	for _, p := range ev.chain {
		if p.DNSProxy {
			return true
		}
	}
	return false
}

func (ev *fwEval) matchApplication(r *topology.FirewallRule) bool {
	proto := strings.ToUpper(ev.q.Protocol)
	if proto != "HTTP" && proto != "HTTPS" && proto != "MSSQL" {
		return false // §5.1: application rules only see HTTP, HTTPS, MSSQL
	}
	if !ev.sourceOK(r.SourceAddresses, r.SourceIPGroups) {
		return false
	}
	protoHit := len(r.Protocols) == 0
	for _, p := range r.Protocols {
		name, port, _ := strings.Cut(p, ":")
		if !strings.EqualFold(name, proto) {
			continue
		}
		if port == "" {
			protoHit = true
			continue
		}
		if n, err := strconv.Atoi(port); err == nil && n == ev.q.DstPort {
			protoHit = true
		}
	}
	if !protoHit || ev.fqdn == "" {
		return false
	}
	for _, t := range r.TargetFQDNs {
		if fqdnMatch(t, ev.fqdn) {
			return true
		}
	}
	if len(r.FQDNTags) > 0 {
		ev.unknown = append(ev.unknown, "fqdn_tags:"+strings.Join(r.FQDNTags, ","))
	}
	return false
}

// fqdnMatch matches "*", "*.example.com" (subdomains) and exact names, case-insensitively.
func fqdnMatch(pattern, name string) bool {
	pattern, name = strings.ToLower(strings.TrimSuffix(pattern, ".")), strings.ToLower(strings.TrimSuffix(name, "."))
	if pattern == "*" {
		return true
	}
	if rest, ok := strings.CutPrefix(pattern, "*."); ok {
		return strings.HasSuffix(name, "."+rest)
	}
	return pattern == name
}

// addrIn matches an address entry ("*", IP, CIDR, range a-b) against ip.
func addrIn(entry string, ip netip.Addr) bool {
	entry = strings.TrimSpace(entry)
	if entry == "*" {
		return true
	}
	if !ip.IsValid() {
		return false
	}
	if p, err := netip.ParsePrefix(entry); err == nil {
		return p.Contains(ip)
	}
	if a, err := netip.ParseAddr(entry); err == nil {
		return a == ip
	}
	if lo, hi, ok := strings.Cut(entry, "-"); ok {
		x, e1 := netip.ParseAddr(strings.TrimSpace(lo))
		y, e2 := netip.ParseAddr(strings.TrimSpace(hi))
		return e1 == nil && e2 == nil && x.Compare(ip) <= 0 && ip.Compare(y) <= 0
	}
	return false
}
