package logs

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// Helpers shared by the request-log parsers (Key Vault, Storage, SQL,
// Application Gateway).

// httpVerdict maps an HTTP status to a verdict: served (2xx, 3xx) is
// allow, refused (401, 403) deny, anything else error.
func httpVerdict(status int) event.Verdict {
	switch {
	case status >= 200 && status < 400:
		return event.VerdictAllow
	case status == 401 || status == 403:
		return event.VerdictDeny
	default:
		return event.VerdictError
	}
}

// httpOutcome is the HTTP status and verdict of a request-log record whose
// status field was read as (status, ok): without a status, no status and
// info.
func httpOutcome(status int64, ok bool) (int, event.Verdict) {
	if !ok {
		return 0, event.VerdictInfo
	}
	return int(status), httpVerdict(int(status))
}

// reasonPhrases maps Key Vault's resultSignature (an HTTP reason phrase)
// back to a status, for records that lack httpStatusCode.
var reasonPhrases = map[string]int{
	"ok": 200, "created": 201, "accepted": 202, "nocontent": 204, "no content": 204,
	"badrequest": 400, "bad request": 400, "unauthorized": 401, "forbidden": 403,
	"notfound": 404, "not found": 404, "conflict": 409, "toomanyrequests": 429, "too many requests": 429,
	"internalservererror": 500, "internal server error": 500, "serviceunavailable": 503, "service unavailable": 503,
}

// callerAddr parses a caller address as logged: "1.2.3.4", "1.2.3.4:5678",
// "[2001:db8::1]:443" or a bare IPv6 address.
func callerAddr(s string) (netip.Addr, uint16, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}, 0, false
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), ap.Port(), true
	}
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return a.Unmap().WithZone(""), 0, true
	}
	return netip.Addr{}, 0, false
}

// addrOf parses a bare IP address column (Traffic Analytics, Connection
// Monitor), unmapped; the zero Addr when it is empty or not an address.
func addrOf(s string) netip.Addr {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// cgnat is the shared address space (RFC 6598), private for our purpose.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// addressKind says whether a caller address is "private" (RFC 1918, RFC
// 6598, ULA, loopback, link-local: it came through a private endpoint,
// service endpoint or VNet) or "public".
func addressKind(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || cgnat.Contains(a) {
		return "private"
	}
	return "public"
}

// lastIDSegment returns the segment after "/<kind>/" in an ARM id (case
// kept), or "".
func lastIDSegment(id, kind string) string {
	parts := strings.Split(id, "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], kind) {
			return parts[i+1]
		}
	}
	return ""
}

// hostOf returns the host of a URL, or "".
func hostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// firstLine returns the first non-empty line of s, trimmed and cut to n
// runes.
func firstLine(s string, n int) string {
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if r := []rune(l); len(r) > n {
				return string(r[:n]) + "…"
			}
			return l
		}
	}
	return ""
}

// setDetail stores a non-empty value.
func setDetail(d map[string]string, k, v string) {
	if v != "" {
		d[k] = v
	}
}

// denied records the denial layer of a refused request: Detail
// "denial_layer", and the start of Rule.Reason ("layer: why" when why is
// set), so `--reason <layer>` finds it.
func denied(e *event.Event, d map[string]string, layer, why string) {
	d["denial_layer"] = layer
	e.Rule.Reason = layer
	if why != "" {
		e.Rule.Reason += ": " + why
	}
}

// setBoolDetail stores "true"/"false" when the record has the field.
func setBoolDetail(r *Record, d map[string]string, k string, names ...string) {
	for _, n := range names {
		if b, ok := r.Bool(n); ok {
			d[k] = strconv.FormatBool(b)
			return
		}
	}
}

// firstS returns the first non-empty field among names.
func firstS(r *Record, names ...string) string {
	for _, n := range names {
		if s := strings.TrimSpace(r.S(n)); s != "" {
			return s
		}
	}
	return ""
}
