package logs

import (
	"encoding/json"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

func TestTrafficAnalytics(t *testing.T) {
	cases := []struct {
		name, key, text string
		events          int
		first           func(e event.Event) bool
	}{
		{"real encodings, JSON export", "ta.json",
			`[{"TimeGenerated":"2026-11-25T11:05:00Z","Type":"NTANetAnalytics","SubType":"FlowLog","FaSchemaVersion":"3","FlowIntervalStartTime":"2026-11-25T10:00:00Z","FlowIntervalEndTime":"2026-11-25T11:00:00Z","FlowStartTime":"2026-11-25T10:12:00Z","FlowType":"IntraVNet","SrcIp":"10.0.1.4","DestIp":"10.0.2.5","DestPort":443,"SrcPorts":"50001|50002","L4Protocol":"TCP","FlowDirection":"Outbound","FlowStatus":"Allowed","AclGroup":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg1","AclRule":"AllowHttps","MacAddress":"00-0D-3A-18-07-7E","PacketsSrcToDest":120,"BytesSrcToDest":9000,"AllowedOutFlows":4,"CompletedFlows":4},
 {"TimeGenerated":"2026-11-25T11:05:00Z","Type":"NTANetAnalytics","SubType":"StatusMessage"}]`,
			1, func(e event.Event) bool {
				return e.Aggregate && e.Count == 4 && e.PacketsSent == 0 && e.Detail["packets_src_to_dest"] == "120" &&
					e.Verdict == event.VerdictAllow && e.Direction == event.DirOut && e.Protocol == "tcp" && e.DstPort == 443 &&
					e.Emitter == "000D3A18077E" && e.Rule.Name == "AllowHttps" && e.Time.Hour() == 10 && e.Time.Minute() == 12
			}},
		{"documented encodings, public destinations", "ta2.json",
			`{"TimeGenerated":"2026-11-25T11:05:00Z","Type":"NTANetAnalytics","SubType":"FlowLog","FlowStartTime":"2026-11-25T10:20:00Z","FlowType":"ExternalPublic","SrcIp":"10.0.1.4","DestIp":"","DestPublicIps":"203.0.113.9|3|3|10|8|900|700 198.51.100.1|1|0|2|0|120|0","DestPort":53,"L4Protocol":"U","FlowDirection":"O","FlowStatus":"D"}`,
			2, func(e event.Event) bool {
				return e.DstIP.String() == "203.0.113.9" && e.Count == 3 && e.Verdict == event.VerdictDeny && e.Protocol == "udp"
			}},
		{"legacy AzureNetworkAnalytics_CL CSV", "ta.csv",
			"TimeGenerated,Type,SubType_s,FlowStartTime_t,SrcIP_s,DestIP_s,DestPort_d,L4Protocol_s,FlowDirection_s,FlowStatus_s,NSGRule_s,AllowedInFlows_d\n" +
				"2026-11-25T11:05:00Z,AzureNetworkAnalytics_CL,FlowLog,2026-11-25T10:30:00Z,10.0.1.4,10.0.2.5,22,T,I,A,userrule_allow-ssh,2\n",
			1, func(e event.Event) bool {
				return e.SrcIP.String() == "10.0.1.4" && e.DstPort == 22 && e.Direction == event.DirIn && e.Count == 2 && e.Rule.Name == "userrule_allow-ssh"
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, rep := readString(t, c.key, c.text)
			if len(evs) != c.events || rep.Skipped() != 0 {
				t.Fatalf("events %d skips %v", len(evs), rep.Skips())
			}
			if !c.first(evs[0]) {
				b, _ := json.Marshal(evs[0])
				t.Errorf("got %s", b)
			}
		})
	}
}

func FuzzTrafficAnalytics(f *testing.F) {
	f.Add([]byte(`{"TimeGenerated":"2026-11-25T11:05:00Z","Type":"NTANetAnalytics","SubType":"FlowLog","SrcIp":"","SrcPublicIps":"1.2.3.4|x|1 5.6.7.8","DestIp":"10.0.0.1","DestPort":"99999"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseTrafficAnalytics, func(e *event.Event) {
			if !e.Aggregate {
				t.Fatal("traffic analytics event not marked aggregate")
			}
		})
	})
}
