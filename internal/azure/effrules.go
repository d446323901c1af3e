package azure

import (
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// EffectiveRule is one rule of a NIC's effective security rules with its
// service tags and ASGs expanded (§4.5).
type EffectiveRule struct {
	Name                string // securityRules/X, defaultSecurityRules/X or the admin rule name
	Priority            int
	Direction           string
	Access              string
	Protocol            string
	Source              []string
	SourcePorts         []string
	Destination         []string
	DestinationPorts    []string
	ExpandedSource      []string
	ExpandedDestination []string
}

// EffectiveGroup is one group of effective rules: admin rules, the subnet
// NSG or the NIC NSG.
type EffectiveGroup struct {
	Scope string
	Name  string
	Rules []EffectiveRule
}

// EffectiveRules returns the NIC's effective security rules: AVNM admin
// rules, the subnet NSG and the NIC NSG (duplicates kept), default rules
// included, tags and ASGs expanded as seen from the NIC. Unknown tags
// expand to "unknown:<tag>".
func (e *Engine) EffectiveRules(nic *topology.NIC) []EffectiveGroup {
	s := nic.SubnetRef()
	if s == nil {
		return nil
	}
	var out []EffectiveGroup
	var admin []rule
	cfg := ""
	for _, dir := range []string{Inbound, Outbound} {
		c, rs := e.adminRules(s.VNet(), dir)
		if c != "" {
			cfg = c
		}
		admin = append(admin, rs...)
	}
	if len(admin) > 0 {
		out = append(out, e.effGroup(ScopeAdmin, cfg, admin, s))
	}
	if g := e.Net.NSG(s.NSG); g != nil {
		out = append(out, e.effGroup(ScopeSubnet, g.Name, append(nsgRules(g, Inbound), nsgRules(g, Outbound)...), s))
	}
	if g := e.Net.NSG(nic.NSG); g != nil {
		out = append(out, e.effGroup(ScopeNIC, g.Name, append(nsgRules(g, Inbound), nsgRules(g, Outbound)...), s))
	}
	return out
}

func (e *Engine) effGroup(scope, name string, rs []rule, s *topology.Subnet) EffectiveGroup {
	g := EffectiveGroup{Scope: scope, Name: name}
	for _, r := range rs {
		g.Rules = append(g.Rules, EffectiveRule{
			Name: r.ref.APIName(), Priority: r.ref.Priority, Direction: r.direction, Access: r.ref.Access, Protocol: protoName(r.protocol),
			Source: r.src, SourcePorts: orStar(r.srcPorts), Destination: r.dst, DestinationPorts: orStar(r.dstPorts),
			ExpandedSource: e.expand(r.src, s), ExpandedDestination: e.expand(r.dst, s),
		})
	}
	return g
}

func protoName(p string) string {
	switch strings.ToLower(p) {
	case "*", "any", "all", "":
		return "All"
	}
	return p
}

// expand turns address entries into prefixes as seen from subnet s.
func (e *Engine) expand(list []string, s *topology.Subnet) []string {
	var out []string
	for _, a := range list {
		switch {
		case a == "*" || strings.EqualFold(a, "any"):
			out = append(out, "0.0.0.0/0")
		case strings.HasPrefix(a, "asg:"):
			asg := e.Net.ASG(strings.TrimPrefix(a, "asg:"))
			for _, n := range e.Net.NICs {
				for _, x := range n.ASGs {
					if asg != nil && e.Net.ASG(x) == asg && n.IP.IsValid() {
						out = append(out, netip.PrefixFrom(n.IP, n.IP.BitLen()).String())
					}
				}
			}
		case IsTag(a):
			set, known := e.TagSet(s, a)
			if !known {
				out = append(out, "unknown:"+a)
				continue
			}
			for _, p := range set.Prefixes() {
				out = append(out, p.String())
			}
		default:
			out = append(out, a)
		}
	}
	return out
}
