package ingest

import (
	"context"
	"errors"
	"time"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/kql"
	"github.com/pathproof/pathproof/internal/logs"
)

// PushTargets parses the push-down sources (Sources.Workspace, ADX).
func (s Sources) PushTargets() ([]kql.Target, error) {
	var out []kql.Target
	if s.Workspace != "" {
		t, err := kql.ParseWorkspace(s.Workspace)
		if err != nil {
			return nil, errors.New("--workspace " + err.Error())
		}
		out = append(out, t)
	}
	if s.ADX != "" {
		t, err := kql.ParseADX(s.ADX)
		if err != nil {
			return nil, errors.New("--adx " + err.Error())
		}
		out = append(out, t)
	}
	return out, nil
}

// pushes reports whether the sources include a push-down target.
func (s Sources) pushes() bool { return s.Workspace != "" || s.ADX != "" }

// PushQuery compiles the query Open sends to the push-down targets.
func (o Options) PushQuery() *kql.Query {
	f := o.Push
	if f == nil {
		f = o.Filter
	}
	return kql.Compile(f, o.PushMode)
}

// skipErr is a push-down partial result reported as a skip with its code.
type skipErr struct{ logs.Skip }

func (e skipErr) Error() string { return e.Reason }

// pushed returns the rows of the push-down targets as inputs: the rows
// this process already read (a second expansion, to read cited records
// again), else, when fetch is set, the rows the query returns, and with
// Options.PushTally the targets' activity counts. Failures and partial
// results come back as errors (skipErr for the latter).
func pushed(ctx context.Context, src Sources, opt Options, fetch bool) ([]logs.Input, []kql.Count, []error) {
	ts, err := src.PushTargets()
	if err != nil {
		return nil, nil, []error{err}
	}
	var ins []logs.Input
	var counts []kql.Count
	var errs []error
	for _, t := range ts {
		// A load (fetch) always asks the service: it is a new question,
		// and a process may ask several (tests, front ends); a re-read of
		// cited records gets the rows the last load of t read.
		res, ok := kql.Cached(t)
		if !fetch && !ok {
			errs = append(errs, errors.New(t.Flag()+": its rows are read by the query that cites them; run the command again with the same filter and an absolute --since/--until"))
			continue
		}
		if fetch {
			q := opt.PushQuery()
			res, err = kql.Fetch(ctx, t, q, opt.KQL)
			if err != nil {
				errs = append(errs, skipErr{logs.Skip{Name: t.Flag(), Record: -1, Tuple: -1, Code: kql.CodeFailed, Reason: err.Error()}})
				continue
			}
			if opt.PushTally {
				tr, err := kql.FetchTally(ctx, t, q.Tally(), opt.KQL)
				if err != nil {
					errs = append(errs, skipErr{logs.Skip{Name: t.Flag() + " (activity count)", Record: -1, Tuple: -1, Code: kql.CodeFailed, Reason: err.Error()}})
				} else {
					counts = append(counts, tr.Counts...)
					for _, s := range tr.Skips {
						errs = append(errs, skipErr{s})
					}
				}
			}
		}
		ins = append(ins, res.Inputs...)
		for _, s := range res.Skips {
			errs = append(errs, skipErr{s})
		}
	}
	return ins, counts, errs
}

// Absolute resolves a relative --since/--until of f against now, for a
// push-down: the service counts back from the moment it runs, and the
// store must select the same window from the rows it returns.
func Absolute(f *filter.Filter, now time.Time) error {
	if !f.NeedsNewest() {
		return nil
	}
	w := kql.Window{Since: f.Since, Until: f.Until}
	since, until := w.Resolve(now)
	if f.Since.Ago > 0 {
		f.Since = filter.Bound{At: since}
	}
	if f.Until.Ago > 0 {
		f.Until = filter.Bound{At: until}
	}
	return f.Bind(time.Time{})
}
