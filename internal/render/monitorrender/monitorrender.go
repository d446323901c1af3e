// Package monitorrender prints what `pathproof monitor` runs and finds:
// the start line, and each record as an aligned human line or as JSON
// Lines (the Record itself).
package monitorrender

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/monitor"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/textutil"
)

// Line is the one-line human form of a record. testWidth is the longest
// test id of the monitor (Monitor.MaxTestID), so the columns of every line
// align.
func Line(r *monitor.Record, testWidth int) string {
	rtt := "-"
	if r.RoundTripTimeMS != nil {
		rtt = strconv.FormatFloat(*r.RoundTripTimeMS, 'f', 1, 64) + "ms"
	}
	failed := strconv.FormatFloat(r.ChecksFailedPercent, 'f', 1, 64) + "%"
	return fmt.Sprintf("%s  %-13s  %-*s  checks_failed=%-6s  rtt=%-9s  %s",
		r.Time.Format(time.RFC3339), r.State, testWidth, r.Test, failed, rtt, r.Reason)
}

// Printer prints records in one format: "json" for JSON Lines, else
// human lines. It is not safe for concurrent use.
type Printer struct {
	w    io.Writer
	json *render.JSONLines
	// TestWidth is the width of the test column of human lines (the
	// monitor's MaxTestID); set it before the first record.
	TestWidth int
}

// NewPrinter prints records on w in format.
func NewPrinter(w io.Writer, format string) *Printer {
	p := &Printer{w: w}
	if format == "json" {
		p.json = render.NewJSONLines(w)
	}
	return p
}

// Record prints one record: a JSON line, or its human line escaped.
func (p *Printer) Record(r *monitor.Record) error {
	if p.json != nil {
		return p.json.Write(r)
	}
	_, err := fmt.Fprintln(p.w, render.Escape(Line(r, p.TestWidth)))
	return err
}

// Round prints the records of one complete round (--once) sorted by test.
func (p *Printer) Round(recs []*monitor.Record) error {
	sort.Slice(recs, func(i, j int) bool { return recs[i].Test < recs[j].Test })
	for _, r := range recs {
		if err := p.Record(r); err != nil {
			return err
		}
	}
	return nil
}

// StartLine says what a continuous monitor runs (the first five test ids
// and how many more), from which config, where results and metrics go and
// how to stop it.
func StartLine(ids []string, cfgFile, resultsDir, metricsAt string) string {
	const show = 5
	names := strings.Join(ids[:min(len(ids), show)], ", ")
	if len(ids) > show {
		names += fmt.Sprintf(", and %d more", len(ids)-show)
	}
	return fmt.Sprintf("pathproof monitor: %s (%s) from %s; results in %s; metrics %s; Ctrl-C stops",
		textutil.Plural(len(ids), "test", "tests"), names, cfgFile, resultsDir, metricsAt)
}

// Start writes StartLine escaped, on its own line.
func Start(w io.Writer, ids []string, cfgFile, resultsDir, metricsAt string) error {
	_, err := fmt.Fprintln(w, render.Escape(StartLine(ids, cfgFile, resultsDir, metricsAt)))
	return err
}
