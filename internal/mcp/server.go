// Package mcp is pathproof's Model Context Protocol server (`pathproof
// mcp`): the answers of the CLI as tools an AI assistant can call, with
// the same JSON the CLI prints as structured output, the codes pages and
// the user docs as resources it can quote, and a prompt that asks it to
// cite the evidence it was given.
//
// It is a thin front end over internal/workspace (the loaded topology,
// evidence store and capture folders) and the packages that own each
// answer (trace, scenario, store, pcap, probe, codes); it holds no analysis
// of its own. Every tool is read-only; a tool that fails returns a tool
// error with the CLI's message and the server keeps serving.
package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/google/jsonschema-go/jsonschema"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/pathproof/pathproof/internal/workspace"
)

// Options tune the server.
type Options struct {
	// Version is reported to clients.
	Version string
	// AllowProbe adds the probe tool, which sends packets from this
	// machine (DNS, TCP, TLS, HTTP, ICMP) to a target the model names.
	AllowProbe bool
	// Log receives the stack of a tool that panicked (nil: discarded).
	Log io.Writer
}

// instructions tell the model how to use the server.
const instructions = `pathproof proves where a packet went in an Azure network and why it stopped.
Answer from the tools, never from memory. Start with explain (one verdict from the simulated path and the evidence,
every claim cited); then trace (the simulated path), events and flows (the evidence in the logs),
pcap_summary and pcap_connection (a capture), routes, rules, next_hop and ip_flow_verify (the offline Network
Watcher), check (scenario files), codes (what a code means and what to check next), record (the raw log record
an origin cites). Quote what the tools return: every log event carries its origin (file or blob, record, tuple) and
every explain claim a citation; cite them. Read pathproof://codes/... for a code's page and pathproof://reports/...
for the proof report of an explanation.`

// server holds what the tool handlers share.
type server struct {
	ws      *workspace.Workspace
	o       Options
	reports reports
}

// New returns the MCP server over ws.
func New(ws *workspace.Workspace, o Options) *sdk.Server {
	version := o.Version
	if version == "" {
		version = "dev"
	}
	s := sdk.NewServer(&sdk.Implementation{Name: "pathproof", Title: "pathproof: where did my packet go in Azure", Version: version},
		&sdk.ServerOptions{Instructions: instructions})
	h := &server{ws: ws, o: o}
	h.addExplainTool(s)
	h.addModelTools(s)
	h.addEvidenceTools(s)
	h.addCaptureTools(s)
	if o.AllowProbe {
		h.addProbeTool(s)
	}
	h.addResources(s)
	h.addPrompts(s)
	return s
}

// objectSchema is the output schema of every tool: a JSON object (the
// CLI's JSON for the same question; see docs/mcp.md for each tool's keys).
var objectSchema = &jsonschema.Schema{Type: "object"}

// tool describes one tool.
type tool struct {
	name, title, desc string
	// openWorld marks a tool that reaches outside the loaded data (probe).
	openWorld bool
}

// addTool registers a read-only tool whose handler returns the value to
// send as structured output. A handler's error, and a panic, become a tool
// error: the client sees the message and the server keeps serving.
func addTool[In any](s *sdk.Server, log io.Writer, t tool, fn func(ctx context.Context, in In) (any, error)) {
	addToolContent(s, log, t, func(ctx context.Context, in In) (any, []sdk.Content, error) {
		v, err := fn(ctx, in)
		return v, nil, err
	})
}

// addToolContent is addTool for a handler that also returns content
// blocks (resource links) to send after the JSON text of its output.
func addToolContent[In any](s *sdk.Server, log io.Writer, t tool, fn func(ctx context.Context, in In) (any, []sdk.Content, error)) {
	ow := t.openWorld
	no := false
	def := &sdk.Tool{
		Name: t.name, Title: t.title, Description: t.desc, OutputSchema: objectSchema,
		Annotations: &sdk.ToolAnnotations{Title: t.title, ReadOnlyHint: true, IdempotentHint: !ow, DestructiveHint: &no, OpenWorldHint: &ow},
	}
	sdk.AddTool(s, def, func(ctx context.Context, _ *sdk.CallToolRequest, in In) (res *sdk.CallToolResult, out any, err error) {
		defer func() {
			if r := recover(); r != nil {
				res, out = nil, nil
				err = fmt.Errorf("%s: internal error (please report it): %v", t.name, r)
				if log != nil {
					fmt.Fprintf(log, "pathproof mcp: tool %s panicked: %v\n%s", t.name, r, debug.Stack())
				}
			}
		}()
		v, extra, err := fn(ctx, in)
		if err != nil {
			return nil, nil, err
		}
		if len(extra) == 0 {
			return nil, v, nil
		}
		// With content of its own the SDK sends no JSON text: put it first,
		// for clients that read only the content.
		b, err := json.Marshal(v)
		if err != nil {
			return nil, nil, err
		}
		return &sdk.CallToolResult{Content: append([]sdk.Content{&sdk.TextContent{Text: string(b)}}, extra...)}, v, nil
	})
}
