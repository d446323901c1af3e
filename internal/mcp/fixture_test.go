package mcp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/cli"
	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/pcap/synth"
	"github.com/pathproof/pathproof/internal/workspace"
)

// fixture is generated data for a server and the CLI to answer from: a
// topology (the app-rule-snat demo design), generated flow, firewall and
// Key Vault logs, the demo capture and a scenario file in the files folder.
type fixture struct {
	topology, logs, files string
	pcap, scenario        string // paths inside files
	start                 time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	fx := &fixture{
		topology: filepath.Join("..", "demo", "data", "trace", "app-rule-snat.yaml"),
		logs:     filepath.Join(dir, "logs"), files: filepath.Join(dir, "files"),
		start: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
	}
	_, err := loggen.Generate(loggen.Options{Out: fx.logs, Seed: 3, Start: fx.start, NICs: 2, Tuples: 60, NSGTuples: 20, Firewall: 40,
		Counts: map[string]int64{"keyvault": 10}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(fx.files, 0o755); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := synth.Demo(&b); err != nil {
		t.Fatal(err)
	}
	fx.pcap = filepath.Join(fx.files, "demo.pcap")
	if err := os.WriteFile(fx.pcap, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := os.ReadFile(filepath.Join("..", "demo", "data", "hub-spoke-intent.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fx.scenario = filepath.Join(fx.files, "intent.yaml")
	if err := os.WriteFile(fx.scenario, sc, 0o644); err != nil {
		t.Fatal(err)
	}
	return fx
}

// workspace opens the fixture as `pathproof mcp --topology T --logs L
// --files F` would.
func (fx *fixture) workspace(t *testing.T) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Open(context.Background(), workspace.Config{
		Topology: []string{fx.topology}, Evidence: ingest.Sources{Logs: []string{fx.logs}}, Files: []string{fx.files}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// cliJSON runs pathproof in-process and decodes what it prints on stdout.
// Exit 0, 1 (a failing check) and 4 are answers; anything else fails.
func cliJSON(t *testing.T, args ...string) any {
	t.Helper()
	var o, e bytes.Buffer
	code := cli.Main(args, strings.NewReader(""), &o, &e)
	if code != 0 && code != 1 && code != 4 {
		t.Fatalf("pathproof %s: exit %d: %s", strings.Join(args, " "), code, e.String())
	}
	var v any
	if err := json.Unmarshal(o.Bytes(), &v); err != nil {
		t.Fatalf("pathproof %s: not JSON (%v): %s %s", strings.Join(args, " "), err, o.String(), e.String())
	}
	return v
}

// decode turns a value into its generic JSON form.
func decode(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
