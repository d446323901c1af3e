package cli

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/store"
	"github.com/pathproof/pathproof/internal/textutil"
)

func init() { register("flows", newFlowsCmd) }

// defaultFlowLimit keeps the conversation list readable; --limit 0 lists all.
const defaultFlowLimit = 200

// topJSON is one --top group plus its drill-down command.
type topJSON struct {
	store.TopRow
	By          store.TopBy `json:"by"`
	EventsQuery string      `json:"events_query"`
}

func newFlowsCmd(env *Env) *cobra.Command {
	var limit, top int
	var by string
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
and JSON carries origin citations and the command.

--top N --by dst-port|src|dst|rule|verdict groups instead, e.g. the top
denied ports: --verdict deny --top 10 --by dst-port.

` + filter.Help,
		Example: `  pathproof flows --logs ./logs --src 10.0.0.4
  pathproof flows --logs ./logs --verdict deny --top 10 --by dst-port
  pathproof flows --db evidence.duckdb --ip 10.1.0.5 --port 1433 -o json`,
		Args: cobra.NoArgs,
	}
	lf := addLogFlags(cmd, true)
	cmd.Flags().IntVar(&limit, "limit", defaultFlowLimit, "at most this many conversations (0: all)")
	cmd.Flags().IntVar(&top, "top", 0, "show the N largest groups instead of conversations")
	byWords := make([]string, len(store.TopBys))
	for i, b := range store.TopBys {
		byWords[i] = string(b)
	}
	cmd.Flags().StringVar(&by, "by", "", "grouping for --top: "+strings.Join(byWords, "|")+" (default dst-port)")
	out := addOutputFlag(cmd, "json", "jsonl")
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
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
		if lf.printFilter {
			return lf.writeFilter(env, f)
		}
		ctx := c.Context()
		l, err := lf.open(ctx, env, f, keepFor(f, top > 0))
		if err != nil {
			return err
		}
		return l.finish(env, func() error {
			if err := l.bind(ctx, f); err != nil {
				return err
			}
			if top > 0 {
				rows, err := l.st.Top(ctx, f, store.TopBy(by), top)
				if err != nil {
					return err
				}
				return writeTop(env, out.String(), lf, store.TopBy(by), rows)
			}
			convs, err := l.st.Flows(ctx, f, limit)
			if err != nil {
				return err
			}
			return writeFlows(env, out.String(), lf, convs)
		}())
	}
	return cmd
}

// keepFor picks the events a flows query can use: for --top the events
// passing the filter (it counts them), else every event of a conversation
// the filter may select.
func keepFor(f *filter.Filter, top bool) func(*event.Event) bool {
	if top {
		return f.MatchUntimed
	}
	return f.MatchConversation
}

func writeFlows(env *Env, format string, lf *logFlags, convs []store.Conversation) error {
	list := make([]store.FlowJSON, len(convs))
	for i := range convs {
		list[i] = convs[i].JSON(lf.sourceArgs())
	}
	if done, err := writeMachine(env.Stdout, format, list); done {
		return err
	}
	t := render.Table{Header: []string{"#", "CLIENT", "SERVER", "PROTO", "FIRST", "LAST", "EVENTS", "PKTS →/←", "BYTES →/←", "VERDICT", "PATH"}}
	for i, r := range list {
		c := &r.Conversation
		t.Add(strconv.Itoa(i+1), hostPort(c.Client, c.ClientPort), hostPort(c.Server, c.ServerPort), c.Protocol,
			c.FirstSeen.Format(evTableTime), c.LastSeen.Format(evTableTime), strconv.FormatInt(c.Events, 10),
			fmt.Sprintf("%d/%d", c.PacketsSent, c.PacketsRecv), fmt.Sprintf("%d/%d", c.BytesSent, c.BytesRecv),
			string(c.Verdict), r.Path)
	}
	if err := t.Write(env.Stdout); err != nil {
		return err
	}
	if len(list) > 0 {
		fmt.Fprintln(env.Stdout, "\nraw events of each row:")
		for i, r := range list {
			fmt.Fprintf(env.Stdout, "  #%d  %s\n", i+1, render.Escape(r.EventsQuery))
		}
	}
	return nil
}

// hostPort prints an address or name with its port ([v6]:port for IPv6).
func hostPort(host string, port uint16) string {
	if host == "" {
		host = "-"
	}
	if port == 0 { // no port (ICMP, a PaaS request's client)
		return host
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return netip.AddrPortFrom(a, port).String()
	}
	return host + ":" + strconv.Itoa(int(port))
}

// topQuery is the drill-down command of one --top group.
func topQuery(lf *logFlags, by store.TopBy, r *store.TopRow) string {
	args := append([]string{"pathproof", "events"}, lf.sourceArgs()...)
	switch by {
	case store.ByDstPort:
		extra := []string{"--port", strconv.Itoa(r.Port)}
		except := []string{"port"}
		if _, err := filter.Parse(filter.Spec{Proto: []string{r.Protocol}}); err == nil && r.Protocol != "" {
			extra = append(extra, "--proto", r.Protocol)
			except = append(except, "proto")
		}
		args = append(append(args, lf.filterArgs(except...)...), extra...)
	case store.BySrc:
		args = append(append(args, lf.filterArgs("src")...), "--src", r.Key)
	case store.ByDst:
		if _, err := netip.ParseAddr(r.Key); err == nil {
			args = append(append(args, lf.filterArgs("dst")...), "--dst", r.Key)
		} else {
			args = append(args, lf.filterArgs()...)
		}
	case store.ByRule:
		args = append(args, lf.filterArgs()...)
		if r.Key != "" {
			args = append(args, "--rule", r.Key)
		}
	case store.ByVerdict:
		args = append(append(args, lf.filterArgs("verdict")...), "--verdict", r.Key)
	}
	return textutil.ShellJoin(args)
}

func writeTop(env *Env, format string, lf *logFlags, by store.TopBy, rows []store.TopRow) error {
	list := make([]topJSON, len(rows))
	for i := range rows {
		list[i] = topJSON{TopRow: rows[i], By: by, EventsQuery: topQuery(lf, by, &rows[i])}
	}
	if done, err := writeMachine(env.Stdout, format, list); done {
		return err
	}
	t := render.Table{Header: []string{strings.ToUpper(string(by)), "FLOWS", "EVENTS", "FIRST", "LAST", "RAW EVENTS"}}
	for _, r := range list {
		key := r.Key
		if key == "" {
			key = "-"
		}
		t.Add(key, strconv.FormatInt(r.Flows, 10), strconv.FormatInt(r.Events, 10),
			r.FirstSeen.Format(evTableTime), r.LastSeen.Format(evTableTime), r.EventsQuery)
	}
	return t.Write(env.Stdout)
}
