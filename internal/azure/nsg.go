package azure

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// Directions.
const (
	Inbound  = "Inbound"
	Outbound = "Outbound"
)

// Scopes of an evaluated group (NSG diagnostics, §4.5).
const (
	ScopeAdmin  = "admin"
	ScopeSubnet = "subnet"
	ScopeNIC    = "nic"
)

// Flow is a packet as seen by the target NIC. Local is the target's side,
// Remote the other end. Port 0 means "any" (NSG diagnostics' '*').
type Flow struct {
	Direction  string // Inbound | Outbound
	Protocol   string // TCP | UDP | ICMP | Any
	LocalIP    netip.Addr
	LocalPort  int
	RemoteIP   netip.Addr
	RemotePort int
	// RemotePrefix, when valid, replaces RemoteIP (NSG diagnostics with a
	// CIDR source): a rule matches when its addresses cover the whole prefix.
	RemotePrefix netip.Prefix
	// RemoteTag, when set, replaces RemoteIP with a service tag's addresses.
	RemoteTag string
	// Probe marks a load balancer health probe from 168.63.129.16: unlike
	// the host's DNS and DHCP it is judged by the NSGs (the
	// AzureLoadBalancer tag and AllowAzureLoadBalancerInBound exist for it).
	Probe bool
}

// Target is what the NSGs protect: a NIC or a private endpoint.
type Target struct {
	NIC *topology.NIC
	PE  *topology.PrivateEndpoint
}

// Subnet returns the target's subnet.
func (t Target) Subnet() *topology.Subnet {
	if t.NIC != nil {
		return t.NIC.SubnetRef()
	}
	if t.PE != nil {
		return t.PE.SubnetRef()
	}
	return nil
}

// RuleRef names a rule that matched.
type RuleRef struct {
	Name     string
	Default  bool // one of the six default rules (§4.2)
	Admin    bool // an AVNM security admin rule
	Priority int
	Access   string // Allow | Deny | AlwaysAllow
}

// APIName is the IP flow verify / effective rules spelling:
// securityRules/X or defaultSecurityRules/X (§4.2); admin rules keep their name.
func (r *RuleRef) APIName() string {
	switch {
	case r.Admin:
		return r.Name
	case r.Default:
		return "defaultSecurityRules/" + r.Name
	}
	return "securityRules/" + r.Name
}

// DiagName is the NSG diagnostics spelling: UserRule_X or DefaultRule_X.
func (r *RuleRef) DiagName() string {
	switch {
	case r.Admin:
		return r.Name
	case r.Default:
		return "DefaultRule_" + r.Name
	}
	return "UserRule_" + r.Name
}

// GroupResult is one evaluated group: the admin configuration, the subnet
// NSG or the NIC NSG.
type GroupResult struct {
	Scope  string   // ScopeAdmin, ScopeSubnet, ScopeNIC
	Name   string   // NSG name or admin configuration name
	Rule   *RuleRef // nil when no rule matched (admin rules only)
	Action string   // Allow | Deny | AlwaysAllow | "" (no admin rule matched)
}

// Decision is the outcome of NSG evaluation for one flow.
type Decision struct {
	Access string // Allow | Deny
	// Groups are the evaluated groups in order (§4.1); evaluation stops at a deny.
	Groups []GroupResult
	// Decider is the group IP flow verify reports, nil when no rule applies
	// (no NSG at either level).
	Decider *GroupResult
	// Unknown lists service tags that could not be resolved (treated as not matching).
	Unknown []string
	// Assumptions lists [?] defaults the answer depends on.
	Assumptions []string
}

// rule is the common form of an NSG rule, a default rule and an admin rule.
type rule struct {
	ref                          RuleRef
	direction, protocol          string
	src, dst, srcPorts, dstPorts []string
}

// defaultRules are the six default rules (§4.2).
var defaultRules = []rule{
	{RuleRef{Name: "AllowVnetInBound", Default: true, Priority: 65000, Access: "Allow"}, Inbound, "*", []string{TagVirtualNetwork}, []string{TagVirtualNetwork}, []string{"*"}, []string{"*"}},
	{RuleRef{Name: "AllowAzureLoadBalancerInBound", Default: true, Priority: 65001, Access: "Allow"}, Inbound, "*", []string{TagAzureLoadBalancer}, []string{"0.0.0.0/0"}, []string{"*"}, []string{"*"}},
	{RuleRef{Name: "DenyAllInBound", Default: true, Priority: 65500, Access: "Deny"}, Inbound, "*", []string{"0.0.0.0/0"}, []string{"0.0.0.0/0"}, []string{"*"}, []string{"*"}},
	{RuleRef{Name: "AllowVnetOutBound", Default: true, Priority: 65000, Access: "Allow"}, Outbound, "*", []string{TagVirtualNetwork}, []string{TagVirtualNetwork}, []string{"*"}, []string{"*"}},
	{RuleRef{Name: "AllowInternetOutBound", Default: true, Priority: 65001, Access: "Allow"}, Outbound, "*", []string{"0.0.0.0/0"}, []string{TagInternet}, []string{"*"}, []string{"*"}},
	{RuleRef{Name: "DenyAllOutBound", Default: true, Priority: 65500, Access: "Deny"}, Outbound, "*", []string{"0.0.0.0/0"}, []string{"0.0.0.0/0"}, []string{"*"}, []string{"*"}},
}

func nsgRules(g *topology.NSG, dir string) []rule {
	var out []rule
	for _, r := range g.Rules {
		if !strings.EqualFold(r.Direction, dir) {
			continue
		}
		out = append(out, rule{RuleRef{Name: r.Name, Priority: r.Priority, Access: canonAccess(r.Access)}, dir, r.Protocol, r.Source, r.Destination, r.SourcePorts, r.DestinationPorts})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ref.Priority < out[j].ref.Priority })
	for _, d := range defaultRules {
		if d.direction == dir {
			out = append(out, d)
		}
	}
	return out
}

// rulesOf returns g's rules for dir in evaluation order, from the cache
// New fills (or computed now for an NSG added later).
func (e *Engine) rulesOf(g *topology.NSG, dir string) []rule {
	i := 0
	if dir == Outbound {
		i = 1
	}
	if c, ok := e.nsgCache[g]; ok {
		return c[i]
	}
	return nsgRules(g, dir)
}

func canonAccess(a string) string {
	switch strings.ToLower(a) {
	case "allow":
		return "Allow"
	case "deny":
		return "Deny"
	case "alwaysallow":
		return "AlwaysAllow"
	}
	return a
}

// adminRules returns the AVNM admin rules applying to v in direction dir,
// grouped by configuration, by priority.
func (e *Engine) adminRules(v *topology.VNet, dir string) (config string, rules []rule) {
	for _, a := range e.Net.AdminRules {
		if !strings.EqualFold(a.Direction, dir) {
			continue
		}
		applies := false
		for _, ref := range a.AppliesToVNets {
			applies = applies || e.Net.VNet(ref) == v
		}
		if !applies {
			continue
		}
		if config == "" {
			config = a.Configuration
		}
		rules = append(rules, rule{RuleRef{Name: a.Name, Admin: true, Priority: a.Priority, Access: canonAccess(a.Action)}, dir, a.Protocol, a.Source, a.Destination, orStar(a.SourcePorts), orStar(a.DestinationPorts)})
	}
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].ref.Priority < rules[j].ref.Priority })
	return config, rules
}

func orStar(p []string) []string {
	if len(p) == 0 {
		return []string{"*"}
	}
	return p
}

// EvaluateNSG applies admin rules, then the subnet and NIC NSGs in the
// order of the direction (§4.1: inbound subnet→NIC, outbound NIC→subnet);
// a deny ends evaluation. For a private endpoint the subnet NSG applies
// only with NSG network policies on, and source ports count as '*' (§3.2).
func (e *Engine) EvaluateNSG(t Target, f Flow) Decision {
	d := Decision{Access: "Allow"}
	s := t.Subnet()
	if s == nil {
		d.Assumptions = append(d.Assumptions, "target has no subnet; no NSG evaluated")
		return d
	}
	dir := Inbound
	if strings.EqualFold(f.Direction, Outbound) {
		dir = Outbound
	}
	// §4.1 platform exemptions.
	if !f.Probe && !f.RemotePrefix.IsValid() && f.RemoteTag == "" && (f.RemoteIP == AzureHostIP || f.RemoteIP == IMDSIP) {
		d.Assumptions = append(d.Assumptions, fmt.Sprintf("traffic with %s is exempt from NSGs (docs/azure-semantics.md §4.1)", f.RemoteIP))
		return d
	}
	m := &matcher{e: e, t: t, f: f, dir: dir, pe: t.PE != nil}
	type grp struct {
		scope, name string
		rules       []rule
		admin       bool
	}
	var groups []grp
	if t.NIC != nil {
		if cfg, rs := e.adminRules(s.VNet(), dir); len(rs) > 0 {
			groups = append(groups, grp{ScopeAdmin, cfg, rs, true})
		}
	}
	var subnetG, nicG *grp
	if g := e.Net.NSG(s.NSG); g != nil {
		if t.PE == nil || peNSGEnabled(s) {
			subnetG = &grp{ScopeSubnet, g.Name, e.rulesOf(g, dir), false}
		}
	}
	if t.NIC != nil {
		if g := e.Net.NSG(t.NIC.NSG); g != nil {
			nicG = &grp{ScopeNIC, g.Name, e.rulesOf(g, dir), false}
		}
	}
	if dir == Inbound {
		for _, g := range []*grp{subnetG, nicG} {
			if g != nil {
				groups = append(groups, *g)
			}
		}
	} else {
		for _, g := range []*grp{nicG, subnetG} {
			if g != nil {
				groups = append(groups, *g)
			}
		}
	}
	nsgAllows := 0
	for _, g := range groups {
		gr := GroupResult{Scope: g.scope, Name: g.name}
		for _, r := range g.rules {
			if m.match(r) {
				ref := r.ref
				gr.Rule, gr.Action = &ref, r.ref.Access
				if usesTag(r, TagInternet) {
					d.Assumptions = append(d.Assumptions, InternetTagAssumption)
				}
				if usesTag(r, TagVirtualNetwork) && e.tags(s).vnet.ContainsPrefix(netip.MustParsePrefix("0.0.0.0/0")) {
					d.Assumptions = append(d.Assumptions, fmt.Sprintf("rule %s matched through VirtualNetwork, which includes 0.0.0.0/0 because a UDR of subnet %s names it (docs/azure-semantics.md §4.3)", r.ref.Name, s.Key()))
				}
				break
			}
		}
		d.Groups = append(d.Groups, gr)
		last := &d.Groups[len(d.Groups)-1]
		switch {
		case gr.Action == "Deny":
			d.Access, d.Decider = "Deny", last
			d.Unknown = m.unknown
			return d
		case g.admin && gr.Action == "AlwaysAllow":
			d.Access, d.Decider = "Allow", last
			d.Unknown = m.unknown
			return d
		case !g.admin:
			nsgAllows++
			d.Decider = last
		}
	}
	if nsgAllows > 1 {
		d.Assumptions = append(d.Assumptions, "both NSGs allow; the rule of the last NSG evaluated is reported ([?] docs/azure-semantics.md §4.5 default)")
	}
	d.Unknown = m.unknown
	return d
}

func usesTag(r rule, tag string) bool {
	for _, a := range append(append([]string{}, r.src...), r.dst...) {
		if strings.EqualFold(a, tag) {
			return true
		}
	}
	return false
}

func peNSGEnabled(s *topology.Subnet) bool {
	switch s.PEPolicy() {
	case topology.PEPolicyEnabled, topology.PEPolicyNSG:
		return true
	}
	return false
}

// matcher matches rules against one flow.
type matcher struct {
	e       *Engine
	t       Target
	f       Flow
	dir     string
	pe      bool
	unknown []string
}

func (m *matcher) match(r rule) bool {
	if !protoMatch(r.protocol, m.f.Protocol) {
		return false
	}
	// Inbound: source = remote, destination = local. Outbound: the reverse.
	srcRemote := m.dir == Inbound
	if !m.addrMatch(r.src, srcRemote) || !m.addrMatch(r.dst, !srcRemote) {
		return false
	}
	if strings.EqualFold(m.f.Protocol, "ICMP") {
		return true // ports are ignored for ICMP (§4.2)
	}
	srcPort, dstPort := m.f.RemotePort, m.f.LocalPort
	if m.dir == Outbound {
		srcPort, dstPort = m.f.LocalPort, m.f.RemotePort
	}
	if !m.pe && !portMatch(r.srcPorts, srcPort) { // §3.2: PE rules treat source ports as '*'
		return false
	}
	return portMatch(r.dstPorts, dstPort)
}

func protoMatch(ruleProto, flowProto string) bool {
	switch strings.ToLower(ruleProto) {
	case "*", "any", "all", "":
		return true
	}
	if strings.EqualFold(flowProto, "Any") {
		return false
	}
	return strings.EqualFold(ruleProto, flowProto)
}

// portMatch: "*", "n", "n-m", comma lists; p == 0 (any) only matches '*'.
func portMatch(list []string, p int) bool {
	if len(list) == 0 {
		return true
	}
	for _, item := range list {
		for _, s := range strings.Split(item, ",") {
			s = strings.TrimSpace(s)
			if s == "*" || strings.EqualFold(s, "any") {
				return true
			}
			if p == 0 {
				continue
			}
			lo, hi, isRange := strings.Cut(s, "-")
			a, err := strconv.Atoi(lo)
			if err != nil {
				continue
			}
			b := a
			if isRange {
				if b, err = strconv.Atoi(hi); err != nil {
					continue
				}
			}
			if p >= a && p <= b {
				return true
			}
		}
	}
	return false
}

// addrMatch matches a rule's address list against the remote or local side.
func (m *matcher) addrMatch(list []string, remote bool) bool {
	for _, a := range list {
		if m.addrOne(strings.TrimSpace(a), remote) {
			return true
		}
	}
	return false
}

func (m *matcher) addrOne(a string, remote bool) bool {
	if a == "*" || strings.EqualFold(a, "any") || a == "0.0.0.0/0" {
		return true
	}
	if name, ok := strings.CutPrefix(a, "asg:"); ok {
		return m.asgMember(name, remote)
	}
	if remote {
		switch {
		case m.f.RemotePrefix.IsValid():
			if p, err := netip.ParsePrefix(a); err == nil {
				return p.Bits() <= m.f.RemotePrefix.Bits() && p.Contains(m.f.RemotePrefix.Addr())
			}
			if ip, err := netip.ParseAddr(a); err == nil {
				return m.f.RemotePrefix.IsSingleIP() && m.f.RemotePrefix.Addr() == ip
			}
			set, known := m.e.TagSet(m.t.Subnet(), a)
			if !known {
				m.unknown = append(m.unknown, a)
				return false
			}
			return set.ContainsPrefix(m.f.RemotePrefix)
		case m.f.RemoteTag != "":
			return strings.EqualFold(a, m.f.RemoteTag)
		}
		return m.ipMatch(a, m.f.RemoteIP)
	}
	return m.ipMatch(a, m.f.LocalIP)
}

func (m *matcher) ipMatch(a string, ip netip.Addr) bool {
	if p, err := netip.ParsePrefix(a); err == nil {
		return p.Contains(ip)
	}
	if x, err := netip.ParseAddr(a); err == nil {
		return x == ip
	}
	if lo, hi, ok := strings.Cut(a, "-"); ok {
		x, e1 := netip.ParseAddr(strings.TrimSpace(lo))
		y, e2 := netip.ParseAddr(strings.TrimSpace(hi))
		if e1 == nil && e2 == nil {
			return x.Compare(ip) <= 0 && ip.Compare(y) <= 0
		}
	}
	member, known := m.e.TagMember(m.t.Subnet(), a, ip)
	if !known {
		m.unknown = append(m.unknown, a)
	}
	return member
}

// asgMember: a rule naming an ASG applies only to member NICs (§4.2).
func (m *matcher) asgMember(name string, remote bool) bool {
	asg := m.e.Net.ASG(name)
	if asg == nil {
		return false
	}
	var nic *topology.NIC
	if remote {
		if m.f.RemotePrefix.IsValid() || m.f.RemoteTag != "" {
			return false
		}
		if o, ok := m.e.Net.Owner(m.f.RemoteIP); ok && o.Kind == topology.OwnerNIC {
			nic = o.NIC
		}
	} else {
		nic = m.t.NIC
	}
	if nic == nil {
		return false
	}
	for _, a := range nic.ASGs {
		if m.e.Net.ASG(a) == asg {
			return true
		}
	}
	return false
}

// IPFlowResult is IP flow verify's answer (§4.5).
type IPFlowResult struct {
	Access string
	// RuleName is securityRules/X or defaultSecurityRules/X; "" when no rule
	// matched (no NSG at either level).
	RuleName string
	NSG      string
	Decision Decision
}

// IPFlowVerify answers IP flow verify for the NIC owning the flow's local
// IP. Only TCP and UDP are accepted (§4.4).
func (e *Engine) IPFlowVerify(nic *topology.NIC, f Flow) (IPFlowResult, error) {
	if nic == nil {
		return IPFlowResult{}, fmt.Errorf("no NIC")
	}
	if !strings.EqualFold(f.Protocol, "TCP") && !strings.EqualFold(f.Protocol, "UDP") {
		return IPFlowResult{}, fmt.Errorf("IP flow verify supports TCP and UDP only, not %q", f.Protocol)
	}
	d := e.EvaluateNSG(Target{NIC: nic}, f)
	res := IPFlowResult{Access: d.Access, Decision: d}
	if d.Decider != nil && d.Decider.Rule != nil {
		res.RuleName, res.NSG = d.Decider.Rule.APIName(), d.Decider.Name
	}
	return res, nil
}

// ParseDirection reads a direction as a person writes it (inbound, in,
// Outbound, out; any case) and returns Inbound or Outbound.
func ParseDirection(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "inbound", "in":
		return Inbound, true
	case "outbound", "out":
		return Outbound, true
	}
	return "", false
}
