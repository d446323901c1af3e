package store

import (
	"context"
	"fmt"
	"time"

	"github.com/pathproof/pathproof/internal/filter"
)

// TopBy names a grouping of `flows --top`.
type TopBy string

// Groupings.
const (
	ByDstPort TopBy = "dst-port"
	BySrc     TopBy = "src"
	ByDst     TopBy = "dst"
	ByRule    TopBy = "rule"
	ByVerdict TopBy = "verdict"
)

// TopBys lists every grouping in help order.
var TopBys = []TopBy{ByDstPort, BySrc, ByDst, ByRule, ByVerdict}

// topKey is the SQL key per grouping; for dst-port the protocol is kept
// beside the port (443/tcp and 443/udp are different services).
var topKey = map[TopBy]string{
	ByDstPort: "l4 || '/' || CAST(dst_port AS VARCHAR)",
	BySrc:     "src_name",
	ByDst:     "dst_name",
	ByRule:    "rule_label",
	ByVerdict: "verdict",
}

// TopRow is one group of `flows --top`.
type TopRow struct {
	Key string `json:"key"`
	// Protocol and Port are set for dst-port groups.
	Protocol  string    `json:"protocol,omitempty"`
	Port      int       `json:"port,omitempty"`
	Flows     int64     `json:"flows"` // distinct conversations
	Events    int64     `json:"events"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	// RuleFromReason is set for a rule group whose label is the events'
	// rule reason (a denial message, a gateway's reason: they have no rule
	// name), which --reason searches, not --rule.
	RuleFromReason bool `json:"rule_from_reason,omitempty"`
}

// fromReason is true for an event whose rule_label (flows.go) is its
// rule_reason.
const fromReason = `(rule_name IS NULL AND rule_collection IS NULL AND rule_signature IS NULL
	AND rule_threat_intel IS NULL AND rule_reason IS NOT NULL)`

// Top groups the events passing f by `by` and returns the n groups with the
// most conversations (then events).
func (s *Store) Top(ctx context.Context, f *filter.Filter, by TopBy, n int) ([]TopRow, error) {
	key, ok := topKey[by]
	if !ok {
		return nil, fmt.Errorf("unknown grouping %q", by)
	}
	where, args := f.SQL()
	q := "WITH " + keyed("k", where) + `
SELECT ` + key + ` AS key, any_value(l4), any_value(dst_port),
	count(DISTINCT hash(l4, a_ip, a_port, b_ip, b_port)) AS flows, count(*) AS events, min(time), max(time),
	bool_and(` + fromReason + `)
FROM k GROUP BY 1 ORDER BY flows DESC, events DESC, key LIMIT ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, n)...)
	if err != nil {
		return nil, fmt.Errorf("query top %s: %w", by, err)
	}
	defer rows.Close()
	var out []TopRow
	for rows.Next() {
		var r TopRow
		var proto string
		var port int32
		var reason bool
		if err := rows.Scan(&r.Key, &proto, &port, &r.Flows, &r.Events, &r.FirstSeen, &r.LastSeen, &reason); err != nil {
			return nil, fmt.Errorf("read top %s: %w", by, err)
		}
		r.FirstSeen, r.LastSeen = r.FirstSeen.UTC(), r.LastSeen.UTC()
		if by == ByDstPort {
			r.Protocol, r.Port = proto, int(port)
		}
		r.RuleFromReason = by == ByRule && reason && r.Key != ""
		out = append(out, r)
	}
	return out, rows.Err()
}
