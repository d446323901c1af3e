package cli

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMonitorSIGTERMFinishesInFlight runs `pathproof monitor` in a child
// process (this test binary in helper mode), sends SIGTERM while its
// first HTTP check is held by the server, and checks that the run still
// completes, is written, and the process exits 0.
func TestMonitorSIGTERMFinishesInFlight(t *testing.T) {
	if args := os.Getenv("PATHPROOF_CLI_HELPER"); args != "" {
		os.Exit(Main(strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr))
	}
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-release
		w.WriteHeader(200)
	}))
	defer srv.Close()
	defer close(release)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()
	cfg := filepath.Join(dir, "m.yaml")
	os.WriteFile(cfg, []byte("test_groups:\n  - name: g\n    destinations: [{address: 127.0.0.1}]\n    test_configurations: [{name: slow, protocol: http, port: "+strconv.Itoa(port)+", frequency: 30s, checks: 1, timeout: 20s}]\n"), 0o600)
	results := filepath.Join(dir, "results")
	cmd := exec.Command(os.Args[0], "-test.run=^TestMonitorSIGTERMFinishesInFlight$")
	cmd.Env = append(os.Environ(), "PATHPROOF_CLI_HELPER="+strings.Join([]string{"monitor", "--config", cfg, "--listen", "127.0.0.1:0", "--results-dir", results, "-o", "json"}, "\x1f"))
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-arrived:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the monitor never sent its check; stderr: %s", stderr.String())
	}
	// The check is in flight (held by the server): stop the monitor, then
	// let the server answer.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // let the signal land before the answer; correctness does not depend on it
	release <- struct{}{}
	sc := bufio.NewScanner(stdout)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	err := cmd.Wait()
	if err != nil {
		t.Fatalf("monitor exited with %v; stderr: %s", err, stderr.String())
	}
	if want := "pathproof monitor: 1 test (g/127.0.0.1/slow) from " + cfg + "; results in " + results + "; metrics http://127.0.0.1:"; !strings.Contains(stderr.String(), want) {
		t.Errorf("no start-up line %q in stderr:\n%s", want, stderr.String())
	}
	if len(lines) != 1 || !strings.Contains(lines[0], `"state":"Pass"`) {
		t.Fatalf("stdout after SIGTERM: %q", lines)
	}
	files, _ := filepath.Glob(filepath.Join(results, "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("results files %v", files)
	}
	b, _ := os.ReadFile(files[0])
	var rec map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(string(b))), &rec); err != nil || rec["state"] != "Pass" {
		t.Errorf("results file %q (%v)", b, err)
	}
}
