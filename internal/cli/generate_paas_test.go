package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/render/loggenrender"
)

func TestGenerateLogsPaaSKinds(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run("generate", "logs", "--out", dir, "--tuples", "0", "--nsg-tuples", "0", "--firewall", "0",
		"--keyvault", "10", "--storage", "4", "--vpngw", "1", "--ta-rows", "3",
		"--dns", "5", "--frontdoor", "6", "--expressroute", "4", "--paloalto", "4", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res loggenrender.ResultJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run("sql", "--logs", dir, "SELECT source, count(*) AS n FROM events GROUP BY ALL ORDER BY source")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"keyvault          10", "storage           4", "trafficanalytics  3", "vpngw",
		"dns               5", "frontdoor         7", "expressroute      4", "paloalto          4"} {
		if !strings.Contains(out, want) {
			t.Errorf("sql output lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := run("generate", "logs", "--out", dir, "--keyvault", "x"); code != ExitUsage {
		t.Errorf("--keyvault x: exit %d", code)
	}
}
