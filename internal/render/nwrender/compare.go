package nwrender

import (
	"fmt"
	"io"

	"github.com/pathproof/pathproof/internal/effective"
	"github.com/pathproof/pathproof/internal/render"
)

// Comparison writes how a NIC's effective routes or rules computed by
// pathproof compare with Azure's: a summary line, one row per difference
// (code, what, Azure's value, pathproof's), and the notes.
func Comparison(w io.Writer, format string, res *effective.Result) error {
	if format == "json" {
		return render.JSON(w, res)
	}
	fmt.Fprintf(w, "Effective %s of %s compared with Azure's\n", res.Kind, render.Escape(res.NIC))
	fmt.Fprintf(w, "Azure lists %d, pathproof %d: %d agree, %d differ\n", res.Azure, res.Pathproof, res.Agree, len(res.Findings))
	if len(res.Findings) > 0 {
		fmt.Fprintln(w)
		tb := render.Table{Header: []string{"CODE", "WHAT", "AZURE", "PATHPROOF"}}
		for _, f := range res.Findings {
			tb.Add(f.Code, f.What, render.OrDash(f.Azure), render.OrDash(f.Pathproof))
		}
		if err := tb.Write(w); err != nil {
			return err
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", render.Escape(n))
	}
	return nil
}
