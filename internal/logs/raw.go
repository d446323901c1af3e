package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pathproof/pathproof/internal/event"
)

// errRawFound stops a read once RawRecord has its record.
var errRawFound = errors.New("raw record found")

// RawRecord returns the raw text of record index of in, the record an
// event's Origin cites: the JSON object as Azure wrote it, or for a Log
// Analytics CSV row (or query API table row) a JSON object of its columns.
// It reads the input again with the same framing, so the index means what
// it meant when the events were loaded. Records of the line-oriented text
// formats (Storage Analytics) are not returned: their events carry every
// field.
func RawRecord(ctx context.Context, in Input, index int) ([]byte, error) {
	if index < 0 {
		return nil, fmt.Errorf("%s: record %d: no such record", in.Name, index)
	}
	var t tally
	rd := &reader{ctx: ctx, raw: &rawWant{index: index}}
	rd.out = Output{in: in, tally: &t, emit: func(*event.Event) error { return nil }}
	err := rd.readFrom(in)
	if w := rd.raw; w.got != nil {
		return w.got, nil
	}
	if err != nil && !errors.Is(err, errRawFound) {
		return nil, err
	}
	for _, s := range t.skips {
		if s.Record == -1 {
			return nil, fmt.Errorf("%s: %s", in.Name, s.Reason)
		}
	}
	return nil, fmt.Errorf("%s: record %d: no such record (or a text format whose records are not kept)", in.Name, index)
}

// rawWant is RawRecord's request inside a reader: the record to keep.
type rawWant struct {
	index int
	got   []byte
}

// take keeps the record at idx when it is the one wanted and says whether
// the read can stop.
func (w *rawWant) take(idx int, raw []byte, cols map[string]string) bool {
	if idx != w.index {
		return false
	}
	if raw != nil {
		w.got = bytes.Clone(raw)
	} else {
		w.got, _ = json.Marshal(cols)
	}
	return true
}
