package logs

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/redact"
)

// Read streams one input's records to emit, one event at a time. The event
// is valid only during the call. Problems with the input (cannot open, bad
// JSON, truncation, unknown categories) are recorded in rep and do not stop
// the read; Read returns an error only when emit does or ctx is done.
func Read(ctx context.Context, in Input, rep *Report, emit func(*event.Event) error) error {
	var t tally
	err := readInput(ctx, in, &t, emit, nil, nil)
	rep.merge(&t)
	return err
}

// reader holds per-input state reused across records.
type reader struct {
	ctx  context.Context
	out  Output
	vf   vnetParser
	prog func(int64)
	// raw, when set, asks for one record's raw text instead of events
	// (RawRecord).
	raw *rawWant
	// next is the index after the last record of a JSON input read.
	next int
}

// readInput reads one input. next, when set, hands out the slot the next
// event should be built in (ReadAll's batch), saving a copy per event.
func readInput(ctx context.Context, in Input, t *tally, emit func(*event.Event) error, prog func(int64), next func() *event.Event) error {
	return readInputFlow(ctx, in, t, emit, prog, next, nil)
}

// readInputFlow is readInput with a flow check (Options.NewFlowKeep): flow
// tuples it rejects are counted but make no event.
func readInputFlow(ctx context.Context, in Input, t *tally, emit func(*event.Event) error, prog func(int64), next func() *event.Event, flow FlowCheck) error {
	rd := &reader{ctx: ctx, prog: prog}
	rd.out = Output{in: in, tally: t, emit: emit, next: next, flow: flow}
	return rd.readFrom(in)
}

// readFrom opens in and reads it.
func (rd *reader) readFrom(in Input) error {
	ctx := rd.ctx
	if in.Open == nil {
		rd.out.Skip(-1, CodeUnreadable, "input has no opener")
		return nil
	}
	rc, err := in.Open(ctx)
	if err != nil {
		rd.out.Skip(-1, CodeUnreadable, redact.String(err.Error()))
		return nil
	}
	defer rc.Close()
	var raw io.Reader = rc
	if rd.prog != nil {
		raw = &countingReader{r: rc, prog: rd.prog}
	}
	br := brPool.Get().(*bufio.Reader)
	br.Reset(raw)
	defer func() { br.Reset(nil); brPool.Put(br) }()
	var r io.Reader = br
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			rd.out.Skip(-1, CodeUnreadable, "bad gzip header: "+err.Error())
			return nil
		}
		defer zr.Close()
		r = zr
	}
	return rd.run(r)
}

// brPool keeps the buffered readers in front of each input between inputs.
var brPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// run detects the framing and reads every record.
func (rd *reader) run(r io.Reader) error {
	s := newScanner(r)
	defer s.release()
	defer rd.finishRead(s)
	c, ok := s.skipWS()
	if !ok {
		return nil // empty input: nothing to do
	}
	if c != '{' && c != '[' {
		return rd.runText(s)
	}
	idx := rd.out.in.First
	defer func() { rd.next = idx }()
	for iter := 0; ; iter++ {
		if err := rd.tick(iter); err != nil {
			return err
		}
		c, ok := s.skipWS()
		if !ok {
			return nil
		}
		switch c {
		case '{':
			if s.startsWithKey("records") {
				n, err := rd.envelope(s, idx)
				idx = n
				if err != nil {
					return err
				}
				continue
			}
			v, st := s.capture()
			n, err := rd.captured(v, st, idx)
			idx += n
			if err != nil {
				return err
			}
		case '[':
			s.pos++
			n, err := rd.array(s, idx)
			idx = n
			if err != nil {
				return err
			}
		case ',', ']', '}':
			// Stray separators between values (a records array's tail
			// after a cut); skip them.
			s.pos++
		default:
			rd.out.Skip(idx, CodeBadJSON, "not a JSON object")
			idx++
			s.skipLine()
		}
	}
}

// tick checks for cancellation every 64 values.
func (rd *reader) tick(iter int) error {
	if iter&63 != 0 {
		return nil
	}
	return rd.ctx.Err()
}

// countingReader reports the bytes read so far from an input as it opened
// it (compressed bytes for a gzip file), so the progress line ends at the
// inputs' size, whatever the framing or format.
type countingReader struct {
	r    io.Reader
	n    int64
	prog func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.n += int64(n)
		c.prog(c.n)
	}
	return n, err
}

// finishRead records a read error that ended the input early.
func (rd *reader) finishRead(s *scanner) {
	switch {
	case s.rerr == nil:
	case errors.Is(s.rerr, io.ErrUnexpectedEOF):
		rd.out.Skip(-1, CodeTruncated, "compressed stream ends early; the records before the cut were kept")
	default:
		rd.out.Skip(-1, CodeUnreadable, "read error: "+redact.String(s.rerr.Error()))
	}
}

// captured handles one captured top-level or element value; it returns how
// many record indexes the value used (more than one for a nested records
// array).
func (rd *reader) captured(v []byte, st scanState, idx int) (int, error) {
	switch st {
	case scanTruncated:
		if len(bytes.TrimSpace(v)) > 0 {
			rd.out.Skip(idx, CodeTruncated, fmt.Sprintf("input ends inside this record (%d bytes of it read)", len(v)))
		}
		return 1, nil
	case scanTooLarge:
		rd.out.Skip(idx, CodeBadJSON, errTooLarge().Error())
		return 1, nil
	case scanBroken:
		rd.out.Skip(idx, CodeBadJSON, "record is cut short by the next line's record")
		return 1, nil
	}
	return rd.record(v, idx)
}

// envelope reads {"records":[...], ...} element by element; it returns the
// next record index.
func (rd *reader) envelope(s *scanner, idx int) (int, error) {
	s.pos++ // '{'
	if !s.expect('"') {
		return idx, nil
	}
	s.pos += len("records") + 1
	if !s.expect(':') {
		rd.out.Skip(idx, CodeBadJSON, "records key without a value")
		return idx + 1, nil
	}
	if c, ok := s.skipWS(); !ok || c != '[' {
		if !ok {
			rd.out.Skip(idx, CodeTruncated, "input ends after the records key")
			return idx, nil
		}
		if _, st := s.capture(); st == scanOK {
			rd.out.Skip(idx, CodeBadJSON, "records is not an array")
		}
		return idx + 1, nil
	}
	s.pos++
	idx, err := rd.array(s, idx)
	if err != nil {
		return idx, err
	}
	// The rest of the envelope object: other keys are ignored.
	for {
		c, ok := s.skipWS()
		if !ok {
			return idx, nil
		}
		switch c {
		case '}':
			s.pos++
			return idx, nil
		case ',', ':':
			s.pos++
		case '{':
			// A new record started: the envelope was never closed.
			return idx, nil
		default:
			if _, st := s.capture(); st != scanOK {
				return idx, nil
			}
		}
	}
}

// array reads the elements of a JSON array (pos just after '['), each one a
// record, and returns the next record index.
func (rd *reader) array(s *scanner, idx int) (int, error) {
	for iter := 0; ; iter++ {
		if err := rd.tick(iter); err != nil {
			return idx, err
		}
		c, ok := s.skipWS()
		if !ok {
			return idx, nil
		}
		switch c {
		case ']':
			s.pos++
			return idx, nil
		case ',':
			s.pos++
			continue
		case '{':
			v, st := s.capture()
			n, err := rd.captured(v, st, idx)
			idx += n
			if err != nil {
				return idx, err
			}
			if st == scanTruncated {
				return idx, nil
			}
		default:
			v, st := s.capture()
			if st == scanTruncated {
				rd.out.Skip(idx, CodeTruncated, "input ends inside a records array")
				return idx + 1, nil
			}
			if len(v) == 0 {
				s.pos++
			}
			rd.out.Skip(idx, CodeBadJSON, "array element is not a JSON object")
			idx++
		}
	}
}

var flowRecordsKey = []byte(`"flowRecords"`)

// record parses one JSON object record at index idx and returns how many
// indexes it used.
func (rd *reader) record(v []byte, idx int) (int, error) {
	o := &rd.out
	o.record = idx
	if bytes.Contains(v, flowRecordsKey) {
		if rd.raw != nil {
			rd.raw.take(idx, v, nil)
		}
		done, err := rd.vf.parse(v, o)
		if se, ok := asSkip(err); ok {
			o.Skip(idx, se.Code, se.Reason)
			return 1, rd.rawDone(idx)
		}
		if done || err != nil {
			if err == nil {
				err = rd.rawDone(idx)
			}
			return 1, err
		}
	}
	r, err := newJSONRecord(o.in.Name, idx, v)
	if err != nil {
		o.Skip(idx, CodeBadJSON, jsonErr(err))
		return 1, nil
	}
	// An envelope that was not streamed ({"x":..,"records":[...]}, or
	// records nested in records as in a Microsoft docs example) with no
	// category of its own.
	if recs, ok := find(r.top, "records"); ok && r.Category() == "" {
		return rd.nested(recs, idx)
	}
	// A Log Analytics query API response saved as is.
	if tables, ok := find(r.top, "tables"); ok && r.Category() == "" {
		return rd.laTables(tables, idx)
	}
	return 1, rd.dispatch(r)
}

// laTables reads the tables of a Log Analytics query API response
// ({"tables":[{"name","columns":[{"name","type"}],"rows":[[...]]}]}): each
// row is a record, its cells named by the columns, with consecutive indexes
// from idx.
func (rd *reader) laTables(raw []byte, idx int) (int, error) {
	var tables []struct {
		Columns []struct {
			Name string `json:"name"`
		} `json:"columns"`
		Rows [][]json.RawMessage `json:"rows"`
	}
	if err := json.Unmarshal(raw, &tables); err != nil {
		rd.out.Skip(idx, CodeBadJSON, "tables is not a Log Analytics result: "+strings.TrimPrefix(err.Error(), "json: "))
		return 1, nil
	}
	used := 0
	for _, t := range tables {
		header := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			header[i] = csvColumn(c.Name)
		}
		for _, row := range t.Rows {
			cells := make([]string, len(row))
			for i, c := range row {
				if len(c) > 0 && (c[0] == '{' || c[0] == '[') {
					cells[i] = string(c) // dynamic columns stay JSON
				} else {
					cells[i], _ = jsonText(c)
				}
			}
			if err := rd.dispatch(newCSVRecord(rd.out.in.Name, idx+used, header, cells)); err != nil {
				return used + 1, err
			}
			used++
		}
	}
	return max(used, 1), nil
}

// nested reads a records array held in one value: its records take
// consecutive indexes from idx.
func (rd *reader) nested(recs json.RawMessage, idx int) (int, error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(recs, &elems); err != nil {
		rd.out.Skip(idx, CodeBadJSON, "records is not an array of objects")
		return 1, nil
	}
	used := 0
	for _, e := range elems {
		n, err := rd.record(e, idx+used)
		used += n
		if err != nil {
			return used, err
		}
	}
	return max(used, 1), nil
}

// rawDone returns errRawFound when RawRecords has read record idx, the
// last it needs, and nil otherwise (or when reading for events).
func (rd *reader) rawDone(idx int) error {
	if rd.raw != nil && rd.raw.finished(idx) {
		return errRawFound
	}
	return nil
}

// dispatch sends a decoded record to its format's parser.
func (rd *reader) dispatch(r *Record) (err error) {
	o := &rd.out
	o.record = r.Index
	if rd.raw != nil {
		rd.raw.take(r.Index, r.raw, r.cols)
		if !rd.raw.parse(r.Index) {
			return rd.rawDone(r.Index)
		}
		defer func() {
			if err == nil {
				err = rd.rawDone(r.Index)
			}
		}()
	}
	f, cat := formatFor(r, o.in.Key)
	if f == nil {
		if cat == "" {
			o.Skip(r.Index, CodeUnknownCategory, "the record names no category, table or operation, and its path no insights-logs-* container")
		} else {
			o.Skip(r.Index, CodeUnknownCategory, "no parser for category "+truncate(cat, 80))
		}
		return nil
	}
	r.cat = cat
	o.events = 0
	o.counted = false
	err = f.Parse(r, o)
	if se, ok := asSkip(err); ok {
		o.Skip(r.Index, se.Code, se.Reason)
		o.events = 0
		return nil
	}
	if err != nil {
		return err
	}
	if !o.counted {
		o.Count(f.Source, cat, 1)
	}
	return nil
}

// jsonErr shortens a decoding error to one line.
func jsonErr(err error) string {
	return "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}
