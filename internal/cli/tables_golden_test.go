package cli

import (
	"strings"
	"testing"
)

// Golden outputs of the small tables the renderers print for codes, demo
// --list, generate logs and the Network Watcher answers without a table
// golden of their own, and of the usage errors ip-flow shares with the MCP
// tool: go test ./internal/cli -run TestSmallTablesGolden -update
func TestSmallTablesGolden(t *testing.T) {
	topo := demoTopo(t)
	t.Chdir(t.TempDir()) // generate writes under ./out
	runGolden(t, []goldenCase{
		{"tables/codes-model.txt", []string{"codes", "--domain", "model"}, 0},
		{"tables/codes-detail.txt", []string{"codes", "check-failed"}, 0},
		{"tables/demo-list.txt", []string{"demo", "--list"}, 0},
		{"tables/generate.txt", []string{"generate", "logs", "--out", "out", "--tuples", "300", "--nics", "2", "--seed", "3", "--start", "2026-02-01T10:20:00Z", "--list"}, 0},
		{"tables/ip-flow.txt", []string{"ip-flow", "-t", topo, "--direction", "Inbound", "--protocol", "TCP", "--local", "10.12.1.4:22", "--remote", "10.11.1.4:50000"}, 0},
		{"tables/next-hop.txt", []string{"next-hop", "-t", topo, "--from", "10.11.1.4", "--to", "10.12.1.4"}, 0},
	})
}

// TestIPFlowUsageErrors: each bad argument of ip-flow is a usage error
// naming its flag, as the ip_flow_verify tool names its field.
func TestIPFlowUsageErrors(t *testing.T) {
	topo := demoTopo(t)
	ok := map[string]string{"--direction": "Inbound", "--protocol": "TCP", "--local": "10.12.1.4:22", "--remote": "10.11.1.4:50000"}
	cases := []struct{ flag, value, want string }{
		{"--direction", "Sideways", "pathproof: --direction must be Inbound or Outbound\n"},
		{"--protocol", "ICMP", "pathproof: --protocol must be TCP or UDP (IP flow verify supports only those)\n"},
		{"--local", "10.12.1.4", "pathproof: --local \"10.12.1.4\" is not IP:PORT\n"},
		{"--remote", "x:1", "pathproof: --remote \"x:1\" is not IP:PORT\n"},
	}
	for _, c := range cases {
		args := []string{"ip-flow", "-t", topo}
		for _, f := range []string{"--direction", "--protocol", "--local", "--remote"} {
			v := ok[f]
			if f == c.flag {
				v = c.value
			}
			args = append(args, f, v)
		}
		code, out, errs := run(args...)
		if code != ExitUsage || out != "" || errs != c.want {
			t.Errorf("%s %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.flag, c.value, code, out, errs, strings.TrimSpace(c.want))
		}
	}
}
