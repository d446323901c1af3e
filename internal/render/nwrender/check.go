package nwrender

import (
	"fmt"
	"io"

	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/scenario"
)

// Check writes the report of one scenario file: its title, then a line
// per query with PASS, FAIL or SKIP and why.
func Check(w io.Writer, f *scenario.File, rep *scenario.Report) error {
	title := f.ID
	if f.Title != "" {
		title += ": " + f.Title
	}
	fmt.Fprintf(w, "%s\n", render.Escape(title))
	for _, r := range rep.Results {
		status := "PASS"
		switch {
		case r.Skipped:
			status = "SKIP"
		case !r.Pass:
			status = "FAIL"
		}
		fmt.Fprintf(w, "  %s  %-18s %s\n", status, render.Escape(r.Kind), render.Escape(r.ID))
		switch {
		case r.Skipped:
			fmt.Fprintf(w, "        [%s] %s\n", scenario.CodeUnsupported, render.Escape(r.Error))
		case !r.Pass:
			for _, d := range r.Diff {
				fmt.Fprintf(w, "        [%s] %s\n", scenario.CodeFailed, render.Escape(d))
			}
		}
		for _, a := range r.Assumptions {
			if _, err := fmt.Fprintf(w, "        note: %s\n", render.Escape(a)); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckTotals writes the totals line after the last file's report.
func CheckTotals(w io.Writer, pass, fail, skip int) error {
	_, err := fmt.Fprintf(w, "\n%d passed, %d failed, %d skipped\n", pass, fail, skip)
	return err
}
