package logs

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// Application Gateway access, firewall (WAF) and performance logs
// (docs/log-formats-more.md §6), raw or as AzureDiagnostics / AGW* table rows.
// The access log's client is the gateway's immediate client; the gateway is
// a full proxy, so the backend leg (serverRouted, upstreamSourcePort) is kept
// in Detail. 127.0.0.1 rows come from an internal process and are dropped.

func parseAppGateway(r *Record, o *Output) error {
	t, err := r.Time()
	if err != nil {
		return Skipf(CodeBadTime, "%v", err)
	}
	id := r.ResourceID()
	cat := r.Category()
	e := event.Event{Time: t, Source: event.SourceAppGateway, Category: cat,
		Emitter: strings.ToLower(lastIDSegment(id, "applicationGateways")), EmitterID: strings.ToLower(id), Direction: event.DirIn}
	d := map[string]string{}
	setDetail(d, "instance", firstS(r, "instanceId"))
	switch l := strings.ToLower(cat); {
	case strings.Contains(l, "firewall"):
		if err := appgwFirewall(r, &e, d); err != nil {
			return err
		}
	case strings.Contains(l, "performance"):
		e.Verdict, e.Aggregate = event.VerdictInfo, true
		if n, ok := r.Int("requestCount"); ok {
			e.Count = n
		}
		for _, k := range []string{"healthyHostCount", "unHealthyHostCount", "failedRequestCount", "latency", "throughput"} {
			setDetail(d, snake(k), firstS(r, k))
		}
	default:
		skip, err := appgwAccess(r, &e, d)
		if err != nil || skip {
			return err
		}
	}
	if len(d) > 0 {
		e.Detail = d
	}
	return o.Emit(&e)
}

// appgwAccess fills an access-log event; skip is true for the gateway's
// internal 127.0.0.1 rows.
func appgwAccess(r *Record, e *event.Event, d map[string]string) (skip bool, err error) {
	client := firstS(r, "clientIP")
	if client == "127.0.0.1" {
		return true, nil
	}
	if client != "" {
		ip, _, ok := callerAddr(client)
		if !ok {
			return false, Skipf(CodeBadRecord, "clientIP %q is not an address", truncate(client, 60))
		}
		e.SrcIP = ip
	}
	if p, ok := r.Int("clientPort"); ok && p > 0 && p <= 65535 {
		e.SrcPort = uint16(p)
	}
	e.FQDN = strings.ToLower(hostOnly(firstS(r, "originalHost", "host")))
	e.URL = firstS(r, "originalRequestUriWithArgs", "requestUri")
	tls := firstS(r, "sslProtocol") != "" || firstS(r, "sslCipher") != ""
	if strings.EqualFold(firstS(r, "protocol"), "TCP") {
		e.Protocol = "tcp"
	} else if tls {
		e.Protocol, e.DstPort = "https", 443
	} else {
		e.Protocol, e.DstPort = "http", 80
	}
	e.HTTPStatus, e.Verdict = httpOutcome(r.Int("httpStatus"))
	routed, status := firstS(r, "serverRouted"), firstS(r, "serverStatus")
	if q := firstS(r, "requestQuery"); routed == "" && strings.Contains(q, "SERVER-ROUTED=") {
		// v1 packs the backend facts into the query string.
		if v, err := url.ParseQuery(q); err == nil {
			routed, status = v.Get("SERVER-ROUTED"), v.Get("SERVER-STATUS")
		}
	}
	info := firstS(r, "error_info")
	e.Rule = event.Rule{Name: firstS(r, "ruleName")}
	if info != "" && info != "ERRORINFO_NO_ERROR" {
		e.Rule.Reason = info
	}
	setDetail(d, "listener", firstS(r, "listenerName"))
	setDetail(d, "backend_pool", firstS(r, "backendPoolName"))
	setDetail(d, "backend_setting", firstS(r, "backendSettingName"))
	setDetail(d, "server_routed", routed)
	setDetail(d, "server_status", status)
	setDetail(d, "upstream_source_port", firstS(r, "upstreamSourcePort"))
	setDetail(d, "error_info", info)
	setDetail(d, "waf_mode", firstS(r, "WAFMode"))
	setDetail(d, "transaction_id", firstS(r, "transactionId"))
	setDetail(d, "http_method", firstS(r, "httpMethod"))
	switch {
	case routed != "" && status != "":
		d["backend_reached"] = "true"
	case routed == "" && (info == "ERRORINFO_UPSTREAM_NO_LIVE" || strings.HasPrefix(info, "ERRORINFO_INVALID") || strings.HasPrefix(info, "ERRORINFO_HTTP")):
		d["backend_reached"] = "false"
	}
	return false, nil
}

// appgwFirewall fills a WAF event: Blocked is deny, Allowed allow, Matched
// and Detected alert (a rule hit is not a block by itself).
func appgwFirewall(r *Record, e *event.Event, d map[string]string) error {
	if c := firstS(r, "clientIp"); c != "" {
		ip, _, ok := callerAddr(c)
		if !ok {
			return Skipf(CodeBadRecord, "clientIp %q is not an address", truncate(c, 60))
		}
		e.SrcIP = ip
	}
	if p, err := strconv.Atoi(firstS(r, "clientPort")); err == nil && p > 0 && p <= 65535 {
		e.SrcPort = uint16(p)
	}
	e.FQDN = strings.ToLower(hostOnly(firstS(r, "hostname")))
	e.URL = firstS(r, "requestUri")
	e.Protocol = "http"
	action := firstS(r, "action")
	switch strings.ToLower(action) {
	case "blocked":
		e.Verdict = event.VerdictDeny
	case "allowed":
		e.Verdict = event.VerdictAllow
	default:
		e.Verdict = event.VerdictAlert
	}
	e.Rule = event.Rule{
		Name: firstS(r, "ruleId"), RuleCollection: firstS(r, "ruleGroup"),
		RuleCollectionGroup: strings.TrimSpace(firstS(r, "ruleSetType") + " " + firstS(r, "ruleSetVersion")),
		Policy:              firstS(r, "policyId"), Reason: firstS(r, "message"),
	}
	setDetail(d, "action", action)
	setDetail(d, "policy_scope", firstS(r, "policyScope"))
	setDetail(d, "transaction_id", firstS(r, "transactionId"))
	setDetail(d, "details", truncate(firstS(r, "details.message"), 300))
	return nil
}

// hostOnly strips a :port from a host.
func hostOnly(h string) string {
	if i := strings.LastIndexByte(h, ':'); i > 0 && !strings.Contains(h[:i], ":") {
		return h[:i]
	}
	return h
}
