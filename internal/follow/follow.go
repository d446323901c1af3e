package follow

import (
	"context"
	"errors"
	"io"
	"os"
	"sort"
	"sync/atomic"
	"time"

	"github.com/pathproof/pathproof/internal/blob"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/logs"
)

// Defaults of Options.
const (
	// DefaultPoll is how often the followed hour folders are listed: a
	// record shows about this long (plus one or two requests) after Azure
	// commits it.
	DefaultPoll = time.Second
	// DefaultDiscover is how often the whole source is walked for new
	// resource folders (a new hour or NIC of a known one is seen at the
	// next poll).
	DefaultDiscover = 30 * time.Second
	// DefaultSettle is how long a blob of an hour already succeeded by a
	// newer one must stay unchanged before it is retired: Azure can still
	// commit the last minutes of an hour after the hour turned (a
	// heuristic, not a documented limit).
	DefaultSettle = 15 * time.Minute
)

// Options configure a Follower.
type Options struct {
	// Sources are the --logs blob URLs (see internal/blob).
	Sources []string
	// Blob reaches the sources (account, credentials). Its Window is
	// ignored: Start is the window.
	Blob blob.Options
	// Start says where a follower without a checkpoint starts: the blobs
	// of the hours it holds are read from their beginning. The zero Window
	// starts at the newest hour folder of each source and the one before.
	Start blob.Window
	// Poll, Discover and Settle default to DefaultPoll, DefaultDiscover and
	// DefaultSettle.
	Poll, Discover, Settle time.Duration
	// Checkpoint, when set, is the checkpoint file: read at the start when
	// it exists, written at the end of every poll round that read
	// something (after that round's emits) and when Run returns.
	Checkpoint string
	// Output is where the caller writes the events. When it is a regular
	// file, checkpoints record its length and a restart cuts it back to it
	// (see the package documentation).
	Output *os.File
	// Keep and Flow filter events while parsing (logs.ReadPart); nil keeps
	// everything.
	Keep func(*event.Event) bool
	Flow logs.FlowCheck
	// Report collects what could not be read (required).
	Report *logs.Report
	// Progress, when set, gets a progress and lag line about every second
	// (the CLI passes stderr only when it is a terminal).
	Progress io.Writer
}

// Follower follows the blobs of its sources.
type Follower struct {
	opt     Options
	srcs    []*source
	cpPath  string
	out     *output
	stats   Stats
	prog    *progress
	started bool
	// dirty is set when a blob's state moved past events emitted since
	// the last checkpoint: the round ends with a save.
	dirty bool
	// total is the records read of every blob, this run and before it
	// (from the checkpoint); safe to read while Run runs.
	total atomic.Int64
}

// source is one connected --logs source and what was read of it.
type source struct {
	conn  *blob.Conn
	name  string
	state *sourceState
	// listed is the last listing of each followed blob.
	listed map[string]blob.Info
	// discovered is when the source was last walked.
	discovered time.Time
}

// Batch is what one emit gets: the events one blob gained.
type Batch struct {
	// Events are the kept events, in record order (none when Keep refused
	// every one); they may be kept after the call.
	Events []event.Event
	// Key is the blob's origin key; Records the records read.
	Key     string
	Records int
	// Committed is when the blob's newest part was committed (the blob's
	// last-modified time as read).
	Committed time.Time
}

// New connects the sources and reads the checkpoint (when Options.Checkpoint
// names an existing file), cutting Options.Output back to the length it
// recorded.
func New(ctx context.Context, opt Options) (*Follower, error) {
	if opt.Report == nil {
		return nil, errors.New("follow: Options.Report is required")
	}
	if len(opt.Sources) == 0 {
		return nil, errors.New("follow: no blob source to follow")
	}
	if opt.Poll <= 0 {
		opt.Poll = DefaultPoll
	}
	if opt.Discover <= 0 {
		opt.Discover = DefaultDiscover
	}
	if opt.Settle <= 0 {
		opt.Settle = DefaultSettle
	}
	f := &Follower{opt: opt, cpPath: opt.Checkpoint, out: newOutput(opt.Output)}
	var names []string
	for _, s := range opt.Sources {
		c, err := blob.Connect(ctx, s, opt.Blob)
		if err != nil {
			return nil, err
		}
		f.srcs = append(f.srcs, &source{conn: c, name: c.String(), state: &sourceState{Blobs: map[string]*blobState{}}, listed: map[string]blob.Info{}})
		names = append(names, c.String())
	}
	if f.cpPath != "" {
		removeTemps(f.cpPath)
		cp, err := loadCheckpoint(f.cpPath, names)
		if err != nil {
			return nil, err
		}
		if cp != nil {
			for i, s := range f.srcs {
				s.state = cp.State[i]
				for _, b := range s.state.Blobs {
					f.total.Add(int64(b.Records))
				}
			}
			if f.out != nil {
				if _, err := f.out.rewind(cp.Output); err != nil {
					return nil, err
				}
			}
			f.started = true
		}
	}
	if opt.Progress != nil {
		f.prog = &progress{w: opt.Progress}
	}
	return f, nil
}

// records returns the records read of every blob so far, checkpointed
// runs before this one included.
func (f *Follower) records() int { return int(f.total.Load()) }

// Stats returns what the follower has read so far.
func (f *Follower) Stats() Stats { return f.stats }

// Run follows until ctx is done (then it returns nil) or emit fails. emit
// gets the events of each blob's new part; when it returns, they count as
// written (or stored), and the checkpoint written at the end of the poll
// round (or when Run stops) moves past them.
func (f *Follower) Run(ctx context.Context, emit func(Batch) error) error {
	err := f.run(ctx, emit)
	// What was emitted before the stop (or the error) is covered: the
	// state only moves past a part after emit returned.
	if serr := f.saveDirty(); err == nil {
		err = serr
	}
	f.prog.finish(&f.stats)
	if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return nil
	}
	return err
}

func (f *Follower) run(ctx context.Context, emit func(Batch) error) error {
	for _, s := range f.srcs {
		if err := f.discover(ctx, s, !f.started); err != nil {
			return err
		}
	}
	// A checkpoint before anything is emitted: a restart then starts from
	// the same hours, and cuts the output back to its length now.
	if err := f.save(); err != nil {
		return err
	}
	for _, s := range f.srcs {
		if err := f.readChanged(ctx, s, emit); err != nil {
			return err
		}
	}
	if err := f.saveDirty(); err != nil {
		return err
	}
	tick := time.NewTicker(f.opt.Poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		f.prog.print(&f.stats, false)
		for _, s := range f.srcs {
			var err error
			if time.Since(s.discovered) >= f.opt.Discover {
				err = f.discover(ctx, s, false)
			} else {
				err = f.poll(ctx, s)
			}
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				f.listFailed(s, err)
				continue
			}
			if err := f.readChanged(ctx, s, emit); err != nil {
				return err
			}
			moved, err := f.retire(ctx, s, emit)
			if err != nil {
				return err
			}
			if moved {
				f.dirty = true
			}
		}
		// One checkpoint a round, after the round's events were emitted:
		// a kill before it makes a restart read the round again (the
		// output is cut back, the store skips what it holds).
		if err := f.saveDirty(); err != nil {
			return err
		}
	}
}

// listFailed reports a listing that failed; the next poll tries again.
func (f *Follower) listFailed(s *source, err error) {
	f.opt.Report.AddSkip(logs.Skip{Name: s.name, Record: -1, Tuple: -1, Code: CodeReadFailed, Reason: err.Error()})
}

// discover walks the whole source: at the first run from the start window,
// later from the oldest hour still followed.
func (f *Follower) discover(ctx context.Context, s *source, first bool) error {
	w := blob.Window{Since: s.state.Since}
	if first {
		w = f.opt.Start
		if w.IsZero() {
			// The newest hour folder and the one before it.
			w = blob.Window{SinceAgo: time.Nanosecond}
		}
	}
	infos, err := s.conn.List(ctx, w)
	if err != nil {
		return err
	}
	s.discovered = time.Now()
	f.stats.Lists++
	for _, in := range infos {
		s.listed[in.Key()] = in
	}
	if first {
		// Where a restart lists from: the oldest hour read.
		for _, in := range infos {
			if _, h, ok := blob.HourFolder(in.Name); ok && (s.state.Since.IsZero() || h.Before(s.state.Since)) {
				s.state.Since = h
			}
		}
	}
	return nil
}

// poll lists the hour folders of the blobs still followed, and the hour
// after each (where the next hour's blobs appear).
func (f *Follower) poll(ctx context.Context, s *source) error {
	type folder struct{ container, prefix string }
	seen := map[folder]bool{}
	var folders []folder
	add := func(fo folder) {
		if !seen[fo] {
			seen[fo] = true
			folders = append(folders, fo)
		}
	}
	for key, b := range s.state.Blobs {
		if b.Done {
			continue
		}
		in, ok := s.listed[key]
		if !ok {
			continue
		}
		prefix, _, ok := blob.HourFolder(in.Name)
		if !ok {
			prefix = dirOf(in.Name)
		}
		add(folder{in.Container, prefix})
		if next, ok := blob.NextHourFolder(prefix); ok {
			add(folder{in.Container, next})
		}
	}
	sort.Slice(folders, func(i, j int) bool {
		if folders[i].container != folders[j].container {
			return folders[i].container < folders[j].container
		}
		return folders[i].prefix < folders[j].prefix
	})
	for _, fo := range folders {
		infos, err := s.conn.ListUnder(ctx, fo.container, fo.prefix)
		if err != nil {
			return err
		}
		f.stats.Lists++
		for _, in := range infos {
			s.listed[in.Key()] = in
		}
	}
	return nil
}

// dirOf is the folder of a blob name, with its trailing slash ("" at the
// container's root).
func dirOf(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			return name[:i+1]
		}
	}
	return ""
}

// readChanged reads every listed blob that changed since it was read, in
// key order.
func (f *Follower) readChanged(ctx context.Context, s *source, emit func(Batch) error) error {
	keys := make([]string, 0, len(s.listed))
	for k := range s.listed {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		in := s.listed[k]
		st := s.state.Blobs[k]
		if st == nil {
			st = &blobState{Append: in.Append, Created: in.Created, Changed: time.Now()}
			if _, h, ok := blob.HourFolder(in.Name); ok {
				st.Hour = h
			}
			s.state.Blobs[k] = st
		}
		if !changed(st, in) {
			continue
		}
		if err := f.read(ctx, s, in, st, emit, false); err != nil {
			return err
		}
	}
	return nil
}

// changed reports whether a listed blob may hold something not read.
func changed(st *blobState, in blob.Info) bool {
	if st.Append || in.Append {
		return in.Size > st.Offset || (!st.Created.IsZero() && !in.Created.Equal(st.Created))
	}
	return in.ETag == "" || in.ETag != st.ETag
}

// retire marks done the blobs of hours a newer hour succeeded that stayed
// unchanged for Settle; it moves the source's Since to the oldest hour still followed and drops
// retired blobs older than it. It reports whether anything changed.
// An append blob retired with an unfinished last line (no newline) gets
// that line read as its last record first, as a full read does.
func (f *Follower) retire(ctx context.Context, s *source, emit func(Batch) error) (bool, error) {
	var newest time.Time
	for _, b := range s.state.Blobs {
		if b.Hour.After(newest) {
			newest = b.Hour
		}
	}
	moved := false
	oldest := newest
	for k, b := range s.state.Blobs {
		if !b.Done && !b.Hour.IsZero() && b.Hour.Before(newest) && time.Since(b.Changed) >= f.opt.Settle {
			ok, err := f.finish(ctx, s, k, b, emit)
			if err != nil {
				return false, err
			}
			if ok {
				b.Done = true
				moved = true
			}
		}
		if !b.Done && !b.Hour.IsZero() && b.Hour.Before(oldest) {
			oldest = b.Hour
		}
	}
	if !oldest.IsZero() && oldest.After(s.state.Since) {
		s.state.Since = oldest
		moved = true
	}
	for k, b := range s.state.Blobs {
		if b.Done && b.Hour.Before(s.state.Since) {
			delete(s.state.Blobs, k)
			delete(s.listed, k)
		}
	}
	return moved, nil
}

// saveDirty saves when the state moved since the last save.
func (f *Follower) saveDirty() error {
	if !f.dirty {
		return nil
	}
	return f.save()
}

// save writes the checkpoint (when there is one): every source's state and
// the output's length.
func (f *Follower) save() error {
	if f.cpPath == "" {
		return nil
	}
	cp := &checkpoint{}
	for _, s := range f.srcs {
		cp.Sources = append(cp.Sources, s.name)
		cp.State = append(cp.State, s.state)
	}
	if f.out != nil {
		m, err := f.out.mark()
		if err != nil {
			return err
		}
		cp.Output = m
	}
	if err := cp.save(f.cpPath); err != nil {
		return err
	}
	f.dirty = false
	f.stats.Checkpoints++
	return nil
}
