package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/loggen"
)

func TestKeyVaultScenarioFlows(t *testing.T) {
	dir := t.TempDir()
	sc, err := loggen.KeyVaultDenied(dir, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// The refused requests: all vault-firewall, from the public NAT address.
	code, out, errOut := run("events", "--logs", dir, "--source", "keyvault", "--verdict", "deny", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var evs []event.JSON
	if err := json.Unmarshal([]byte(out), &evs); err != nil {
		t.Fatal(err)
	}
	if len(evs) != sc.Attempts {
		t.Fatalf("%d denials, want %d", len(evs), sc.Attempts)
	}
	for _, e := range evs {
		if e.SrcIP != sc.NAT.String() || e.Detail["denial_layer"] != "vault-firewall" || e.Detail["caller_address_kind"] != "public" || e.HTTPStatus != 403 {
			t.Errorf("denial %+v", e)
		}
	}
	// The same client's network flows and PaaS requests sit side by side.
	code, out, errOut = run("flows", "--logs", dir, "--ip", sc.Batch.String(), "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var convs []struct {
		Client   string `json:"client"`
		Server   string `json:"server"`
		Verdict  string `json:"verdict"`
		Emitters []struct {
			Source string `json:"source"`
		} `json:"emitters"`
	}
	if err := json.Unmarshal([]byte(out), &convs); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var kinds []string
	for _, c := range convs {
		if c.Client != sc.Batch.String() {
			t.Errorf("conversation of another client: %+v", c)
		}
		kinds = append(kinds, c.Emitters[0].Source+" "+c.Server)
	}
	want := []string{"vnetflow 10.0.2.5", "vnetflow 10.0.2.5", "vnetflow 10.0.2.5", "keyvault kv-payments.vault.azure.net"}
	if strings.Join(kinds, "|") != strings.Join(want, "|") {
		t.Errorf("conversations %v, want %v", kinds, want)
	}
	code, out, errOut = run("sql", "--logs", dir, `SELECT detail->>'denial_layer' AS layer, count(*) AS n FROM events WHERE source = 'keyvault' GROUP BY ALL ORDER BY layer`)
	if code != 0 || !strings.Contains(out, "vault-firewall  3") {
		t.Errorf("sql over detail: exit %d\n%s%s", code, out, errOut)
	}
}

func TestKeyVaultDemo(t *testing.T) {
	t.Chdir(t.TempDir())
	var o, e strings.Builder
	code := Main([]string{"demo", "keyvault-denied"}, strings.NewReader(""), &o, &e)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, o.String(), e.String())
	}
	// The facts must come from the commands the demo runs, not from the
	// closing summary, which names the same addresses and layer.
	steps, _, ok := strings.Cut(o.String(), "What the evidence says:")
	if !ok {
		t.Fatalf("demo output lacks its summary\n%s", o.String())
	}
	for _, want := range []string{"vault-firewall", "deny 403", "52.174.33.140:443", "client NIC: allow(out)", "keyvault: allow 200(in)", "20.61.15.7"} {
		if !strings.Contains(steps, want) {
			t.Errorf("the demo's commands did not print %q", want)
		}
	}
}
