package follow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pathproof/pathproof/internal/blob"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/logs"
)

// maxAttempts bounds the tries to read one block blob in one poll while
// commits keep landing between its block list and its ranged read.
const maxAttempts = 5

// Flow-log blob layout (docs/log-formats.md §2.4): the first block opens
// the document, the last closes it.
const (
	openingBlock = int64(len(`{"records":[`))
	closingBlock = int64(len(`]}`))
)

// read reads what one blob gained and emits it; final (an append blob
// being retired) reads an unfinished last line too.
func (f *Follower) read(ctx context.Context, s *source, in blob.Info, st *blobState, emit func(Batch) error, final bool) error {
	var err error
	if st.Append || in.Append {
		err = f.readAppend(ctx, s, in, st, emit, final)
	} else {
		err = f.readBlocks(ctx, s, in, st, emit)
	}
	var re *readError
	switch {
	case errors.Is(err, blob.ErrGone):
		delete(s.listed, in.Key())
		st.Done = true
		return nil
	case errors.As(err, &re):
		if ctx.Err() != nil {
			return ctx.Err()
		}
		f.opt.Report.AddSkip(logs.Skip{Name: s.conn.Display(in.Container, in.Name), Record: -1, Tuple: -1, Code: CodeReadFailed, Reason: re.err.Error()})
		return nil // tried again at the next poll
	}
	return err
}

// readError is a failed request: reported, and tried again at the next
// poll. Other errors (from emit, from the checkpoint) stop the follower.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }

// readBlocks reads the record blocks a flow-log blob gained.
func (f *Follower) readBlocks(ctx context.Context, s *source, in blob.Info, st *blobState, emit func(Batch) error) error {
	if done, err := f.readTail(ctx, s, in, st, emit); done || err != nil {
		return err
	}
	for range maxAttempts {
		bl, err := s.conn.BlockList(ctx, in.Container, in.Name)
		f.stats.Requests++
		if err != nil {
			if errors.Is(err, blob.ErrGone) {
				return err
			}
			return &readError{err}
		}
		if bl.ETag != "" && bl.ETag == st.ETag {
			return nil
		}
		n := len(bl.Sizes)
		layout := n >= 2 && bl.Sizes[0] == openingBlock && bl.Sizes[n-1] == closingBlock
		verified := st.Blocks - st.Unverified
		rewritten := st.Blocks > 0 && (n < st.Blocks+1 || verified < 0 ||
			blockSum(bl.IDs[:verified], bl.Sizes[:verified]) != st.Sum || sizeSum(bl.Sizes[:st.Blocks]) != st.Offset)
		if !rewritten && st.Unverified > 0 {
			// The blocks readTail read are the listed ones: they are
			// verified from here on.
			st.Sum, st.Unverified = blockSum(bl.IDs[:st.Blocks], bl.Sizes[:st.Blocks]), 0
		}
		if !layout || st.Whole || rewritten {
			if rewritten {
				f.opt.Report.AddSkip(logs.Skip{Name: s.conn.Display(in.Container, in.Name), Record: -1, Tuple: -1, Code: CodeRewritten,
					Reason: fmt.Sprintf("the blocks already read changed: the blob was read again from its start; its first %d record(s) were not emitted again", st.Records)})
			}
			err := f.readWhole(ctx, s, in, st, bl, layout, emit)
			if errors.Is(err, blob.ErrChanged) {
				continue
			}
			return err
		}
		blocks, offset, sum := st.Blocks, st.Offset, st.Sum
		if blocks == 0 {
			blocks, offset, sum = 1, bl.Sizes[0], blockSum(bl.IDs[:1], bl.Sizes[:1])
		}
		end := n - 1 // the closing block is never read
		if end <= blocks {
			st.Blocks, st.Offset, st.Sum, st.ETag = blocks, offset, sum, bl.ETag
			return nil
		}
		var count int64
		for _, z := range bl.Sizes[blocks:end] {
			count += z
		}
		data, err := s.conn.ReadRange(ctx, in.Container, in.Name, offset, count, bl.ETag)
		f.stats.Requests++
		if errors.Is(err, blob.ErrChanged) {
			f.stats.Conflicts++
			continue // a commit landed in between: list again
		}
		if err != nil {
			if errors.Is(err, blob.ErrGone) {
				return err
			}
			return &readError{err}
		}
		f.stats.Bytes += int64(len(data))
		// Each block is one whole record, the ones after the first led by
		// a comma: as an array they parse into complete records.
		doc := make([]byte, 0, len(data)+2)
		doc = append(append(append(doc, '['), data...), ']')
		evs, next, err := f.parse(ctx, s, in, st.Records, doc, -1)
		if err != nil {
			return err
		}
		if err := f.emit(emit, in, bl.Modified, evs, next-st.Records); err != nil {
			return err
		}
		st.Blocks, st.Offset, st.Sum, st.ETag = end, offset+count, blockSum(bl.IDs[:end], bl.Sizes[:end]), bl.ETag
		st.Records, st.Changed = next, time.Now()
		f.dirty = true
		return nil
	}
	return nil // commits kept landing: the next poll tries again
}

// verifyEvery bounds the blocks readTail reads before the block list is
// read again and the blocks read so far are checked against it.
const verifyEvery = 8

// readTail reads the blocks a flow-log blob gained from its listing alone,
// without its block list: one ranged read from the offset read to the
// listed length less the closing block, guarded by the listed ETag. It
// applies to a blob whose layout a block list showed before, with at
// least one record read, and only while the bytes read look as Azure
// appends them (the first a comma, the last a record's closing brace);
// otherwise, after verifyEvery blocks, or when a commit overtook the
// listing, it reports not done and the block list decides (a rewrite of
// blocks read is then noticed). Each record is one block.
func (f *Follower) readTail(ctx context.Context, s *source, in blob.Info, st *blobState, emit func(Batch) error) (bool, error) {
	if st.Whole || st.Blocks < 2 || st.Sum == "" || in.ETag == "" || st.Unverified >= verifyEvery {
		return false, nil
	}
	count := in.Size - closingBlock - st.Offset
	if count <= 0 {
		return false, nil
	}
	data, err := s.conn.ReadRange(ctx, in.Container, in.Name, st.Offset, count, in.ETag)
	f.stats.Requests++
	switch {
	case errors.Is(err, blob.ErrChanged):
		f.stats.Conflicts++
		return false, nil
	case errors.Is(err, blob.ErrGone):
		return true, err
	case err != nil:
		return true, &readError{err}
	}
	f.stats.Bytes += int64(len(data))
	if data[0] != ',' || data[len(data)-1] != '}' {
		return false, nil
	}
	doc := make([]byte, 0, len(data)+2)
	doc = append(append(append(doc, '['), data...), ']')
	evs, next, err := f.parse(ctx, s, in, st.Records, doc, -1)
	if err != nil {
		return true, err
	}
	if err := f.emit(emit, in, in.Modified, evs, next-st.Records); err != nil {
		return true, err
	}
	st.Blocks += next - st.Records
	st.Unverified += next - st.Records
	st.Offset += count
	st.Records, st.ETag, st.Changed = next, in.ETag, time.Now()
	f.dirty = true
	return true, nil
}

// readWhole reads a block blob whole: one not in the flow-log layout, or
// one rewritten under the follower. Records below st.Records were emitted
// before and are left out.
func (f *Follower) readWhole(ctx context.Context, s *source, in blob.Info, st *blobState, bl blob.Blocks, layout bool, emit func(Batch) error) error {
	var total int64
	for _, z := range bl.Sizes {
		total += z
	}
	if len(bl.Sizes) == 0 {
		total = in.Size // uploaded in one Put Blob: no committed block list
	}
	var evs []event.Event
	next := st.Records
	if total > 0 {
		data, err := s.conn.ReadRange(ctx, in.Container, in.Name, 0, total, bl.ETag)
		f.stats.Requests++
		if err != nil {
			if errors.Is(err, blob.ErrChanged) {
				f.stats.Conflicts++
			}
			if errors.Is(err, blob.ErrChanged) || errors.Is(err, blob.ErrGone) {
				return err
			}
			return &readError{err}
		}
		f.stats.Bytes += int64(len(data))
		evs, next, err = f.parse(ctx, s, in, 0, data, st.Records)
		if err != nil {
			return err
		}
		next = max(next, st.Records)
	}
	if err := f.emit(emit, in, bl.Modified, evs, next-st.Records); err != nil {
		return err
	}
	st.Whole, st.ETag, st.Records, st.Changed = !layout, bl.ETag, next, time.Now()
	st.Blocks, st.Offset, st.Sum, st.Unverified = 0, 0, "", 0
	if layout {
		end := len(bl.Sizes) - 1
		st.Blocks, st.Sum = end, blockSum(bl.IDs[:end], bl.Sizes[:end])
		st.Offset = total - bl.Sizes[end]
	}
	f.dirty = true
	return nil
}

// finish reads, before an append blob is retired, the last line it holds
// without a newline (Azure ends every line; a full read parses such a line
// as the blob's last record), so following and a full read agree. It
// reports false when that read failed (reported; tried again next round).
func (f *Follower) finish(ctx context.Context, s *source, key string, st *blobState, emit func(Batch) error) (bool, error) {
	in, ok := s.listed[key]
	if !st.Append || !ok || in.Size <= st.Offset {
		return true, nil
	}
	before := f.opt.Report.Skipped()
	if err := f.read(ctx, s, in, st, emit, true); err != nil {
		return false, err
	}
	return st.Offset >= in.Size || f.opt.Report.Skipped() == before, nil
}

// readAppend reads the complete lines an append blob gained; with final,
// also an unfinished last line.
func (f *Follower) readAppend(ctx context.Context, s *source, in blob.Info, st *blobState, emit func(Batch) error, final bool) error {
	st.Append = true
	if !st.Created.IsZero() && !in.Created.IsZero() && !in.Created.Equal(st.Created) {
		f.opt.Report.AddSkip(logs.Skip{Name: s.conn.Display(in.Container, in.Name), Record: -1, Tuple: -1, Code: CodeRewritten,
			Reason: fmt.Sprintf("the blob was created again after %d record(s) were read: it is read from its start", st.Records)})
		st.Offset, st.Records = 0, 0
	}
	st.Created = in.Created
	if in.Size <= st.Offset {
		st.ETag = in.ETag
		return nil
	}
	data, err := s.conn.ReadRange(ctx, in.Container, in.Name, st.Offset, in.Size-st.Offset, "")
	f.stats.Requests++
	if err != nil {
		if errors.Is(err, blob.ErrGone) {
			return err
		}
		return &readError{err}
	}
	f.stats.Bytes += int64(len(data))
	cut := bytes.LastIndexByte(data, '\n') + 1
	if final {
		cut = len(data)
	}
	if cut == 0 {
		return nil // one unfinished line: read it again when it ends
	}
	evs, next, err := f.parse(ctx, s, in, st.Records, data[:cut], -1)
	if err != nil {
		return err
	}
	if err := f.emit(emit, in, in.Modified, evs, next-st.Records); err != nil {
		return err
	}
	st.Offset += int64(cut)
	st.Records, st.ETag, st.Changed = next, in.ETag, time.Now()
	f.dirty = true
	return nil
}

// parse reads data as part of in, its records numbered from first; events
// of records below skipBelow are left out (-1: none).
func (f *Follower) parse(ctx context.Context, s *source, in blob.Info, first int, data []byte, skipBelow int) ([]event.Event, int, error) {
	input := logs.Input{
		Name:  s.conn.Display(in.Container, in.Name),
		Key:   in.Key(),
		First: first,
		Open:  func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
	var evs []event.Event
	next, err := logs.ReadPart(ctx, input, f.opt.Keep, f.opt.Flow, f.opt.Report, func(e *event.Event) error {
		if e.Origin.Record >= skipBelow {
			evs = append(evs, *e)
		}
		return nil
	})
	return evs, next, err
}

// emit hands one blob's new events to the caller and counts them. A part
// whose records all were filtered out is handed over too (without events):
// what was read may still matter (explain's tally of live logs).
func (f *Follower) emit(emit func(Batch) error, in blob.Info, committed time.Time, evs []event.Event, records int) error {
	if len(evs) > 0 || records > 0 {
		if err := emit(Batch{Events: evs, Key: in.Key(), Records: records, Committed: committed}); err != nil {
			return err
		}
	}
	f.stats.Records += int64(records)
	f.total.Add(int64(records))
	f.stats.Events += int64(len(evs))
	if !committed.IsZero() {
		f.stats.Lag = time.Since(committed)
	}
	return nil
}
