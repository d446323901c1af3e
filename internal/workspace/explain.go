package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/ingest"
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
// topology (inferred path without one) and evidence store. An unknown
// source or destination is an *explain.QueryError; a bad window an
// *explain.WindowError.
func (w *Workspace) Explain(ctx context.Context, q ExplainQuery) (*Explained, error) {
	if w.Evidence == nil && len(q.Captures) == 0 {
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
	st, newest, err := w.evidenceStore(ctx)
	if err != nil {
		return nil, err
	}
	opt := explain.Options{Activity: w.activity}
	if err := q.Window.Apply(&opt, newest); err != nil {
		return nil, err
	}
	in := explain.Inputs{Topology: w.cfg.Topology, DB: w.cfg.Evidence.DB}
	for _, p := range w.cfg.Evidence.Logs {
		in.Logs = append(in.Logs, ingest.Sources{Logs: []string{p}}.Args()[1])
	}
	if w.Evidence != nil {
		for _, s := range w.Evidence.Report.Skips() {
			in.Skipped = append(in.Skipped, explain.Skipped{Origin: s.Name, Record: s.Record, Tuple: max(s.Tuple, 0), Code: s.Code, Reason: s.Reason})
		}
		in.SkippedTotal = int64(w.Evidence.Report.Skipped())
	}
	for _, c := range q.Captures {
		rep, err := w.Capture(c)
		if err != nil {
			return nil, err
		}
		if rep.Partial() {
			in.SkippedTotal++
			reason := "capture partly unreadable"
			if rep.ReadError != nil {
				reason = rep.ReadError.Reason
			}
			in.Skipped = append(in.Skipped, explain.Skipped{Origin: c, Record: -1, Code: "pcap.partial", Reason: reason})
		}
		opt.Captures = append(opt.Captures, rep)
		in.Captures = append(in.Captures, c)
	}
	res, err := plan.Explain(ctx, st, opt)
	if err != nil {
		return nil, err
	}
	res.SetInputs(in)
	return &Explained{Result: res, Plan: plan}, nil
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
