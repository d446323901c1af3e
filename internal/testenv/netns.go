package testenv

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// Network namespaces for tests.
//
// A test builds the topology it needs: NewNetns creates an empty namespace
// (loopback up), Connect joins two namespaces (or a namespace and the host,
// when one side is nil) with a veth pair addressed from 10.213.0.0/16, one
// /30 per pair. Everything is deleted by t.Cleanup, also when the test
// fails. Names are unique per process and per call, so packages running in
// parallel do not collide.
//
// Go code runs inside a namespace with Netns.Do (the calling OS thread is
// moved into the namespace for the duration of the function); a listener
// created there keeps living in the namespace after Do returns, so a test
// can serve from it with ordinary goroutines. Commands run inside with
// Netns.Run (`ip netns exec`).

// Netns is a network namespace created by a test.
type Netns struct {
	// Name is the namespace's name as `ip netns` knows it.
	Name string
}

var (
	nsMu    sync.Mutex
	nsCount int
)

// nextID returns a short name unique to this process and call: interface
// names are limited to 15 bytes.
func nextID() (string, int) {
	nsMu.Lock()
	defer nsMu.Unlock()
	nsCount++
	return fmt.Sprintf("pp%x%d", os.Getpid()&0xfffff, nsCount), nsCount
}

// RequireNetns skips (fails under CI) unless the test can build network
// namespaces: it needs root and the ip tool.
func RequireNetns(t testing.TB) {
	t.Helper()
	RequireRoot(t)
	RequireTool(t, "ip")
}

// NewNetns creates a fresh network namespace with its loopback up and
// registers its deletion with t.Cleanup.
func NewNetns(t testing.TB) *Netns {
	t.Helper()
	RequireNetns(t)
	id, _ := nextID()
	ns := &Netns{Name: id}
	mustRun(t, "ip", "netns", "add", ns.Name)
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns.Name).CombinedOutput(); err != nil {
			t.Logf("deleting netns %s: %v: %s", ns.Name, err, out)
		}
	})
	ns.Run(t, "ip", "link", "set", "lo", "up")
	return ns
}

// Veth is one veth pair made by Connect.
type Veth struct {
	// A and B are the two namespaces (nil means the host's).
	A, B *Netns
	// IfA and IfB are the interface names on each side.
	IfA, IfB string
	// AddrA and AddrB are the addresses on each side, in one /30.
	AddrA, AddrB netip.Addr
}

// Connect joins a and b (nil for the host namespace) with a veth pair,
// addresses both ends from a /30 of 10.213.0.0/16 and brings them up. The
// pair is removed by t.Cleanup (deleting a namespace removes its end too).
func Connect(t testing.TB, a, b *Netns) *Veth {
	t.Helper()
	RequireNetns(t)
	id, n := nextID()
	// Spread pairs over the /16 by process id, so two test processes that
	// both put an end in the host namespace do not pick the same /30.
	idx := (os.Getpid()*64 + n) % 16384
	base := netip.AddrFrom4([4]byte{10, 213, byte(idx >> 6), byte(idx&63) << 2})
	v := &Veth{A: a, B: b, IfA: id + "a", IfB: id + "b", AddrA: base.Next(), AddrB: base.Next().Next()}
	mustRun(t, "ip", "link", "add", v.IfA, "type", "veth", "peer", "name", v.IfB)
	t.Cleanup(func() {
		// Gone already when a namespace holding one end was deleted first.
		_ = exec.Command("ip", "link", "del", v.IfA).Run()
	})
	for _, side := range []struct {
		ns   *Netns
		ifc  string
		addr netip.Addr
	}{{a, v.IfA, v.AddrA}, {b, v.IfB, v.AddrB}} {
		if side.ns != nil {
			mustRun(t, "ip", "link", "set", side.ifc, "netns", side.ns.Name)
		}
		runIn(t, side.ns, "ip", "addr", "add", side.addr.String()+"/30", "dev", side.ifc)
		runIn(t, side.ns, "ip", "link", "set", side.ifc, "up")
	}
	return v
}

// Run runs a command inside the namespace and returns its combined output,
// failing the test when it fails.
func (ns *Netns) Run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	return runIn(t, ns, name, args...)
}

// Command returns a command that runs inside the namespace (for long-lived
// processes such as a capture: start it, stop it yourself).
func (ns *Netns) Command(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns.Name, name}, args...)...)
}

func runIn(t testing.TB, ns *Netns, name string, args ...string) []byte {
	t.Helper()
	if ns == nil {
		return mustRun(t, name, args...)
	}
	return mustRun(t, "ip", append([]string{"netns", "exec", ns.Name, name}, args...)...)
}

func mustRun(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// Do runs fn on an OS thread moved into the namespace. Sockets fn creates
// (net.Listen, net.Dial) stay in the namespace after Do returns. fn must
// not start goroutines that expect to run in the namespace.
func (ns *Netns) Do(fn func() error) error {
	runtime.LockOSThread()
	orig, err := os.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()))
	if err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("netns %s: current namespace: %w", ns.Name, err)
	}
	defer orig.Close()
	target, err := os.Open("/var/run/netns/" + ns.Name)
	if err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("netns %s: %w", ns.Name, err)
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("netns %s: setns: %w", ns.Name, err)
	}
	ferr := fn()
	if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
		// Leave the thread locked: the runtime discards it when this
		// goroutine exits, so no other goroutine runs in the namespace.
		return fmt.Errorf("netns %s: restoring namespace: %w", ns.Name, err)
	}
	runtime.UnlockOSThread()
	return ferr
}

// Listen opens a listener inside the namespace (network "tcp", "tcp4",
// "udp" via ListenPacket is not covered) and closes it at cleanup.
func (ns *Netns) Listen(t testing.TB, network, addr string) net.Listener {
	t.Helper()
	var l net.Listener
	if err := ns.Do(func() error {
		var err error
		l, err = net.Listen(network, addr)
		return err
	}); err != nil {
		t.Fatalf("listen %s %s in netns %s: %v", network, addr, ns.Name, err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// ListenPacket opens a packet listener (udp) inside the namespace and
// closes it at cleanup.
func (ns *Netns) ListenPacket(t testing.TB, network, addr string) net.PacketConn {
	t.Helper()
	var pc net.PacketConn
	if err := ns.Do(func() error {
		var err error
		pc, err = net.ListenPacket(network, addr)
		return err
	}); err != nil {
		t.Fatalf("listen %s %s in netns %s: %v", network, addr, ns.Name, err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc
}

// DropPort makes the namespace silently drop incoming packets to a port
// ("tcp" or "udp"), with nftables when available and iptables otherwise.
// The rules die with the namespace.
func (ns *Netns) DropPort(t testing.TB, proto string, port int) {
	t.Helper()
	ns.filterPort(t, proto, port, "drop", "DROP")
}

// RejectPort makes the namespace answer packets to a port with an ICMP
// host-unreachable error, so a connecting client sees EHOSTUNREACH.
func (ns *Netns) RejectPort(t testing.TB, proto string, port int) {
	t.Helper()
	ns.filterPort(t, proto, port, "reject with icmp type host-unreachable", "REJECT --reject-with icmp-host-unreachable")
}

func (ns *Netns) filterPort(t testing.TB, proto string, port int, nftVerdict, iptTarget string) {
	t.Helper()
	if proto != "tcp" && proto != "udp" {
		t.Fatalf("filterPort: protocol %q is not tcp or udp", proto)
	}
	if _, err := exec.LookPath("nft"); err == nil {
		rules := fmt.Sprintf(`table inet pptest {
  chain input {
    type filter hook input priority 0; policy accept;
    %s dport %d %s
  }
}
`, proto, port, nftVerdict)
		cmd := exec.Command("ip", "netns", "exec", ns.Name, "nft", "-f", "-")
		cmd.Stdin = strings.NewReader(rules)
		if out, err := cmd.CombinedOutput(); err == nil {
			return
		} else if _, ierr := exec.LookPath("iptables"); ierr != nil {
			t.Fatalf("nft in netns %s: %v: %s", ns.Name, err, out)
		}
	}
	RequireTool(t, "iptables")
	ns.Run(t, "iptables", append([]string{"-A", "INPUT", "-p", proto, "--dport", fmt.Sprint(port), "-j"}, strings.Fields(iptTarget)...)...)
}
