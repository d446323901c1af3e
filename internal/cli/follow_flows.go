package cli

import (
	"context"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/render/eventrender"
	"github.com/pathproof/pathproof/internal/store"
)

// followFlows is `flows --follow`: the events of the conversations the
// filter may select loaded as the blobs gain them; after each part, the
// conversations whose summary changed are printed.
func followFlows(ctx context.Context, env *Env, lf *logFlags, ff *followFlags, f *filter.Filter, format string, l eventrender.Layout) error {
	if f.Until.Ago > 0 || !f.Until.At.IsZero() {
		return Usagef("--until ends the window; a follower has no end: drop --until or --follow")
	}
	st, err := store.Open(ctx, lf.db)
	if err != nil {
		return err
	}
	defer st.Close()
	keep, flow := keepFor(f, false)
	rep := &logs.Report{}
	var shown store.Changes
	changed := func() error {
		q := *f
		if q.NeedsNewest() {
			newest, ok, err := st.Newest(ctx)
			if err != nil || !ok {
				return err
			}
			if err := q.Bind(newest); err != nil {
				return Usagef("%v", err)
			}
		}
		convs, err := st.Flows(ctx, &q, 0)
		if err != nil {
			return err
		}
		out := shown.Changed(convs)
		if len(out) == 0 {
			return nil
		}
		return eventrender.Flows(env.Stdout, format, out, lf.sourceArgs(), l)
	}
	err = followStore(ctx, env, lf, ff, f, st, keep, func(fl *logs.Flow) bool { return flow(fl) }, rep, changed)
	return followEnd(env, rep, err)
}
