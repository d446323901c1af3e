package scenario

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
)

func init() {
	Register("ip_flow_verify", runIPFlow,
		Keys{"nic": nil, "direction": nil, "protocol": nil, "local_ip": nil, "local_port": nil, "remote_ip": nil, "remote_port": nil},
		Keys{"access": nil, "rule_name": nil, "nsg": nil, "unknown_tags": nil})
	Register("nsg_diagnostics", runNSGDiag,
		Keys{"nic": nil, "direction": nil, "protocol": nil, "source": nil, "destination": nil, "destination_port": nil},
		Keys{"access": nil, "evaluated": {"scope": nil, "nsg": nil, "matched_rule": nil, "action": nil}, "unknown_tags": nil})
	Register("tag_membership", runTagMembership,
		Keys{"context_nic": nil, "tag": nil, "ip": nil},
		Keys{"member": nil})
}

// IPFlowJSON is the IP flow verify answer (the `ip-flow --output json` contract).
type IPFlowJSON struct {
	Access      string   `json:"access"`
	RuleName    *string  `json:"rule_name"`
	NSG         *string  `json:"nsg"`
	Assumptions []string `json:"assumptions,omitempty"`
	Unknown     []string `json:"unknown_tags,omitempty"`
}

// IPFlowAnswer renders an IP flow verify result.
func IPFlowAnswer(r azure.IPFlowResult) IPFlowJSON {
	j := IPFlowJSON{Access: r.Access, Assumptions: r.Decision.Assumptions, Unknown: r.Decision.Unknown}
	if r.RuleName != "" {
		j.RuleName, j.NSG = &r.RuleName, &r.NSG
	}
	return j
}

func runIPFlow(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	nic := c.Net.NIC(i.str("nic", true))
	f := azure.Flow{
		Direction: i.str("direction", true), Protocol: i.str("protocol", true),
		LocalIP: i.addr("local_ip", true), LocalPort: i.port("local_port"),
		RemoteIP: i.addr("remote_ip", true), RemotePort: i.port("remote_port"),
	}
	if i.err != nil {
		return Outcome{}, i.err
	}
	if nic == nil {
		return Outcome{}, fmt.Errorf("NIC %q not found", input["nic"])
	}
	r, err := c.Engine.IPFlowVerify(nic, f)
	if err != nil {
		return Outcome{}, err
	}
	actual, diff := Compare(IPFlowAnswer(r), expect)
	return Outcome{Actual: actual, Diff: diff, Assumptions: r.Decision.Assumptions}, nil
}

// NSGDiagGroupJSON is one evaluated group of NSG diagnostics.
type NSGDiagGroupJSON struct {
	Scope       string  `json:"scope"`
	NSG         string  `json:"nsg"`
	MatchedRule *string `json:"matched_rule"`
	Action      string  `json:"action"`
}

// NSGDiagJSON is the NSG diagnostics answer (the `nsg-diag --output json` contract).
type NSGDiagJSON struct {
	Access      string             `json:"access"`
	Evaluated   []NSGDiagGroupJSON `json:"evaluated"`
	Assumptions []string           `json:"assumptions,omitempty"`
	Unknown     []string           `json:"unknown_tags,omitempty"`
}

// NSGDiagAnswer renders a decision in the NSG diagnostics shape.
func NSGDiagAnswer(d azure.Decision) NSGDiagJSON {
	j := NSGDiagJSON{Access: d.Access, Evaluated: []NSGDiagGroupJSON{}, Assumptions: d.Assumptions, Unknown: d.Unknown}
	for _, g := range d.Groups {
		x := NSGDiagGroupJSON{Scope: g.Scope, NSG: g.Name, Action: g.Action}
		if g.Rule != nil {
			s := g.Rule.DiagName()
			x.MatchedRule = &s
		}
		if x.Action == "" {
			x.Action = "Allow" // no admin rule matched: evaluation continues
		}
		j.Evaluated = append(j.Evaluated, x)
	}
	return j
}

// NSGDiagFlow builds the flow of an NSG diagnostics query: source is an
// IP, a CIDR or a service tag; destination an IP; port '*' or a number.
func NSGDiagFlow(direction, protocol, source, destination string, port int) (azure.Flow, error) {
	f := azure.Flow{Direction: direction, Protocol: protocol}
	dst, err := netip.ParseAddr(destination)
	if err != nil {
		return f, fmt.Errorf("destination %q is not an IP address", destination)
	}
	var srcIP netip.Addr
	var srcPfx netip.Prefix
	srcTag := ""
	if p, err := netip.ParsePrefix(source); err == nil {
		srcPfx = p.Masked()
		if p.IsSingleIP() {
			srcIP, srcPfx = p.Addr(), netip.Prefix{}
		}
	} else if a, err := netip.ParseAddr(source); err == nil {
		srcIP = a
	} else if source != "" {
		srcTag = source
	} else {
		return f, fmt.Errorf("source is missing")
	}
	if strings.EqualFold(direction, azure.Outbound) {
		if !srcIP.IsValid() {
			return f, fmt.Errorf("outbound: source must be the NIC's IP address")
		}
		f.LocalIP, f.RemoteIP, f.RemotePort = srcIP, dst, port
		return f, nil
	}
	f.LocalIP, f.LocalPort = dst, port
	f.RemoteIP, f.RemotePrefix, f.RemoteTag = srcIP, srcPfx, srcTag
	return f, nil
}

func runNSGDiag(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	nicName := i.str("nic", true)
	dir, proto := i.str("direction", true), i.str("protocol", true)
	src, dst := i.str("source", true), i.str("destination", true)
	port := i.port("destination_port")
	if i.err != nil {
		return Outcome{}, i.err
	}
	nic := c.Net.NIC(nicName)
	if nic == nil {
		return Outcome{}, fmt.Errorf("NIC %q not found", nicName)
	}
	f, err := NSGDiagFlow(dir, proto, src, dst, port)
	if err != nil {
		return Outcome{}, err
	}
	d := c.Engine.EvaluateNSG(azure.Target{NIC: nic}, f)
	actual, diff := Compare(NSGDiagAnswer(d), expect)
	return Outcome{Actual: actual, Diff: diff, Assumptions: d.Assumptions}, nil
}

func runTagMembership(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	nicName, tag, ip := i.str("context_nic", true), i.str("tag", true), i.addr("ip", true)
	if i.err != nil {
		return Outcome{}, i.err
	}
	nic := c.Net.NIC(nicName)
	if nic == nil {
		return Outcome{}, fmt.Errorf("NIC %q not found", nicName)
	}
	member, known := c.Engine.TagMember(nic.SubnetRef(), tag, ip)
	ans := map[string]any{"member": member}
	var notes []string
	if !known {
		ans["member"] = "unknown"
		notes = append(notes, fmt.Sprintf("service tag %s is unknown without --service-tags", tag))
	}
	if strings.EqualFold(tag, azure.TagInternet) {
		notes = append(notes, azure.InternetTagAssumption)
	}
	actual, diff := Compare(ans, expect)
	return Outcome{Actual: actual, Diff: diff, Assumptions: notes}, nil
}
