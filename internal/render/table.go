// Package render prints analysis results: aligned human tables, JSON and
// JSON Lines, with untrusted strings escaped. Only the CLI imports it.
package render

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Table is an aligned text table. Cells are escaped with Escape when the
// table is written, so callers may put untrusted strings in it.
type Table struct {
	Header []string
	Rows   [][]string
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// Write prints the table with two spaces between columns and no trailing
// blanks.
func (t *Table) Write(w io.Writer) error {
	cols := len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	width := make([]int, cols)
	esc := func(row []string) []string {
		out := make([]string, cols)
		for i := range out {
			if i < len(row) {
				out[i] = Escape(row[i])
			}
			width[i] = max(width[i], utf8.RuneCountInString(out[i]))
		}
		return out
	}
	var rows [][]string
	if len(t.Header) > 0 {
		rows = append(rows, esc(t.Header))
	}
	for _, r := range t.Rows {
		rows = append(rows, esc(r))
	}
	var b strings.Builder
	for _, r := range rows {
		line := strings.Builder{}
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
