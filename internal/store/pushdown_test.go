package store

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/filter"
)

// TestFilterReachesRowScan: the address, port and time flags of a filter
// become conditions DuckDB applies inside the scan of event_rows (where row
// group min/max prune them), not only after the joins behind the events
// view. A 5-tuple over one hour of a 100 M-event store depends on it
// (docs/PERFORMANCE.md, Persistent store).
func TestFilterReachesRowScan(t *testing.T) {
	s := open(t, "")
	load(t, s, randomEvents(rand.New(rand.NewPCG(3, 4)), 200))
	cases := []struct {
		spec filter.Spec
		want []string // column names that must appear in the scan's filters
	}{
		{filter.Spec{Src: []string{"10.0.0.4"}, Dst: []string{"52.1.2.3"}, Port: []string{"443"},
			Since: "2026-03-01T11:00:00Z", Until: "2026-03-01T12:00:00Z"}, []string{"src", "dst", "dst_port", "time"}},
		{filter.Spec{Src: []string{"10.0.0.0/24", "2001:db8::/32"}}, []string{"src"}},
		{filter.Spec{Dst: []string{"2001:db8::1"}, SrcPort: []string{"100-300"}}, []string{"dst", "src_port"}},
	}
	for _, c := range cases {
		f, err := filter.Parse(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		where, args := f.SQL()
		var plan string
		if err := s.db.QueryRowContext(context.Background(),
			"EXPLAIN (FORMAT json) SELECT count(*) FROM events WHERE "+where, args...).Scan(new(string), &plan); err != nil {
			t.Fatal(err)
		}
		filters := scanFilters(t, plan, "event_rows")
		for _, col := range c.want {
			if !slices.ContainsFunc(filters, func(f string) bool { return filterNames(f, col) }) {
				t.Errorf("%+v: no condition on event_rows.%s in the scan; scan filters %q", c.spec, col, filters)
			}
		}
	}
}

// scanFilters returns the filters of the scan of table in a JSON plan.
func scanFilters(t *testing.T, plan, table string) []string {
	t.Helper()
	type node struct {
		Name      string          `json:"name"`
		Children  []node          `json:"children"`
		ExtraInfo json.RawMessage `json:"extra_info"`
	}
	var roots []node
	if err := json.Unmarshal([]byte(plan), &roots); err != nil {
		t.Fatalf("plan: %v\n%s", err, plan)
	}
	var out []string
	var walk func(n node)
	walk = func(n node) {
		var info struct {
			Table   string `json:"Table"`
			Filters any    `json:"Filters"`
		}
		_ = json.Unmarshal(n.ExtraInfo, &info)
		if strings.HasSuffix(info.Table, "."+table) || info.Table == table {
			switch f := info.Filters.(type) {
			case string:
				out = append(out, f)
			case []any:
				for _, x := range f {
					if s, ok := x.(string); ok {
						out = append(out, s)
					}
				}
			}
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	if out == nil {
		t.Fatalf("no filter on the scan of %s:\n%s", table, plan)
	}
	return out
}

// filterNames reports whether a scan filter's text tests column col (and
// not only a longer name holding it, such as src_port for src).
func filterNames(f, col string) bool {
	for i := 0; ; {
		j := strings.Index(f[i:], col)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(col)
		before := j == 0 || !isIdent(f[j-1])
		after := end == len(f) || !isIdent(f[end])
		if before && after {
			return true
		}
		i = end
	}
}

func isIdent(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
