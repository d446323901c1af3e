package kql

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/testenv"
)

// TestPrintout: what --print-kql prints, byte for byte (golden): the
// header and the query; for explain also the activity count query under
// its own comment, after a blank line.
func TestPrintout(t *testing.T) {
	f, err := filter.Parse(filter.Spec{IP: []string{"10.0.1.4", "10.5.1.4"}, Since: "2026-02-03T14:11:30Z", Until: "2026-02-03T14:31:10Z"})
	if err != nil {
		t.Fatal(err)
	}
	q := Compile(f, Events)
	for _, c := range []struct {
		name  string
		tally bool
	}{{"printout-events.kql", false}, {"printout-explain.kql", true}} {
		txt := q.Printout(c.tally)
		testenv.Golden(t, filepath.Join("testdata", c.name), []byte(txt))
		if !strings.HasPrefix(txt, Header()) || strings.Contains(txt, "// Activity count") != c.tally {
			t.Errorf("%s: header or activity query wrong:\n%s", c.name, txt)
		}
	}
}
