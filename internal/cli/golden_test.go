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

// goldenCase is one command run whose stdout is compared with a golden file.
type goldenCase struct {
	name string
	args []string
	code int
}

// runGolden runs each case as a subtest: the exit code must be code and
// stdout must match testdata/name.
func runGolden(t *testing.T, cases []goldenCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, errs)
			}
			golden(t, c.name, []byte(out))
		})
	}
}
