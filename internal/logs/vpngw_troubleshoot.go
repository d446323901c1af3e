package logs

import (
	"bufio"
	"context"
	"io"
	"net/netip"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// Network Watcher "VPN troubleshoot" output files (docs/log-formats-more.md
// §3.2). They are a diagnosis snapshot, not a log stream:
//
//   - Scrubbed-wfpdiag.txt: IKE failures with a time on every line → one
//     event per "IKE diagnostic event" block that has a failure code.
//   - ConnectionStats.txt: one tunnel-state event at "Connected Since".
//   - IKElogs.txt, IKEErrors.txt: IKE lines and error pairs WITHOUT any time.
//     An event without a time cannot be correlated, so each line is parsed
//     and classified but skipped as logs.bad-time, unless the file's path
//     holds a run time (a YYYY-MM-DDTHH-MM-SS folder, as the troubleshoot
//     storage path uses), which then stands for every line.
//   - CPUStats.txt, wfpdiag.txt.sum: recognised, nothing to trace.

// CategoryVPNTroubleshoot is the Category of events from these files.
const CategoryVPNTroubleshoot = "VPNTroubleshoot"

var (
	wfpLine   = regexp.MustCompile(`^\[\d+\][0-9A-Fa-f]+\.[0-9A-Fa-f]+::(\d\d/\d\d/\d{4}-\d\d:\d\d:\d\d\.\d+) \[(\w+)\] ?(.*)$`)
	runTimeRe = regexp.MustCompile(`(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d)`)
	errorPair = regexp.MustCompile(`^Error: `)
)

// troubleshootKind names the troubleshoot file from its name or first line.
func troubleshootKind(key string, head []byte) string {
	first := string(head)
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	first = strings.TrimRight(first, "\r")
	base := strings.ToLower(path.Base(strings.ReplaceAll(key, "\\", "/")))
	switch {
	case strings.HasPrefix(first, "Connectivity State :") || base == "connectionstats.txt":
		return "connstats"
	case strings.HasPrefix(first, "Current CPU Usage :") || base == "cpustats.txt":
		return "cpustats"
	case strings.HasPrefix(first, "Files Processed:") || strings.HasSuffix(base, ".txt.sum"):
		return "wfpsum"
	case wfpLine.MatchString(first) || strings.Contains(base, "wfpdiag"):
		return "wfpdiag"
	case errorPair.MatchString(first) || base == "ikeerrors.txt":
		return "ikeerrors"
	case ikeEnds.MatchString(first) || ikeSession.MatchString(first) || base == "ikelogs.txt":
		return "ikelogs"
	}
	return ""
}

// runTime returns the troubleshoot run time a path holds, if any.
func runTime(key string) (time.Time, bool) {
	m := runTimeRe.FindString(key)
	if m == "" {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02T15-04-05", m)
	return t, err == nil
}

func readTroubleshoot(ctx context.Context, r io.Reader, o *Output) error {
	br := bufio.NewReader(r)
	head, _ := br.Peek(sniffHead)
	kind := troubleshootKind(o.Key(), head)
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var lines []string
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
		if len(lines) > 1<<20 {
			break
		}
	}
	var err error
	switch kind {
	case "connstats":
		err = readConnStats(lines, o)
	case "wfpdiag":
		err = readWFPDiag(lines, o)
	case "ikelogs", "ikeerrors":
		err = readIKEText(kind, lines, o)
	default:
		o.Count(event.SourceVPNGateway, CategoryVPNTroubleshoot, 1)
	}
	if serr := sc.Err(); serr != nil {
		o.Skip(len(lines), CodeUnreadable, serr.Error())
	}
	return err
}

func troubleshootEvent(t time.Time) event.Event {
	return event.Event{Time: t, Source: event.SourceVPNGateway, Category: CategoryVPNTroubleshoot, Verdict: event.VerdictInfo}
}

func readConnStats(lines []string, o *Output) error {
	kv := map[string]string{}
	for _, l := range lines {
		k, v, ok := strings.Cut(l, " :")
		if ok {
			kv[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
	o.At(0)
	o.Count(event.SourceVPNGateway, CategoryVPNTroubleshoot, 1)
	t, err := ParseTime(kv["connected since"])
	if err != nil {
		o.Skip(0, CodeBadTime, "ConnectionStats.txt: Connected Since: "+err.Error())
		return nil
	}
	e := troubleshootEvent(t)
	d := map[string]string{"file": "ConnectionStats.txt"}
	state := strings.ToLower(kv["connectivity state"])
	setDetail(d, "tunnel_state", state)
	setDetail(d, "remote_ip", kv["remote tunnel endpoint"])
	setDetail(d, "ingress_bytes", kv["ingress bytes (since last connected)"])
	setDetail(d, "egress_bytes", kv["egress bytes (since last connected)"])
	if a, err := netip.ParseAddr(kv["remote tunnel endpoint"]); err == nil {
		e.DstIP = a
	}
	e.Rule.Reason = "tunnel " + state + " since this time (time zone unstated: taken as UTC)"
	e.Detail = d
	return o.Emit(&e)
}

func readWFPDiag(lines []string, o *Output) error {
	type block struct {
		idx             int
		t               time.Time
		remote, local   string
		failType, point string
		code            int
		text            string
	}
	var cur *block
	var records int64
	flush := func() error {
		if cur == nil || cur.code == 0 {
			cur = nil
			return nil
		}
		b := cur
		cur = nil
		o.At(b.idx)
		e := troubleshootEvent(b.t)
		e.Protocol = "udp"
		if a, err := netip.ParseAddr(b.remote); err == nil {
			e.DstIP = a
		}
		if a, err := netip.ParseAddr(b.local); err == nil {
			e.SrcIP = a
		}
		e.Verdict = event.VerdictError
		d := map[string]string{"file": "wfpdiag", "ike_error_code": strconv.Itoa(b.code)}
		setDetail(d, "failure_type", b.failType)
		setDetail(d, "failure_point", b.point)
		setDetail(d, "remote_ip", b.remote)
		l := IKELine{ErrorCode: b.code}
		l.classify(b.text)
		if l.Failure == "" {
			l.Failure, l.Description = IKEOtherFailure, b.text
		}
		d["ike_failure"] = l.Failure
		e.Rule.Reason = l.Failure + ": " + l.Description
		e.Detail = d
		return o.Emit(&e)
	}
	for i, line := range lines {
		m := wfpLine.FindStringSubmatch(line)
		if m == nil {
			continue // "..." elisions and other text
		}
		records++
		t, err := time.Parse("01/02/2006-15:04:05.999", m[1])
		if err != nil {
			o.Skip(i, CodeBadTime, "wfpdiag line time "+truncate(m[1], 40))
			continue
		}
		parts := strings.SplitN(m[3], "|", 3)
		if len(parts) < 3 {
			continue
		}
		remote, text := parts[1], strings.TrimSpace(parts[2])
		switch {
		case strings.HasPrefix(text, "IKE diagnostic event"):
			if err := flush(); err != nil {
				return err
			}
			cur = &block{idx: i, t: t, remote: remote}
		case cur == nil:
		case strings.HasPrefix(text, "Local address:"):
			cur.local = strings.TrimSpace(strings.TrimPrefix(text, "Local address:"))
		case strings.HasPrefix(text, "Failure type:"):
			cur.failType = strings.TrimSpace(strings.TrimPrefix(text, "Failure type:"))
		case strings.HasPrefix(text, "Failure error code:"):
			h := strings.TrimSpace(strings.TrimPrefix(text, "Failure error code:"))
			if n, err := strconv.ParseInt(strings.TrimPrefix(strings.ToLower(h), "0x"), 16, 32); err == nil {
				cur.code = int(n)
			}
		case strings.HasPrefix(text, "Failure point:"):
			cur.point = strings.TrimSpace(strings.TrimPrefix(text, "Failure point:"))
			if err := flush(); err != nil {
				return err
			}
		default:
			if cur.code != 0 && cur.text == "" {
				cur.text = text
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	o.Count(event.SourceVPNGateway, CategoryVPNTroubleshoot, records)
	return nil
}

func readIKEText(kind string, lines []string, o *Output) error {
	t, haveTime := runTime(o.Key())
	var records int64
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.TrimSpace(line) == "" || strings.TrimSpace(line) == "..." {
			continue
		}
		idx := i
		text := line
		if kind == "ikeerrors" {
			if !errorPair.MatchString(line) {
				continue
			}
			// "Error: <summary> " then a TAB-indented "based on log : <text>".
			if i+1 < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i+1]), "based on log") {
				text = strings.TrimSpace(line) + " " + strings.TrimSpace(lines[i+1])
				i++
			}
		}
		records++
		o.At(idx)
		l := ParseIKELine(text)
		if !haveTime {
			what := "an IKE line"
			if l.Failure != "" {
				what = "IKE failure " + l.Failure
			}
			o.Skip(idx, CodeBadTime, "VPN troubleshoot "+kind+" lines carry no time ("+what+"); read the gateway's IKEDiagnosticLog for timed events")
			continue
		}
		e := troubleshootEvent(t)
		e.Protocol = "udp"
		d := map[string]string{"file": kind, "message": truncate(text, 500)}
		if l.Remote.IsValid() {
			e.DstIP, e.DstPort = l.Remote, l.RemotePort
			e.SrcIP, e.SrcPort = l.Local, l.LocalPort
		}
		setDetail(d, "ike_direction", l.Direction())
		setDetail(d, "ike_exchange", l.Exchange())
		if l.ErrorCode != 0 {
			d["ike_error_code"] = strconv.Itoa(l.ErrorCode)
		}
		if l.Failure != "" {
			e.Verdict = event.VerdictError
			e.Rule.Reason = l.Failure + ": " + l.Description
			d["ike_failure"] = l.Failure
		}
		e.Detail = d
		if err := o.Emit(&e); err != nil {
			return err
		}
	}
	o.Count(event.SourceVPNGateway, CategoryVPNTroubleshoot, records)
	return nil
}
