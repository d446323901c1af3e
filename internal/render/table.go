// Package render prints analysis results: aligned human tables, JSON and
// JSON Lines, with untrusted strings escaped. The per-domain renderers
// (pcaprender, tracerender, proberender, eventrender) build on it; the
// front ends (the CLI, reports, servers) choose among them.
package render

import (
	"bufio"
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
	var cols Columns
	if len(t.Header) > 0 {
		cols.Measure(t.Header...)
	}
	for _, r := range t.Rows {
		cols.Measure(r...)
	}
	bw := bufio.NewWriter(w)
	if len(t.Header) > 0 {
		cols.WriteRow(bw, t.Header...)
	}
	for _, r := range t.Rows {
		cols.WriteRow(bw, r...)
	}
	return bw.Flush()
}

// Columns are the widths of a table's columns, for a table too large to
// hold: measure every row first (Measure), then write the rows one by one
// (WriteRow) as Table.Write would write them.
type Columns struct {
	width []int
}

// Measure widens the columns to fit row, escaped.
func (c *Columns) Measure(row ...string) {
	for len(c.width) < len(row) {
		c.width = append(c.width, 0)
	}
	for i, cell := range row {
		c.width[i] = max(c.width[i], utf8.RuneCountInString(Escape(cell)))
	}
}

// WriteRow writes row, escaped, each cell padded to its column's width
// plus two spaces, without trailing blanks. A row shorter than the table
// ends early.
func (c *Columns) WriteRow(w io.StringWriter, row ...string) error {
	var line strings.Builder
	for i := range len(c.width) {
		cell := ""
		if i < len(row) {
			cell = Escape(row[i])
		}
		line.WriteString(cell)
		if i < len(c.width)-1 {
			line.WriteString(strings.Repeat(" ", max(c.width[i]-utf8.RuneCountInString(cell), 0)+2))
		}
	}
	_, err := w.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	return err
}
