package testenv

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
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

	mu     sync.Mutex
	stderr []string // tcpdump's stderr lines
	marks  int
}

// captureStartTimeout bounds the wait for tcpdump to report that it
// listens, for a marker to reach the file and for tcpdump to exit; it
// takes milliseconds on an idle machine and seconds on a loaded CI runner.
const captureStartTimeout = 20 * time.Second

// captureBufferKiB is tcpdump's kernel ring (-B). With the full snap
// length on an interface with segmentation offload (veth), libpcap sizes
// every ring slot for a 256 KiB packet, so its 2 MiB default holds about
// 32 packets: a burst arriving while tcpdump is not scheduled (a loaded
// machine) was dropped, leaving a hole in the capture. 64 MiB holds 256.
const captureBufferKiB = 64 << 10

// StartCapture runs tcpdump on iface inside ns (the host namespace when ns
// is nil), writing every packet as it arrives (--immediate-mode -U, full
// snap length, a large kernel ring) to a file under t.TempDir(), and
// returns once tcpdump listens. filter is an optional capture filter
// expression ("ip", "tcp port 443"). Before relying on the capture, send a
// marker through Sync; Stop ends it (the test's cleanup stops it too) and
// fails the test if the kernel dropped packets.
func StartCapture(t testing.TB, ns *Netns, iface string, filter ...string) *Capture {
	t.Helper()
	RequireRoot(t)
	tcpdump := RequireTool(t, "tcpdump")
	c := &Capture{File: filepath.Join(t.TempDir(), "capture.pcap"), done: make(chan error, 1)}
	args := append([]string{tcpdump, "-i", iface, "-n", "--immediate-mode", "-U", "-s", "0",
		"-B", strconv.Itoa(captureBufferKiB), "-w", c.File}, filter...)
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
	ready := make(chan string, 2)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			c.mu.Lock()
			c.stderr = append(c.stderr, sc.Text())
			c.mu.Unlock()
			if strings.Contains(sc.Text(), "listening on") {
				ready <- ""
			}
		}
		ready <- "exited: " + c.stderrText()
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

func (c *Capture) stderrText() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.stderr, "\n")
}

// Sync proves the capture is complete up to now: it calls send with a
// marker payload unique to this capture and call (send must put it in one
// packet the capture sees, e.g. a UDP datagram to a port the peer drops)
// and waits until tcpdump has written that packet to File. tcpdump writes
// packets in the order the interface saw them, so every packet seen before
// the marker is in the file when Sync returns. Call it after StartCapture
// (tcpdump's "listening on" line comes before its filter sees traffic on
// some systems) and before Stop (SIGINT discards what tcpdump has not
// written yet). send is repeated every 200 ms until the marker arrives.
func (c *Capture) Sync(t testing.TB, send func(marker []byte) error) {
	t.Helper()
	c.mu.Lock()
	c.marks++
	marker := fmt.Appendf(nil, "pathproof-capture-marker-%d-%d", os.Getpid(), c.marks)
	c.mu.Unlock()
	deadline := time.Now().Add(captureStartTimeout)
	for next := time.Now(); ; {
		if !time.Now().Before(deadline) {
			t.Fatalf("capture marker %q not in %s after %s (tcpdump: %s)", marker, c.File, captureStartTimeout, c.stderrText())
		}
		if !time.Now().Before(next) {
			if err := send(marker); err != nil {
				t.Fatalf("sending the capture marker: %v", err)
			}
			next = time.Now().Add(200 * time.Millisecond)
		}
		if data, err := os.ReadFile(c.File); err == nil && bytes.Contains(data, marker) {
			return
		}
		select {
		case err := <-c.done:
			c.done <- err
			t.Fatalf("tcpdump exited before the capture marker arrived: %v: %s", err, c.stderrText())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

var droppedRE = regexp.MustCompile(`(\d+) packets? dropped by kernel`)

// Stop ends the capture (SIGINT, so tcpdump flushes and closes the file)
// and waits for tcpdump to exit. A capture the kernel dropped packets from
// fails the test: it has holes. It may be called more than once.
func (c *Capture) Stop(t testing.TB) {
	t.Helper()
	if c.stopped {
		return
	}
	c.stopped = true
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-c.done:
		c.done <- err
	case <-time.After(captureStartTimeout):
		_ = c.cmd.Process.Kill()
		c.done <- <-c.done
	}
	if m := droppedRE.FindStringSubmatch(c.stderrText()); m != nil && m[1] != "0" {
		t.Errorf("tcpdump: %s packets dropped by the kernel: the capture %s has holes", m[1], c.File)
	}
}
