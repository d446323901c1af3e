package logs

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/textutil"
)

// MaxSkipDetails is how many skips a Report keeps in detail; every skip is
// still counted by code.
const MaxSkipDetails = 1000

// Skip describes one item the reader left out.
type Skip struct {
	// Name is the input's Name (path or blob URL without query).
	Name string `json:"name"`
	// Record is the 0-based record index in the input (-1 when the whole
	// input was skipped).
	Record int `json:"record"`
	// Tuple is the 0-based flow tuple index inside the record, -1 when the
	// skip is not about one tuple.
	Tuple int `json:"tuple"`
	// Code is the stable skip code (logs.bad-tuple, logs.truncated, ...).
	Code string `json:"code"`
	// Reason says what was wrong, in one line.
	Reason string `json:"reason"`
}

// String formats the skip as "name record R tuple T: code: reason".
func (s Skip) String() string {
	where := s.Name
	if s.Record >= 0 {
		where += fmt.Sprintf(" record %d", s.Record)
	}
	if s.Tuple >= 0 {
		where += fmt.Sprintf(" tuple %d", s.Tuple)
	}
	return fmt.Sprintf("%s: %s: %s", where, s.Code, s.Reason)
}

// Count is the tally for one source and category.
type Count struct {
	Source   event.Source `json:"source"`
	Category string       `json:"category"`
	Records  int64        `json:"records"`
	Events   int64        `json:"events"`
}

type countKey struct {
	src event.Source
	cat string
}

// Report tallies what a read produced and skipped. Its methods are safe for
// concurrent use; the zero value is ready.
type Report struct {
	mu      sync.Mutex
	inputs  int
	counts  map[countKey]*Count
	skips   []Skip
	byCode  map[string]int
	skipped int
	newest  time.Time
}

// tally is a per-input Report that needs no lock; merged at the end.
type tally struct {
	counts map[countKey]*Count
	skips  []Skip
	byCode map[string]int
	total  int
	newest time.Time // newest event time emitted (ReadAll sets it)
}

func (t *tally) count(src event.Source, cat string, records, events int64) {
	if t.counts == nil {
		t.counts = map[countKey]*Count{}
	}
	k := countKey{src, cat}
	c := t.counts[k]
	if c == nil {
		c = &Count{Source: src, Category: cat}
		t.counts[k] = c
	}
	c.Records += records
	c.Events += events
}

func (t *tally) skip(s Skip) {
	if t.byCode == nil {
		t.byCode = map[string]int{}
	}
	t.byCode[s.Code]++
	t.total++
	if len(t.skips) < MaxSkipDetails {
		t.skips = append(t.skips, s)
	}
}

// merge adds one input's tally.
func (r *Report) merge(t *tally) {
	r.add(t)
	r.mu.Lock()
	r.inputs++
	r.mu.Unlock()
}

func (r *Report) add(t *tally) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.counts == nil {
		r.counts = map[countKey]*Count{}
	}
	for k, c := range t.counts {
		if have := r.counts[k]; have != nil {
			have.Records += c.Records
			have.Events += c.Events
		} else {
			cc := *c
			r.counts[k] = &cc
		}
	}
	if r.byCode == nil {
		r.byCode = map[string]int{}
	}
	for code, n := range t.byCode {
		r.byCode[code] += n
	}
	r.skipped += t.total
	if t.newest.After(r.newest) {
		r.newest = t.newest
	}
	room := MaxSkipDetails - len(r.skips)
	if room > 0 {
		r.skips = append(r.skips, t.skips[:min(room, len(t.skips))]...)
	}
}

// AddSkip records a skip from outside a read (an input that could not be
// opened, a blob that could not be listed).
func (r *Report) AddSkip(s Skip) {
	var t tally
	t.skip(s)
	r.add(&t)
}

// Inputs returns how many inputs were read.
func (r *Report) Inputs() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.inputs
}

// Newest returns the time of the newest event ReadAll read, kept or not
// (see Options.NewKeep); zero when there was none.
func (r *Report) Newest() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.newest
}

// Skipped returns how many items were skipped in all.
func (r *Report) Skipped() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.skipped
}

// Skips returns the skips kept in detail (at most MaxSkipDetails), sorted
// by input name, record and tuple, so output does not depend on which input
// finished first.
func (r *Report) Skips() []Skip {
	r.mu.Lock()
	out := append([]Skip(nil), r.skips...)
	r.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Record != b.Record {
			return a.Record < b.Record
		}
		return a.Tuple < b.Tuple
	})
	return out
}

// SkipsByCode returns the number of skips per code.
func (r *Report) SkipsByCode() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.byCode))
	for k, v := range r.byCode {
		out[k] = v
	}
	return out
}

// Counts returns the per source and category tallies, sorted.
func (r *Report) Counts() []Count {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Count, 0, len(r.counts))
	for _, c := range r.counts {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Source != out[j].Source {
			return out[i].Source < out[j].Source
		}
		return out[i].Category < out[j].Category
	})
	return out
}

// Events returns the total number of events produced.
func (r *Report) Events() int64 {
	var n int64
	for _, c := range r.Counts() {
		n += c.Events
	}
	return n
}

// WriteSummary writes the stderr summary of the skips: nothing when nothing
// was skipped, else the first max skips (file, record and tuple index, code,
// reason, with control characters escaped), how many more there were, and
// the count per code.
func (r *Report) WriteSummary(w io.Writer, max int) error {
	skips := r.Skips()
	r.mu.Lock()
	total := r.skipped
	byCode := make(map[string]int, len(r.byCode))
	codes := make([]string, 0, len(r.byCode))
	for c, n := range r.byCode {
		byCode[c] = n
		codes = append(codes, c)
	}
	r.mu.Unlock()
	if total == 0 {
		return nil
	}
	sort.Strings(codes)
	var b strings.Builder
	fmt.Fprintf(&b, "skipped %d item(s) while reading logs:\n", total)
	shown := 0
	for _, s := range skips {
		if shown >= max {
			break
		}
		fmt.Fprintf(&b, "  %s\n", textutil.Escape(s.String()))
		shown++
	}
	if total > shown {
		fmt.Fprintf(&b, "  ... and %d more\n", total-shown)
	}
	for _, c := range codes {
		fmt.Fprintf(&b, "  %-22s %d\n", c, byCode[c])
	}
	_, err := io.WriteString(w, b.String())
	return err
}
