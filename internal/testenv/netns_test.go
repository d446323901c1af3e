package testenv

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestNetnsConnectListenDrop(t *testing.T) {
	RequireNetns(t)
	ns := NewNetns(t)
	v := Connect(t, nil, ns)
	l := ns.Listen(t, "tcp4", v.AddrB.String()+":0")
	AcceptAndClose(l)
	port := l.Addr().(*net.TCPAddr).Port
	c, err := net.DialTimeout("tcp4", l.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatalf("dial into netns: %v", err)
	}
	c.Close()
	// The listener lives in the namespace, not in the host.
	if _, err := net.Listen("tcp4", l.Addr().String()); err == nil {
		t.Errorf("host could bind %s: listener did not stay in the namespace", l.Addr())
	}

	if out, err := ns.Command("ip", "-brief", "addr", "show", v.IfB).CombinedOutput(); err != nil || !strings.Contains(string(out), v.AddrB.String()) {
		t.Errorf("Command in netns: %v %s", err, out)
	}

	ns.RejectPort(t, "tcp", port+1)
	_, err = net.DialTimeout("tcp4", net.JoinHostPort(v.AddrB.String(), strconv.Itoa(port+1)), 5*time.Second)
	if !errors.Is(err, syscall.EHOSTUNREACH) {
		t.Errorf("rejected port: got %v, want EHOSTUNREACH", err)
	}

	ns.DropPort(t, "tcp", port)
	_, err = net.DialTimeout("tcp4", l.Addr().String(), 300*time.Millisecond)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("dropped port: got %v, want a timeout", err)
	}
}
