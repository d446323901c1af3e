package mcp

import (
	"context"
	"fmt"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/store"
)

// maxEvents bounds one events or flows answer: a model reads every row.
const maxEvents = 500

// filterIn is the filter of `pathproof events` and `flows`: the same key
// repeated is OR (a list), different keys are AND.
type filterIn struct {
	Src       []string `json:"src,omitempty" jsonschema:"source addresses or CIDRs (any of them)"`
	Dst       []string `json:"dst,omitempty" jsonschema:"destination addresses or CIDRs"`
	IP        []string `json:"ip,omitempty" jsonschema:"addresses or CIDRs on either side"`
	Port      []string `json:"port,omitempty" jsonschema:"destination ports or ranges LO-HI"`
	SrcPort   []string `json:"src_port,omitempty" jsonschema:"source ports or ranges LO-HI"`
	Proto     []string `json:"proto,omitempty" jsonschema:"tcp, udp, icmp, icmpv6 or protocol numbers"`
	Verdict   []string `json:"verdict,omitempty" jsonschema:"allow, deny, dnat, alert, drop, error, info"`
	Source    []string `json:"source,omitempty" jsonschema:"log families: vnetflow, nsgflow, firewall, keyvault, storage, ... (see docs/events.md)"`
	Direction []string `json:"direction,omitempty" jsonschema:"in or out, relative to the emitter"`
	Rule      []string `json:"rule,omitempty" jsonschema:"case-insensitive substrings of the deciding rule"`
	Reason    []string `json:"reason,omitempty" jsonschema:"case-insensitive substrings of the decision's reason"`
}

func (f filterIn) spec(since, until string) filter.Spec {
	return filter.Spec{Src: f.Src, Dst: f.Dst, IP: f.IP, Port: f.Port, SrcPort: f.SrcPort, Proto: f.Proto, Verdict: f.Verdict,
		Source: f.Source, Direction: f.Direction, Rule: f.Rule, Reason: f.Reason, Since: since, Until: until}
}

type eventsIn struct {
	filterIn
	Since  string `json:"since" jsonschema:"window start: an RFC3339 time, or a duration (90m, 2h, 7d) counted back from the newest event"`
	Until  string `json:"until,omitempty" jsonschema:"window end: an RFC3339 time or a duration counted back from the newest event (default: the newest event)"`
	Limit  int    `json:"limit" jsonschema:"at most this many events, 1 to 500"`
	Offset int    `json:"offset,omitempty" jsonschema:"skip this many events first (the next page)"`
}

type flowsIn struct {
	filterIn
	Since string `json:"since,omitempty" jsonschema:"window start: an RFC3339 time or a duration counted back from the newest event"`
	Until string `json:"until,omitempty" jsonschema:"window end"`
	Limit int    `json:"limit" jsonschema:"at most this many conversations, 1 to 500"`
}

type recordIn struct {
	Origin string `json:"origin" jsonschema:"an event's origin as KEY#RECORD[.TUPLE] (origin.key, origin.record and origin.tuple of an event)"`
}

// eventsOut is the events tool's answer: a page of the events JSON of
// `pathproof events -o json` with the count of all that match.
type eventsOut struct {
	Total  int64        `json:"total"`
	Offset int          `json:"offset"`
	Window window       `json:"window"`
	Events []event.JSON `json:"events"`
}

// window is the resolved time window of a query.
type window struct {
	Since *time.Time `json:"since"`
	Until *time.Time `json:"until"`
}

func windowOf(f *filter.Filter) window {
	var w window
	if t := f.Since.At; !t.IsZero() {
		w.Since = &t
	}
	if t := f.Until.At; !t.IsZero() {
		w.Until = &t
	}
	return w
}

func (h *server) addEvidenceTools(s *sdk.Server) {
	addTool(s, h.o.Log, tool{name: "events", title: "Log events (flow logs, firewall, PaaS)",
		desc: "The normalised log events that pass a filter in a time window, oldest first: who talked to whom, which emitter (NIC, firewall, resource) logged it, " +
			"the verdict and the deciding rule, and each event's origin (file or blob, record, tuple) to cite. A window (since) and a limit are required; " +
			"total says how many match. Each event is the JSON `pathproof events -o json` prints."},
		func(ctx context.Context, in eventsIn) (any, error) {
			st, err := h.ws.NeedStore()
			if err != nil {
				return nil, err
			}
			if in.Since == "" {
				return nil, fmt.Errorf("since is required: give a window start (an RFC3339 time or a duration like 2h)")
			}
			if in.Limit < 1 || in.Limit > maxEvents {
				return nil, fmt.Errorf("limit %d: want 1 to %d", in.Limit, maxEvents)
			}
			if in.Offset < 0 {
				return nil, fmt.Errorf("offset %d: want 0 or more", in.Offset)
			}
			f, err := h.filter(ctx, in.spec(in.Since, in.Until))
			if err != nil {
				return nil, err
			}
			total, err := st.Count(ctx, f)
			if err != nil {
				return nil, err
			}
			evs, err := st.EventsPage(ctx, f, in.Offset, in.Limit)
			if err != nil {
				return nil, err
			}
			out := eventsOut{Total: total, Offset: in.Offset, Window: windowOf(f), Events: make([]event.JSON, len(evs))}
			for i := range evs {
				out.Events[i] = event.ToJSON(&evs[i])
			}
			return out, nil
		})
	addTool(s, h.o.Log, tool{name: "flows", title: "Conversations and the verdict at each emitter",
		desc: "The filtered events joined into conversations (one per 5-tuple, both directions) with first and last seen, totals and the verdict each emitter gave in time order " +
			"(path: \"client NIC: allow(out) · firewall: deny\"), its first raw records (origins) and the events command that lists them. " +
			"Returns {\"flows\": [...]} holding the JSON of `pathproof flows -o json`."},
		func(ctx context.Context, in flowsIn) (any, error) {
			st, err := h.ws.NeedStore()
			if err != nil {
				return nil, err
			}
			if in.Limit < 1 || in.Limit > maxEvents {
				return nil, fmt.Errorf("limit %d: want 1 to %d", in.Limit, maxEvents)
			}
			f, err := h.filter(ctx, in.spec(in.Since, in.Until))
			if err != nil {
				return nil, err
			}
			convs, err := st.Flows(ctx, f, in.Limit)
			if err != nil {
				return nil, err
			}
			list := make([]store.FlowJSON, len(convs))
			for i := range convs {
				list[i] = convs[i].JSON(h.ws.SourceArgs())
			}
			return map[string]any{"flows": list}, nil
		})
	addTool(s, h.o.Log, tool{name: "record", title: "The raw log record an event cites",
		desc: "The raw record (the JSON object as Azure wrote it, secrets such as SAS tokens redacted) that an event's origin cites, read again from the logs, to quote as proof. " +
			"Returns {\"origin\": ..., \"record\": {...}}; the same as `pathproof events --record ORIGIN`."},
		func(ctx context.Context, in recordIn) (any, error) {
			raw, err := h.ws.RawRecord(ctx, in.Origin)
			if err != nil {
				return nil, err
			}
			return map[string]any{"origin": in.Origin, "record": raw}, nil
		})
}

// filter parses spec and binds a relative window to the newest event.
func (h *server) filter(ctx context.Context, spec filter.Spec) (*filter.Filter, error) {
	f, err := filter.Parse(spec)
	if err != nil {
		return nil, err
	}
	if err := h.ws.Evidence.Bind(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}
