package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/store"
)

// ExplainQuery is one explain question as a front end receives it.
type ExplainQuery struct {
	explain.Query
	Window explain.WindowSpec
	// Captures are capture files (names inside the Files folders) of the
	// flow.
	Captures []string
}

// Explained is an explanation with the plan it came from (Plan.Trace is the
// simulated path, nil without a topology).
type Explained struct {
	Result *explain.Result
	Plan   *explain.Plan
}

// Explain answers q as `pathproof explain` does, over the workspace's
// topology (inferred path without one) and evidence store, or, with
// push-down evidence, over the rows its targets return for q alone (see
// push.go). An unknown source or destination is an *explain.QueryError; a
// bad window an *explain.WindowError.
func (w *Workspace) Explain(ctx context.Context, q ExplainQuery) (*Explained, error) {
	if w.Evidence == nil && !w.pushes() && len(q.Captures) == 0 {
		return nil, fmt.Errorf("explain needs evidence: %w (or give captures)", ErrNoEvidence)
	}
	var plan *explain.Plan
	var err error
	if w.Engine != nil {
		plan, err = explain.Prepare(q.Query, w.Engine)
	} else {
		plan, err = explain.Prepare(q.Query, nil)
	}
	if err != nil {
		return nil, err
	}
	in := explain.Inputs{Topology: w.cfg.Topology, DB: w.cfg.Evidence.DB}
	var res *explain.Result
	if w.pushes() {
		res, err = w.explainPushed(ctx, q, plan, in)
	} else {
		res, err = w.explainLoaded(ctx, q, plan, in)
	}
	if err != nil {
		return nil, err
	}
	return &Explained{Result: res, Plan: plan}, nil
}

// explainLoaded explains the flow over the evidence loaded at Open.
func (w *Workspace) explainLoaded(ctx context.Context, q ExplainQuery, plan *explain.Plan, in explain.Inputs) (*explain.Result, error) {
	st, newest, err := w.evidenceStore(ctx)
	if err != nil {
		return nil, err
	}
	opt := explain.Options{Activity: w.activity}
	if err := q.Window.Apply(&opt, newest); err != nil {
		return nil, err
	}
	for _, p := range w.cfg.Evidence.Logs {
		in.Logs = append(in.Logs, redact.String(p))
	}
	if w.Evidence != nil {
		in.AddLogSkips(w.Evidence.Report.Skips(), w.Evidence.Report.Skipped())
	}
	return w.explainOver(ctx, plan, st, opt, in, q.Captures)
}

// explainOver adds the question's captures and explains the flow over st.
func (w *Workspace) explainOver(ctx context.Context, plan *explain.Plan, st explain.Store, opt explain.Options, in explain.Inputs, captures []string) (*explain.Result, error) {
	for _, c := range captures {
		rep, err := w.Capture(c)
		if err != nil {
			return nil, err
		}
		opt.Captures = append(opt.Captures, rep)
		in.AddCapture(c, rep)
	}
	res, err := plan.Explain(ctx, st, opt)
	if err != nil {
		return nil, err
	}
	res.SetInputs(in)
	return res, nil
}

// evidenceStore returns the store explain reads (an empty one, opened
// once, without evidence: captures alone) and how to find its newest event.
func (w *Workspace) evidenceStore(ctx context.Context) (explain.Store, func() (time.Time, bool, error), error) {
	if w.Evidence != nil {
		return w.Evidence.Store, func() (time.Time, bool, error) { return w.Evidence.Newest(ctx) }, nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.empty == nil {
		st, err := store.Open(ctx, "")
		if err != nil {
			return nil, nil, err
		}
		w.empty = st
	}
	return w.empty, func() (time.Time, bool, error) { return w.empty.Newest(ctx) }, nil
}
