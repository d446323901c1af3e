package logs

import (
	"context"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/testenv"
)

func readFile(t *testing.T, path string) ([]event.Event, *Report) {
	t.Helper()
	var rep Report
	var evs []event.Event
	err := Read(context.Background(), FileInput(path), &rep, func(e *event.Event) error {
		evs = append(evs, *e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return evs, &rep
}

func TestSmokeVNet(t *testing.T) {
	for _, f := range []string{"vnet-flow-logs/elastic/sample_logs-testdata.log", "vnet-flow-logs/elastic/test-vnet.log", "vnet-flow-logs/msdocs/flow-logs-read-vnet-record.json", "vnet-flow-logs/otel-contrib/azurevnetflowlog-valid_1.json"} {
		evs, rep := readFile(t, testenv.Shared(t, "azure-logs/"+f))
		t.Logf("%s: %d events, %d skipped %v", f, len(evs), rep.Skipped(), rep.Skips())
		if len(evs) > 0 {
			t.Logf("%+v", evs[0])
		}
	}
}
