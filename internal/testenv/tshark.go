package testenv

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// tsharkRootWarning is the line tshark prints on stderr whenever it runs
// as root; tests read files with it and need no privilege, so it is noise.
const tsharkRootWarning = `Running as user "root"`

// Tshark runs tshark (skipping, or failing under CI, when it is missing)
// with args, the packet-count oracle of capture tests, and returns its
// stdout. Its stderr, without the warning it prints when run as root, is
// in the failure message when tshark fails and is logged otherwise.
func Tshark(t testing.TB, args ...string) []byte {
	t.Helper()
	tshark := RequireTool(t, "tshark")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tshark, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	msg := withoutRootWarning(stderr.String())
	if err != nil {
		t.Fatalf("tshark %s: %v: %s", strings.Join(args, " "), err, msg)
	}
	if msg != "" {
		t.Logf("tshark: %s", msg)
	}
	return stdout.Bytes()
}

// withoutRootWarning drops tshark's running-as-root lines from its stderr.
func withoutRootWarning(stderr string) string {
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if l != "" && !strings.HasPrefix(l, tsharkRootWarning) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
