package all

import (
	"os"
	"path/filepath"
	"strings"
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

// TestDocsPathsPointAtSections: every code's DocsPath names a page that
// exists and an anchor of one of its headings (GitHub's anchor of
// "## `id`"), so `pathproof codes CODE` cites a place the reader can open.
func TestDocsPathsPointAtSections(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	for _, c := range codes.All() {
		page, anchor, ok := strings.Cut(c.DocsPath(), "#")
		if !ok {
			t.Fatalf("%s: %q has no anchor", c.ID, c.DocsPath())
		}
		data, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		found := false
		for _, l := range strings.Split(string(data), "\n") {
			if h, ok := strings.CutPrefix(l, "## "); ok && githubAnchor(h) == anchor {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: %s has no heading with anchor #%s", c.ID, page, anchor)
		}
	}
}

// githubAnchor is GitHub's heading anchor, written independently of the
// codes package: lower case; punctuation other than - and _ dropped
// (backticks and dots included); spaces to -.
func githubAnchor(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || ('a' <= r && r <= 'z') || ('0' <= r && r <= '9'):
			b.WriteRune(r)
		}
	}
	return b.String()
}
