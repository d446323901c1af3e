package scenario

import (
	"path/filepath"
	"strings"
	"testing"
)

// projectFiles reads the project's own scenario files (testdata/model2:
// the Azure model, part 2, #14). They ship with the repository, so the
// test never skips; a file that does not read is an error.
func projectFiles(t *testing.T) []*File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "model2", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no project scenario files under testdata/model2 (%v)", err)
	}
	var out []*File
	for _, p := range paths {
		f, err := ReadFile(p)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		out = append(out, f)
	}
	return out
}

// TestProjectScenarios runs every query of the project's scenario files:
// each must pass, and each must be able to fail (changing one value of its
// expect, each in turn, must make it fail), as the shared files are held to.
func TestProjectScenarios(t *testing.T) {
	queries := 0
	for _, f := range projectFiles(t) {
		if f.Provenance == "" {
			t.Errorf("%s: no provenance", f.Path)
		}
		for _, r := range Run(f, RunOptions{}).Results {
			queries++
			if !r.Pass {
				t.Errorf("%s/%s (%s): %s%s", f.ID, r.ID, r.Kind, r.Error, strings.Join(r.Diff, "; "))
			}
		}
		for _, q := range f.Queries {
			if q.Provenance == "" || q.Source == "" {
				t.Errorf("%s/%s: a query needs a provenance and a source", f.ID, q.ID)
			}
			if !expectIsChecked(f, q) {
				t.Errorf("%s/%s (%s): passes whatever value of its expect changes", f.ID, q.ID, q.Kind)
			}
		}
	}
	if queries == 0 {
		t.Fatal("no queries")
	}
}
