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
1. Call explain with from=%q and to=%q%s%s. It returns the verdict, the hop where the flow stops, what each hop
   was expected to do and was seen doing, findings with fixes, and numbered citations (a log record's origin, a
   capture connection or a simulation step).
2. Only if you need more: trace for the full simulated path, events or flows for more of the logs, record for the
   raw record behind an origin, pcap_summary and pcap_connection for a capture.
Then answer in this order: the verdict in one sentence; the hop where the flow stops and the rule, route or device
that stops it; the fix. Cite every claim with the citations explain gave you (their number, origin, record and tuple)
or with what another tool returned. Claim nothing no tool returned; say which evidence is missing instead.`

func (h *server) addPrompts(s *sdk.Server) {
	s.AddPrompt(&sdk.Prompt{Name: "why_cant_reach", Title: "Why can't A reach B?",
		Description: "Explain why a source cannot reach a destination in the Azure network with the explain tool, citing the citations it returns.",
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
			when, proto, at := "", "", ""
			if t := a["time"]; t != "" {
				when, at = " at "+t, fmt.Sprintf(", at=%q", t)
			}
			if p := a["protocol"]; p != "" {
				proto = fmt.Sprintf(", protocol=%q", p)
			}
			text := fmt.Sprintf(whyPrompt, src, dst, when, src, dst, proto, at)
			return &sdk.GetPromptResult{Description: "why can't " + src + " reach " + dst,
				Messages: []*sdk.PromptMessage{{Role: "user", Content: &sdk.TextContent{Text: text}}}}, nil
		})
}
