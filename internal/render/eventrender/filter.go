package eventrender

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/render"
)

// Filter writes a compiled filter (--print-filter): the SQL expression
// over the events view, its bind values, and the time window when it is
// relative to the newest event.
func Filter(w io.Writer, f *filter.Filter) error {
	var b strings.Builder
	where, args := f.SQL()
	fmt.Fprintf(&b, "WHERE %s\n", where)
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			a = t.Format(time.RFC3339Nano)
		}
		fmt.Fprintf(&b, "  $%d = %s\n", i+1, render.Escape(fmt.Sprint(a)))
	}
	for _, bd := range []struct {
		flag string
		b    filter.Bound
	}{{"since", f.Since}, {"until", f.Until}} {
		if bd.b.Ago > 0 {
			fmt.Fprintf(&b, "--%s: %s before the newest event in the data (resolved after loading)\n", bd.flag, bd.b.Ago)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Loaded writes what a load added, on one line for a terminal: new
// events and inputs read, events already in the store, inputs not read
// again because they are unchanged since loaded.
func Loaded(w io.Writer, added, duplicates int64, inputs, unchanged int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "loaded %d new event(s) from %d input(s)", added, inputs)
	if duplicates > 0 {
		fmt.Fprintf(&b, ", %d already in the store", duplicates)
	}
	if unchanged > 0 {
		fmt.Fprintf(&b, "; %d input(s) unchanged since loaded, not read again", unchanged)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
