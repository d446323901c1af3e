package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFrontEndsRefuseTheNetwork: serve refuses a non-loopback address
// without --allow-remote, mcp --http any non-loopback address; both are
// usage errors saying why, and nothing is loaded first.
func TestFrontEndsRefuseTheNetwork(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--listen", "0.0.0.0:0"}, "--allow-remote"},
		{[]string{"serve", "--listen", "[::]:0", "--topology", "does-not-exist.yaml"}, "--allow-remote"},
		{[]string{"serve", "--listen", "nonsense"}, "HOST:PORT"},
		{[]string{"serve", "--max-upload", "0"}, "--max-upload"},
		{[]string{"mcp", "--http", "0.0.0.0:0"}, "loopback"},
	} {
		code, _, errOut := run(c.args...)
		if code != ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d %q, want 2 naming %s", c.args, code, errOut, c.want)
		}
	}
}

func TestDiagram(t *testing.T) {
	code, out, errOut := run("diagram", "--topology", filepath.Join("..", "demo", "data", "trace", "app-rule-snat.yaml"))
	if code != ExitOK || !strings.HasPrefix(out, "<svg") || !strings.Contains(out, "nic api-nic") {
		t.Errorf("exit %d: %s %s", code, errOut, out[:min(len(out), 200)])
	}
	if code, _, _ := run("diagram"); code != ExitUsage {
		t.Errorf("without --topology: exit %d, want 2", code)
	}
}
