package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// ErrICMPPrivileges is returned when neither an unprivileged ICMP socket
// nor a raw socket can be opened.
var ErrICMPPrivileges = errors.New("ICMP echo needs privileges: this kernel does not let this user open an unprivileged ICMP socket " +
	"(allow it with `sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"`), and a raw socket needs root or CAP_NET_RAW; " +
	"or probe a TCP port instead (--protocol tcp --port N)")

// pinger sends ICMP echo requests from one socket.
type pinger struct {
	conn *icmp.PacketConn
	raw  bool
	v6   bool
	id   int
}

// openPinger prefers an unprivileged datagram ICMP socket
// (net.ipv4.ping_group_range) and falls back to a raw socket.
func openPinger(addr netip.Addr) (*pinger, error) {
	v6 := addr.Is6() && !addr.Is4In6()
	nets := [][2]string{{"udp4", "0.0.0.0"}, {"ip4:icmp", "0.0.0.0"}}
	if v6 {
		nets = [][2]string{{"udp6", "::"}, {"ip6:ipv6-icmp", "::"}}
	}
	var errs []error
	for i, n := range nets {
		c, err := icmp.ListenPacket(n[0], n[1])
		if err == nil {
			return &pinger{conn: c, raw: i == 1, v6: v6, id: os.Getpid() & 0xffff}, nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", n[0], err))
	}
	if errors.Is(errors.Join(errs...), syscall.EPERM) || errors.Is(errors.Join(errs...), syscall.EACCES) {
		return nil, fmt.Errorf("%w (%v)", ErrICMPPrivileges, errors.Join(errs...))
	}
	return nil, fmt.Errorf("opening an ICMP socket: %w", errors.Join(errs...))
}

func (pg *pinger) kind() string {
	if pg.raw {
		return "raw"
	}
	return "unprivileged"
}

func (pg *pinger) close() { pg.conn.Close() }

// echo sends one echo request and waits for its reply.
func (pg *pinger) echo(ctx context.Context, addr netip.Addr, seq int, timeout time.Duration) (time.Duration, *Failure) {
	var typ icmp.Type = ipv4.ICMPTypeEcho
	proto := 1
	if pg.v6 {
		typ, proto = ipv6.ICMPTypeEchoRequest, 58
	}
	msg := icmp.Message{Type: typ, Body: &icmp.Echo{ID: pg.id, Seq: seq & 0xffff, Data: []byte("pathproof-probe")}}
	b, err := msg.Marshal(nil)
	if err != nil {
		return 0, newFailure(ClassTCPUnreachable, "cannot build an echo request", err.Error())
	}
	var dst net.Addr = &net.UDPAddr{IP: addr.AsSlice()}
	if pg.raw {
		dst = &net.IPAddr{IP: addr.AsSlice()}
	}
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = pg.conn.SetReadDeadline(deadline)
	start := time.Now()
	if _, err := pg.conn.WriteTo(b, dst); err != nil {
		if errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
			return 0, newFailure(ClassTCPUnreachable, "no route to "+addr.String(), err.Error())
		}
		return 0, newFailure(ClassTCPUnreachable, "cannot send an echo request to "+addr.String(), err.Error())
	}
	buf := make([]byte, 1500)
	for {
		n, from, err := pg.conn.ReadFrom(buf)
		if err != nil {
			if isTimeout(err) {
				return 0, newFailure(ClassTCPTimeout, fmt.Sprintf("no echo reply from %s within %s", addr, timeout), "echo request sent; no reply or ICMP error came back")
			}
			return 0, newFailure(ClassTCPUnreachable, "receiving the echo reply failed", err.Error())
		}
		rtt := time.Since(start)
		m, err := icmp.ParseMessage(proto, buf[:n])
		if err != nil {
			continue
		}
		switch body := m.Body.(type) {
		case *icmp.Echo:
			if m.Type != ipv4.ICMPTypeEchoReply && m.Type != ipv6.ICMPTypeEchoReply {
				continue
			}
			// The kernel rewrites the id on unprivileged sockets and only
			// hands this socket its own replies.
			if body.Seq != seq&0xffff || (pg.raw && body.ID != pg.id) || !sameAddr(from, addr) {
				continue
			}
			return rtt, nil
		case *icmp.DstUnreach:
			// A raw socket sees every ICMP error on the host: keep only
			// those quoting a packet we sent to addr.
			if !pg.raw || !quotes(body.Data, addr, pg.v6) {
				continue
			}
			return 0, newFailure(ClassTCPUnreachable, fmt.Sprintf("%s is unreachable", addr), fmt.Sprintf("ICMP destination unreachable (code %d) from %s", m.Code, from))
		}
	}
}

func sameAddr(from net.Addr, want netip.Addr) bool {
	var ip net.IP
	switch a := from.(type) {
	case *net.UDPAddr:
		ip = a.IP
	case *net.IPAddr:
		ip = a.IP
	default:
		return false
	}
	got, ok := netip.AddrFromSlice(ip)
	return ok && got.Unmap() == want.Unmap()
}

// quotes reports whether an ICMP error's payload (the offending packet's
// IP header and first bytes) was addressed to addr.
func quotes(data []byte, addr netip.Addr, v6 bool) bool {
	var dst net.IP
	if v6 {
		h, err := ipv6.ParseHeader(data)
		if err != nil {
			return false
		}
		dst = h.Dst
	} else {
		h, err := ipv4.ParseHeader(data)
		if err != nil {
			return false
		}
		dst = h.Dst
	}
	got, ok := netip.AddrFromSlice(dst)
	return ok && got.Unmap() == addr.Unmap()
}
