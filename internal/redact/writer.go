package redact

import (
	"bytes"
	"io"
	"sync"
)

// Writer passes every line written to it through Args before it reaches
// the underlying writer, so nothing a command prints on a stream (warnings,
// skip summaries, progress, server logs) can echo a location's secret,
// whichever layer wrote the text. A line ends at '\n' or '\r' (progress
// lines redraw with '\r'); Flush writes a last unfinished line. It is safe
// for concurrent use (servers log from several goroutines).
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	args []string
	buf  []byte
}

// NewWriter returns a Writer that redacts the locations among args (as
// Args does) in what is written to w.
func NewWriter(w io.Writer, args []string) *Writer {
	return &Writer{w: w, args: args}
}

// Write buffers p and writes each complete line, redacted. It reports
// len(p) written unless the underlying writer fails.
func (rw *Writer) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.buf = append(rw.buf, p...)
	for {
		i := bytes.IndexAny(rw.buf, "\n\r")
		if i < 0 {
			break
		}
		if err := rw.emit(rw.buf[:i+1]); err != nil {
			rw.buf = rw.buf[i+1:]
			return 0, err
		}
		rw.buf = rw.buf[i+1:]
	}
	if len(rw.buf) == 0 {
		rw.buf = nil
	}
	return len(p), nil
}

// Flush writes what is left of an unfinished line.
func (rw *Writer) Flush() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if len(rw.buf) == 0 {
		return nil
	}
	err := rw.emit(rw.buf)
	rw.buf = nil
	return err
}

// Fd returns the underlying writer's file descriptor when it has one, so a
// terminal check sees through the Writer; ^uintptr(0) otherwise.
func (rw *Writer) Fd() uintptr {
	if f, ok := rw.w.(interface{ Fd() uintptr }); ok {
		return f.Fd()
	}
	return ^uintptr(0)
}

func (rw *Writer) emit(line []byte) error {
	_, err := io.WriteString(rw.w, Args(string(line), rw.args))
	return err
}
