// Package render prints analysis results: aligned human tables, JSON and
// JSON Lines, with untrusted strings escaped. The per-domain renderers
// (pcaprender, tracerender, proberender, eventrender) build on it; the
// front ends (the CLI, reports, servers) choose among them.
package render

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Table is an aligned text table. Cells are escaped with Escape when the
// table is written, so callers may put untrusted strings in it.
type Table struct {
	Header []string
	Rows   [][]string
	// MaxWidth, when > 0, is the width the table must fit in (a
	// terminal's): cells of the columns with a Shrink width are cut with
	// "…", the widest column first, never below its Shrink width.
	MaxWidth int
	// Shrink is, per column, the width it may be cut down to (0: never).
	Shrink []int
	// Cut is, per column, where a cell is cut (default CutEnd).
	CutAt []CutMode
	// Cut is set by Write when it cut a cell to fit.
	Cut bool
}

// CutMode says which part of a cell too long for its column is dropped.
type CutMode uint8

// Cut modes.
const (
	CutEnd    CutMode = iota // keep the start: "BlockHighRiskTC…"
	CutMiddle                // keep both ends: an origin's blob and record, "flowlog…json#0.10"
	CutStart                 // keep the end: a time's clock, "…09:48:52.692Z"
)

// Select keeps the columns ids names, in that order; names are the ids of
// the table's columns, in order (e.g. "time", "src", "rule"). An unknown
// id is an error that lists the known ones.
func (t *Table) Select(names, ids []string) error {
	idx := make([]int, 0, len(ids))
	for _, id := range ids {
		i := slices.Index(names, strings.ToLower(strings.TrimSpace(id)))
		if i < 0 {
			return fmt.Errorf("no column %q (columns: %s)", id, strings.Join(names, ", "))
		}
		idx = append(idx, i)
	}
	pick := func(row []string) []string {
		out := make([]string, len(idx))
		for j, i := range idx {
			if i < len(row) {
				out[j] = row[i]
			}
		}
		return out
	}
	t.Header = pick(t.Header)
	for r := range t.Rows {
		t.Rows[r] = pick(t.Rows[r])
	}
	shrink, at := make([]int, len(idx)), make([]CutMode, len(idx))
	for j, i := range idx {
		if i < len(t.Shrink) {
			shrink[j] = t.Shrink[i]
		}
		if i < len(t.CutAt) {
			at[j] = t.CutAt[i]
		}
	}
	t.Shrink, t.CutAt = shrink, at
	return nil
}

// fit cuts the cells of shrinkable columns so the table fits MaxWidth,
// returning the escaped header and rows to write.
func (t *Table) fit() (header []string, rows [][]string) {
	esc := func(row []string) []string {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = Escape(c)
		}
		return out
	}
	if len(t.Header) > 0 {
		header = esc(t.Header)
	}
	rows = make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = esc(r)
	}
	var width []int
	measure := func(row []string) {
		for len(width) < len(row) {
			width = append(width, 0)
		}
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	measure(header)
	for _, r := range rows {
		measure(r)
	}
	total := 2 * max(len(width)-1, 0)
	for _, w := range width {
		total += w
	}
	for total > t.MaxWidth {
		widest := -1
		for i, w := range width {
			if i < len(t.Shrink) && t.Shrink[i] > 0 && w > t.Shrink[i] && (widest < 0 || w > width[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break // nothing left to cut: the lines wrap
		}
		width[widest]--
		total--
	}
	cut := func(row []string) {
		for i, c := range row {
			if n := utf8.RuneCountInString(c); i < len(width) && n > width[i] {
				mode := CutEnd
				if i < len(t.CutAt) {
					mode = t.CutAt[i]
				}
				row[i] = cutRunes(c, width[i], mode)
				t.Cut = true
			}
		}
	}
	cut(header)
	for _, r := range rows {
		cut(r)
	}
	return header, rows
}

// cutRunes shortens s to w runes, "…" marking what mode dropped.
func cutRunes(s string, w int, mode CutMode) string {
	r := []rune(s)
	if w <= 1 {
		return "…"
	}
	switch mode {
	case CutStart:
		return "…" + string(r[len(r)-(w-1):])
	case CutMiddle:
		head := (w - 1) / 2
		tail := w - 1 - head
		return string(r[:head]) + "…" + string(r[len(r)-tail:])
	}
	return string(r[:w-1]) + "…"
}

// OrDash is s, or "-" for an empty cell.
func OrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// Write prints the table with two spaces between columns and no trailing
// blanks.
func (t *Table) Write(w io.Writer) error {
	header, rows := t.Header, t.Rows
	if t.MaxWidth > 0 {
		header, rows = t.fit()
	}
	var cols Columns
	if len(header) > 0 {
		cols.Measure(header...)
	}
	for _, r := range rows {
		cols.Measure(r...)
	}
	bw := bufio.NewWriter(w)
	if len(header) > 0 {
		cols.WriteRow(bw, header...)
	}
	for _, r := range rows {
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
