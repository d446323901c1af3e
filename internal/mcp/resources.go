package mcp

import (
	"context"
	"io/fs"
	"path"
	"sort"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/pathproof/pathproof/docs"
	"github.com/pathproof/pathproof/internal/codes"
)

// Resource URIs: pathproof://codes/PAGE.md is a codes page generated from
// the registry (the same text as docs/codes), pathproof://docs/PAGE.md a
// user docs page.
const (
	codesURI = "pathproof://codes/"
	docsURI  = "pathproof://docs/"
)

func (h *server) addResources(s *sdk.Server) {
	pages := codes.Pages()
	names := make([]string, 0, len(pages))
	for n := range pages {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		text := pages[n]
		s.AddResource(&sdk.Resource{URI: codesURI + n, Name: "codes/" + n, Title: firstHeading(text), MIMEType: "text/markdown",
			Description: "pathproof's stable codes: what each means and what to check next"},
			textResource(text))
	}
	_ = fs.WalkDir(docs.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, "codes/") || path.Ext(p) != ".md" {
			return nil
		}
		b, err := fs.ReadFile(docs.FS, p)
		if err != nil {
			return nil
		}
		text := string(b)
		s.AddResource(&sdk.Resource{URI: docsURI + p, Name: "docs/" + p, Title: firstHeading(text), MIMEType: "text/markdown",
			Description: "pathproof user documentation"}, textResource(text))
		return nil
	})
}

func textResource(text string) sdk.ResourceHandler { return textResourceOf(text, "text/markdown") }

func textResourceOf(text, mime string) sdk.ResourceHandler {
	return func(_ context.Context, req *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
		return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: req.Params.URI, MIMEType: mime, Text: text}}}, nil
	}
}

// firstHeading is a page's title: its first "# " line.
func firstHeading(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if t, ok := strings.CutPrefix(l, "# "); ok {
			return strings.TrimSpace(t)
		}
	}
	return ""
}
