package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/testenv"
)

// TestGoldenSamples pins the full events (every field, JSON as the CLI
// prints it) of each reference sample of this package's kinds, and the
// skips, in testdata/golden/<sample>.jsonl. Run with -update after an
// intended change and review the diff.
func TestGoldenSamples(t *testing.T) {
	samples := []string{
		"vnet-flow-logs/elastic/test-vnet.log",
		"vnet-flow-logs/elastic/sample_logs-testdata.log",
		"vnet-flow-logs/otel-contrib/azurevnetflowlog-valid_1.json",
		"vnet-flow-logs/msdocs/flow-logs-read-vnet-record.json",
		"nsg-flow-logs/elastic/sample_logs-testdata.log",
		"nsg-flow-logs/msdocs/flow-logs-read-nsg-v1-record.json",
		"firewall/elastic/test-networkrules-raw.log",
		"firewall/elastic/test-applicationrules-raw.log",
		"firewall/elastic/test-dnsproxyrules-raw.log",
		"firewall/elastic/test-dnsproxy-structured-raw.log",
		"firewall/elastic/test-networkrule-structured-raw.log",
		"firewall/elastic/test-applicationrules-structured-raw.log",
		"firewall/elastic/test-natrule-structured-raw.log",
		"firewall/elastic/test-threatintel-raw.log",
	}
	for _, rel := range samples {
		t.Run(rel, func(t *testing.T) {
			path := testenv.Shared(t, "azure-logs/"+rel)
			in := FileInput(path)
			in.Key = rel // portable citations in the golden file
			var rep Report
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			err := Read(context.Background(), in, &rep, func(e *event.Event) error { return enc.Encode(e) })
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range rep.Skips() {
				s.Name = rel
				enc.Encode(s)
			}
			golden := filepath.Join("testdata", "golden", strings.ReplaceAll(rel, "/", "_")+".jsonl")
			testenv.Golden(t, golden, b.Bytes())
		})
	}
}
