package logs

import (
	"strings"
	"testing"
)

// TestOversizeRecordSkippedToItsEnd: a JSON Lines record over the cap is
// skipped whole, held nowhere, and the records after it keep their
// numbers (the next one was cited as record 3 for line 2, issue #18).
func TestOversizeRecordSkippedToItsEnd(t *testing.T) {
	defer func(v int) { maxValue = v }(maxValue)
	maxValue = 4 << 10
	huge := strings.Replace(kvRaw, `"resultDescription":"`, `"resultDescription":"`+strings.Repeat(`x\"{[`, 80<<10), 1)
	text := huge + "\n" + `{"category":"AuditEvent","time": }` + "\n" + kvRaw + "\n"
	evs, rep := readString(t, "insights-logs-auditevent/PT1H.json", text)
	if len(evs) != 1 {
		t.Errorf("%d events, want the one valid record", len(evs))
	}
	var got []string
	for _, s := range rep.Skips() {
		got = append(got, s.String())
	}
	want := []string{
		"insights-logs-auditevent/PT1H.json record 0: logs.bad-json: record larger than 0 MiB, the most pathproof holds (docs/log-sources.md); skipped to its end",
		"insights-logs-auditevent/PT1H.json record 1: logs.bad-json: ",
	}
	if len(got) != len(want) {
		t.Fatalf("skips:\n%s\nwant 2: the oversize record 0 and the bad record 1", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("skip %d = %s, want %s…", i, got[i], want[i])
		}
	}
}
