package logs

import (
	"encoding/json"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

func TestSQLAudit(t *testing.T) {
	cases := []struct {
		name, rec string
		verdict   event.Verdict
		layer     string
	}{
		{"firewall 40615", `{"time":"2026-11-25T10:00:00Z","category":"SQLSecurityAuditEvents","resourceId":"/x/servers/sqlsrv1/databases/master","properties":{"event_time":"2026-11-25T09:59:59.5Z","action_name":"DATABASE AUTHENTICATION FAILED","succeeded":"false","client_ip":"203.0.113.77","server_instance_name":"sqlsrv1","additional_information":"<error_code>40615</error_code><error_message>Client with IP address '203.0.113.77' is not allowed to access the server.</error_message>"}}`,
			event.VerdictDeny, SQLLayerFirewall},
		{"login failed 18456, AzureDiagnostics", `{"TimeGenerated":"2026-11-25T10:00:01Z","Category":"SQLSecurityAuditEvents","Type":"AzureDiagnostics","event_time_t":"2026-11-25T10:00:01Z","action_name_s":"DATABASE AUTHENTICATION FAILED","succeeded_s":"false","client_ip_s":"10.0.1.4","server_instance_name_s":"sqlsrv1","additional_information_s":"<login_information><error_code>18456</error_code><error_state>8</error_state></login_information>","server_principal_name_s":"app"}`,
			event.VerdictDeny, SQLLayerAuthentication},
		{"permission denied, table row", `{"TimeGenerated":"2026-11-25T10:00:02Z","Type":"SQLSecurityAuditEvents","EventTime":"2026-11-25T10:00:02Z","ActionName":"SELECT","Succeeded":false,"ClientIp":"10.0.1.4","LogicalServerName":"sqlsrv1","Statement":"The SELECT permission was denied on the object 'T'"}`,
			event.VerdictDeny, SQLLayerAuthorization},
		{"success", `{"TimeGenerated":"2026-11-25T10:00:03Z","Type":"SQLSecurityAuditEvents","EventTime":"2026-11-25T10:00:03Z","ActionName":"DATABASE AUTHENTICATION SUCCEEDED","Succeeded":true,"ClientIp":"10.0.1.4","LogicalServerName":"sqlsrv1"}`,
			event.VerdictAllow, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, rep := readString(t, "sql.json", c.rec+"\n")
			if len(evs) != 1 || rep.Skipped() != 0 {
				t.Fatalf("events %d skips %v", len(evs), rep.Skips())
			}
			e := evs[0]
			if e.Verdict != c.verdict || e.Detail["denial_layer"] != c.layer || e.Emitter != "sqlsrv1" || e.FQDN != "sqlsrv1.database.windows.net" || e.DstPort != 1433 {
				b, _ := json.Marshal(e)
				t.Errorf("got %s", b)
			}
		})
	}
}

func FuzzSQLAudit(f *testing.F) {
	f.Add([]byte(`{"time":"2026-11-25T10:00:00Z","category":"SQLSecurityAuditEvents","properties":{"succeeded":"0","client_ip":"1.2.3.4:5","additional_information":"error 40615"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseSQL, nil)
	})
}
