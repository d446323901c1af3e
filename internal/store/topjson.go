package store

import (
	"net/netip"
	"strconv"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/textutil"
)

// TopJSON is one --top group as `pathproof flows --top -o json` (and every
// other front end) prints it: the TopRow, its grouping and the command
// that lists its raw events.
type TopJSON struct {
	TopRow
	By          TopBy  `json:"by"`
	EventsQuery string `json:"events_query"`
}

// JSON returns r, a group by by of a query filtered by spec, in its JSON
// shape; sourceArgs are the input flags of the drill-down command (--db
// FILE or --logs SRC...).
func (r *TopRow) JSON(by TopBy, spec filter.Spec, sourceArgs []string) TopJSON {
	args := append(append([]string{"pathproof", "events"}, sourceArgs...), r.EventsArgs(by, spec)...)
	return TopJSON{TopRow: *r, By: by, EventsQuery: textutil.ShellJoin(args)}
}

// EventsArgs are the filter flags of `pathproof events` that list the raw
// events of r: the query's own filter (spec) narrowed to the group.
func (r *TopRow) EventsArgs(by TopBy, spec filter.Spec) []string {
	switch by {
	case ByDstPort:
		extra := []string{"--port", strconv.Itoa(r.Port)}
		except := []string{"port"}
		if _, err := filter.Parse(filter.Spec{Proto: []string{r.Protocol}}); err == nil && r.Protocol != "" {
			extra = append(extra, "--proto", r.Protocol)
			except = append(except, "proto")
		}
		return append(spec.Args(except...), extra...)
	case BySrc:
		return append(spec.Args("src"), "--src", r.Key)
	case ByDst:
		if _, err := netip.ParseAddr(r.Key); err == nil {
			return append(spec.Args("dst"), "--dst", r.Key)
		}
		return spec.Args()
	case ByRule:
		// The whole label, even where a table shows it cut; a label that
		// is the events' rule reason is searched by --reason.
		switch {
		case r.Key == "":
			return spec.Args()
		case r.RuleFromReason:
			return append(spec.Args("reason"), "--reason", r.Key)
		}
		return append(spec.Args("rule"), "--rule", r.Key)
	case ByVerdict:
		return append(spec.Args("verdict"), "--verdict", r.Key)
	}
	return nil
}
