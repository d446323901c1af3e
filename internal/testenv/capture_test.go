package testenv

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
)

// recordingTB records Errorf instead of failing, to test that Stop
// reports a damaged capture.
type recordingTB struct {
	*testing.T
	errors []string
}

func (r *recordingTB) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}

// burstWhileStalled stops tcpdump, sends n UDP datagrams carrying payload
// from ns to peer's port (dropped there), lets tcpdump run again and
// syncs the capture.
func burstWhileStalled(t *testing.T, c *Capture, ns *Netns, peer string, n int, payload []byte) {
	t.Helper()
	var conn net.Conn
	if err := ns.Do(func() error {
		var err error
		conn, err = net.Dial("udp4", peer)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	mark := func(m []byte) error { _, err := conn.Write(m); return err }
	c.Sync(t, mark)
	if err := c.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, err := conn.Write(payload); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	c.Sync(t, mark)
}

// TestCaptureKeepsBursts: a burst that arrives while tcpdump is not
// scheduled (a loaded machine) is all in the file, and a capture the
// kernel dropped packets from fails the test instead of leaving a silent
// hole. With tcpdump's default 2 MiB ring the 150-packet burst lost all
// but about 30 packets.
func TestCaptureKeepsBursts(t *testing.T) {
	RequireNetns(t)
	a, b := NewNetns(t), NewNetns(t)
	v := Connect(t, a, b)
	b.DropPort(t, "udp", 9999)
	peer := v.AddrB.String() + ":9999"

	c := StartCapture(t, a, v.IfA, "udp")
	payload := []byte("pathproof-burst-kept")
	burstWhileStalled(t, c, a, peer, 150, payload)
	c.Stop(t)
	data, err := os.ReadFile(c.File)
	if err != nil {
		t.Fatal(err)
	}
	if got := bytes.Count(data, payload); got != 150 {
		t.Errorf("%d of 150 packets of a burst in the capture", got)
	}

	rec := &recordingTB{T: t}
	c = StartCapture(t, a, v.IfA, "udp")
	burstWhileStalled(t, c, a, peer, 3000, []byte("pathproof-burst-overflow"))
	c.Stop(rec)
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "packets dropped by the kernel") {
		t.Errorf("Stop after an overflowing burst reported %q, want the kernel's drops", rec.errors)
	}
}
