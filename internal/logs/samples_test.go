package logs

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
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

// TestSharedSamples reads every reference sample: the ones of this
// package's kinds parse completely (event counts = tuples or records per
// SOURCES.md); the others (Application Gateway, VPN troubleshoot text,
// oracles) must not crash the reader and are reported as skipped.
func TestSharedSamples(t *testing.T) {
	want := map[string]struct {
		events int
		source event.Source
		skips  string // skip codes with counts, sorted
	}{
		"vnet-flow-logs/elastic/test-vnet.log":                      {2, event.SourceVNetFlow, ""},
		"vnet-flow-logs/elastic/sample_logs-testdata.log":           {19, event.SourceVNetFlow, ""},
		"vnet-flow-logs/otel-contrib/azurevnetflowlog-valid_1.json": {2, event.SourceVNetFlow, ""},
		"vnet-flow-logs/msdocs/flow-logs-read-vnet-record.json":     {10, event.SourceVNetFlow, ""},
		"nsg-flow-logs/elastic/test-nsg.log":                        {1, event.SourceNSGFlow, ""},
		"nsg-flow-logs/elastic/sample_logs-testdata.log":            {11, event.SourceNSGFlow, ""},
		"nsg-flow-logs/msdocs/flow-logs-read-nsg-v1-record.json":    {40, event.SourceNSGFlow, ""},
		"firewall/elastic/test-networkrules-raw.log":                {12, event.SourceFirewall, ""},
		"firewall/elastic/test-applicationrules-raw.log":            {6, event.SourceFirewall, ""},
		"firewall/elastic/test-sdh3075-raw.log":                     {1, event.SourceFirewall, ""},
		"firewall/elastic/test-firewall-metadata.log":               {1, event.SourceFirewall, ""},
		"firewall/elastic/test-dnsproxyrules-raw.log":               {3, event.SourceDNS, ""},
		"firewall/elastic/test-dnsproxy-structured-raw.log":         {2, event.SourceDNS, ""},
		"firewall/elastic/test-networkrule-structured-raw.log":      {2, event.SourceFirewall, ""},
		"firewall/elastic/test-applicationrules-structured-raw.log": {2, event.SourceFirewall, ""},
		"firewall/elastic/test-natrule-structured-raw.log":          {2, event.SourceFirewall, ""},
		"firewall/elastic/test-threatintel-raw.log":                 {1, event.SourceFirewall, ""},
		// Only time and category: the times parse, the records have no msg.
		"firewall/elastic/test-time-formats-corner-cases.log": {0, "", "logs.bad-msg=11"},
	}
	root := testenv.Shared(t, "azure-logs")
	seen := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		evs, rep := readFile(t, p)
		w, mine := want[rel]
		if !mine {
			// Not ours: nothing may come out as an event of our sources
			// unless another format claims it; only check it did not crash
			// and said why it skipped.
			if len(evs) == 0 && rep.Skipped() == 0 && !strings.HasSuffix(rel, ".md") {
				t.Logf("%s: no events and no skips", rel)
			}
			return nil
		}
		seen++
		if len(evs) != w.events {
			t.Errorf("%s: %d events, want %d", rel, len(evs), w.events)
		}
		for _, e := range evs {
			if e.Source != w.source || e.Time.IsZero() || !e.SrcIP.IsValid() || e.Verdict == "" {
				t.Errorf("%s: incomplete event %+v", rel, e)
				break
			}
		}
		var got []string
		for code, n := range rep.SkipsByCode() {
			got = append(got, code+"="+itoa(int64(n)))
		}
		if strings.Join(got, " ") != w.skips {
			t.Errorf("%s: skips %v, want %q", rel, got, w.skips)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d expected samples", seen, len(want))
	}
}
