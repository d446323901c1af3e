// Package exportrender prints what `pathproof topology export` wrote: the
// JSON answer and the human summary (scopes read, inputs copied, what the
// folder loads as).
package exportrender

import (
	"fmt"
	"io"
	"sort"

	"github.com/pathproof/pathproof/internal/azlive"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/topology/load"
)

// Answer is what topology export prints with -o json: the manifest it
// wrote and what the folder loads as.
type Answer struct {
	Dir      string           `json:"dir"`
	Manifest *azlive.Manifest `json:"manifest"`
	Loads    map[string]int   `json:"loads"`
	Warnings int              `json:"load_warnings"`
}

// Human writes a as the human summary: the folder, each scope read (or
// not), each input copied, the resource counts it loads as and how to
// replay it.
func Human(w io.Writer, a Answer) error {
	fmt.Fprintf(w, "wrote %s: %d files and %s\n", render.Escape(a.Dir), len(a.Manifest.Files), load.ManifestName)
	for _, s := range a.Manifest.Scopes {
		status := "read"
		switch {
		case s.Error != "":
			status = "NOT READ"
		case len(s.Problems) > 0:
			status = "read in part"
		}
		fmt.Fprintf(w, "  %s: %s, %d Resource Graph rows in %d pages, %d ARM calls\n", render.Escape(s.Scope), status, s.Rows, s.Pages, s.ARMCalls)
	}
	for _, in := range a.Manifest.Inputs {
		fmt.Fprintf(w, "  %s: %d files copied\n", render.Escape(in.Source), len(in.Files))
	}
	kinds := make([]string, 0, len(a.Loads))
	for k := range a.Loads {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	t := render.Table{Header: []string{"LOADS AS", "COUNT"}}
	for _, k := range kinds {
		if a.Loads[k] > 0 {
			t.Add(k, fmt.Sprint(a.Loads[k]))
		}
	}
	if err := t.Write(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "replay: pathproof <command> --topology %s (%d load warnings: skipped types as in any export)\n", render.Escape(a.Dir), a.Warnings)
	return err
}
