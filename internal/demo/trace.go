package demo

import (
	"context"
	"embed"
	"fmt"
	"os"

	"github.com/pathproof/pathproof/internal/render/tracerender"
)

// traceFiles are the designs of the trace demos: one small network per
// story from the field, written for pathproof (see each file's comment).
//
//go:embed data/trace/*.yaml
var traceFiles embed.FS

// traceStory is one built-in trace example.
type traceStory struct {
	name, summary, file string
	story               string
	from, to            string
	// protocol is --protocol when not tcp.
	protocol string
}

var traceStories = []traceStory{
	{
		name:    "trace-rdp-from-branch",
		summary: "RDP from a branch office never reaches the spoke VM: the spoke does not use the hub gateway, so the branch has no route",
		file:    "rdp-from-branch.yaml",
		story:   "The admin at the branch can RDP to the hub jump host but not to the new app VM in the spoke.",
		from:    "onprem:branch/admin-pc", to: "10.20.1.4:3389",
	},
	{
		name:    "trace-https-asymmetric",
		summary: "The 'I can ping it but HTTPS fails' ticket: GatewaySubnet lacks the spoke route, the reply reaches the firewall without a session",
		file:    "https-fails-asymmetric.yaml",
		story:   "On-premises users time out on HTTPS to the spoke app; the firewall's logs show no allowed request.",
		from:    "onprem:onprem/user-pc", to: "10.101.1.4:443",
	},
	{
		name:    "trace-ping-works-asymmetric",
		summary: "The other half of the same ticket: on the same network ping works, because the firewall judges an echo reply without a session as a new flow and a rule allows it",
		file:    "https-fails-asymmetric.yaml",
		story:   "The same users can ping the spoke app; that is why they are sure the network is fine.",
		from:    "onprem:onprem/user-pc", to: "10.101.1.4", protocol: "icmp",
	},
	{
		name:    "trace-pe-bypasses-firewall",
		summary: "A private endpoint's /32 route beats the UDR toward the hub firewall: storage traffic is not inspected",
		file:    "pe-bypass.yaml",
		story:   "Security asked for every flow from the client subnet to be inspected; the firewall never logs the storage traffic.",
		from:    "nic:client-nic", to: "10.1.2.4:443",
	},
	{
		name:    "trace-pe-return-without-snat",
		summary: "A network rule forwards to a private endpoint without SNAT: Azure does not guarantee the reply path",
		file:    "pe-no-snat.yaml",
		story:   "SQL connections from the app spoke to the private endpoint through the firewall fail now and then.",
		from:    "nic:app-nic", to: "10.3.1.4:1433",
	},
	{
		name:    "trace-app-rule-snat",
		summary: "An application rule SNATs: the API server sees the firewall's address, and its NSG only admits the web subnet",
		file:    "app-rule-snat.yaml",
		story:   "After moving web→API traffic behind the firewall's application rules, the API NSG started refusing the web tier.",
		from:    "nic:web-nic", to: "10.5.1.4:443",
	},
	{
		name:    "trace-expressroute-partner-snat",
		summary: "A partner on ExpressRoute mandates SNAT, but ExpressRoute gateways do no NAT: the design needs a firewall or NVA doing it",
		file:    "er-partner-snat.yaml",
		story:   "The partner only accepts our assigned range 100.64.200.0/24; NAT rules were attached to the ExpressRoute connection.",
		from:    "nic:billing-nic", to: "172.30.5.20:443",
	},
}

// traceDemos returns the trace stories as demos, in the table's order.
func traceDemos() []Demo {
	out := make([]Demo, len(traceStories))
	for i, s := range traceStories {
		out[i] = Demo{Name: s.name, Summary: s.summary, Outputs: tracerender.Formats, Run: s.run}
	}
	return out
}

// run writes the story's design to env.Dir and runs the real `pathproof
// trace` on it. The story line is printed only for the human output, so
// `-o json|mermaid|dot|svg` stay machine-readable.
func (s traceStory) run(ctx context.Context, env *Env) error {
	data, err := traceFiles.ReadFile("data/trace/" + s.file)
	if err != nil {
		return fmt.Errorf("demo %s: %w", s.name, err)
	}
	path, err := env.File(s.file)
	if err != nil {
		return fmt.Errorf("demo %s: %w", s.name, err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("demo %s: %w", s.name, err)
	}
	args := []string{"trace", "--topology", path, "--from", s.from, "--to", s.to}
	if s.protocol != "" {
		args = append(args, "--protocol", s.protocol)
	}
	args = append(args, env.OutputArgs()...)
	if !env.Machine() {
		fmt.Fprintf(env.Stdout, "%s\n$ %s\n\n", s.story, CommandLine(args))
	}
	return exit(env.Exec(ctx, nil, args...))
}
