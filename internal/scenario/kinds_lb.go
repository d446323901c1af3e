package scenario

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// Load balancer and outbound source query kinds (#14, docs/network-watcher.md).
func init() {
	Register("lb_backends", runLBBackends,
		Keys{"load_balancer": nil, "rule": nil, "frontend_ip": nil},
		Keys{"load_balancer": nil, "frontend": nil, "rule": nil, "ha_ports": nil, "floating_ip": nil, "pool": nil,
			"members": {"nic": nil, "ip": nil, "healthy": nil, "probe_rule": nil}, "healthy": nil})
	Register("outbound_source", runOutboundSource,
		Keys{"nic": nil},
		Keys{"method": nil, "addresses": nil, "prefixes": nil, "resource": nil, "overridden": nil})
}

// LBBackendsJSON is the lb_backends answer: the pool a rule sends to and
// each member's health as its NSGs let the probe through.
type LBBackendsJSON struct {
	LoadBalancer string         `json:"load_balancer"`
	Frontend     string         `json:"frontend"`
	Rule         string         `json:"rule"`
	HAPorts      bool           `json:"ha_ports"`
	FloatingIP   bool           `json:"floating_ip"`
	Pool         string         `json:"pool"`
	Members      []LBMemberJSON `json:"members"`
	// Healthy lists the NICs that receive new flows.
	Healthy []string `json:"healthy"`
}

// LBMemberJSON is one pool member.
type LBMemberJSON struct {
	NIC     string `json:"nic"`
	IP      string `json:"ip"`
	Healthy bool   `json:"healthy"`
	// ProbeRule is the NSG rule that decided the probe ("nsg/rule").
	ProbeRule string `json:"probe_rule,omitempty"`
	Why       string `json:"why"`
}

// LBBackends answers lb_backends for a rule of a load balancer, or for the
// first rule of the frontend that owns frontendIP.
func LBBackends(e *azure.Engine, lbName, ruleName string, frontendIP netip.Addr) (LBBackendsJSON, error) {
	var l *topology.LoadBalancer
	if lbName != "" {
		if l = e.Net.LoadBalancer(lbName); l == nil {
			return LBBackendsJSON{}, fmt.Errorf("load balancer %q not found", lbName)
		}
	}
	if frontendIP.IsValid() {
		o, ok := e.Net.Owner(frontendIP)
		if !ok || o.Kind != topology.OwnerLB {
			o, ok = e.Net.PublicOwner(frontendIP)
		}
		if !ok || o.Kind != topology.OwnerLB {
			return LBBackendsJSON{}, fmt.Errorf("no load balancer frontend owns %s", frontendIP)
		}
		l = o.LB
		if ruleName == "" {
			for _, r := range l.Rules {
				if strings.EqualFold(r.Frontend, o.Frontend.Name) {
					ruleName = r.Name
					break
				}
			}
		}
	}
	if l == nil {
		return LBBackendsJSON{}, fmt.Errorf("input needs load_balancer or frontend_ip")
	}
	var r *topology.LBRule
	for _, x := range l.Rules {
		if ruleName == "" || strings.EqualFold(x.Name, ruleName) {
			r = x
			break
		}
	}
	if r == nil {
		return LBBackendsJSON{}, fmt.Errorf("load balancer %s has no load-balancing rule %q", l.Name, ruleName)
	}
	out := LBBackendsJSON{LoadBalancer: l.Name, Frontend: r.Frontend, Rule: r.Name, HAPorts: r.HAPorts(), FloatingIP: r.FloatingIP,
		Pool: r.BackendPool, Members: []LBMemberJSON{}, Healthy: []string{}}
	for _, b := range e.Backends(l, r) {
		m := LBMemberJSON{NIC: b.NIC.Name, IP: b.NIC.IP.String(), Healthy: b.Healthy, Why: b.Why}
		if d := b.Probe.Decider; d != nil && d.Rule != nil {
			m.ProbeRule = d.Name + "/" + d.Rule.Name
		}
		out.Members = append(out.Members, m)
		if b.Healthy {
			out.Healthy = append(out.Healthy, b.NIC.Name)
		}
	}
	return out, nil
}

func runLBBackends(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	name, rule, ip := i.str("load_balancer", false), i.str("rule", false), i.addr("frontend_ip", false)
	if i.err != nil {
		return Outcome{}, i.err
	}
	a, err := LBBackends(c.Engine, name, rule, ip)
	if err != nil {
		return Outcome{}, err
	}
	actual, diff := Compare(a, expect)
	return Outcome{Actual: actual, Diff: diff}, nil
}

// OutboundSourceJSON is the outbound_source answer: how a NIC reaches the
// Internet and the source address the other end sees.
type OutboundSourceJSON struct {
	NIC         string   `json:"nic"`
	Method      string   `json:"method"`
	Addresses   []string `json:"addresses"`
	Prefixes    []string `json:"prefixes"`
	Resource    string   `json:"resource"`
	Why         string   `json:"why"`
	Overridden  []string `json:"overridden"`
	Assumptions []string `json:"assumptions,omitempty"`
}

// OutboundSource answers outbound_source for a NIC.
func OutboundSource(e *azure.Engine, nicName string) (OutboundSourceJSON, error) {
	nic := e.Net.NIC(nicName)
	if nic == nil {
		return OutboundSourceJSON{}, fmt.Errorf("NIC %q not found", nicName)
	}
	o := e.OutboundSourceOf(nic)
	out := OutboundSourceJSON{NIC: nic.Name, Method: o.Method, Addresses: []string{}, Prefixes: []string{}, Resource: o.Resource, Why: o.Why,
		Overridden: []string{}, Assumptions: o.Assumptions}
	for _, a := range o.Addresses {
		out.Addresses = append(out.Addresses, a.String())
	}
	for _, p := range o.Prefixes {
		out.Prefixes = append(out.Prefixes, p.String())
	}
	out.Overridden = append(out.Overridden, o.Overridden...)
	return out, nil
}

func runOutboundSource(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	name := i.str("nic", true)
	if i.err != nil {
		return Outcome{}, i.err
	}
	a, err := OutboundSource(c.Engine, name)
	if err != nil {
		return Outcome{}, err
	}
	actual, diff := Compare(a, expect)
	return Outcome{Actual: actual, Diff: diff, Assumptions: a.Assumptions}, nil
}
