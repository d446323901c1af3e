package mcp

import (
	"context"
	"fmt"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// whyPrompt is the "why can't A reach B" prompt: it asks the model to call
// the tools and to cite only what they returned.
const whyPrompt = `Why can't %s reach %s%s?

Work it out with the pathproof tools, not from memory:
1. Call trace with from=%q and to=%q%s for the path Azure's rules give: where each leg stops and why.
2. Call events (a window around the time in question, a small limit) and flows for the same addresses to see what the logs recorded at each hop.
3. If a capture is available, call pcap_summary and pcap_connection for the connection.
Then answer in this order: the verdict in one sentence; the hop where the flow stops and the rule, route or device that stops it; the fix.
Cite every claim with what a tool returned: a log event by its origin (key, record, tuple), a trace hop by its token, a capture connection by its index.
Claim nothing no tool returned; say which evidence is missing instead.`

func (h *server) addPrompts(s *sdk.Server) {
	s.AddPrompt(&sdk.Prompt{Name: "why_cant_reach", Title: "Why can't A reach B?",
		Description: "Explain why a source cannot reach a destination in the Azure network, from the simulated path and the logged evidence, citing both.",
		Arguments: []*sdk.PromptArgument{
			{Name: "source", Description: "the source: an IP, nic:NAME, onprem:SITE/HOST or internet:IP", Required: true},
			{Name: "destination", Description: "the destination IP:PORT (or FQDN:PORT)", Required: true},
			{Name: "protocol", Description: "tcp (default), udp or icmp"},
			{Name: "time", Description: "when it failed (RFC3339), if known"},
		}},
		func(_ context.Context, req *sdk.GetPromptRequest) (*sdk.GetPromptResult, error) {
			a := req.Params.Arguments
			src, dst := a["source"], a["destination"]
			if src == "" || dst == "" {
				return nil, fmt.Errorf("source and destination are required")
			}
			when, proto := "", ""
			if t := a["time"]; t != "" {
				when = " at " + t
			}
			if p := a["protocol"]; p != "" {
				proto = fmt.Sprintf(" and protocol=%q", p)
			}
			text := fmt.Sprintf(whyPrompt, src, dst, when, src, dst, proto)
			return &sdk.GetPromptResult{Description: "why can't " + src + " reach " + dst,
				Messages: []*sdk.PromptMessage{{Role: "user", Content: &sdk.TextContent{Text: text}}}}, nil
		})
}
