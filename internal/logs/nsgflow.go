package logs

import (
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// NSG flow logs v1/v2 (category NetworkSecurityGroupFlowEvent,
// docs/log-formats.md §3).

// CategoryNSGFlow is the NSG flow log category.
const CategoryNSGFlow = "NetworkSecurityGroupFlowEvent"

func parseNSGRecord(r *Record, o *Output) error {
	raw, ok := r.JSON("flows")
	if !ok {
		return Skipf(CodeBadRecord, "NSG flow record without properties.flows")
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
	// properties.flows: one element per rule, then one per NIC, each with
	// its tuple strings; walked in place like the VNet record.
	type nicTuples struct {
		mac    []byte
		tuples [][]byte
	}
	type ruleFlows struct {
		rule []byte
		nics []nicTuples
	}
	var rules []ruleFlows
	p := jscan{b: raw}
	err := p.array(func() error {
		var rf ruleFlows
		err := p.object(func(k []byte) error {
			switch string(k) {
			case "rule":
				var err error
				rf.rule, err = p.strVal()
				return err
			case "flows":
				return p.array(func() error {
					var nt nicTuples
					err := p.object(func(k []byte) error {
						switch string(k) {
						case "mac":
							var err error
							nt.mac, err = p.strVal()
							return err
						case "flowTuples":
							return p.array(func() error {
								t, err := p.strVal()
								nt.tuples = append(nt.tuples, t)
								return err
							})
						}
						return p.skip()
					})
					rf.nics = append(rf.nics, nt)
					return err
				})
			}
			return p.skip()
		})
		rules = append(rules, rf)
		return err
	})
	if err != nil {
		return Skipf(CodeBadRecord, "properties.flows is not a list of rules with NIC flows and tuple strings")
	}
	var t Tuple
	ti := 0
	for _, rf := range rules {
		name := string(rf.rule)
		rule := event.Rule{Name: NormalizeRule(name), ACL: nsg, Default: strings.HasPrefix(name, "DefaultRule_")}
		if rule.Name != name {
			rule.Raw = name
		}
		for _, nic := range rf.nics {
			mac := recMAC
			if len(nic.mac) > 0 {
				mac = NormalizeMAC(string(nic.mac))
			}
			for _, tb := range nic.tuples {
				o.rawTuple(ti, tb)
				if err := ParseTuple(tb, &t); err != nil {
					o.SkipTuple(ti, CodeBadTuple, err.Error()+": "+truncate(string(tb), 120))
					ti++
					continue
				}
				if o.dropFlow(event.SourceNSGFlow, mac, &t) {
					ti++
					continue
				}
				e := o.NewEvent()
				*e = event.Event{
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
				if err := o.Emit(e); err != nil {
					return err
				}
				ti++
			}
		}
	}
	return nil
}
