package follow

import (
	"fmt"
	"io"
	"time"

	"github.com/pathproof/pathproof/internal/textutil"
)

// Stats count what a follower read.
type Stats struct {
	// Records and Events are the records read and the events kept.
	Records, Events int64
	// Bytes are the blob bytes downloaded (listings and block lists not
	// counted); Requests the block-list and ranged-read requests, Lists the
	// listing rounds; Conflicts the ranged reads a commit overtook (read
	// again).
	Bytes                      int64
	Requests, Lists, Conflicts int64
	// Checkpoints is how many checkpoints were written.
	Checkpoints int64
	// Lag is how long after its commit the newest part read was emitted.
	Lag time.Duration
}

// progress prints one line about every second on a terminal: records
// read and their rate, and how far behind the newest commit the follower
// is.
type progress struct {
	w       io.Writer
	last    time.Time
	records int64
	shown   bool
}

func (p *progress) print(s *Stats, final bool) {
	if p == nil {
		return
	}
	now := time.Now()
	if !final && now.Sub(p.last) < time.Second {
		return
	}
	rate := 0.0
	if !p.last.IsZero() {
		rate = float64(s.Records-p.records) / now.Sub(p.last).Seconds()
	}
	p.last, p.records, p.shown = now, s.Records, true
	fmt.Fprintf(p.w, "\rfollowing: %d records (%.0f/s), %d events, %s downloaded, newest commit read %s after it landed ",
		s.Records, rate, s.Events, textutil.Size(s.Bytes), s.Lag.Round(100*time.Millisecond))
}

func (p *progress) finish(s *Stats) {
	if p == nil || !p.shown {
		return
	}
	p.print(s, true)
	fmt.Fprintln(p.w)
}
