package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestTraceDemosGolden runs every built-in trace demo through the real
// command and compares the human report with its golden file; the exit
// code says whether the flow works.
func TestTraceDemosGolden(t *testing.T) {
	t.Chdir(t.TempDir())
	want := map[string]int{
		"trace-rdp-from-branch":           ExitFailed,
		"trace-https-asymmetric":          ExitFailed,
		"trace-ping-works-asymmetric":     ExitOK,
		"trace-pe-bypasses-firewall":      ExitOK,
		"trace-pe-return-without-snat":    ExitFailed,
		"trace-app-rule-snat":             ExitFailed,
		"trace-expressroute-partner-snat": ExitFailed,
	}
	var names []string
	for _, d := range demoTable() {
		if strings.HasPrefix(d.Name, "trace-") {
			names = append(names, d.Name)
		}
	}
	if len(want) != len(names) {
		t.Fatalf("test covers %d demos, %d are built in", len(want), len(names))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main([]string{"demo", name}, strings.NewReader(""), &out, &errb)
			if code != want[name] {
				t.Errorf("exit %d, want %d; stderr: %s", code, want[name], errb.String())
			}
			golden(t, "trace/"+name+".txt", out.Bytes())
		})
	}
}

// TestTraceJSONShape checks the add-only JSON contract of the issue:
// forward/return legs with hops {kind,name,ip,checks}, drop
// {at,reason,nsg,rule}, nat and findings {code,severity,message,fix}.
func TestTraceJSONShape(t *testing.T) {
	t.Chdir(t.TempDir())
	var out, errb bytes.Buffer
	code := Main([]string{"demo", "trace-app-rule-snat", "-o", "json"}, strings.NewReader(""), &out, &errb)
	if code != ExitFailed {
		t.Fatalf("exit %d; stderr %s", code, errb.String())
	}
	var doc struct {
		Forward struct {
			Result string `json:"result"`
			Hops   []struct {
				Kind, Name, IP string
				Checks         []map[string]any `json:"checks"`
			} `json:"hops"`
			Drop *struct{ At, Reason, NSG, Rule, Fix string } `json:"drop"`
		} `json:"forward"`
		Return struct {
			Result string `json:"result"`
		} `json:"return"`
		NAT []struct {
			At             string `json:"at"`
			SourceToPrefix string `json:"source_to_prefix"`
		} `json:"nat"`
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	f := doc.Forward
	if f.Result != "dropped" || f.Drop == nil || f.Drop.At != "nic:api-nic" || f.Drop.Reason != "nsg-deny" || f.Drop.NSG != "nsg-api" || f.Drop.Rule != "Deny-Other-HTTPS" || f.Drop.Fix == "" {
		t.Errorf("forward = %+v, drop %+v", f, f.Drop)
	}
	if len(f.Hops) != 3 || f.Hops[1].Kind != "firewall" || f.Hops[1].Name != "azfw" || f.Hops[1].IP != "10.0.1.4" || len(f.Hops[1].Checks) == 0 {
		t.Errorf("hops = %+v", f.Hops)
	}
	if doc.Return.Result != "not-applicable" {
		t.Errorf("return = %q", doc.Return.Result)
	}
	if len(doc.NAT) != 1 || doc.NAT[0].At != "firewall:azfw" || doc.NAT[0].SourceToPrefix != "10.0.1.0/26" {
		t.Errorf("nat = %+v", doc.NAT)
	}
	if doc.Findings == nil {
		t.Error("findings must be a list, not null")
	}
}

func TestTraceDiagramFormats(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, c := range []struct{ format, want string }{
		{"mermaid", "flowchart LR"},
		{"dot", "digraph pathproof"},
		{"svg", "<svg xmlns="},
	} {
		var out, errb bytes.Buffer
		Main([]string{"demo", "trace-https-asymmetric", "-o", c.format}, strings.NewReader(""), &out, &errb)
		if !strings.HasPrefix(out.String(), c.want) || !strings.Contains(out.String(), "asymmetric-stateful") {
			t.Errorf("-o %s: got %.200q", c.format, out.String())
		}
	}
}

func TestTraceUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"no topology", []string{"trace", "--from", "1.2.3.4", "--to", "10.0.0.4:443"}},
		{"no from", []string{"trace", "-t", "x.yaml", "--to", "10.0.0.4:443"}},
		{"tcp without port", []string{"trace", "-t", "x.yaml", "--from", "1.2.3.4", "--to", "10.0.0.4"}},
		{"bad protocol", []string{"trace", "-t", "x.yaml", "--from", "1.2.3.4", "--to", "10.0.0.4:1", "--protocol", "sctp"}},
		{"bad output", []string{"trace", "-t", "x.yaml", "--from", "1.2.3.4", "--to", "10.0.0.4:1", "-o", "png"}},
		{"bad src port", []string{"trace", "-t", "x.yaml", "--from", "1.2.3.4", "--to", "10.0.0.4:1", "--src-port", "0"}},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		if code := Main(c.args, strings.NewReader(""), &out, &errb); code != ExitUsage {
			t.Errorf("%s: exit %d, want %d (stderr %q)", c.name, code, ExitUsage, errb.String())
		}
	}
}
