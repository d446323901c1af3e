package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
)

// testdata is the package's testdata folder as an absolute path: the demo
// tests change into a temporary directory before comparing.
var testdata = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Join(wd, "testdata")
}()

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testenv.Golden(t, filepath.Join(testdata, name), got)
}
