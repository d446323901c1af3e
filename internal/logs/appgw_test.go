package logs

import (
	"os"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/testenv"
)

func TestAppGatewaySamples(t *testing.T) {
	cases := []struct {
		file          string
		events, skips int
		check         func(t *testing.T, evs []event.Event)
	}{
		{"appgw/otel-contrib/agw-access-log.json", 6, 0, func(t *testing.T, evs []event.Event) {
			// (1) v1: backend facts from requestQuery.
			if e := evs[0]; e.HTTPStatus != 404 || e.Detail["server_routed"] != "10.4.0.4" || e.Detail["server_status"] != "404" || e.SrcIP.String() != "203.0.113.97" || e.Emitter != "application-gateway-name" {
				t.Errorf("record 0: %+v", e)
			}
			// (4) no live backend: not sent.
			var noLive *event.Event
			for i := range evs {
				if evs[i].Detail["error_info"] == "ERRORINFO_UPSTREAM_NO_LIVE" {
					noLive = &evs[i]
				}
			}
			if noLive == nil || noLive.Detail["backend_reached"] != "false" || noLive.Verdict != event.VerdictError || noLive.Rule.Reason != "ERRORINFO_UPSTREAM_NO_LIVE" {
				t.Errorf("no-live record: %+v", noLive)
			}
			if e := evs[2]; e.Rule.Name != "Storage-Static-Rule" || e.Detail["listener"] != "HTTP-Listener" {
				t.Errorf("v2 top-level routing keys lost: %+v", e)
			}
		}},
		{"appgw/otel-contrib/agw-firewall-log.json", 1, 0, func(t *testing.T, evs []event.Event) {
			if e := evs[0]; e.Verdict != event.VerdictAlert || e.Rule.Name != "920350" || e.SrcIP.String() != "203.0.113.147" {
				t.Errorf("WAF Matched: %+v", e)
			}
		}},
		{"appgw/otel-contrib/agw-performance-log.json", 1, 0, func(t *testing.T, evs []event.Event) {
			if e := evs[0]; !e.Aggregate || e.Detail["healthy_host_count"] != "4" {
				t.Errorf("performance: %+v", e)
			}
		}},
		// ResourceHealth arrives on the same event hub: skipped as unknown.
		{"appgw/elastic/test-application-gateway-raw.log", 5, 1, nil},
		{"appgw/elastic/test-application-gateway-metadata.log", 1, 0, nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			p := testenv.Shared(t, "azure-logs/"+c.file)
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			evs, rep := readString(t, p, string(raw))
			if len(evs) != c.events || rep.Skipped() != c.skips {
				t.Fatalf("events %d skips %v", len(evs), rep.Skips())
			}
			if c.skips > 0 && rep.SkipsByCode()[CodeUnknownCategory] != c.skips {
				t.Errorf("skips %v", rep.Skips())
			}
			for _, e := range evs {
				if e.Source != event.SourceAppGateway || e.Time.IsZero() {
					t.Errorf("event %+v", e)
				}
			}
			if c.check != nil {
				c.check(t, evs)
			}
		})
	}
}

func TestAppGatewayInternalRowsDropped(t *testing.T) {
	evs, rep := readString(t, "x.json", `{"time":"2026-11-25T10:00:00Z","category":"ApplicationGatewayAccessLog","resourceId":"/x/APPLICATIONGATEWAYS/AGW","properties":{"clientIP":"127.0.0.1","httpStatus":200}}`+"\n")
	if len(evs) != 0 || rep.Skipped() != 0 {
		t.Errorf("events %d skips %v", len(evs), rep.Skips())
	}
}

func FuzzAppGateway(f *testing.F) {
	f.Add([]byte(`{"time":"2026-11-25T10:00:00Z","category":"ApplicationGatewayAccessLog","properties":{"clientIP":"1.2.3.4","clientPort":"x","requestQuery":"SERVER-ROUTED=%zz&SERVER-STATUS=1","httpStatus":"502","error_info":"ERRORINFO_UPSTREAM_NO_LIVE"}}`))
	f.Add([]byte(`{"timeStamp":"2026-11-25T10:00:00+00:00","category":"ApplicationGatewayFirewallLog","properties":{"clientIp":"1.2.3.4","clientPort":"","hostname":"[::1]:80","action":"Blocked"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseAppGateway, nil)
	})
}
