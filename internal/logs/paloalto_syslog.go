package logs

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// PAN-OS syslog CSV as a VM-Series appliance forwards it
// (docs/log-formats-more.md §5.5): one log per line, an optional syslog
// header, then comma-separated fields in PAN-OS's fixed order. TRAFFIC and
// THREAT lines become events; other log types (SYSTEM, CONFIG, ...) are
// skipped as logs.unknown-category. Field times are the firewall's local
// time without a zone: the high-resolution timestamp (PAN-OS 10 and later)
// or an RFC 5424 header time is used when there is one, else the generated
// time is read as UTC and the event says time_zone=assumed-utc.

// panCSVStart finds where the PAN-OS fields begin: the future-use field,
// then the receive time, the serial number and the log type.
var panCSVStart = regexp.MustCompile(`(?:^|[\s>])([^\s,]*),(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}),[^,]*,([A-Z]+),`)

// panTypes are the log types read; others are recognised but skipped.
var panTypes = map[string]bool{"TRAFFIC": true, "THREAT": true}

// PAN-OS field positions (0-based, after the syslog header).
const (
	panReceiveTime = 1
	panSerial      = 2
	panType        = 3
	panSubtype     = 4
	panGenerated   = 6
	panMinFields   = 31 // through the action
)

// panTrafficNames and panThreatNames name the positional fields with the
// Cloud NGFW JSON key names, so one mapper (panFill) reads both.
var panCommonNames = map[int]string{
	7: "src", 8: "dst", 9: "natsrc", 10: "natdst", 11: "rule", 14: "app", 15: "vsys", 16: "from", 17: "to",
	22: "sessionid", 24: "sport", 25: "dport", 26: "natsport", 27: "natdport", 29: "proto", 30: "action",
}

var panTrafficNames = map[int]string{
	32: "bytes_sent", 33: "bytes_received", 37: "category", 44: "pkts_sent", 45: "pkts_received", 46: "session_end_reason", 52: "device_name",
}

var panThreatNames = map[int]string{
	31: "misc", 32: "threatid", 33: "category", 34: "severity", 35: "direction", 59: "device_name",
}

// panSyslogMatch reports whether head looks like PAN-OS syslog: its first
// non-empty line carries the PAN-OS field layout.
func panSyslogMatch(_ string, head []byte) bool {
	for _, l := range bytes.Split(head, []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		return panCSVStart.Match(l)
	}
	return false
}

func readPANOSSyslog(ctx context.Context, r io.Reader, o *Output) error {
	return readLines(ctx, r, o, event.SourcePaloAlto, CategoryPANOS, parsePANOSLine)
}

// parsePANOSLine parses one syslog line; on failure it returns the skip
// code and why.
func parsePANOSLine(line string) (*event.Event, string, error) {
	loc := panCSVStart.FindStringSubmatchIndex(line)
	if loc == nil {
		return nil, CodeBadRecord, fmt.Errorf("not a PAN-OS log line (no receive time, serial number and type): %q", truncate(line, 80))
	}
	header, body := line[:loc[2]], line[loc[2]:]
	cr := csv.NewReader(strings.NewReader(body))
	cr.FieldsPerRecord, cr.LazyQuotes = -1, true
	f, err := cr.Read()
	if err != nil {
		return nil, CodeBadRecord, fmt.Errorf("PAN-OS fields: %v", err)
	}
	if len(f) <= panGenerated {
		return nil, CodeBadRecord, fmt.Errorf("PAN-OS line has %d fields, not a log", len(f))
	}
	typ := strings.ToUpper(f[panType])
	if !panTypes[typ] {
		return nil, CodeUnknownCategory, fmt.Errorf("PAN-OS %s log: only TRAFFIC and THREAT are read", truncate(typ, 20))
	}
	if len(f) < panMinFields {
		return nil, CodeBadRecord, fmt.Errorf("PAN-OS %s line has %d fields, at least %d expected", typ, len(f), panMinFields)
	}
	fields := map[string]string{"subtype": f[panSubtype]}
	names := panTrafficNames
	if typ == "THREAT" {
		names = panThreatNames
	}
	for _, m := range []map[int]string{panCommonNames, names} {
		for i, n := range m {
			if i < len(f) {
				fields[n] = f[i]
			}
		}
	}
	e := &event.Event{Source: event.SourcePaloAlto, Category: CategoryPANOS}
	if err := panFill(e, typ, fields); err != nil {
		se, _ := asSkip(err)
		return nil, se.Code, fmt.Errorf("%s", se.Reason)
	}
	t, assumed, err := panTime(header, f)
	if err != nil {
		return nil, CodeBadTime, err
	}
	e.Time = t
	if assumed {
		e.Detail["time_zone"] = "assumed-utc"
	}
	host := syslogHost(header)
	e.Emitter = strings.ToLower(panField(fields, "device_name"))
	if e.Emitter == "" {
		e.Emitter = strings.ToLower(host)
	}
	if e.Emitter == "" {
		e.Emitter = strings.ToLower(strings.TrimSpace(f[panSerial]))
	}
	if e.Emitter == "" {
		return nil, CodeBadRecord, fmt.Errorf("PAN-OS line names no device, serial number or syslog host")
	}
	setDetail(e.Detail, "serial", f[panSerial])
	e.Detail["via"] = "syslog"
	return e, "", nil
}

// panTime picks the line's time: a high-resolution timestamp field, an
// RFC 5424 header time, else the generated time read as UTC (assumed).
func panTime(header string, f []string) (t time.Time, assumed bool, err error) {
	for i := 47; i < len(f); i++ {
		s := f[i]
		if len(s) >= 20 && s[4] == '-' && s[10] == 'T' && strings.ContainsAny(s[19:], "Z+-") {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return t.UTC(), false, nil
			}
		}
	}
	for _, tok := range strings.Fields(header) {
		if t, err := time.Parse(time.RFC3339Nano, tok); err == nil {
			return t.UTC(), false, nil
		}
	}
	for _, i := range []int{panGenerated, panReceiveTime} {
		if t, err := time.Parse("2006/01/02 15:04:05", f[i]); err == nil {
			return t, true, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("PAN-OS line without a time: %q", truncate(f[panGenerated], 40))
}

// syslogHost returns the host of an RFC 3164 (<pri>Mmm dd hh:mm:ss host)
// or RFC 5424 (<pri>1 time host ...) header, "" when there is none.
func syslogHost(header string) string {
	toks := strings.Fields(header)
	if len(toks) == 0 {
		return ""
	}
	if i := strings.IndexByte(toks[0], '>'); strings.HasPrefix(toks[0], "<") && i > 0 {
		toks[0] = toks[0][i+1:]
		if toks[0] == "" {
			toks = toks[1:]
		}
	}
	switch {
	case len(toks) >= 3 && toks[0] == "1": // RFC 5424: version time host
		return toks[2]
	case len(toks) >= 4: // RFC 3164: Mmm dd hh:mm:ss host
		return toks[3]
	}
	return ""
}
