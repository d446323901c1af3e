package logs

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// Azure Front Door access, WAF and health probe logs
// (docs/log-formats-more.md §12): Standard/Premium profiles
// (FrontDoorAccessLog, ...; keys clientIp, originIp, errorInfo) and classic
// Front Door (FrontdoorAccessLog; ErrorInfo, backendHostname), raw or as
// AzureDiagnostics rows. Like Application Gateway, Front Door is a full
// proxy: the client leg is the event's 5-tuple, the origin leg (the origin
// it went to, whether it was reached) is in Detail. Most values are
// strings, numbers included.

func parseFrontDoor(r *Record, o *Output) error {
	t, err := r.Time()
	if err != nil {
		return Skipf(CodeBadTime, "%v", err)
	}
	id := r.ResourceID()
	name := lastIDSegment(id, "profiles")
	if name == "" {
		name = lastIDSegment(id, "frontdoors")
	}
	cat := r.Category()
	e := event.Event{Time: t, Source: event.SourceFrontDoor, Category: cat, Emitter: strings.ToLower(name),
		EmitterID: strings.ToLower(id), Direction: event.DirIn, Protocol: "https", DstPort: 443}
	d := map[string]string{}
	var perr error
	switch l := strings.ToLower(cat); {
	case strings.Contains(l, "firewall"):
		perr = frontDoorWAF(r, &e, d)
	case strings.Contains(l, "healthprobe"):
		perr = frontDoorProbe(r, &e, d)
	default:
		perr = frontDoorAccess(r, &e, d)
	}
	if perr != nil {
		return perr
	}
	if len(d) > 0 {
		e.Detail = d
	}
	return o.Emit(&e)
}

// frontDoorClient fills the client address and port from the first of
// names that holds an address, and the socket (the directly connected
// address) into Detail.
func frontDoorClient(r *Record, e *event.Event, d map[string]string) error {
	c := firstS(r, "clientIp", "clientIP")
	if c != "" {
		ip, port, ok := callerAddr(c)
		if !ok {
			return Skipf(CodeBadRecord, "clientIp %q is not an address", truncate(c, 60))
		}
		e.SrcIP, e.SrcPort = ip, port
	}
	if p, err := strconv.Atoi(firstS(r, "clientPort")); err == nil && p > 0 && p <= 65535 {
		e.SrcPort = uint16(p)
	}
	if s := firstS(r, "socketIp", "socketIP"); s != "" && s != c {
		setDetail(d, "socket_ip", s)
	}
	return nil
}

// frontDoorURL fills the host, URL, scheme and port from the request URI
// (a full URL) and the host name.
func frontDoorURL(e *event.Event, rawURI, host string) {
	e.URL = rawURI
	if u, err := url.Parse(rawURI); err == nil && u.Host != "" {
		if host == "" {
			host = u.Host
		}
		switch strings.ToLower(u.Scheme) {
		case "http":
			e.Protocol, e.DstPort = "http", 80
		case "https":
			e.Protocol, e.DstPort = "https", 443
		}
		if p, err := strconv.Atoi(u.Port()); err == nil && p > 0 && p <= 65535 {
			e.DstPort = uint16(p)
		}
	}
	e.FQDN = strings.ToLower(hostOnly(host))
}

func frontDoorAccess(r *Record, e *event.Event, d map[string]string) error {
	if err := frontDoorClient(r, e, d); err != nil {
		return err
	}
	frontDoorURL(e, firstS(r, "requestUri"), firstS(r, "hostName", "host"))
	if p := strings.ToLower(firstS(r, "requestProtocol")); p == "http" && e.DstPort == 443 {
		e.Protocol, e.DstPort = "http", 80
	}
	status, ok := r.Int("httpStatusCode")
	e.HTTPStatus, e.Verdict = httpOutcome(status, ok)
	info := firstS(r, "errorInfo", "ErrorInfo")
	origin := firstS(r, "originName", "backendHostname")
	originIP := firstS(r, "originIp", "originIP")
	cache := firstS(r, "cacheStatus")
	for _, s := range []*string{&origin, &originIP} {
		if strings.EqualFold(*s, "N/A") {
			*s = ""
		}
	}
	if ok && status == 0 {
		// 0: the request to the origin timed out (Microsoft's note).
		e.Verdict = event.VerdictError
		if info == "" || strings.EqualFold(info, "NoError") {
			info = "OriginTimeout"
		}
	}
	if info != "" && !strings.EqualFold(info, "NoError") {
		e.Rule.Reason = info
		if e.Verdict == event.VerdictAllow || e.Verdict == event.VerdictInfo {
			e.Verdict = event.VerdictError
		}
	}
	e.Rule.Name = firstS(r, "routeName", "routingRuleName")
	setDetail(d, "error_info", info)
	setDetail(d, "origin", origin)
	setDetail(d, "origin_ip", originIP)
	setDetail(d, "origin_url", strings.TrimSpace(strings.TrimPrefix(firstS(r, "originUrl"), "N/A")))
	setDetail(d, "cache_status", cache)
	setDetail(d, "pop", firstS(r, "pop"))
	setDetail(d, "endpoint", firstS(r, "endpoint"))
	setDetail(d, "tracking_reference", firstS(r, "trackingReference"))
	setDetail(d, "http_method", firstS(r, "httpMethod"))
	setDetail(d, "time_taken", firstS(r, "timeTaken"))
	setDetail(d, "tls", firstS(r, "securityProtocol"))
	// Did the request reach the origin (docs/log-formats-more.md §12.2)?
	lc := strings.ToLower(info)
	switch {
	case strings.HasPrefix(strings.ToUpper(cache), "HIT") || strings.EqualFold(cache, "REMOTE_HIT"):
		d["origin_reached"] = "cache"
	case lc == "origintimeout" || lc == "originconnectionaborted" || lc == "origininvalidresponse" || lc == "originerror":
		d["origin_reached"] = "true"
	case strings.HasPrefix(lc, "originconnection") || strings.HasPrefix(lc, "dns") || strings.HasPrefix(lc, "ssl") ||
		strings.HasPrefix(lc, "certificate") || lc == "clientgeoblocked" || lc == "restrictedip" || lc == "invalidrequest":
		d["origin_reached"] = "false"
	case (origin != "" || originIP != "") && (lc == "" || lc == "noerror"):
		d["origin_reached"] = "true"
	}
	return nil
}

// frontDoorWAF fills a WAF event: Block and Redirect stop the request
// (deny), Allow lets it through, Log, AnomalyScoring and the challenges
// only record (alert).
func frontDoorWAF(r *Record, e *event.Event, d map[string]string) error {
	if err := frontDoorClient(r, e, d); err != nil {
		return err
	}
	frontDoorURL(e, firstS(r, "requestUri"), firstS(r, "host", "hostName"))
	action := firstS(r, "action")
	switch strings.ToLower(action) {
	case "block", "redirect":
		e.Verdict = event.VerdictDeny
	case "allow":
		e.Verdict = event.VerdictAllow
	default:
		e.Verdict = event.VerdictAlert
	}
	e.Rule = event.Rule{Name: firstS(r, "ruleName"), Policy: firstS(r, "policy"), Reason: firstS(r, "details.msg")}
	setDetail(d, "action", action)
	setDetail(d, "policy_mode", firstS(r, "policyMode"))
	setDetail(d, "tracking_reference", firstS(r, "trackingReference"))
	return nil
}

// frontDoorProbe fills a health probe event: a probe from an edge to an
// origin that failed.
func frontDoorProbe(r *Record, e *event.Event, d map[string]string) error {
	e.Direction = event.DirOut
	if s := firstS(r, "originIP", "originIp"); s != "" {
		if ip, port, ok := callerAddr(s); ok {
			e.DstIP, e.DstPort = ip, port
		}
	}
	u := firstS(r, "probeURL")
	if parsed, err := url.Parse(u); err == nil && parsed.Host != "" {
		e.Protocol = strings.ToLower(parsed.Scheme)
		if p, err := strconv.Atoi(parsed.Port()); err == nil && p > 0 && p <= 65535 && e.DstPort == 0 {
			e.DstPort = uint16(p)
		}
	}
	e.URL = u
	e.FQDN = strings.ToLower(hostOnly(firstS(r, "originName")))
	status, ok := r.Int("httpStatusCode")
	e.HTTPStatus, _ = httpOutcome(status, ok)
	e.Verdict = event.VerdictError
	result := firstS(r, "result")
	if strings.EqualFold(result, "success") {
		e.Verdict = event.VerdictInfo
	}
	e.Rule.Reason = result
	setDetail(d, "probe", "true")
	setDetail(d, "pop", firstS(r, "POP", "pop"))
	setDetail(d, "http_method", firstS(r, "httpVerb", "httpMethod"))
	return nil
}
