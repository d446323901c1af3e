package blob

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Progress prints listing and download progress on one terminal line. A
// nil *Progress prints nothing; the CLI makes one only when stderr is a
// terminal.
type Progress struct {
	mu       sync.Mutex
	w        io.Writer
	total    int
	finished int
	bytes    int64
	last     time.Time
	closed   bool
}

// NewProgress returns a Progress writing to w.
func NewProgress(w io.Writer) *Progress { return &Progress{w: w} }

func (p *Progress) listed(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total += n
	p.print(false)
}

func (p *Progress) done(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished++
	p.bytes += n
	if p.finished == p.total {
		// Every listed blob is read: end the line so later output starts clean.
		p.print(true)
		fmt.Fprintln(p.w)
		p.closed = true
		return
	}
	p.print(false)
}

// print writes the line at most ten times a second, and always when final.
func (p *Progress) print(final bool) {
	if p.closed || (!final && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\rblobs: %d/%d read, %.1f MB ", p.finished, p.total, float64(p.bytes)/1e6)
}

// Finish ends the progress line.
func (p *Progress) Finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed && !p.last.IsZero() {
		p.print(true)
		fmt.Fprintln(p.w)
	}
	p.closed = true
}
