package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

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
// for a CSV row its columns as JSON) and says whether the read can stop.
func (w *rawWant) take(idx int, raw []byte, cols map[string]string) bool {
	tuples, ok := w.want[idx]
	if ok {
		if raw == nil {
			raw, _ = json.Marshal(cols)
		}
		r := Raw{Size: len(raw), Text: bytes.Clone(raw)}
		if w.limit > 0 && len(r.Text) > w.limit {
			r.Text = bytes.Clone(raw[:w.limit])
		}
		if len(tuples) > 0 {
			all := flowTuples(raw)
			for _, ti := range tuples {
				if ti >= 0 && ti < len(all) {
					if r.Tuples == nil {
						r.Tuples = map[int]string{}
					}
					r.Tuples[ti] = all[ti]
				}
			}
		}
		w.got[idx] = r
	}
	return idx >= w.last || len(w.got) == len(w.want)
}

// flowTuples returns the tuple strings of a flow log record in the order
// the parsers number them (Origin.Tuple): every string of every
// "flowTuples" array, in document order, whatever the nesting (VNet flow
// logs: flowRecords.flows[].flowGroups[]; NSG flow logs:
// properties.flows[].flows[]). Nil for a record that is not JSON.
func flowTuples(raw []byte) []string {
	if !bytes.Contains(raw, []byte(`"flowTuples"`)) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	var out []string
	// stack holds, per open container, whether it is an object, and for
	// an object whether the next token is a key; inTuples marks the array
	// depth of a flowTuples array (0: none).
	type frame struct {
		object, key bool
		tuples      bool
	}
	var stack []frame
	lastKey := ""
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				f := frame{object: v == '{', key: v == '{'}
				f.tuples = v == '[' && top != nil && top.object && lastKey == "flowTuples"
				if top != nil && top.object {
					top.key = true
				}
				stack = append(stack, f)
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		case string:
			if top != nil && top.object && top.key {
				lastKey, top.key = v, false
				continue
			}
			if top != nil && top.tuples {
				out = append(out, v)
			}
		}
		if top != nil && top.object {
			top.key = true
		}
	}
}
