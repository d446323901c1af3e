package cli

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
)

// demoTraceFiles are the designs of the trace demos: one small network per
// story from the field, written for pathproof (see each file's comment).
//
//go:embed demo_trace/*.yaml
var demoTraceFiles embed.FS

// traceDemo is one built-in trace example.
type traceDemo struct {
	name, summary, file string
	story               string
	from, to, protocol  string
}

var traceDemos = []traceDemo{
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

func init() {
	for i, d := range traceDemos {
		registerDemo(demo{Name: d.name, Summary: d.summary, Order: 400 + i, Run: d.run})
	}
}

// run writes the embedded design to a temporary folder and runs the real
// `pathproof trace` command on it. The story line is printed only for the
// human output, so `-o json|mermaid|dot|svg` stay machine-readable.
func (d traceDemo) run(env *Env, args []string) error {
	data, err := demoTraceFiles.ReadFile("demo_trace/" + d.file)
	if err != nil {
		return fmt.Errorf("demo %s: %w", d.name, err)
	}
	dir, err := os.MkdirTemp("", "pathproof-demo-")
	if err != nil {
		return fmt.Errorf("demo %s: %w", d.name, err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, d.file)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("demo %s: %w", d.name, err)
	}
	if len(args) == 0 {
		fmt.Fprintf(env.Stdout, "%s\n$ pathproof trace --topology %s --from %s --to %s\n\n", d.story, d.file, d.from, d.to)
	}
	cmdArgs := []string{"trace", "--topology", path, "--from", d.from, "--to", d.to}
	if d.protocol != "" {
		cmdArgs = append(cmdArgs, "--protocol", d.protocol)
	}
	root := NewRoot(env)
	root.SetArgs(append(cmdArgs, args...))
	return root.Execute()
}
