package scenario

import (
	"iter"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
)

// knownDisagreements lists shared-scenario queries whose expected answer we
// believe is wrong, with the reason (semantics section). Keep it empty
// unless convinced.
var knownDisagreements = map[string]string{}

// TestSharedScenarios runs every non-path_trace query of every shared
// scenario through the runner.
func TestSharedScenarios(t *testing.T) {
	total, passed := 0, 0
	for f, rep := range runShared(t) {
		for _, r := range rep.Results {
			if r.Kind == "path_trace" {
				continue
			}
			total++
			key := f.ID + "/" + r.ID
			if r.Pass {
				passed++
				if why, ok := knownDisagreements[key]; ok {
					t.Errorf("%s passes now; drop it from knownDisagreements (%s)", key, why)
				}
				continue
			}
			if why, ok := knownDisagreements[key]; ok {
				t.Logf("%s: known disagreement: %s", key, why)
				continue
			}
			t.Errorf("%s (%s): %s", key, r.Kind, strings.Join(r.Diff, "; "))
		}
	}
	t.Logf("%d/%d non-trace queries pass", passed, total)
}

// runShared reads and runs every shared scenario file (skipping on a fresh
// clone, see testenv.Shared), yielding each file with its report; a file
// that does not read is an error.
func runShared(t *testing.T) iter.Seq2[*File, *Report] {
	dir := testenv.Shared(t, "scenarios")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no scenario files")
	}
	return func(yield func(*File, *Report) bool) {
		for _, path := range files {
			f, err := ReadFile(path)
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			if !yield(f, Run(f, RunOptions{})) {
				return
			}
		}
	}
}
