package workspace

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/kql"
)

// Push-down evidence (Config.Evidence.Workspace, ADX): a long-running
// front end cannot load a whole Log Analytics workspace or ADX database
// once, so each explain question sends its own query, as `pathproof
// explain --workspace` does: the question's window and every address the
// flow may carry, and beside it the per-resource per-minute activity count.

// ErrPushOnly is an evidence question other than explain asked of a front
// end whose only evidence is push-down.
var ErrPushOnly = fmt.Errorf("%w: --workspace/--adx answer explain questions only (their rows are queried per question)", ErrNoEvidence)

// pushes reports whether the evidence is push-down.
func (w *Workspace) pushes() bool {
	return w.cfg.Evidence.Workspace != "" || w.cfg.Evidence.ADX != ""
}

// ErrMixedEvidence is push-down evidence given together with --logs or
// --db: a store loaded once and rows queried per question do not mix.
var ErrMixedEvidence = errors.New("--workspace/--adx cannot be combined with --logs or --db here: a server queries them per explain question; give one kind of evidence")

// checkPush validates the push-down sources at Open: well formed, and
// alone (a store loaded once and rows queried per question do not mix).
func checkPush(src ingest.Sources) error {
	if _, err := src.PushTargets(); err != nil {
		return err
	}
	if len(src.Logs) > 0 || src.DB != "" {
		return ErrMixedEvidence
	}
	return nil
}

// KnownActivity turns push-down activity counts into explain's lower
// bounds (explain.Options.Known); nil without counts.
func KnownActivity(counts []kql.Count) *explain.Activity {
	if len(counts) == 0 {
		return nil
	}
	a := explain.NewActivity()
	for _, c := range counts {
		a.AtLeast(c.Source, c.Emitter, c.Minute, c.N)
	}
	a.Done()
	return a
}

// pushFilter returns the window of q and explain's push-down filter: the
// window and every address of plan, either side. A relative bound is fixed
// at now in both, and in q.Window: the service counts back from when it
// runs, and explain's window must be the one queried.
func pushFilter(q *ExplainQuery, plan *explain.Plan, now time.Time) (win, push *filter.Filter, err error) {
	win, err = q.Window.Filter()
	if err != nil {
		return nil, nil, err
	}
	if win.NeedsNewest() {
		since, until := win.Since.Ago > 0, win.Until.Ago > 0
		if err := ingest.Absolute(win, now); err != nil {
			return nil, nil, &explain.WindowError{Msg: err.Error()}
		}
		if since {
			q.Window.Since = win.Since.At.Format(time.RFC3339Nano)
		}
		if until {
			q.Window.Until = win.Until.At.Format(time.RFC3339Nano)
		}
	}
	pf := *win
	pf.IP = nil
	for _, a := range plan.Addrs() {
		pf.IP = append(pf.IP, netip.PrefixFrom(a, a.BitLen()))
	}
	return win, &pf, nil
}

// explainPushed loads, for one question, the rows the push-down targets
// hold about it (and their activity count) into a store of its own, as
// `pathproof explain --workspace` does, and explains the flow over it.
func (w *Workspace) explainPushed(ctx context.Context, q ExplainQuery, plan *explain.Plan, in explain.Inputs) (*explain.Result, error) {
	win, push, err := pushFilter(&q, plan, time.Now())
	if err != nil {
		return nil, err
	}
	act := explain.NewActivity()
	keep := plan.KeepWithin(q.Window.Bounds())
	newFlowKeep, merge := keep.NewFlowKeep(act)
	src := ingest.Sources{Workspace: w.cfg.Evidence.Workspace, ADX: w.cfg.Evidence.ADX}
	l, err := ingest.Open(ctx, src, ingest.Options{Filter: win, Push: push, PushTally: true, NewFlowKeep: newFlowKeep, KQL: w.cfg.KQL})
	if err != nil {
		return nil, err
	}
	merge()
	defer l.Close()
	opt := explain.Options{Known: KnownActivity(l.Counts), Activity: act}
	if err := q.Window.Apply(&opt, func() (time.Time, bool, error) { return l.Newest(ctx) }); err != nil {
		return nil, err
	}
	// The window's events are read once for Widen and Explain.
	st, err := keep.CacheWindow(ctx, l.Store, opt)
	if err != nil {
		return nil, err
	}
	// A DNAT backend the plan could not know is known once the firewall's
	// DNAT record is read: read the rows again for it.
	widen, err := keep.Widen(ctx, st, opt)
	if err != nil {
		return nil, err
	}
	if widen != nil {
		if _, err := l.Reread(ctx, widen); err != nil {
			return nil, err
		}
		if st, err = keep.CacheWindow(ctx, l.Store, opt); err != nil {
			return nil, err
		}
	}
	ts, _ := src.PushTargets()
	for _, t := range ts {
		in.Logs = append(in.Logs, t.Flag())
	}
	in.AddLogSkips(l.Report.Skips(), l.Report.Skipped())
	return w.explainOver(ctx, plan, st, opt, in, q.Captures)
}
