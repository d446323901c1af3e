package logs

import (
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// Connection Monitor (docs/log-formats.md §8): NWConnectionMonitorTestResult
// (one row per test per round), NWConnectionMonitorPathResult (when loss or
// round-trip time changes), NWConnectionMonitorDNSResult and
// NWConnectionMonitorDestinationListenerResult, from Log Analytics exports.
// A row is the result of synthetic probes: Aggregate, Count = checks, never
// packets. TestResult Pass is allow, Fail drop (the probes did not get
// through), Warning alert, anything else info.

func parseConnMon(r *Record, o *Output) error {
	t, err := r.Time()
	if err != nil {
		return Skipf(CodeBadTime, "%v", err)
	}
	cat := r.Table()
	if cat == "" {
		cat = r.Category()
	}
	e := event.Event{Time: t, Source: event.SourceConnMon, Category: cat, Aggregate: true}
	e.SrcIP = addrOf(firstS(r, "SourceIP", "SourceAddress"))
	e.DstIP = addrOf(firstS(r, "DestinationIP", "DestinationAddress"))
	if !e.DstIP.IsValid() {
		e.FQDN = firstS(r, "DestinationAddress")
	}
	if p, ok := r.Int("DestinationPort"); ok && p > 0 && p <= 65535 {
		e.DstPort = uint16(p)
	}
	e.Protocol = strings.ToLower(firstS(r, "Protocol"))
	e.Emitter = firstS(r, "SourceName", "SourceAgentId")
	e.EmitterID = strings.ToLower(firstS(r, "ConnectionMonitorResourceId"))
	if n, ok := r.Int("ChecksTotal"); ok && n > 0 {
		e.Count = n
	}
	result := firstS(r, "TestResult", "PathTestResult")
	switch strings.ToLower(result) {
	case "pass":
		e.Verdict = event.VerdictAllow
	case "fail":
		e.Verdict = event.VerdictDrop
	case "warning":
		e.Verdict = event.VerdictAlert
	default:
		e.Verdict = event.VerdictInfo
	}
	e.Rule = event.Rule{Name: firstS(r, "TestGroupName"), Reason: firstS(r, "TestResultCriterion", "PathTestResultCriterion")}
	d := map[string]string{}
	setDetail(d, "test_result", result)
	setDetail(d, "test_configuration", firstS(r, "TestConfigurationName"))
	for _, k := range []string{"ChecksFailed", "ChecksTotal", "AvgRoundTripTimeMs", "MaxRoundTripTimeMs", "JitterMs"} {
		setDetail(d, snake(k), firstS(r, k))
	}
	setDetail(d, "hops", truncate(firstS(r, "HopAddresses"), 500))
	setDetail(d, "issues", truncate(firstS(r, "Issues"), 500))
	setDetail(d, "destination_name", firstS(r, "DestinationName"))
	if len(d) > 0 {
		e.Detail = d
	}
	return o.Emit(&e)
}
