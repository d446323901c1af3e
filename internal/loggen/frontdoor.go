package loggen

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// FrontDoorRequest is one request through an Azure Front Door Standard or
// Premium profile as its access log records it (FrontDoorAccessLog,
// docs/log-formats-more.md §12.2), optionally with the WAF record of the
// same request (FrontDoorWebApplicationFirewallLog, §12.4).
type FrontDoorRequest struct {
	At     time.Time
	Client netip.AddrPort
	// Host and Path name what was asked for (https://Host:443/Path).
	Host, Path string
	// Status is what Front Door answered (0: the origin timed out);
	// ErrorInfo why (default NoError).
	Status    int
	ErrorInfo string
	// Origin is the origin's host name and OriginIP its address, when the
	// request went to one (empty: not sent, or served from cache).
	Origin   string
	OriginIP netip.AddrPort
	Route    string
	// WAF, when set, adds the WAF's record of the request.
	WAF *FrontDoorWAF
}

// FrontDoorWAF is a WAF decision on a Front Door request.
type FrontDoorWAF struct {
	// Action is Block, Allow, Log, Redirect or AnomalyScoring; Rule the
	// rule name; Policy the WAF policy; Mode prevention or detection.
	Action, Rule, Policy, Mode string
}

// FrontDoor adds the requests of the Front Door profile named profile.
func (s *Script) FrontDoor(profile string, reqs ...FrontDoorRequest) {
	if s.fds == nil {
		s.fds = map[string][]FrontDoorRequest{}
	}
	s.fds[profile] = append(s.fds[profile], reqs...)
}

// fdLine is the access record of r and its event.
func fdLine(r FrontDoorRequest, id, profile, ref string) ([]byte, event.Event) {
	at := r.At.UTC().Truncate(100 * time.Nanosecond)
	info := r.ErrorInfo
	if info == "" {
		info = "NoError"
	}
	uri := "https://" + r.Host + ":443" + r.Path
	origin, originIP, originURL := "N/A", "N/A", "N/A"
	if r.Origin != "" {
		origin, originURL = r.Origin, "https://"+r.Origin+":443"+r.Path
	}
	if r.OriginIP.IsValid() {
		originIP = r.OriginIP.String()
	}
	props := map[string]any{"trackingReference": ref, "httpMethod": "GET", "httpVersion": "2.0.0.0", "requestUri": uri, "hostName": r.Host,
		"requestBytes": "712", "responseBytes": "1840", "userAgent": "Mozilla/5.0", "clientIp": r.Client.Addr().String(), "clientPort": strconv.Itoa(int(r.Client.Port())),
		"socketIp": r.Client.Addr().String(), "timeTaken": "0.120", "requestProtocol": "HTTPS", "securityProtocol": "TLS 1.3", "httpStatusCode": strconv.Itoa(r.Status),
		"httpStatusDetails": strconv.Itoa(r.Status), "pop": "AMS", "cacheStatus": "CONFIG_NOCACHE", "errorInfo": info, "routeName": r.Route,
		"endpoint": strings.ToLower(profile) + "-e0a1.z01.azurefd.net", "originUrl": originURL, "originIp": originIP, "originName": origin}
	line, _ := json.Marshal(map[string]any{"time": at.Format(timeLayout), "resourceId": id, "category": "FrontDoorAccessLog",
		"operationName": "Microsoft.Cdn/Profiles/AccessLog/Write", "properties": props})
	e := event.Event{Time: at, Source: event.SourceFrontDoor, Category: "FrontDoorAccessLog", Emitter: strings.ToLower(profile), EmitterID: strings.ToLower(id),
		Protocol: "https", SrcIP: r.Client.Addr(), SrcPort: r.Client.Port(), DstPort: 443, FQDN: strings.ToLower(r.Host), HTTPStatus: r.Status, Direction: event.DirIn,
		Rule: event.Rule{Name: r.Route}, Detail: map[string]string{"error_info": info, "tracking_reference": ref}}
	if info != "NoError" {
		e.Rule.Reason = info
	}
	switch {
	case r.Status == 0 || r.Status >= 500 || info != "NoError":
		e.Verdict = event.VerdictError
	case r.Status == 401 || r.Status == 403:
		e.Verdict = event.VerdictDeny
	case r.Status >= 400:
		e.Verdict = event.VerdictError
	default:
		e.Verdict = event.VerdictAllow
	}
	if r.Origin != "" {
		e.Detail["origin"] = r.Origin
	}
	if r.OriginIP.IsValid() {
		e.Detail["origin_ip"] = originIP
	}
	return append(line, '\n'), e
}

// fdWAFLine is the WAF record of r and its event.
func fdWAFLine(r FrontDoorRequest, id, profile, ref string) ([]byte, event.Event) {
	at := r.At.UTC().Truncate(100 * time.Nanosecond)
	w := *r.WAF
	if w.Mode == "" {
		w.Mode = "prevention"
	}
	props := map[string]any{"clientIP": r.Client.Addr().String(), "clientPort": strconv.Itoa(int(r.Client.Port())), "socketIP": r.Client.Addr().String(),
		"requestUri": "https://" + r.Host + ":443" + r.Path, "ruleName": w.Rule, "policy": w.Policy, "action": w.Action, "host": r.Host,
		"trackingReference": ref, "policyMode": w.Mode, "details": map[string]any{"matches": []any{}, "msg": "rule " + w.Rule + " matched"}}
	line, _ := json.Marshal(map[string]any{"time": at.Format(timeLayout), "resourceId": id, "category": "FrontDoorWebApplicationFirewallLog",
		"operationName": "Microsoft.Cdn/Profiles/WebApplicationFirewallLog/Write", "properties": props})
	e := event.Event{Time: at, Source: event.SourceFrontDoor, Category: "FrontDoorWebApplicationFirewallLog", Emitter: strings.ToLower(profile),
		EmitterID: strings.ToLower(id), Protocol: "https", SrcIP: r.Client.Addr(), SrcPort: r.Client.Port(), DstPort: 443, FQDN: strings.ToLower(r.Host), Direction: event.DirIn,
		Rule:   event.Rule{Name: w.Rule, Policy: w.Policy, Reason: "rule " + w.Rule + " matched"},
		Detail: map[string]string{"action": w.Action, "tracking_reference": ref}}
	switch strings.ToLower(w.Action) {
	case "block", "redirect":
		e.Verdict = event.VerdictDeny
	case "allow":
		e.Verdict = event.VerdictAllow
	default:
		e.Verdict = event.VerdictAlert
	}
	return append(line, '\n'), e
}

func (s *Script) writeFrontDoor() error {
	for _, name := range sortedKeys(s.fds) {
		reqs := s.fds[name]
		id := s.g.armID("Microsoft.Cdn", "profiles", name)
		refs := make([]string, len(reqs))
		for i := range refs {
			refs[i] = strings.ReplaceAll(s.g.guid(), "-", "")
		}
		err := s.lines(len(reqs), func(i int) time.Time { return reqs[i].At },
			func(h time.Time) string { return resourceBlob("FrontDoorAccessLog", id, h) },
			func(i int) ([]byte, event.Event) { return fdLine(reqs[i], id, name, refs[i]) })
		if err != nil {
			return err
		}
		var waf []int
		for i, r := range reqs {
			if r.WAF != nil {
				waf = append(waf, i)
			}
		}
		err = s.lines(len(waf), func(i int) time.Time { return reqs[waf[i]].At },
			func(h time.Time) string { return resourceBlob("FrontDoorWebApplicationFirewallLog", id, h) },
			func(i int) ([]byte, event.Event) { return fdWAFLine(reqs[waf[i]], id, name, refs[waf[i]]) })
		if err != nil {
			return err
		}
	}
	return nil
}

// frontDoorKind writes n requests from public clients: served, an origin
// timeout, an origin refusing connections, and WAF blocks.
func frontDoorKind(g *gen, n int64) error {
	s := NewScript(ScriptOptions{Out: g.opt.Out, Seed: g.opt.Seed + 2, Subscription: g.opt.Subscription, ResourceGroup: g.opt.ResourceGroup, Region: g.opt.Region, Expect: g.opt.Expect})
	span := time.Duration(g.opt.Hours) * time.Hour
	origin := netip.MustParseAddrPort("10.0.3.4:443")
	for i := int64(0); i < n; i++ {
		r := FrontDoorRequest{At: g.opt.Start.Add(span * time.Duration(i) / time.Duration(n)), Client: netip.AddrPortFrom(g.publicIP(), uint16(30000+i%30000)),
			Host: "www.contoso.example", Path: "/api/orders/" + strconv.FormatInt(i, 10), Route: "api", Status: 200, Origin: "app-contoso.azurewebsites.net", OriginIP: origin}
		switch i % 6 {
		case 3:
			r.Status, r.ErrorInfo = 504, "OriginTimeout"
		case 4:
			r.Status, r.ErrorInfo, r.Origin, r.OriginIP = 502, "OriginConnectionRefused", "", netip.AddrPort{}
		case 5:
			r.Status, r.Origin, r.OriginIP = 403, "", netip.AddrPort{}
			r.WAF = &FrontDoorWAF{Action: "Block", Rule: "DefaultRuleSet-2.1-SQLI-942100", Policy: "demowaf"}
		}
		s.FrontDoor("demo-afd", r)
	}
	return g.merge(s.Write())
}
