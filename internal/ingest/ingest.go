// Package ingest loads evidence into the event store: it expands the
// --logs sources (files, folders, stdin, Blob Storage URLs) into inputs,
// reads them with internal/logs and loads the events into an
// internal/store Store (in memory, or a DuckDB file that keeps them).
//
// It is the wiring every front end shares (the CLI's log commands, explain,
// the web UI and the MCP server), so each reads logs the same way. It
// prints nothing: progress goes to the writer the caller passes, and what
// could not be read is returned as a logs.Report.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/pathproof/pathproof/internal/blob"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/kql"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/store"
)

// Sources says where the evidence is.
type Sources struct {
	// Logs are files, folders (recursive, storage-account layout), blob
	// URLs (https://, azblob://) or "-" for Stdin.
	Logs []string
	// DB is a DuckDB file that keeps the events ("" = in memory).
	DB string
	// StorageAccount is the account of azblob:// sources.
	StorageAccount string
	// ConnectionString is a storage connection string (a secret: it never
	// appears in errors).
	ConnectionString string
	// Stdin is read for the source "-".
	Stdin io.Reader
	// Workspace (a Log Analytics workspace id) and ADX (an Azure Data
	// Explorer database URL) are push-down sources: the filter runs there
	// as KQL (internal/kql) and only matching rows are read.
	Workspace, ADX string
}

// Options tune one load.
type Options struct {
	// Filter, when set, prunes blob listings to the hours its
	// --since/--until window can hold.
	Filter *filter.Filter
	// Keep, when set and the store is in memory (no DB: nothing outlives
	// the query), picks the events worth storing, so a one-shot query
	// never pays for loading events it cannot return.
	Keep func(*event.Event) bool
	// NewKeep is Keep applied while parsing, on both cores (logs.Options.NewKeep):
	// each parsing worker calls it once and uses the predicate it returns
	// from its own goroutine. Prefer it to Keep; with both, an event is
	// stored when both keep it. Ignored with a DB, like Keep.
	NewKeep func() func(*event.Event) bool
	// NewFlowKeep is NewKeep with a first test of flow-log tuples before
	// their events are built (logs.Options.NewFlowKeep); used instead of
	// NewKeep when set.
	NewFlowKeep func() (keep func(*event.Event) bool, flow logs.FlowCheck)
	// Progress, when set, receives progress lines (a terminal).
	Progress io.Writer
	// Push is the filter compiled to KQL for the push-down sources (nil:
	// Filter), PushMode which events it must keep (kql.Events or
	// kql.Conversations).
	Push     *filter.Filter
	PushMode kql.Mode
	// PushTally asks each push-down target for its activity count too
	// (kql.Tally: rows per resource and minute of the query's window and
	// tables), into Loaded.Counts: explain's proof that a log was alive.
	PushTally bool
	// KQL says how push-down reaches the services; the zero value signs
	// in with azidentity's default chain (only tests set it).
	KQL kql.Options
}

// Loaded is an open store with what loading it read and skipped.
type Loaded struct {
	Store *store.Store
	// Report lists the records and inputs that could not be read.
	Report *logs.Report
	// Inputs is how many inputs were read; Added and Duplicates count the
	// events stored and those already in the store.
	Inputs            int
	Added, Duplicates int64
	// Unchanged is how many inputs were not read because the store (a DB)
	// already holds them whole: listed with the size and version (file
	// modification time, blob ETag) recorded when they were loaded.
	Unchanged int
	// parts is how many transactions the load committed (a --db load
	// commits every loadGroupBytes of input).
	parts int
	// newest is the newest event time of all the data read, set when the
	// store holds only a filtered part of it (Options.Keep).
	newest time.Time
	// inputs are the inputs read, kept for Reread when the store holds
	// only a filtered part of them; progress is Options.Progress.
	inputs   []logs.Input
	progress io.Writer
	// Counts are the push-down targets' activity counts (Options.PushTally).
	Counts []kql.Count
}

// Open opens the store and loads the sources' logs into it. Inputs that
// could not be expanded are reported as skips, not failures.
func Open(ctx context.Context, src Sources, opt Options) (*Loaded, error) {
	st, err := store.Open(ctx, src.DB)
	if err != nil {
		return nil, err
	}
	l := &Loaded{Store: st, Report: &logs.Report{}}
	if len(src.Logs) == 0 && !src.pushes() {
		return l, nil
	}
	ins, errs := expand(ctx, src, opt)
	pins, counts, perrs := pushed(ctx, src, opt, true)
	l.Counts = counts
	ins = append(ins, pins...)
	for _, e := range append(errs, perrs...) {
		var se skipErr
		if errors.As(e, &se) {
			l.Report.AddSkip(se.Skip)
			continue
		}
		l.Report.AddSkip(logs.Skip{Name: "--logs", Record: -1, Tuple: -1, Code: logs.CodeUnreadable, Reason: e.Error()})
	}
	if src.DB != "" {
		if ins, err = skipUnchanged(ctx, st, ins, l); err != nil {
			st.Close()
			return nil, err
		}
	}
	// A load into a file commits every loadGroupBytes of input (whole
	// inputs, in order), so DuckDB's state for the open transaction, which
	// grows with it, stays bounded; each group is all or nothing, as one
	// load was.
	groups := [][]logs.Input{ins}
	if src.DB != "" {
		groups = inputGroups(ins, loadGroupBytes)
	}
	filtered := src.DB == "" && (opt.Keep != nil || opt.NewKeep != nil || opt.NewFlowKeep != nil)
	var before logs.Progress
	var newest time.Time
	for _, group := range groups {
		ld, err := loadGroup(ctx, st, group, src, opt, l.Report, filtered, before, len(ins))
		if err != nil {
			st.Close()
			return nil, err
		}
		before.Files += len(group)
		before.Events += ld.Added() + ld.Duplicates()
		for _, in := range group {
			before.Bytes += max(in.Size, 0)
		}
		l.Added += ld.Added()
		l.Duplicates += ld.Duplicates()
		l.parts++
		if n := ld.Newest(); n.After(newest) {
			newest = n
		}
	}
	if filtered {
		l.inputs, l.progress = ins, opt.Progress
		l.newest = newest
		if n := l.Report.Newest(); n.After(l.newest) {
			l.newest = n
		}
	}
	l.Inputs = len(ins)
	return l, nil
}

// loadGroupBytes is how many bytes of input (as listed: compressed for
// gzip) one transaction of a --db load reads at most, unless one input is
// larger. A load of 100 M tuples peaked at 228 MiB in one transaction,
// 210 MiB in groups of 1 GiB and 212 MiB in groups of 256 MiB (what still
// grows is DuckDB's own state for the table); the groups also bound the
// open transaction's spill in the store's .tmp (docs/PERFORMANCE.md,
// Persistent store).
var loadGroupBytes int64 = 1 << 30

// inputGroups cuts ins, in order, into runs of at most limit bytes (an input
// larger than limit is a run of its own; an unknown size counts as none).
func inputGroups(ins []logs.Input, limit int64) [][]logs.Input {
	var groups [][]logs.Input
	start, size := 0, int64(0)
	for i, in := range ins {
		n := max(in.Size, 0)
		if i > start && size+n > limit {
			groups = append(groups, ins[start:i])
			start, size = i, 0
		}
		size += n
	}
	return append(groups, ins[start:])
}

// loadGroup reads the inputs of one transaction into st and commits them.
// before (what the earlier groups read) and total (the inputs of the whole
// load) place the group in the load, for the progress line.
func loadGroup(ctx context.Context, st *store.Store, ins []logs.Input, src Sources, opt Options, rep *logs.Report, filtered bool, before logs.Progress, total int) (*store.Loader, error) {
	ld, err := st.NewLoader(ctx)
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		ld.SetInput(in.Key, store.InputState{Size: in.Size, Version: in.Version})
	}
	if opt.Keep != nil && src.DB == "" {
		ld.Keep = opt.Keep
	}
	ro := logs.Options{Workers: readWorkers(ins), Progress: opt.Progress, Before: before, FilesTotal: total}
	if src.DB == "" {
		ro.NewKeep, ro.NewFlowKeep = opt.NewKeep, opt.NewFlowKeep
	}
	if filtered || src.DB != "" {
		// Few events are kept, or they go to a file: smaller batches hold
		// less memory in the reader's pool (a 4096-event batch is 2 MB; a
		// --db load's peak was 25 MB lower with 1024) at no measurable cost.
		ro.BatchSize = smallBatch
	}
	if ld.Keep == nil {
		// The loader's per-event work runs in the parsing workers.
		ro.NewEmit = ld.NewWorker
	}
	defer loadGC(gcPercent(src.DB != "", filtered))()
	if err := logs.ReadAll(ctx, ins, ro, rep, ld.Add); err != nil {
		ld.Abort(ctx)
		return nil, fmt.Errorf("load logs: %w", err)
	}
	if err := ld.Commit(ctx); err != nil {
		return nil, err
	}
	return ld, nil
}

// Reread reads the inputs of a filtered one-shot load (Options.Keep or
// NewKeep, no DB) again and stores the events keep admits: a second pass
// for events the first pass's filter could not know it needed (explain's
// DNAT backends, known only once the firewall's DNAT record is read). keep
// is called from the parsing workers at once, so it must be safe for
// concurrent use, and must refuse every event the first pass stored, or
// that event is stored twice. Stdin cannot be read again and is left
// out. A store that holds every event (a DB, an unfiltered load) needs no
// second pass: Reread does nothing. What cannot be read was reported by
// the first pass; it returns how many events it added.
func (l *Loaded) Reread(ctx context.Context, keep func(*event.Event) bool) (int64, error) {
	var ins []logs.Input
	for _, in := range l.inputs {
		if in.Key != "-" {
			ins = append(ins, in)
		}
	}
	if len(ins) == 0 {
		return 0, nil
	}
	ld, err := l.Store.NewLoader(ctx)
	if err != nil {
		return 0, err
	}
	ld.Rescan = true
	ro := logs.Options{Workers: readWorkers(ins), Progress: l.progress, NewKeep: func() func(*event.Event) bool { return keep },
		NewEmit: ld.NewWorker}
	if err := logs.ReadAll(ctx, ins, ro, &logs.Report{}, ld.Add); err != nil {
		ld.Abort(ctx)
		return 0, fmt.Errorf("read logs again: %w", err)
	}
	if err := ld.Commit(ctx); err != nil {
		return 0, err
	}
	l.Added += ld.Added()
	return ld.Added(), nil
}

// skipUnchanged drops the inputs st already holds whole (same key, size
// and version as when they were loaded: Store.InputStates) and counts them
// in l.Unchanged: re-loading the same logs reads nothing. An input that grew
// (an hourly blob Azure appends to) has another size and version and is
// read; its records already stored are skipped as before.
func skipUnchanged(ctx context.Context, st *store.Store, ins []logs.Input, l *Loaded) ([]logs.Input, error) {
	states, err := st.InputStates(ctx)
	if err != nil || len(states) == 0 {
		return ins, err
	}
	kept := make([]logs.Input, 0, len(ins))
	for _, in := range ins {
		if s, ok := states[in.Key]; ok && in.Version != "" && s == (store.InputState{Size: in.Size, Version: in.Version}) {
			l.Unchanged++
			continue
		}
		kept = append(kept, in)
	}
	return kept, nil
}

// Newest returns the newest event time of the data read (of everything
// read, not only what Keep stored); ok is false when there are no events.
func (l *Loaded) Newest(ctx context.Context) (time.Time, bool, error) {
	if !l.newest.IsZero() {
		return l.newest, true, nil
	}
	return l.Store.Newest(ctx)
}

// Bind resolves a relative --since/--until of f against the newest event.
// With no events there is nothing to bind: any window selects nothing.
func (l *Loaded) Bind(ctx context.Context, f *filter.Filter) error {
	if !f.NeedsNewest() {
		return nil
	}
	newest, ok, err := l.Newest(ctx)
	if err != nil || !ok {
		return err
	}
	return f.Bind(newest)
}

// Close closes the store.
func (l *Loaded) Close() error { return l.Store.Close() }

// expand turns the Logs values into inputs: blob URLs through internal/blob
// (listing only the hours the filter's window needs), everything else
// through logs.Expand. Sources that cannot be listed are returned as errors;
// their text never holds a secret.
func expand(ctx context.Context, src Sources, opt Options) ([]logs.Input, []error) {
	var local []string
	var ins []logs.Input
	var errs []error
	bo := blob.Options{StorageAccount: src.StorageAccount, ConnectionString: src.ConnectionString, Window: blobWindow(opt.Filter)}
	if opt.Progress != nil {
		bo.Progress = blob.NewProgress(opt.Progress)
	}
	for _, p := range src.Logs {
		if !blob.IsURL(p) {
			local = append(local, p)
			continue
		}
		got, err := blob.Expand(ctx, p, bo)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ins = append(ins, got...)
	}
	if len(local) > 0 {
		li, lerrs := logs.Expand(local, src.Stdin)
		ins = append(li, ins...)
		errs = append(errs, lerrs...)
	}
	return ins, errs
}

// blobWindow turns the filter's --since/--until (f nil: none) into the
// window blob listing prunes by; a relative bound counts back from the
// newest hour folder.
func blobWindow(f *filter.Filter) blob.Window {
	if f == nil {
		return blob.Window{}
	}
	return blob.Window{Since: f.Since.At, Until: f.Until.At, SinceAgo: f.Since.Ago, UntilAgo: f.Until.Ago}
}

// smallBatch is the reader's batch size for a filtered one-shot load and a
// load into a --db file.
const smallBatch = 1024

// loadGC sets the collector for a load and returns what restores it: GOGC
// 400 for a whole load into an in-memory store (which holds every event in
// memory anyway), 50 for a load into a file, else the default; a GOGC in
// the environment is kept either way. The live Go heap of a load is small
// (a few pooled batches and the workers' caches, ≈ 10–30 MB) and its
// garbage little, so GOGC 400 saves no measurable CPU in a --db load while
// its heap goal, five times the live heap, was ≈ 100 MB of the peak, and
// GOGC 50 holds ≈ 10 MB less than the default at the same CPU; in a
// filtered one-shot load the heap goal was most of the peak
// (docs/PERFORMANCE.md, Explain and Persistent store).
func loadGC(percent int) func() {
	if percent == 100 || os.Getenv("GOGC") != "" {
		return func() {} // a GOGC the user set is theirs
	}
	old := debug.SetGCPercent(percent)
	return func() { debug.SetGCPercent(old) }
}

// gcPercent is the GOGC loadGC sets for a load into a file (db) or memory.
func gcPercent(db, filtered bool) int {
	switch {
	case db:
		return 50
	case !filtered:
		return 400
	}
	return 100
}

// blobWorkers is how many inputs are read at once when some are blobs:
// downloads wait on the network, so more than one per core pays.
const blobWorkers = 8

// readWorkers returns the reader's worker count for ins: blobWorkers when
// any input is a blob, else 0 (the reader's default, one per core).
func readWorkers(ins []logs.Input) int {
	for _, in := range ins {
		if blob.IsURL(in.Name) {
			return blobWorkers
		}
	}
	return 0
}
