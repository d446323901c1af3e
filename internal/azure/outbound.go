package azure

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// Outbound methods, in Azure's order of precedence.
const (
	OutboundNATGateway       = "nat-gateway"
	OutboundInstancePublicIP = "instance-public-ip"
	OutboundLBOutboundRule   = "lb-outbound-rule"
	OutboundLBRule           = "lb-rule-snat"
	OutboundDefault          = "default-outbound-access"
	OutboundNone             = "none"
	// OutboundUnknown: the subnet's NAT gateway is not in the inputs, so
	// the source address cannot be known (no other method is guessed).
	OutboundUnknown = "unknown"
)

// OutboundSource is the source address the Internet (and a PaaS firewall
// reached over its public endpoint) sees for traffic a NIC sends to the
// Internet next hop.
type OutboundSource struct {
	// Method is one of the Outbound* values.
	Method string
	// Addresses and Prefixes are what Azure picks the source from; empty
	// for default outbound access (an address Azure owns and may change)
	// and for none.
	Addresses []netip.Addr
	Prefixes  []netip.Prefix
	// Resource names what translates: the NAT gateway, the NIC, "lb/rule".
	Resource string
	// Why says why this method applies, citing the rule.
	Why string
	// Overridden lists lower-precedence methods that are configured but
	// not used.
	Overridden []string
	// Assumptions are the [?] defaults the answer depends on.
	Assumptions []string
}

// Sources of the precedence rules quoted in Why.
const (
	docNATOverview   = "learn.microsoft.com/azure/nat-gateway/nat-overview: NAT gateway takes precedence over other outbound connectivity methods, including a load balancer, instance-level public IP addresses"
	docOutboundRules = "learn.microsoft.com/azure/load-balancer/outbound-rules: outbound rules are followed only if the backend VM doesn't have an instance-level public IP address"
	docDefault       = "learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access"
)

// OutboundSourceOf decides the outbound source of nic in Azure's order of
// precedence: the subnet's NAT gateway, then the NIC's instance-level
// public IP, then a load balancer outbound rule (or a load-balancing rule
// on a public frontend that does not disable outbound SNAT), then default
// outbound access unless the subnet is private.
func (e *Engine) OutboundSourceOf(nic *topology.NIC) OutboundSource {
	var cands []OutboundSource
	s := nic.SubnetRef()
	if s != nil && s.MissingNATGateway != "" {
		return OutboundSource{Method: OutboundUnknown, Resource: s.MissingNATGateway,
			Why:         fmt.Sprintf("subnet %s is associated with NAT gateway %s, which is not in the inputs, so the source address is unknown (%s)", s.Key(), s.MissingNATGateway, docNATOverview),
			Assumptions: []string{"the outbound source address of subnet " + s.Key() + " is unknown: its NAT gateway " + s.MissingNATGateway + " is not in the inputs (export it too)"}}
	}
	if g := e.Net.NATGatewayOf(s); g != nil {
		o := OutboundSource{Method: OutboundNATGateway, Addresses: g.PublicIPs, Prefixes: g.PublicIPPrefixes, Resource: g.Name,
			Why: fmt.Sprintf("NAT gateway %s is associated with subnet %s (%s)", g.Name, s.Key(), docNATOverview)}
		if len(g.PublicIPs) == 0 && len(g.PublicIPPrefixes) == 0 {
			o.Why += "; it has no public IP, so the subnet has no outbound connectivity"
		}
		cands = append(cands, o)
	}
	if nic.PublicIP.IsValid() {
		cands = append(cands, OutboundSource{Method: OutboundInstancePublicIP, Addresses: []netip.Addr{nic.PublicIP}, Resource: nic.Name,
			Why: fmt.Sprintf("NIC %s has the instance-level public IP %s (%s)", nic.Name, nic.PublicIP, docOutboundRules)})
	}
	cands = append(cands, e.lbOutbound(nic)...)
	if len(cands) > 0 {
		o := cands[0]
		for _, c := range cands[1:] {
			o.Overridden = append(o.Overridden, c.Method+" ("+c.Resource+")")
		}
		return o
	}
	if s != nil && s.DefaultOutboundAccess != nil && !*s.DefaultOutboundAccess {
		return OutboundSource{Method: OutboundNone, Resource: s.Key(),
			Why: fmt.Sprintf("subnet %s is private (defaultOutboundAccess=false) and nothing gives the NIC explicit outbound connectivity (%s)", s.Key(), docDefault)}
	}
	for _, pr := range e.Net.PoolsOf(nic) {
		if !pr.LB.Gateway() && !strings.EqualFold(pr.LB.SKU, topology.LBSKUBasic) {
			return OutboundSource{Method: OutboundNone, Resource: pr.LB.Name,
				Why:         fmt.Sprintf("NIC %s is in backend pool %s of Standard load balancer %s, which gives it no outbound rule or public frontend; a backend of only an internal Standard load balancer has no default outbound SNAT (learn.microsoft.com/azure/load-balancer/skus)", nic.Name, pr.Pool.Name, pr.LB.Name),
				Assumptions: []string{"a backend of only an internal Standard load balancer has no outbound connectivity (Azure's SKU comparison); add a NAT gateway or an outbound rule"}}
		}
	}
	return OutboundSource{Method: OutboundDefault, Resource: nic.Name,
		Why: fmt.Sprintf("nothing gives NIC %s explicit outbound connectivity, so Azure's default outbound access applies: an address Azure owns, not yours, that can change (%s)", nic.Name, docDefault)}
}

// lbOutbound lists the load balancer methods that apply to nic: outbound
// rules of its pools first, then load-balancing rules on public frontends
// that keep outbound SNAT.
func (e *Engine) lbOutbound(nic *topology.NIC) []OutboundSource {
	var rules, implicit []OutboundSource
	for _, pr := range e.Net.PoolsOf(nic) {
		l := pr.LB
		for _, r := range l.OutboundRules {
			if l.Pool(r.BackendPool) != pr.Pool {
				continue
			}
			o := OutboundSource{Method: OutboundLBOutboundRule, Resource: l.Name + "/" + r.Name,
				Why: fmt.Sprintf("outbound rule %s of load balancer %s covers backend pool %s (%s)", r.Name, l.Name, pr.Pool.Name, docOutboundRules)}
			for _, fn := range r.Frontends {
				if f := l.Frontend(fn); f != nil && f.PublicIP.IsValid() {
					o.Addresses = append(o.Addresses, f.PublicIP)
				}
			}
			rules = append(rules, o)
		}
		for _, r := range l.Rules {
			f := l.Frontend(r.Frontend)
			if l.Pool(r.BackendPool) != pr.Pool || r.DisableOutboundSNAT || f == nil || !f.PublicIP.IsValid() {
				continue
			}
			implicit = append(implicit, OutboundSource{Method: OutboundLBRule, Addresses: []netip.Addr{f.PublicIP}, Resource: l.Name + "/" + r.Name,
				Why: fmt.Sprintf("load-balancing rule %s of public load balancer %s does not disable outbound SNAT, so backend pool %s leaves through frontend %s (Microsoft recommends outbound rules instead: learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections)", r.Name, l.Name, pr.Pool.Name, f.Name)})
		}
	}
	return append(rules, implicit...)
}
