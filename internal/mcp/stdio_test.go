package mcp_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/pathproof/pathproof/internal/mcp"
	"github.com/pathproof/pathproof/internal/testenv"
)

// TestBinaryOverStdio: the real binary, started as an MCP client starts
// it, lists its tools, answers trace like the CLI, turns a malformed call
// into a tool error and keeps serving.
func TestBinaryOverStdio(t *testing.T) {
	bin := testenv.BuildPathproof(t)
	fx := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.Command(bin, "mcp", "--topology", fx.topology, "--logs", fx.logs, "--files", fx.files)
	c := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil)
	cs, err := c.Connect(ctx, &sdk.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if got := cs.InitializeResult().ServerInfo.Name; got != "pathproof" {
		t.Errorf("server name %q", got)
	}
	res, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tools) != len(wantTools) {
		t.Errorf("%d tools, want %d", len(res.Tools), len(wantTools))
	}
	bad, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "events", Arguments: map[string]any{"limit": "many"}})
	if err != nil || !bad.IsError {
		t.Errorf("malformed events call: %v %+v, want a tool error", err, bad)
	}
	got := call(t, cs, "trace", map[string]any{"from": "nic:web-nic", "to": "10.5.1.4:443"})
	want := cliJSON(t, "trace", "--topology", fx.topology, "--from", "nic:web-nic", "--to", "10.5.1.4:443", "-o", "json")
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("trace over stdio differs from the CLI (-cli +mcp):\n%s", d)
	}
	pc := call(t, cs, "pcap_summary", map[string]any{"file": "demo.pcap"})
	if n, _ := pc.(map[string]any)["connections_total"].(float64); n < 3 {
		t.Errorf("pcap_summary over stdio: %v connections", n)
	}
	if !strings.Contains(cmd.Path, "pathproof") {
		t.Errorf("ran %s", cmd.Path)
	}
}

// TestHTTPLoopbackOnly: --http refuses a non-loopback address; on loopback
// the streamable HTTP transport serves the tools.
func TestHTTPLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", "192.0.2.1:8378", "example.com:80", "8378"} {
		if l, err := mcp.ListenLoopback(addr); err == nil {
			l.Close()
			t.Errorf("--http %s: listening, want a refusal", addr)
		}
	}
	fx := newFixture(t)
	l, err := mcp.ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mcp.ServeHTTP(ctx, mcp.New(fx.workspace(t), mcp.Options{}), l) }()
	c := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil)
	cs, err := c.Connect(ctx, &sdk.StreamableClientTransport{Endpoint: "http://" + l.Addr().String() + "/"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := call(t, cs, "codes", map[string]any{"code": "asymmetric-stateful"})
	if got.(map[string]any)["codes"] == nil {
		t.Errorf("codes over HTTP: %v", got)
	}
	cs.Close()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}
