package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/logs"
)

// RawRecord returns the raw text of the record origin cites, read again
// from the sources (see logs.RawRecord). A store file alone (DB without
// Logs) keeps events, not records: the logs must be given.
func RawRecord(ctx context.Context, src Sources, origin event.Origin) ([]byte, error) {
	if len(src.Logs) == 0 && !src.pushes() {
		return nil, fmt.Errorf("record %s: %w", origin, ErrNoRawRecords)
	}
	ins, _ := expand(ctx, src, Options{})
	pins, _, _ := pushed(ctx, src, Options{}, false)
	ins = append(ins, pins...)
	keys := make([]string, len(ins))
	for i, in := range ins {
		keys[i] = in.Key
	}
	// The key may be the full one (JSON) or the short one a table shows.
	key, ambiguous, ok := event.FindShortKey(origin.Key, keys)
	if !ok && len(ambiguous) > 0 {
		return nil, fmt.Errorf("record %s: %d inputs have that short key (%s); give the full key from -o json", origin, len(ambiguous), strings.Join(ambiguous, ", "))
	}
	for _, in := range ins {
		if ok && in.Key == key {
			return logs.RawRecord(ctx, in, origin.Record)
		}
	}
	return nil, fmt.Errorf("record %s: no input with key %q among the --logs sources", origin, origin.Key)
}

// ErrNoRawRecords is why a store file alone cannot give raw records.
var ErrNoRawRecords = errors.New("the store keeps events, not raw records; give the --logs it was loaded from")

// ErrStdinRead is why a record read from standard input cannot be read
// again.
var ErrStdinRead = errors.New("read from standard input (--logs -), which cannot be read a second time")

// Raw is the raw record an origin cites, read again from the sources, or
// why it could not be.
type Raw struct {
	// Record is the record's text (logs.RawRecord), cut to the limit
	// RawRecords was given.
	Record []byte
	// Size is the record's whole length in bytes.
	Size int
	// Tuple is the flow tuple the origin cites, as the record holds it;
	// "" for a record that is not a flow log record.
	Tuple string
	// Err says why the record could not be read again (Record is nil).
	Err error
}

// rawWorkers is how many inputs RawRecords reads at once (blobs wait on
// the network).
const rawWorkers = 4

// RawRecords reads the records origins cite again from the sources: the
// sources are expanded once (blob listings pruned by opt.Filter, as the
// load was), and each input holding a cited record is read once, up to
// the last record cited in it, whatever the number of citations. limit is
// logs.RawRecords'. Every origin gets an entry: the record, or why it
// could not be read (stdin, a store without its logs, an input gone or
// unreadable, no such record). The errors never hold a secret.
func RawRecords(ctx context.Context, src Sources, opt Options, origins []event.Origin, limit int) map[event.Origin]Raw {
	out := map[event.Origin]Raw{}
	if len(origins) == 0 {
		return out
	}
	fail := func(o event.Origin, err error) { out[o] = Raw{Err: err} }
	if len(src.Logs) == 0 && !src.pushes() {
		for _, o := range origins {
			fail(o, ErrNoRawRecords)
		}
		return out
	}
	// The cited records of each input key: record → tuples.
	want := map[string]map[int][]int{}
	for _, o := range origins {
		if o.Key == "-" {
			fail(o, ErrStdinRead)
			continue
		}
		if want[o.Key] == nil {
			want[o.Key] = map[int][]int{}
		}
		want[o.Key][o.Record] = append(want[o.Key][o.Record], o.Tuple)
	}
	if len(want) == 0 {
		return out
	}
	var files []string
	for _, p := range src.Logs {
		if p != "-" {
			files = append(files, p)
		}
	}
	src.Logs = files
	ins, errs := expand(ctx, src, Options{Filter: opt.Filter})
	pins, _, perrs := pushed(ctx, src, opt, false)
	ins, errs = append(ins, pins...), append(errs, perrs...)
	byKey := map[string]logs.Input{}
	for _, in := range ins {
		if _, dup := byKey[in.Key]; !dup {
			byKey[in.Key] = in // the first, as the load's origins name it
		}
	}
	type job struct {
		in   logs.Input
		want map[int][]int
		got  map[int]logs.Raw
		err  error
	}
	var jobs []*job
	for key, w := range want {
		in, ok := byKey[key]
		if !ok {
			err := fmt.Errorf("no input %s among the --logs sources any more", key)
			if len(errs) > 0 {
				err = fmt.Errorf("%w (%v)", err, errs[0])
			}
			for rec, tuples := range w {
				for _, ti := range tuples {
					fail(event.Origin{Key: key, Record: rec, Tuple: ti}, err)
				}
			}
			continue
		}
		jobs = append(jobs, &job{in: in, want: w})
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, rawWorkers)
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			j.got, j.err = logs.RawRecords(ctx, j.in, j.want, limit)
		}()
	}
	wg.Wait()
	for _, j := range jobs {
		for rec, tuples := range j.want {
			r, ok := j.got[rec]
			for _, ti := range tuples {
				o := event.Origin{Key: j.in.Key, Record: rec, Tuple: ti}
				switch {
				case ok:
					out[o] = Raw{Record: r.Text, Size: r.Size, Tuple: r.Tuples[ti]}
				case j.err != nil:
					fail(o, j.err)
				default:
					fail(o, fmt.Errorf("%s: record %d: %s", j.in.Name, rec, logs.NoSuchRecord))
				}
			}
		}
	}
	return out
}
