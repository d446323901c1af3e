package logs

import (
	"reflect"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

// No public DnsResponse record exists; these are built from the table's
// documented columns and the raw snake_case keys of a published forwarder
// (docs/log-formats-more.md §11.2, §11.3).
const dnsRaw = `{"time":"2026-01-15T09:05:00.1234567Z","resourceId":"/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/DNSRESOLVERPOLICIES/HUB-DNS-POLICY","category":"DnsResponse","operationName":"RESPONSE_SUCCESS","properties":{"version":"1.0","sub_id":"0","region":"westeurope","vnet_id":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke-app","query_name":"kv-payments.vault.azure.net.","query_type":"A","query_class":"IN","response_code":0,"srcipaddr":"10.1.0.4","srcport":53211,"dstipaddr":"","dstport":53,"transport":"udp","query_response_time":3,"resolution_path":"PublicDnsResolution","resolverpolicy_id":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/dnsResolverPolicies/hub-dns-policy","resolverpolicy_rule_action":"NoMatch","answer":[{"Type":"CNAME","Class":"IN","TTL":60,"RData":"kv-payments.privatelink.vaultcore.azure.net."},{"Type":"CNAME","Class":"IN","TTL":60,"RData":"azkms-prod-weu-b.westeurope.cloudapp.azure.com."},{"Type":"A","Class":"IN","TTL":10,"RData":"20.61.15.7"}]}}`

const dnsRow = `{"TimeGenerated":"2026-01-15T09:05:00.1234567Z","OperationName":"RESPONSE_SUCCESS","Region":"westeurope","QueryName":"kv-payments.vault.azure.net.","QueryType":"A","QueryClass":"IN","ResponseCode":0,"SourceIpAddress":"10.1.0.4","SourcePort":53211,"Transport":"udp","ResolutionPath":"PublicDnsResolution","ResolverPolicyRuleAction":"NoMatch","Answer":[{"RData":"kv-payments.privatelink.vaultcore.azure.net.","Type":"CNAME"},{"RData":"azkms-prod-weu-b.westeurope.cloudapp.azure.com.","Type":"CNAME"},{"RData":"20.61.15.7","Type":"A"}],"_ResourceId":"/subscriptions/0/resourcegroups/rg/providers/microsoft.network/dnsresolverpolicies/hub-dns-policy","Type":"DNSQueryLogs"}`

const dnsCSVHeader = `TimeGenerated [UTC],OperationName,QueryName,QueryType,ResponseCode,SourceIpAddress,SourcePort,Transport,ResolutionPath,ResolverPolicyRuleAction,Answer,_ResourceId,Type`
const dnsCSVRow = `"1/15/2026, 9:05:00.123 AM",RESPONSE_SUCCESS,kv-payments.vault.azure.net.,A,0,10.1.0.4,53211,udp,PublicDnsResolution,NoMatch,"[{""RData"":""kv-payments.privatelink.vaultcore.azure.net."",""Type"":""CNAME""},{""RData"":""azkms-prod-weu-b.westeurope.cloudapp.azure.com."",""Type"":""CNAME""},{""RData"":""20.61.15.7"",""Type"":""A""}]",/subscriptions/0/resourcegroups/rg/providers/microsoft.network/dnsresolverpolicies/hub-dns-policy,DNSQueryLogs`

func TestDNSQueryLogFramings(t *testing.T) {
	fs := append(rawFramings("insights-logs-dnsresponse", dnsRaw), laFramings(dnsRow, dnsCSVHeader, dnsCSVRow)...)
	checkFramings(t, fs, event.SourceDNS, func(t *testing.T, e event.Event) {
		if e.FQDN != "kv-payments.vault.azure.net" || e.SrcIP.String() != "10.1.0.4" || e.SrcPort != 53211 || e.DstPort != 53 || e.Protocol != "udp" ||
			e.Verdict != event.VerdictInfo || e.Emitter != "hub-dns-policy" {
			t.Errorf("event %+v", e)
		}
		want := map[string]string{"answers": "20.61.15.7", "cnames": "kv-payments.privatelink.vaultcore.azure.net,azkms-prod-weu-b.westeurope.cloudapp.azure.com",
			"rcode": "NOERROR", "resolution_path": "PublicDnsResolution", "query_type": "A"}
		for k, v := range want {
			if e.Detail[k] != v {
				t.Errorf("detail %s = %q, want %q", k, e.Detail[k], v)
			}
		}
	})
}

func TestDNSQueryLogBlockedAndResolver(t *testing.T) {
	rec := `{"time":"2026-01-15T09:06:00Z","resourceId":"/X/DNSRESOLVERPOLICIES/P","category":"DnsResponse","properties":{"query_name":"evil.example.","query_type":"A","response_code":"2","srcipaddr":"10.1.0.9","resolverpolicy_rule_action":"Block","resolverpolicy_domain_list_id":"/x/dnsResolverDomainLists/blocked","private_resolver_endpoint_id":"/x/inboundEndpoints/IN1","dns_forwarding_ruleset_id":"/x/dnsForwardingRulesets/RS","answer":[]}}`
	evs, rep := readString(t, "x.json", rec)
	if len(evs) != 1 || rep.Skipped() != 0 {
		t.Fatalf("%d events, skips %v", len(evs), rep.Skips())
	}
	e := evs[0]
	if e.Verdict != event.VerdictDeny || e.Rule.Name != "blocked" || e.Detail["rcode"] != "SERVFAIL" || e.Detail["answers"] != "" ||
		e.Detail["resolver_endpoint"] != "/x/inboundendpoints/in1" || e.Detail["forwarding_ruleset"] != "/x/dnsforwardingrulesets/rs" {
		t.Errorf("event %+v", e)
	}
	// No query name: skipped with a reason, the next record still read.
	evs, rep = readString(t, "x.json", `{"time":"2026-01-15T09:06:00Z","category":"DnsResponse","properties":{"srcipaddr":"10.1.0.9"}}`+"\n"+rec)
	if len(evs) != 1 || rep.SkipsByCode()[CodeBadRecord] != 1 {
		t.Errorf("%d events, skips %v", len(evs), rep.Skips())
	}
}

func TestDNSAnswers(t *testing.T) {
	for _, c := range []struct {
		in            string
		addrs, cnames []string
	}{
		{`[{"Type":"A","RData":"10.0.0.5"},{"type":"AAAA","rdata":"fd00::5"}]`, []string{"10.0.0.5", "fd00::5"}, nil},
		{`["kv.vault.azure.net. 60 IN CNAME kv.privatelink.vaultcore.azure.net.","kv.privatelink.vaultcore.azure.net. 10 IN A 10.1.2.5"]`, []string{"10.1.2.5"}, []string{"kv.privatelink.vaultcore.azure.net"}},
		{`"[{\"RData\":\"20.61.15.7\",\"Type\":\"A\"}]"`, []string{"20.61.15.7"}, nil},
		{`"10.0.0.1, 10.0.0.2"`, []string{"10.0.0.1", "10.0.0.2"}, nil},
		{`[{"Type":"TXT","RData":"v=spf1"},{"Type":"A","RData":"not-an-ip"}]`, nil, nil},
		{`[]`, nil, nil},
		{`10.9.9.9`, []string{"10.9.9.9"}, nil}, // not JSON: read as text
	} {
		a, cn := dnsAnswers([]byte(c.in))
		if !reflect.DeepEqual(a, c.addrs) || !reflect.DeepEqual(cn, c.cnames) {
			t.Errorf("%s: addrs %v cnames %v, want %v %v", c.in, a, cn, c.addrs, c.cnames)
		}
	}
}

func FuzzDNSQueryLog(f *testing.F) {
	f.Add([]byte(dnsRaw))
	f.Add([]byte(dnsRow))
	f.Add([]byte(`{"time":"2026-01-15T09:06:00Z","category":"DnsResponse","properties":{"query_name":".","srcipaddr":"::1","srcport":"x","answer":"[[[[[\"1.2.3.4\"]]]]]"}}`))
	f.Add([]byte(`{"time":"2026-01-15T09:06:00Z","Type":"DNSQueryLogs","QueryName":"a.","ResponseCode":99,"Answer":"a. 1 IN A"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseDNSQueryLog, func(e *event.Event) {
			if e.Source != event.SourceDNS || e.FQDN == "" && e.Detail["query_name"] == "" {
				t.Fatalf("event without a query: %+v", e)
			}
		})
	})
}
