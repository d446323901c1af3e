package mcp_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/pathproof/pathproof/internal/codes"
	"github.com/pathproof/pathproof/internal/mcp"
)

// connect starts the server over ws in process and returns a connected
// SDK client session.
func connect(t *testing.T, fx *fixture, o mcp.Options) *sdk.ClientSession {
	t.Helper()
	ctx := context.Background()
	srv := mcp.New(fx.workspace(t), o)
	ct, st := sdk.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	c := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil)
	cs, err := c.Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// call calls a tool and returns its structured output; a tool error fails.
func call(t *testing.T, cs *sdk.ClientSession, name string, args map[string]any) any {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.IsError {
		t.Fatalf("%s(%v): tool error: %s", name, args, text(res))
	}
	return decode(t, res.StructuredContent)
}

func text(res *sdk.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

var wantTools = []string{"check", "codes", "events", "explain", "flows", "ip_flow_verify", "next_hop", "pcap_connection", "pcap_summary", "record", "routes", "rules", "trace"}

// TestToolsListed: every tool is listed, read-only, with an object input
// schema; probe only with AllowProbe.
func TestToolsListed(t *testing.T) {
	fx := newFixture(t)
	for _, allow := range []bool{false, true} {
		cs := connect(t, fx, mcp.Options{AllowProbe: allow})
		res, err := cs.ListTools(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tl := range res.Tools {
			names = append(names, tl.Name)
			if tl.Annotations == nil || !tl.Annotations.ReadOnlyHint {
				t.Errorf("%s is not marked read-only", tl.Name)
			}
			if m, ok := tl.InputSchema.(map[string]any); !ok || m["type"] != "object" {
				t.Errorf("%s: input schema %v", tl.Name, tl.InputSchema)
			}
			if tl.OutputSchema == nil {
				t.Errorf("%s: no output schema", tl.Name)
			}
		}
		slices.Sort(names)
		want := wantTools
		if allow {
			want = append(slices.Clone(wantTools), "probe")
			slices.Sort(want)
		}
		if !slices.Equal(names, want) {
			t.Errorf("allow-probe %v: tools %v, want %v", allow, names, want)
		}
	}
}

// TestToolsAnswerLikeTheCLI: each tool's structured output is the JSON the
// CLI prints for the same question on the same data.
func TestToolsAnswerLikeTheCLI(t *testing.T) {
	fx := newFixture(t)
	cs := connect(t, fx, mcp.Options{})
	topo := []string{"--topology", fx.topology}
	logs := []string{"--logs", fx.logs}
	since := fx.start.Format(time.RFC3339)
	cases := []struct {
		name string
		tool string
		args map[string]any
		cli  []string
		// pick returns the part of the tool's output that is the CLI's JSON.
		pick func(any) any
		// fix normalises the CLI's JSON (nil: as printed).
		fix func(any) any
	}{
		{"trace", "trace", map[string]any{"from": "nic:web-nic", "to": "10.5.1.4:443"},
			append([]string{"trace", "--from", "nic:web-nic", "--to", "10.5.1.4:443", "-o", "json"}, topo...), nil, nil},
		{"trace udp", "trace", map[string]any{"from": "10.4.1.4", "to": "10.5.1.4:53", "protocol": "udp", "src_port": 40000},
			append([]string{"trace", "--from", "10.4.1.4", "--to", "10.5.1.4:53", "-p", "udp", "--src-port", "40000", "-o", "json"}, topo...), nil, nil},
		{"routes", "routes", map[string]any{"nic": "api-nic"}, append([]string{"routes", "--nic", "api-nic", "-o", "json"}, topo...), nil, nil},
		{"routes by ip", "routes", map[string]any{"ip": "10.4.1.4"}, append([]string{"routes", "--ip", "10.4.1.4", "-o", "json"}, topo...), nil, nil},
		{"rules", "rules", map[string]any{"nic": "api-nic"}, append([]string{"rules", "--nic", "api-nic", "-o", "json"}, topo...), nil, nil},
		{"next_hop", "next_hop", map[string]any{"from": "10.4.1.4", "to": "10.5.1.4"},
			append([]string{"next-hop", "--from", "10.4.1.4", "--to", "10.5.1.4", "-o", "json"}, topo...), nil, nil},
		{"ip_flow_verify", "ip_flow_verify", map[string]any{"direction": "Inbound", "protocol": "TCP", "local": "10.5.1.4:443", "remote": "10.0.0.4:50000"},
			append([]string{"ip-flow", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.5.1.4:443", "--remote", "10.0.0.4:50000", "-o", "json"}, topo...), nil, nil},
		{"codes", "codes", map[string]any{"code": "asymmetric-stateful"}, []string{"codes", "asymmetric-stateful", "-o", "json"}, field("codes"), nil},
		{"codes of a domain", "codes", map[string]any{"domain": "pcap"}, []string{"codes", "--domain", "pcap", "-o", "json"}, field("codes"), nil},
		{"check", "check", map[string]any{"file": "intent.yaml"}, []string{"check", fx.scenario, "-o", "json"}, nil, nil},
		{"events", "events", map[string]any{"since": since, "limit": 25, "verdict": []string{"allow"}},
			append([]string{"events", "--since", since, "--limit", "25", "--verdict", "allow", "-o", "json"}, logs...), field("events"), nil},
		{"events page 2", "events", map[string]any{"since": "2h", "limit": 10, "offset": 10},
			append([]string{"events", "--since", "2h", "--offset", "10", "--limit", "10", "-o", "json"}, logs...), field("events"), nil},
		{"flows", "flows", map[string]any{"limit": 5, "proto": []string{"tcp"}},
			append([]string{"flows", "--limit", "5", "--proto", "tcp", "-o", "json"}, logs...), field("flows"), nil},
		{"pcap_summary", "pcap_summary", map[string]any{"file": "demo.pcap", "limit": 3},
			[]string{"pcap", fx.pcap, "-o", "json"}, without("file", "connections_total", "offset"), firstConnections(3)},
		{"pcap_connection", "pcap_connection", map[string]any{"file": "demo.pcap", "index": 1},
			[]string{"pcap", fx.pcap, "-o", "json"}, nil, connection(1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := call(t, cs, c.tool, c.args)
			if c.pick != nil {
				got = c.pick(got)
			}
			want := cliJSON(t, c.cli...)
			if c.fix != nil {
				want = c.fix(want)
			}
			if l, ok := want.([]any); ok && len(l) == 0 {
				t.Fatalf("pathproof %s answers with nothing: a useless comparison", strings.Join(c.cli, " "))
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s differs from pathproof %s (-cli +mcp):\n%s", c.tool, strings.Join(c.cli, " "), d)
			}
		})
	}
}

func field(k string) func(any) any {
	return func(v any) any { return v.(map[string]any)[k] }
}

func without(keys ...string) func(any) any {
	return func(v any) any {
		m := v.(map[string]any)
		for _, k := range keys {
			delete(m, k)
		}
		return m
	}
}

func firstConnections(n int) func(any) any {
	return func(v any) any {
		m := v.(map[string]any)
		delete(m, "file")
		m["connections"] = m["connections"].([]any)[:n]
		return m
	}
}

func connection(i int) func(any) any {
	return func(v any) any { return v.(map[string]any)["connections"].([]any)[i] }
}

// TestEventsCountAndRecord: events says how many match beyond the page,
// and record returns the raw record an event cites, as `events --record`.
func TestEventsCountAndRecord(t *testing.T) {
	fx := newFixture(t)
	cs := connect(t, fx, mcp.Options{})
	out := call(t, cs, "events", map[string]any{"since": "1d", "limit": 2}).(map[string]any)
	all := cliJSON(t, "events", "--logs", fx.logs, "--limit", "0", "-o", "json").([]any)
	if int(out["total"].(float64)) != len(all) || len(out["events"].([]any)) != 2 {
		t.Fatalf("total %v with %d events, want %d with 2", out["total"], len(out["events"].([]any)), len(all))
	}
	o := out["events"].([]any)[1].(map[string]any)["origin"].(map[string]any)
	origin := fmt.Sprintf("%s#%v", o["key"], o["record"])
	if tu, ok := o["tuple"]; ok {
		origin += fmt.Sprintf(".%v", tu)
	}
	got := call(t, cs, "record", map[string]any{"origin": origin}).(map[string]any)
	want := cliJSON(t, "events", "--logs", fx.logs, "--record", origin)
	if d := cmp.Diff(want, got["record"]); d != "" {
		t.Errorf("record %s differs from events --record (-cli +mcp):\n%s", origin, d)
	}
}

// TestBadCallsAreToolErrors: malformed or impossible calls come back as
// tool errors with a clear message, and the server keeps answering.
func TestBadCallsAreToolErrors(t *testing.T) {
	fx := newFixture(t)
	cs := connect(t, fx, mcp.Options{})
	ctx := context.Background()
	for _, c := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"trace", map[string]any{"from": 7, "to": "10.5.1.4:443"}, "from"},
		{"trace", map[string]any{"from": "nic:web-nic", "to": "10.5.1.4"}, "give the port"},
		{"trace", map[string]any{"from": "nic:nobody", "to": "10.5.1.4:443"}, "nobody"},
		{"events", map[string]any{"limit": 5}, "since"},
		{"events", map[string]any{"since": "2h", "limit": 100000}, "limit"},
		{"events", map[string]any{"since": "yesterday", "limit": 5}, "yesterday"},
		{"routes", map[string]any{"nic": "a", "subnet": "b"}, "exactly one"},
		{"rules", map[string]any{"nic": "no-such-nic"}, "no-such-nic"},
		{"ip_flow_verify", map[string]any{"direction": "Inbound", "protocol": "TCP", "local": "10.5.1.4", "remote": "10.0.0.4:50000"}, `local "10.5.1.4" is not IP:PORT`},
		{"ip_flow_verify", map[string]any{"direction": "Inbound", "protocol": "ICMP", "local": "10.5.1.4:443", "remote": "10.0.0.4:50000"}, "protocol must be TCP or UDP"},
		{"pcap_summary", map[string]any{"file": "../../etc/passwd"}, "inside the folders"},
		{"pcap_summary", map[string]any{"file": "intent.yaml"}, "pcap"},
		{"pcap_connection", map[string]any{"file": "demo.pcap", "index": 9999}, "connections"},
		{"check", map[string]any{"file": "demo.pcap"}, "demo.pcap"},
		{"codes", map[string]any{"code": "no-such-code"}, "no-such-code"},
		{"record", map[string]any{"origin": "nonsense"}, "KEY#RECORD"},
	} {
		res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: c.tool, Arguments: c.args})
		if err != nil {
			t.Errorf("%s(%v): protocol error %v, want a tool error", c.tool, c.args, err)
			continue
		}
		if !res.IsError || !strings.Contains(text(res), c.want) {
			t.Errorf("%s(%v): error %v %q, want a tool error naming %q", c.tool, c.args, res.IsError, text(res), c.want)
		}
	}
	if _, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "no_such_tool"}); err == nil {
		t.Error("unknown tool: no error")
	}
	got := call(t, cs, "codes", map[string]any{"code": "asymmetric-stateful"})
	if got.(map[string]any)["codes"] == nil {
		t.Errorf("after the bad calls: %v", got)
	}
}

// TestResourcesAndPrompt: the codes pages are the registry's pages, the
// docs are listed, and the prompt names the flow and asks for citations.
func TestResourcesAndPrompt(t *testing.T) {
	fx := newFixture(t)
	cs := connect(t, fx, mcp.Options{})
	ctx := context.Background()
	res, err := cs.ListResources(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	uris := map[string]bool{}
	for _, r := range res.Resources {
		uris[r.URI] = true
	}
	for _, u := range []string{"pathproof://codes/README.md", "pathproof://codes/trace.md", "pathproof://docs/trace.md", "pathproof://docs/events.md"} {
		if !uris[u] {
			t.Errorf("resource %s not listed", u)
		}
	}
	rr, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: "pathproof://codes/trace.md"})
	if err != nil {
		t.Fatal(err)
	}
	if rr.Contents[0].Text != codes.Pages()["trace.md"] {
		t.Error("codes/trace.md is not the registry's page")
	}
	if _, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: "pathproof://docs/nope.md"}); err == nil {
		t.Error("an unknown resource reads")
	}
	p, err := cs.GetPrompt(ctx, &sdk.GetPromptParams{Name: "why_cant_reach", Arguments: map[string]string{"source": "nic:web-nic", "destination": "10.5.1.4:443"}})
	if err != nil {
		t.Fatal(err)
	}
	msg := p.Messages[0].Content.(*sdk.TextContent).Text
	for _, w := range []string{"nic:web-nic", "10.5.1.4:443", "Cite", "origin"} {
		if !strings.Contains(msg, w) {
			t.Errorf("prompt lacks %q:\n%s", w, msg)
		}
	}
}
