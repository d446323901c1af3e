package loggen

import (
	"encoding/json"
	"net/netip"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// DNSQuery is one query a DNS security policy logs (category DnsResponse,
// docs/log-formats-more.md §11): the client, the name, and what it was
// answered. No public record exists; the shape follows the table's
// columns and the raw snake_case keys (§11.3).
type DNSQuery struct {
	At     time.Time
	Client netip.AddrPort
	// Name is the name asked for; Type the record type (default A).
	Name, Type string
	// CNAMEs is the alias chain, in order; Answers the final addresses.
	CNAMEs  []string
	Answers []netip.Addr
	// RCode is the response code (0 NOERROR, 3 NXDOMAIN, ...).
	RCode int
	// Path is the resolution path (default PrivateDnsResolution when a
	// CNAME goes through a privatelink zone, else PublicDnsResolution);
	// Action the policy's verdict (default NoMatch).
	Path, Action string
}

// DNS adds queries logged by the DNS security policy named policy.
func (s *Script) DNS(policy string, qs ...DNSQuery) {
	if s.dns == nil {
		s.dns = map[string][]DNSQuery{}
	}
	s.dns[policy] = append(s.dns[policy], qs...)
}

// dnsRR is one answer record as the raw log writes it.
type dnsRR struct {
	Type  string `json:"Type"`
	Class string `json:"Class"`
	TTL   int    `json:"TTL"`
	RData string `json:"RData"`
}

// dnsLine is one DnsResponse record and the event it stands for.
func dnsLine(q DNSQuery, id, policy, sub, vnet string) ([]byte, event.Event) {
	typ := q.Type
	if typ == "" {
		typ = "A"
	}
	path := q.Path
	if path == "" {
		path = "PublicDnsResolution"
		for _, c := range q.CNAMEs {
			if strings.Contains(c, ".privatelink.") {
				path = "PrivateDnsResolution"
			}
		}
	}
	action := q.Action
	if action == "" {
		action = "NoMatch"
	}
	name := strings.TrimSuffix(q.Name, ".") + "."
	answers := []dnsRR{}
	for _, c := range q.CNAMEs {
		answers = append(answers, dnsRR{Type: "CNAME", Class: "IN", TTL: 60, RData: strings.TrimSuffix(c, ".") + "."})
	}
	var addrs []string
	for _, a := range q.Answers {
		t := "A"
		if a.Is6() {
			t = "AAAA"
		}
		answers = append(answers, dnsRR{Type: t, Class: "IN", TTL: 10, RData: a.String()})
		addrs = append(addrs, a.String())
	}
	at := q.At.UTC().Truncate(100 * time.Nanosecond)
	op := "RESPONSE_SUCCESS"
	if q.RCode != 0 {
		op = "RESPONSE_FAILURE"
	}
	props := map[string]any{"version": "1.0", "sub_id": sub, "region": "westeurope", "vnet_id": vnet,
		"query_name": name, "query_type": typ, "query_class": "IN", "response_code": q.RCode,
		"srcipaddr": q.Client.Addr().String(), "srcport": q.Client.Port(), "dstipaddr": "", "dstport": 53, "transport": "udp",
		"query_response_time": 2, "resolution_path": path, "resolverpolicy_id": strings.ToLower(id), "resolverpolicy_rule_action": action,
		"answer": answers}
	line, _ := json.Marshal(map[string]any{"time": at.Format(timeLayout), "resourceId": id, "category": "DnsResponse", "operationName": op, "properties": props})
	e := event.Event{Time: at, Source: event.SourceDNS, Category: "DnsResponse", Emitter: strings.ToLower(policy), EmitterID: strings.ToLower(id),
		Protocol: "udp", SrcIP: q.Client.Addr(), SrcPort: q.Client.Port(), DstPort: 53, FQDN: strings.ToLower(strings.TrimSuffix(q.Name, ".")),
		Verdict: event.VerdictInfo, Detail: map[string]string{"query_name": name, "query_type": typ, "resolution_path": path, "policy_action": action,
			"answers": strings.Join(addrs, ","), "rcode": map[int]string{0: "NOERROR", 2: "SERVFAIL", 3: "NXDOMAIN"}[q.RCode]}}
	var cn []string
	for _, c := range q.CNAMEs {
		cn = append(cn, strings.ToLower(strings.TrimSuffix(c, ".")))
	}
	if len(cn) > 0 {
		e.Detail["cnames"] = strings.Join(cn, ",")
	}
	if e.Detail["answers"] == "" {
		delete(e.Detail, "answers")
	}
	if e.Detail["rcode"] == "" {
		delete(e.Detail, "rcode")
	}
	e.Rule.Policy = strings.ToLower(policy)
	switch strings.ToLower(action) {
	case "block", "deny":
		e.Verdict, e.Rule.Reason = event.VerdictDeny, "DNS security policy "+strings.ToLower(action)
	case "alert":
		e.Verdict, e.Rule.Reason = event.VerdictAlert, "DNS security policy alert"
	}
	return append(line, '\n'), e
}

func (s *Script) writeDNS() error {
	for _, name := range sortedKeys(s.dns) {
		qs := s.dns[name]
		id := s.g.armID("Microsoft.Network", "dnsResolverPolicies", name)
		vnet := "/subscriptions/" + s.opt.Subscription + "/resourceGroups/" + s.opt.ResourceGroup + "/providers/Microsoft.Network/virtualNetworks/spoke"
		err := s.lines(len(qs), func(i int) time.Time { return qs[i].At },
			func(h time.Time) string { return resourceBlob("DnsResponse", id, h) },
			func(i int) ([]byte, event.Event) { return dnsLine(qs[i], id, name, s.opt.Subscription, vnet) })
		if err != nil {
			return err
		}
	}
	return nil
}

// dnsKind writes n queries of the VNet's NICs for a few names, spread over
// the hours: most answered, some NXDOMAIN, one name through a privatelink
// zone, one blocked by the policy.
func dnsKind(g *gen, n int64) error {
	s := NewScript(ScriptOptions{Out: g.opt.Out, Seed: g.opt.Seed, Subscription: g.opt.Subscription, ResourceGroup: g.opt.ResourceGroup, Region: g.opt.Region, Expect: g.opt.Expect})
	span := time.Duration(g.opt.Hours) * time.Hour
	for i := int64(0); i < n; i++ {
		q := DNSQuery{At: g.opt.Start.Add(span * time.Duration(i) / time.Duration(n)),
			Client: netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(4 + i%4)}), uint16(40000+i%20000))}
		switch i % 5 {
		case 0, 1:
			q.Name, q.Answers = "packages.microsoft.com", []netip.Addr{g.publicIP()}
		case 2:
			q.Name, q.CNAMEs, q.Answers = "demo-kv.vault.azure.net", []string{"demo-kv.privatelink.vaultcore.azure.net"}, []netip.Addr{netip.MustParseAddr("10.0.2.5")}
		case 3:
			q.Name, q.RCode = "wpad.demo.internal", 3
		default:
			q.Name, q.Action, q.RCode = "malware.example.net", "Block", 2
		}
		s.DNS("demo-dns-policy", q)
	}
	return g.merge(s.Write())
}
