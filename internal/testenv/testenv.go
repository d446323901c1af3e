// Package testenv helps tests find shared reference data and real machine
// facilities (root, network namespaces, tools). Outside CI a missing
// facility skips the test with a clear reason; with CI=true it fails it,
// because CI installs everything the suite needs.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// InCI reports whether the suite runs under CI (CI=true).
func InCI() bool { return os.Getenv("CI") == "true" }

// missing skips (or, under CI, fails) the test for a missing facility.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if InCI() {
		t.Fatalf("required under CI=true: "+format, args...)
	}
	t.Skipf(format, args...)
}

// repoRoot finds the module root from this source file's location.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Shared returns the path of rel inside ../shared/testdata (the reference
// data beside the project root), skipping the test when that folder is
// absent (a fresh clone) unless CI=true. PATHPROOF_SHARED overrides the
// location of the shared folder.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	base := os.Getenv("PATHPROOF_SHARED")
	if base == "" {
		base = filepath.Join(repoRoot(), "..", "shared")
	}
	dir := filepath.Join(base, "testdata")
	if _, err := os.Stat(dir); err != nil {
		missing(t, "shared reference data not found at %s (it sits beside the project root; set PATHPROOF_SHARED to point elsewhere)", dir)
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("shared reference file missing: %v", err)
	}
	return p
}

// RequireRoot skips (fails under CI) unless the test runs as root.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		missing(t, "needs root (network namespaces, raw sockets)")
	}
}

// RequireTool skips (fails under CI) unless name is on PATH, and returns its path.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, "needs %s on PATH (.ci/run installs it)", name)
	}
	return p
}
