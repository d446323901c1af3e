package cli

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/render"
)

func init() { register("events", newEventsCmd) }

// defaultEventLimit keeps an unfiltered look at a large store readable;
// --limit 0 lists everything.
const defaultEventLimit = 1000

// eventJSON is the JSON shape of one event (docs/events.md). Keys are only
// ever added.
type eventJSON struct {
	Time        time.Time         `json:"time"`
	Source      event.Source      `json:"source"`
	Category    string            `json:"category,omitempty"`
	Emitter     string            `json:"emitter,omitempty"`
	EmitterID   string            `json:"emitter_id,omitempty"`
	Protocol    string            `json:"protocol"`
	SrcIP       string            `json:"src_ip"`
	SrcPort     uint16            `json:"src_port"`
	DstIP       string            `json:"dst_ip"`
	DstPort     uint16            `json:"dst_port"`
	Direction   event.Direction   `json:"direction"`
	Verdict     event.Verdict     `json:"verdict"`
	Rule        string            `json:"rule"`
	RuleDetail  event.Rule        `json:"rule_detail"`
	NAT         *event.NAT        `json:"nat,omitempty"`
	FlowState   string            `json:"flow_state,omitempty"`
	PacketsSent int64             `json:"packets_sent"`
	BytesSent   int64             `json:"bytes_sent"`
	PacketsRecv int64             `json:"packets_recv"`
	BytesRecv   int64             `json:"bytes_recv"`
	FQDN        string            `json:"fqdn,omitempty"`
	URL         string            `json:"url,omitempty"`
	HTTPStatus  int               `json:"http_status,omitempty"`
	Caller      string            `json:"caller,omitempty"`
	Aggregate   bool              `json:"aggregate,omitempty"`
	Count       int64             `json:"count,omitempty"`
	Detail      map[string]string `json:"detail,omitempty"`
	Origin      event.Origin      `json:"origin"`
}

func toEventJSON(e *event.Event) eventJSON {
	return eventJSON{
		Time: e.Time.UTC(), Source: e.Source, Category: e.Category, Emitter: e.Emitter, EmitterID: e.EmitterID,
		Protocol: e.Protocol, SrcIP: evAddr(e.SrcIP), SrcPort: e.SrcPort, DstIP: evAddr(e.DstIP), DstPort: e.DstPort,
		Direction: e.Direction, Verdict: e.Verdict, Rule: evRuleLabel(&e.Rule), RuleDetail: e.Rule, NAT: e.NAT,
		FlowState: e.FlowState, PacketsSent: e.PacketsSent, BytesSent: e.BytesSent, PacketsRecv: e.PacketsRecv, BytesRecv: e.BytesRecv,
		FQDN: e.FQDN, URL: e.URL, HTTPStatus: e.HTTPStatus, Caller: e.Caller, Aggregate: e.Aggregate, Count: e.Count,
		Detail: e.Detail, Origin: e.Origin,
	}
}

func evAddr(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// evRuleLabel is the deciding rule's display name: the firewall trail
// (group/collection/rule), the NSG rule, the IDPS signature, the threat
// intel category, or the reason when nothing else names the decision.
func evRuleLabel(r *event.Rule) string {
	var parts []string
	for _, p := range []string{r.RuleCollectionGroup, r.RuleCollection, r.Name} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	switch {
	case len(parts) > 0:
		return strings.Join(parts, "/")
	case r.Signature != "":
		return "signature " + r.Signature
	case r.ThreatIntel != "":
		return "threat-intel " + r.ThreatIntel
	case r.Reason != "":
		return r.Reason
	}
	return ""
}

// evEndpoint prints ip:port, [v6]:port, the address alone when there is no
// port, or the name of a PaaS destination.
func evEndpoint(a netip.Addr, port uint16, fallback string) string {
	if a.IsValid() && port == 0 {
		return a.String()
	}
	if !a.IsValid() {
		if fallback == "" {
			fallback = "-"
		}
		if port == 0 {
			return fallback
		}
		return fallback + ":" + strconv.Itoa(int(port))
	}
	return netip.AddrPortFrom(a, port).String()
}

const evTableTime = "2006-01-02T15:04:05.000Z"

func newEventsCmd(env *Env) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "events",
		Short: "List normalised log events (flow logs, firewall, PaaS) with Hubble-style filters",
		Long: `Load logs into the embedded DuckDB store (in memory, or --db FILE to keep) and
list the events that pass the filters, oldest first. Every event cites its
origin (file or blob, record index, tuple index).

` + filter.Help + `

Exit status: 0 all input parsed, 4 results printed but some input skipped
(the summary on stderr names file and record), 2 usage error, 1 failure.`,
		Example: `  pathproof events --logs ./insights-logs-flowlogflowevent --verdict deny
  pathproof events --logs fw.json --src 10.0.0.0/24 --port 443 --port 80 --since 2h
  pathproof events --db evidence.duckdb --ip 10.1.0.5 -o jsonl`,
		Args: cobra.NoArgs,
	}
	lf := addLogFlags(cmd, true)
	cmd.Flags().IntVar(&limit, "limit", defaultEventLimit, "at most this many events (0: all)")
	out := addOutputFlag(cmd, "json", "jsonl")
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if limit < 0 {
			return Usagef("--limit %d: want 0 (all) or more", limit)
		}
		f, err := lf.validate()
		if err != nil {
			return err
		}
		if lf.printFilter {
			return lf.writeFilter(env, f)
		}
		ctx := c.Context()
		l, err := lf.open(ctx, env, f, f.MatchUntimed)
		if err != nil {
			return err
		}
		return l.finish(env, func() error {
			if err := l.bind(ctx, f); err != nil {
				return err
			}
			evs, err := l.st.Events(ctx, f, limit)
			if err != nil {
				return err
			}
			if limit > 0 && len(evs) == limit {
				if n, err := l.st.Count(ctx, f); err == nil && n > int64(limit) {
					fmt.Fprintf(env.Stderr, "showing the first %d of %d events; --limit 0 shows all\n", limit, n)
				}
			}
			return writeEvents(env, out.String(), evs)
		}())
	}
	return cmd
}

func writeEvents(env *Env, format string, evs []event.Event) error {
	switch format {
	case "json":
		list := make([]eventJSON, len(evs))
		for i := range evs {
			list[i] = toEventJSON(&evs[i])
		}
		return render.JSON(env.Stdout, list)
	case "jsonl":
		w := render.NewJSONLines(env.Stdout)
		for i := range evs {
			if err := w.Write(toEventJSON(&evs[i])); err != nil {
				return err
			}
		}
		return nil
	}
	t := render.Table{Header: []string{"TIME", "SOURCE", "EMITTER", "PROTO", "SRC", "DST", "DIR", "VERDICT", "RULE", "ORIGIN"}}
	for i := range evs {
		e := &evs[i]
		verdict := string(e.Verdict)
		if e.HTTPStatus != 0 {
			verdict += " " + strconv.Itoa(e.HTTPStatus)
		}
		t.Add(e.Time.UTC().Format(evTableTime), string(e.Source), e.Emitter, e.Protocol,
			evEndpoint(e.SrcIP, e.SrcPort, ""), evEndpoint(e.DstIP, e.DstPort, e.FQDN), string(e.Direction), verdict,
			evRuleLabel(&e.Rule), evOrigin(e.Origin))
	}
	return t.Write(env.Stdout)
}

// originText cites an event's raw record: key#record[.tuple].
func evOrigin(o event.Origin) string {
	s := o.Key + "#" + strconv.Itoa(o.Record)
	if o.Tuple > 0 {
		s += "." + strconv.Itoa(o.Tuple)
	}
	return s
}
