package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIsTerminal: neither /dev/null (a character device, what 2>/dev/null
// gives) nor a file nor a buffer is a terminal.
func TestIsTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "err.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, w := range map[string]any{"/dev/null": null, "a file": file, "a buffer": &strings.Builder{}} {
		if isTerminal(w.(interface{ Write([]byte) (int, error) })) {
			t.Errorf("%s is taken for a terminal", name)
		}
	}
}
