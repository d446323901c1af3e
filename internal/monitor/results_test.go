package monitor

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestResultsRotateDaily: records are appended to the file of their UTC
// day; a record of the next day opens the next file.
func TestResultsRotateDaily(t *testing.T) {
	dir := t.TempDir()
	w, err := newResultsWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	day1 := time.Date(2026, 11, 25, 23, 59, 0, 0, time.UTC)
	for _, at := range []time.Time{day1, day1.Add(30 * time.Second), day1.Add(2 * time.Minute)} {
		if err := w.write(&Record{Time: at, Test: "g/d/c", State: Pass}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	// Reopening appends to the same day.
	w2, err := newResultsWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w2.write(&Record{Time: day1.Add(3 * time.Minute), Test: "g/d/c", State: Fail}); err != nil {
		t.Fatal(err)
	}
	if err := w2.close(); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"monitor-2026-11-25.jsonl": {"2026-11-25T23:59:00Z Pass", "2026-11-25T23:59:30Z Pass"},
		"monitor-2026-11-26.jsonl": {"2026-11-26T00:01:00Z Pass", "2026-11-26T00:02:00Z Fail"},
	}
	for name, lines := range want {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		dec := json.NewDecoder(bytes.NewReader(b))
		for {
			var r Record
			if err := dec.Decode(&r); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got = append(got, r.Time.UTC().Format(time.RFC3339)+" "+string(r.State))
		}
		if d := cmp.Diff(lines, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", name, d)
		}
	}
}
