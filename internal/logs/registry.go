package logs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// Parser turns one record into events: it calls out.Emit for each event and
// out.SkipTuple for each bad tuple it leaves out. Returning a *SkipError
// (see Skipf) skips the whole record with that code; any other error stops
// the read (it is the emit callback's error or a cancelled context).
type Parser func(r *Record, out *Output) error

// Format is one record format: the names it answers to and its parser.
type Format struct {
	// Name is a short identifier for docs and tests ("vnetflow", "azfw").
	Name string
	// Source is the event source its events carry (for counting records
	// that produce no event).
	Source event.Source
	// Keys are the categories, Log Analytics table names and operation names
	// the format parses; matched case-insensitively: first the record's
	// category (or table), then its operation name.
	Keys []string
	// Parse parses one record.
	Parse Parser
}

// Sniffer recognises and reads a whole non-JSON file (a VPN troubleshoot
// text log, a line format). Sniffers are tried in the order of the sniffers
// table (formats.go), only on inputs that do not start with '{' or '['.
type Sniffer struct {
	Name   string
	Source event.Source
	// Match reports whether the input is of this kind, from its Key (the
	// container path) and its first bytes (up to 4 KiB, decompressed).
	Match func(key string, head []byte) bool
	// Read parses the whole decompressed stream, calling out.At before each
	// record to set its index, then out.Emit / out.Skip.
	Read func(ctx context.Context, r io.Reader, out *Output) error
}

// Lookup returns the record format for key (a category, table or
// operation name), case-insensitively.
func Lookup(key string) (*Format, bool) {
	f, ok := formatsByKey[strings.ToLower(key)]
	return f, ok
}

// formatFor picks the format for a record: category (or table), then
// operation name, then the container the input came from
// ("insights-logs-<category lower-cased>", for records that lost their
// category on the way).
func formatFor(r *Record, key string) (*Format, string) {
	cat := r.Category()
	if f, ok := Lookup(cat); ok {
		return f, cat
	}
	if t := r.Table(); t != "" {
		if f, ok := Lookup(t); ok {
			return f, t
		}
	}
	if op := r.Operation(); op != "" {
		if f, ok := Lookup(op); ok {
			if cat == "" {
				cat = op
			}
			return f, cat
		}
	}
	if cat == "" {
		if c := strings.TrimPrefix(Container(key), ContainerPrefix); c != "" {
			if f, ok := Lookup(c); ok {
				return f, f.canonical(c)
			}
		}
	}
	return nil, cat
}

// canonical returns the registered spelling of key.
func (f *Format) canonical(key string) string {
	for _, k := range f.Keys {
		if strings.EqualFold(k, key) {
			return k
		}
	}
	return key
}

// SkipError skips one record (or input) with a stable code.
type SkipError struct {
	Code   string
	Reason string
}

func (e *SkipError) Error() string { return e.Code + ": " + e.Reason }

// Skipf returns a *SkipError with code and a formatted reason.
func Skipf(code, format string, a ...any) error {
	return &SkipError{Code: code, Reason: fmt.Sprintf(format, a...)}
}

// Output receives a parser's events and skips. The reader fills Origin.Key
// and Origin.Record of every emitted event; the parser sets Origin.Tuple.
type Output struct {
	in      Input
	record  int
	tally   *tally
	emit    func(*event.Event) error
	events  int64 // emitted since the last take
	counted bool
	next    func() *event.Event
	flow    FlowCheck
	fl      Flow // what flow sees, reused
	scratch event.Event
	// raw, when set, asks a text format for its lines instead of events
	// (RawRecords; see takeLine).
	raw *rawWant
}

// dropFlow reports whether the reader's flow check (Options.NewFlowKeep)
// rejects the flow tuple t of source src logged by emitter; a rejected
// tuple is counted as an event read, and its time as seen, but no event is
// built for it.
func (o *Output) dropFlow(src event.Source, emitter string, t *Tuple) bool {
	if o.flow == nil {
		return false
	}
	o.fl.Source, o.fl.Emitter, o.fl.Tuple = src, emitter, t
	if o.flow(&o.fl) {
		return false
	}
	o.events++
	if t.Time.After(o.tally.newest) {
		o.tally.newest = t.Time
	}
	return true
}

// NewEvent returns an event for the parser to fill and pass to Emit; using
// it instead of a local event saves a copy on the VNet flow path. Its
// content is stale: overwrite it whole.
func (o *Output) NewEvent() *event.Event {
	if o.next != nil {
		return o.next()
	}
	return &o.scratch
}

// At sets the index of the record being parsed (for sniffers).
func (o *Output) At(record int) { o.record = record }

// takeLine hands the text line of record idx to RawRecords when it is
// reading again (the line formats, whose record is one line) and reports
// whether the parser should skip the line (it always should then) and
// whether it should stop and return errRawFound.
func (o *Output) takeLine(idx int, line []byte) (skip, stop bool) {
	if o.raw == nil {
		return false, false
	}
	o.raw.take(idx, line, nil)
	return true, o.raw.finished(idx)
}

// rawTuple hands flow tuple ti of the current record, as the record holds
// it, to RawRecords when it is reading again; flow log parsers call it for
// every tuple they number, parsed or skipped, so the numbers agree.
func (o *Output) rawTuple(ti int, text []byte) {
	if o.raw != nil {
		o.raw.tuple(o.record, ti, text)
	}
}

// Record returns the index of the record being parsed.
func (o *Output) Record() int { return o.record }

// Key returns the input's Origin key.
func (o *Output) Key() string { return o.in.Key }

// Name returns the input's display name.
func (o *Output) Name() string { return o.in.Name }

// Emit passes one event on, after setting its Origin key and record. The
// event may be reused by the parser once Emit returns.
func (o *Output) Emit(e *event.Event) error {
	e.Origin.Key = o.in.Key
	e.Origin.Record = o.record
	o.events++
	return o.emit(e)
}

// SkipTuple records a skipped flow tuple of the current record.
func (o *Output) SkipTuple(tuple int, code, reason string) {
	o.tally.skip(Skip{Name: o.in.Name, Record: o.record, Tuple: tuple, Code: code, Reason: reason})
}

// Skip records a skipped record (or, with record -1, the whole input).
func (o *Output) Skip(record int, code, reason string) {
	o.tally.skip(Skip{Name: o.in.Name, Record: record, Tuple: -1, Code: code, Reason: reason})
}

// Count adds records to the tally of source and category, with the events
// emitted since the last Count call.
// A parser that calls Count itself replaces the reader's own count of the
// record under the format's source and the record's category.
func (o *Output) Count(src event.Source, category string, records int64) {
	o.tally.count(src, category, records, o.events)
	o.events = 0
	o.counted = true
}

// asSkip reports whether err is a SkipError.
func asSkip(err error) (*SkipError, bool) {
	if err == nil {
		return nil, false
	}
	if se, ok := err.(*SkipError); ok {
		return se, true
	}
	var se *SkipError
	ok := errors.As(err, &se)
	return se, ok
}
