package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/kql"
	"github.com/pathproof/pathproof/internal/kql/kqltest"
	"github.com/pathproof/pathproof/internal/render/explainrender"
	"github.com/pathproof/pathproof/internal/workspace"
)

// TestFrontEndWorkspacePushesPerQuestion: serve and mcp take --workspace
// as explain does; the workspace they open loads nothing at start and
// sends, per explain question, the evidence query (that question's window
// and addresses) and the activity count, and answers as `pathproof explain
// --workspace` does over the same rows.
func TestFrontEndWorkspacePushesPerQuestion(t *testing.T) {
	all, flow := firewallStory(true)
	srv := workspaceServer(t, all, flow, false)
	var errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &errOut,
		KQL: kql.Options{Credential: kqltest.Credential{}, HTTPClient: srv.Client(), Endpoint: srv.URL}}
	cmd := &cobra.Command{}
	ff := addFrontFlags(cmd)
	if err := cmd.Flags().Parse([]string{"--workspace", pushWorkspace, "--topology", explainDesign}); err != nil {
		t.Fatal(err)
	}
	ws, err := ff.open(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests at start: a server must query per question", n)
	}
	if _, err := ws.NeedStore(); err == nil {
		t.Error("events/flows questions have a store without evidence loaded")
	}
	for i, at := range []time.Time{explainAt(21, 0, 0), explainAt(35, 0, 0)} {
		q := workspace.ExplainQuery{Query: explain.Query{From: "nic:web-nic", To: "10.5.1.4:443", Protocol: "tcp"},
			Window: explain.WindowSpec{At: at.Format(time.RFC3339)}}
		got, err := ws.Explain(context.Background(), q)
		if err != nil {
			t.Fatalf("question %d: %v", i, err)
		}
		reqs := srv.Requests()
		if len(reqs) != 2*(i+1) {
			t.Fatalf("question %d: %d requests in all, want the evidence query and the activity count per question", i, len(reqs))
		}
		from := at.Add(-explain.AtSpan).UTC().Format(time.RFC3339)
		evidence := reqs[len(reqs)-2].Query + reqs[len(reqs)-1].Query
		for _, want := range []string{`"10.4.1.4"`, `"10.5.1.4"`, "datetime(" + from + ")", "summarize pp_count = count()"} {
			if !strings.Contains(evidence, want) {
				t.Errorf("question %d: the queries lack %q:\n%s", i, want, evidence)
			}
		}
		var js bytes.Buffer
		if err := explainrender.Write(&js, "json", got.Result); err != nil {
			t.Fatal(err)
		}
		cli := workspaceServer(t, all, flow, false)
		_, want, cliErr := runPush(cli, "explain", "--workspace", pushWorkspace, "--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443", "--at", at.Format(time.RFC3339), "-o", "json")
		if verdictOf(t, js.String()) != verdictOf(t, want) {
			t.Errorf("question %d: server %s, explain --workspace %s\n%s", i, verdictOf(t, js.String()), verdictOf(t, want), cliErr)
		}
		if i == 0 && verdictOf(t, js.String()) != "dropped at firewall:azfw (medium)" {
			t.Errorf("question 0: %s, want the firewall's deny", verdictOf(t, js.String()))
		}
	}
	if strings.Contains(errOut.String(), kqltest.Token) {
		t.Error("the token shows on stderr")
	}
}

// TestFrontEndPushUsage: serve and mcp refuse a malformed --workspace and
// push-down mixed with --logs (exit 2) before serving anything.
func TestFrontEndPushUsage(t *testing.T) {
	for _, c := range [][]string{
		{"serve", "--workspace", "not-a-guid"},
		{"mcp", "--adx", "http://plain.example/db"},
		{"serve", "--workspace", pushWorkspace, "--logs", t.TempDir()},
		{"mcp", "--workspace", pushWorkspace, "--db", "x.duckdb"},
	} {
		if code, _, errOut := run(c...); code != ExitUsage || !strings.Contains(errOut, c[1]) {
			t.Errorf("%v: exit %d, want %d\n%s", c, code, ExitUsage, errOut)
		}
	}
}
