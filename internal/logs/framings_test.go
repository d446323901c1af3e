package logs

import (
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

// framing is one way a record reaches pathproof: the key (path) it is read
// under and the text of the file.
type framing struct {
	name, key, text string
}

// rawFramings returns a raw resource-log record in the framings Azure
// writes it: a storage blob (JSON Lines, twice), an event-hub body
// ({"records":[...]}), the same pretty-printed, and the record without its
// category in its insights-logs-* container (detection by path).
func rawFramings(container, rec string) []framing {
	blob := container + "/resourceId=/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/X/Y/Z/y=2026/m=01/d=15/h=09/m=00/PT1H.json"
	noCat := rec
	if i := strings.Index(rec, `"category":`); i >= 0 {
		j := strings.Index(rec[i:], ",")
		noCat = rec[:i] + rec[i+j+1:]
	}
	return []framing{
		{"storage JSON Lines", blob, rec + "\n" + rec + "\n"},
		{"event hub", "eventhub-capture.json", `{"records":[` + rec + `,` + rec + `]}`},
		{"event hub, pretty", "eventhub-pretty.json", "{\n  \"records\": [\n    " + rec + ",\n    " + rec + "\n  ]\n}\n"},
		{"container path, no category", blob, noCat + "\n" + noCat + "\n"},
	}
}

// laFramings returns a Log Analytics row as its JSON export (an array of
// rows) and its CSV export (a header and a row, given as header, row).
func laFramings(jsonRow, csvHeader, csvRow string) []framing {
	return []framing{
		{"Log Analytics JSON export", "export.json", "[" + jsonRow + "," + jsonRow + "]"},
		{"Log Analytics CSV export", "export.csv", csvHeader + "\n" + csvRow + "\n" + csvRow + "\n"},
	}
}

// checkFramings reads every framing and hands each of its two events to
// check; nothing may be skipped.
func checkFramings(t *testing.T, fs []framing, src event.Source, check func(t *testing.T, e event.Event)) {
	t.Helper()
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			evs, rep := readString(t, f.key, f.text)
			if rep.Skipped() != 0 || len(evs) != 2 {
				t.Fatalf("%d events, skips %v", len(evs), rep.Skips())
			}
			for _, e := range evs {
				if e.Source != src || e.Time.IsZero() {
					t.Fatalf("event %+v", e)
				}
				check(t, e)
			}
		})
	}
}
