package mcp_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/pathproof/pathproof/internal/demo"
	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/mcp"
	"github.com/pathproof/pathproof/internal/workspace"
)

// TestExplainLikeTheCLI: for every demo story, the explain tool returns
// the verdict, hop and citations `pathproof explain -o json` prints on the
// same data, the story's expected verdict, and links to its proof report,
// which reads as a resource.
func TestExplainLikeTheCLI(t *testing.T) {
	for _, s := range demo.Stories() {
		t.Run(s.Name, func(t *testing.T) {
			d, err := s.Build(filepath.Join(t.TempDir(), s.Name))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			ws, err := workspace.Open(ctx, workspace.Config{Topology: []string{d.Topology}, Evidence: ingest.Sources{Logs: []string{d.Logs}}, Files: []string{d.Dir}})
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			cs := connectWS(t, ws)
			args := map[string]any{"from": s.From, "to": s.To, "at": s.At.UTC().Format(time.RFC3339)}
			if s.Protocol != "" {
				args["protocol"] = s.Protocol
			}
			if len(d.Captures) > 0 {
				args["captures"] = d.Captures
			}
			res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "explain", Arguments: args})
			if err != nil || res.IsError {
				t.Fatalf("explain: %v %s", err, text(res))
			}
			got := decode(t, res.StructuredContent).(map[string]any)
			want := cliJSON(t, append(s.ExplainArgs(d, true), "-o", "json")...).(map[string]any)
			for _, k := range []string{"verdict", "at", "confidence", "summary", "hops", "findings", "citations", "window", "inputs"} {
				if d := cmp.Diff(want[k], got[k]); d != "" {
					t.Errorf("%s differs from pathproof explain -o json (-cli +mcp):\n%s", k, d)
				}
			}
			if got["verdict"] != s.Want.Verdict || got["at"] != s.Want.At {
				t.Errorf("verdict %v at %v, the story wants %s at %s", got["verdict"], got["at"], s.Want.Verdict, s.Want.At)
			}
			var link *sdk.ResourceLink
			for _, c := range res.Content {
				if l, ok := c.(*sdk.ResourceLink); ok && filepath.Ext(l.URI) == ".md" {
					link = l
				}
			}
			if link == nil {
				t.Fatalf("no link to the Markdown report in %v", res.Content)
			}
			rr, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: link.URI})
			if err != nil || len(rr.Contents) != 1 || len(rr.Contents[0].Text) < 200 {
				t.Fatalf("report %s: %v %v", link.URI, err, rr)
			}
			// The cited log records are quoted as Azure wrote them.
			if md := rr.Contents[0].Text; strings.Contains(md, "** log ·") &&
				(!strings.Contains(md, "The record as Azure wrote it") || strings.Contains(md, "could not be read again")) {
				t.Errorf("report %s does not quote every cited record:\n%s", link.URI, md)
			}
		})
	}
}

func connectWS(t *testing.T, ws *workspace.Workspace) *sdk.ClientSession {
	t.Helper()
	ctx := context.Background()
	ct, st := sdk.NewInMemoryTransports()
	ss, err := mcp.New(ws, mcp.Options{}).Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}
