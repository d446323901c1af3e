package eventrender

import (
	"fmt"
	"io"

	"github.com/pathproof/pathproof/internal/render"
)

// Column ids of the tables, for --columns (in the tables' order).
var (
	EventColumns = []string{"time", "source", "emitter", "proto", "src", "dst", "dir", "verdict", "rule", "origin"}
	FlowColumns  = []string{"n", "client", "server", "proto", "first", "last", "events", "packets", "bytes", "verdict", "path"}
)

// Layout says how a table prints: Width > 0 fits it in that many columns
// (a terminal's) by cutting long cells of the columns that may be cut
// (rule, origin, emitter, path, client, server, a --top key; never a
// command to run); Columns keeps only those columns, in that order.
// Notes receives one line when cells were cut.
type Layout struct {
	Width   int
	Columns []string
	Notes   io.Writer
}

// CheckColumns reports an unknown id in cols (a usage error) against
// known (EventColumns or FlowColumns).
func CheckColumns(known, cols []string) error {
	t := render.Table{Header: known}
	return t.Select(known, cols)
}

// write applies l to t, whose columns are ids (--columns names), and
// writes it.
func (l Layout) write(w io.Writer, t *render.Table, ids []string) error {
	if len(l.Columns) > 0 {
		if err := t.Select(ids, l.Columns); err != nil {
			return err
		}
	}
	t.MaxWidth = l.Width
	if err := t.Write(w); err != nil {
		return err
	}
	if t.Cut && l.Notes != nil {
		fmt.Fprintf(l.Notes, "note: long cells are cut (…) to fit %d columns; -o json has every value, --columns chooses columns\n", l.Width)
	}
	return nil
}
