package loggen

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// NSG flow logs version 2 (docs/log-formats.md §3): one PT1H.json per NIC per
// hour under the NSG's resourceId path, tuples with seconds, T/U protocol
// letters, A/D decisions and empty counters on B tuples.

type ntuple struct {
	sec            int64
	src, dst       netip.Addr
	sport, dport   uint16
	proto          byte // 'T' or 'U'
	dir, dec, st   byte
	ps, bs, pr, br int64
	counters       bool
}

var nsgRules = [...]string{"DefaultRule_AllowInternetOutBound", "DefaultRule_DenyAllInBound", "UserRule_AllowHttpsInbound"}

func (g *gen) nsg() error {
	o := g.opt
	nsgName := o.VNet + "-nsg"
	id := g.armID("Microsoft.Network", "networkSecurityGroups", nsgName)
	systemID := g.guid()
	detail := map[string]string{"nsg": id, "version": "2"}
	blobs := o.Hours * len(g.nics)
	bi := 0
	per := make([][]ntuple, len(nsgRules))
	var buf []byte
	for h := 0; h < o.Hours; h++ {
		hour := o.Start.Add(time.Duration(h) * time.Hour)
		for _, me := range g.nics {
			n := split(o.NSGTuples, blobs, bi)
			bi++
			key := "insights-logs-networksecuritygroupflowevent/resourceId=" + id + "/" + hourPath(hour) + "/macAddress=" + me.mac + "/PT1H.json"
			b, err := g.create(key)
			if err != nil {
				return err
			}
			b.write([]byte(`{"records":[`))
			for m := 0; m < 60; m++ {
				k := split(n, 60, m)
				minute := hour.Add(time.Duration(m) * time.Minute)
				for i := range per {
					per[i] = per[i][:0]
				}
				base := minute.Unix()
				for k > 0 {
					s := base + int64(g.rng.IntN(60))
					switch p := g.rng.IntN(10); {
					case p < 5:
						t := ntuple{sec: s, src: me.ip4, dst: g.publicIP(), sport: uint16(20000 + g.rng.IntN(40000)), dport: 443, proto: 'T', dir: 'O', dec: 'A', st: 'B'}
						if k >= 2 {
							e := t
							e.st, e.counters = 'E', true
							e.ps, e.pr = 1+int64(g.rng.IntN(30)), 1+int64(g.rng.IntN(30))
							e.bs, e.br = e.ps*66, e.pr*1200
							per[0] = append(per[0], t, e)
							k -= 2
						} else {
							t.st, t.counters, t.ps, t.bs, t.pr, t.br = 'C', true, 30, 16978, 24, 14008
							per[0] = append(per[0], t)
							k--
						}
					case p < 8:
						t := ntuple{sec: s, src: g.publicIP(), dst: me.ip4, sport: uint16(1024 + g.rng.IntN(60000)), dport: uint16(1 + g.rng.IntN(65535)), proto: 'T', dir: 'I', dec: 'D', st: 'B'}
						if g.rng.IntN(3) == 0 {
							t.proto = 'U'
						}
						per[1] = append(per[1], t)
						k--
					default:
						t := ntuple{sec: s, src: g.publicIP(), dst: me.ip4, sport: uint16(1024 + g.rng.IntN(60000)), dport: 443, proto: 'T', dir: 'I', dec: 'A', st: 'C', counters: true, ps: 5, bs: 900, pr: 4, br: 3000}
						per[2] = append(per[2], t)
						k--
					}
				}
				if m > 0 {
					b.write([]byte(","))
				}
				buf = buf[:0]
				buf = append(buf, `{"time":"`...)
				buf = appendTime(buf, minute.Add(35*time.Second+time.Duration(g.rng.IntN(1e7))*100))
				buf = append(buf, `","systemId":"`...)
				buf = append(buf, systemID...)
				buf = append(buf, `","macAddress":"`...)
				buf = append(buf, me.mac...)
				buf = append(buf, `","category":"NetworkSecurityGroupFlowEvent","resourceId":"`...)
				buf = append(buf, id...)
				buf = append(buf, `","operationName":"NetworkSecurityGroupFlowEvents","properties":{"Version":2,"flows":[`...)
				for ri, rule := range nsgRules {
					if ri > 0 {
						buf = append(buf, ',')
					}
					buf = append(buf, `{"rule":"`...)
					buf = append(buf, rule...)
					buf = append(buf, `","flows":[`...)
					if len(per[ri]) > 0 { // a rule with no traffic has "flows":[]
						buf = append(buf, `{"mac":"`...)
						buf = append(buf, me.mac...)
						buf = append(buf, `","flowTuples":[`...)
						for i, t := range per[ri] {
							if i > 0 {
								buf = append(buf, ',')
							}
							buf = append(buf, '"')
							buf = appendNSGTuple(buf, &t)
							buf = append(buf, '"')
						}
						buf = append(buf, "]}"...)
					}
					buf = append(buf, "]}"...)
				}
				buf = append(buf, "]}}"...)
				b.write(buf)
				cnt := int64(len(per[0]) + len(per[1]) + len(per[2]))
				g.res.Tuples += cnt
				g.res.Events += cnt
				if o.Expect != nil {
					ti := 0
					for ri, rule := range nsgRules {
						for _, t := range per[ri] {
							g.ev = event.Event{
								Time: time.Unix(t.sec, 0).UTC(), Source: event.SourceNSGFlow, Category: "NetworkSecurityGroupFlowEvent",
								Emitter:  me.mac,
								Protocol: map[byte]string{'T': "tcp", 'U': "udp"}[t.proto],
								SrcIP:    t.src, SrcPort: t.sport, DstIP: t.dst, DstPort: t.dport,
								Direction:   map[byte]event.Direction{'I': event.DirIn, 'O': event.DirOut}[t.dir],
								Verdict:     map[byte]event.Verdict{'A': event.VerdictAllow, 'D': event.VerdictDeny}[t.dec],
								Rule:        event.Rule{Name: rule, ACL: id, Default: strings.HasPrefix(rule, "DefaultRule_")},
								FlowState:   stateWords[t.st],
								PacketsSent: t.ps, BytesSent: t.bs, PacketsRecv: t.pr, BytesRecv: t.br,
								Detail: detail,
								Origin: event.Origin{Key: key, Record: m, Tuple: ti},
							}
							o.Expect(&g.ev)
							ti++
						}
					}
				}
			}
			b.write([]byte("]}"))
			if err := b.close(); err != nil {
				return err
			}
		}
	}
	return nil
}

func appendNSGTuple(b []byte, t *ntuple) []byte {
	b = appendFlowKey(b, t.sec, t.src, t.dst, t.sport, t.dport)
	b = append(b, ',', t.proto, ',', t.dir, ',', t.dec, ',', t.st)
	for _, c := range [4]int64{t.ps, t.bs, t.pr, t.br} {
		b = append(b, ',')
		if t.counters {
			b = strconv.AppendInt(b, c, 10)
		}
	}
	return b
}
