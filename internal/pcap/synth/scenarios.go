package synth

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Conn is one TCP connection being written: it tracks both sides'
// sequence numbers.
type Conn struct {
	c              *Capture
	Client, Server netip.AddrPort
	cseq, sseq     uint32
	RTT            time.Duration
}

// NewConn starts writing a connection (nothing is written yet).
func (c *Capture) NewConn(client, server netip.AddrPort, rtt time.Duration) *Conn {
	return &Conn{c: c, Client: client, Server: server, cseq: 1000, sseq: 5000, RTT: rtt}
}

// Handshake writes SYN, SYN-ACK, ACK.
func (k *Conn) Handshake() error {
	if err := k.c.TCP(time.Millisecond, k.Client, k.Server, SYN, k.cseq, 0, nil, 1460); err != nil {
		return err
	}
	if err := k.c.TCP(k.RTT, k.Server, k.Client, SYN|ACK, k.sseq, k.cseq+1, nil, 1460); err != nil {
		return err
	}
	k.cseq++
	k.sseq++
	return k.c.TCP(50*time.Microsecond, k.Client, k.Server, ACK, k.cseq, k.sseq, nil, 0)
}

// ClientSend writes data from the client, and the server's ACK.
func (k *Conn) ClientSend(b []byte) error {
	if err := k.c.TCP(time.Millisecond, k.Client, k.Server, PSH|ACK, k.cseq, k.sseq, b, 0); err != nil {
		return err
	}
	k.cseq += uint32(len(b))
	return k.c.TCP(k.RTT/2, k.Server, k.Client, ACK, k.sseq, k.cseq, nil, 0)
}

// ServerSend writes data from the server in segments of at most 1460
// bytes, and the client's ACK.
func (k *Conn) ServerSend(b []byte) error {
	for len(b) > 0 {
		n := min(len(b), 1460)
		if err := k.c.TCP(100*time.Microsecond, k.Server, k.Client, PSH|ACK, k.sseq, k.cseq, b[:n], 0); err != nil {
			return err
		}
		k.sseq += uint32(n)
		b = b[n:]
	}
	return k.c.TCP(k.RTT/2, k.Client, k.Server, ACK, k.cseq, k.sseq, nil, 0)
}

// Retransmit writes the server's last n bytes again, RTO later.
func (k *Conn) Retransmit(b []byte) error {
	return k.c.TCP(200*time.Millisecond, k.Server, k.Client, PSH|ACK, k.sseq-uint32(len(b)), k.cseq, b, 0)
}

// Close writes FIN/ACK both ways and the last ACK.
func (k *Conn) Close() error {
	if err := k.c.TCP(time.Millisecond, k.Client, k.Server, FIN|ACK, k.cseq, k.sseq, nil, 0); err != nil {
		return err
	}
	k.cseq++
	if err := k.c.TCP(k.RTT/2, k.Server, k.Client, FIN|ACK, k.sseq, k.cseq, nil, 0); err != nil {
		return err
	}
	k.sseq++
	return k.c.TCP(50*time.Microsecond, k.Client, k.Server, ACK, k.cseq, k.sseq, nil, 0)
}

// Reset writes a RST from the server.
func (k *Conn) Reset() error {
	return k.c.TCP(time.Millisecond, k.Server, k.Client, RST|ACK, k.sseq, k.cseq, nil, 0)
}

// Unanswered writes n SYNs with the usual 1 s, 2 s, 4 s back-off and no reply.
func (k *Conn) Unanswered(n int) error {
	back := time.Second
	for i := 0; i < n; i++ {
		if err := k.c.TCP(back, k.Client, k.Server, SYN, k.cseq, 0, nil, 1460); err != nil {
			return err
		}
		back *= 2
	}
	return nil
}

// Refused writes a SYN answered by RST.
func (k *Conn) Refused() error {
	if err := k.c.TCP(time.Millisecond, k.Client, k.Server, SYN, k.cseq, 0, nil, 1460); err != nil {
		return err
	}
	return k.c.TCP(k.RTT, k.Server, k.Client, RST|ACK, 0, k.cseq+1, nil, 0)
}

// DNS writes a query and its answer. answers are A/AAAA addresses or
// CNAME targets, in order, each owned by the previous name.
func (c *Capture) DNS(client, server netip.AddrPort, id uint16, name string, rcode layers.DNSResponseCode, answers ...string) error {
	q := &layers.DNS{ID: id, RD: true, Questions: []layers.DNSQuestion{{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	if err := c.dnsMsg(time.Millisecond, client, server, q); err != nil {
		return err
	}
	r := *q
	r.QR, r.RA, r.ResponseCode = true, true, rcode
	owner := name
	for _, a := range answers {
		rr := layers.DNSResourceRecord{Name: []byte(owner), Class: layers.DNSClassIN, TTL: 60}
		if ip, err := netip.ParseAddr(a); err == nil {
			rr.Type, rr.IP = layers.DNSTypeA, ip.AsSlice()
		} else {
			rr.Type, rr.CNAME = layers.DNSTypeCNAME, []byte(a)
			owner = a
		}
		r.Answers = append(r.Answers, rr)
	}
	return c.dnsMsg(2*time.Millisecond, server, client, &r)
}

func (c *Capture) dnsMsg(dt time.Duration, src, dst netip.AddrPort, m *layers.DNS) error {
	buf := gopacket.NewSerializeBuffer()
	if err := m.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
		return fmt.Errorf("synth: dns: %w", err)
	}
	return c.UDP(dt, src, dst, buf.Bytes())
}
