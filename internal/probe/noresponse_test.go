package probe

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// tcpServer accepts on loopback and hands each connection to serve; the
// connection is closed when serve returns or at cleanup.
func tcpServer(t *testing.T, serve func(c *net.TCPConn, stop <-chan struct{})) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop); l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c.(*net.TCPConn), stop)
			}()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

// TestNoResponseClasses: a server that accepts and then resets is a reset
// after connect (it was classed as an HTTP status with a status hint, or
// tcp.unreachable with an ICMP hint), a server that never answers the
// request is an HTTP timeout (it was "answered with a status"), issue #18.
func TestNoResponseClasses(t *testing.T) {
	// reset reads the request, then aborts the connection with RST.
	reset := tcpServer(t, func(c *net.TCPConn, _ <-chan struct{}) {
		http.ReadRequest(bufio.NewReader(c))
		c.SetLinger(0)
	})
	// silent reads the request and answers nothing until the test ends.
	silent := tcpServer(t, func(c *net.TCPConn, stop <-chan struct{}) {
		http.ReadRequest(bufio.NewReader(c))
		<-stop
	})
	tests := []struct {
		name    string
		port    int
		class   string
		message string
	}{
		{"reset after the request", reset, ClassTCPReset, "reset the connection instead of answering"},
		{"silent after the request", silent, ClassHTTPTimeout, "no HTTP response within 300ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, Options{Target: "127.0.0.1", Protocol: "http", Port: tc.port, Timeout: 300 * time.Millisecond})
			if class(r) != tc.class {
				t.Fatalf("class %q, want %q (%+v)", class(r), tc.class, r.Failure)
			}
			if !strings.Contains(r.Failure.Message, tc.message) || r.Failure.Hint != Hint(tc.class) || strings.Contains(r.Failure.Hint, "ICMP") {
				t.Errorf("failure %+v", r.Failure)
			}
		})
	}
}
