package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTableFitsMaxWidth: the shrinkable columns are cut, widest first and
// never below their minimum, until every line fits; other columns stay
// whole; a middle cut keeps both ends.
func TestTableFitsMaxWidth(t *testing.T) {
	long := "insights-logs-flowlogflowevent/000D3A100001/2026-01-15T09:00/PT1H.json#12.3"
	tb := Table{
		Header:   []string{"TIME", "RULE", "ORIGIN"},
		Rows:     [][]string{{"2026-01-15T09:00:00.000Z", "BlockHighRiskTCPPortsFromInternet", long}, {"2026-01-15T09:00:01.000Z", "x", "short"}},
		MaxWidth: 60,
		Shrink:   []int{14, 12, 20},
		CutAt:    []CutMode{CutStart, CutEnd, CutMiddle},
	}
	var b strings.Builder
	if err := tb.Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if n := utf8.RuneCountInString(l); n > 60 {
			t.Errorf("%d columns: %q", n, l)
		}
	}
	out := b.String()
	if !tb.Cut || !strings.Contains(out, "…") || strings.Contains(out, "2026-01-15T09:00:00.000Z") || !strings.Contains(out, "09:00:00.000Z") ||
		!strings.Contains(out, "#12.3") || !strings.Contains(out, "insights") || !strings.Contains(out, "BlockHigh") {
		t.Errorf("cut %v:\n%s", tb.Cut, out)
	}

	// Columns that may not be cut stay whole, even when the line is long.
	tb = Table{Header: []string{"A", "B"}, Rows: [][]string{{strings.Repeat("a", 50), strings.Repeat("b", 50)}}, MaxWidth: 40, Shrink: []int{0, 30}}
	b.Reset()
	tb.Write(&b)
	if !strings.Contains(b.String(), strings.Repeat("a", 50)) || strings.Contains(b.String(), strings.Repeat("b", 30)) || !strings.Contains(b.String(), strings.Repeat("b", 29)+"…") {
		t.Errorf("minimums not kept:\n%s", b.String())
	}
}

func TestTableSelect(t *testing.T) {
	tb := Table{Header: []string{"TIME", "SRC", "RULE"}, Rows: [][]string{{"t", "s", "r"}}, Shrink: []int{0, 0, 12}}
	if err := tb.Select([]string{"time", "src", "rule"}, []string{"rule", "Time"}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(tb.Header, ",") != "RULE,TIME" || strings.Join(tb.Rows[0], ",") != "r,t" || tb.Shrink[0] != 12 || tb.Shrink[1] != 0 {
		t.Errorf("selected %v %v %v", tb.Header, tb.Rows, tb.Shrink)
	}
	if err := tb.Select([]string{"time", "src", "rule"}, []string{"orgin"}); err == nil || !strings.Contains(err.Error(), `no column "orgin" (columns: time, src, rule)`) {
		t.Errorf("unknown column: %v", err)
	}
}
