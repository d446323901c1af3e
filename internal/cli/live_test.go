package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azlive/azlivetest"
	"github.com/pathproof/pathproof/internal/testenv"
)

const (
	liveSub   = azlivetest.HubSubscription
	deniedSub = "11111111-2222-3333-4444-555555555555"
)

// liveServer is a loopback Azure serving the hub fixture for liveSub and
// 403 for deniedSub.
func liveServer(t *testing.T) *azlivetest.Server {
	t.Helper()
	example, err := os.ReadFile(testenv.Shared(t, "arm/resource-graph/ResourcesFirstPageQuery.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := azlivetest.New(t)
	s.ServeHub(t, liveSub, azlivetest.Envelope(t, example), 5)
	s.Deny(deniedSub, 403)
	return s
}

// runLive runs one command line against the server.
func runLive(s *azlivetest.Server, args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = execute(context.Background(), &Env{Stdin: strings.NewReader(""), Stdout: &o, Stderr: &e, Azure: s.Options()}, args)
	return code, o.String(), e.String()
}

// TestLiveTopologyExitCodes: a live scope loads like a file; a second
// scope answering 403 is a warning naming it, and exit 4 after the
// answer; no scope readable is exit 1; a malformed scope exit 2. The
// token never shows.
func TestLiveTopologyExitCodes(t *testing.T) {
	s := liveServer(t)
	cases := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		stderr   string
		noStderr string
	}{
		{"one scope", []string{"routes", "-t", "azure://" + liveSub, "--nic", "web-nic"}, ExitOK, "0.0.0.0/0", "", "not read"},
		{"one denied", []string{"routes", "-t", "azure://" + liveSub, "-t", "azure://" + deniedSub + "/rg-app", "--nic", "web-nic"}, ExitPartial, "0.0.0.0/0",
			"warning [live.scope-unreadable]: azure://" + deniedSub + "/rg-app not read: HTTP 403 AuthorizationFailed", ""},
		{"all denied", []string{"rules", "-t", "azure://" + deniedSub, "--nic", "web-nic"}, ExitFailed, "", "[live.scope-unreadable] no azure:// scope could be read", ""},
		{"bad scope", []string{"routes", "-t", "azure://not-a-guid", "--nic", "web-nic"}, ExitUsage, "", "must be a subscription id", ""},
		{"next hop", []string{"next-hop", "-t", "azure://" + liveSub, "--from", "10.4.1.4", "--to", "10.5.1.4"}, ExitOK, "VirtualAppliance", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runLive(s, c.args...)
			if code != c.code || !strings.Contains(out, c.stdout) || !strings.Contains(errOut, c.stderr) || (c.noStderr != "" && strings.Contains(errOut, c.noStderr)) {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, out, errOut)
			}
			if strings.Contains(out+errOut, azlivetest.Token) || strings.Contains(out+errOut, "Bearer") {
				t.Error("the token shows")
			}
		})
	}
}
