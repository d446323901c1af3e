package logs

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// Palo Alto Networks firewalls (docs/log-formats-more.md §5): Cloud NGFW
// for Azure rows of the Log Analytics table fluentbit_CL (the log fields
// are a JSON object serialised in the Message column; older rows hold
// key=value; text), and PAN-OS syslog CSV from a VM-Series appliance
// (paloalto_syslog.go). Both become firewall decisions of source paloalto:
// allow, deny (deny, reset-*, block-*), drop (drop, drop-all-packets),
// alert (a threat let through), with the rule, the NAT side, the session
// end reason and, for traffic end records, the session's counters.

// CategoryCloudNGFW is the Log Analytics table Cloud NGFW logs land in.
const CategoryCloudNGFW = "fluentbit_CL"

// CategoryPANOS is the category of events read from PAN-OS syslog.
const CategoryPANOS = "PAN-OS"

func parseCloudNGFW(r *Record, o *Output) error {
	t, err := r.Time()
	if err != nil {
		return Skipf(CodeBadTime, "%v", err)
	}
	fw := firstS(r, "FirewallName")
	msg := firstS(r, "Message")
	if msg == "" {
		return Skipf(CodeBadRecord, "a fluentbit_CL row without a Message")
	}
	fields := panMessage(msg)
	if len(fields) == 0 {
		return Skipf(CodeBadMsg, "Message is neither a JSON object nor key=value pairs: %q", truncate(msg, 120))
	}
	typ := strings.ToUpper(firstS(r, "ident"))
	if typ == "" {
		typ = strings.ToUpper(fields["type"])
	}
	if fw == "" {
		fw = fields["device_name"]
	}
	e := event.Event{Time: t, Source: event.SourcePaloAlto, Category: CategoryCloudNGFW, Emitter: strings.ToLower(fw)}
	if err := panFill(&e, typ, fields); err != nil {
		return err
	}
	e.Detail["via"] = "cloud-ngfw"
	return o.Emit(&e)
}

// panMessage decodes a Cloud NGFW Message: a JSON object (values of any
// type, as text), else key=value pairs separated by ';' (or ',').
func panMessage(msg string) map[string]string {
	out := map[string]string{}
	msg = strings.TrimSpace(msg)
	if strings.HasPrefix(msg, "{") {
		var m map[string]any
		if json.Unmarshal([]byte(msg), &m) == nil {
			for k, v := range m {
				switch x := v.(type) {
				case string:
					out[strings.ToLower(k)] = x
				case float64:
					out[strings.ToLower(k)] = strconv.FormatFloat(x, 'f', -1, 64)
				case bool:
					out[strings.ToLower(k)] = strconv.FormatBool(x)
				}
			}
			return out
		}
	}
	sep := ";"
	if !strings.Contains(msg, ";") {
		sep = ","
	}
	for _, p := range strings.Split(msg, sep) {
		k, v, ok := strings.Cut(p, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if ok && k != "" && !strings.ContainsAny(k, " {}\"") {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

// panField returns the first non-empty of the named fields.
func panField(f map[string]string, names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(f[n]); v != "" {
			return v
		}
	}
	return ""
}

// panFill maps PAN-OS log fields (Cloud NGFW JSON key names; the syslog
// reader uses the same names) onto e: typ is TRAFFIC, THREAT or
// DECRYPTION.
func panFill(e *event.Event, typ string, f map[string]string) error {
	src := panField(f, "src_ip", "src")
	dst := panField(f, "dst_ip", "dst")
	for _, a := range []struct {
		name, v string
		isSrc   bool
	}{{"source", src, true}, {"destination", dst, false}} {
		if a.v == "" {
			return Skipf(CodeBadRecord, "a Palo Alto %s log without a %s address", strings.ToLower(orDefault(typ, "firewall")), a.name)
		}
		ip, ok := parseHostIP(a.v)
		if !ok {
			return Skipf(CodeBadRecord, "%s address %q is not an address", a.name, truncate(a.v, 60))
		}
		if a.isSrc {
			e.SrcIP = ip
		} else {
			e.DstIP = ip
		}
	}
	var err error
	if e.SrcPort, err = panPort(f, "sport"); err != nil {
		return err
	}
	if e.DstPort, err = panPort(f, "dport"); err != nil {
		return err
	}
	proto := panField(f, "proto", "protocol")
	if n, err := strconv.Atoi(proto); err == nil && n >= 0 && n <= 255 {
		e.Protocol = ProtocolName(n)
	} else {
		e.Protocol = strings.ToLower(proto)
	}
	action := strings.ToLower(panField(f, "action"))
	sub := strings.ToLower(panField(f, "sub_type", "subtype"))
	e.Verdict = panVerdict(typ, sub, action)
	e.Rule = event.Rule{Name: panField(f, "rule", "rule_name")}
	d := map[string]string{}
	setDetail(d, "log_type", typ)
	setDetail(d, "subtype", sub)
	setDetail(d, "action", action)
	setDetail(d, "app", panField(f, "app", "application"))
	setDetail(d, "session_end_reason", panField(f, "session_end_reason"))
	setDetail(d, "session_id", panField(f, "sessionid", "session_id"))
	setDetail(d, "from_zone", panField(f, "from", "from_zone", "src_zone"))
	setDetail(d, "to_zone", panField(f, "to", "to_zone", "dst_zone"))
	setDetail(d, "category", panField(f, "category"))
	if typ == "THREAT" {
		name := panField(f, "threat_content_name", "threatid", "threat_id")
		e.Rule.Signature = name
		setDetail(d, "threat_type", panField(f, "threat_content_type", "sub_type", "subtype"))
		setDetail(d, "threat_category", panField(f, "threat_category", "thr_category"))
		setDetail(d, "severity", panField(f, "severity"))
		e.URL = panField(f, "requesturl", "url", "misc")
	}
	if r := d["session_end_reason"]; r != "" && r != "n/a" && e.Verdict != event.VerdictAllow {
		e.Rule.Reason = r
	}
	// NAT: the translated side; 0.0.0.0 means none (docs/log-formats-more.md §5.5).
	natSrc, natDst := panNATAddr(f, "natsrc", "nat_src"), panNATAddr(f, "natdst", "nat_dst")
	natSport, _ := panPort(f, "natsport")
	natDport, _ := panPort(f, "natdport")
	if natSrc.IsValid() {
		d["nat_src"] = natSrc.String()
		if natSport != 0 {
			d["nat_sport"] = strconv.Itoa(int(natSport))
		}
	}
	if natDst.IsValid() && natDst != e.DstIP {
		d["nat_dst"] = natDst.String()
		e.NAT = &event.NAT{Kind: "dnat", TranslatedIP: natDst, TranslatedPort: natDport}
	} else if natSrc.IsValid() && natSrc != e.SrcIP {
		e.NAT = &event.NAT{Kind: "snat", TranslatedIP: natSrc, TranslatedPort: natSport}
	}
	if typ == "TRAFFIC" {
		e.BytesSent = panInt(f, "bytes_sent")
		e.BytesRecv = panInt(f, "bytes_recv", "bytes_received")
		e.PacketsSent = panInt(f, "pkts_sent", "packets_sent")
		e.PacketsRecv = panInt(f, "pkts_received", "pkts_recv", "packets_received")
		if sub == "start" || sub == "end" {
			e.FlowState = map[string]string{"start": "begin", "end": "end"}[sub]
		}
	}
	e.Detail = d
	return nil
}

// panVerdict maps a log type, subtype and action to a verdict.
func panVerdict(typ, sub, action string) event.Verdict {
	switch {
	case action == "allow" && typ == "THREAT":
		return event.VerdictAlert // a threat was found and let through
	case action == "allow":
		return event.VerdictAllow
	case action == "alert":
		return event.VerdictAlert
	case action == "drop" || action == "drop-all-packets" || action == "random-drop" || action == "drop-icmp":
		return event.VerdictDrop
	case action == "deny" || strings.HasPrefix(action, "reset") || strings.HasPrefix(action, "block") ||
		action == "sinkhole" || action == "reset both":
		return event.VerdictDeny
	case sub == "drop":
		return event.VerdictDrop
	case sub == "deny":
		return event.VerdictDeny
	}
	return event.VerdictInfo
}

// panPort reads a port field; absent or empty is 0.
func panPort(f map[string]string, name string) (uint16, error) {
	s := strings.TrimSpace(f[name])
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(s, ".0"))
	if err != nil || n < 0 || n > 65535 {
		return 0, Skipf(CodeBadRecord, "%s %q is not a port", name, truncate(s, 20))
	}
	return uint16(n), nil
}

// panNATAddr reads a NAT address field; 0.0.0.0, :: and garbage are none.
func panNATAddr(f map[string]string, names ...string) netip.Addr {
	ip, ok := parseHostIP(panField(f, names...))
	if !ok || ip.IsUnspecified() {
		return netip.Addr{}
	}
	return ip
}

// panInt reads a counter; absent or unparsable is 0.
func panInt(f map[string]string, names ...string) int64 {
	n, err := strconv.ParseInt(strings.TrimSuffix(panField(f, names...), ".0"), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
