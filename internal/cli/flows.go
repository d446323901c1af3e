package cli

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/kql"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/render/eventrender"
	"github.com/pathproof/pathproof/internal/store"
	"github.com/pathproof/pathproof/internal/textutil"
)

func init() { register("flows", newFlowsCmd) }

// defaultFlowLimit keeps the conversation list readable; --limit 0 lists all.
const defaultFlowLimit = 200

func newFlowsCmd(env *Env) *cobra.Command {
	var limit, top int
	var by string
	var columns []string
	cmd := &cobra.Command{
		Use:   "flows",
		Short: "Join log events into conversations and show the verdict at each emitter",
		Long: `Join the filtered events into conversations: one row per 5-tuple (both
directions), with first and last seen, totals (flow-log deltas summed per
emitter; the largest emitter's sums, so two NICs do not double count), and the
verdict each emitter gave, in time order:

  client NIC: allow(out) · firewall: deny

PaaS requests (Key Vault, Storage, SQL) are keyed by client and resource and
listed next to the network flows of the same client. Every row leads back to
its raw events: the table ends with one 'pathproof events' command per row,
and JSON carries origin citations and the command. The table fits the
terminal (long cells are cut; the commands never are); --columns chooses
its columns.

--top N --by dst-port|src|dst|rule|verdict groups instead, e.g. the top
denied ports: --verdict deny --top 10 --by dst-port.

` + filter.Help,
		Example: `  pathproof flows --logs ./logs --src 10.0.0.4
  pathproof flows --logs ./logs --verdict deny --top 10 --by dst-port
  pathproof flows --db evidence.duckdb --ip 10.1.0.5 --port 1433 -o json`,
		Args: cobra.NoArgs,
	}
	lf := addLogFlags(cmd, true)
	lf.push.add(cmd)
	ff := addFollowFlags(cmd)
	cmd.Flags().IntVar(&limit, "limit", defaultFlowLimit, "at most this many conversations (0: all)")
	cmd.Flags().IntVar(&top, "top", 0, "show the N largest groups instead of conversations")
	byWords := make([]string, len(store.TopBys))
	for i, b := range store.TopBys {
		byWords[i] = string(b)
	}
	cmd.Flags().StringVar(&by, "by", "", "grouping for --top: "+strings.Join(byWords, "|")+" (default dst-port)")
	cmd.Flags().StringSliceVar(&columns, "columns", nil, "table columns to show, in order: "+strings.Join(eventrender.FlowColumns, ","))
	out := addOutputFlag(cmd, "json", "jsonl")
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := checkColumns(eventrender.FlowColumns, columns, out.String()); err != nil {
			return err
		}
		if err := ff.validate(c, lf, out.String(), true); err != nil {
			return err
		}
		if err := ff.exclude(c, "top", "by", "limit"); err != nil {
			return err
		}
		if top > 0 && len(columns) > 0 {
			return Usagef("--columns chooses the conversation table's columns; --top prints its own")
		}
		if limit < 0 || top < 0 {
			return Usagef("--limit and --top want 0 or more")
		}
		if by != "" && top == 0 {
			return Usagef("--by %s needs --top N", by)
		}
		if top > 0 && c.Flags().Changed("limit") {
			return Usagef("--limit and --top exclude each other (--top N already limits the groups)")
		}
		if by == "" {
			by = string(store.ByDstPort)
		}
		if !slices.Contains(byWords, by) {
			return Usagef("--by %q: want one of %s", by, strings.Join(byWords, ", "))
		}
		f, err := lf.validate()
		if err != nil {
			return err
		}
		if top == 0 {
			lf.push.mode = kql.Conversations // a selected conversation shows all its events
		}
		if lf.printFilter {
			return lf.writeFilter(env, f)
		}
		if lf.push.printKQL {
			return lf.push.writeKQL(env, f, false)
		}
		ctx := c.Context()
		if ff.on {
			return followFlows(ctx, env, lf, ff, f, out.String(), layout(env, columns))
		}
		keep, flow := keepFor(f, top > 0)
		l, err := lf.open(ctx, env, f, keep, flow)
		if err != nil {
			return err
		}
		return l.finish(env, func() error {
			if err := l.bind(ctx, f); err != nil {
				return err
			}
			lf.stdinNote(env)
			if top > 0 {
				rows, err := l.st.Top(ctx, f, store.TopBy(by), top)
				if err != nil {
					return err
				}
				return eventrender.Top(env.Stdout, out.String(), store.TopBy(by), rows, lf.spec, lf.sourceArgs(), layout(env, nil))
			}
			// One more than --limit tells whether the list was cut.
			fetch := limit
			if limit > 0 {
				fetch = limit + 1
			}
			convs, err := l.st.Flows(ctx, f, fetch)
			if err != nil {
				return err
			}
			if limit > 0 && len(convs) > limit {
				convs = convs[:limit]
				fmt.Fprintf(env.Stderr, "showing the first %s; there are more (--limit 0 shows all)\n", textutil.Plural(limit, "conversation", "conversations"))
			}
			return eventrender.Flows(env.Stdout, out.String(), convs, lf.sourceArgs(), layout(env, columns))
		}())
	}
	return cmd
}

// keepFor picks the events a flows query can use: for --top the events
// passing the filter (it counts them), else every event of a conversation
// the filter may select; flow is the same test on a flow tuple before its
// event is built.
func keepFor(f *filter.Filter, top bool) (keep func(*event.Event) bool, flow logs.FlowCheck) {
	if top {
		return f.MatchUntimed, flowCheck(f.MatchFlow)
	}
	return f.MatchConversation, flowCheck(f.MatchConversationFlow)
}

// flowCheck adapts a filter's test of addresses, ports and protocol to the
// flow-log parsers' first test of a tuple.
func flowCheck(match func(src, dst netip.Addr, srcPort, dstPort uint16, proto string) bool) logs.FlowCheck {
	return func(fl *logs.Flow) bool { return match(fl.Src, fl.Dst, fl.SrcPort, fl.DstPort, fl.Protocol) }
}
