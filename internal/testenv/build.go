package testenv

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BuildPathproof builds cmd/pathproof into a temporary folder and returns
// the binary's path, for tests that run the real binary as a subprocess.
// The build reuses the go build cache, so after the first it takes seconds.
func BuildPathproof(t testing.TB) string {
	t.Helper()
	goTool := RequireTool(t, "go")
	mod, err := exec.Command(goTool, "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(mod)) == "" {
		t.Fatalf("go env GOMOD: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "pathproof")
	cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/pathproof")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(mod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/pathproof: %v\n%s", err, out)
	}
	return bin
}
