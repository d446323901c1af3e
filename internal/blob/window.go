package blob

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Window is the time window of the events wanted; blobs whose y=/m=/d=/h=
// path parts lie outside it are neither listed nor read. The zero Window
// reads everything.
type Window struct {
	// Since and Until are absolute bounds (zero when unset).
	Since, Until time.Time
	// SinceAgo and UntilAgo count back from the newest event in the data.
	// The newest hour among the blobs stands in for it: listing first finds
	// the newest hour folder, then reads only the hours the window needs.
	SinceAgo, UntilAgo time.Duration
}

// IsZero reports whether the window reads everything.
func (w Window) IsZero() bool {
	return w.Since.IsZero() && w.Until.IsZero() && w.SinceAgo == 0 && w.UntilAgo == 0
}

// relative reports whether the window needs the newest hour first.
func (w Window) relative() bool { return w.SinceAgo > 0 || w.UntilAgo > 0 }

// resolve turns relative bounds into absolute ones given the newest hour
// folder: the newest event lies in [newest, newest+1h).
func (w Window) resolve(newest time.Time) Window {
	out := Window{Since: w.Since, Until: w.Until}
	if w.SinceAgo > 0 {
		// The earliest the window can start: newest event >= newest hour.
		out.Since = newest.Add(-w.SinceAgo)
	}
	if w.UntilAgo > 0 {
		// The latest the window can end: newest event < newest hour + 1h.
		out.Until = newest.Add(time.Hour - w.UntilAgo)
	}
	return out
}

// lateSlack is how much earlier than its hour folder an event in a blob
// may be: flow-log tuples precede their record's write time by up to a
// minute, and a record can be written a few minutes after its event.
const lateSlack = 15 * time.Minute

// overlaps reports whether the period [start, end) of a y=/m=/d=/h= folder
// can hold events inside the window.
func (w Window) overlaps(start, end time.Time) bool {
	if !w.Since.IsZero() && !end.After(w.Since) {
		return false
	}
	if !w.Until.IsZero() && start.Add(-lateSlack).After(w.Until) {
		return false
	}
	return true
}

// period is a partial date from y=/m=/d=/h= path segments.
type period struct {
	y, mo, d, h int
	level       int // 0 none, 1 year, 2 month, 3 day, 4 hour
}

// next applies one path segment: y=YYYY, then m=MM (month), d=DD, h=HH. It
// returns ok=false when seg is not the next time level (the minute folder
// m=00 after h= is not a time level here).
func (p period) next(seg string) (period, bool) {
	k, v, found := strings.Cut(seg, "=")
	if !found {
		return p, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return p, false
	}
	switch {
	case strings.EqualFold(k, "y") && p.level == 0 && len(v) == 4:
		p.y, p.level = n, 1
	case strings.EqualFold(k, "m") && p.level == 1 && n >= 1 && n <= 12:
		p.mo, p.level = n, 2
	case strings.EqualFold(k, "d") && p.level == 2 && n >= 1 && n <= 31:
		p.d, p.level = n, 3
	case strings.EqualFold(k, "h") && p.level == 3 && n <= 23:
		p.h, p.level = n, 4
	default:
		return p, false
	}
	return p, true
}

// span returns the [start, end) the partial date covers.
func (p period) span() (time.Time, time.Time) {
	switch p.level {
	case 1:
		s := time.Date(p.y, 1, 1, 0, 0, 0, 0, time.UTC)
		return s, s.AddDate(1, 0, 0)
	case 2:
		s := time.Date(p.y, time.Month(p.mo), 1, 0, 0, 0, 0, time.UTC)
		return s, s.AddDate(0, 1, 0)
	case 3:
		s := time.Date(p.y, time.Month(p.mo), p.d, 0, 0, 0, 0, time.UTC)
		return s, s.AddDate(0, 0, 1)
	case 4:
		s := time.Date(p.y, time.Month(p.mo), p.d, p.h, 0, 0, 0, time.UTC)
		return s, s.Add(time.Hour)
	}
	return time.Time{}, time.Time{}
}

// hourOf returns the hour a blob name's y=/m=/d=/h= segments name, if any.
func hourOf(name string) (time.Time, bool) {
	var p period
	for _, seg := range strings.Split(name, "/") {
		if q, ok := p.next(seg); ok {
			p = q
		}
	}
	if p.level != 4 {
		return time.Time{}, false
	}
	s, _ := p.span()
	return s, true
}

// HourFolder splits a blob name at its hour folder: prefix is the name up
// to and including the "h=HH/" segment (the folder a flat listing of one
// hour takes), hour the hour it names. ok is false when the name has no
// complete y=/m=/d=/h= folders.
func HourFolder(name string) (prefix string, hour time.Time, ok bool) {
	var p period
	pos := 0
	for _, seg := range strings.SplitAfter(name, "/") {
		pos += len(seg)
		if !strings.HasSuffix(seg, "/") {
			break
		}
		if q, ok := p.next(strings.TrimSuffix(seg, "/")); ok {
			p = q
			if p.level == 4 {
				s, _ := p.span()
				return name[:pos], s, true
			}
		}
	}
	return "", time.Time{}, false
}

// NextHourFolder returns the hour folder after prefix (an HourFolder
// prefix): the same path with the y=/m=/d=/h= segments of the next hour,
// zero-padded as Azure writes them. ok is false when prefix is not an
// hour folder.
func NextHourFolder(prefix string) (string, bool) {
	_, hour, ok := HourFolder(prefix)
	if !ok {
		return "", false
	}
	next := hour.Add(time.Hour)
	segs := strings.Split(strings.TrimSuffix(prefix, "/"), "/")
	var p period
	for i, seg := range segs {
		q, ok := p.next(seg)
		if !ok {
			continue
		}
		k, _, _ := strings.Cut(seg, "=")
		switch q.level {
		case 1:
			segs[i] = k + "=" + fmt.Sprintf("%04d", next.Year())
		case 2:
			segs[i] = k + "=" + fmt.Sprintf("%02d", int(next.Month()))
		case 3:
			segs[i] = k + "=" + fmt.Sprintf("%02d", next.Day())
		case 4:
			segs[i] = k + "=" + fmt.Sprintf("%02d", next.Hour())
		}
		p = q
	}
	return strings.Join(segs, "/") + "/", true
}
