package logs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/testenv"
)

func TestParseIKELine(t *testing.T) {
	cases := []struct {
		line               string
		session, remote    string
		rport              uint16
		dir, exch, failure string
		code               int
	}{
		{"SESSION_ID :{6c2b4e58-8a8c-4b4c-9b4f-0a1b2c3d4e5f} Remote 203.0.113.10:500: Local 20.50.1.2:500: [SEND][SA_INIT] Sending IKE SA_INIT message",
			"6c2b4e58-8a8c-4b4c-9b4f-0a1b2c3d4e5f", "203.0.113.10", 500, "SEND", "SA_INIT", "", 0},
		{"Remote <IPaddress>:500: Local <IPaddress>:500: [RECEIVED][SA_AUTH] Received IKE AUTH message",
			"", "", 500, "RECEIVED", "SA_AUTH", "", 0},
		{"Remote 203.0.113.10:4500: Local 20.50.1.2:4500: [SEND][NOTIFY] Sending Notify Message - Authentication failed",
			"", "203.0.113.10", 4500, "SEND", "NOTIFY", IKEPSKMismatch, 0},
		{"IkeCleanupQMNegotiation called with error 13868 and flags a", "", "", 0, "", "", IKEPolicyMismatch, 13868},
		{"Remote 203.0.113.10:500: Local 20.50.1.2:500: [LOCAL_MSG] [ErrorCode] 0x35E9 [ErrorMessage] IKE authentication credentials are unacceptable",
			"", "203.0.113.10", 500, "LOCAL_MSG", "", IKEPSKMismatch, 13801},
		{"Remote 203.0.113.10:500: Local 20.50.1.2:500: [IkeEvent] SA_NEGOTIATION_FAILED [ErrorCode] 0x35ED [ErrorMessage] Negotiation timed out",
			"", "203.0.113.10", 500, "", "IKEEVENT", IKETimeout, 13805},
		{"Remote 203.0.113.10:500: Local 20.50.1.2:500: Received Traffic Selector payload request- [Tsid 0x729  ]Number of TSIs 2: StartAddress 10.20.0.0 EndAddress 10.20.255.255 PortStart 0 PortEnd 65535 Protocol 0",
			"", "203.0.113.10", 500, "", "", "", 0},
	}
	for _, c := range cases {
		l := ParseIKELine(c.line)
		rem := ""
		if l.Remote.IsValid() {
			rem = l.Remote.String()
		}
		if l.Session != c.session || rem != c.remote || l.RemotePort != c.rport || l.Direction() != c.dir ||
			l.Exchange() != c.exch || l.Failure != c.failure || l.ErrorCode != c.code {
			t.Errorf("ParseIKELine(%q) = %+v dir %q exch %q", c.line, l, l.Direction(), l.Exchange())
		}
	}
}

const gwID = "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/VIRTUALNETWORKGATEWAYS/VPNGW1"

func TestVPNGatewayRecords(t *testing.T) {
	cases := []struct {
		name, rec      string
		verdict        event.Verdict
		detailKey, val string
		dst            string
	}{
		{"tunnel down, raw", `{"time":"2026-11-25T10:00:00Z","resourceId":"` + gwID + `","category":"TunnelDiagnosticLog","operationName":"TunnelDisconnected","properties":{"instance":"GatewayTenantWorker_IN_1","remoteIP":"203.0.113.10","status":"Disconnected","stateChangeReason":"DPD timed out","message":"Tunnel disconnected"}}`,
			event.VerdictInfo, "tunnel_state", "disconnected", "203.0.113.10"},
		{"tunnel up, AzureDiagnostics", `{"TimeGenerated":"2026-11-25T10:00:09Z","ResourceId":"` + gwID + `","Category":"TunnelDiagnosticLog","Type":"AzureDiagnostics","OperationName":"TunnelConnected","instance_s":"GatewayTenantWorker_IN_0","remoteIP_s":"203.0.113.10","status_s":"Connected","Message":"Tunnel connected"}`,
			event.VerdictInfo, "instance", "GatewayTenantWorker_IN_0", "203.0.113.10"},
		{"IKE PSK mismatch", `{"TimeGenerated":"2026-11-25T10:00:02Z","ResourceId":"` + gwID + `","Category":"IKEDiagnosticLog","OperationName":"IKELogEvent","instance_s":"GatewayTenantWorker_IN_1","Message":"SESSION_ID :{11111111-2222-3333-4444-555555555555} Remote 203.0.113.10:500: Local 20.50.1.2:500: [SEND][NOTIFY] Sending Notify Message - Authentication failed"}`,
			event.VerdictError, "ike_failure", IKEPSKMismatch, "203.0.113.10"},
		{"BGP down", `{"time":"2026-11-25T10:03:00Z","resourceId":"` + gwID + `","category":"RouteDiagnosticLog","operationName":"BgpDisconnectedEvent","properties":{"message":"BGP peer 169.254.21.1 disconnected: hold timer expired"}}`,
			event.VerdictInfo, "bgp_peer", "169.254.21.1", "169.254.21.1"},
		{"BGP route", `{"time":"2026-11-25T10:04:00Z","resourceId":"` + gwID + `","category":"RouteDiagnosticLog","operationName":"BgpRouteUpdate","properties":{"message":"Route 192.168.10.0/24 learned from 169.254.21.1, AS path 65010"}}`,
			event.VerdictInfo, "prefix", "192.168.10.0/24", "169.254.21.1"},
		{"P2S success", `{"TimeGenerated":"2026-11-25T10:05:00Z","ResourceId":"` + gwID + `","Category":"P2SDiagnosticLog","OperationName":"P2SLogEvent","Message":"[MSG] [default] [OVPN_1234] Connection successful. Username=***doe@contoso.com IP=172.16.201.3"}`,
			event.VerdictAllow, "p2s_session", "OVPN_1234", ""},
		{"gateway maintenance", `{"time":"2026-11-25T09:59:00Z","resourceId":"` + gwID + `","category":"GatewayDiagnosticLog","operationName":"HostMaintenanceEvent","properties":{"message":"Upgrade gateway started","operationStatus":"Success"}}`,
			event.VerdictInfo, "maintenance", "true", ""},
		{"gateway config", `{"time":"2026-11-25T09:58:00Z","resourceId":"` + gwID + `","category":"GatewayDiagnosticLog","operationName":"SetConnectionConfiguration","properties":{"operationStatus":"Success","configuration":{"Name":"conn-onprem","RemoteStie":"lng-onprem","Ikeversion":"IKEv2"}}}`,
			event.VerdictInfo, "connection", "conn-onprem", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, rep := readString(t, "insights-logs-x/y/PT1H.json", c.rec+"\n")
			if rep.Skipped() != 0 || len(evs) != 1 {
				t.Fatalf("events %d skips %v", len(evs), rep.Skips())
			}
			e := evs[0]
			dst := ""
			if e.DstIP.IsValid() {
				dst = e.DstIP.String()
			}
			if e.Source != event.SourceVPNGateway || e.Emitter != "vpngw1" || e.Verdict != c.verdict || e.Detail[c.detailKey] != c.val || dst != c.dst {
				b, _ := json.Marshal(e)
				t.Fatalf("got %s", b)
			}
		})
	}
}

func TestVPNTroubleshootSamples(t *testing.T) {
	dir := testenv.Shared(t, "azure-logs/vpn-gateway/msdocs/vpn-troubleshoot")
	cases := []struct {
		file         string
		events       int
		badTime      int
		wantCode     string // ike_error_code of the first event
		wantTime     string
		wantDst      string
		lineFailures []string // ParseIKELine classes of the file's lines (IKElogs, IKEErrors)
	}{
		{"IKElogs.txt", 0, 6, "", "", "", []string{"", "", "", "", IKEPolicyMismatch, IKEPolicyMismatch}},
		{"IKEErrors.txt", 0, 2, "", "", "", nil},
		{"Scrubbed-wfpdiag.txt", 1, 0, "13801", "2017-02-02T17:36:01.496Z", "52.161.24.36", nil},
		{"ConnectionStats.txt", 1, 0, "", "2017-02-01T20:22:06Z", "", nil},
		{"CPUStats.txt", 0, 0, "", "", "", nil},
		{"wfpdiag.txt.sum", 0, 0, "", "", "", nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			p := filepath.Join(dir, c.file)
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			evs, rep := readString(t, p, string(raw))
			if len(evs) != c.events || rep.SkipsByCode()[CodeBadTime] != c.badTime || rep.Skipped() != c.badTime {
				t.Fatalf("events %d skips %v", len(evs), rep.Skips())
			}
			if c.events > 0 {
				e := evs[0]
				if e.Detail["ike_error_code"] != c.wantCode || e.Time.Format(time.RFC3339Nano) != c.wantTime {
					t.Errorf("event %+v", e)
				}
				if c.wantDst != "" && e.DstIP.String() != c.wantDst {
					t.Errorf("dst %v", e.DstIP)
				}
			}
			if c.lineFailures != nil {
				lines := splitLines(string(raw))
				for i, want := range c.lineFailures {
					if got := ParseIKELine(lines[i]).Failure; got != want {
						t.Errorf("line %d: failure %q, want %q", i, got, want)
					}
				}
			}
			// With a run time in the path, time-less lines become events.
			if c.badTime > 0 {
				evs, rep := readString(t, "vpn/2017-02-02T17-34-23/"+c.file, string(raw))
				if len(evs) != c.badTime || rep.Skipped() != 0 {
					t.Fatalf("with a run time: events %d skips %v", len(evs), rep.Skips())
				}
				failures := 0
				for _, e := range evs {
					if e.Verdict == event.VerdictError {
						failures++
					}
				}
				if c.file == "IKEErrors.txt" && (failures != 2 || evs[0].Detail["ike_error_code"] != "13801" || evs[1].Detail["ike_error_code"] != "13843") {
					t.Errorf("IKEErrors events %+v", evs)
				}
			}
		})
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func TestVPNTroubleshootAPIResultIsNotLogEvidence(t *testing.T) {
	p := testenv.Shared(t, "azure-logs/vpn-gateway/msdocs/troubleshoot-api-result-gateway-degraded.json")
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	evs, rep := readString(t, p, string(raw))
	if len(evs) != 0 || rep.SkipsByCode()[CodeUnknownCategory] != 1 {
		t.Errorf("events %d skips %v", len(evs), rep.Skips())
	}
}

func FuzzIKELine(f *testing.F) {
	f.Add("SESSION_ID :{6c2b} Remote 203.0.113.10:500: Local 20.50.1.2:500: [SEND][SA_INIT] x")
	f.Add("IkeCleanupQMNegotiation called with error 13868 and flags a")
	f.Add("[ErrorCode] 0xFFFFFFFF")
	f.Fuzz(func(t *testing.T, s string) {
		l := ParseIKELine(s)
		if l.Failure != "" && l.Description == "" {
			t.Fatalf("failure without description: %+v", l)
		}
	})
}

func FuzzVPNGateway(f *testing.F) {
	f.Add([]byte(`{"time":"2026-11-25T10:00:00Z","category":"IKEDiagnosticLog","properties":{"message":"Remote 1.2.3.4:500: Local 5.6.7.8:500: [SEND] x"}}`))
	f.Add([]byte(`{"time":"2026-11-25T10:00:00Z","category":"P2SDiagnosticLog","properties":{"message":"Connect request received. IP=0.X.X.X:5000"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseVPNGateway, nil)
	})
}

func FuzzVPNTroubleshoot(f *testing.F) {
	f.Add("ConnectionStats.txt", "Connectivity State : Connected\nConnected Since : 2/1/2017 8:22:06 PM\n")
	f.Add("x/2017-02-02T17-34-23/IKEErrors.txt", "Error: a \n\t based on log : error 13801(X)\n")
	f.Add("wfpdiag", "[0]0368.03A4::02/02/2017-17:36:01.496 [ikeext] 3038|1.2.3.4|IKE diagnostic event:\n[0]0368.03A4::02/02/2017-17:36:01.496 [ikeext] 3038|1.2.3.4|  Failure error code:0x000035e9\n")
	f.Fuzz(func(t *testing.T, key, text string) {
		if troubleshootKind(key, []byte(text)) == "" {
			return
		}
		readString(t, key, text)
	})
}
