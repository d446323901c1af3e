package testenv

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// tcpBusyStates are the /proc/net/tcp states of a socket that still sends
// or waits for packets: established, SYN sent or received, FIN-WAIT-1/2,
// CLOSE-WAIT, LAST-ACK and CLOSING. TIME_WAIT (06) has sent its last ACK;
// LISTEN (0A) sends nothing by itself.
var tcpBusyStates = map[string]bool{"01": true, "02": true, "03": true, "04": true, "05": true, "08": true, "09": true, "0B": true}

// WaitTCPQuiet waits until no TCP socket in the namespace is in a state
// that still exchanges packets, so every close handshake has finished on
// the wire (a test that captures traffic waits for it before stopping the
// capture, instead of sleeping). It fails the test after timeout, listing
// the busy sockets.
func (ns *Netns) WaitTCPQuiet(t testing.TB, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		busy, err := ns.busyTCP()
		if err != nil {
			t.Fatal(err)
		}
		if len(busy) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("netns %s: TCP sockets still busy after %s:\n%s", ns.Name, timeout, strings.Join(busy, "\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// busyTCP lists the namespace's busy TCP sockets as /proc/net/tcp lines.
func (ns *Netns) busyTCP() ([]string, error) {
	var busy []string
	err := ns.Do(func() error {
		for _, f := range []string{"tcp", "tcp6"} {
			// thread-self: /proc/self/net is the namespace of the
			// process's main thread, not of this one.
			data, err := os.ReadFile("/proc/thread-self/net/" + f)
			if os.IsNotExist(err) && f == "tcp6" {
				continue
			}
			if err != nil {
				return fmt.Errorf("netns %s: %w", ns.Name, err)
			}
			lines := strings.Split(strings.TrimSpace(string(data)), "\n")
			for _, l := range lines[1:] {
				if fs := strings.Fields(l); len(fs) > 3 && tcpBusyStates[fs[3]] {
					busy = append(busy, l)
				}
			}
		}
		return nil
	})
	return busy, err
}
