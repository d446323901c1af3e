package loggen

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// Flow is one conversation as the flow log of one NIC records it
// (docs/log-formats.md §2.2): a denied flow is one D tuple at Start; an allowed
// one a B tuple at Start, a C tuple at every 5-minute mark before End, and
// an E tuple at End unless Open. Counters are the conversation's totals,
// src→dst and dst→src, spread over the C and E tuples.
type Flow struct {
	Start, End time.Time
	// Open leaves the flow running at End: no E tuple.
	Open bool
	// Proto is the IANA protocol number (6 TCP, 17 UDP, 1 ICMP).
	Proto    int
	Src, Dst netip.AddrPort
	// Inbound is the direction relative to the NIC.
	Inbound bool
	Denied  bool
	// Rule is the rule's name (DefaultRule_AllowVnetInBound, Allow-RDP,
	// PlatformRule); RuleGUID, when set, the suffix flow logs add to a
	// user rule's name ("Allow-RDP_<GUID>"). ACL is the evaluating NSG's
	// GUID (all zeros for PlatformRule when empty).
	Rule, RuleGUID, ACL string
	// Encryption is the encryption field (default NX).
	Encryption                                     string
	PacketsSent, BytesSent, PacketsRecv, BytesRecv int64
}

// FlowLogNIC is a NIC whose flows a VNet flow log records.
type FlowLogNIC struct {
	// VNet is the VNet the flow log is configured on; MAC the NIC's MAC
	// address (12 hex digits) as the blob path and records carry it.
	VNet, MAC string
}

type scriptNIC struct {
	nic   FlowLogNIC
	flows []Flow
}

// VNetFlows adds flows recorded by one NIC's VNet flow log.
func (s *Script) VNetFlows(nic FlowLogNIC, flows ...Flow) {
	for i := range s.nics {
		if s.nics[i].nic == nic {
			s.nics[i].flows = append(s.nics[i].flows, flows...)
			return
		}
	}
	s.nics = append(s.nics, scriptNIC{nic: nic, flows: flows})
}

// stuple is one tuple to write with the rule group it belongs to.
type stuple struct {
	vtuple
	name, rule, acl string // rule as logged, name without the GUID
}

// tuples expands a flow into its tuples.
func (f Flow) tuples() []stuple {
	enc := f.Encryption
	if enc == "" {
		enc = "NX"
	}
	acl := f.ACL
	if acl == "" && f.Rule == "PlatformRule" {
		acl = "00000000-0000-0000-0000-000000000000"
	}
	rule := f.Rule
	if f.RuleGUID != "" {
		rule += "_" + f.RuleGUID
	}
	dir := byte('O')
	if f.Inbound {
		dir = 'I'
	}
	mk := func(t time.Time, state byte, ps, bs, pr, br int64) stuple {
		return stuple{vtuple{ms: t.UnixMilli(), src: f.Src.Addr(), dst: f.Dst.Addr(), sport: f.Src.Port(), dport: f.Dst.Port(),
			proto: f.Proto, dir: dir, state: state, enc: enc, ps: ps, bs: bs, pr: pr, br: br}, f.Rule, rule, acl}
	}
	if f.Denied {
		return []stuple{mk(f.Start, 'D', 0, 0, 0, 0)}
	}
	out := []stuple{mk(f.Start, 'B', 0, 0, 0, 0)}
	var marks []time.Time
	for t := f.Start.Truncate(5 * time.Minute).Add(5 * time.Minute); t.Before(f.End); t = t.Add(5 * time.Minute) {
		marks = append(marks, t)
	}
	if !f.Open {
		marks = append(marks, f.End)
	}
	if len(marks) == 0 {
		return out
	}
	// Spread the totals over the marks in proportion to elapsed time.
	total := f.End.Sub(f.Start)
	var done [4]int64
	for i, t := range marks {
		var c [4]int64
		for k, v := range [4]int64{f.PacketsSent, f.BytesSent, f.PacketsRecv, f.BytesRecv} {
			if i == len(marks)-1 && !f.Open || total < time.Millisecond {
				c[k] = v - done[k]
			} else {
				c[k] = v*t.Sub(f.Start).Milliseconds()/total.Milliseconds() - done[k]
			}
			done[k] += c[k]
		}
		state := byte('C')
		if i == len(marks)-1 && !f.Open {
			state = 'E'
		}
		out = append(out, mk(t, state, c[0], c[1], c[2], c[3]))
	}
	return out
}

// writeFlows writes one PT1H.json per NIC per hour, one record per minute
// that has tuples.
func (s *Script) writeFlows() error {
	o := s.opt
	watcher := "NETWORKWATCHER_" + strings.ToUpper(o.Region)
	for _, n := range s.nics {
		var ts []stuple
		for _, f := range n.flows {
			ts = append(ts, f.tuples()...)
		}
		flName := strings.ToUpper(n.nic.VNet + "-" + o.ResourceGroup + "-flowlog")
		flowLog := "/SUBSCRIPTIONS/" + strings.ToUpper(o.Subscription) + "/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/" + watcher + "/FLOWLOGS/" + flName
		target := "/subscriptions/" + o.Subscription + "/resourceGroups/" + o.ResourceGroup + "/providers/Microsoft.Network/virtualNetworks/" + n.nic.VNet
		dir := "insights-logs-flowlogflowevent/flowLogResourceID=/" + strings.ToUpper(o.Subscription) + "_NETWORKWATCHERRG/" + watcher + "_" + flName
		mac := strings.ToUpper(n.nic.MAC)
		flowGUID := s.g.guid()
		hours, by := hourly(len(ts), func(i int) time.Time { return time.UnixMilli(ts[i].ms) })
		for _, h := range hours {
			if err := s.flowBlob(dir+"/"+hourPath(h)+"/macAddress="+mac+"/PT1H.json", mac, flowGUID, flowLog, target, ts, by[h]); err != nil {
				return err
			}
		}
	}
	return nil
}

// flowRecord is a VNet flow log record (docs/log-formats.md §2.1).
type flowRecord struct {
	Time              string          `json:"time"`
	FlowLogVersion    int             `json:"flowLogVersion"`
	FlowLogGUID       string          `json:"flowLogGUID"`
	MACAddress        string          `json:"macAddress"`
	Category          string          `json:"category"`
	FlowLogResourceID string          `json:"flowLogResourceID"`
	TargetResourceID  string          `json:"targetResourceID"`
	OperationName     string          `json:"operationName"`
	FlowRecords       flowRecordFlows `json:"flowRecords"`
}

type flowRecordFlows struct {
	Flows []flowACL `json:"flows"`
}

type flowACL struct {
	ACLID      string      `json:"aclID"`
	FlowGroups []flowGroup `json:"flowGroups"`
}

type flowGroup struct {
	Rule       string   `json:"rule"`
	FlowTuples []string `json:"flowTuples"`
}

// flowBlob writes one NIC-hour blob of the tuples ts[idx...].
func (s *Script) flowBlob(key, mac, flowGUID, flowLog, target string, ts []stuple, idx []int) error {
	byMinute := map[int64][]int{}
	var minutes []int64
	for _, i := range idx {
		m := ts[i].ms / 60000
		if _, ok := byMinute[m]; !ok {
			minutes = append(minutes, m)
		}
		byMinute[m] = append(byMinute[m], i)
	}
	sort.Slice(minutes, func(a, b int) bool { return minutes[a] < minutes[b] })
	b, err := s.g.create(key)
	if err != nil {
		return err
	}
	b.write([]byte(`{"records":[`))
	for ri, m := range minutes {
		rec := flowRecord{
			// A record is written about 50 s after its minute began.
			Time:           time.UnixMilli(m*60000 + 52_000 + int64(s.g.rng.IntN(900))).UTC().Format(timeLayout),
			FlowLogVersion: 4, FlowLogGUID: flowGUID, MACAddress: mac, Category: "FlowLogFlowEvent",
			FlowLogResourceID: flowLog, TargetResourceID: target, OperationName: "FlowLogFlowEvent",
		}
		// Group by ACL, then rule, in first-seen order; tuples keep time order.
		var order []stuple
		for _, i := range byMinute[m] {
			t := ts[i]
			ai := -1
			for k, a := range rec.FlowRecords.Flows {
				if a.ACLID == t.acl {
					ai = k
				}
			}
			if ai < 0 {
				rec.FlowRecords.Flows = append(rec.FlowRecords.Flows, flowACL{ACLID: t.acl})
				ai = len(rec.FlowRecords.Flows) - 1
			}
			a := &rec.FlowRecords.Flows[ai]
			gi := -1
			for k, g := range a.FlowGroups {
				if g.Rule == t.rule {
					gi = k
				}
			}
			if gi < 0 {
				a.FlowGroups = append(a.FlowGroups, flowGroup{Rule: t.rule})
				gi = len(a.FlowGroups) - 1
			}
			a.FlowGroups[gi].FlowTuples = append(a.FlowGroups[gi].FlowTuples, string(appendTuple(nil, &t.vtuple)))
		}
		for _, a := range rec.FlowRecords.Flows {
			for _, g := range a.FlowGroups {
				for _, i := range byMinute[m] {
					if ts[i].acl == a.ACLID && ts[i].rule == g.Rule {
						order = append(order, ts[i])
					}
				}
			}
		}
		data, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("loggen: %w", err)
		}
		if ri > 0 {
			b.write([]byte(","))
		}
		b.write(data)
		for ti, t := range order {
			s.g.res.Tuples++
			s.g.res.Events++
			s.expect(flowEvent(t, mac, flowLog, target, event.Origin{Key: key, Record: ri, Tuple: ti}))
		}
	}
	b.write([]byte("]}"))
	return b.close()
}

// flowEvent is the event the parser reads from tuple t.
func flowEvent(t stuple, mac, flowLog, target string, o event.Origin) *event.Event {
	e := &event.Event{}
	fillFlowEvent(e, &t.vtuple, mac, t.name, t.rule, t.acl, strings.HasPrefix(t.name, "DefaultRule_"),
		map[string]string{"encryption": t.enc, "flow_log": flowLog, "target": target}, o)
	return e
}
