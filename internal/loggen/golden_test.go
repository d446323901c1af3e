package loggen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/testenv"
)

// TestGolden pins the bytes of a small generated set (every kind, every
// file with its blob name), so a change to Azure's formats as written is a
// reviewed diff. Run with -update after an intended change.
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	res, err := Generate(Options{Out: dir, Seed: 1, NICs: 1, Tuples: 8, NSGTuples: 4, Firewall: 9, Start: time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, f := range res.Files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("== " + f + "\n")
		b.Write(data)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	golden := filepath.Join("testdata", "golden", "small.txt")
	testenv.Golden(t, golden, b.Bytes())
}
