package monitor

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
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
	w2, _ := newResultsWriter(dir)
	if err := w2.write(&Record{Time: day1.Add(3 * time.Minute), Test: "g/d/c", State: Fail}); err != nil {
		t.Fatal(err)
	}
	w2.close()
	for name, lines := range map[string]int{"monitor-2026-11-25.jsonl": 2, "monitor-2026-11-26.jsonl": 2} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(b, []byte("\n")); n != lines {
			t.Errorf("%s: %d lines, want %d", name, n, lines)
		}
	}
}
