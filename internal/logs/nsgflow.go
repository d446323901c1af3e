package logs

import (
	"encoding/json"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// NSG flow logs v1/v2 (category NetworkSecurityGroupFlowEvent,
// log-formats.md §3).

// CategoryNSGFlow is the NSG flow log category.
const CategoryNSGFlow = "NetworkSecurityGroupFlowEvent"

func init() {
	Register(Format{Name: "nsgflow", Source: event.SourceNSGFlow, Keys: []string{CategoryNSGFlow}, Parse: parseNSGRecord})
}

// nsgFlows is properties.flows: one element per rule, then one per NIC.
type nsgFlows []struct {
	Rule  string `json:"rule"`
	Flows []struct {
		MAC        string   `json:"mac"`
		FlowTuples []string `json:"flowTuples"`
	} `json:"flows"`
}

func parseNSGRecord(r *Record, o *Output) error {
	raw, ok := r.JSON("flows")
	if !ok {
		return Skipf(CodeBadRecord, "NSG flow record without properties.flows")
	}
	var flows nsgFlows
	if err := json.Unmarshal(raw, &flows); err != nil {
		return Skipf(CodeBadRecord, "properties.flows of the wrong shape: %v", strings.TrimPrefix(err.Error(), "json: "))
	}
	nsg := r.ResourceID()
	recMAC := NormalizeMAC(r.S("macAddress"))
	cat := r.Category()
	var detail map[string]string
	if nsg != "" {
		detail = map[string]string{"nsg": nsg}
	}
	if v, ok := r.Int("Version"); ok {
		if detail == nil {
			detail = map[string]string{}
		}
		detail["version"] = itoa(v)
	}
	var e event.Event
	var t Tuple
	ti := 0
	for _, rf := range flows {
		rule := event.Rule{Name: NormalizeRule(rf.Rule), ACL: nsg, Default: strings.HasPrefix(rf.Rule, "DefaultRule_")}
		if rule.Name != rf.Rule {
			rule.Raw = rf.Rule
		}
		for _, nic := range rf.Flows {
			mac := recMAC
			if nic.MAC != "" {
				mac = NormalizeMAC(nic.MAC)
			}
			for _, ts := range nic.FlowTuples {
				if err := ParseTuple([]byte(ts), &t); err != nil {
					o.SkipTuple(ti, CodeBadTuple, err.Error()+": "+truncate(ts, 120))
					ti++
					continue
				}
				e = event.Event{
					Time: t.Time, Source: event.SourceNSGFlow, Category: cat,
					Emitter:  mac,
					Protocol: t.Protocol, SrcIP: t.Src, SrcPort: t.SrcPort, DstIP: t.Dst, DstPort: t.DstPort,
					Direction: t.Direction, Verdict: tupleVerdict(&t), Rule: rule,
					FlowState:   stateName(t.State),
					PacketsSent: t.PacketsSent, BytesSent: t.BytesSent, PacketsRecv: t.PacketsRecv, BytesRecv: t.BytesRecv,
					Detail: detail,
				}
				if t.Protocol == "icmp" {
					e.ICMPType = -1
				}
				e.Origin.Tuple = ti
				if err := o.Emit(&e); err != nil {
					return err
				}
				ti++
			}
		}
	}
	return nil
}
