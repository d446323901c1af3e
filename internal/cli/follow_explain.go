package cli

import (
	"context"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/render/explainrender"
	"github.com/pathproof/pathproof/internal/store"
)

// followExplain is `explain --follow`: the evidence loaded as the blobs
// gain it, the question explained again after each part that added
// events, each change of verdict printed.
func followExplain(ctx context.Context, env *Env, lf *logFlags, ff *followFlags, ef *explainFlags, plan *explain.Plan, in explain.Inputs, captures []*pcap.Report, win *filter.Filter, format string) error {
	st, err := store.Open(ctx, lf.db)
	if err != nil {
		return err
	}
	defer st.Close()
	act := explain.NewActivity()
	newFlowKeep, merge := plan.NewFlowKeep(act)
	// The follower parses in one goroutine and emits in it: its keep pair
	// is swapped for a fresh one after each part, once the part's tally
	// is merged.
	keep, flow := newFlowKeep()
	rep := &logs.Report{}
	changes, last := 0, ""
	evaluate := func() error {
		merge()
		keep, flow = newFlowKeep()
		opt := explain.Options{Captures: captures}
		if lf.db == "" {
			opt.Activity = act
		}
		if err := ef.spec().Apply(&opt, func() (time.Time, bool, error) { return st.Newest(ctx) }); err != nil {
			return err
		}
		res, err := plan.Explain(ctx, st, opt)
		if err != nil {
			return err
		}
		in := in // each answer lists the skips so far, once
		in.AddLogSkips(rep.Skips(), rep.Skipped())
		res.SetInputs(in)
		key := res.VerdictKey()
		if key == last {
			return nil
		}
		changes++
		prev := last
		last = key
		return explainrender.WriteChange(env.Stdout, format, explainrender.Change{Change: changes, Previous: prev, Result: res}, time.Now())
	}
	if err := evaluate(); err != nil {
		return err
	}
	err = followStore(ctx, env, lf, ff, win, st,
		func(e *event.Event) bool { return keep(e) },
		func(f *logs.Flow) bool { return flow(f) },
		rep, evaluate)
	return followEnd(env, rep, err)
}

// follow runs `explain --follow` for the flags: the inputs named, the
// captures analysed once, then followExplain.
func (f *explainFlags) follow(ctx context.Context, env *Env, lf *logFlags, ff *followFlags, topo *topoFlags, plan *explain.Plan, win *filter.Filter, format string) error {
	if f.at != "" || f.until != "" {
		return Usagef("--until and --at end the window; a follower has no end: use --since, or drop --follow")
	}
	in := explain.Inputs{Topology: topo.paths, DB: lf.db}
	for _, p := range lf.logs {
		in.Logs = append(in.Logs, redact.String(p))
	}
	var captures []*pcap.Report
	for _, p := range f.pcaps {
		rep, err := analyzeCapture(p)
		if err != nil {
			return err
		}
		captures = append(captures, rep)
		in.AddCapture(p, rep)
	}
	return followExplain(ctx, env, lf, ff, f, plan, in, captures, win, format)
}
