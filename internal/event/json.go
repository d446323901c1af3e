package event

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// JSON is the JSON shape of one event as every front end prints it
// (`pathproof events -o json|jsonl`, the web UI, the MCP server;
// docs/events.md). Keys are only ever added.
type JSON struct {
	Time        time.Time         `json:"time"`
	Source      Source            `json:"source"`
	Category    string            `json:"category,omitempty"`
	Emitter     string            `json:"emitter,omitempty"`
	EmitterID   string            `json:"emitter_id,omitempty"`
	Protocol    string            `json:"protocol"`
	SrcIP       string            `json:"src_ip"`
	SrcPort     uint16            `json:"src_port"`
	DstIP       string            `json:"dst_ip"`
	DstPort     uint16            `json:"dst_port"`
	Direction   Direction         `json:"direction"`
	Verdict     Verdict           `json:"verdict"`
	Rule        string            `json:"rule"`
	RuleDetail  Rule              `json:"rule_detail"`
	NAT         *NAT              `json:"nat,omitempty"`
	FlowState   string            `json:"flow_state,omitempty"`
	PacketsSent int64             `json:"packets_sent"`
	BytesSent   int64             `json:"bytes_sent"`
	PacketsRecv int64             `json:"packets_recv"`
	BytesRecv   int64             `json:"bytes_recv"`
	FQDN        string            `json:"fqdn,omitempty"`
	URL         string            `json:"url,omitempty"`
	HTTPStatus  int               `json:"http_status,omitempty"`
	Caller      string            `json:"caller,omitempty"`
	Aggregate   bool              `json:"aggregate,omitempty"`
	Count       int64             `json:"count,omitempty"`
	Detail      map[string]string `json:"detail,omitempty"`
	Origin      Origin            `json:"origin"`
}

// ToJSON returns e in its JSON shape.
func ToJSON(e *Event) JSON {
	return JSON{
		Time: e.Time.UTC(), Source: e.Source, Category: e.Category, Emitter: e.Emitter, EmitterID: e.EmitterID,
		Protocol: e.Protocol, SrcIP: addrText(e.SrcIP), SrcPort: e.SrcPort, DstIP: addrText(e.DstIP), DstPort: e.DstPort,
		Direction: e.Direction, Verdict: e.Verdict, Rule: e.Rule.Label(), RuleDetail: e.Rule, NAT: e.NAT,
		FlowState: e.FlowState, PacketsSent: e.PacketsSent, BytesSent: e.BytesSent, PacketsRecv: e.PacketsRecv, BytesRecv: e.BytesRecv,
		FQDN: e.FQDN, URL: e.URL, HTTPStatus: e.HTTPStatus, Caller: e.Caller, Aggregate: e.Aggregate, Count: e.Count,
		Detail: e.Detail, Origin: e.Origin,
	}
}

func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// Label is the deciding rule's display name: the firewall trail
// (group/collection/rule), the NSG rule, the IDPS signature, the threat
// intel category, or the reason when nothing else names the decision.
func (r *Rule) Label() string {
	var parts []string
	for _, p := range []string{r.RuleCollectionGroup, r.RuleCollection, r.Name} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	switch {
	case len(parts) > 0:
		return strings.Join(parts, "/")
	case r.Signature != "":
		return "signature " + r.Signature
	case r.ThreatIntel != "":
		return "threat-intel " + r.ThreatIntel
	case r.Reason != "":
		return r.Reason
	}
	return ""
}

// String cites the raw record: key#record, or key#record.tuple for a flow
// tuple after the first.
func (o Origin) String() string {
	s := o.Key + "#" + strconv.Itoa(o.Record)
	if o.Tuple > 0 {
		s += "." + strconv.Itoa(o.Tuple)
	}
	return s
}

// ParseOrigin reads an origin as Origin.String writes it: KEY#RECORD or
// KEY#RECORD.TUPLE (the key may itself hold '#').
func ParseOrigin(s string) (Origin, error) {
	i := strings.LastIndexByte(s, '#')
	if i <= 0 {
		return Origin{}, fmt.Errorf("origin %q: want KEY#RECORD[.TUPLE]", s)
	}
	o := Origin{Key: s[:i]}
	rec, tup, hasTuple := strings.Cut(s[i+1:], ".")
	var err error
	if o.Record, err = strconv.Atoi(rec); err != nil || o.Record < 0 {
		return Origin{}, fmt.Errorf("origin %q: record %q is not a number", s, rec)
	}
	if hasTuple {
		if o.Tuple, err = strconv.Atoi(tup); err != nil || o.Tuple < 0 {
			return Origin{}, fmt.Errorf("origin %q: tuple %q is not a number", s, tup)
		}
	}
	return o, nil
}
