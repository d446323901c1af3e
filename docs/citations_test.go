package docs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOutputCitesDocsTheUserHas: a string in pathproof's code (what it
// prints: findings, fixes, notes, errors) that cites a section (§N.N)
// names the page of this folder that has it (docs/azure-semantics.md,
// docs/log-formats.md, ...) and a section that exists there, never a
// document a user does not have ("semantics §3.3", the brief's reference).
func TestOutputCitesDocsTheUserHas(t *testing.T) {
	heading := regexp.MustCompile(`(?m)^#{2,5} (\d+(?:\.\d+)*)\.? `)
	sections := map[string]map[string]bool{} // "docs/page.md" -> section numbers
	pages, _ := filepath.Glob("*.md")
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range heading.FindAllStringSubmatch(string(data), -1) {
			if sections["docs/"+p] == nil {
				sections["docs/"+p] = map[string]bool{}
			}
			sections["docs/"+p][m[1]] = true
		}
	}
	cite := regexp.MustCompile(`([\w./-]*)\s+§(\d+(?:\.\d+)*)`)
	bare := regexp.MustCompile(`§`)
	checked := 0
	err := filepath.WalkDir(filepath.Join("..", "internal"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s := lit.Value
			if strings.Contains(s, "azure-network-semantics") || strings.Contains(s, "shared/docs") {
				t.Errorf("%s: cites the brief's reference, which users do not have: %s", fset.Position(lit.Pos()), s)
			}
			matches := cite.FindAllStringSubmatch(s, -1)
			if len(matches) != len(bare.FindAllString(s, -1)) {
				t.Errorf("%s: a § without a page: %s", fset.Position(lit.Pos()), s)
			}
			for _, m := range matches {
				checked++
				if secs, ok := sections[m[1]]; !ok {
					t.Errorf("%s: §%s cites %q, not a numbered page of docs/: %s", fset.Position(lit.Pos()), m[2], m[1], s)
				} else if !secs[m[2]] {
					t.Errorf("%s: %s has no section %s", fset.Position(lit.Pos()), m[1], m[2])
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Error("no citation found: the test reads nothing")
	}
}
