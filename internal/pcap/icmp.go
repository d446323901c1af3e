package pcap

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// icmpErrors aggregates the ICMP errors that quote one connection.
type icmpErrors struct {
	fragNeeded int
	mtu        uint32
	fnFrom     netip.Addr
	unreach    int
	unreachWhy string
	urFrom     netip.Addr
	ttl        int
	ttlFrom    netip.Addr
}

// icmpKind classifies an ICMP message: "echo-request", "echo-reply",
// "frag-needed", "unreachable", "time-exceeded" or "" for others.
func icmpKind(p *pkt) string {
	if p.proto == protoICMP {
		switch p.icmpType {
		case 8:
			return "echo-request"
		case 0:
			return "echo-reply"
		case 3:
			if p.icmpCode == 4 {
				return "frag-needed"
			}
			return "unreachable"
		case 11:
			return "time-exceeded"
		}
		return ""
	}
	switch p.icmpType {
	case 128:
		return "echo-request"
	case 129:
		return "echo-reply"
	case 2:
		return "frag-needed"
	case 1:
		return "unreachable"
	case 3:
		return "time-exceeded"
	}
	return ""
}

// mtu returns the MTU an ICMP "fragmentation needed" or "packet too big"
// message announces.
func (p *pkt) mtu() uint32 {
	if p.proto == protoICMP {
		return p.icmpRest & 0xffff
	}
	return p.icmpRest
}

// unreachReason names an ICMP destination-unreachable code.
func unreachReason(p *pkt) string {
	if p.proto == protoICMP {
		switch p.icmpCode {
		case 0:
			return "network unreachable"
		case 1:
			return "host unreachable"
		case 2:
			return "protocol unreachable"
		case 3:
			return "port unreachable"
		case 9, 10, 13:
			return "administratively prohibited"
		}
		return fmt.Sprintf("code %d", p.icmpCode)
	}
	switch p.icmpCode {
	case 0:
		return "no route to destination"
	case 1:
		return "administratively prohibited"
	case 3:
		return "address unreachable"
	case 4:
		return "port unreachable"
	case 5, 6:
		return "rejected by policy"
	}
	return fmt.Sprintf("code %d", p.icmpCode)
}

// quoted parses the IP header and first transport bytes an ICMP error
// quotes. ok is false when too little was quoted.
func quoted(b []byte) (proto uint8, src, dst netip.AddrPort, ok bool) {
	if len(b) < 1 {
		return 0, src, dst, false
	}
	var l4 []byte
	var s, d netip.Addr
	switch b[0] >> 4 {
	case 4:
		ihl := int(b[0]&0x0f) * 4
		if ihl < 20 || len(b) < ihl+4 {
			return 0, src, dst, false
		}
		proto = b[9]
		s = netip.AddrFrom4([4]byte(b[12:16]))
		d = netip.AddrFrom4([4]byte(b[16:20]))
		l4 = b[ihl:]
	case 6:
		if len(b) < 44 {
			return 0, src, dst, false
		}
		proto = b[6]
		s = netip.AddrFrom16([16]byte(b[8:24]))
		d = netip.AddrFrom16([16]byte(b[24:40]))
		l4 = b[40:]
	default:
		return 0, src, dst, false
	}
	switch proto {
	case protoTCP, protoUDP:
		return proto, netip.AddrPortFrom(s, binary.BigEndian.Uint16(l4[0:2])), netip.AddrPortFrom(d, binary.BigEndian.Uint16(l4[2:4])), true
	case protoICMP, protoICMPv6:
		if len(l4) < 8 {
			return 0, src, dst, false
		}
		id := binary.BigEndian.Uint16(l4[4:6])
		return proto, netip.AddrPortFrom(s, id), netip.AddrPortFrom(d, id), true
	}
	return proto, netip.AddrPortFrom(s, 0), netip.AddrPortFrom(d, 0), true
}
