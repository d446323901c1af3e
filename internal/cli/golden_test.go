package cli

import (
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
)

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testenv.Golden(t, filepath.Join("testdata", name), got)
}
