// Package synth writes synthetic captures: real Ethernet/IPv4/TCP/UDP
// frames serialised with gopacket and written with pcapgo. The demo, the
// tests and the benchmark build their captures with it, so no capture file
// needs to be committed.
package synth

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Capture writes frames to a pcap file, advancing its own clock.
type Capture struct {
	w    *pcapgo.Writer
	Now  time.Time
	ipID uint16
	buf  gopacket.SerializeBuffer
	// Packets counts the frames written.
	Packets int
}

// New writes a pcap header (Ethernet, snaplen 65535) to w.
func New(w io.Writer, start time.Time) (*Capture, error) {
	pw := pcapgo.NewWriter(w)
	if err := pw.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		return nil, fmt.Errorf("synth: pcap header: %w", err)
	}
	return &Capture{w: pw, Now: start, buf: gopacket.NewSerializeBuffer()}, nil
}

// Flags for TCP segments.
const (
	FIN = 1 << iota
	SYN
	RST
	PSH
	ACK
)

var (
	macA = net.HardwareAddr{0x02, 0, 0, 0, 0, 1}
	macB = net.HardwareAddr{0x02, 0, 0, 0, 0, 2}
)

// TCP writes one TCP segment dt after the previous frame. mss > 0 adds an
// MSS option (use it on SYNs).
func (c *Capture) TCP(dt time.Duration, src, dst netip.AddrPort, flags int, seq, ack uint32, payload []byte, mss uint16) error {
	tcp := &layers.TCP{
		SrcPort: layers.TCPPort(src.Port()), DstPort: layers.TCPPort(dst.Port()),
		Seq: seq, Ack: ack, Window: 65535,
		FIN: flags&FIN != 0, SYN: flags&SYN != 0, RST: flags&RST != 0, PSH: flags&PSH != 0, ACK: flags&ACK != 0,
	}
	if mss > 0 {
		b := make([]byte, 2)
		binary.BigEndian.PutUint16(b, mss)
		tcp.Options = []layers.TCPOption{{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: b}}
	}
	return c.write(dt, src.Addr(), dst.Addr(), layers.IPProtocolTCP, tcp, payload)
}

// TCPWindow is TCP with an explicit window (0 for a zero-window segment).
func (c *Capture) TCPWindow(dt time.Duration, src, dst netip.AddrPort, flags int, seq, ack uint32, win uint16) error {
	tcp := &layers.TCP{SrcPort: layers.TCPPort(src.Port()), DstPort: layers.TCPPort(dst.Port()), Seq: seq, Ack: ack, Window: win, ACK: flags&ACK != 0}
	return c.write(dt, src.Addr(), dst.Addr(), layers.IPProtocolTCP, tcp, nil)
}

// UDP writes one UDP datagram dt after the previous frame.
func (c *Capture) UDP(dt time.Duration, src, dst netip.AddrPort, payload []byte) error {
	udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
	return c.write(dt, src.Addr(), dst.Addr(), layers.IPProtocolUDP, udp, payload)
}

type transport interface {
	gopacket.SerializableLayer
	SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
}

func (c *Capture) write(dt time.Duration, src, dst netip.Addr, proto layers.IPProtocol, l4 transport, payload []byte) error {
	c.Now = c.Now.Add(dt)
	c.ipID++
	eth := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}
	if src.Compare(dst) > 0 {
		eth.SrcMAC, eth.DstMAC = macB, macA
	}
	ip := &layers.IPv4{Version: 4, TTL: 64, Id: c.ipID, Flags: layers.IPv4DontFragment, Protocol: proto, SrcIP: src.AsSlice(), DstIP: dst.AsSlice()}
	if err := l4.SetNetworkLayerForChecksum(ip); err != nil {
		return err
	}
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(c.buf, opts, eth, ip, l4, gopacket.Payload(payload)); err != nil {
		return fmt.Errorf("synth: serialise: %w", err)
	}
	data := c.buf.Bytes()
	c.Packets++
	return c.w.WritePacket(gopacket.CaptureInfo{Timestamp: c.Now, CaptureLength: len(data), Length: len(data)}, data)
}

// Twice writes one TCP segment and then an exact copy of the same frame
// (same IP ID) dt later, as a capture on two interfaces records it.
func (c *Capture) Twice(dt time.Duration, src, dst netip.AddrPort, flags int, seq, ack uint32, payload []byte) error {
	if err := c.TCP(dt, src, dst, flags, seq, ack, payload, 0); err != nil {
		return err
	}
	c.ipID--
	return c.TCP(dt, src, dst, flags, seq, ack, payload, 0)
}

// FragmentedUDP writes one UDP datagram split into IPv4 fragments of at
// most mtu bytes of IP payload (a multiple of 8), as a sender without path
// MTU discovery does.
func (c *Capture) FragmentedUDP(dt time.Duration, src, dst netip.AddrPort, payload []byte, mtu int) error {
	udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		return err
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, udp, gopacket.Payload(payload)); err != nil {
		return err
	}
	datagram := buf.Bytes()
	mtu &^= 7
	c.ipID++
	for off := 0; off < len(datagram); off += mtu {
		end := min(off+mtu, len(datagram))
		frag := &layers.IPv4{Version: 4, TTL: 64, Id: c.ipID, Protocol: layers.IPProtocolUDP, SrcIP: ip.SrcIP, DstIP: ip.DstIP, FragOffset: uint16(off / 8)}
		if end < len(datagram) {
			frag.Flags = layers.IPv4MoreFragments
		}
		eth := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}
		if err := gopacket.SerializeLayers(c.buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, frag, gopacket.Payload(datagram[off:end])); err != nil {
			return err
		}
		c.Now = c.Now.Add(dt)
		data := c.buf.Bytes()
		c.Packets++
		if err := c.w.WritePacket(gopacket.CaptureInfo{Timestamp: c.Now, CaptureLength: len(data), Length: len(data)}, data); err != nil {
			return err
		}
	}
	return nil
}
