package kql

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"net/netip"

	"github.com/pathproof/pathproof/internal/filter"
)

// Mode says which events a query must return.
type Mode int

const (
	// Events selects the rows whose events pass the filter (filter.Match):
	// `events`, `flows --top`, explain.
	Events Mode = iota
	// Conversations selects the rows of every conversation the filter
	// selects (filter.MatchConversation: the address, port and protocol
	// flags on either direction, the other flags ignored): `flows`.
	Conversations
)

// Query is a compiled push-down query: the same text runs on Log Analytics
// and on Azure Data Explorer.
type Query struct {
	// Window is the time window the query selects.
	Window Window
	// Tables are the tables the query reads, in order; empty when no table
	// can hold an event that passes the filter (nothing to run).
	Tables []string
	legs   []string
}

// Column names the query adds to every row it returns.
const (
	colTable    = "pp_table"    // the table the row came from
	colResource = "pp_resource" // the row's _ResourceId, when the table has one
	colRow      = "pp_row"      // every non-empty column of the row, as a property bag
	colKey      = "pp_key"      // a hash of the row, the order within one TimeGenerated
)

// Compile compiles f into a query. Its time window (a duration counts back
// from now; see Window) is always part of the query. Every filter Parse
// accepts compiles, as it does to SQL.
func Compile(f *filter.Filter, mode Mode) *Query {
	if f == nil {
		f = &filter.Filter{}
	}
	q := &Query{Window: windowOf(f)}
	for i := range tables {
		t := &tables[i]
		leg, ok := compileTable(t, f, q.Window, mode)
		if !ok {
			continue
		}
		q.Tables = append(q.Tables, t.name)
		q.legs = append(q.legs, leg)
	}
	return q
}

// noTables is the text of a query with nothing to run.
const noTables = "no table pathproof reads can hold an event that passes this filter"

// compileTable returns the leg of the union for t, ok false when no row of
// t can pass f.
func compileTable(t *table, f *filter.Filter, w Window, mode Mode) (string, bool) {
	var conds []string
	add := func(p pred) bool {
		if p.ok && p.expr != "" {
			conds = append(conds, p.expr)
		}
		return p.ok
	}
	either := func(a, b pred) pred {
		switch {
		case a.ok && a.expr == "" || b.ok && b.expr == "":
			return pass
		case a.ok && b.ok:
			return pred{expr: "(" + a.expr + " or " + b.expr + ")", ok: true}
		case a.ok:
			return a
		}
		return b
	}
	ok := true
	if mode == Conversations {
		for _, ps := range [][]netip.Prefix{f.Src, f.Dst, f.IP} {
			if len(ps) > 0 {
				ok = ok && add(either(addrPred(t.src, ps), addrPred(t.dst, ps)))
			}
		}
		for _, rs := range [][]filter.PortRange{f.Port, f.SrcPort} {
			if len(rs) > 0 {
				ok = ok && add(either(portPred(t.dstPort, rs), portPred(t.srcPort, rs)))
			}
		}
	} else {
		if len(f.Src) > 0 {
			ok = ok && add(addrPred(t.src, f.Src))
		}
		if len(f.Dst) > 0 {
			ok = ok && add(addrPred(t.dst, f.Dst))
		}
		if len(f.IP) > 0 {
			ok = ok && add(either(addrPred(t.src, f.IP), addrPred(t.dst, f.IP)))
		}
		if len(f.Port) > 0 {
			ok = ok && add(portPred(t.dstPort, f.Port))
		}
		if len(f.SrcPort) > 0 {
			ok = ok && add(portPred(t.srcPort, f.SrcPort))
		}
	}
	if len(f.Proto) > 0 {
		ok = ok && add(t.proto(f.Proto))
	}
	if mode == Events {
		if len(f.Source) > 0 && !slices.Contains(f.Source, t.source) {
			return "", false
		}
		if len(f.Verdict) > 0 {
			ok = ok && add(t.verdict(f.Verdict))
		}
		if len(f.Direction) > 0 {
			ok = ok && add(t.direction(f.Direction))
		}
		if len(f.Rule) > 0 {
			ok = ok && add(textPred(t.rule, f.Rule))
		}
		if len(f.Reason) > 0 {
			ok = ok && add(textPred(t.reason, f.Reason))
		}
	}
	if !ok {
		return "", false
	}

	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, "\n    | "+format, a...) }
	b.WriteString("(" + t.name)
	line("where TimeGenerated between (%s .. %s)", w.since(), w.untilPlus(t.lag))
	if t.eventTime != "" {
		line("where %s between (%s .. %s)", t.eventTime, w.since(), w.until())
	}
	for _, c := range t.where {
		line("where %s", c)
	}
	var used []string
	for _, h := range t.helpers {
		if slices.ContainsFunc(conds, func(c string) bool { return strings.Contains(c, h.name) }) {
			line("extend %s = %s", h.name, h.expr)
			used = append(used, h.name)
		}
	}
	for _, c := range conds {
		line("where %s", c)
	}
	if len(used) > 0 {
		line("project-away %s", strings.Join(used, ", "))
	}
	line(`project TimeGenerated, %s = %s, %s = tostring(column_ifexists("_ResourceId", "")), %s = pack_all(true))`,
		colTable, str(t.name), colResource, colRow)
	return b.String(), true
}

// Text returns the query for one page: rows after the cursor (nil: the
// first page), oldest first, at most limit+1 (one more than a page holds
// tells that another page follows).
func (q *Query) Text(after *Cursor, limit int) string {
	if len(q.legs) == 0 {
		return "// " + noTables + "\n"
	}
	var b strings.Builder
	b.WriteString("union isfuzzy=true\n    ")
	b.WriteString(strings.Join(q.legs, ",\n    "))
	fmt.Fprintf(&b, "\n| extend %s = hash_sha256(tostring(%s))", colKey, colRow)
	if after != nil {
		fmt.Fprintf(&b, "\n| where TimeGenerated > %s or (TimeGenerated == %s and %s > %s)",
			datetime(after.Time), datetime(after.Time), colKey, str(after.Key))
	}
	fmt.Fprintf(&b, "\n| order by TimeGenerated asc, %s asc\n| take %d\n", colKey, limit+1)
	return b.String()
}

// String is the first page's query with the default page size.
func (q *Query) String() string { return q.Text(nil, PageSize) }

// Cursor is where a page ended: the last row's TimeGenerated and key.
type Cursor struct {
	Time time.Time
	Key  string
}

// PageSize is how many rows one request asks for. Log Analytics answers at
// most 500,000 rows and about 64 MB per query; a page of packed rows stays
// far below both.
const PageSize = 10000
