// Package explainrender prints an explain.Result: the human report (the
// verdict sentence first, then each hop with what was expected and what was
// seen, the findings with their fixes, the citations every claim points
// at, the skipped input) and JSON. The report (Markdown, HTML), the web UI
// and the MCP server render the same Result.
package explainrender

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/render"
)

// Formats are the machine formats Write accepts besides the human "table".
var Formats = []string{"json"}

// Write writes res in format: "json", or the human report for any other
// value ("table").
func Write(w io.Writer, format string, res *explain.Result) error {
	if format == "json" {
		return render.JSON(w, res)
	}
	return Text(w, res)
}

// Headline is the verdict as a short upper-case word with the hop and the
// confidence: "DROPPED at nic:api-nic (high confidence)".
func Headline(res *explain.Result) string {
	word := strings.ToUpper(strings.ReplaceAll(res.Verdict, "-", " "))
	s := word
	if res.At != "" {
		s += " at " + render.Escape(res.At)
	}
	return s + " (" + res.Confidence + " confidence)"
}

// windowBasis says in words how the window was chosen.
var windowBasis = map[string]string{
	"at":          "±10 minutes around --at",
	"range":       "--since/--until",
	"newest-hour": "the newest hour of the evidence",
	"empty":       "no evidence at all",
}

const timeLayout = "2006-01-02T15:04:05Z"

// Text writes the human report.
func Text(w io.Writer, res *explain.Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n", Headline(res), render.Escape(res.Summary))
	q := res.Query
	to := q.To
	if q.FQDN != "" && q.DstIP.IsValid() {
		to += " (" + q.DstIP.String() + ")"
	}
	path := "simulated from the topology"
	if res.PathInferred {
		path = "inferred from where the evidence appears (no topology)"
	}
	from := q.Source
	if q.SrcIP.IsValid() && q.SrcIP.String() != from {
		from += " (" + q.SrcIP.String() + ")"
	}
	fmt.Fprintf(&b, "\nflow:   %s %s → %s\n", q.Protocol, render.Escape(from), render.Escape(to))
	fmt.Fprintf(&b, "window: %s – %s (%s)\n", res.Window.Since.UTC().Format(timeLayout), res.Window.Until.UTC().Format(timeLayout), windowBasis[res.Window.Basis])
	fmt.Fprintf(&b, "path:   %s\n", path)
	if !res.RetryAfter.IsZero() {
		fmt.Fprintf(&b, "look again after %s\n", res.RetryAfter.UTC().Format(time.RFC3339))
	}
	if a := res.Answer; a != nil {
		fmt.Fprintf(&b, "answer: %s%s\n", render.Escape(a.Text), cites(a.Citations))
	}

	b.WriteString("\nHOPS\n")
	t := render.Table{Header: []string{"#", "LEG", "HOP", "ROLE", "STATUS"}}
	for i, h := range res.Hops {
		t.Add(strconv.Itoa(i+1), h.Leg, h.Hop, h.Role, h.Status)
	}
	if err := t.Write(&b); err != nil {
		return err
	}
	for i, h := range res.Hops {
		fmt.Fprintf(&b, "\n%d. %s  %s\n", i+1, render.Escape(h.Hop), strings.ToUpper(h.Status))
		fmt.Fprintf(&b, "   expected: %s\n", render.Escape(h.Expected))
		fmt.Fprintf(&b, "   seen:     %s\n", render.Escape(h.Seen))
		for _, e := range h.Evidence {
			when := ""
			if !e.Time.IsZero() {
				when = e.Time.UTC().Format("15:04:05.000") + " "
			}
			fmt.Fprintf(&b, "     [%d] %s%s\n", e.Citation, when, render.Escape(e.Says))
		}
	}

	if len(res.Findings) > 0 {
		b.WriteString("\nFINDINGS\n")
		for _, f := range res.Findings {
			fmt.Fprintf(&b, "  %s %s: %s%s\n", strings.ToUpper(f.Severity), f.Code, render.Escape(f.Message), cites(f.Citations))
			if f.Fix != "" {
				fmt.Fprintf(&b, "    fix: %s\n", render.Escape(f.Fix))
			}
		}
	}

	if len(res.Reasoning) > 0 {
		b.WriteString("\nREASONING\n")
		for i, s := range res.Reasoning {
			fmt.Fprintf(&b, "  %d. %s%s\n", i+1, render.Escape(s.Text), cites(s.Citations))
		}
	}

	if len(res.Citations) > 0 {
		b.WriteString("\nCITATIONS\n")
		for i, c := range res.Citations {
			fmt.Fprintf(&b, "  [%d] %s\n      %s\n", i, render.Escape(Origin(c)), render.Escape(c.Quote))
		}
	}

	if in := res.Inputs; in.SkippedTotal > 0 {
		fmt.Fprintf(&b, "\nSKIPPED (%d record(s) could not be read; the verdict stands on the rest)\n", in.SkippedTotal)
		for _, s := range in.Skipped {
			where := s.Origin
			if s.Record >= 0 {
				where += "#" + strconv.Itoa(s.Record)
			}
			fmt.Fprintf(&b, "  %s [%s] %s\n", render.Escape(where), s.Code, render.Escape(s.Reason))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Origin cites a citation's source as `events` prints it: key#record.tuple
// for a log (what `pathproof events --record` takes), "file connection N"
// for a capture, the kind otherwise. The proof report cites the same way.
func Origin(c explain.Citation) string {
	switch c.Kind {
	case "log":
		s := c.Origin + "#" + strconv.Itoa(c.Record)
		if c.Tuple > 0 {
			s += "." + strconv.Itoa(c.Tuple)
		}
		return s
	case "capture":
		return c.Origin + " connection " + strconv.Itoa(c.Record+1)
	}
	return c.Origin
}

func cites(cs []int) string {
	if len(cs) == 0 {
		return ""
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = strconv.Itoa(c)
	}
	return " [" + strings.Join(parts, ",") + "]"
}
