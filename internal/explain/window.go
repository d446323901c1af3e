package explain

import (
	"fmt"
	"time"

	"github.com/pathproof/pathproof/internal/filter"
)

// WindowSpec is the time window of a question as a person gives it: At (the
// window is At ± AtSpan) or Since and Until (RFC3339, or a duration counted
// back from the newest event, as in `pathproof events`). Every front end
// reads it the same way.
type WindowSpec struct {
	At, Since, Until string
}

// WindowError is a window that cannot be used (a usage error).
type WindowError struct{ Msg string }

func (e *WindowError) Error() string { return e.Msg }

func windowErrorf(format string, a ...any) error { return &WindowError{Msg: fmt.Sprintf(format, a...)} }

// Filter checks the window and returns it as an event filter (blob
// listings are pruned by it). Errors name the field as the explain
// command's flags do.
func (w WindowSpec) Filter() (*filter.Filter, error) {
	if w.At != "" && (w.Since != "" || w.Until != "") {
		return nil, windowErrorf("--at cannot be combined with --since/--until")
	}
	spec := filter.Spec{Since: w.Since, Until: w.Until}
	if w.At != "" {
		t, err := time.Parse(time.RFC3339Nano, w.At)
		if err != nil {
			return nil, windowErrorf("--at %q: want an RFC3339 time (2026-01-02T15:04:05Z)", w.At)
		}
		spec.Since = t.Add(-AtSpan).UTC().Format(time.RFC3339Nano)
		spec.Until = t.Add(AtSpan).UTC().Format(time.RFC3339Nano)
	}
	f, err := filter.Parse(spec)
	if err != nil {
		return nil, &WindowError{Msg: err.Error()}
	}
	return f, nil
}

// Apply sets the window of opt: At, or Since and Until with a relative
// bound counted back from the newest event (newest is called only then;
// ok false: no events, the bound stays open).
func (w WindowSpec) Apply(opt *Options, newest func() (time.Time, bool, error)) error {
	f, err := w.Filter()
	if err != nil {
		return err
	}
	if w.At != "" {
		t, _ := time.Parse(time.RFC3339Nano, w.At)
		opt.At = t.UTC()
		return nil
	}
	var n time.Time
	if f.NeedsNewest() {
		t, ok, err := newest()
		if err != nil {
			return err
		}
		if ok {
			n = t
		}
	}
	if !f.Since.IsZero() {
		opt.Since = bound(f.Since, n)
	}
	if !f.Until.IsZero() {
		opt.Until = bound(f.Until, n)
	}
	if !opt.Since.IsZero() && !opt.Until.IsZero() && opt.Since.After(opt.Until) {
		return windowErrorf("--since (%s) is after --until (%s)", opt.Since.Format(time.RFC3339), opt.Until.Format(time.RFC3339))
	}
	return nil
}

func bound(b filter.Bound, newest time.Time) time.Time {
	if b.Ago > 0 {
		if newest.IsZero() {
			return time.Time{}
		}
		return newest.Add(-b.Ago)
	}
	return b.At
}
