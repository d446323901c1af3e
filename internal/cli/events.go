package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/render/eventrender"
)

func init() { register("events", newEventsCmd) }

// defaultEventLimit keeps an unfiltered look at a large store readable;
// --limit 0 lists everything.
const defaultEventLimit = 1000

func newEventsCmd(env *Env) *cobra.Command {
	var limit int
	var record string
	var offset, histogram int
	var columns []string
	cmd := &cobra.Command{
		Use:   "events",
		Short: "List normalised log events (flow logs, firewall, PaaS) with Hubble-style filters",
		Long: `Load logs into the embedded DuckDB store (in memory, or --db FILE to keep) and
list the events that pass the filters, oldest first. Every event cites its
origin (file or blob, record index, tuple index). The table shows the
origin's blob by its distinctive parts (category, resource or NIC, hour)
and fits the terminal, cutting long cells; -o json has every value in full,
--columns chooses the columns, and --record takes either form of an origin.

` + filter.Help + `

Exit status: 0 all input parsed, 4 results printed but some input skipped
(the summary on stderr names file and record), 2 usage error, 1 failure.`,
		Example: `  pathproof events --logs ./insights-logs-flowlogflowevent --verdict deny
  pathproof events --logs fw.json --src 10.0.0.0/24 --port 443 --port 80 --since 2h
  pathproof events --db evidence.duckdb --ip 10.1.0.5 -o jsonl`,
		Args: cobra.NoArgs,
	}
	lf := addLogFlags(cmd, true)
	lf.push.add(cmd)
	ff := addFollowFlags(cmd)
	cmd.Flags().IntVar(&limit, "limit", defaultEventLimit, "at most this many events (0: all)")
	cmd.Flags().IntVar(&offset, "offset", 0, "skip this many events first (paging with --limit)")
	cmd.Flags().IntVar(&histogram, "histogram", 0, "instead of the events, count them in N equal time buckets from the oldest to the newest")
	cmd.Flags().StringVar(&record, "record", "", "print the raw record an event cites (its ORIGIN, KEY#RECORD[.TUPLE]) from the --logs sources, and exit")
	cmd.Flags().StringSliceVar(&columns, "columns", nil, "table columns to show, in order: "+strings.Join(eventrender.EventColumns, ","))
	out := addOutputFlag(cmd, "json", "jsonl")
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := checkColumns(eventrender.EventColumns, columns, out.String()); err != nil {
			return err
		}
		if err := ff.validate(c, lf, out.String(), false); err != nil {
			return err
		}
		if err := ff.exclude(c, "record", "limit", "offset", "histogram"); err != nil {
			return err
		}
		if record != "" {
			return writeRecord(c.Context(), env, lf, record)
		}
		if limit < 0 || offset < 0 || histogram < 0 {
			return Usagef("--limit, --offset and --histogram want 0 or more")
		}
		f, err := lf.validate()
		if err != nil {
			return err
		}
		if lf.printFilter {
			return lf.writeFilter(env, f)
		}
		if lf.push.printKQL {
			return lf.push.writeKQL(env, f, false)
		}
		ctx := c.Context()
		if ff.on {
			return followEvents(ctx, env, lf, ff, f, out.String(), layout(env, columns))
		}
		l, err := lf.open(ctx, env, f, f.MatchUntimed, flowCheck(f.MatchFlow))
		if err != nil {
			return err
		}
		return l.finish(env, func() error {
			if err := l.bind(ctx, f); err != nil {
				return err
			}
			if histogram > 0 {
				bs, err := l.st.Histogram(ctx, f, histogram)
				if err != nil {
					return err
				}
				return eventrender.Histogram(env.Stdout, out.String(), bs)
			}
			evs, err := l.st.EventsPage(ctx, f, offset, limit)
			if err != nil {
				return err
			}
			if limit > 0 && len(evs) == limit {
				if n, err := l.st.Count(ctx, f); err == nil && n > int64(offset+limit) {
					fmt.Fprintf(env.Stderr, "showing events %d-%d of %d; --limit 0 shows all\n", offset+1, offset+limit, n)
				}
			}
			return eventrender.Events(env.Stdout, out.String(), evs, layout(env, columns))
		}())
	}
	return cmd
}

// writeRecord prints the raw record an origin cites, re-read from the
// --logs sources, as indented JSON.
func writeRecord(ctx context.Context, env *Env, lf *logFlags, origin string) error {
	o, err := event.ParseOrigin(origin)
	if err != nil {
		return Usagef("--record: %v", err)
	}
	if len(lf.logs) == 0 {
		return Usagef("--record needs the --logs the events were loaded from (a --db keeps events, not records)")
	}
	raw, err := ingest.RawRecord(ctx, lf.sources(env.Stdin), o)
	if err != nil {
		return err
	}
	return eventrender.Record(env.Stdout, raw)
}
