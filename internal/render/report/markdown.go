package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Markdown writes in as Markdown that reads cleanly as plain text: the
// verdict first, tables for the hops, the path as a Mermaid block (drawn by
// GitHub and GitLab, readable as text elsewhere), the quoted records in
// fenced blocks.
func Markdown(w io.Writer, in Input) error {
	v, err := newView(in)
	if err != nil {
		return err
	}
	mm, err := mermaid(in)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	m := &mdWriter{w: bw}
	m.head(v)
	m.path(v, mm)
	m.hops(v)
	m.unseen(v)
	m.reasoning(v)
	m.findings(v)
	m.citations(v)
	m.inputs(v)
	m.line("---")
	m.line("")
	foot := "Written by pathproof explain"
	if v.Generated != "" {
		foot += " at " + v.Generated
	}
	m.line(md(foot) + ". Citation numbers are the indexes of `citations` in `pathproof explain -o json`.")
	if v.Command != "" {
		m.line("")
		m.line("Command: " + code(v.Command))
	}
	return bw.Flush()
}

// mdWriter writes lines; it writes to a bufio.Writer, whose Flush reports
// the first error.
type mdWriter struct{ w *bufio.Writer }

func (m *mdWriter) line(s string) {
	m.w.WriteString(s)
	m.w.WriteByte('\n')
}

func (m *mdWriter) linef(format string, a ...any) { m.line(fmt.Sprintf(format, a...)) }

func (m *mdWriter) heading(level int, s string) {
	m.line(strings.Repeat("#", level) + " " + s)
	m.line("")
}

func (m *mdWriter) head(v *view) {
	m.heading(1, "pathproof proof: "+md(v.Title))
	verdict := "**Verdict: " + md(v.Verdict) + "**"
	if v.At != "" {
		verdict += " at " + code(v.At)
	}
	verdict += " · confidence **" + md(v.Confidence) + "**"
	m.line(verdict)
	m.line("")
	m.line("> " + md(v.Summary))
	m.line("")
	if v.Answer != "" {
		m.line("**The answer:** " + md(v.Answer) + citeList(v.AnswerCites))
		m.line("")
	}
	if v.RetryAfter != "" {
		m.line("**Look again after** " + md(v.RetryAfter) + ": the logs that decide may still be landing.")
		m.line("")
	}
	if v.Meaning != "" {
		m.line("What this verdict means: " + v.Meaning) // the codes registry's own Markdown
		m.line("")
	}
	m.heading(2, "The question")
	m.kv(v.Query)
}

// kv writes label/value rows as a two-column table.
func (m *mdWriter) kv(rows []row) {
	if len(rows) == 0 {
		return
	}
	m.line("| | |")
	m.line("|---|---|")
	for _, r := range rows {
		val := md(r.Value)
		if r.Code {
			val = code(r.Value)
		}
		m.linef("| %s | %s |", cell(md(r.Label)), cell(val))
	}
	m.line("")
}

func (m *mdWriter) path(v *view, mm string) {
	m.heading(2, "The path")
	if mm == "" {
		m.line("No hop can be drawn: nothing in the window places the flow anywhere.")
		m.line("")
		return
	}
	if v.PathInferred {
		m.line("**No topology was given: the path is inferred from where the evidence appeared,** not simulated.")
	} else if v.FromTrace {
		m.line("The path the simulation expects (the hop tables below say what the evidence saw at each hop).")
	} else {
		m.line("The hops as the explanation lists them (the hop tables below say what the evidence saw at each hop).")
	}
	m.line("")
	for _, l := range v.PathLine {
		m.line("    " + l)
	}
	if len(v.PathLine) > 0 {
		m.line("")
	}
	if mm != "" {
		f := fence(mm)
		m.line(f + "mermaid")
		m.w.WriteString(mm)
		if !strings.HasSuffix(mm, "\n") {
			m.line("")
		}
		m.line(f)
		m.line("")
	}
}

func (m *mdWriter) hops(v *view) {
	m.heading(2, "Hops: expected and seen")
	if len(v.Hops) == 0 {
		m.line("No hops: the window holds no evidence that places the flow, and no topology was given.")
		m.line("")
		return
	}
	m.line("| # | hop | leg | role | status | seen |")
	m.line("|---|---|---|---|---|---|")
	for _, h := range v.Hops {
		m.linef("| %d | %s | %s | %s | %s | %s |", h.N, cell(code(h.Hop)), cell(md(h.Leg)), cell(md(h.Role)), cell(md(h.Status)), cell(md(h.Seen)))
	}
	m.line("")
	for _, h := range v.Hops {
		t := fmt.Sprintf("%d. %s · %s", h.N, code(h.Hop), md(h.Leg))
		if h.Role != "" {
			t += " · " + md(h.Role)
		}
		m.heading(3, t+" · "+md(h.Status))
		rows := []row{{Label: "Expected", Value: h.Expected}, {Label: "Seen", Value: h.Seen}}
		if h.Packet != "" {
			rows = append(rows, row{Label: "Packet at this hop", Value: h.Packet, Code: true})
		}
		m.kv(rows)
		if len(h.Evidence) == 0 {
			m.line("No record speaks for this hop.")
			m.line("")
			continue
		}
		m.line("| time | source | verdict | rule | what it shows | record |")
		m.line("|---|---|---|---|---|---|")
		for _, e := range h.Evidence {
			m.linef("| %s | %s | %s | %s | %s | %s |", cell(md(e.Time)), cell(md(e.Source)), cell(md(e.Verdict)), cell(md(e.Rule)), cell(md(e.Says)), cell(e.Cite.Label))
		}
		m.line("")
	}
}

func (m *mdWriter) unseen(v *view) {
	if len(v.Unseen) == 0 {
		return
	}
	m.heading(2, "Not seen, and why that matters")
	for _, u := range v.Unseen {
		m.linef("- %s (%s, **%s**). Expected: %s. %s", code(u.Hop), md(u.Leg), md(u.Status), md(u.Expected), md(u.Why))
	}
	m.line("")
}

func (m *mdWriter) reasoning(v *view) {
	if len(v.Reasoning) == 0 {
		return
	}
	m.heading(2, "Reasoning")
	for i, s := range v.Reasoning {
		m.linef("%d. %s%s", i+1, md(s.Text), citeList(s.Cites))
	}
	m.line("")
}

func (m *mdWriter) findings(v *view) {
	m.heading(2, "Findings")
	if len(v.Findings) == 0 {
		m.line("No findings.")
		m.line("")
		return
	}
	for _, f := range v.Findings {
		m.linef("- **%s** %s: %s", md(f.Severity), code(f.Code), md(f.Message))
		if f.Fix != "" {
			m.line("")
			m.line("  **Fix:** " + md(f.Fix))
		}
		if len(f.Cites) > 0 {
			m.line("")
			m.line("  Rests on" + citeList(f.Cites) + ".")
		}
		m.line("")
	}
}

func (m *mdWriter) citations(v *view) {
	m.heading(2, "Citations: the records quoted")
	if len(v.Citations) == 0 {
		m.line("No records cited.")
		m.line("")
		return
	}
	if v.RawHint {
		m.line("A log record is cited as `KEY#RECORD.TUPLE`; `pathproof events --logs SOURCE --record KEY#RECORD.TUPLE` prints it as Azure wrote it.")
		m.line("")
	}
	if v.RawRead {
		m.line("Each log citation quotes pathproof's one-line summary of the record, then the record as Azure wrote it, read again from its input: JSON pretty-printed, secrets (SAS signatures, keys, passwords) replaced by `REDACTED`, cut after about " + v.RawMax + " because one flow-log record can hold every flow of a NIC for a minute; the flow tuple a citation names is quoted on its own line. `pathproof events --logs SOURCE --record KEY#RECORD.TUPLE` prints a record whole.")
		m.line("")
	}
	for _, c := range v.Citations {
		head := "**" + c.Ref.Label + "** " + md(c.Kind)
		if c.Origin != "" {
			head += " · " + code(c.Origin)
		}
		if c.Time != "" {
			head += " · " + md(c.Time)
		}
		m.line(head)
		m.line("")
		m.block("", c.Quote)
		if c.Raw != nil {
			m.raw(c.Raw)
		}
	}
}

// block writes text in a fenced code block (info: its language, or "").
func (m *mdWriter) block(info, text string) {
	f := fence(text)
	m.line(f + info)
	m.line(text)
	m.line(f)
	m.line("")
}

// raw writes a citation's record as Azure wrote it, or why it is missing.
func (m *mdWriter) raw(r *rawView) {
	if r.Missing != "" {
		m.line("The record as Azure wrote it could not be read again: " + md(r.Missing))
		m.line("")
		return
	}
	if r.Tuple != "" {
		m.linef("Flow tuple %d of the record, the one cited: %s", r.TupleN, code(r.Tuple))
		m.line("")
	}
	if r.SameAs != nil {
		m.line("The record as Azure wrote it is quoted under " + r.SameAs.Label + ".")
		m.line("")
		return
	}
	info, how := "", ":"
	if r.JSON {
		info, how = "json", ", pretty-printed:"
	}
	m.line("The record as Azure wrote it" + how)
	m.line("")
	m.block(info, r.Text)
	if more := r.MoreText(); more != "" {
		m.line(md(more))
		m.line("")
	}
}

func (m *mdWriter) inputs(v *view) {
	m.heading(2, "Window and inputs")
	m.kv(append(append([]row{}, v.Window...), v.Inputs...))
	if len(v.Skipped) == 0 {
		return
	}
	m.line("| skipped input | where | code | reason |")
	m.line("|---|---|---|---|")
	for _, s := range v.Skipped {
		m.linef("| %s | %s | %s | %s |", cell(code(s.Origin)), cell(md(s.Where)), cell(code(s.Code)), cell(md(s.Reason)))
	}
	m.line("")
	if v.SkippedOut > 0 {
		m.linef("and %d more skipped records.", v.SkippedOut)
		m.line("")
	}
}

// citeList is " [1] [4]" for a claim's citations.
func citeList(refs []citeRef) string {
	var b strings.Builder
	for _, r := range refs {
		b.WriteString(" " + r.Label) // ours: a link only with a definition, and there is none
	}
	return b.String()
}

// mdSpecial are the characters that could start Markdown or HTML syntax
// inside a line of text.
const mdSpecial = "\\`*_[]<>|#~"

// md escapes text for a Markdown paragraph: every character that could
// start emphasis, a link, a code span, a table cell or an HTML tag is
// backslash-escaped, so it reads as plain text and is inert when rendered.
// An underscore between two letters or digits (a_b) cannot delimit
// emphasis and stays as it is, so names keep reading cleanly.
func md(s string) string {
	if !strings.ContainsAny(s, mdSpecial) {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if strings.ContainsRune(mdSpecial, r) && (r != '_' || i == 0 || i == len(rs)-1 || !alnum(rs[i-1]) || !alnum(rs[i+1])) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func alnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// cell makes an already escaped string safe in a table cell: GFM splits
// cells at every pipe not preceded by a backslash, inside code spans too,
// so each such pipe gets one (md has already escaped those outside code).
func cell(s string) string {
	if !strings.Contains(s, "|") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && (i == 0 || s[i-1] != '\\') {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// code writes s as a code span, with a delimiter longer than any run of
// backticks inside it; a pipe inside is left for cell to escape.
func code(s string) string {
	if s == "" {
		return ""
	}
	d := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return d + " " + s + " " + d
	}
	return d + s + d
}

// fence is a code fence longer than any backtick run in s (at least three).
func fence(s string) string {
	return strings.Repeat("`", max(3, longestRun(s, '`')+1))
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}
