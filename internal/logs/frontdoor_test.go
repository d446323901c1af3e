package logs

import (
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

// Front Door fixtures built from the documented properties
// (docs/log-formats-more.md §12); values are strings as in published
// records.
const fdAccessRaw = `{"time":"2026-01-15T09:10:00.5000000Z","resourceId":"/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CDN/PROFILES/CONTOSO-AFD","category":"FrontDoorAccessLog","operationName":"Microsoft.Cdn/Profiles/AccessLog/Write","properties":{"trackingReference":"0Abc","httpMethod":"GET","httpVersion":"2.0.0.0","requestUri":"https://www.contoso.com:443/api/orders?id=7","hostName":"www.contoso.com","requestBytes":"812","responseBytes":"0","userAgent":"curl/8.5","clientIp":"198.51.100.23","clientPort":"50123","socketIp":"198.51.100.23","timeTaken":"30.001","requestProtocol":"HTTPS","securityProtocol":"TLS 1.3","httpStatusCode":"504","httpStatusDetails":"504","pop":"AMS","cacheStatus":"CONFIG_NOCACHE","errorInfo":"OriginTimeout","routeName":"api-route","endpoint":"contoso-e0a1.z01.azurefd.net","originUrl":"https://10.2.0.4:443/api/orders?id=7","originIp":"10.2.0.4:443","originName":"app-contoso.azurewebsites.net"}}`

const fdAccessRow = `{"TimeGenerated":"2026-01-15T09:10:00.5Z","Category":"FrontDoorAccessLog","ResourceId":"/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CDN/PROFILES/CONTOSO-AFD","requestUri_s":"https://www.contoso.com:443/api/orders?id=7","hostName_s":"www.contoso.com","clientIp_s":"198.51.100.23","clientPort_s":"50123","httpStatusCode_s":"504","errorInfo_s":"OriginTimeout","originIp_s":"10.2.0.4:443","originName_s":"app-contoso.azurewebsites.net","routeName_s":"api-route","cacheStatus_s":"CONFIG_NOCACHE","Type":"AzureDiagnostics"}`

const fdCSVHeader = `TimeGenerated [UTC],Category,ResourceId,requestUri_s,hostName_s,clientIp_s,clientPort_s,httpStatusCode_s,errorInfo_s,originIp_s,originName_s,routeName_s,Type`
const fdCSVRow = `"1/15/2026, 9:10:00.500 AM",FrontDoorAccessLog,/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CDN/PROFILES/CONTOSO-AFD,https://www.contoso.com:443/api/orders?id=7,www.contoso.com,198.51.100.23,50123,504,OriginTimeout,10.2.0.4:443,app-contoso.azurewebsites.net,api-route,AzureDiagnostics`

func TestFrontDoorAccessFramings(t *testing.T) {
	fs := append(rawFramings("insights-logs-frontdooraccesslog", fdAccessRaw), laFramings(fdAccessRow, fdCSVHeader, fdCSVRow)...)
	checkFramings(t, fs, event.SourceFrontDoor, func(t *testing.T, e event.Event) {
		if e.Emitter != "contoso-afd" || e.SrcIP.String() != "198.51.100.23" || e.SrcPort != 50123 || e.FQDN != "www.contoso.com" ||
			e.DstPort != 443 || e.Protocol != "https" || e.HTTPStatus != 504 || e.Verdict != event.VerdictError || e.Rule.Name != "api-route" ||
			e.Rule.Reason != "OriginTimeout" {
			t.Errorf("event %+v", e)
		}
		if e.Detail["origin_ip"] != "10.2.0.4:443" || e.Detail["origin_reached"] != "true" || e.Detail["origin"] != "app-contoso.azurewebsites.net" {
			t.Errorf("origin leg %v", e.Detail)
		}
	})
}

func TestFrontDoorKinds(t *testing.T) {
	for _, c := range []struct {
		name, rec string
		check     func(t *testing.T, e event.Event)
	}{
		{"classic access, served", `{"category":"FrontdoorAccessLog","operationName":"Microsoft.Network/FrontDoor/AccessLog/Write","properties":{"ErrorInfo":"NoError","backendHostname":"app.azurewebsites.net:443","cacheStatus":"CONFIG_NOCACHE","clientIp":"203.0.113.50","clientPort":"6610","httpMethod":"GET","httpStatusCode":"200","requestUri":"https://erp.example.com:443/x","routingRuleName":"erp"},"resourceId":"/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/FRONTDOORS/CLASSICFD","time":"2026-01-15T09:10:00Z"}`,
			func(t *testing.T, e event.Event) {
				if e.Emitter != "classicfd" || e.Verdict != event.VerdictAllow || e.HTTPStatus != 200 || e.Detail["origin"] != "app.azurewebsites.net:443" || e.Detail["origin_reached"] != "true" || e.Rule.Name != "erp" {
					t.Errorf("event %+v", e)
				}
			}},
		{"origin refused", `{"time":"2026-01-15T09:10:00Z","category":"FrontDoorAccessLog","resourceId":"/X/PROFILES/P","properties":{"clientIp":"203.0.113.50","httpStatusCode":"502","errorInfo":"OriginConnectionRefused","originIp":"N/A","originName":"N/A","requestUri":"http://a.example.com/"}}`,
			func(t *testing.T, e event.Event) {
				if e.Verdict != event.VerdictError || e.Detail["origin_reached"] != "false" || e.Detail["origin"] != "" || e.Protocol != "http" || e.DstPort != 80 {
					t.Errorf("event %+v", e)
				}
			}},
		{"status 0 is an origin timeout", `{"time":"2026-01-15T09:10:00Z","category":"FrontDoorAccessLog","properties":{"clientIp":"203.0.113.50","httpStatusCode":"0","errorInfo":"NoError"}}`,
			func(t *testing.T, e event.Event) {
				if e.Verdict != event.VerdictError || e.Rule.Reason != "OriginTimeout" || e.Detail["origin_reached"] != "true" {
					t.Errorf("event %+v", e)
				}
			}},
		{"WAF block", `{"category":"FrontDoorWebApplicationFirewallLog","properties":{"action":"Block","clientIP":"81.2.69.142","clientPort":"59781","details":{"matches":[],"msg":"SQL injection"},"host":"erp.example.com","policy":"waf2","policyMode":"prevention","requestUri":"https://erp.example.com:443/a","ruleName":"DefaultRuleSet-1.0-SQLI-942330","trackingReference":"0v"},"resourceId":"/X/FRONTDOORS/FD","time":"2026-01-15T09:10:00Z"}`,
			func(t *testing.T, e event.Event) {
				if e.Verdict != event.VerdictDeny || e.Rule.Name != "DefaultRuleSet-1.0-SQLI-942330" || e.Rule.Policy != "waf2" || e.Rule.Reason != "SQL injection" || e.SrcPort != 59781 {
					t.Errorf("event %+v", e)
				}
			}},
		{"WAF log only", `{"category":"FrontdoorWebApplicationFirewallLog","properties":{"action":"Log","clientIP":"216.160.83.56","ruleName":"AllowMyanmar","requestUri":"https://c.example.com:443/"},"time":"2026-01-15T09:10:00Z"}`,
			func(t *testing.T, e event.Event) {
				if e.Verdict != event.VerdictAlert {
					t.Errorf("event %+v", e)
				}
			}},
		{"health probe", `{"time":"2026-01-15T09:10:00Z","category":"FrontDoorHealthProbeLog","resourceId":"/X/PROFILES/P","properties":{"healthProbeId":"96","POP":"MAA","httpVerb":"HEAD","result":"OriginError","httpStatusCode":"400","probeURL":"http://origin.example.net:80/","originName":"origin.example.net","originIP":"52.239.224.228:80"}}`,
			func(t *testing.T, e event.Event) {
				if e.Verdict != event.VerdictError || e.DstIP.String() != "52.239.224.228" || e.DstPort != 80 || e.Rule.Reason != "OriginError" || e.HTTPStatus != 400 {
					t.Errorf("event %+v", e)
				}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			evs, rep := readString(t, "fd.json", c.rec)
			if len(evs) != 1 || rep.Skipped() != 0 {
				t.Fatalf("%d events, skips %v", len(evs), rep.Skips())
			}
			c.check(t, evs[0])
		})
	}
}

func FuzzFrontDoor(f *testing.F) {
	f.Add([]byte(fdAccessRaw))
	f.Add([]byte(fdAccessRow))
	f.Add([]byte(`{"time":"2026-01-15T09:10:00Z","category":"FrontDoorWebApplicationFirewallLog","properties":{"clientIP":"[::1]:80","clientPort":"99999","requestUri":"%zz://"}}`))
	f.Add([]byte(`{"time":"2026-01-15T09:10:00Z","category":"FrontDoorHealthProbeLog","properties":{"originIP":"x:y","probeURL":"http://[::1]:0/"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseFrontDoor, func(e *event.Event) {
			if e.Source != event.SourceFrontDoor || e.Verdict == "" {
				t.Fatalf("event %+v", e)
			}
		})
	})
}
