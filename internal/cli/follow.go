package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/blob"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/follow"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/render/eventrender"
	"github.com/pathproof/pathproof/internal/store"
)

// followFlags are --follow and its options, shared by events, flows and
// explain (internal/follow; docs/connectors.md, Follow).
type followFlags struct {
	on         bool
	checkpoint string
	poll       time.Duration
	settle     time.Duration
}

// addFollowFlags registers --follow, --checkpoint, --poll and --settle.
func addFollowFlags(cmd *cobra.Command) *followFlags {
	ff := &followFlags{}
	cmd.Flags().BoolVarP(&ff.on, "follow", "F", false, "keep reading the --logs blob URLs as Azure writes them (new flow-log blocks, appended lines, new hourly blobs) until interrupted")
	cmd.Flags().StringVar(&ff.checkpoint, "checkpoint", "", "with --follow: resume from this file and keep it up to date (no gap, no repeat after a restart)")
	cmd.Flags().DurationVar(&ff.poll, "poll", follow.DefaultPoll, "with --follow: how often the blobs are checked for new data")
	cmd.Flags().DurationVar(&ff.settle, "settle", follow.DefaultSettle, "with --follow: how long a blob of a past hour must stay unchanged before it is no longer checked")
	return ff
}

// validate checks the follow flags against the command's: every --logs a
// blob URL, a streamable output, no end of window.
func (ff *followFlags) validate(cmd *cobra.Command, lf *logFlags, format string, needStore bool) error {
	if !ff.on {
		for _, n := range []string{"checkpoint", "poll", "settle"} {
			if cmd.Flags().Changed(n) {
				return Usagef("--%s needs --follow", n)
			}
		}
		return nil
	}
	for _, n := range []string{"workspace", "adx", "print-kql", "print-filter"} {
		if cmd.Flags().Changed(n) {
			return Usagef("--%s does not go with --follow, which reads --logs blob URLs", n)
		}
	}
	if len(lf.logs) == 0 {
		return Usagef("--follow needs --logs blob URLs (https://, http:// or azblob://) to follow")
	}
	for _, p := range lf.logs {
		if !isBlobSource(p) {
			return Usagef("--follow reads blob URLs only; %s is not one (a local folder is read once: drop --follow)", redactArg(p))
		}
	}
	if format == "json" {
		return Usagef("--follow prints as it reads: use -o jsonl (one JSON object per line), not -o json")
	}
	if ff.poll < 100*time.Millisecond {
		return Usagef("--poll %s: want at least 100ms", ff.poll)
	}
	if ff.settle <= 0 {
		return Usagef("--settle wants a positive duration")
	}
	if ff.checkpoint != "" && needStore && lf.db == "" {
		return Usagef("--checkpoint with %s --follow needs --db FILE: the events read before a restart must outlive this process", cmd.Name())
	}
	return nil
}

// exclude refuses, with --follow, flags that only make sense for a
// finished read.
func (ff *followFlags) exclude(cmd *cobra.Command, names ...string) error {
	if !ff.on {
		return nil
	}
	for _, n := range names {
		if cmd.Flags().Changed(n) {
			return Usagef("--%s does not go with --follow", n)
		}
	}
	return nil
}

// follower makes the follower of the --logs sources, starting at the
// filter's --since (the newest two hour folders without one).
func (ff *followFlags) follower(ctx context.Context, env *Env, lf *logFlags, f *filter.Filter, keep func(*event.Event) bool, flow logs.FlowCheck, rep *logs.Report) (*follow.Follower, error) {
	opt := follow.Options{
		Sources:    lf.logs,
		Blob:       blob.Options{StorageAccount: lf.blob.account, ConnectionString: os.Getenv(connStringEnv)},
		Poll:       ff.poll,
		Settle:     ff.settle,
		Checkpoint: ff.checkpoint,
		Keep:       keep,
		Flow:       flow,
		Report:     rep,
		Progress:   progressTo(env),
	}
	if f != nil {
		opt.Start = blob.Window{Since: f.Since.At, SinceAgo: f.Since.Ago}
	}
	if out, ok := env.Stdout.(*os.File); ok {
		opt.Output = out
	}
	return follow.New(ctx, opt)
}

// interruptible returns ctx cancelled by SIGINT or SIGTERM: a follower
// stops cleanly, its checkpoint current.
func interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

// followEnd turns a follower's end into the exit: the skip summary on
// stderr and exit 4 when something could not be read.
func followEnd(env *Env, rep *logs.Report, err error) error {
	if err != nil {
		return err
	}
	if rep.Skipped() > 0 {
		if werr := rep.WriteSummary(env.Stderr, 20); werr != nil {
			return werr
		}
		return Partial()
	}
	return nil
}

// followEvents is `events --follow`: every event passing the filter, as
// the blobs gain it.
func followEvents(ctx context.Context, env *Env, lf *logFlags, ff *followFlags, f *filter.Filter, format string, l eventrender.Layout) error {
	if f.Until.Ago > 0 || !f.Until.At.IsZero() {
		return Usagef("--until ends the window; a follower has no end: drop --until or --follow")
	}
	keep := f.MatchUntimed
	if since := f.Since.At; !since.IsZero() {
		keep = func(e *event.Event) bool { return !e.Time.Before(since) && f.MatchUntimed(e) }
	}
	rep := &logs.Report{}
	ctx, stop := interruptible(ctx)
	defer stop()
	fl, err := ff.follower(ctx, env, lf, f, keep, flowCheck(f.MatchFlow), rep)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(env.Stdout, 64<<10)
	es := eventrender.NewEventStream(bw, format, l)
	err = fl.Run(ctx, func(b follow.Batch) error {
		for i := range b.Events {
			// Times as the store keeps them, so a line is the line
			// `events` prints for the same event.
			b.Events[i].Time = b.Events[i].Time.Truncate(time.Microsecond)
		}
		if err := es.Write(b.Events); err != nil {
			return err
		}
		return bw.Flush()
	})
	return followEnd(env, rep, err)
}

// followStore loads what the follower reads into the store, one load per
// blob part (the store drops records it already holds, so a part read
// again after a restart adds nothing), and calls changed after each (also
// after a part whose events keep refused: explain's tally grew).
func followStore(ctx context.Context, env *Env, lf *logFlags, ff *followFlags, f *filter.Filter, st *store.Store, keep func(*event.Event) bool, flow logs.FlowCheck, rep *logs.Report, changed func() error) error {
	ctx, stop := interruptible(ctx)
	defer stop()
	fl, err := ff.follower(ctx, env, lf, f, keep, flow, rep)
	if err != nil {
		return err
	}
	return fl.Run(ctx, func(b follow.Batch) error {
		err := storePart(context.WithoutCancel(ctx), st, b, changed)
		if err != nil && ctx.Err() != nil {
			// Interrupted while answering: a clean stop. The part is in
			// the store; a restart reads it again and the store skips it.
			return ctx.Err()
		}
		return err
	})
}

// storePart stores one part whole (even when interrupted) and calls
// changed.
func storePart(ctx context.Context, st *store.Store, b follow.Batch, changed func() error) error {
	if len(b.Events) > 0 {
		ld, err := st.NewLoader(ctx)
		if err != nil {
			return err
		}
		if err := ld.Add(b.Events); err != nil {
			ld.Abort(ctx)
			return err
		}
		if err := ld.Commit(ctx); err != nil {
			return err
		}
	}
	return changed()
}

// redactArg is a --logs value fit for a message.
func redactArg(p string) string { return fmt.Sprintf("%q", redact.String(p)) }
