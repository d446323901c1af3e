package scenario

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

func init() {
	Register("firewall_decision", runFirewallDecision,
		Keys{"firewall": nil, "policy": nil, "protocol": nil, "source_ip": nil, "source_port": nil,
			"destination_ip": nil, "destination_fqdn": nil, "destination_port": nil, "arrived_on": nil},
		Keys{"action": nil, "matched": {"rule_collection_group": nil, "rule_collection": nil, "rule": nil},
			"snat":       {"applied": nil, "to": nil, "to_prefix": nil, "source_port_kept": nil},
			"dnat":       {"to_ip": nil, "to_port": nil, "to_fqdn": nil},
			"log_reason": nil, "threat_intel": nil, "unknown": nil})
	Register("firewall_processing_order", runProcessingOrder,
		Keys{"policy": nil},
		Keys{"order": nil})
	Register("advertised_routes", runAdvertised,
		Keys{"gateway": nil, "connection": nil},
		Keys{"includes": nil, "excludes": nil})
	packet := Keys{"src": nil, "dst": nil}
	Register("vpn_nat", runVPNNAT,
		Keys{"connection": nil, "direction": nil, "packet": packet},
		Keys{"packet": packet})
}

// FirewallJSON is the firewall decision answer (the `firewall --output json` contract).
type FirewallJSON struct {
	Action      string         `json:"action"`
	Matched     any            `json:"matched"` // {rule_collection_group, rule_collection, rule} or "default_deny"
	SNAT        map[string]any `json:"snat"`
	DNAT        map[string]any `json:"dnat,omitempty"`
	LogReason   string         `json:"log_reason,omitempty"`
	ThreatIntel string         `json:"threat_intel,omitempty"`
	Assumptions []string       `json:"assumptions,omitempty"`
	Unknown     []string       `json:"unknown,omitempty"`
}

// FirewallAnswer renders a firewall decision.
func FirewallAnswer(d azure.FirewallDecision) FirewallJSON {
	j := FirewallJSON{Action: d.Action, Matched: "default_deny", LogReason: d.LogReason, ThreatIntel: d.ThreatIntel, Assumptions: d.Assumptions, Unknown: d.Unknown}
	if d.Match != nil {
		j.Matched = map[string]any{"rule_collection_group": d.Match.Group, "rule_collection": d.Match.Collection, "rule": d.Match.Rule}
	}
	j.SNAT = map[string]any{"applied": d.SNAT.Applied}
	if d.SNAT.To.IsValid() {
		j.SNAT["to"] = d.SNAT.To.String()
	}
	if d.SNAT.ToPrefix.IsValid() {
		j.SNAT["to_prefix"] = d.SNAT.ToPrefix.String()
	}
	if d.SNAT.Applied {
		j.SNAT["source_port_kept"] = d.SNAT.SourcePortKept
	}
	if d.DNAT != nil {
		j.DNAT = map[string]any{"to_port": d.DNAT.ToPort}
		if d.DNAT.ToIP.IsValid() {
			j.DNAT["to_ip"] = d.DNAT.ToIP.String()
		}
		if d.DNAT.ToFQDN != "" {
			j.DNAT["to_fqdn"] = d.DNAT.ToFQDN
		}
	}
	return j
}

// FirewallTarget resolves a firewall and/or policy by name.
func FirewallTarget(n *topology.Network, fwName, polName string) (*topology.Firewall, *topology.FirewallPolicy, error) {
	var fw *topology.Firewall
	var pol *topology.FirewallPolicy
	if fwName != "" {
		if fw = n.Firewall(fwName); fw == nil {
			if msg, ok := n.LeftOutWhy("firewall", "firewall", fwName); ok {
				return nil, nil, errors.New(msg)
			}
			return nil, nil, fmt.Errorf("firewall %q not found", fwName)
		}
	}
	if polName != "" {
		if pol = n.FirewallPolicy(polName); pol == nil {
			return nil, nil, fmt.Errorf("firewall policy %q not found", polName)
		}
	}
	if fw == nil && pol == nil {
		return nil, nil, fmt.Errorf("input needs firewall or policy")
	}
	return fw, pol, nil
}

func runFirewallDecision(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	fw, pol, err := FirewallTarget(c.Net, i.str("firewall", false), i.str("policy", false))
	if err != nil {
		return Outcome{}, err
	}
	q := azure.FirewallQuery{
		Protocol: i.str("protocol", true), SrcIP: i.addr("source_ip", true), SrcPort: i.port("source_port"),
		DstIP: i.addr("destination_ip", false), FQDN: i.str("destination_fqdn", false),
		DstPort: i.port("destination_port"), ArrivedOn: i.str("arrived_on", false),
	}
	if i.err != nil {
		return Outcome{}, i.err
	}
	if !q.DstIP.IsValid() && q.FQDN == "" {
		return Outcome{}, fmt.Errorf("input needs destination_ip or destination_fqdn")
	}
	d, err := c.Engine.FirewallDecide(fw, pol, q)
	if err != nil {
		return Outcome{}, err
	}
	actual, diff := Compare(FirewallAnswer(d), expect)
	return Outcome{Actual: actual, Diff: diff, Assumptions: d.Assumptions}, nil
}

func runProcessingOrder(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	_, pol, err := FirewallTarget(c.Net, "", i.str("policy", true))
	if err != nil {
		return Outcome{}, err
	}
	order := []any{}
	for _, oc := range c.Engine.ProcessingOrder(pol) {
		order = append(order, oc.Collection.Name)
	}
	actual, diff := Compare(map[string]any{"order": order}, expect)
	return Outcome{Actual: actual, Diff: diff}, nil
}

func runAdvertised(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	g := c.Net.Gateway(i.str("gateway", true))
	if i.err != nil {
		return Outcome{}, i.err
	}
	if g == nil {
		return Outcome{}, fmt.Errorf("gateway %q not found", input["gateway"])
	}
	var conn *topology.Connection
	if name := i.str("connection", false); name != "" {
		if conn = c.Net.Connection(name); conn == nil {
			return Outcome{}, fmt.Errorf("connection %q not found", name)
		}
	}
	adv := c.Engine.AdvertisedRoutes(g, conn)
	has := func(s string) bool {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return false
		}
		for _, a := range adv {
			if a == p.Masked() {
				return true
			}
		}
		return false
	}
	em, _ := expect.(map[string]any)
	all := []any{}
	for _, a := range adv {
		all = append(all, a.String())
	}
	actual := map[string]any{"includes": all}
	var diff []string
	if inc, ok := em["includes"].([]any); ok {
		for _, x := range inc {
			if !has(fmt.Sprint(x)) {
				diff = append(diff, fmt.Sprintf("includes: %v is not advertised", x))
			}
		}
	}
	if exc, ok := em["excludes"].([]any); ok {
		var got []any
		for _, x := range exc {
			if has(fmt.Sprint(x)) {
				diff = append(diff, fmt.Sprintf("excludes: %v is advertised", x))
			} else {
				got = append(got, x)
			}
		}
		actual["excludes"] = got
	}
	return Outcome{Actual: actual, Diff: diff}, nil
}

func runVPNNAT(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	conn := c.Net.Connection(i.str("connection", true))
	dir := i.str("direction", true)
	pkt, _ := input["packet"].(map[string]any)
	pi := &in{m: pkt}
	src, dst := pi.addr("src", true), pi.addr("dst", true)
	if i.err != nil {
		return Outcome{}, i.err
	}
	if pi.err != nil {
		return Outcome{}, fmt.Errorf("packet: %w", pi.err)
	}
	if conn == nil {
		return Outcome{}, fmt.Errorf("connection %q not found", input["connection"])
	}
	s, d, _, err := c.Engine.VPNNAT(conn, dir, src, dst)
	if err != nil {
		return Outcome{}, err
	}
	actual, diff := Compare(map[string]any{"packet": map[string]any{"src": s.String(), "dst": d.String()}}, expect)
	return Outcome{Actual: actual, Diff: diff}, nil
}
