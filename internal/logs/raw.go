package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/pathproof/pathproof/internal/event"
)

// errRawFound stops a read once RawRecords has every record it wants.
var errRawFound = errors.New("raw records found")

// RawRecord returns the raw text of record index of in, the record an
// event's Origin cites: the JSON object as Azure wrote it, a classic
// Storage Analytics line as is, or for a Log Analytics CSV row (or query
// API table row) a JSON object of its columns. It reads the input again
// with the same framing, so the index means what it meant when the events
// were loaded. Records of the VPN gateway troubleshooting files are not
// returned: one of their records spans many lines.
func RawRecord(ctx context.Context, in Input, index int) ([]byte, error) {
	got, err := RawRecords(ctx, in, map[int][]int{index: nil}, 0)
	if r, ok := got[index]; ok {
		return r.Text, nil
	}
	if err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("%s: record %d: %s", in.Name, index, NoSuchRecord)
}

// NoSuchRecord says why RawRecords did not return a record it was asked
// for while the input read well.
const NoSuchRecord = "no such record (or a text format whose records are not kept)"

// Raw is one record read again by RawRecords.
type Raw struct {
	// Text is the record as RawRecord returns it, cut to the limit asked
	// for (whole without one).
	Text []byte
	// Size is the record's whole length in bytes.
	Size int
	// Tuples are the flow tuples asked for, by tuple index (Origin.Tuple),
	// as the record holds them ("1706540000,10.0.0.4,..."): a flow log
	// record only; another record has none.
	Tuples map[int]string
}

// RawRecords reads in once and returns the records want names (record
// index → the flow tuples wanted in it, for a flow log record), each as
// RawRecord would, with the tuples picked out. limit > 0 keeps at most
// that many bytes of each record's text (a flow log record can hold
// thousands of tuples); the tuples are picked from the whole record. The
// read stops after the last record wanted. A record the input does not
// hold is absent from the map (NoSuchRecord says why, in general); when a
// record is absent because the input could not be read (to the end), the
// error names the input and says why.
func RawRecords(ctx context.Context, in Input, want map[int][]int, limit int) (map[int]Raw, error) {
	w := &rawWant{want: want, limit: limit, got: map[int]Raw{}, last: -1}
	for idx := range want {
		w.last = max(w.last, idx)
	}
	if len(want) == 0 {
		return w.got, nil
	}
	var t tally
	rd := &reader{ctx: ctx, raw: w}
	rd.out = Output{in: in, tally: &t, emit: func(*event.Event) error { return nil }, raw: w}
	err := rd.readFrom(in)
	if err != nil && !errors.Is(err, errRawFound) {
		return w.got, fmt.Errorf("%s: %w", in.Name, err)
	}
	if len(w.got) < len(want) {
		for _, s := range t.skips {
			if s.Record == -1 {
				return w.got, fmt.Errorf("%s: %s", in.Name, s.Reason)
			}
		}
	}
	return w.got, nil
}

// rawWant is RawRecords' request inside a reader: the records to keep.
type rawWant struct {
	want  map[int][]int
	limit int
	last  int // the highest index wanted
	got   map[int]Raw
}

// take keeps the record at idx when it is one wanted (its raw text, or
// for a CSV row its columns as JSON).
func (w *rawWant) take(idx int, raw []byte, cols map[string]string) {
	if _, ok := w.want[idx]; !ok {
		return
	}
	if raw == nil {
		raw, _ = json.Marshal(cols)
	}
	r := Raw{Size: len(raw), Text: bytes.Clone(raw)}
	if w.limit > 0 && len(r.Text) > w.limit {
		r.Text = bytes.Clone(raw[:w.limit])
	}
	w.got[idx] = r
}

// parse reports whether record idx must still be parsed: it is wanted
// with flow tuples, which the parser hands to tuple as it numbers them.
func (w *rawWant) parse(idx int) bool { return len(w.want[idx]) > 0 }

// tuple keeps tuple ti of record idx when it is one wanted.
func (w *rawWant) tuple(idx, ti int, text []byte) {
	r, ok := w.got[idx]
	if !ok || !slices.Contains(w.want[idx], ti) {
		return
	}
	if r.Tuples == nil {
		r.Tuples = map[int]string{}
		w.got[idx] = r
	}
	r.Tuples[ti] = string(text)
}

// finished reports whether the read can stop once record idx is done.
func (w *rawWant) finished(idx int) bool {
	return idx >= w.last || len(w.got) == len(w.want)
}
