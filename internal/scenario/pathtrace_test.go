package scenario

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/trace"
)

// TestSharedPathTraces runs every path_trace query of the shared scenarios
// (the golden cases of `pathproof trace`). It needs the shared reference
// data, so it skips on a fresh clone and fails under CI=true without it.
func TestSharedPathTraces(t *testing.T) {
	total, passed := 0, 0
	for f, rep := range runShared(t) {
		for _, r := range rep.Results {
			if r.Kind != "path_trace" {
				continue
			}
			total++
			if r.Pass {
				passed++
				continue
			}
			t.Errorf("%s/%s: %s%s", f.ID, r.ID, r.Error, strings.Join(r.Diff, "; "))
		}
	}
	if total == 0 {
		t.Fatal("no path_trace queries found")
	}
	t.Logf("%d/%d path_trace queries pass", passed, total)
}

// TestSharedPathTracesFromBareIP runs the same queries with `from` given as
// a bare IP (as on an exported topology whose hosts have no names): the NIC's
// or host's address, or the Internet address. Sources whose IP is ambiguous
// (a host address inside two sites) keep their named form.
func TestSharedPathTracesFromBareIP(t *testing.T) {
	dir := testenv.Shared(t, "scenarios")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	rewritten, passed := 0, 0
	for _, path := range files {
		f, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var keep []Query
		for _, q := range f.Queries {
			if q.Kind != "path_trace" {
				continue
			}
			from := fmt.Sprint(q.Input["from"])
			ep, err := trace.ResolveSource(f.Topology, from)
			if err != nil {
				t.Fatalf("%s/%s: %v", f.ID, q.ID, err)
			}
			bare := ep.IP.String()
			if back, err := trace.ResolveSource(f.Topology, bare); err != nil || back.Kind != ep.Kind {
				continue // ambiguous as a bare IP
			}
			in := map[string]any{}
			for k, v := range q.Input {
				in[k] = v
			}
			in["from"] = bare
			q.Input = in
			keep = append(keep, q)
		}
		f.Queries = keep
		for _, r := range Run(f, RunOptions{}).Results {
			rewritten++
			if r.Pass {
				passed++
				continue
			}
			t.Errorf("%s/%s from a bare IP: %s%s", f.ID, r.ID, r.Error, strings.Join(r.Diff, "; "))
		}
	}
	if rewritten < 30 {
		t.Errorf("only %d queries could use a bare IP", rewritten)
	}
	t.Logf("%d/%d path_trace queries pass with a bare-IP source", passed, rewritten)
}
