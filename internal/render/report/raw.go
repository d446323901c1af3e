package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/textutil"
)

// Raw is one cited log record as a front end read it again from the
// evidence (ingest.RawRecords), for the report to quote.
type Raw struct {
	// Record is the record as the input holds it: the JSON object as
	// Azure wrote it, a text line, or a Log Analytics row as a JSON
	// object of its columns. Front ends read at most RawKeep bytes of it.
	Record []byte
	// Size is the record's whole length in bytes.
	Size int
	// Tuple is the flow tuple the citation names, as the record holds it
	// ("" for a record that is not a flow log record).
	Tuple string
	// Err says why the record could not be read again (Record is nil):
	// the report says so in its place.
	Err error
}

// RawQuoteMax is how much of a raw record the report shows: about 4 KiB of
// the pretty-printed text, then a "… N more bytes" line. A report is read
// and printed by people: one flow-log record holds every flow of a NIC for
// up to a minute and can run to hundreds of kilobytes, and a few of them
// quoted whole would bury the proof in pages of tuples. The tuple a
// citation names is quoted on its own line, whatever the cut, and
// `pathproof events --record` prints any record whole.
const RawQuoteMax = 4096

// RawKeep is how many bytes of each record a front end needs to read for
// the report (ingest.RawRecords' limit): enough for RawQuoteMax of
// pretty-printed text even when the record escapes every character.
const RawKeep = 64 << 10

// LogOrigins returns the origins of r's log citations, each once, in
// citation order: what a front end reads again for Input.Raw.
func LogOrigins(r *explain.Result) []event.Origin {
	var out []event.Origin
	seen := map[event.Origin]bool{}
	for _, c := range r.Citations {
		if c.Kind != "log" {
			continue
		}
		o := citeOrigin(c)
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}

// citeOrigin is the origin a log citation names.
func citeOrigin(c explain.Citation) event.Origin {
	return event.Origin{Key: c.Origin, Record: c.Record, Tuple: c.Tuple}
}

// rawView is a raw record as the report quotes it; every string is
// redacted and escaped.
type rawView struct {
	// Missing says why the record could not be read again; the rest is
	// then empty.
	Missing string
	// SameAs is the earlier citation under which the same record is
	// quoted (a flow record cited for two of its tuples); Text is then
	// empty.
	SameAs *citeRef
	// Tuple is the cited flow tuple and TupleN its index in the record.
	Tuple  string
	TupleN int
	// Text is the record, pretty-printed when it is JSON, cut after
	// about RawQuoteMax bytes; More counts the bytes of the record as
	// written that it leaves out, Size the record's length.
	Text       string
	More, Size int
	JSON       bool
}

// MoreText is the line that ends a cut record.
func (r *rawView) MoreText() string {
	if r.More <= 0 {
		return ""
	}
	return "… " + thousands(r.More) + " more bytes of this record not shown (" + thousands(r.Size) + " in all)"
}

// rawViews builds the raw quotes of r's log citations from raw, by
// citation index; nil when raw is nil (the front end read nothing again).
func rawViews(r *explain.Result, raw map[event.Origin]Raw) map[int]*rawView {
	if raw == nil {
		return nil
	}
	out := map[int]*rawView{}
	first := map[event.Origin]int{} // record (tuple 0) → first citation quoting it
	for i, c := range r.Citations {
		if c.Kind != "log" {
			continue
		}
		o := citeOrigin(c)
		got, ok := raw[o]
		rv := &rawView{TupleN: c.Tuple}
		switch {
		case !ok:
			rv.Missing = "it was not read again"
		case got.Err != nil || got.Record == nil:
			why := "no such record"
			if got.Err != nil {
				why = got.Err.Error()
			}
			rv.Missing = clean(why)
		default:
			rv.Tuple = clean(got.Tuple)
			rec := event.Origin{Key: o.Key, Record: o.Record}
			if j, seen := first[rec]; seen {
				ref := ref(j)
				rv.SameAs = &ref
				break
			}
			first[rec] = i
			rv.Text, rv.More, rv.JSON = quoteRaw(got.Record, max(got.Size, len(got.Record)), RawQuoteMax)
			rv.Size = max(got.Size, len(got.Record))
		}
		out[i] = rv
	}
	return out
}

// quoteRaw returns rec (size bytes in all, of which rec may be the first
// part) as the report shows it: JSON pretty-printed with two-space
// indents, every string redacted (redact.String) once decoded, so an
// escaped secret (sig\u003d...) is caught too; other text redacted as is.
// Control and format characters are escaped. The text stops after the
// first token (or line) that reaches max bytes; more is how many bytes of
// the record as written are left out.
func quoteRaw(rec []byte, size, limit int) (text string, more int, isJSON bool) {
	if t := bytes.TrimSpace(rec); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		if text, used, ok := prettyJSON(rec, len(rec) < size, limit); ok {
			return text, max(size-used, 0), true
		}
	}
	cut := rec
	if len(cut) > limit {
		cut = cut[:limit]
		if i := bytes.LastIndexByte(cut, '\n'); i > limit/2 {
			cut = cut[:i+1]
		}
		for len(cut) > 0 && !utf8.Valid(cut[len(cut)-min(len(cut), utf8.UTFMax):]) {
			r, n := utf8.DecodeLastRune(cut)
			if r != utf8.RuneError || n != 1 {
				break
			}
			cut = cut[:len(cut)-1]
		}
	}
	text = textutil.EscapeLines(redact.String(strings.TrimRight(string(cut), "\r\n")))
	return text, max(size-len(cut), 0), false
}

// prettyJSON pretty-prints the JSON value in rec, stopping after the token
// that takes the text past limit (a string is cut within itself). used
// is how many bytes of rec the text covers. ok is false when rec is not
// JSON; a value cut short is fine when cut says rec is only the start of
// the record.
func prettyJSON(rec []byte, cut bool, limit int) (text string, used int, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(rec))
	dec.UseNumber()
	var b strings.Builder
	type frame struct {
		object bool
		n      int  // elements (or members) written
		value  bool // an object's next token is a member's value
	}
	var stack []frame
	indent := func() {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat("  ", min(len(stack), maxIndent)))
	}
	// Every string was redacted once decoded (the record's own escapes
	// undone first), and numbers, booleans and null hold no secret.
	done := func() (string, int, bool) {
		return textutil.EscapeLines(b.String()), int(dec.InputOffset()), true
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) && len(stack) == 0 && b.Len() > 0 {
				return done()
			}
			if cut && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) && b.Len() > 0 {
				return done()
			}
			return "", 0, false
		}
		if len(stack) == 0 && b.Len() > 0 {
			return "", 0, false // a second value: not one record
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if d, isDelim := tok.(json.Delim); isDelim && (d == '}' || d == ']') {
			if top.n > 0 {
				stack = stack[:len(stack)-1]
				indent()
			} else {
				stack = stack[:len(stack)-1]
			}
			b.WriteByte(byte(d))
			if len(stack) > 0 {
				stack[len(stack)-1].value = false
			}
		} else {
			if top != nil && !top.value {
				if top.n > 0 {
					b.WriteByte(',')
				}
				top.n++
				indent()
			}
			switch v := tok.(type) {
			case json.Delim:
				b.WriteByte(byte(v))
				if top != nil {
					top.value = false
				}
				stack = append(stack, frame{object: v == '{'})
			case string:
				s := redact.String(v)
				if keep := max(limit-b.Len(), 16); len(s) > keep {
					// Cut inside the string: no closing quote, so the
					// cut shows.
					q := quoteJSON(truncRunes(s, keep))
					b.WriteString(q[:len(q)-1] + "…")
					// used: up to the last byte shown (exact when the
					// string has no escapes), not its closing quote.
					return textutil.EscapeLines(b.String()), int(dec.InputOffset()) - 1 - (len(s) - keep), true
				}
				b.WriteString(quoteJSON(s))
				if top != nil && top.object && !top.value {
					b.WriteString(": ")
					top.value = true
				} else if top != nil {
					top.value = false
				}
			default:
				sc := scalar(v)
				if keep := max(limit-b.Len(), 16); len(sc) > keep {
					b.WriteString(sc[:keep] + "…") // a number of thousands of digits
					return textutil.EscapeLines(b.String()), int(dec.InputOffset()) - (len(sc) - keep), true
				}
				b.WriteString(sc)
				if top != nil {
					top.value = false
				}
			}
		}
		// Cut once past the limit, but never between a key and its value.
		if b.Len() >= limit && len(stack) > 0 && !stack[len(stack)-1].value {
			return done()
		}
	}
}

// maxIndent is the deepest nesting shown indented; deeper values line up
// with it, so the indents of a hostile record cannot outgrow the cut.
const maxIndent = 40

// scalar writes a JSON number, boolean or null token.
func scalar(v any) string {
	switch v := v.(type) {
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	}
	return ""
}

// quoteJSON writes s as a JSON string: quotes, backslashes and control
// characters escaped, everything else as is (so "&" stays "&" and a
// redacted value reads REDACTED).
func quoteJSON(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\u00`)
			b.WriteString(strconv.FormatInt(int64(r)>>4, 16))
			b.WriteString(strconv.FormatInt(int64(r)&15, 16))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// truncRunes cuts s to at most n bytes on a rune boundary.
func truncRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// thousands writes n with comma thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
