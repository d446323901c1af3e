package testenv

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// OpenPort listens on a free 127.0.0.1 TCP port, accepts connections and
// closes them at once. It stops at cleanup.
func OpenPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	AcceptAndClose(l)
	return l.Addr().(*net.TCPAddr).Port
}

// AcceptAndClose accepts connections on l and closes each at once, until l
// is closed.
func AcceptAndClose(l net.Listener) {
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
}

// ClosedPort returns a loopback TCP port nothing listens on: the kernel
// answers a SYN with RST.
func ClosedPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// TLSServer serves HTTP 200 "ok" over TLS with cert on loopback until
// cleanup.
func TLSServer(t testing.TB, cert tls.Certificate) int {
	t.Helper()
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) }))
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s.Listener.Addr().(*net.TCPAddr).Port
}
