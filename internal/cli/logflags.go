package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/render/eventrender"
	"github.com/pathproof/pathproof/internal/store"
)

// logFlags is the shared --logs / --db / filter plumbing of the commands
// that read evidence from logs (events, flows, sql).
type logFlags struct {
	logs []string
	db   string
	spec filter.Spec
	// withFilter is false for commands without filter flags (sql).
	withFilter bool
	blob       blobFlags // blob URL sources (logsources.go)
	// printFilter asks for the compiled filter instead of results.
	printFilter bool
	push        pushFlags // push-down sources (pushflags.go)
}

// addLogFlags registers --logs and --db, and the filter flags when
// withFilter is set.
func addLogFlags(cmd *cobra.Command, withFilter bool) *logFlags {
	lf := &logFlags{withFilter: withFilter}
	cmd.Flags().StringArrayVarP(&lf.logs, "logs", "l", nil, "log file, folder (recursive, storage-account layout), blob URL (https://, azblob://) or - for stdin; repeatable")
	cmd.Flags().StringVar(&lf.db, "db", "", "keep events in this DuckDB file (re-loading a log adds only what is new); without --logs, query it")
	lf.blob.add(cmd)
	if withFilter {
		filter.AddFlags(cmd.Flags(), &lf.spec)
		cmd.Flags().BoolVar(&lf.printFilter, "print-filter", false, "print the filter compiled to SQL (with its bind values) and exit; nothing is read")
	}
	return lf
}

// writeFilter prints the compiled filter (--print-filter).
func (lf *logFlags) writeFilter(env *Env, f *filter.Filter) error {
	return eventrender.Filter(env.Stdout, f)
}

// validate checks the command line before any work: the filter, and that
// there is something to read (exit 2 otherwise).
func (lf *logFlags) validate() (*filter.Filter, error) {
	if lf.printFilter || lf.push.printKQL {
		f, err := filter.Parse(lf.spec)
		if err != nil {
			return nil, Usagef("%v", err)
		}
		return f, nil
	}
	if err := lf.push.check(); err != nil {
		return nil, err
	}
	if len(lf.logs) == 0 && lf.db == "" && !lf.push.any() {
		return nil, Usagef("give --logs (files, folders or -), --db FILE, --workspace or --adx to read events from")
	}
	for _, p := range lf.logs {
		if p == "-" {
			continue
		}
		if isBlobSource(p) {
			if err := lf.blob.check(p); err != nil {
				return nil, err
			}
			continue
		}
		if _, err := os.Stat(p); err != nil {
			return nil, Usagef("--logs %s: %v", p, lgNoPath(err))
		}
	}
	if len(lf.logs) == 0 && !lf.push.any() {
		if _, err := os.Stat(lf.db); err != nil {
			return nil, Usagef("--db %s: %v (give --logs to create it)", lf.db, lgNoPath(err))
		}
	}
	f := &filter.Filter{}
	if lf.withFilter {
		var err error
		if f, err = filter.Parse(lf.spec); err != nil {
			return nil, Usagef("%v", err)
		}
	}
	return f, nil
}

// lgNoPath shortens a *PathError to its cause (the path is already named).
func lgNoPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// loaded is an open store with the report of what loading it skipped.
type loaded struct {
	*ingest.Loaded
	st  *store.Store
	rep *logs.Report
}

// open opens the store and loads the --logs inputs into it (internal/ingest).
// f is the command's filter (nil for none): its --since/--until prune blob
// listings. Inputs that could not be expanded are reported as skips, not
// failures. keep, when not nil and the store is in memory (no --db, so
// nothing outlives this query), picks the events worth storing: a one-shot
// query then never pays for loading events it cannot return. keep runs in
// the parsing workers, on every core at once: it must be safe for
// concurrent use (the filter's match methods are). flow, when not nil, is
// the same test on a flow tuple's addresses, ports and protocol, applied
// before its event is built (the filter's MatchFlow for MatchUntimed).
func (lf *logFlags) open(ctx context.Context, env *Env, f *filter.Filter, keep func(*event.Event) bool, flow logs.FlowCheck) (*loaded, error) {
	src := lf.sources(env.Stdin)
	if err := lf.push.resolve(f); err != nil {
		return nil, err
	}
	opt := ingest.Options{Filter: f, PushMode: lf.push.mode, KQL: env.KQL}
	if keep != nil {
		opt.NewKeep = func() func(*event.Event) bool { return keep }
		if flow != nil {
			opt.NewFlowKeep = func() (func(*event.Event) bool, logs.FlowCheck) { return keep, flow }
		}
	}
	tty := isTerminal(env.Stderr)
	if tty {
		opt.Progress = env.Stderr
	}
	il, err := ingest.Open(ctx, src, opt)
	if err != nil {
		return nil, err
	}
	if tty && (len(lf.logs) > 0 || lf.push.any()) {
		_ = eventrender.Loaded(env.Stderr, il.Added, il.Duplicates, il.Inputs, il.Unchanged)
	}
	return &loaded{Loaded: il, st: il.Store, rep: il.Report}, nil
}

// sources are the --logs, --db and blob flags as ingest reads them.
func (lf *logFlags) sources(stdin io.Reader) ingest.Sources {
	return ingest.Sources{Logs: lf.logs, DB: lf.db, StorageAccount: lf.blob.account, ConnectionString: os.Getenv(connStringEnv), Stdin: stdin,
		Workspace: lf.push.workspace, ADX: lf.push.adx}
}

// bind resolves a relative --since/--until against the newest event.
func (l *loaded) bind(ctx context.Context, f *filter.Filter) error {
	if !f.NeedsNewest() {
		return nil
	}
	newest, ok, err := l.Newest(ctx)
	if err != nil || !ok {
		return err // no events: any window selects nothing
	}
	if err := f.Bind(newest); err != nil {
		return Usagef("%v", err)
	}
	return nil
}

// finish closes the store, writes the skip summary on stderr and turns
// skipped input into exit 4.
func (l *loaded) finish(env *Env, err error) error {
	l.st.Close()
	if err != nil {
		return err
	}
	if l.rep.Skipped() > 0 {
		if werr := l.rep.WriteSummary(env.Stderr, 20); werr != nil {
			return werr
		}
		return Partial()
	}
	return nil
}

// sourceArgs repeats the input flags for a drill-down command line.
func (lf *logFlags) sourceArgs() []string { return lf.sources(nil).Args() }

// stdinNote warns, when the events came from stdin and no --db file keeps
// them, that the drill-down commands printed with --logs - need the same
// logs piped in again: stdin cannot be read a second time.
func (lf *logFlags) stdinNote(env *Env) {
	if lf.db == "" && slices.Contains(lf.logs, "-") {
		fmt.Fprintln(env.Stderr, "note: the commands printed below read --logs - (stdin) again: pipe the same logs into each, or add --db FILE to keep the events and query that file instead")
	}
}
