// Package nwrender prints the offline Network Watcher's answers (effective
// routes and rules, next hop, IP flow verify, NSG diagnostics, firewall
// decisions) and the report of `check`: as JSON, the answer shapes of
// internal/scenario, or as tables with their notes.
package nwrender

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/scenario"
	"github.com/pathproof/pathproof/internal/topology"
)

// Routes writes a subnet's effective routes.
func Routes(w io.Writer, format string, ans scenario.RoutesAnswer) error {
	if format == "json" {
		return render.JSON(w, ans)
	}
	fmt.Fprintf(w, "Effective routes of subnet %s (profile %s)\n\n", render.Escape(ans.Subnet), ans.Profile)
	tb := render.Table{Header: []string{"SOURCE", "STATE", "PREFIX", "NEXT HOP TYPE", "NEXT HOP IP", "NAME"}}
	for _, r := range ans.Routes {
		tb.Add(r.Source, r.State, r.Prefix, r.NextHopType, strings.Join(r.NextHopIPs, ","), r.Name)
	}
	if err := tb.Write(w); err != nil {
		return err
	}
	return Notes(w, ans.Assumptions, nil)
}

// Rules writes the NSG and admin rules in effect on a NIC.
func Rules(w io.Writer, format string, res scenario.RulesAnswer) error {
	if format == "json" {
		return render.JSON(w, res)
	}
	if len(res.Groups) == 0 {
		_, err := fmt.Fprintf(w, "No NSG or admin rule applies to %s: all traffic is allowed.\n", render.Escape(res.NIC))
		return err
	}
	tb := render.Table{Header: []string{"SCOPE", "NSG", "RULE", "PRIORITY", "DIR", "ACCESS", "PROTO", "SOURCE", "SRC PORTS", "DESTINATION", "DST PORTS"}}
	for _, g := range res.Groups {
		for _, r := range g.Rules {
			tb.Add(g.Scope, g.Name, r.Name, strconv.Itoa(r.Priority), r.Direction, r.Access, r.Protocol,
				short(r.ExpandedSource), strings.Join(r.SourcePorts, ","), short(r.ExpandedDestination), strings.Join(r.DestinationPorts, ","))
		}
	}
	if err := tb.Write(w); err != nil {
		return err
	}
	return Notes(w, nil, res.UnknownTags())
}

// short shows up to three expanded prefixes and a count of the rest.
func short(list []string) string {
	if len(list) <= 3 {
		return strings.Join(list, ",")
	}
	return strings.Join(list[:3], ",") + fmt.Sprintf(",…(+%d)", len(list)-3)
}

// NextHop writes where a subnet sends a packet.
func NextHop(w io.Writer, format string, r azure.NextHopResult) error {
	if format == "json" {
		return render.JSON(w, scenario.NextHopAnswer(r))
	}
	ips := make([]string, len(r.NextHopIPs))
	for i, ip := range r.NextHopIPs {
		ips[i] = ip.String()
	}
	tb := render.Table{Header: []string{"NEXT HOP TYPE", "NEXT HOP IP", "ROUTE TABLE", "ROUTE", "PREFIX", "SUBNET"}}
	route, prefix := "", ""
	if r.Route != nil {
		route, prefix = r.Route.Name, r.Route.PrefixString()
	}
	tb.Add(string(r.NextHopType), strings.Join(ips, ","), r.RouteTable, route, prefix, r.Subnet.Key())
	if err := tb.Write(w); err != nil {
		return err
	}
	if r.NextHopType == topology.HopNone {
		_, err := fmt.Fprintln(w, "The packet is dropped (next hop None).")
		return err
	}
	return nil
}

// IPFlow writes IP flow verify's answer for the NIC named nic.
func IPFlow(w io.Writer, format string, r azure.IPFlowResult, nic string) error {
	ans := scenario.IPFlowAnswer(r)
	if format == "json" {
		return render.JSON(w, ans)
	}
	tb := render.Table{Header: []string{"ACCESS", "RULE", "NSG", "NIC"}}
	rule, nsg := "(no NSG applies)", "-"
	if ans.RuleName != nil {
		rule, nsg = *ans.RuleName, *ans.NSG
	}
	tb.Add(ans.Access, rule, nsg, nic)
	if err := tb.Write(w); err != nil {
		return err
	}
	return Notes(w, r.Decision.Assumptions, r.Decision.Unknown)
}

// NSGDiag writes the NSGs evaluated for a flow at the NIC named nic, in
// order, and the result.
func NSGDiag(w io.Writer, format string, dec azure.Decision, nic string) error {
	ans := scenario.NSGDiagAnswer(dec)
	if format == "json" {
		return render.JSON(w, ans)
	}
	tb := render.Table{Header: []string{"#", "SCOPE", "NSG", "MATCHED RULE", "ACTION"}}
	for i, g := range ans.Evaluated {
		rule := "(no rule matched)"
		if g.MatchedRule != nil {
			rule = *g.MatchedRule
		}
		tb.Add(strconv.Itoa(i+1), g.Scope, g.NSG, rule, g.Action)
	}
	if err := tb.Write(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nResult: %s (NIC %s)\n", ans.Access, render.Escape(nic))
	return Notes(w, dec.Assumptions, dec.Unknown)
}

// Firewall writes an Azure Firewall decision: the matched rule, the log
// line's reason, DNAT, SNAT and threat intelligence.
func Firewall(w io.Writer, format string, d azure.FirewallDecision) error {
	if format == "json" {
		return render.JSON(w, scenario.FirewallAnswer(d))
	}
	tb := render.Table{Header: []string{"ACTION", "RULE COLLECTION GROUP", "RULE COLLECTION", "RULE", "TYPE"}}
	if d.Match != nil {
		tb.Add(d.Action, d.Match.Group, d.Match.Collection, d.Match.Rule, d.Match.Type)
	} else {
		tb.Add(d.Action, "-", "-", "(default deny)", "-")
	}
	if err := tb.Write(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if d.LogReason != "" {
		fmt.Fprintf(w, "Log: Action: %s. Reason: %s\n", d.Action, d.LogReason)
	}
	if d.DNAT != nil {
		fmt.Fprintf(w, "DNAT: destination -> %s:%d\n", addrOr(d.DNAT.ToIP, d.DNAT.ToFQDN), d.DNAT.ToPort)
	}
	switch {
	case !d.SNAT.Applied:
		fmt.Fprintln(w, "SNAT: none (source address kept)")
	case d.SNAT.To.IsValid():
		fmt.Fprintf(w, "SNAT: source -> %s\n", d.SNAT.To)
	case d.SNAT.ToPrefix.IsValid():
		fmt.Fprintf(w, "SNAT: source -> an instance address in %s (AzureFirewallSubnet)\n", d.SNAT.ToPrefix)
	default:
		fmt.Fprintln(w, "SNAT: applied (no firewall given, address unknown)")
	}
	if d.ThreatIntel != "" {
		fmt.Fprintf(w, "Threat intelligence: %s\n", d.ThreatIntel)
	}
	return Notes(w, d.Assumptions, d.Unknown)
}

func addrOr(a netip.Addr, s string) string {
	if a.IsValid() {
		return a.String()
	}
	return render.Escape(s)
}

// Notes writes the assumption and unknown-service-tag notes under a human
// answer.
func Notes(w io.Writer, assumptions, unknownTags []string) error {
	for _, a := range assumptions {
		fmt.Fprintf(w, "note [%s]: %s\n", azure.CodeAssumption, render.Escape(a))
	}
	if len(unknownTags) > 0 {
		_, err := fmt.Fprintf(w, "note [%s]: service tags not resolved (treated as not matching; pass --service-tags): %s\n", azure.CodeTagUnknown, render.Escape(strings.Join(dedupe(unknownTags), ", ")))
		return err
	}
	return nil
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
