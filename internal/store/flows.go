package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// Conversation is the events of one 5-tuple, both directions, joined across
// every emitter that saw it. The client is the source of the earliest event.
// Counters are per emitter sums of the flow-log deltas; the conversation
// shows the largest emitter's sums (each emitter sees the same packets, so
// adding them up would count a packet once per NIC).
type Conversation struct {
	Protocol    string        `json:"protocol"`
	Client      string        `json:"client"`
	ClientPort  uint16        `json:"client_port"`
	Server      string        `json:"server"` // address, else FQDN or resource for PaaS requests
	ServerPort  uint16        `json:"server_port"`
	FirstSeen   time.Time     `json:"first_seen"`
	LastSeen    time.Time     `json:"last_seen"`
	Events      int64         `json:"events"`
	PacketsSent int64         `json:"packets_sent"` // client → server
	BytesSent   int64         `json:"bytes_sent"`
	PacketsRecv int64         `json:"packets_recv"` // server → client
	BytesRecv   int64         `json:"bytes_recv"`
	Verdict     event.Verdict `json:"verdict"` // the most decisive verdict any emitter gave
	Emitters    []Hop         `json:"emitters"`
}

// Hop is what one emitter logged about a conversation.
type Hop struct {
	Source event.Source `json:"source"`
	// Emitter is the NIC MAC, firewall or resource name.
	Emitter string `json:"emitter"`
	// Role says where the emitter sits: "client NIC", "server NIC",
	// "firewall", or the source name for PaaS and gateway logs.
	Role       string         `json:"role"`
	Directions []string       `json:"directions,omitempty"`
	Verdicts   []string       `json:"verdicts"`
	Rule       string         `json:"rule,omitempty"`
	HTTPStatus []int          `json:"http_status,omitempty"`
	Events     int64          `json:"events"`
	FirstSeen  time.Time      `json:"first_seen"`
	LastSeen   time.Time      `json:"last_seen"`
	Origins    []event.Origin `json:"origins"` // the first few raw records, oldest first
	fwdFirst   bool           // the emitter's first event runs a→b
	nicOnA     bool           // a flow-log NIC sits on side a
}

// MaxOrigins is how many raw records each hop cites.
const MaxOrigins = 5

// verdictRank orders verdicts by how decisive they are for "why did it
// stop": a deny anywhere explains more than an allow elsewhere.
var verdictRank = map[event.Verdict]int{event.VerdictDeny: 7, event.VerdictDrop: 6, event.VerdictError: 5, event.VerdictAlert: 4, event.VerdictDNAT: 3, event.VerdictAllow: 2, event.VerdictInfo: 1}

// keyed returns a CTE list naming the events passing where with a
// direction-free conversation key: side a is the lower (address, port)
// endpoint, b the higher; fwd says the event runs a→b. Application
// protocols count as TCP, and a request without a destination address (PaaS
// logs) is keyed by its FQDN or resource. The CTEs are named e<n>, <n>.
func keyed(n, where string) string {
	// NOT MATERIALIZED: flows reads the keyed events twice; materialising
	// them would hold every event of the store in memory.
	return `e` + n + ` AS NOT MATERIALIZED (
	SELECT *,
		CASE WHEN protocol IN ('http', 'https', 'mssql') THEN 'tcp' ELSE coalesce(protocol, '') END AS l4,
		coalesce(src_ip, '') AS src_name,
		coalesce(dst_ip, fqdn, emitter, '') AS dst_name,
		(src_hi < dst_hi OR (src_hi = dst_hi AND src_lo < dst_lo)
			OR (src_hi = dst_hi AND src_lo = dst_lo AND src_port <= dst_port)) IS NOT FALSE AS fwd
	FROM events WHERE ` + where + `
), ` + n + ` AS NOT MATERIALIZED (
	SELECT *,
		CASE WHEN fwd THEN src_name ELSE dst_name END AS a_ip, CASE WHEN fwd THEN src_port ELSE dst_port END AS a_port,
		CASE WHEN fwd THEN dst_name ELSE src_name END AS b_ip, CASE WHEN fwd THEN dst_port ELSE src_port END AS b_port,
		CASE WHEN fwd THEN packets_sent ELSE packets_recv END AS p_ab, CASE WHEN fwd THEN bytes_sent ELSE bytes_recv END AS b_ab,
		CASE WHEN fwd THEN packets_recv ELSE packets_sent END AS p_ba, CASE WHEN fwd THEN bytes_recv ELSE bytes_sent END AS b_ba,
		coalesce(rule_name, rule_collection, rule_signature, rule_threat_intel, rule_reason, '') AS rule_label,
		CASE verdict WHEN 'deny' THEN 7 WHEN 'drop' THEN 6 WHEN 'error' THEN 5 WHEN 'alert' THEN 4
			WHEN 'dnat' THEN 3 WHEN 'allow' THEN 2 ELSE 1 END AS rank
	FROM e` + n + `
)`
}

// flowsQuery selects the conversations having at least one event that
// passes the filter (CTE kf), orders them by client, server and time (so
// PaaS requests of a client sit next to its network flows) and keeps the
// first `limit` (c); only then does it summarise all their events (k) per
// emitter (h), so the heavy aggregates run on the rows printed, not on
// every conversation of a large store. A selected conversation shows all
// its events: --verdict deny shows the allows the client NIC logged before
// the firewall's deny.
const flowsQuery = `, sel AS (
	SELECT DISTINCT l4, a_ip, a_port, b_ip, b_port FROM kf
), c0 AS (
	SELECT l4, a_ip, a_port, b_ip, b_port, min(time) AS first_seen,
		arg_min(fwd, time) AS client_is_a
	FROM k SEMI JOIN sel USING (l4, a_ip, a_port, b_ip, b_port)
	GROUP BY l4, a_ip, a_port, b_ip, b_port
), c AS (
	SELECT *, CASE WHEN client_is_a THEN a_ip ELSE b_ip END AS client_ip,
		CASE WHEN client_is_a THEN b_ip ELSE a_ip END AS server_ip
	FROM c0
	ORDER BY client_ip, server_ip, first_seen, l4, a_port, b_port
	LIMIT ?
), h AS (
	SELECT l4, a_ip, a_port, b_ip, b_port, source, coalesce(emitter, '') AS emitter,
		min(time) AS first_seen, max(time) AS last_seen, count(*) AS n,
		sum(p_ab) AS p_ab, sum(b_ab) AS b_ab, sum(p_ba) AS p_ba, sum(b_ba) AS b_ba,
		string_agg(DISTINCT verdict, ',' ORDER BY verdict) AS verdicts,
		coalesce(string_agg(DISTINCT direction, ',' ORDER BY direction), '') AS dirs,
		coalesce(string_agg(DISTINCT CAST(http_status AS VARCHAR), ','), '') AS statuses,
		arg_max(rule_label, rank) AS rule,
		arg_min(fwd, time) AS fwd_first,
		coalesce(arg_min((direction = 'out') = fwd, time), false) AS nic_on_a,
		list(origin_key ORDER BY time, origin_key, origin_record, origin_tuple)[1:%[1]d] AS o_keys,
		list(origin_record ORDER BY time, origin_key, origin_record, origin_tuple)[1:%[1]d] AS o_recs,
		list(origin_tuple ORDER BY time, origin_key, origin_record, origin_tuple)[1:%[1]d] AS o_tups
	FROM k SEMI JOIN c USING (l4, a_ip, a_port, b_ip, b_port)
	GROUP BY ALL
)
SELECT h.l4, h.a_ip, h.a_port, h.b_ip, h.b_port, c.client_is_a, h.source, h.emitter, h.first_seen, h.last_seen, h.n,
	h.p_ab, h.b_ab, h.p_ba, h.b_ba, h.verdicts, h.dirs, h.statuses, h.rule, h.fwd_first, h.nic_on_a,
	array_to_string(h.o_keys, chr(31)), array_to_string(h.o_recs, ','), array_to_string(h.o_tups, ',')
FROM h JOIN c USING (l4, a_ip, a_port, b_ip, b_port)
ORDER BY c.client_ip, c.server_ip, c.first_seen, h.l4, h.a_port, h.b_port, h.first_seen, h.source, h.emitter`

// Flows returns the conversations with at least one event passing f, each
// summarising all its events, at most limit of them (0: all).
func (s *Store) Flows(ctx context.Context, f *filter.Filter, limit int) ([]Conversation, error) {
	where, args := f.SQL()
	if limit <= 0 {
		limit = 1 << 62
	}
	q := "WITH " + keyed("kf", where) + ", " + keyed("k", "TRUE") + fmt.Sprintf(flowsQuery, MaxOrigins)
	rows, err := s.db.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("query flows: %w", err)
	}
	defer rows.Close()
	var out []Conversation
	type convKey struct {
		l4, a, b     string
		aport, bport int32
	}
	var last convKey
	for rows.Next() {
		var (
			k                                convKey
			clientIsA                        bool
			h                                Hop
			source, verdicts, dirs, statuses string
			pab, bab, pba, bba               int64
			keys, recs, tups                 string
		)
		if err := rows.Scan(&k.l4, &k.a, &k.aport, &k.b, &k.bport, &clientIsA, &source, &h.Emitter, &h.FirstSeen, &h.LastSeen, &h.Events,
			&pab, &bab, &pba, &bba, &verdicts, &dirs, &statuses, &h.Rule, &h.fwdFirst, &h.nicOnA, &keys, &recs, &tups); err != nil {
			return nil, fmt.Errorf("read flows: %w", err)
		}
		h.Source = event.Source(source)
		h.FirstSeen, h.LastSeen = h.FirstSeen.UTC(), h.LastSeen.UTC()
		h.Verdicts = strings.Split(verdicts, ",")
		h.Directions = splitNonEmpty(dirs)
		for _, st := range splitNonEmpty(statuses) {
			if n, err := strconv.Atoi(st); err == nil {
				h.HTTPStatus = append(h.HTTPStatus, n)
			}
		}
		sort.Ints(h.HTTPStatus)
		h.Origins = origins(keys, recs, tups)
		if len(out) == 0 || k != last {
			c := Conversation{Protocol: k.l4, Client: k.a, ClientPort: uint16(k.aport), Server: k.b, ServerPort: uint16(k.bport), FirstSeen: h.FirstSeen}
			if !clientIsA {
				c.Client, c.ClientPort, c.Server, c.ServerPort = k.b, uint16(k.bport), k.a, uint16(k.aport)
			}
			out = append(out, c)
			last = k
		}
		c := &out[len(out)-1]
		h.Role = role(h, clientIsA)
		if !clientIsA {
			pab, bab, pba, bba = pba, bba, pab, bab
		}
		c.PacketsSent, c.BytesSent = max(c.PacketsSent, pab), max(c.BytesSent, bab)
		c.PacketsRecv, c.BytesRecv = max(c.PacketsRecv, pba), max(c.BytesRecv, bba)
		c.Events += h.Events
		c.FirstSeen, c.LastSeen = minTime(c.FirstSeen, h.FirstSeen), maxTime(c.LastSeen, h.LastSeen)
		for _, v := range h.Verdicts {
			if verdictRank[event.Verdict(v)] > verdictRank[c.Verdict] {
				c.Verdict = event.Verdict(v)
			}
		}
		c.Emitters = append(c.Emitters, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read flows: %w", err)
	}
	return out, nil
}

// role names where an emitter sits in the conversation.
func role(h Hop, clientIsA bool) string {
	switch h.Source {
	case event.SourceVNetFlow, event.SourceNSGFlow:
		if h.nicOnA == clientIsA {
			return "client NIC"
		}
		return "server NIC"
	default:
		return string(h.Source)
	}
}

func origins(keys, recs, tups string) []event.Origin {
	ks := strings.Split(keys, "\x1f")
	rs := strings.Split(recs, ",")
	ts := strings.Split(tups, ",")
	out := make([]event.Origin, 0, len(ks))
	for i := range ks {
		if i >= len(rs) || i >= len(ts) {
			break
		}
		r, err1 := strconv.Atoi(rs[i])
		t, err2 := strconv.Atoi(ts[i])
		if err1 != nil || err2 != nil {
			continue // DuckDB printed integers; never happens
		}
		out = append(out, event.Origin{Key: ks[i], Record: r, Tuple: t})
	}
	return out
}

func splitNonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
