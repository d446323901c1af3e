package testenv

import (
	"os"
	"testing"
)

// Artifacts returns the folder test artefacts (screenshots, PDFs) go to:
// PATHPROOF_ARTIFACTS when set (CI keeps it), else a temporary folder.
func Artifacts(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("PATHPROOF_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
