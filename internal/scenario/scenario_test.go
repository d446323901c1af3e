package scenario

import (
	"iter"
	"maps"
	"path/filepath"
	"slices"
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
	files := sharedFiles(t)
	return func(yield func(*File, *Report) bool) {
		for f := range files {
			if !yield(f, Run(f, RunOptions{})) {
				return
			}
		}
	}
}

// sharedFiles reads every shared scenario file; a file that does not read
// is an error.
func sharedFiles(t *testing.T) iter.Seq[*File] {
	dir := testenv.Shared(t, "scenarios")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no scenario files")
	}
	return func(yield func(*File) bool) {
		for _, path := range files {
			f, err := ReadFile(path)
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			if !yield(f) {
				return
			}
		}
	}
}

// TestSharedExpectationsAreChecked proves the shared-scenario tests can
// fail: for every query, changing one value of its expect (each in turn,
// until one does) must make the query fail. A kind that ignored its expect,
// or a comparison that passed anything, fails here.
func TestSharedExpectationsAreChecked(t *testing.T) {
	queries := 0
	for f := range sharedFiles(t) {
		for _, q := range f.Queries {
			queries++
			if !expectIsChecked(f, q) {
				t.Errorf("%s/%s (%s): passes whatever value of its expect changes", f.ID, q.ID, q.Kind)
			}
		}
	}
	if queries == 0 {
		t.Fatal("no queries")
	}
}

// expectIsChecked reports whether changing some value of q's expect (each
// leaf in turn, until one does) makes q fail when run alone in f.
func expectIsChecked(f *File, q Query) bool {
	for n := 0; ; n++ {
		left := n
		mutated := changeLeaf(q.Expect, &left)
		if left >= 0 {
			return false // every value changed in turn, none failed
		}
		one := *f
		mq := q
		mq.Expect = mutated
		one.Queries = []Query{mq}
		if !Run(&one, RunOptions{}).Results[0].Pass {
			return true
		}
	}
}

// changeLeaf returns a copy of v whose (*n)th leaf (a scalar, null or empty
// list; depth first, map keys sorted) is replaced by a value no answer
// has. *n ends negative when v had that leaf.
func changeLeaf(v any, n *int) any {
	const bogus = "pathproof-changed"
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			out[k] = changeLeaf(x[k], n)
		}
		return out
	case []any:
		if len(x) > 0 {
			out := make([]any, len(x))
			for i := range x {
				out[i] = changeLeaf(x[i], n)
			}
			return out
		}
		if *n--; *n == -1 {
			return []any{bogus}
		}
		return x
	}
	if *n--; *n == -1 {
		return bogus
	}
	return v
}
