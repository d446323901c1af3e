package all

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/codes"
)

// TestDocsUpToDate fails when docs/codes differs from the registry: run
// `go generate ./internal/codes` and commit the result.
func TestDocsUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "docs", "codes")
	for name, want := range codes.Pages() {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("docs/codes/%s: %v (run go generate ./internal/codes)", name, err)
			continue
		}
		if string(got) != want {
			t.Errorf("docs/codes/%s is out of date: run go generate ./internal/codes", name)
		}
	}
	entries, _ := os.ReadDir(dir)
	pages := codes.Pages()
	for _, e := range entries {
		if _, ok := pages[e.Name()]; !ok {
			t.Errorf("docs/codes/%s documents no registered domain: remove it", e.Name())
		}
	}
}
