package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/demo"
	"github.com/pathproof/pathproof/internal/testenv"
)

func demoTopo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "hub.yaml")
	if err := os.WriteFile(p, demo.HubSpokeIntent(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNetworkWatcherCommandsJSON(t *testing.T) {
	topo := demoTopo(t)
	cases := []struct {
		name string
		args []string
		want map[string]any
	}{
		{"next-hop", []string{"next-hop", "-t", topo, "--from", "10.11.1.4", "--to", "10.12.1.4", "-o", "json"},
			map[string]any{"next_hop_type": "VirtualAppliance", "next_hop_ip": "10.10.0.4", "route_table": "rt-spokes"}},
		{"next-hop system", []string{"next-hop", "-t", topo, "--from", "10.10.0.4", "--to", "10.11.1.4", "-o", "json"},
			map[string]any{"next_hop_type": "VNetPeering", "next_hop_ip": nil, "route_table": "System Route"}},
		{"ip-flow", []string{"ip-flow", "-t", topo, "--direction", "Inbound", "--protocol", "TCP", "--local", "10.12.1.4:22", "--remote", "10.11.1.4:50000", "-o", "json"},
			map[string]any{"access": "Deny", "rule_name": "securityRules/Deny-VNet-In", "nsg": "nsg-db"}},
		{"firewall", []string{"firewall", "-t", topo, "--firewall", "fw-hub", "--protocol", "TCP", "--src", "10.11.1.4", "--dst", "10.12.1.4:22", "-o", "json"},
			map[string]any{"action": "Deny", "matched": "default_deny", "log_reason": "No rule matched. Proceeding with default action"}},
		{"nsg-diag", []string{"nsg-diag", "-t", topo, "--direction", "Inbound", "--protocol", "TCP", "--source", "10.11.1.0/24", "--destination", "10.12.1.4", "--port", "1433", "-o", "json"},
			map[string]any{"access": "Allow"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(c.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			for k, v := range c.want {
				if g, ok := got[k]; !ok || (v != nil && g != v) || (v == nil && g != nil) {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
		})
	}
}

func TestNetworkWatcherUsageErrors(t *testing.T) {
	topo := demoTopo(t)
	cases := [][]string{
		{"routes", "-t", topo},
		{"routes", "-t", topo, "--nic", "web1-nic", "--subnet", "hub/GatewaySubnet"},
		{"routes", "--nic", "web1-nic"},
		{"next-hop", "-t", topo, "--from", "nope", "--to", "10.0.0.1"},
		{"ip-flow", "-t", topo, "--direction", "Sideways", "--protocol", "TCP", "--local", "10.12.1.4:1", "--remote", "1.1.1.1:2"},
		{"ip-flow", "-t", topo, "--direction", "Inbound", "--protocol", "ICMP", "--local", "10.12.1.4:1", "--remote", "1.1.1.1:2"},
		{"firewall", "-t", topo, "--firewall", "fw-hub", "--protocol", "TCP", "--src", "10.0.0.1", "--dst", "1.1.1.1:1", "--fqdn", "a:1"},
		{"routes", "-t", topo, "--nic", "web1-nic", "-o", "xml"},
		{"check", topo, "--profile", "weird"},
	}
	for _, args := range cases {
		if code, _, errs := run(args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
}

func TestRoutesTable(t *testing.T) {
	code, out, errs := run("routes", "-t", demoTopo(t), "--subnet", "hub/GatewaySubnet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"User     Active   10.11.0.0/16", "Default  Invalid  10.11.0.0/16", "VirtualNetworkGateway  Active   192.168.0.0/16"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestCheckDemoFailsAndReportsJSON(t *testing.T) {
	code, out, _ := run("check", demoTopo(t), "-o", "json")
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1 (one assertion is wrong on purpose)", code)
	}
	var rep struct {
		Scenario string `json:"scenario"`
		Results  []struct {
			ID     string         `json:"id"`
			Kind   string         `json:"kind"`
			Pass   bool           `json:"pass"`
			Actual map[string]any `json:"actual"`
			Diff   []string       `json:"diff"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Scenario != "demo-hub-spoke-intent" || len(rep.Results) != 5 {
		t.Fatalf("unexpected report %+v", rep)
	}
	last := rep.Results[4]
	if last.Pass || last.Actual["action"] != "Deny" || len(last.Actual) != 1 || len(last.Diff) == 0 {
		t.Errorf("failing query reported as %+v", last)
	}
}

func TestCheckTopologyErrorsExit1(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("vnets:\n  - {name: v, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.1.0/24, nsg: missing}]}\n"), 0o600)
	code, _, errs := run("routes", "-t", bad, "--subnet", "v/s")
	if code != ExitFailed || !strings.Contains(errs, `NSG "missing" not found`) || !strings.Contains(errs, "bad.yaml:2") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// Every shared scenario passes through the CLI.
func TestCheckSharedScenarios(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testenv.Shared(t, "scenarios"), "*.yaml"))
	code, out, errs := run(append([]string{"check"}, files...)...)
	if code != 0 {
		t.Errorf("exit %d: %s\n%s", code, errs, out)
	}
}

// check --topology runs a file's queries against another topology.
func TestCheckTopologyOverride(t *testing.T) {
	intent := demoTopo(t)
	other := filepath.Join(t.TempDir(), "other.yaml")
	// The same network with the firewall's SQL rule gone: the intent breaks.
	changed := strings.Replace(string(demo.HubSpokeIntent()), "destination_ports: ['1433']}\n                - {name: onprem-to-web", "destination_ports: ['1434']}\n                - {name: onprem-to-web", 1)
	if changed == string(demo.HubSpokeIntent()) {
		t.Fatal("fixture edit did not apply")
	}
	os.WriteFile(other, []byte(changed), 0o600)
	code, out, _ := run("check", intent, "--topology", other, "-o", "jsonl")
	if code != ExitFailed {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, `"id":"firewall-allows-sql","kind":"firewall_decision","pass":false`) {
		t.Errorf("the overridden topology was not used:\n%s", out)
	}
}

func TestServiceTagsFlag(t *testing.T) {
	dir := t.TempDir()
	topo := filepath.Join(dir, "t.yaml")
	os.WriteFile(topo, []byte(`vnets:
  - {name: v, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.1.0/24, nsg: n}]}
nsgs:
  - name: n
    rules: [{name: Deny-Storage, priority: 100, direction: Outbound, access: Deny, protocol: '*', source: ['*'], destination: [Storage], destination_ports: ['*']}]
nics: [{name: vm, subnet: v/s, ip: 10.0.1.4}]
`), 0o600)
	tags := filepath.Join(dir, "tags.json")
	os.WriteFile(tags, []byte(`{"changeNumber":1,"cloud":"Public","values":[{"name":"Storage","id":"Storage","properties":{"addressPrefixes":["20.60.0.0/16"]}}]}`), 0o600)
	args := []string{"ip-flow", "-t", topo, "--direction", "Outbound", "--protocol", "TCP", "--local", "10.0.1.4:50000", "--remote", "20.60.1.1:443", "-o", "json"}
	_, out, _ := run(args...)
	if !strings.Contains(out, `"access": "Allow"`) || !strings.Contains(out, `"Storage"`) {
		t.Errorf("without --service-tags the Storage rule must not match and be reported unknown:\n%s", out)
	}
	_, out, _ = run(append(args, "--service-tags", tags)...)
	if !strings.Contains(out, `"access": "Deny"`) || !strings.Contains(out, "securityRules/Deny-Storage") {
		t.Errorf("with --service-tags the Storage rule must deny:\n%s", out)
	}
	if code, _, _ := run(append(args, "--service-tags", filepath.Join(dir, "missing.json"))...); code != ExitUsage {
		t.Errorf("missing tags file: exit %d, want 2 (a missing input file is a usage error)", code)
	}
}

// TestTopologyPathWithComma: each --topology value is one path; the flag
// split its value at commas, so "east,west.yaml" could not be given
// (issue #18).
func TestTopologyPathWithComma(t *testing.T) {
	topo := filepath.Join(t.TempDir(), "east,west.yaml")
	os.WriteFile(topo, []byte("vnets:\n  - {name: v, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.1.0/24}]}\nnics: [{name: vm, subnet: v/s, ip: 10.0.1.4}]\n"), 0o600)
	code, out, errOut := run("routes", "--topology", topo, "--nic", "vm", "-o", "json")
	if code != ExitOK || !strings.Contains(out, "10.0.0.0/16") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}
