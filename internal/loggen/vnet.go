package loggen

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// VNet flow logs (docs/log-formats.md §2): one block blob PT1H.json per NIC per
// hour, {"records":[...]} with one record per minute, tuples of version 4.

// vtuple is one flow tuple to write.
type vtuple struct {
	ms             int64
	src, dst       netip.Addr
	sport, dport   uint16
	proto          int
	dir, state     byte
	enc            string
	ps, bs, pr, br int64
}

// vgroupSpec is one (ACL, rule) group of the generated records.
type vgroupSpec struct {
	acl, rule string
	name      string // rule name as the parser reports it
	def       bool
}

type vnetGen struct {
	*gen
	groups   []vgroupSpec
	tuples   [][]vtuple // per group, reused
	buf      []byte
	flowLog  string
	target   string
	blobDir  string
	guidFlow string
	detail   map[string]map[string]string
}

const (
	gOutInternet = iota
	gInHighRisk
	gInDenyAll
	gInVnet
	gPlatform
	gEncDrop
	nGroups
)

func (g *gen) vnet() error {
	o := g.opt
	watcher := "NETWORKWATCHER_" + strings.ToUpper(o.Region)
	flName := strings.ToUpper(o.VNet + "-" + o.ResourceGroup + "-flowlog")
	v := &vnetGen{gen: g}
	v.flowLog = strings.ToUpper("/SUBSCRIPTIONS/"+o.Subscription+"/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/") + watcher + "/FLOWLOGS/" + flName
	v.target = "/subscriptions/" + o.Subscription + "/resourceGroups/" + o.ResourceGroup + "/providers/Microsoft.Network/virtualNetworks/" + o.VNet
	v.blobDir = "insights-logs-flowlogflowevent/flowLogResourceID=/" + strings.ToUpper(o.Subscription) + "_NETWORKWATCHERRG/" + watcher + "_" + flName
	v.guidFlow = g.guid()
	nsgACL := g.guid()
	blockGUID := g.guid()
	v.groups = make([]vgroupSpec, nGroups)
	v.groups[gOutInternet] = vgroupSpec{nsgACL, "DefaultRule_AllowInternetOutBound", "DefaultRule_AllowInternetOutBound", true}
	v.groups[gInHighRisk] = vgroupSpec{nsgACL, "BlockHighRiskTCPPortsFromInternet_" + blockGUID, "BlockHighRiskTCPPortsFromInternet", false}
	v.groups[gInDenyAll] = vgroupSpec{nsgACL, "DefaultRule_DenyAllInBound", "DefaultRule_DenyAllInBound", true}
	v.groups[gInVnet] = vgroupSpec{nsgACL, "DefaultRule_AllowVnetInBound", "DefaultRule_AllowVnetInBound", true}
	v.groups[gPlatform] = vgroupSpec{"00000000-0000-0000-0000-000000000000", "PlatformRule", "PlatformRule", false}
	v.groups[gEncDrop] = vgroupSpec{"unspecified", "unspecified", "unspecified", false}
	v.tuples = make([][]vtuple, nGroups)
	v.detail = map[string]map[string]string{}

	blobs := o.Hours * len(g.nics)
	bi := 0
	for h := 0; h < o.Hours; h++ {
		hour := o.Start.Add(time.Duration(h) * time.Hour)
		for ni := range g.nics {
			n := split(o.Tuples, blobs, bi)
			bi++
			if err := v.blob(hour, ni, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// blob writes one PT1H.json of one NIC with n tuples.
func (v *vnetGen) blob(hour time.Time, ni int, n int64) error {
	mac := v.nics[ni].mac
	if ni == 1 {
		mac = mac[:6] + strings.ToLower(mac[6:]) // real logs have mixed-case MACs
	}
	key := v.blobDir + "/" + hourPath(hour) + "/macAddress=" + strings.ToUpper(mac) + "/PT1H.json"
	b, err := v.create(key)
	if err != nil {
		return err
	}
	b.write([]byte(`{"records":[`))
	for m := 0; m < 60; m++ {
		k := split(n, 60, m)
		if m > 0 {
			b.write([]byte(","))
		}
		v.record(b, hour.Add(time.Duration(m)*time.Minute), ni, mac, m, k)
	}
	b.write([]byte("]}"))
	return b.close()
}

// fill generates k tuples for one NIC and one minute into v.tuples.
func (v *vnetGen) fill(minute time.Time, ni int, k int64) {
	for i := range v.tuples {
		v.tuples[i] = v.tuples[i][:0]
	}
	me := v.nics[ni]
	r := v.rng
	base := minute.UnixMilli()
	ts := func() int64 { return base + int64(r.IntN(59000)) }
	for k > 0 {
		p := r.IntN(100)
		t0 := ts()
		t1 := min(t0+int64(r.IntN(20000)), base+59999)
		pair := func(g int, t vtuple) {
			if k >= 2 {
				b, e := t, t
				b.ms, b.state = t0, 'B'
				e.ms, e.state = t1, 'E'
				e.ps, e.pr = 1+int64(r.IntN(40)), 1+int64(r.IntN(60))
				e.bs, e.br = e.ps*int64(60+r.IntN(1400)), e.pr*int64(60+r.IntN(1400))
				if r.IntN(5) == 0 { // tuples are not in time order
					v.tuples[g] = append(v.tuples[g], e, b)
				} else {
					v.tuples[g] = append(v.tuples[g], b, e)
				}
				k -= 2
				return
			}
			t.ms, t.state = t0, 'C'
			t.ps, t.pr = 1+int64(r.IntN(40)), 1+int64(r.IntN(60))
			t.bs, t.br = t.ps*int64(60+r.IntN(1400)), t.pr*int64(60+r.IntN(1400))
			v.tuples[g] = append(v.tuples[g], t)
			k--
		}
		switch {
		case p < 45: // outbound to the internet, TCP 443 mostly
			t := vtuple{src: me.ip4, dst: v.publicIP(), sport: uint16(20000 + r.IntN(40000)), dport: 443, proto: 6, dir: 'O', enc: "NX"}
			if r.IntN(10) == 0 {
				t.dport, t.proto = 53, 17
			}
			if r.IntN(40) == 0 {
				t.sport, t.dport, t.proto = 0, 0, 1
			}
			pair(gOutInternet, t)
		case p < 50: // platform traffic (wire server)
			t := vtuple{src: me.ip4, dst: netip.AddrFrom4([4]byte{168, 63, 129, 16}), sport: uint16(20000 + r.IntN(40000)), dport: 80, proto: 6, dir: 'O', enc: "NX"}
			pair(gPlatform, t)
		case p < 60: // attacks on high-risk ports
			ports := [...]uint16{22, 3389, 445, 1433}
			t := vtuple{ms: t0, src: v.publicIP(), dst: me.ip4, sport: uint16(1024 + r.IntN(60000)), dport: ports[r.IntN(len(ports))], proto: 6, dir: 'I', state: 'D', enc: "NX"}
			v.tuples[gInHighRisk] = append(v.tuples[gInHighRisk], t)
			k--
		case p < 75: // scans of other ports
			t := vtuple{ms: t0, src: v.publicIP(), dst: me.ip4, sport: uint16(1024 + r.IntN(60000)), dport: uint16(1 + r.IntN(65535)), proto: 6, dir: 'I', state: 'D', enc: "NX"}
			if r.IntN(4) == 0 {
				t.proto = 17
			}
			v.tuples[gInDenyAll] = append(v.tuples[gInDenyAll], t)
			k--
		case p < 93: // from another NIC in the VNet
			peer := v.nics[(ni+1+r.IntN(max(1, len(v.nics)-1)))%len(v.nics)]
			t := vtuple{src: peer.ip4, dst: me.ip4, sport: uint16(20000 + r.IntN(40000)), dport: 8080, proto: 6, dir: 'I', enc: "NX"}
			if r.IntN(3) == 0 {
				t.enc = "X"
			}
			pair(gInVnet, t)
		case p < 99: // IPv6 outbound
			dst := netip.AddrFrom16([16]byte{0x26, 0x03, 0x10, 0x30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byte(r.IntN(256)), byte(1 + r.IntN(254))})
			t := vtuple{src: me.ip6, dst: dst, sport: uint16(20000 + r.IntN(40000)), dport: 443, proto: 6, dir: 'O', enc: "NX"}
			pair(gOutInternet, t)
		default: // dropped because encryption was required and failed
			peer := v.nics[(ni+1)%len(v.nics)]
			t := vtuple{ms: t0, src: me.ip4, dst: peer.ip4, sport: uint16(20000 + r.IntN(40000)), dport: 5432, proto: 6, dir: 'O', state: 'C', enc: "NX_NOT_ACCEPTED", ps: 1, bs: 60}
			v.tuples[gEncDrop] = append(v.tuples[gEncDrop], t)
			k--
		}
	}
}

// record writes one minute's record and reports its events.
func (v *vnetGen) record(b *blob, minute time.Time, ni int, mac string, idx int, k int64) {
	v.fill(minute, ni, k)
	buf := v.buf[:0]
	buf = append(buf, `{"time":"`...)
	buf = appendTime(buf, minute.Add(52*time.Second+time.Duration(v.rng.IntN(1e7))*100))
	buf = append(buf, `","flowLogVersion":4,"flowLogGUID":"`...)
	buf = append(buf, v.guidFlow...)
	buf = append(buf, `","macAddress":"`...)
	buf = append(buf, mac...)
	buf = append(buf, `","category":"FlowLogFlowEvent","flowLogResourceID":"`...)
	buf = append(buf, v.flowLog...)
	buf = append(buf, `","targetResourceID":"`...)
	buf = append(buf, v.target...)
	buf = append(buf, `","operationName":"FlowLogFlowEvent","flowRecords":{"flows":[`...)
	lastACL := ""
	firstFlow := true
	for gi, spec := range v.groups {
		ts := v.tuples[gi]
		// Real records list rules with no tuples too; keep one such group
		// now and then.
		emptyGroup := len(ts) == 0 && gi == gInDenyAll && idx%17 == 0
		if len(ts) == 0 && !emptyGroup {
			continue
		}
		if spec.acl != lastACL {
			if !firstFlow {
				buf = append(buf, "]},"...)
			}
			firstFlow = false
			buf = append(buf, `{"aclID":"`...)
			buf = append(buf, spec.acl...)
			buf = append(buf, `","flowGroups":[`...)
			lastACL = spec.acl
		} else {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"rule":"`...)
		buf = append(buf, spec.rule...)
		buf = append(buf, `","flowTuples":[`...)
		for i, t := range ts {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '"')
			buf = appendTuple(buf, &t)
			buf = append(buf, '"')
		}
		buf = append(buf, "]}"...)
	}
	if !firstFlow {
		buf = append(buf, "]}"...)
	}
	buf = append(buf, "]}}"...)
	b.write(buf)
	v.buf = buf
	v.res.Tuples += k
	v.res.Events += k
	if v.opt.Expect != nil {
		v.expect(b.key, mac, idx)
	}
}

// appendFlowKey appends the head both flow-log tuple formats share:
// "time,src,dst,sport,dport".
func appendFlowKey(b []byte, ts int64, src, dst netip.Addr, sport, dport uint16) []byte {
	b = strconv.AppendInt(b, ts, 10)
	b = append(b, ',')
	b = src.AppendTo(b)
	b = append(b, ',')
	b = dst.AppendTo(b)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(sport), 10)
	b = append(b, ',')
	return strconv.AppendUint(b, uint64(dport), 10)
}

func appendTuple(b []byte, t *vtuple) []byte {
	b = appendFlowKey(b, t.ms, t.src, t.dst, t.sport, t.dport)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(t.proto), 10)
	b = append(b, ',', t.dir, ',', t.state, ',')
	b = append(b, t.enc...)
	for _, c := range [4]int64{t.ps, t.bs, t.pr, t.br} {
		b = append(b, ',')
		b = strconv.AppendInt(b, c, 10)
	}
	return b
}

var protoWords = map[int]string{1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6"}
var stateWords = map[byte]string{'B': "begin", 'C': "continuing", 'E': "end", 'D': "denied"}

// expect reports the events of the record just written.
func (v *vnetGen) expect(key, mac string, record int) {
	ti := 0
	for gi, spec := range v.groups {
		for _, t := range v.tuples[gi] {
			e := &v.ev
			fillFlowEvent(e, &t, strings.ToUpper(mac), spec.name, spec.rule, spec.acl, spec.def, v.detailFor(t.enc),
				event.Origin{Key: key, Record: record, Tuple: ti})
			v.opt.Expect(e)
			ti++
		}
	}
}

// fillFlowEvent overwrites e with the event the parser reads from VNet flow
// tuple t of emitter mac, logged under rule (name as the parser reports it)
// of acl.
func fillFlowEvent(e *event.Event, t *vtuple, mac, name, rule, acl string, def bool, detail map[string]string, o event.Origin) {
	*e = event.Event{
		Time: time.UnixMilli(t.ms).UTC(), Source: event.SourceVNetFlow, Category: "FlowLogFlowEvent",
		Emitter: mac, Protocol: protoWords[t.proto],
		SrcIP: t.src, SrcPort: t.sport, DstIP: t.dst, DstPort: t.dport,
		Direction: event.DirOut, Verdict: event.VerdictAllow,
		Rule:        event.Rule{Name: name, ACL: acl, Default: def},
		FlowState:   stateWords[t.state],
		PacketsSent: t.ps, BytesSent: t.bs, PacketsRecv: t.pr, BytesRecv: t.br,
		Detail: detail,
		Origin: o,
	}
	if name != rule {
		e.Rule.Raw = rule
	}
	if t.dir == 'I' {
		e.Direction = event.DirIn
	}
	switch {
	case t.state == 'D':
		e.Verdict = event.VerdictDeny
	case t.enc == "NX_NOT_ACCEPTED" || t.enc == "NX_SW_NOT_READY" || t.enc == "NX_NOT_SUPPORTED":
		e.Verdict = event.VerdictDrop
	}
	if t.proto == 1 || t.proto == 58 {
		e.ICMPType = -1
	}
}

func (v *vnetGen) detailFor(enc string) map[string]string {
	d, ok := v.detail[enc]
	if !ok {
		d = map[string]string{"encryption": enc, "flow_log": v.flowLog, "target": v.target}
		v.detail[enc] = d
	}
	return d
}
