package probe

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/testenv"
)

// TestFirewallInNamespace probes a server in a namespace the test builds,
// behind nftables rules that drop (tcp.timeout) or reject with ICMP
// (tcp.unreachable) the probed port.
func TestFirewallInNamespace(t *testing.T) {
	testenv.RequireNetns(t)
	ns := testenv.NewNetns(t)
	v := testenv.Connect(t, nil, ns)
	l := ns.Listen(t, "tcp4", v.AddrB.String()+":0")
	testenv.AcceptAndClose(l)
	open := l.Addr().(*net.TCPAddr).Port
	l2 := ns.Listen(t, "tcp4", v.AddrB.String()+":0")
	dropped := l2.Addr().(*net.TCPAddr).Port
	l3 := ns.Listen(t, "tcp4", v.AddrB.String()+":0")
	rejected := l3.Addr().(*net.TCPAddr).Port
	ns.DropPort(t, "tcp", dropped)
	ns.RejectPort(t, "tcp", rejected)
	host := v.AddrB.String()
	cases := []struct {
		port    int
		verdict string
		class   string
	}{
		{open, VerdictReachable, ""},
		{dropped, VerdictFailed, ClassTCPTimeout},
		{rejected, VerdictFailed, ClassTCPUnreachable},
	}
	for _, c := range cases {
		r := run(t, Options{Target: host, Port: c.port, Timeout: 400 * time.Millisecond})
		if r.Verdict != c.verdict || class(r) != c.class {
			t.Errorf("port %d: %s %q, want %s %q (%+v)", c.port, r.Verdict, class(r), c.verdict, c.class, r.Failure)
		}
	}
	// ICMP echo into the namespace answers.
	r := run(t, Options{Target: host, Protocol: "icmp", Count: 2, Interval: 10 * time.Millisecond})
	if r.Verdict != VerdictReachable || r.Addresses[0].Stats.Received != 2 {
		t.Errorf("icmp: %s %+v", r.Verdict, r.Addresses)
	}
	// Echo requests answered with ICMP host-unreachable, then dropped.
	testenv.RequireTool(t, "nft")
	ns.Run(t, "nft", "add table inet ppicmp")
	ns.Run(t, "nft", "add chain inet ppicmp input { type filter hook input priority -10 ; }")
	ns.Run(t, "nft", "add rule inet ppicmp input icmp type echo-request reject with icmp type host-unreachable")
	r = run(t, Options{Target: host, Protocol: "icmp", Timeout: 2 * time.Second})
	if class(r) != ClassTCPUnreachable {
		t.Errorf("icmp rejected: %s %q %+v", r.Verdict, class(r), r.Failure)
	}
	ns.Run(t, "nft", "flush chain inet ppicmp input")
	ns.Run(t, "nft", "add rule inet ppicmp input icmp type echo-request drop")
	r = run(t, Options{Target: host, Protocol: "icmp", Timeout: 300 * time.Millisecond})
	if class(r) != ClassTCPTimeout {
		t.Errorf("icmp dropped: %s %q %+v", r.Verdict, class(r), r.Failure)
	}
}

// TestICMPSockets checks both socket kinds: raw (root) on the host, and
// the unprivileged datagram socket inside a namespace whose
// ping_group_range allows it (the sysctl is per namespace).
func TestICMPSockets(t *testing.T) {
	testenv.RequireNetns(t)
	r := run(t, Options{Target: "127.0.0.1", Protocol: "icmp", Count: 3, Interval: 5 * time.Millisecond})
	if r.Verdict != VerdictReachable || r.ICMP == nil || r.Addresses[0].Stats.Received != 3 {
		t.Fatalf("icmp on loopback: %+v %+v", r, r.Failure)
	}
	ns := testenv.NewNetns(t)
	ns.Run(t, "sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647")
	var res *Result
	err := ns.Do(func() error {
		p, err := Options{Target: "127.0.0.1", Protocol: "icmp", Count: 2, Interval: 5 * time.Millisecond}.Plan()
		if err != nil {
			return err
		}
		// Run opens its socket on this (namespace) thread.
		res, err = Run(context.Background(), p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.ICMP == nil || res.ICMP.Socket != "unprivileged" || res.Verdict != VerdictReachable {
		t.Errorf("in namespace with ping_group_range open: %+v icmp=%+v", res.Verdict, res.ICMP)
	}
}

// TestICMPPrivilegeMessage runs the probe as an unprivileged user (the
// test binary re-executed under setpriv), where the host's
// ping_group_range forbids datagram ICMP and raw sockets need
// CAP_NET_RAW, and checks the message says so.
func TestICMPPrivilegeMessage(t *testing.T) {
	if os.Getenv("PATHPROOF_ICMP_HELPER") == "1" {
		p, _ := Options{Target: "127.0.0.1", Protocol: "icmp"}.Plan()
		_, err := Run(context.Background(), p)
		if err == nil {
			os.Exit(3)
		}
		os.Stdout.WriteString(err.Error())
		os.Exit(0)
	}
	testenv.RequireRoot(t)
	setpriv := testenv.RequireTool(t, "setpriv")
	b, err := os.ReadFile("/proc/sys/net/ipv4/ping_group_range")
	if err != nil || !strings.HasPrefix(strings.TrimSpace(string(b)), "1\t0") && !strings.HasPrefix(strings.TrimSpace(string(b)), "1 0") {
		t.Skipf("ping_group_range here is %q: unprivileged ICMP is allowed, nothing to refuse", b)
	}
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", os.Args[0], "-test.run=^TestICMPPrivilegeMessage$")
	cmd.Env = append(os.Environ(), "PATHPROOF_ICMP_HELPER=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v: %s", err, out)
	}
	if !strings.Contains(string(out), "needs privileges") || !strings.Contains(string(out), "ping_group_range") {
		t.Errorf("message %q does not say how to get privileges", out)
	}
}
