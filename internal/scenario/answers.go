package scenario

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// RoutesAnswer is the effective route table of one subnet as `pathproof
// routes -o json` prints it.
type RoutesAnswer struct {
	Subnet      string      `json:"subnet"`
	Profile     string      `json:"profile"`
	Routes      []RouteJSON `json:"routes"`
	Assumptions []string    `json:"assumptions,omitempty"`
}

// SubnetSelector names a subnet the way the routes command does: by a NIC
// in it, as VNET/SUBNET (or id), or by the private IP of a NIC, private
// endpoint or firewall in it. Exactly one field is set.
type SubnetSelector struct {
	NIC    string
	Subnet string
	IP     netip.Addr
}

// Resolve finds the selected subnet in n.
func (sel SubnetSelector) Resolve(n *topology.Network) (*topology.Subnet, error) {
	set := 0
	for _, b := range []bool{sel.NIC != "", sel.Subnet != "", sel.IP.IsValid()} {
		if b {
			set++
		}
	}
	if set != 1 {
		return nil, &ArgsError{Fields: []string{"nic", "subnet", "ip"}, OneOf: true}
	}
	switch {
	case sel.NIC != "":
		x := n.NIC(sel.NIC)
		if x == nil || x.SubnetRef() == nil {
			return nil, errors.New(n.Absent("network interface", "NIC", sel.NIC))
		}
		return x.SubnetRef(), nil
	case sel.Subnet != "":
		s := n.Subnet(sel.Subnet)
		if s == nil {
			return nil, fmt.Errorf("subnet %q not found in the topology (write it as VNET/SUBNET)", sel.Subnet)
		}
		return s, nil
	}
	if o, ok := n.Owner(sel.IP); ok && o.Subnet() != nil {
		return o.Subnet(), nil
	}
	return nil, fmt.Errorf("no NIC, private endpoint or firewall owns %s", sel.IP)
}

// EffectiveRoutes answers the routes question for the selected subnet.
func EffectiveRoutes(e *azure.Engine, sel SubnetSelector) (RoutesAnswer, error) {
	s, err := sel.Resolve(e.Net)
	if err != nil {
		return RoutesAnswer{}, err
	}
	t := e.Routes(s)
	return RoutesAnswer{Subnet: s.Key(), Profile: e.Profile(), Routes: RoutesJSON(t), Assumptions: t.Assumptions}, nil
}

// RulesAnswer is a NIC's effective security rules as `pathproof rules -o
// json` prints them.
type RulesAnswer struct {
	NIC    string          `json:"nic"`
	Groups []RuleGroupJSON `json:"groups"`
}

// RuleGroupJSON is one group of effective rules: admin rules, the subnet NSG
// or the NIC NSG.
type RuleGroupJSON struct {
	Scope string     `json:"scope"`
	Name  string     `json:"name"`
	Rules []RuleJSON `json:"rules"`
}

// RuleJSON is one effective security rule, tags and ASGs expanded.
type RuleJSON struct {
	Name                string   `json:"name"`
	Priority            int      `json:"priority"`
	Direction           string   `json:"direction"`
	Access              string   `json:"access"`
	Protocol            string   `json:"protocol"`
	Source              []string `json:"source"`
	SourcePorts         []string `json:"source_ports"`
	Destination         []string `json:"destination"`
	DestinationPorts    []string `json:"destination_ports"`
	ExpandedSource      []string `json:"expanded_source"`
	ExpandedDestination []string `json:"expanded_destination"`
}

// UnknownTags lists the service tags the rules name that did not resolve
// (expanded as "unknown:TAG"), once each in order of appearance.
func (a RulesAnswer) UnknownTags() []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range a.Groups {
		for _, r := range g.Rules {
			for _, x := range append(append([]string{}, r.ExpandedSource...), r.ExpandedDestination...) {
				if t, ok := strings.CutPrefix(x, "unknown:"); ok && !seen[t] {
					seen[t] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// EffectiveRules answers the rules question for the NIC named nic.
func EffectiveRules(e *azure.Engine, nic string) (RulesAnswer, error) {
	x := e.Net.NIC(nic)
	if x == nil {
		return RulesAnswer{}, errors.New(e.Net.Absent("network interface", "NIC", nic))
	}
	res := RulesAnswer{NIC: x.Name, Groups: []RuleGroupJSON{}}
	for _, g := range e.EffectiveRules(x) {
		gj := RuleGroupJSON{Scope: g.Scope, Name: g.Name, Rules: []RuleJSON{}}
		for _, r := range g.Rules {
			gj.Rules = append(gj.Rules, RuleJSON(r))
		}
		res.Groups = append(res.Groups, gj)
	}
	return res, nil
}

// NICFor returns the NIC named name, or when name is empty the NIC that
// owns ip (the IP flow verify rule for choosing the NIC).
func NICFor(n *topology.Network, name string, ip netip.Addr) (*topology.NIC, error) {
	if name != "" {
		nic := n.NIC(name)
		if nic == nil {
			return nil, errors.New(n.Absent("network interface", "NIC", name))
		}
		return nic, nil
	}
	o, ok := n.Owner(ip)
	if !ok || o.Kind != topology.OwnerNIC {
		return nil, fmt.Errorf("no NIC owns %s (name the NIC)", ip)
	}
	return o.NIC, nil
}
