package kql

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/redact"
)

// MaxCounts bounds the rows of a tally (resource × table × minute); past
// it the tally is reported as truncated.
const MaxCounts = 100000

// Columns of a tally's rows (with colTable and colResource).
const (
	colMinute = "pp_minute" // the minute, bin(TimeGenerated, 1m)
	colCount  = "pp_count"  // rows of the table the resource wrote in it
)

// Tally is the activity query of a Query: how many rows each resource
// (_ResourceId) wrote to each table the query reads in each minute of
// its window, whatever their addresses and ports. It is what lets explain
// prove from a workspace, as from files, that a log was alive ("the
// firewall logged other flows in this minute but not this one") while
// reading only the flow's own rows. Traffic Analytics is left out: its
// rows' emitter is a NIC's MAC in the row, not the resource that wrote it.
type Tally struct {
	// Window is the query's window widened to whole minutes (when its
	// bounds are times), as a load's tally counts whole minutes.
	Window Window
	// Tables are the tables counted, in order; empty: nothing to run.
	Tables []string
	legs   []string
}

// Tally returns q's activity query: the same window (in whole minutes)
// and tables, without the filter's predicates.
func (q *Query) Tally() *Tally {
	w := q.Window
	if !w.Since.At.IsZero() {
		w.Since = filter.Bound{At: w.Since.At.Truncate(time.Minute)}
	}
	end := ""
	if !w.Until.At.IsZero() {
		end = datetime(w.Until.At.Truncate(time.Minute).Add(time.Minute))
	}
	ty := &Tally{Window: w}
	for _, name := range q.Tables {
		t := tableNamed(name)
		if t == nil || t.source == event.SourceTrafficAnalytics {
			continue
		}
		var b strings.Builder
		line := func(format string, a ...any) { fmt.Fprintf(&b, "\n    | "+format, a...) }
		b.WriteString("(" + t.name)
		if end != "" { // whole minutes: up to the end of the last one
			line("where TimeGenerated >= %s and TimeGenerated < %s", w.since(), end)
		} else {
			line("where TimeGenerated between (%s .. %s)", w.since(), w.until())
		}
		for _, c := range t.where {
			line("where %s", c)
		}
		line(`summarize %s = count() by %s = tostring(column_ifexists("_ResourceId", "")), %s = bin(TimeGenerated, 1m)`, colCount, colResource, colMinute)
		line("extend %s = %s)", colTable, str(t.name))
		ty.Tables = append(ty.Tables, t.name)
		ty.legs = append(ty.legs, b.String())
	}
	return ty
}

// tableNamed returns the table called name, nil when there is none.
func tableNamed(name string) *table {
	for i := range tables {
		if tables[i].name == name {
			return &tables[i]
		}
	}
	return nil
}

// String is the tally's query text: at most MaxCounts+1 rows (one more
// tells it was cut).
func (ty *Tally) String() string {
	if len(ty.legs) == 0 {
		return "// " + noTables + "\n"
	}
	var b strings.Builder
	b.WriteString("union isfuzzy=true\n    ")
	b.WriteString(strings.Join(ty.legs, ",\n    "))
	fmt.Fprintf(&b, "\n| order by %s asc, %s asc, %s asc\n| take %d\n", colMinute, colTable, colResource, MaxCounts+1)
	return b.String()
}

// Count is how many rows one resource wrote to one table in one minute,
// with the log family and emitter its rows' events have
// (logs.ResourceEmitter).
type Count struct {
	Table, Resource string
	Source          event.Source
	Emitter         string
	// Minute is the minute's start; N the rows in it.
	Minute time.Time
	N      int64
}

// TallyResult is what a tally read: the counts of the rows whose resource
// maps to an emitter; Skips say why it may be incomplete.
type TallyResult struct {
	Counts []Count
	// Unmapped counts rows of resources no emitter is known for.
	Unmapped int64
	Skips    []logs.Skip
}

// countRow is one row of a tally's answer.
type countRow struct {
	table, resource string
	minute          time.Time
	n               int64
}

// tallyPage is a tally's answer.
type tallyPage struct {
	counts []countRow
	answer
}

// FetchTally runs ty on t. An error means nothing could be counted; a
// partial answer or a cut comes back in TallyResult.Skips.
func FetchTally(ctx context.Context, t Target, ty *Tally, opt Options) (*TallyResult, error) {
	res := &TallyResult{}
	if len(ty.Tables) == 0 {
		return res, nil
	}
	b, err := newBackend(t, opt)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	since, until := ty.Window.Resolve(now())
	if !ty.Window.Until.At.IsZero() {
		until = until.Truncate(time.Minute).Add(time.Minute)
	}
	p, err := b.tally(ctx, ty.String(), since, until)
	if err != nil {
		return nil, err
	}
	skip := func(code, reason string) {
		res.Skips = append(res.Skips, logs.Skip{Name: t.Flag() + " (activity count)", Record: -1, Tuple: -1, Code: code, Reason: redact.String(reason)})
	}
	if len(p.counts) > MaxCounts {
		p.counts = p.counts[:MaxCounts]
		skip(CodeTruncated, fmt.Sprintf("more than %d resource-minutes: counted the oldest; narrow --since/--until", MaxCounts))
	}
	for _, c := range p.counts {
		src, em, ok := logs.ResourceEmitter(c.table, c.resource)
		if !ok || em == "" {
			res.Unmapped += c.n
			continue
		}
		res.Counts = append(res.Counts, Count{Table: c.table, Resource: c.resource, Source: src, Emitter: em, Minute: c.minute.Truncate(time.Minute), N: c.n})
	}
	if p.bad > 0 {
		skip(CodeBadRow, fmt.Sprintf("%d count row(s) could not be read: %s", p.bad, p.badReason))
	}
	if p.partial != "" {
		skip(CodePartial, "the service answered the activity count in part: "+p.partial)
	}
	return res, nil
}

// cellInt reads an integer cell (Log Analytics sends a long as a JSON
// number).
func cellInt(v any) (int64, error) {
	switch x := v.(type) {
	case float64:
		return int64(x), nil
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case string:
		var n int64
		if _, err := fmt.Sscan(x, &n); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("%s is a %T, not a count", colCount, v)
}
