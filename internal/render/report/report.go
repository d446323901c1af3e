// Package report writes an explanation (explain.Result) as a proof a person
// can read and forward: a self-contained HTML page (inline CSS and SVG, no
// external reference of any kind, a Content-Security-Policy that forbids
// every load, prints on paper) or Markdown that reads cleanly as plain
// text. Both show the verdict sentence, the path diagram, a table per hop of
// what was expected and what was seen, the quoted records, what was not
// seen and why that matters, the findings with their fixes, the window and
// the inputs. Each log citation quotes the one-line summary and, when the
// front end read it again (Input.Raw), the record as Azure wrote it.
//
// Every string from the Result and every raw record is untrusted (it comes from logs, captures
// and topology names): it is redacted (redact.String: SAS tokens, keys),
// control characters are made visible (textutil.Escape), and each format
// escapes it for its own syntax (html/template; Markdown backslashes and
// fences longer than any backtick run in the text).
package report

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/trace"
)

// Input is what a report shows.
type Input struct {
	// Result is the explanation.
	Result *explain.Result
	// Trace is the simulated path the explanation laid the evidence over;
	// nil without a topology (the diagram then draws the inferred hops).
	Trace *trace.Result
	// Generated is when the report was written; zero leaves it out.
	Generated time.Time
	// Command is the command line that produced the result, already
	// redacted by the caller or not: the report redacts it again. Empty
	// leaves it out.
	Command string
	// Raw are the log records the citations name, read again from the
	// evidence by the front end (LogOrigins lists them; ingest.RawRecords
	// reads them, at most RawKeep bytes each), by origin. The report
	// quotes each beside its one-line summary, or says why it could not
	// be read. Nil: nothing was read again, and the report says how to
	// print a record.
	Raw map[event.Origin]Raw
}

// Format is a report format.
type Format string

// Report formats.
const (
	FormatHTML     Format = "html"
	FormatMarkdown Format = "md"
)

// FormatError is returned for a report file whose extension names no
// format; front ends treat it as a usage error.
type FormatError struct{ Path string }

func (e *FormatError) Error() string {
	return fmt.Sprintf("report %s: the extension must be .html (or .htm) or .md (or .markdown)", e.Path)
}

// FormatOf returns the format a report file's extension asks for.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		return FormatHTML, nil
	case ".md", ".markdown":
		return FormatMarkdown, nil
	}
	return "", &FormatError{Path: path}
}

// Write writes in in format f.
func Write(w io.Writer, f Format, in Input) error {
	switch f {
	case FormatHTML:
		return HTML(w, in)
	case FormatMarkdown:
		return Markdown(w, in)
	}
	return fmt.Errorf("report: unknown format %q", f)
}

// WriteFile writes the report to path in the format its extension names.
// The file appears complete or not at all (written beside it, then
// renamed).
func WriteFile(path string, in Input) error {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	bw := bufio.NewWriter(tmp)
	if err := Write(bw, f, in); err != nil {
		tmp.Close()
		return fmt.Errorf("report %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("report %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("report %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	return nil
}
