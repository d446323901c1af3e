package loggen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// FirewallLog is one Azure Firewall structured record (docs/log-formats.md
// §4.1): a rule decision, a DNS proxy query or a flow-trace entry.
type FirewallLog struct {
	At time.Time
	// Category is the AZFW* category: AZFWNetworkRule, AZFWApplicationRule,
	// AZFWNatRule, AZFWFlowTrace or AZFWDnsQuery.
	Category string
	// Protocol as the firewall spells it: TCP, UDP, HTTPS, HTTP.
	Protocol string
	// Src and Dst as the packet arrived at the firewall. An application
	// rule has no destination address: only Dst's port is written.
	Src, Dst netip.AddrPort
	// FQDN is the application rule's target (or the DNS query name).
	FQDN string
	// Action is Allow or Deny (rule logs) or the flow-trace action (Log).
	Action string
	// Rule is the deciding rule; Default means the default action decided
	// (ActionReason "Default Action", empty rule fields).
	Rule    FirewallRule
	Default bool
	// Translated is a NAT rule's translated address.
	Translated netip.AddrPort
	// Flag is the flow-trace TCP flag (SYN-ACK, FIN, RST, INVALID);
	// Reason its ActionReason (default "Additional TCP Log").
	Flag, Reason string
	// RCode is a DNS query's response code (default NOERROR).
	RCode string
}

// FirewallRule is a firewall policy's rule trail.
type FirewallRule struct {
	Policy, Group, Collection, Name string
}

// Firewall adds records of the firewall named name.
func (s *Script) Firewall(name string, recs ...FirewallLog) {
	s.fws[name] = append(s.fws[name], recs...)
}

// writeFirewalls writes one JSON Lines blob per firewall, category and hour.
func (s *Script) writeFirewalls() error {
	for _, name := range sortedKeys(s.fws) {
		recs := s.fws[name]
		id := s.g.armID("Microsoft.Network", "azureFirewalls", name)
		byCat := map[string][]int{}
		var cats []string
		for i, r := range recs {
			if _, ok := byCat[r.Category]; !ok {
				cats = append(cats, r.Category)
			}
			byCat[r.Category] = append(byCat[r.Category], i)
		}
		for _, cat := range cats {
			idx := byCat[cat]
			hours, by := hourly(len(idx), func(i int) time.Time { return recs[idx[i]].At })
			for _, h := range hours {
				var rows []FirewallLog
				for _, i := range by[h] {
					rows = append(rows, recs[idx[i]])
				}
				if err := s.firewallBlob(id, cat, h, rows); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (s *Script) firewallBlob(id, cat string, hour time.Time, rows []FirewallLog) error {
	b, err := s.g.create(resourceBlob(cat, id, hour))
	if err != nil {
		return err
	}
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	name := id[strings.LastIndexByte(id, '/')+1:]
	for i, r := range rows {
		props, e, err := r.build()
		if err != nil {
			b.close()
			return err
		}
		line.Reset()
		if err := enc.Encode(fwRecord{Category: cat, Properties: props, ResourceID: id, Time: r.At.UTC().Format(timeLayout)}); err != nil {
			b.close()
			return fmt.Errorf("loggen: %w", err)
		}
		b.write(line.Bytes())
		s.g.res.Events++
		e.Time, e.Source, e.Category = r.At.UTC().Truncate(100*time.Nanosecond), event.SourceFirewall, cat
		if cat == "AZFWDnsQuery" {
			e.Source = event.SourceDNS // the firewall's DNS proxy queries are DNS evidence
		}
		e.Emitter, e.EmitterID = name, strings.ToLower(id)
		e.Origin = event.Origin{Key: b.key, Record: i}
		s.expect(&e)
	}
	return b.close()
}

// build returns the record's properties and the event the parser reads
// from it (time, source, emitter and origin are the caller's).
func (r FirewallLog) build() (map[string]any, event.Event, error) {
	var e event.Event
	proto := r.Protocol
	if proto == "" {
		proto = "TCP"
	}
	e.Protocol = strings.ToLower(proto)
	e.SrcIP, e.SrcPort = r.Src.Addr(), r.Src.Port()
	p := map[string]any{"Protocol": proto, "SourceIp": r.Src.Addr().String(), "SourcePort": r.Src.Port()}
	rule := event.Rule{Policy: r.Rule.Policy, RuleCollectionGroup: r.Rule.Group, RuleCollection: r.Rule.Collection, Name: r.Rule.Name}
	reason := ""
	if r.Default {
		rule, reason = event.Rule{Default: true, Reason: "Default Action"}, "Default Action"
	}
	trail := func() {
		p["Policy"], p["RuleCollectionGroup"], p["RuleCollection"], p["Rule"] = rule.Policy, rule.RuleCollectionGroup, rule.RuleCollection, rule.Name
	}
	verdict := func() error {
		p["Action"], p["ActionReason"] = r.Action, reason
		switch strings.ToLower(r.Action) {
		case "allow":
			e.Verdict = event.VerdictAllow
		case "deny":
			e.Verdict = event.VerdictDeny
		default:
			return fmt.Errorf("loggen: firewall action %q is not Allow or Deny", r.Action)
		}
		e.Rule = rule
		return nil
	}
	switch r.Category {
	case "AZFWNetworkRule":
		p["DestinationIp"], p["DestinationPort"] = r.Dst.Addr().String(), r.Dst.Port()
		e.DstIP, e.DstPort = r.Dst.Addr(), r.Dst.Port()
		trail()
		if err := verdict(); err != nil {
			return nil, e, err
		}
	case "AZFWApplicationRule":
		p["Fqdn"], p["TargetUrl"], p["DestinationPort"] = r.FQDN, "", r.Dst.Port()
		p["WebCategory"], p["IsTlsInspected"], p["IsExplicitProxyRequest"] = "", false, false
		e.FQDN, e.DstPort = r.FQDN, r.Dst.Port()
		e.Detail = map[string]string{"tls_inspected": "false", "explicit_proxy": "false"}
		trail()
		if err := verdict(); err != nil {
			return nil, e, err
		}
	case "AZFWNatRule":
		p["DestinationIp"], p["DestinationPort"] = r.Dst.Addr().String(), r.Dst.Port()
		p["TranslatedIp"], p["TranslatedPort"] = r.Translated.Addr().String(), r.Translated.Port()
		trail()
		e.DstIP, e.DstPort, e.Verdict, e.Rule = r.Dst.Addr(), r.Dst.Port(), event.VerdictDNAT, rule
		e.NAT = &event.NAT{Kind: "dnat", TranslatedIP: r.Translated.Addr(), TranslatedPort: r.Translated.Port()}
	case "AZFWFlowTrace":
		reason := r.Reason
		if reason == "" {
			reason = "Additional TCP Log"
		}
		action := r.Action
		if action == "" {
			action = "Log"
		}
		p["DestinationIp"], p["DestinationPort"] = r.Dst.Addr().String(), r.Dst.Port()
		p["Action"], p["ActionReason"], p["Flag"] = action, reason, r.Flag
		e.DstIP, e.DstPort, e.Verdict = r.Dst.Addr(), r.Dst.Port(), event.VerdictInfo
		e.Rule = event.Rule{Reason: reason}
		e.Detail = map[string]string{"flow_trace": "true", "flag": r.Flag, "action": action}
	case "AZFWDnsQuery":
		rcode := r.RCode
		if rcode == "" {
			rcode = "NOERROR"
		}
		q := strings.TrimSuffix(r.FQDN, ".") + "."
		p = map[string]any{"SourceIp": r.Src.Addr().String(), "SourcePort": r.Src.Port(), "QueryId": int(r.Src.Port()) ^ 0x5a5a, "QueryType": "A", "QueryClass": "IN",
			"QueryName": q, "Protocol": "udp", "RequestSize": 60, "DnssecOkBit": false, "EDNS0BufferSize": 1232, "ResponseCode": rcode,
			"ResponseFlags": "qr,rd,ra", "ResponseSize": 120, "RequestDurationSecs": json.RawMessage("0.001204"), "ErrorNumber": 0, "ErrorMessage": ""}
		e.Protocol, e.FQDN, e.Verdict = "udp", strings.TrimSuffix(q, "."), event.VerdictInfo
		e.Detail = map[string]string{"query_name": q, "query_type": "A", "rcode": rcode, "query_id": strconv.Itoa(int(r.Src.Port()) ^ 0x5a5a)}
	default:
		return nil, e, fmt.Errorf("loggen: no scripted firewall category %q", r.Category)
	}
	return p, e, nil
}
