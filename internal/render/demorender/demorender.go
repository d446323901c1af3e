// Package demorender prints what `pathproof demo` says around the demos
// themselves (which narrate on their demo.Env): the list of demos, the
// tour's heading before each, and where a demo's data stays.
package demorender

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/pathproof/pathproof/internal/demo"
	"github.com/pathproof/pathproof/internal/render"
)

// List writes the demos in all (demo.Builtin) as a table with the formats
// each prints, the tour listed before its first demo.
func List(w io.Writer, all []demo.Demo) error {
	t := render.Table{Header: []string{"DEMO", "OUTPUTS", "WHAT IT SHOWS"}}
	first := demo.Tour()[0].Name
	for _, d := range all {
		if d.Name == first {
			t.Add(demo.TourName, "table", "the demos below, the individual commands, in turn")
		}
		t.Add(d.Name, strings.Join(append([]string{"table"}, d.Outputs...), ","), d.Summary)
	}
	return t.Write(w)
}

// TourHeading introduces demo d of the tour, the i-th (from 0): a blank
// line after the previous one, its name, summary and how to run it alone.
func TourHeading(w io.Writer, i int, d demo.Demo) error {
	if i > 0 {
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "━━ demo %s: %s\n   (run it alone: pathproof demo %s)\n\n", d.Name, d.Summary, d.Name)
	return err
}

// KeptIn says that a demo's data stays in dir and, for a relative dir,
// where the printed commands run from.
func KeptIn(w io.Writer, dir string) error {
	msg := "\nThe demo's data stays in " + render.Escape(dir)
	if !filepath.IsAbs(dir) {
		msg += ": the commands above run as printed from the directory you ran the demo in"
	}
	_, err := fmt.Fprintln(w, msg+".")
	return err
}
