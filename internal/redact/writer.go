package redact

import "io"

// Writer passes everything written to it through Args before it reaches
// the underlying writer, so nothing a command prints on a stream (warnings,
// skip summaries, progress, server logs) can echo a location's secret,
// whichever layer wrote the text. Each Write is redacted as a whole and
// written at once (progress lines that redraw with '\r' stay live): a
// location must not be split across two writes, which fmt's printers never
// do with one argument.
type Writer struct {
	w    io.Writer
	args []string
}

// NewWriter returns a Writer that redacts the locations among args (as
// Args does) in what is written to w.
func NewWriter(w io.Writer, args []string) *Writer {
	return &Writer{w: w, args: args}
}

// Write writes p, redacted. It reports len(p) written unless the
// underlying writer fails.
func (rw *Writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(rw.w, Args(string(p), rw.args)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Fd returns the underlying writer's file descriptor when it has one, so a
// terminal check sees through the Writer; ^uintptr(0) otherwise.
func (rw *Writer) Fd() uintptr {
	if f, ok := rw.w.(interface{ Fd() uintptr }); ok {
		return f.Fd()
	}
	return ^uintptr(0)
}
