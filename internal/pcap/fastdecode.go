package pcap

import (
	"encoding/binary"
	"net/netip"
)

// decodeEthernetIPv4TCP fills p from the most common frame, TCP in IPv4 in
// Ethernet II, when the frame is well formed and simple, and reports
// whether it did; any other frame (another link or network layer, IPv4
// options, a fragment, a length that does not fit, an MPTCP option in a
// SYN) is left to gopacket's layers. What it fills is what decodeLayers
// fills from gopacket's decoding of the same frame, field for field
// (TestFastDecodeMatchesLayers, FuzzFastDecode): gopacket's general
// parser was a quarter of the reading goroutine's time on a capture of
// short connections.
func decodeEthernetIPv4TCP(frame []byte, p *pkt) bool {
	be := binary.BigEndian
	if len(frame) < 14+20 || be.Uint16(frame[12:14]) != 0x0800 {
		return false
	}
	ip := frame[14:]
	length, ihl := int(be.Uint16(ip[2:4])), int(ip[0]&0x0f)
	flagsFrag := be.Uint16(ip[6:8])
	// Length 0 (segmentation offload) and a frame shorter than the IP
	// length (cut by snaplen) are gopacket's cases, and so are fragments.
	if ihl != 5 || length < 20 || length > len(ip) || ip[9] != protoTCP || flagsFrag&0x3fff != 0 {
		return false
	}
	ip = ip[:length] // Ethernet padding is not payload
	tcp := ip[20:]
	if len(tcp) < 20 {
		return false
	}
	off := int(tcp[12]>>4) * 4
	if off < 20 || off > len(tcp) {
		return false
	}
	flags := tcp[13]
	var mss uint16
	if flags&flagSYN != 0 {
		var ok bool
		if mss, ok = tcpMSS(tcp[20:off]); !ok {
			return false
		}
	}
	*p = pkt{
		src:     netip.AddrFrom4([4]byte(ip[12:16])),
		dst:     netip.AddrFrom4([4]byte(ip[16:20])),
		proto:   protoTCP,
		sport:   be.Uint16(tcp[0:2]),
		dport:   be.Uint16(tcp[2:4]),
		ipID:    be.Uint16(ip[4:6]),
		flags:   flags & (flagFIN | flagSYN | flagRST | flagPSH | flagACK),
		seq:     be.Uint32(tcp[4:8]),
		ack:     be.Uint32(tcp[8:12]),
		win:     be.Uint16(tcp[14:16]),
		mss:     mss,
		payload: tcp[off:],
	}
	p.payloadLen = len(p.payload)
	return true
}

// tcpMSS returns the last MSS option of a TCP option area as gopacket
// reads the options: up to an end-of-list option or an option whose length
// cannot be followed. ok is false when an MPTCP option comes first, whose
// validity gopacket judges by subtype.
func tcpMSS(opts []byte) (mss uint16, ok bool) {
	for len(opts) > 0 {
		switch opts[0] {
		case 0: // end of list
			return mss, true
		case 1: // no-op
			opts = opts[1:]
			continue
		case 30: // MPTCP
			return 0, false
		}
		if len(opts) < 2 || opts[1] < 2 || int(opts[1]) > len(opts) {
			return mss, true
		}
		if opts[0] == 2 && opts[1] == 4 {
			mss = binary.BigEndian.Uint16(opts[2:4])
		}
		opts = opts[opts[1]:]
	}
	return mss, true
}
