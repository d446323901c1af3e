// Package workspace holds what a long-running front end (the web UI, the
// MCP server) answers from: one topology and its engine, one evidence
// store, and the folders it may read captures and scenario files from. It
// loads them once at start; the answers themselves come from the packages
// that own them (trace, scenario, store, pcap, explain), exactly as the CLI
// gets them.
//
// A Workspace is safe for concurrent use: the engine and the store are, and
// the capture cache locks.
package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pathproof/pathproof/internal/azlive"
	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/kql"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/render/report"
	"github.com/pathproof/pathproof/internal/store"
	"github.com/pathproof/pathproof/internal/topology"
)

// Config says what to load.
type Config struct {
	// Topology are topology files or folders, or azure:// scopes read
	// live (as --topology); none: the topology questions answer with
	// ErrNoTopology.
	Topology []string
	// Azure says how azure:// scopes reach Azure (zero: the default
	// credential chain).
	Azure azlive.Options
	// ServiceTags is a ServiceTags_Public_*.json file; Profile the None-route
	// profile (documented or observed).
	ServiceTags string
	Profile     string
	// Evidence are the --logs sources and --db file; none: the evidence
	// questions answer with ErrNoEvidence.
	Evidence ingest.Sources
	// Files are the folders and files the front end may read captures and
	// scenario files from, by path relative to one of them or absolute
	// inside one. Empty: none.
	Files []string
	// Progress receives loading progress lines (nil: none).
	Progress io.Writer
	// KQL says how push-down evidence (Evidence.Workspace, ADX) reaches
	// the services; the zero value signs in with azidentity's default
	// chain (only tests set it).
	KQL kql.Options
}

// ErrNoTopology and ErrNoEvidence say what the front end was started
// without, in the words of its flags.
var (
	ErrNoTopology = errors.New("no topology loaded: start the server with --topology FILE|FOLDER")
	ErrNoEvidence = errors.New("no evidence loaded: start the server with --logs SRC or --db FILE")
)

// Workspace is the loaded inputs.
type Workspace struct {
	cfg Config
	// Net and Engine are nil without a topology.
	Net    *topology.Network
	Engine *azure.Engine
	// EngineOptions are the service tags and profile (also for scenario
	// files that carry their own topology).
	EngineOptions azure.Options
	// Evidence is nil without logs or a database.
	Evidence *ingest.Loaded
	// Warnings are what loading noticed but did not stop for (topology
	// warnings, bad service-tag entries, skipped log records), unescaped.
	Warnings []Warning
	captures *captureCache
	mu       sync.Mutex
	empty    *store.Store // explain's store without evidence
	// activity is the tally of every event loaded (nil with a DB file,
	// which holds events earlier loads read).
	activity *explain.Activity
}

// Open loads the configured inputs. A topology that does not validate or a
// store that cannot be opened is an error; skipped log records are
// warnings (and in Evidence.Report).
func Open(ctx context.Context, cfg Config) (*Workspace, error) {
	w := &Workspace{cfg: cfg, captures: newCaptureCache(8)}
	for i, f := range cfg.Files {
		abs, err := filepath.Abs(f)
		if err != nil {
			return nil, fmt.Errorf("--files %s: %w", f, err)
		}
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("--files %s: %w", f, err)
		}
		w.cfg.Files[i] = abs
	}
	if w.pushes() {
		if err := checkPush(cfg.Evidence); err != nil {
			return nil, err
		}
	}
	if err := w.loadOptions(); err != nil {
		return nil, err
	}
	if len(cfg.Topology) > 0 {
		if err := w.loadTopology(ctx); err != nil {
			return nil, err
		}
	}
	if len(cfg.Evidence.Logs) > 0 || cfg.Evidence.DB != "" {
		opt := ingest.Options{Progress: cfg.Progress}
		var act *explain.Activity
		if cfg.Evidence.DB == "" {
			// Everything read is in the store, so explain may prove that a
			// log was alive per emitter, as a one-shot explain does.
			act = explain.NewActivity()
			opt.Keep = func(e *event.Event) bool { act.Observe(e); return true }
		}
		l, err := ingest.Open(ctx, cfg.Evidence, opt)
		if err != nil {
			return nil, err
		}
		if act != nil {
			act.Done()
			w.activity = act
		}
		w.Evidence = l
		if n := l.Report.Skipped(); n > 0 {
			w.warn("", "%d log record(s) or input(s) skipped while loading", n)
		}
	}
	return w, nil
}

// Warning is one thing loading noticed: its registered code (empty for
// the skip count, whose details the evidence report has) and message.
type Warning struct {
	Code, Message string
}

// warn records a warning.
func (w *Workspace) warn(code, format string, a ...any) {
	w.Warnings = append(w.Warnings, Warning{Code: code, Message: fmt.Sprintf(format, a...)})
}

func (w *Workspace) loadOptions() error {
	o := azure.Options{Profile: w.cfg.Profile}
	switch o.Profile {
	case "", azure.ProfileDocumented, azure.ProfileObserved:
	default:
		return fmt.Errorf("--profile %q is not documented or observed", o.Profile)
	}
	if p := w.cfg.ServiceTags; p != "" {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("--service-tags: %w", err)
		}
		st, skipped, err := azure.ParseServiceTags(p, f)
		f.Close()
		if err != nil {
			return err
		}
		if skipped > 0 {
			w.warn(topology.CodeIgnored, "%s: %d bad service-tag entries skipped", p, skipped)
		}
		o.Tags = st
	}
	w.EngineOptions = o
	return nil
}

func (w *Workspace) loadTopology(ctx context.Context) error {
	net, d, snap, err := azlive.Load(ctx, w.cfg.Azure, w.cfg.Topology...)
	if errors.Is(err, azlive.ErrNothingRead) {
		return fmt.Errorf("[%s] %w", azlive.CodeScopeUnreadable, err)
	}
	if snap != nil {
		for _, p := range snap.Problems() {
			w.warn(p.Code(), "%s", p.Error())
		}
	}
	if d != nil {
		for _, x := range d.Warnings {
			w.warn(topology.CodeIgnored, "%s", x)
		}
		for _, x := range d.Missing {
			w.warn(topology.CodeReferenceMissing, "%s", x)
		}
	}
	if err != nil {
		return fmt.Errorf("[%s] %w", topology.CodeInvalid, err)
	}
	w.Net, w.Engine = net, azure.New(net, w.EngineOptions)
	return nil
}

// Close releases the store.
func (w *Workspace) Close() error {
	w.mu.Lock()
	if w.empty != nil {
		w.empty.Close()
	}
	w.mu.Unlock()
	if w.Evidence != nil {
		return w.Evidence.Close()
	}
	return nil
}

// NeedEngine returns the engine, or ErrNoTopology.
func (w *Workspace) NeedEngine() (*azure.Engine, error) {
	if w.Engine == nil {
		return nil, ErrNoTopology
	}
	return w.Engine, nil
}

// NeedStore returns the evidence store, or ErrNoEvidence.
func (w *Workspace) NeedStore() (*store.Store, error) {
	if w.Evidence == nil && w.pushes() {
		return nil, ErrPushOnly
	}
	if w.Evidence == nil {
		return nil, ErrNoEvidence
	}
	return w.Evidence.Store, nil
}

// SourceArgs are the input flags of drill-down command lines (see
// ingest.Sources.Args).
func (w *Workspace) SourceArgs() []string { return w.cfg.Evidence.Args() }

// Config returns the configuration the workspace was opened with (Files
// made absolute).
func (w *Workspace) Config() Config { return w.cfg }

// Resolve returns the absolute path of a file a client names, when it lies
// inside one of the Files folders (or is one of the Files). A relative name
// is tried under each folder in turn. Anything else is refused: a client
// never reads outside what the server was started with.
func (w *Workspace) Resolve(name string) (string, error) {
	if len(w.cfg.Files) == 0 {
		return "", fmt.Errorf("%q: this server may read no files: start it with --files FOLDER", name)
	}
	var cands []string
	if filepath.IsAbs(name) {
		cands = []string{filepath.Clean(name)}
	} else {
		for _, root := range w.cfg.Files {
			cands = append(cands, filepath.Join(root, name))
		}
	}
	for _, c := range cands {
		real, err := filepath.EvalSymlinks(c)
		if err != nil {
			continue
		}
		for _, root := range w.cfg.Files {
			rr, err := filepath.EvalSymlinks(root)
			if err != nil {
				continue
			}
			if real == rr || strings.HasPrefix(real, rr+string(filepath.Separator)) {
				if st, err := os.Stat(real); err == nil && st.Mode().IsRegular() {
					return real, nil
				}
			}
		}
	}
	return "", fmt.Errorf("%q: no such file inside the folders this server may read (%s)", name, strings.Join(w.cfg.Files, ", "))
}

// ListFiles returns the regular files under the Files folders whose names
// end in one of exts (lower case, with the dot), as absolute paths, at most
// limit of them.
func (w *Workspace) ListFiles(limit int, exts ...string) []string {
	var out []string
	for _, root := range w.cfg.Files {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if len(out) >= limit {
				return filepath.SkipAll
			}
			if err != nil {
				return nil // unreadable: listed by nobody
			}
			if d.Type().IsRegular() {
				ext := strings.ToLower(filepath.Ext(p))
				for _, e := range exts {
					if ext == e {
						out = append(out, p)
						break
					}
				}
			}
			return nil
		})
	}
	return out
}

// ReportRaw reads again, from the evidence sources, the log records res
// cites, for its proof report to quote (report.Input.Raw): see ReadReportRaw.
func (w *Workspace) ReportRaw(ctx context.Context, res *explain.Result) map[event.Origin]report.Raw {
	return ReadReportRaw(ctx, w.cfg.Evidence, ingest.Options{}, res)
}

// ReadReportRaw reads again from src the log records res cites, for its
// proof report to quote: each input once (ingest.RawRecords), up to its
// last cited record, at most report.RawKeep bytes of a record kept. Every
// origin has its record or the reason it could not be read (stdin, a
// store without its logs, an input gone), which the report prints in its
// place. Nil when res cites no log record.
func ReadReportRaw(ctx context.Context, src ingest.Sources, opt ingest.Options, res *explain.Result) map[event.Origin]report.Raw {
	origins := report.LogOrigins(res)
	if len(origins) == 0 {
		return nil
	}
	got := ingest.RawRecords(ctx, src, opt, origins, report.RawKeep)
	out := make(map[event.Origin]report.Raw, len(got))
	for o, r := range got {
		out[o] = report.Raw{Record: r.Record, Size: r.Size, Tuple: r.Tuple, Err: r.Err}
	}
	return out
}

// RawRecord returns the raw record an origin (KEY#RECORD[.TUPLE]) cites,
// read again from the evidence sources (see ingest.RawRecord).
func (w *Workspace) RawRecord(ctx context.Context, origin string) (json.RawMessage, error) {
	if w.Evidence == nil && !w.pushes() {
		return nil, ErrNoEvidence
	}
	o, err := event.ParseOrigin(origin)
	if err != nil {
		return nil, err
	}
	raw, err := ingest.RawRecord(ctx, w.cfg.Evidence, o)
	if err != nil {
		return nil, err
	}
	// The front ends show the record to whoever asks: every string is
	// redacted (SAS tokens, keys), as the CLI and the report do.
	red, err := redact.JSON(raw)
	if err != nil {
		return nil, fmt.Errorf("record %s is not JSON", origin)
	}
	return red, nil
}
