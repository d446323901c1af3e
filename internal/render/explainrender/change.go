package explainrender

import (
	"fmt"
	"io"
	"time"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/render"
)

// Change is one line of `explain --follow -o jsonl`: the new result
// (exactly the `explain -o json` document) with the change it brought.
type Change struct {
	// Change counts the verdicts printed, from 1.
	Change int `json:"change"`
	// Previous is the verdict before (Result.VerdictKey; "" for the first).
	Previous string          `json:"previous"`
	Result   *explain.Result `json:"result"`
}

// WriteChange writes c in format: one JSON line for "jsonl"; otherwise a
// heading with the time at and the change ("== 10:04:05  (start) →
// dropped at nic:api-nic"), then the result as Write writes it and a
// blank line.
func WriteChange(w io.Writer, format string, c Change, at time.Time) error {
	if format == "jsonl" {
		return render.NewJSONLines(w).Write(c)
	}
	prev := c.Previous
	if prev == "" {
		prev = "(start)"
	}
	fmt.Fprintf(w, "== %s  %s → %s\n", at.UTC().Format(time.TimeOnly), render.Escape(prev), render.Escape(c.Result.VerdictKey()))
	if err := Write(w, format, c.Result); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}
