package loggen

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// PaloAltoLog is one Palo Alto Networks firewall log
// (docs/log-formats-more.md §5): a TRAFFIC record (a session's start, end,
// deny or drop) or a THREAT record. The Script writes it as Cloud NGFW
// writes it to Log Analytics (a fluentbit_CL row whose Message is a JSON
// object; the file is the workspace's JSON export) or as a VM-Series
// appliance forwards it over syslog (PAN-OS CSV). No public sample exists;
// both follow the documented keys and field order.
type PaloAltoLog struct {
	At time.Time
	// Type is TRAFFIC (default) or THREAT; Subtype start, end (default),
	// deny or drop (TRAFFIC), or the threat kind.
	Type, Subtype string
	// Proto is tcp (default), udp or icmp.
	Proto    string
	Src, Dst netip.AddrPort
	// NATSrc is the translated source, when the firewall SNATs.
	NATSrc netip.AddrPort
	// Rule, Action (allow, deny, drop, reset-both, alert, ...), App and
	// EndReason (the session end reason) as PAN-OS writes them.
	Rule, Action, App, EndReason string
	// Counters of a TRAFFIC end record.
	BytesSent, BytesRecv, PktsSent, PktsRecv int64
	// Threat names the threat of a THREAT record.
	Threat string
}

// CloudNGFW adds logs of the Cloud NGFW resource named firewall.
func (s *Script) CloudNGFW(firewall string, logs ...PaloAltoLog) {
	if s.ngfw == nil {
		s.ngfw = map[string][]PaloAltoLog{}
	}
	s.ngfw[firewall] = append(s.ngfw[firewall], logs...)
}

// PANOSSyslog adds logs a VM-Series appliance named device forwards over
// syslog.
func (s *Script) PANOSSyslog(device string, logs ...PaloAltoLog) {
	if s.panos == nil {
		s.panos = map[string][]PaloAltoLog{}
	}
	s.panos[device] = append(s.panos[device], logs...)
}

func (l *PaloAltoLog) defaults() {
	if l.Type == "" {
		l.Type = "TRAFFIC"
	}
	if l.Subtype == "" {
		l.Subtype = "end"
	}
	if l.Proto == "" {
		l.Proto = "tcp"
	}
	if l.Action == "" {
		l.Action = "allow"
	}
	if l.App == "" {
		l.App = "ssl"
	}
	if l.EndReason == "" {
		l.EndReason = "n/a"
		if l.Type == "TRAFFIC" && l.Subtype == "end" {
			l.EndReason = "tcp-fin"
		}
	}
}

// panEvent is the event a log stands for (the parser's mapping).
func panEvent(l PaloAltoLog, emitter, category string) event.Event {
	e := event.Event{Time: l.At.UTC(), Source: event.SourcePaloAlto, Category: category, Emitter: strings.ToLower(emitter), Protocol: l.Proto,
		SrcIP: l.Src.Addr(), SrcPort: l.Src.Port(), DstIP: l.Dst.Addr(), DstPort: l.Dst.Port(),
		Rule:   event.Rule{Name: l.Rule},
		Detail: map[string]string{"log_type": l.Type, "action": l.Action}}
	a := strings.ToLower(l.Action)
	switch {
	case a == "allow" && l.Type == "THREAT", a == "alert":
		e.Verdict = event.VerdictAlert
	case a == "allow":
		e.Verdict = event.VerdictAllow
	case a == "drop" || a == "drop-all-packets":
		e.Verdict = event.VerdictDrop
	default:
		e.Verdict = event.VerdictDeny
	}
	if e.Verdict != event.VerdictAllow && l.EndReason != "n/a" {
		e.Rule.Reason = l.EndReason
	}
	if l.Type == "TRAFFIC" {
		e.BytesSent, e.BytesRecv, e.PacketsSent, e.PacketsRecv = l.BytesSent, l.BytesRecv, l.PktsSent, l.PktsRecv
		e.Detail["session_end_reason"] = l.EndReason
	} else {
		e.Rule.Signature = l.Threat
	}
	if l.NATSrc.IsValid() {
		e.NAT = &event.NAT{Kind: "snat", TranslatedIP: l.NATSrc.Addr(), TranslatedPort: l.NATSrc.Port()}
	}
	return e
}

// ngfwRow is the fluentbit_CL row of l.
func ngfwRow(l PaloAltoLog, firewall string) map[string]any {
	msg := map[string]any{"src_ip": l.Src.Addr().String(), "sport": l.Src.Port(), "proto": l.Proto, "app": l.App, "rule": l.Rule,
		"action": l.Action, "sub_type": l.Subtype, "session_end_reason": l.EndReason}
	if l.Type == "THREAT" {
		msg["dst"], msg["dport"] = l.Dst.Addr().String(), strconv.Itoa(int(l.Dst.Port()))
		msg["threat_content_name"], msg["severity"] = l.Threat, "high"
	} else {
		msg["dst_ip"], msg["dport"] = l.Dst.Addr().String(), strconv.Itoa(int(l.Dst.Port()))
		msg["bytes_sent"], msg["bytes_recv"], msg["pkts_sent"], msg["pkts_received"] = l.BytesSent, l.BytesRecv, l.PktsSent, l.PktsRecv
	}
	if l.NATSrc.IsValid() {
		msg["natsrc"], msg["natsport"] = l.NATSrc.Addr().String(), l.NATSrc.Port()
	}
	m, _ := json.Marshal(msg)
	at := l.At.UTC()
	return map[string]any{"TenantId": "00000000-0000-0000-0000-0000000000aa", "SourceSystem": "RestAPI", "TimeGenerated": at.Format(time.RFC3339Nano),
		"_timestamp_d": float64(at.UnixMilli()) / 1000, "pri_s": "14", "time_s": at.Format(time.RFC3339), "host_s": firewall, "ident_s": l.Type,
		"Message": string(m), "FirewallName_s": firewall, "Type": "fluentbit_CL"}
}

// panosLine is the PAN-OS syslog line of l (PAN-OS 10 layout: fields up
// to the high-resolution timestamp).
func panosLine(l PaloAltoLog, device, serial string) string {
	at := l.At.UTC()
	f := make([]string, 62)
	local := at.Format("2006/01/02 15:04:05")
	f[0], f[1], f[2], f[3], f[4], f[5], f[6] = "1", local, serial, l.Type, l.Subtype, "2561", local
	f[7], f[8], f[9], f[10] = l.Src.Addr().String(), l.Dst.Addr().String(), "0.0.0.0", "0.0.0.0"
	if l.NATSrc.IsValid() {
		f[9], f[26] = l.NATSrc.Addr().String(), strconv.Itoa(int(l.NATSrc.Port()))
	}
	f[11], f[14], f[15], f[16], f[17], f[18], f[19], f[20] = l.Rule, l.App, "vsys1", "trust", "untrust", "ethernet1/1", "ethernet1/2", "default"
	f[22], f[23], f[24], f[25], f[28], f[29], f[30] = "4711", "1", strconv.Itoa(int(l.Src.Port())), strconv.Itoa(int(l.Dst.Port())), "0x400000", l.Proto, l.Action
	if f[26] == "" {
		f[26] = "0"
	}
	f[27] = "0"
	if l.Type == "THREAT" {
		f[31], f[32], f[33], f[34], f[35] = "", l.Threat, "any", "high", "client-to-server"
		f[59] = device
	} else {
		f[31], f[32], f[33], f[34] = strconv.FormatInt(l.BytesSent+l.BytesRecv, 10), strconv.FormatInt(l.BytesSent, 10), strconv.FormatInt(l.BytesRecv, 10), strconv.FormatInt(l.PktsSent+l.PktsRecv, 10)
		f[35], f[36], f[37] = local, "0", "any"
		f[44], f[45], f[46] = strconv.FormatInt(l.PktsSent, 10), strconv.FormatInt(l.PktsRecv, 10), l.EndReason
		f[52] = device
	}
	f[61] = at.Format("2006-01-02T15:04:05.000Z07:00")
	for i, v := range f {
		if strings.ContainsAny(v, ",\"") {
			f[i] = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
		}
	}
	return fmt.Sprintf("<14>%s %s %s", at.Format("Jan _2 15:04:05"), device, strings.Join(f, ","))
}

// absKey is the Origin key of a file outside the storage layout: its
// absolute path.
func absKey(out, rel string) string {
	key := filepath.Join(out, filepath.FromSlash(rel))
	if abs, err := filepath.Abs(key); err == nil {
		key = abs
	}
	return filepath.ToSlash(key)
}

func (s *Script) writePaloAlto() error {
	for _, fw := range sortedKeys(s.ngfw) {
		logs := s.ngfw[fw]
		rel := "loganalytics/fluentbit_CL-" + strings.ToLower(fw) + ".json"
		hours, by := hourly(len(logs), func(i int) time.Time { return logs[i].At })
		var rows []map[string]any
		var evs []event.Event
		for _, h := range hours {
			for _, i := range by[h] {
				l := logs[i]
				l.defaults()
				rows = append(rows, ngfwRow(l, fw))
				e := panEvent(l, fw, "fluentbit_CL")
				e.Detail["via"] = "cloud-ngfw"
				evs = append(evs, e)
			}
		}
		b, err := s.g.create(rel)
		if err != nil {
			return err
		}
		data, _ := json.MarshalIndent(rows, "", "  ")
		b.write(append(data, '\n'))
		if err := b.close(); err != nil {
			return err
		}
		key := absKey(s.opt.Out, rel)
		for i := range evs {
			evs[i].Origin = event.Origin{Key: key, Record: i}
			s.g.res.Events++
			s.expect(&evs[i])
		}
	}
	for _, dev := range sortedKeys(s.panos) {
		logs := s.panos[dev]
		rel := "syslog/" + strings.ToLower(dev) + ".log"
		serial := fmt.Sprintf("0072%08d", len(dev)*1000+len(logs))
		hours, by := hourly(len(logs), func(i int) time.Time { return logs[i].At })
		b, err := s.g.create(rel)
		if err != nil {
			return err
		}
		key := absKey(s.opt.Out, rel)
		n := 0
		for _, h := range hours {
			for _, i := range by[h] {
				l := logs[i]
				l.defaults()
				l.At = l.At.UTC().Truncate(time.Millisecond)
				b.write([]byte(panosLine(l, dev, serial) + "\n"))
				e := panEvent(l, dev, "PAN-OS")
				e.Detail["via"], e.Detail["serial"] = "syslog", serial
				e.Origin = event.Origin{Key: key, Record: n}
				n++
				s.g.res.Events++
				s.expect(&e)
			}
		}
		if err := b.close(); err != nil {
			return err
		}
	}
	return nil
}

// paloAltoKind writes n Palo Alto logs, half from a Cloud NGFW (a
// workspace export) and half from a VM-Series appliance (syslog): sessions
// allowed with SNAT, denied by rule, reset, and a threat dropped.
func paloAltoKind(g *gen, n int64) error {
	s := NewScript(ScriptOptions{Out: g.opt.Out, Seed: g.opt.Seed + 4, Subscription: g.opt.Subscription, ResourceGroup: g.opt.ResourceGroup, Region: g.opt.Region, Expect: g.opt.Expect})
	span := time.Duration(g.opt.Hours) * time.Hour
	for i := int64(0); i < n; i++ {
		l := PaloAltoLog{At: g.opt.Start.Add(span * time.Duration(i) / time.Duration(n)),
			Src: netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(4 + i%4)}), uint16(40000+i%20000)), Dst: netip.AddrPortFrom(g.publicIP(), 443), Rule: "allow-web"}
		switch i % 4 {
		case 0:
			l.NATSrc = netip.AddrPortFrom(netip.MustParseAddr("20.50.1.9"), uint16(20000+i%20000))
			l.BytesSent, l.BytesRecv, l.PktsSent, l.PktsRecv = 1200, 54000, 12, 40
		case 1:
			l.Subtype, l.Action, l.Rule, l.App, l.EndReason = "deny", "deny", "deny-all", "incomplete", "policy-deny"
			l.BytesSent, l.PktsSent = 74, 1
		case 2:
			l.Action, l.EndReason, l.App = "reset-both", "policy-deny", "ssh"
			l.Dst = netip.AddrPortFrom(l.Dst.Addr(), 22)
		default:
			l.Type, l.Subtype, l.Action, l.Threat = "THREAT", "vulnerability", "drop", "Generic Exploit(91234)"
		}
		if i%2 == 0 {
			s.CloudNGFW("demo-cngfw", l)
		} else {
			s.PANOSSyslog("demo-vmfw", l)
		}
	}
	return g.merge(s.Write())
}
