package pcap

import (
	"encoding/binary"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// pkt is the flat summary of one decoded frame that the connection tracker
// needs. It is reused for every frame: slices point into the frame's bytes.
type pkt struct {
	src, dst     netip.Addr
	proto        uint8 // IANA protocol number: 6, 17, 1, 58
	sport, dport uint16
	ipID         uint16 // IPv4 identification (0 for IPv6)
	v6           bool
	fragmented   bool // the IP packet is a fragment
	firstFrag    bool // fragment offset 0 (carries the transport header)
	// TCP
	flags   uint8
	seq     uint32
	ack     uint32
	win     uint16
	mss     uint16 // MSS option (0 when absent)
	payload []byte
	// payloadLen is the transport payload length the IP header claims,
	// which may be longer than payload when the frame was cut by snaplen.
	payloadLen int
	// ICMP
	icmpType, icmpCode uint8
	icmpRest           uint32 // ICMP header bytes 4..8 (MTU, echo id/seq)
}

// TCP flag bits, as in the header.
const (
	flagFIN = 0x01
	flagSYN = 0x02
	flagRST = 0x04
	flagPSH = 0x08
	flagACK = 0x10
)

// IANA protocol numbers.
const (
	protoICMP   = 1
	protoTCP    = 6
	protoUDP    = 17
	protoICMPv6 = 58
)

// skip reasons, the keys of Report.Skipped.
const (
	skipTruncated    = "truncated"         // frame too short for a header it claims
	skipMalformed    = "malformed"         // a header is invalid
	skipNotIP        = "not_ip"            // ARP, LLDP, STP, ...: nothing to explain
	skipUnknownLink  = "unknown_link_type" // link type this reader does not know
	skipOtherProto   = "other_protocol"    // IP but not TCP, UDP or ICMP (e.g. GRE, ESP, IGMP)
	skipNonFirstFrag = "ip_fragment_tail"  // IP fragment without transport header
)

// decoder turns frames into pkt values with preallocated gopacket layers
// and no per-frame allocation.
type decoder struct {
	eth     layers.Ethernet
	sll     layers.LinuxSLL
	sll2    layers.LinuxSLL2
	loop    layers.Loopback
	dot1q   layers.Dot1Q
	ip4     layers.IPv4
	ip6     layers.IPv6
	ip6ext  layers.IPv6ExtensionSkipper
	tcp     layers.TCP
	udp     layers.UDP
	icmp4   layers.ICMPv4
	icmp6   layers.ICMPv6
	payload gopacket.Payload

	parsers map[gopacket.LayerType]*gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
}

func newDecoder() *decoder {
	d := &decoder{parsers: map[gopacket.LayerType]*gopacket.DecodingLayerParser{}, decoded: make([]gopacket.LayerType, 0, 12)}
	for _, first := range []gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeLinuxSLL, layers.LayerTypeLinuxSLL2, layers.LayerTypeLoopback, layers.LayerTypeIPv4, layers.LayerTypeIPv6} {
		p := gopacket.NewDecodingLayerParser(first, &d.eth, &d.sll, &d.sll2, &d.loop, &d.dot1q, &d.ip4, &d.ip6, &d.ip6ext, &d.tcp, &d.udp, &d.icmp4, &d.icmp6, &d.payload)
		p.IgnoreUnsupported = true
		d.parsers[first] = p
	}
	return d
}

// firstLayer maps a link type to the layer the frame starts with. Raw IP
// frames start with IPv4 or IPv6 depending on the version nibble.
func firstLayer(lt layers.LinkType, data []byte) (gopacket.LayerType, bool) {
	switch lt {
	case layers.LinkTypeEthernet:
		return layers.LayerTypeEthernet, true
	case layers.LinkTypeLinuxSLL:
		return layers.LayerTypeLinuxSLL, true
	case layers.LinkTypeLinuxSLL2:
		return layers.LayerTypeLinuxSLL2, true
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		return layers.LayerTypeLoopback, true
	case layers.LinkTypeIPv4:
		return layers.LayerTypeIPv4, true
	case layers.LinkTypeIPv6:
		return layers.LayerTypeIPv6, true
	case layers.LinkTypeRaw, 12, 14: // DLT_RAW values differ between systems
		if len(data) > 0 && data[0]>>4 == 6 {
			return layers.LayerTypeIPv6, true
		}
		return layers.LayerTypeIPv4, true
	}
	return 0, false
}

// decode fills p from one frame. It returns "" on success or the skip
// reason when the frame holds nothing the tracker can use.
func (d *decoder) decode(lt layers.LinkType, data []byte, p *pkt) string {
	if lt == layers.LinkTypeEthernet && decodeEthernetIPv4TCP(data, p) {
		return ""
	}
	return d.decodeLayers(lt, data, p)
}

// decodeLayers is decode through gopacket's layers, for every frame.
func (d *decoder) decodeLayers(lt layers.LinkType, data []byte, p *pkt) string {
	first, ok := firstLayer(lt, data)
	if !ok {
		return skipUnknownLink
	}
	parser := d.parsers[first]
	err := parser.DecodeLayers(data, &d.decoded)
	*p = pkt{}
	var haveIP, haveL4 bool
	for _, t := range d.decoded {
		switch t {
		case layers.LayerTypeIPv4:
			haveIP = true
			p.src, _ = netip.AddrFromSlice(d.ip4.SrcIP.To4())
			p.dst, _ = netip.AddrFromSlice(d.ip4.DstIP.To4())
			p.proto = uint8(d.ip4.Protocol)
			p.ipID = d.ip4.Id
			if d.ip4.Flags&layers.IPv4MoreFragments != 0 || d.ip4.FragOffset != 0 {
				p.fragmented = true
				p.firstFrag = d.ip4.FragOffset == 0
			}
		case layers.LayerTypeIPv6:
			haveIP = true
			p.v6 = true
			p.src, _ = netip.AddrFromSlice(d.ip6.SrcIP)
			p.dst, _ = netip.AddrFromSlice(d.ip6.DstIP)
			p.proto = uint8(d.ip6.NextHeader)
			if d.ip6.NextHeader == layers.IPProtocolIPv6Fragment {
				p.fragmented = true
				if pl := d.ip6.Payload; len(pl) >= 8 {
					p.firstFrag = binary.BigEndian.Uint16(pl[2:4])&0xfff8 == 0
					p.proto = pl[0]
				}
			}
		case layers.LayerTypeIPv6HopByHop, layers.LayerTypeIPv6Destination, layers.LayerTypeIPv6Routing:
			p.proto = uint8(d.ip6ext.NextHeader)
		case layers.LayerTypeTCP:
			haveL4 = true
			d.fillTCP(p)
		case layers.LayerTypeUDP:
			haveL4 = true
			p.proto = protoUDP
			p.sport, p.dport = uint16(d.udp.SrcPort), uint16(d.udp.DstPort)
			p.payload = d.udp.Payload
			p.payloadLen = max(int(d.udp.Length)-8, len(p.payload))
		case layers.LayerTypeICMPv4:
			haveL4 = true
			p.proto = protoICMP
			p.icmpType, p.icmpCode = d.icmp4.TypeCode.Type(), d.icmp4.TypeCode.Code()
			p.icmpRest = uint32(d.icmp4.Id)<<16 | uint32(d.icmp4.Seq)
			p.payload = d.icmp4.Payload
		case layers.LayerTypeICMPv6:
			haveL4 = true
			p.proto = protoICMPv6
			p.icmpType, p.icmpCode = d.icmp6.TypeCode.Type(), d.icmp6.TypeCode.Code()
			if pl := d.icmp6.Payload; len(pl) >= 4 {
				p.icmpRest = binary.BigEndian.Uint32(pl[:4])
				p.payload = pl[4:]
			}
		}
	}
	if !haveIP {
		if err != nil || parser.Truncated {
			if len(d.decoded) == 0 || parser.Truncated {
				return skipTruncated
			}
			return skipMalformed
		}
		return skipNotIP
	}
	if p.fragmented && !haveL4 {
		if !p.firstFrag {
			return skipNonFirstFrag
		}
		// gopacket stops at a fragment; the first one still carries the
		// transport header, which is all the tracker needs.
		var pl []byte
		if p.v6 {
			if len(d.ip6.Payload) < 8 {
				return skipTruncated
			}
			pl = d.ip6.Payload[8:]
		} else {
			pl = d.ip4.Payload
		}
		switch p.proto {
		case protoTCP:
			if d.tcp.DecodeFromBytes(pl, gopacket.NilDecodeFeedback) != nil {
				return skipTruncated
			}
			d.fillTCP(p)
		case protoUDP:
			if d.udp.DecodeFromBytes(pl, gopacket.NilDecodeFeedback) != nil {
				return skipTruncated
			}
			p.sport, p.dport = uint16(d.udp.SrcPort), uint16(d.udp.DstPort)
			p.payload = d.udp.Payload
			p.payloadLen = len(p.payload)
		default:
			return skipOtherProto
		}
		return ""
	}
	if !haveL4 {
		switch p.proto {
		case protoTCP, protoUDP, protoICMP, protoICMPv6:
			if err != nil || parser.Truncated {
				return skipTruncated
			}
			return skipMalformed
		}
		return skipOtherProto
	}
	return ""
}

func (d *decoder) fillTCP(p *pkt) {
	t := &d.tcp
	p.proto = protoTCP
	p.sport, p.dport = uint16(t.SrcPort), uint16(t.DstPort)
	p.seq, p.ack, p.win = t.Seq, t.Ack, t.Window
	var f uint8
	if t.FIN {
		f |= flagFIN
	}
	if t.SYN {
		f |= flagSYN
	}
	if t.RST {
		f |= flagRST
	}
	if t.PSH {
		f |= flagPSH
	}
	if t.ACK {
		f |= flagACK
	}
	p.flags = f
	if t.SYN {
		for _, o := range t.Options {
			if o.OptionType == layers.TCPOptionKindMSS && len(o.OptionData) == 2 {
				p.mss = binary.BigEndian.Uint16(o.OptionData)
			}
		}
	}
	p.payload = t.Payload
	p.payloadLen = len(t.Payload)
	// A frame cut by snaplen carries less payload than the IP header says.
	if !p.v6 && d.ip4.Length > 0 {
		if n := int(d.ip4.Length) - int(d.ip4.IHL)*4 - int(t.DataOffset)*4; n > p.payloadLen {
			p.payloadLen = n
		}
	}
}
