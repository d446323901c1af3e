package logs

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// VNet flow logs (category FlowLogFlowEvent, docs/log-formats.md §2).

// CategoryVNetFlow is the VNet flow log category.
const CategoryVNetFlow = "FlowLogFlowEvent"

// droppedEncryption reports the encryption statuses whose packets Azure
// drops (§2.3).
func droppedEncryption(enc []byte) bool {
	switch string(enc) {
	case "NX_SW_NOT_READY", "NX_NOT_ACCEPTED", "NX_NOT_SUPPORTED":
		return true
	}
	return false
}

// vgroup is one flowGroup: its ACL, rule and tuples (raw bytes).
type vgroup struct {
	acl, rule []byte
	first, n  int // range in vnetParser.tuples
}

// vnetParser parses VNet flow records with jscan, reusing its buffers.
type vnetParser struct {
	p      jscan
	groups []vgroup
	tuples [][]byte
	mac    []byte
	cat    []byte
	flowLg []byte
	target []byte
	tup    Tuple
	// caches of strings that repeat across records
	macRaw, macNorm   string
	ruleRaw, ruleName string
	aclRaw            string
	// rules and acls intern the rule and ACL strings of the parser's
	// records: a log names a few rules again and again, and events that
	// share the very same strings cost the store one identity lookup
	// (the store worker's shapeOf) instead of hashing their bytes.
	rules      map[string][2]string // raw → raw, normalised
	acls       map[string]string
	details    map[string]map[string]string
	lastEnc    []byte
	lastDetail map[string]string
	detFlowLog string
	detTarget  string
}

// parse handles one record in the flow-log shape. done is false when the
// record is not one (or is oddly shaped) and the generic path must decide.
func (vp *vnetParser) parse(v []byte, o *Output) (done bool, err error) {
	vp.p = jscan{b: v}
	vp.groups = vp.groups[:0]
	vp.tuples = vp.tuples[:0]
	vp.mac, vp.cat, vp.flowLg, vp.target = nil, nil, nil, nil
	p := &vp.p
	perr := p.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "macAddress":
			vp.mac, err = p.strVal()
		case "category":
			vp.cat, err = p.strVal()
		case "flowLogResourceID":
			vp.flowLg, err = p.strVal()
		case "targetResourceID":
			vp.target, err = p.strVal()
		case "flowRecords":
			err = p.object(func(k []byte) error {
				if string(k) != "flows" {
					return p.skip()
				}
				return p.array(vp.acl)
			})
		default:
			err = p.skip()
		}
		return err
	})
	if perr != nil || !bytes.EqualFold(vp.cat, []byte(CategoryVNetFlow)) {
		return false, nil
	}
	if p.next() != 0 {
		return false, nil // trailing bytes: let encoding/json judge
	}
	if o.raw != nil && !o.raw.parse(o.record) {
		return true, nil // reading records again (RawRecords): no tuples wanted here
	}
	return true, vp.emit(o, string(vp.cat))
}

// acl reads one element of flowRecords.flows.
func (vp *vnetParser) acl() error {
	p := &vp.p
	var aclID []byte
	startGroups := len(vp.groups)
	err := p.object(func(k []byte) error {
		switch string(k) {
		case "aclID":
			var err error
			aclID, err = p.strVal()
			return err
		case "flowGroups":
			return p.array(func() error {
				g := vgroup{first: len(vp.tuples)}
				err := p.object(func(k []byte) error {
					switch string(k) {
					case "rule":
						var err error
						g.rule, err = p.strVal()
						return err
					case "flowTuples":
						return p.array(func() error {
							t, err := p.strVal()
							vp.tuples = append(vp.tuples, t)
							return err
						})
					}
					return p.skip()
				})
				g.n = len(vp.tuples) - g.first
				vp.groups = append(vp.groups, g)
				return err
			})
		}
		return p.skip()
	})
	for i := startGroups; i < len(vp.groups); i++ {
		vp.groups[i].acl = aclID
	}
	return err
}

// emit turns the parsed record into events.
func (vp *vnetParser) emit(o *Output, category string) error {
	if len(vp.mac) == 0 {
		return Skipf(CodeBadRecord, "flow record without macAddress")
	}
	if string(vp.mac) != vp.macRaw {
		vp.macRaw = string(vp.mac)
		vp.macNorm = NormalizeMAC(vp.macRaw)
	}
	if category == CategoryVNetFlow {
		category = CategoryVNetFlow // interned constant
	}
	// Detail maps are shared by every tuple with the same encryption status
	// while the flow log and target stay the same (a whole blob, usually).
	if string(vp.flowLg) != vp.detFlowLog || string(vp.target) != vp.detTarget {
		clear(vp.details)
		vp.lastEnc, vp.lastDetail = nil, nil
		vp.detFlowLog, vp.detTarget = string(vp.flowLg), string(vp.target)
	}
	ti := 0
	for _, g := range vp.groups {
		if string(g.rule) != vp.ruleRaw {
			vp.ruleRaw, vp.ruleName = vp.rule(g.rule)
		}
		if string(g.acl) != vp.aclRaw {
			vp.aclRaw = vp.aclID(g.acl)
		}
		rule := event.Rule{Name: vp.ruleName, ACL: vp.aclRaw, Default: strings.HasPrefix(vp.ruleName, "DefaultRule_")}
		if vp.ruleName != vp.ruleRaw {
			rule.Raw = vp.ruleRaw
		}
		for _, tb := range vp.tuples[g.first : g.first+g.n] {
			t := &vp.tup
			o.rawTuple(ti, tb)
			if err := ParseTuple(tb, t); err != nil {
				o.SkipTuple(ti, CodeBadTuple, err.Error()+": "+truncate(string(tb), 120))
				ti++
				continue
			}
			if o.dropFlow(event.SourceVNetFlow, vp.macNorm, t) {
				ti++
				continue
			}
			e := o.NewEvent()
			*e = event.Event{
				Time:        t.Time,
				Source:      event.SourceVNetFlow,
				Category:    category,
				Emitter:     vp.macNorm,
				Protocol:    t.Protocol,
				SrcIP:       t.Src,
				SrcPort:     t.SrcPort,
				DstIP:       t.Dst,
				DstPort:     t.DstPort,
				Direction:   t.Direction,
				Rule:        rule,
				FlowState:   stateName(t.State),
				PacketsSent: t.PacketsSent,
				BytesSent:   t.BytesSent,
				PacketsRecv: t.PacketsRecv,
				BytesRecv:   t.BytesRecv,
			}
			if t.Protocol == "icmp" || t.Protocol == "icmpv6" {
				e.ICMPType = -1
			}
			e.Verdict = tupleVerdict(t)
			e.Detail = vp.detail(t.Encryption)
			e.Origin.Tuple = ti
			if err := o.Emit(e); err != nil {
				return err
			}
			ti++
		}
	}
	o.Count(event.SourceVNetFlow, category, 1)
	return nil
}

// detail returns the shared Detail map for an encryption status in the
// current record (flow log and target resource ids included).
func (vp *vnetParser) detail(enc []byte) map[string]string {
	if vp.lastEnc != nil && bytes.Equal(enc, vp.lastEnc) {
		return vp.lastDetail
	}
	d := vp.detailSlow(enc)
	vp.lastEnc = append(vp.lastEnc[:0], enc...)
	vp.lastDetail = d
	return d
}

func (vp *vnetParser) detailSlow(enc []byte) map[string]string {
	if vp.details == nil {
		vp.details = map[string]map[string]string{}
	}
	if d, ok := vp.details[string(enc)]; ok {
		return d
	}
	d := map[string]string{}
	if len(enc) > 0 {
		d["encryption"] = string(enc)
	}
	if len(vp.flowLg) > 0 {
		d["flow_log"] = string(vp.flowLg)
	}
	if len(vp.target) > 0 {
		d["target"] = string(vp.target)
	}
	if len(d) == 0 {
		d = nil
	}
	vp.details[string(enc)] = d
	return d
}

// tupleVerdict maps a tuple to a verdict: NSG decision D or VNet state D is
// deny; an encryption status that drops (§2.3) is drop; else allow.
func tupleVerdict(t *Tuple) event.Verdict {
	if t.Decision == 'D' || (t.Decision == 0 && t.State == 'D') {
		return event.VerdictDeny
	}
	if len(t.Encryption) > 2 && droppedEncryption(t.Encryption) {
		return event.VerdictDrop
	}
	return event.VerdictAllow
}

func stateName(s byte) string {
	switch s {
	case 'B':
		return "begin"
	case 'C':
		return "continuing"
	case 'E':
		return "end"
	case 'D':
		return "denied"
	}
	return ""
}

// NormalizeMAC returns a MAC as upper-case hex without separators
// ("00-22-48-7b-c2-05" → "0022487BC205").
func NormalizeMAC(s string) string {
	clean := len(s) == 12
	for i := 0; clean && i < len(s); i++ {
		c := s[i]
		clean = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == ':' || c == '.':
		case c >= 'a' && c <= 'f':
			b.WriteByte(c - 'a' + 'A')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// maxInterned bounds each of the parser's string tables; past it a table
// starts again.
const maxInterned = 4096

// rule returns the interned raw and normalised name of the rule b.
func (vp *vnetParser) rule(b []byte) (raw, name string) {
	if r, ok := vp.rules[string(b)]; ok {
		return r[0], r[1]
	}
	if vp.rules == nil || len(vp.rules) >= maxInterned {
		vp.rules = make(map[string][2]string)
	}
	raw = string(b)
	name = NormalizeRule(raw)
	vp.rules[raw] = [2]string{raw, name}
	return raw, name
}

// aclID returns the interned ACL id b.
func (vp *vnetParser) aclID(b []byte) string {
	if a, ok := vp.acls[string(b)]; ok {
		return a
	}
	if vp.acls == nil || len(vp.acls) >= maxInterned {
		vp.acls = make(map[string]string)
	}
	a := string(b)
	vp.acls[a] = a
	return a
}

// NormalizeRule removes the "_<GUID>" suffix VNet flow logs add to rule
// names ("Internet_4b9ac3d8-dc7b-4b9e-8702-9e9c25b52451" → "Internet").
func NormalizeRule(s string) string {
	const guidLen = 36
	if len(s) <= guidLen+1 || s[len(s)-guidLen-1] != '_' {
		return s
	}
	g := s[len(s)-guidLen:]
	for i := 0; i < guidLen; i++ {
		c := g[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return s
			}
		default:
			if !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
				return s
			}
		}
	}
	return s[:len(s)-guidLen-1]
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// vnetJSON is the flow record for the encoding/json fallback.
type vnetJSON struct {
	MacAddress        string `json:"macAddress"`
	FlowLogResourceID string `json:"flowLogResourceID"`
	TargetResourceID  string `json:"targetResourceID"`
	FlowRecords       struct {
		Flows []struct {
			ACLID      string `json:"aclID"`
			FlowGroups []struct {
				Rule       string   `json:"rule"`
				FlowTuples []string `json:"flowTuples"`
			} `json:"flowGroups"`
		} `json:"flows"`
	} `json:"flowRecords"`
}

// parseVNetRecord is the generic-path parser for records the fast path
// declined (odd spacing of types, a CSV row, a record without flowRecords).
func parseVNetRecord(r *Record, o *Output) error {
	raw := r.Raw()
	if raw == nil {
		return Skipf(CodeBadRecord, "a VNet flow record needs its JSON flowRecords")
	}
	var v vnetJSON
	if err := json.Unmarshal(raw, &v); err != nil {
		return Skipf(CodeBadRecord, "flow record fields of the wrong type: %v", strings.TrimPrefix(err.Error(), "json: "))
	}
	vp := &vnetParser{mac: []byte(v.MacAddress), flowLg: []byte(v.FlowLogResourceID), target: []byte(v.TargetResourceID)}
	for _, f := range v.FlowRecords.Flows {
		for _, g := range f.FlowGroups {
			grp := vgroup{acl: []byte(f.ACLID), rule: []byte(g.Rule), first: len(vp.tuples), n: len(g.FlowTuples)}
			for _, t := range g.FlowTuples {
				vp.tuples = append(vp.tuples, []byte(t))
			}
			vp.groups = append(vp.groups, grp)
		}
	}
	return vp.emit(o, r.Category())
}
