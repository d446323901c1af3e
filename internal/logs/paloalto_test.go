package logs

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

// No public fluentbit_CL row or licensed PAN-OS syslog line is in the
// shared data; these are built from the documented keys and field order
// (docs/log-formats-more.md §5.2, §5.3, §5.5) and are synthetic.
const ngfwRow = `{"TimeGenerated":"2026-01-15T09:30:00.123Z","FirewallName_s":"cngfw-hub","ident_s":"TRAFFIC","Message":"{\"src_ip\":\"10.4.1.4\",\"sport\":51000,\"dst_ip\":\"10.5.1.4\",\"dport\":\"443\",\"proto\":\"tcp\",\"app\":\"incomplete\",\"rule\":\"deny-spoke-to-spoke\",\"action\":\"deny\",\"bytes_sent\":74,\"bytes_recv\":0,\"pkts_sent\":1,\"pkts_received\":0,\"session_end_reason\":\"policy-deny\",\"sub_type\":\"deny\"}","Type":"fluentbit_CL"}`

const ngfwCSVHeader = `TimeGenerated [UTC],FirewallName_s,ident_s,Message,Type`
const ngfwCSVRow = `"1/15/2026, 9:30:00.123 AM",cngfw-hub,TRAFFIC,"{""src_ip"":""10.4.1.4"",""sport"":51000,""dst_ip"":""10.5.1.4"",""dport"":""443"",""proto"":""tcp"",""app"":""incomplete"",""rule"":""deny-spoke-to-spoke"",""action"":""deny"",""session_end_reason"":""policy-deny"",""sub_type"":""deny""}",fluentbit_CL`

func TestCloudNGFWFramings(t *testing.T) {
	// Log Analytics exports, and (storage and event-hub formats are not
	// documented) the same rows as JSON Lines and in a records envelope.
	fs := laFramings(ngfwRow, ngfwCSVHeader, ngfwCSVRow)
	fs = append(fs, framing{"rows as JSON Lines", "rows.json", ngfwRow + "\n" + ngfwRow + "\n"},
		framing{"rows in an envelope", "hub.json", `{"records":[` + ngfwRow + "," + ngfwRow + `]}`})
	checkFramings(t, fs, event.SourcePaloAlto, func(t *testing.T, e event.Event) {
		if e.Emitter != "cngfw-hub" || e.SrcIP.String() != "10.4.1.4" || e.SrcPort != 51000 || e.DstIP.String() != "10.5.1.4" || e.DstPort != 443 ||
			e.Protocol != "tcp" || e.Verdict != event.VerdictDeny || e.Rule.Name != "deny-spoke-to-spoke" || e.Rule.Reason != "policy-deny" {
			t.Errorf("event %+v", e)
		}
		if e.Detail["log_type"] != "TRAFFIC" || e.Detail["app"] != "incomplete" || e.Detail["via"] != "cloud-ngfw" {
			t.Errorf("detail %v", e.Detail)
		}
	})
}

func TestCloudNGFWMessages(t *testing.T) {
	row := func(ident, msg string) string {
		return `{"TimeGenerated":"2026-01-15T09:30:00Z","FirewallName_s":"fw","ident_s":"` + ident + `","Message":` + msg + `,"Type":"fluentbit_CL"}`
	}
	q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
	for _, c := range []struct {
		name, rec string
		check     func(t *testing.T, e event.Event)
	}{
		{"allowed session with SNAT and counters", row("TRAFFIC", q(`{"src_ip":"10.4.1.4","sport":"51001","dst_ip":"52.1.2.3","dport":443,"proto":"tcp","rule":"web-out","action":"allow","natsrc":"20.50.1.9","natsport":"33001","natdst":"0.0.0.0","bytes_sent":"1200","bytes_received":"54000","pkts_sent":"12","pkts_received":"40","session_end_reason":"tcp-fin","sub_type":"end"}`)),
			func(t *testing.T, e event.Event) {
				if e.Verdict != event.VerdictAllow || e.NAT == nil || e.NAT.Kind != "snat" || e.NAT.TranslatedIP.String() != "20.50.1.9" || e.NAT.TranslatedPort != 33001 ||
					e.BytesRecv != 54000 || e.PacketsRecv != 40 || e.FlowState != "end" || e.Rule.Reason != "" {
					t.Errorf("event %+v", e)
				}
			}},
		{"reset-both", row("TRAFFIC", q(`{"src_ip":"10.4.1.4","dst_ip":"10.5.1.4","dport":22,"proto":"tcp","rule":"r","action":"reset-both"}`)),
			func(t *testing.T, e event.Event) {
				if e.Verdict != event.VerdictDeny || e.Detail["action"] != "reset-both" {
					t.Errorf("event %+v", e)
				}
			}},
		{"threat with dst key", row("THREAT", q(`{"src_ip":"10.4.1.4","dst":"203.0.113.66","dport":"80","proto":"tcp","rule":"out","action":"drop","threat_content_name":"Generic Trojan(123456)","severity":"critical"}`)),
			func(t *testing.T, e event.Event) {
				if e.Verdict != event.VerdictDrop || e.DstIP.String() != "203.0.113.66" || e.Rule.Signature != "Generic Trojan(123456)" || e.Detail["severity"] != "critical" {
					t.Errorf("event %+v", e)
				}
			}},
		{"threat let through", row("THREAT", q(`{"src_ip":"10.4.1.4","dst":"203.0.113.66","action":"allow"}`)),
			func(t *testing.T, e event.Event) {
				if e.Verdict != event.VerdictAlert {
					t.Errorf("event %+v", e)
				}
			}},
		{"key=value message", row("TRAFFIC", q(`src_ip=10.4.1.4;sport=1;dst_ip=10.5.1.4;dport=443;proto=tcp;rule=x;action=deny;reason=policy-deny;`)),
			func(t *testing.T, e event.Event) {
				if e.Verdict != event.VerdictDeny || e.DstPort != 443 || e.Rule.Name != "x" {
					t.Errorf("event %+v", e)
				}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			evs, rep := readString(t, "ngfw.json", c.rec)
			if len(evs) != 1 || rep.Skipped() != 0 {
				t.Fatalf("%d events, skips %v", len(evs), rep.Skips())
			}
			c.check(t, evs[0])
		})
	}
	// Bad rows are skipped with a reason, the rest read.
	evs, rep := readString(t, "ngfw.json", row("TRAFFIC", `"no json, no pairs"`)+"\n"+row("TRAFFIC", q(`{"src_ip":"10.4.1.4"}`))+"\n"+ngfwRow)
	if len(evs) != 1 || rep.SkipsByCode()[CodeBadMsg] != 1 || rep.SkipsByCode()[CodeBadRecord] != 1 {
		t.Errorf("%d events, skips %v", len(evs), rep.Skips())
	}
}

// panTraffic is a PAN-OS TRAFFIC line (PAN-OS 10 layout, 70 fields) after
// an RFC 3164 header; fields after the device name are mostly empty.
func panTraffic(action, sub, reason, hires string) string {
	f := make([]string, 70)
	set := func(i int, v string) { f[i] = v }
	set(0, "1")
	set(1, "2026/01/15 10:40:00")
	set(2, "007200001234")
	set(3, "TRAFFIC")
	set(4, sub)
	set(6, "2026/01/15 10:40:00")
	set(7, "10.4.1.4")
	set(8, "10.5.1.4")
	set(9, "0.0.0.0")
	set(10, "0.0.0.0")
	set(11, "deny-ssh, legacy") // a quoted field with a comma
	set(14, "ssh")
	set(15, "vsys1")
	set(16, "trust")
	set(17, "untrust")
	set(22, "4711")
	set(24, "52000")
	set(25, "22")
	set(29, "tcp")
	set(30, action)
	set(31, "74")
	set(32, "74")
	set(33, "0")
	set(44, "1")
	set(45, "0")
	set(46, reason)
	set(52, "vmfw-hub-01")
	set(60, hires)
	for i, v := range f {
		if strings.Contains(v, ",") {
			f[i] = `"` + v + `"`
		}
	}
	return "<14>Jan 15 10:40:00 vmfw-hub-01 " + strings.Join(f, ",")
}

func TestPANOSSyslog(t *testing.T) {
	lines := []string{
		panTraffic("deny", "deny", "policy-deny", "2026-01-15T10:40:00.250+01:00"),
		panTraffic("allow", "end", "aged-out", ""),
		"<14>Jan 15 10:40:01 vmfw-hub-01 1,2026/01/15 10:40:01,007200001234,SYSTEM,general,0,2026/01/15 10:40:01,,general,,0,0,general,informational,\"User admin logged in\",1,0x0",
		"<14>Jan 15 10:40:02 vmfw-hub-01 1,2026/01/15 10:40:02,007200001234,TRAFFIC,end,1,2026/01/15 10:40:02,10.4.1.4",
		"",
	}
	evs, rep := readString(t, "syslog/vmfw-hub-01.log", strings.Join(lines, "\n"))
	if len(evs) != 2 || rep.SkipsByCode()[CodeUnknownCategory] != 1 || rep.SkipsByCode()[CodeBadRecord] != 1 {
		t.Fatalf("%d events, skips %v", len(evs), rep.Skips())
	}
	// The record an event cites is its line, read again.
	in := Input{Name: "vmfw-hub-01.log", Key: "vmfw-hub-01.log", Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(strings.Join(lines, "\n"))), nil
	}}
	raw, err := RawRecords(context.Background(), in, map[int][]int{evs[1].Origin.Record: nil, 3: nil}, 0)
	if err != nil || string(raw[evs[1].Origin.Record].Text) != lines[1] || string(raw[3].Text) != lines[3] {
		t.Errorf("raw lines %v: %v", raw, err)
	}
	d := evs[0]
	if d.Source != event.SourcePaloAlto || d.Category != CategoryPANOS || d.Emitter != "vmfw-hub-01" || d.Verdict != event.VerdictDeny ||
		d.Rule.Name != "deny-ssh, legacy" || d.Rule.Reason != "policy-deny" || d.DstPort != 22 || d.SrcPort != 52000 || d.NAT != nil {
		t.Errorf("deny: %+v", d)
	}
	// The high-resolution timestamp carries the offset: 10:40 at +01:00 is 09:40 UTC.
	if d.Time.Hour() != 9 || d.Detail["time_zone"] != "" {
		t.Errorf("deny time %v (%v)", d.Time, d.Detail)
	}
	a := evs[1]
	if a.Verdict != event.VerdictAllow || a.Detail["session_end_reason"] != "aged-out" || a.Time.Hour() != 10 || a.Detail["time_zone"] != "assumed-utc" ||
		a.PacketsSent != 1 || a.FlowState != "end" {
		t.Errorf("allow: %+v", a)
	}
	// Report counts the lines under paloalto/PAN-OS.
	found := false
	for _, c := range rep.Counts() {
		if c.Source == event.SourcePaloAlto && c.Category == CategoryPANOS && c.Records == 4 && c.Events == 2 {
			found = true
		}
	}
	if !found {
		t.Errorf("counts %+v", rep.Counts())
	}
}

func TestPANOSSyslogDetection(t *testing.T) {
	for _, c := range []struct {
		head string
		want bool
	}{
		{panTraffic("allow", "end", "tcp-fin", ""), true},
		{"1,2026/01/15 10:40:00,0072,THREAT,url,1,2026/01/15 10:40:00,10.0.0.1,10.0.0.2", true},
		{"<165>1 2026-01-15T10:40:00Z fw01 - - - - 1,2026/01/15 10:40:00,0072,TRAFFIC,end,", true},
		{"TimeGenerated [UTC],Category,msg_s", false},
		{"Connectivity State : Connected", false},
	} {
		if got := panSyslogMatch("x.log", []byte(c.head)); got != c.want {
			t.Errorf("%q: %v", c.head, got)
		}
	}
	if h := syslogHost("<165>1 2026-01-15T10:40:00Z fw01 - - - - "); h != "fw01" {
		t.Errorf("RFC 5424 host %q", h)
	}
}

func FuzzCloudNGFW(f *testing.F) {
	f.Add([]byte(ngfwRow))
	f.Add([]byte(`{"TimeGenerated":"2026-01-15T09:30:00Z","Type":"fluentbit_CL","Message":"a=b;c"}`))
	f.Add([]byte(`{"TimeGenerated":"2026-01-15T09:30:00Z","Type":"fluentbit_CL","ident_s":"THREAT","Message":"{\"src\":\"::1\",\"dst\":\"::2\",\"sport\":1e9,\"natdst\":\"1.2.3.4\"}"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseCloudNGFW, func(e *event.Event) {
			if e.Source != event.SourcePaloAlto || !e.SrcIP.IsValid() || !e.DstIP.IsValid() {
				t.Fatalf("event %+v", e)
			}
		})
	})
}

func FuzzPANOSLine(f *testing.F) {
	f.Add(panTraffic("deny", "deny", "policy-deny", "2026-01-15T10:40:00.250+01:00"))
	f.Add("1,2026/01/15 10:40:00,0072,THREAT,url,1,2026/01/15 10:40:00,10.0.0.1,10.0.0.2,,,r,,,web,vsys1,a,b,e1,e2,p,,1,1,1,80,0,0,0x0,tcp,alert,\"x,y\",1234")
	f.Add("<14>Jan  5 01:02:03 h \"1,2026/01/15 10:40:00,0,TRAFFIC,")
	f.Fuzz(func(t *testing.T, line string) {
		e, code, err := parsePANOSLine(line)
		if err == nil && (e == nil || e.Time.IsZero() || !e.SrcIP.IsValid() || e.Emitter == "") {
			t.Fatalf("%q: accepted without time, source or emitter: %+v", line, e)
		}
		if err != nil && code == "" {
			t.Fatalf("%q: error without a code: %v", line, err)
		}
	})
}
