package logs

import (
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

func TestConnMon(t *testing.T) {
	text := `[{"TimeGenerated":"2026-11-25T10:00:00Z","Type":"NWConnectionMonitorTestResult","ConnectionMonitorResourceId":"/x/connectionMonitors/cm1","TestGroupName":"app-to-kv","TestConfigurationName":"https443","SourceName":"vm-app","SourceIP":"10.0.1.4","DestinationAddress":"kv1.vault.azure.net","DestinationIP":"","DestinationPort":443,"Protocol":"Tcp","ChecksTotal":30,"ChecksFailed":30,"TestResult":"Fail","TestResultCriterion":"ChecksFailedPercent > 10"},
{"TimeGenerated":"2026-11-25T10:01:00Z","Type":"NWConnectionMonitorTestResult","SourceIP":"10.0.1.4","DestinationIP":"10.0.2.5","DestinationPort":1433,"Protocol":"Tcp","ChecksTotal":30,"ChecksFailed":0,"TestResult":"Pass"}]`
	evs, rep := readString(t, "cm.json", text)
	if len(evs) != 2 || rep.Skipped() != 0 {
		t.Fatalf("events %d skips %v", len(evs), rep.Skips())
	}
	if e := evs[0]; !e.Aggregate || e.Count != 30 || e.Verdict != event.VerdictDrop || e.FQDN != "kv1.vault.azure.net" || e.PacketsSent != 0 || e.Detail["checks_failed"] != "30" {
		t.Errorf("fail row: %+v", e)
	}
	if e := evs[1]; e.Verdict != event.VerdictAllow || e.DstIP.String() != "10.0.2.5" || e.Protocol != "tcp" {
		t.Errorf("pass row: %+v", e)
	}
}

func FuzzConnMon(f *testing.F) {
	f.Add([]byte(`{"TimeGenerated":"2026-11-25T10:00:00Z","Type":"NWConnectionMonitorTestResult","SourceIP":"10.0.1.4","DestinationPort":-1,"TestResult":"Fail"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseConnMon, func(e *event.Event) {
			if !e.Aggregate {
				t.Fatal("connection monitor event not marked aggregate")
			}
		})
	})
}
