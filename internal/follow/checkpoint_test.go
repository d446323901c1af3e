package follow

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCheckpointRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cp")
	names := []string{"http://127.0.0.1:1/acct/insights-logs-x"}
	if cp, err := loadCheckpoint(path, names); cp != nil || err != nil {
		t.Fatalf("a missing file: %v, %v", cp, err)
	}
	cp := &checkpoint{Sources: names, State: []*sourceState{{Since: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), Blobs: map[string]*blobState{
		"insights-logs-x/a/PT1H.json": {ETag: "0x1", Blocks: 3, Sum: "s", Offset: 99, Records: 2},
	}}}}
	// A temporary file a killed save left behind is removed.
	stale := filepath.Join(filepath.Dir(path), ".cp.123")
	if err := os.WriteFile(stale, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	removeTemps(path)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("the stale temporary file is still there: %v", err)
	}
	if err := cp.save(path); err != nil {
		t.Fatal(err)
	}
	got, err := loadCheckpoint(path, names)
	if err != nil {
		t.Fatal(err)
	}
	b := got.State[0].Blobs["insights-logs-x/a/PT1H.json"]
	if b == nil || b.Records != 2 || b.Offset != 99 || b.Blocks != 3 || !got.State[0].Since.Equal(cp.State[0].Since) {
		t.Fatalf("read back %+v", got.State[0])
	}
	for _, c := range []struct {
		name, data string
		names      []string
	}{
		{"other sources", "", []string{"http://127.0.0.1:1/acct/insights-logs-y"}},
		{"not JSON", "not json", names},
		{"other version", `{"version":9,"sources":["http://127.0.0.1:1/acct/insights-logs-x"],"state":[{}]}`, names},
		{"negative offset", `{"version":1,"sources":["http://127.0.0.1:1/acct/insights-logs-x"],"state":[{"blobs":{"k":{"offset":-1}}}]}`, names},
	} {
		p := path
		if c.data != "" {
			p = filepath.Join(t.TempDir(), "bad")
			os.WriteFile(p, []byte(c.data), 0o600)
		}
		if _, err := loadCheckpoint(p, c.names); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err %v, want an error naming the file", c.name, err)
		}
	}
}

// TestOutputRewind: a restart cuts the output file back to the length the
// checkpoint recorded, and only the same file.
func TestOutputRewind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	o := newOutput(f)
	f.WriteString("one\n")
	m, err := o.mark()
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("two, written after the checkpoint\n")
	if cut, err := o.rewind(m); err != nil || cut == 0 {
		t.Fatalf("rewind: %d, %v", cut, err)
	}
	f.WriteString("two\n")
	if data, _ := os.ReadFile(path); string(data) != "one\ntwo\n" {
		t.Fatalf("file holds %q", data)
	}
	other := *m
	other.Ino++
	other.Size = 0
	if cut, err := o.rewind(&other); err != nil || cut != 0 {
		t.Fatalf("another file's mark cut %d bytes (%v)", cut, err)
	}
	if newOutput(nil) != nil {
		t.Fatal("no file, an output")
	}
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	if newOutput(w) != nil {
		t.Fatal("a pipe is not a file to cut back")
	}
}
