package probe

import (
	"fmt"
	"strconv"
	"strings"
)

// StatusRanges is a set of accepted HTTP status codes, written like
// Connection Monitor's validStatusCodeRanges: "200-299,301,3xx".
type StatusRanges []struct{ Lo, Hi int }

// DefaultStatusRanges accepts 2xx and 3xx.
const DefaultStatusRanges = "200-399"

// ParseStatusRanges parses a comma-separated list of codes ("204"),
// ranges ("200-299") and classes ("3xx").
func ParseStatusRanges(s string) (StatusRanges, error) {
	var out StatusRanges
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("status ranges %q: empty item", s)
		}
		var lo, hi int
		var err error
		switch {
		case len(part) == 3 && strings.HasSuffix(strings.ToLower(part), "xx"):
			d := int(part[0] - '0')
			if d < 1 || d > 5 {
				return nil, fmt.Errorf("status ranges: %q is not 1xx-5xx", part)
			}
			lo, hi = d*100, d*100+99
		case strings.Contains(part, "-"):
			a, b, _ := strings.Cut(part, "-")
			if lo, err = strconv.Atoi(strings.TrimSpace(a)); err == nil {
				hi, err = strconv.Atoi(strings.TrimSpace(b))
			}
			if err != nil {
				return nil, fmt.Errorf("status ranges: %q is not LOW-HIGH", part)
			}
		default:
			if lo, err = strconv.Atoi(part); err != nil {
				return nil, fmt.Errorf("status ranges: %q is not a status code", part)
			}
			hi = lo
		}
		if lo < 100 || hi > 599 || lo > hi {
			return nil, fmt.Errorf("status ranges: %q is outside 100-599 or reversed", part)
		}
		out = append(out, struct{ Lo, Hi int }{lo, hi})
	}
	return out, nil
}

// Contains reports whether code is accepted.
func (r StatusRanges) Contains(code int) bool {
	for _, x := range r {
		if code >= x.Lo && code <= x.Hi {
			return true
		}
	}
	return false
}
