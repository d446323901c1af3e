package testenv

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Capture is a tcpdump process writing packets to File.
type Capture struct {
	// File is the pcap file tcpdump writes.
	File    string
	cmd     *exec.Cmd
	done    chan error
	stopped bool
}

// captureStartTimeout bounds the wait for tcpdump to report that it
// listens; it opens the interface in a few milliseconds on an idle machine
// and in seconds on a loaded CI runner.
const captureStartTimeout = 20 * time.Second

// StartCapture runs tcpdump on iface inside ns (the host namespace when ns
// is nil), writing every packet as it arrives (--immediate-mode -U, full
// snap length) to a file under t.TempDir(), and returns once tcpdump
// listens. filter is an optional capture filter expression ("ip", "tcp
// port 443"). Stop ends it; the test's cleanup stops it too.
func StartCapture(t testing.TB, ns *Netns, iface string, filter ...string) *Capture {
	t.Helper()
	RequireRoot(t)
	tcpdump := RequireTool(t, "tcpdump")
	c := &Capture{File: filepath.Join(t.TempDir(), "capture.pcap"), done: make(chan error, 1)}
	args := append([]string{tcpdump, "-i", iface, "-n", "--immediate-mode", "-U", "-s", "0", "-w", c.File}, filter...)
	if ns != nil {
		args = append([]string{"ip", "netns", "exec", ns.Name}, args...)
	}
	c.cmd = exec.Command(args[0], args[1:]...)
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("tcpdump: %v", err)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		var lines []string
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if strings.Contains(sc.Text(), "listening on") {
				ready <- ""
			}
		}
		ready <- "exited: " + strings.Join(lines, "\n")
		c.done <- c.cmd.Wait()
	}()
	select {
	case msg := <-ready:
		if msg != "" {
			t.Fatalf("tcpdump %s", msg)
		}
	case <-time.After(captureStartTimeout):
		_ = c.cmd.Process.Kill()
		t.Fatalf("tcpdump did not start listening within %s", captureStartTimeout)
	}
	t.Cleanup(func() { c.Stop(t) })
	return c
}

// Stop ends the capture (SIGINT, so tcpdump flushes and closes the file)
// and waits for tcpdump to exit. It may be called more than once.
func (c *Capture) Stop(t testing.TB) {
	t.Helper()
	if c.stopped {
		return
	}
	c.stopped = true
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
	case <-time.After(captureStartTimeout):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}
