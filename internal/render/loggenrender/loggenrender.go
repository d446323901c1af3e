// Package loggenrender prints what `generate logs` wrote: a one-row
// table (optionally after every file written) or the ResultJSON document.
package loggenrender

import (
	"fmt"
	"io"

	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/render"
)

// ResultJSON is the --output json shape of `generate logs`.
type ResultJSON struct {
	Out    string   `json:"out"`
	Files  int      `json:"files"`
	Bytes  int64    `json:"bytes"`
	Tuples int64    `json:"tuples"`
	Events int64    `json:"events"`
	Paths  []string `json:"paths,omitempty"`
}

// JSON writes res, generated under out, as ResultJSON; list adds every
// file's path.
func JSON(w io.Writer, out string, res loggen.Result, list bool) error {
	j := ResultJSON{Out: out, Files: len(res.Files), Bytes: res.Bytes, Tuples: res.Tuples, Events: res.Events}
	if list {
		j.Paths = res.Files
	}
	return render.JSON(w, j)
}

// Human writes res, generated under out, as a one-row table (files,
// megabytes, tuples, events); list first prints every file's path, one a
// line.
func Human(w io.Writer, out string, res loggen.Result, list bool) error {
	if list {
		for _, p := range res.Files {
			if _, err := fmt.Fprintln(w, render.Escape(p)); err != nil {
				return err
			}
		}
	}
	t := render.Table{Header: []string{"OUT", "FILES", "MB", "TUPLES", "EVENTS"}}
	t.Add(out, fmt.Sprint(len(res.Files)), fmt.Sprintf("%.1f", float64(res.Bytes)/1e6), fmt.Sprint(res.Tuples), fmt.Sprint(res.Events))
	return t.Write(w)
}
