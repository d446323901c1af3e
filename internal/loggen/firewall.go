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

// Azure Firewall resource logs (docs/log-formats.md §4): JSON Lines blobs, one per
// category per hour, under insights-logs-<category lower-cased>. Structured
// AZFW* records carry their columns under properties; legacy records a msg.

// fwRecord is one resource-log line.
type fwRecord struct {
	Category      string         `json:"category"`
	OperationName string         `json:"operationName,omitempty"`
	Properties    map[string]any `json:"properties"`
	ResourceID    string         `json:"resourceId"`
	Time          string         `json:"time"`
}

// fwKinds are the record kinds generated, in the order written each hour;
// kinds sharing a category share its blob.
var fwKinds = []struct{ category, operation string }{
	{"AZFWNetworkRule", ""},
	{"AZFWApplicationRule", ""},
	{"AZFWNatRule", ""},
	{"AZFWDnsQuery", ""},
	{"AZFWIdpsSignature", ""},
	{"AzureFirewallNetworkRule", "AzureFirewallNetworkRuleLog"},
	{"AzureFirewallNetworkRule", "AzureFirewallNatRuleLog"},
	{"AzureFirewallApplicationRule", "AzureFirewallApplicationRuleLog"},
	{"AzureFirewallDnsProxy", "AzureFirewallDnsProxyLog"},
}

var fqdns = [...]string{"login.microsoftonline.com", "packages.microsoft.com", "github.com", "api.contoso.example", "blocked.example.net"}

func (g *gen) firewall() error {
	o := g.opt
	id := g.armID("Microsoft.Network", "azureFirewalls", o.FirewallName)
	name := id[strings.LastIndexByte(id, '/')+1:]
	pub := netip.AddrFrom4([4]byte{20, 10, 0, 4})
	total := 0
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false) // Azure writes & < > as they are
	for h := 0; h < o.Hours; h++ {
		hour := o.Start.Add(time.Duration(h) * time.Hour)
		var cur *blob
		curCat := ""
		idx := 0
		for ki, k := range fwKinds {
			n := split(o.Firewall, o.Hours*len(fwKinds), total)
			total++
			if k.category != curCat {
				if cur != nil {
					if err := cur.close(); err != nil {
						return err
					}
				}
				key := "insights-logs-" + strings.ToLower(k.category) + "/resourceId=" + id + "/" + hourPath(hour) + "/PT1H.json"
				var err error
				if cur, err = g.create(key); err != nil {
					return err
				}
				curCat, idx = k.category, 0
			}
			for i := int64(0); i < n; i++ {
				at := hour.Add(time.Duration(g.rng.Int64N(int64(time.Hour/100))) * 100)
				rec, e := g.fwRecord(ki, at, pub)
				rec.Category, rec.OperationName, rec.ResourceID = k.category, k.operation, id
				rec.Time = string(appendTime(nil, at))
				line.Reset()
				if err := enc.Encode(rec); err != nil { // Encode adds the newline
					return fmt.Errorf("loggen: %w", err)
				}
				cur.write(line.Bytes())
				g.res.Events++
				if o.Expect != nil {
					e.Time, e.Source, e.Category = at, event.SourceFirewall, k.category
					if k.category == "AZFWDnsQuery" || k.category == "AzureFirewallDnsProxy" {
						e.Source = event.SourceDNS // the firewall's DNS proxy queries are DNS evidence
					}
					e.Emitter, e.EmitterID = name, strings.ToLower(id)
					e.Origin = event.Origin{Key: cur.key, Record: idx}
					if k.operation != "" && k.category != "AzureFirewallDnsProxy" {
						e.Detail = with(e.Detail, "operation", k.operation)
					}
					o.Expect(&e)
				}
				idx++
			}
		}
		if cur != nil {
			if err := cur.close(); err != nil {
				return err
			}
		}
	}
	return nil
}

func with(d map[string]string, k, v string) map[string]string {
	if d == nil {
		d = map[string]string{}
	}
	d[k] = v
	return d
}

// fwRecord builds the properties of one record of kind ki and the event it
// stands for (time, source, emitter and origin are filled by the caller).
func (g *gen) fwRecord(ki int, at time.Time, pub netip.Addr) (fwRecord, event.Event) {
	r := g.rng
	client := g.nics[r.IntN(len(g.nics))].ip4
	sport := uint16(1024 + r.IntN(60000))
	dst := g.publicIP()
	p := map[string]any{}
	var e event.Event
	e.SrcIP, e.SrcPort = client, sport
	trail := func(allow bool) event.Rule {
		if allow {
			return event.Rule{Policy: "demo-policy", RuleCollectionGroup: "DefaultNetworkRuleCollectionGroup", RuleCollection: "allow-out", Name: "allow-web"}
		}
		return event.Rule{}
	}
	switch ki {
	case 0: // AZFWNetworkRule
		allow := r.IntN(3) > 0
		rule := trail(allow)
		proto, dport := "TCP", uint16(443)
		if r.IntN(4) == 0 {
			proto, dport = "UDP", 53
		}
		action, reason := "Allow", ""
		if !allow {
			action, reason = "Deny", "Default Action"
			rule.Default, rule.Reason = true, reason
		}
		p = map[string]any{"Protocol": proto, "SourceIp": client.String(), "SourcePort": sport, "DestinationIp": dst.String(), "DestinationPort": dport,
			"Action": action, "Policy": rule.Policy, "RuleCollectionGroup": rule.RuleCollectionGroup, "RuleCollection": rule.RuleCollection, "Rule": rule.Name, "ActionReason": reason}
		e.Protocol, e.DstIP, e.DstPort, e.Rule = strings.ToLower(proto), dst, dport, rule
		e.Verdict = map[bool]event.Verdict{true: event.VerdictAllow, false: event.VerdictDeny}[allow]
	case 1: // AZFWApplicationRule: no DestinationIp
		f := fqdns[r.IntN(len(fqdns))]
		allow := f != "blocked.example.net"
		rule := event.Rule{Policy: "demo-policy", RuleCollectionGroup: "DefaultApplicationRuleCollectionGroup", RuleCollection: "web", Name: "allow-fqdns"}
		action, reason := "Allow", ""
		if !allow {
			rule, action, reason = event.Rule{Default: true, Reason: "Default Action"}, "Deny", "Default Action"
		}
		p = map[string]any{"Protocol": "HTTPS", "SourceIp": client.String(), "SourcePort": sport, "Fqdn": f, "TargetUrl": "", "DestinationPort": 443,
			"Action": action, "Policy": rule.Policy, "RuleCollectionGroup": rule.RuleCollectionGroup, "RuleCollection": rule.RuleCollection, "Rule": rule.Name,
			"ActionReason": reason, "WebCategory": "", "IsTlsInspected": false, "IsExplicitProxyRequest": false}
		e.Protocol, e.FQDN, e.DstPort, e.Rule = "https", f, 443, rule
		e.Verdict = map[bool]event.Verdict{true: event.VerdictAllow, false: event.VerdictDeny}[allow]
		e.Detail = map[string]string{"tls_inspected": "false", "explicit_proxy": "false"}
	case 2: // AZFWNatRule: the 5-tuple as it arrived, the translation beside it
		src := g.publicIP()
		p = map[string]any{"Protocol": "TCP", "SourceIp": src.String(), "SourcePort": sport, "DestinationIp": pub.String(), "DestinationPort": 3389,
			"TranslatedIp": client.String(), "TranslatedPort": 3389, "Policy": "demo-policy", "RuleCollectionGroup": "DefaultDnatRuleCollectionGroup", "RuleCollection": "dnat", "Rule": "rdp-in"}
		e.Protocol, e.SrcIP, e.DstIP, e.DstPort, e.Verdict = "tcp", src, pub, 3389, event.VerdictDNAT
		e.NAT = &event.NAT{Kind: "dnat", TranslatedIP: client, TranslatedPort: 3389}
		e.Rule = event.Rule{Policy: "demo-policy", RuleCollectionGroup: "DefaultDnatRuleCollectionGroup", RuleCollection: "dnat", Name: "rdp-in"}
	case 3: // AZFWDnsQuery
		f := fqdns[r.IntN(len(fqdns))] + "."
		rcode := "NOERROR"
		if r.IntN(5) == 0 {
			rcode = "NXDOMAIN"
		}
		qid := r.IntN(65536)
		dur := strconv.FormatFloat(float64(1+r.IntN(5000))/1e6, 'f', -1, 64)
		p = map[string]any{"SourceIp": client.String(), "SourcePort": sport, "QueryId": qid, "QueryType": "A", "QueryClass": "IN", "QueryName": f, "Protocol": "udp",
			"RequestSize": 43, "DnssecOkBit": false, "EDNS0BufferSize": 512, "ResponseCode": rcode, "ResponseFlags": "qr,rd,ra", "ResponseSize": 145,
			"RequestDurationSecs": json.RawMessage(dur), "ErrorNumber": 0, "ErrorMessage": ""}
		e.Protocol, e.FQDN, e.Verdict = "udp", strings.TrimSuffix(f, "."), event.VerdictInfo
		e.Detail = map[string]string{"query_name": f, "query_type": "A", "query_class": "IN", "query_id": strconv.Itoa(qid), "rcode": rcode,
			"response_flags": "qr,rd,ra", "request_size": "43", "response_size": "145", "duration_s": dur, "dnssec_ok": "false", "edns0_buffer": "512"}
	case 4: // AZFWIdpsSignature
		p = map[string]any{"Protocol": "TCP", "SourceIp": client.String(), "SourcePort": sport, "DestinationIp": dst.String(), "DestinationPort": 80,
			"Action": "Alert", "SignatureId": "2032081", "Category": "A Network Trojan was detected", "Description": "USER_AGENTS Suspicious User Agent", "Severity": 1}
		e.Protocol, e.DstIP, e.DstPort, e.Verdict = "tcp", dst, 80, event.VerdictAlert
		e.Rule = event.Rule{Name: "2032081", Signature: "2032081"}
		e.Detail = map[string]string{"idps_category": "A Network Trojan was detected", "idps_description": "USER_AGENTS Suspicious User Agent", "idps_severity": "1"}
	case 5: // legacy network rule
		allow := r.IntN(2) == 0
		var msg string
		e.Protocol, e.DstIP, e.DstPort = "tcp", dst, 443
		if allow {
			msg = fmt.Sprintf("TCP request from %s:%d to %s:443. Action: Allow. Policy: demo-policy. Rule Collection Group: DefaultNetworkRuleCollectionGroup. Rule Collection: allow-out. Rule: allow-web", client, sport, dst)
			e.Verdict, e.Rule = event.VerdictAllow, trail(true)
			e.Detail = map[string]string{"action": "Allow"}
		} else {
			msg = fmt.Sprintf("TCP request from %s:%d to %s:443. Action: Deny. ", client, sport, dst)
			e.Verdict = event.VerdictDeny
			e.Detail = map[string]string{"action": "Deny"}
		}
		p["msg"] = msg
	case 6: // legacy DNAT
		src := g.publicIP()
		p["msg"] = fmt.Sprintf("TCP request from %s:%d to %s:3389 was DNAT'ed to %s:3389. Policy: demo-policy. Rule Collection Group: DefaultDnatRuleCollectionGroup. Rule Collection: dnat. Rule: rdp-in", src, sport, pub, client)
		e.Protocol, e.SrcIP, e.DstIP, e.DstPort, e.Verdict = "tcp", src, pub, 3389, event.VerdictDNAT
		e.NAT = &event.NAT{Kind: "dnat", TranslatedIP: client, TranslatedPort: 3389}
		e.Rule = event.Rule{Policy: "demo-policy", RuleCollectionGroup: "DefaultDnatRuleCollectionGroup", RuleCollection: "dnat", Name: "rdp-in"}
	case 7: // legacy application rule
		f := fqdns[r.IntN(len(fqdns))]
		if f != "blocked.example.net" {
			p["msg"] = fmt.Sprintf("HTTPS request from %s:%d to %s:443. Action: Allow. Policy: demo-policy. Rule Collection Group: DefaultApplicationRuleCollectionGroup. Rule Collection: web. Rule: allow-fqdns", client, sport, f)
			e.Protocol, e.FQDN, e.DstPort, e.Verdict = "https", f, 443, event.VerdictAllow
			e.Rule = event.Rule{Policy: "demo-policy", RuleCollectionGroup: "DefaultApplicationRuleCollectionGroup", RuleCollection: "web", Name: "allow-fqdns"}
			e.Detail = map[string]string{"action": "Allow"}
		} else {
			p["msg"] = fmt.Sprintf("HTTP  request from %s:%d to %s:80. Url: %s/download. Action: Deny. No rule matched. Proceeding with default action", client, sport, f, f)
			e.Protocol, e.FQDN, e.DstPort, e.URL, e.Verdict = "http", f, 80, f+"/download", event.VerdictDeny
			e.Rule = event.Rule{Default: true, Reason: "No rule matched. Proceeding with default action"}
			e.Detail = map[string]string{"action": "Deny"}
		}
	case 8: // legacy DNS proxy
		f := fqdns[r.IntN(len(fqdns))] + "."
		qid := r.IntN(65536)
		p["msg"] = fmt.Sprintf("DNS Request: %s:%d - %d A IN %s udp 43 false 512 NOERROR qr,rd,ra 145 0.002846368s", client, sport, qid, f)
		e.Protocol, e.FQDN, e.Verdict = "udp", strings.TrimSuffix(f, "."), event.VerdictInfo
		e.Detail = map[string]string{"query_name": f, "query_type": "A", "query_class": "IN", "query_id": strconv.Itoa(qid), "rcode": "NOERROR",
			"response_flags": "qr,rd,ra", "request_size": "43", "response_size": "145", "dnssec_ok": "false", "edns0_buffer": "512", "duration_s": "0.002846368"}
	}
	return fwRecord{Properties: p}, e
}
