package logs

import (
	"fmt"
	"strings"
	"time"
)

// timeLayouts are the record-time spellings accepted besides RFC 3339
// (docs/log-formats.md §1.1 and §10.1): ISO without a zone (UTC assumed), and the
// US M/D/YYYY forms with 12- or 24-hour clock and an optional offset, which
// Log Analytics CSV exports ("9/6/2023, 2:22:44.954 PM") also use. Go accepts
// a fraction after the seconds when parsing even if the layout has none.
var timeLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"1/2/2006 3:04:05 PM Z07:00",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 15:04:05 Z07:00",
	"1/2/2006 15:04:05",
}

// ParseTime parses a record time in any spelling Azure and its exports use:
// RFC 3339 with 0 to 9 fraction digits and Z or an offset, ISO without a zone
// (taken as UTC), and M/D/YYYY h:mm:ss[.f] [AM|PM] [±hh:mm]. The result is UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("no time")
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	n := strings.Replace(s, ", ", " ", 1)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, n); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised time %q", s)
}
