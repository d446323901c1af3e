package scenario

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
)

// TestSharedPathTraces runs every path_trace query of the shared scenarios
// (the golden cases of `pathproof trace`). It needs the shared reference
// data, so it skips on a fresh clone and fails under CI=true without it.
func TestSharedPathTraces(t *testing.T) {
	dir := testenv.Shared(t, "scenarios")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no scenario files")
	}
	total, passed := 0, 0
	for _, path := range files {
		f, err := ReadFile(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		rep := Run(f, RunOptions{})
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
