package pcap

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// MaxPacket is the most bytes of one packet pathproof reads: tshark's
// largest snapshot length. A record claiming more is cut there, its rest
// skipped without being read into memory, and counted in snaplen_cut (a
// pcap declaring snaplen 0xFFFFFFFF with one 256 MB packet took 1.36 GB,
// issue #18).
const MaxPacket = 256 << 10

// pcapng block types this file looks at.
const (
	ngSectionHeader  = 0x0A0D0D0A
	ngEnhancedPacket = 0x00000006
	ngSimplePacket   = 0x00000003
	ngObsoletePacket = 0x00000002
)

// record is a packet read here instead of by pcapgo.
type record struct {
	data []byte
	ci   gopacket.CaptureInfo
	lt   layers.LinkType
}

// peekBig looks at the record the format reader will read next. It returns
// a *ReadError for a pcapng block whose length is impossible, a record
// when the next one is a packet longer than MaxPacket (read here, cut to
// MaxPacket, the rest discarded) or a pcap record whole in the read buffer
// (see peekPcap), and nil when pcapgo should read it.
func (rd *reader) peekBig() (*record, error) {
	if rd.order == nil {
		return nil, nil
	}
	if rd.ng != nil {
		return rd.peekNg()
	}
	h, err := rd.br.Peek(16)
	if err != nil {
		return nil, nil // pcapgo reports the end or the cut
	}
	caplen, wire := rd.order.Uint32(h[8:12]), rd.order.Uint32(h[12:16])
	// A record longer than the file's snaplen or than the packet on the
	// wire is corrupt: pcapgo says so.
	if caplen > rd.pcap.Snaplen() || caplen > wire {
		return nil, nil
	}
	if caplen <= MaxPacket {
		return rd.peekPcap(caplen, wire), nil
	}
	sec, frac := rd.order.Uint32(h[0:4]), rd.order.Uint32(h[4:8])
	ts := time.Unix(int64(sec), int64(frac)*rd.fracNanos).UTC()
	if _, err := rd.br.Discard(16); err != nil {
		return nil, err
	}
	return rd.readCut(int64(caplen), int64(caplen), int(wire), ts, rd.pcap.LinkType(), 0)
}

// peekPcap returns the next pcap record, a valid one of caplen bytes, when
// it is whole in the read buffer: its data in place (valid until the next
// read, as pcapgo's ZeroCopyReadPacketData) and its capture info as pcapgo
// makes it. nil lets pcapgo read it. pcapgo copies the header and the
// data out of the buffer with two io.ReadFull: reading the records of the
// short-connection benchmark capture took 110 ms that way, 55-75 ms here
// (BenchmarkReadFile).
func (rd *reader) peekPcap(caplen, wire uint32) *record {
	n := 16 + int(caplen)
	if n > rd.br.Size() {
		return nil
	}
	b, err := rd.br.Peek(n)
	if err != nil {
		return nil // the file ends inside the record: pcapgo reports it
	}
	sec, frac := rd.order.Uint32(b[0:4]), rd.order.Uint32(b[4:8])
	rd.rec = record{
		data: b[16:n:n],
		ci: gopacket.CaptureInfo{
			// As pcapgo: the fraction is scaled in 32 bits.
			Timestamp:     time.Unix(int64(sec), int64(frac*uint32(rd.fracNanos))).UTC(),
			CaptureLength: int(caplen),
			Length:        int(wire),
		},
		lt: rd.pcap.LinkType(),
	}
	if _, err := rd.br.Discard(n); err != nil {
		return nil // cannot happen: the n bytes are buffered
	}
	return &rd.rec
}

// peekNg checks the pcapng blocks ahead in the read buffer, up to the next
// packet block: an impossible length is reported at its offset, and a
// packet block's length and offset are kept for the message if the file
// ends inside it. A huge Enhanced Packet Block that comes next is read
// here, cut to MaxPacket. (One that follows an interface or statistics
// block within the same read is read by pcapgo whole: a known gap.)
func (rd *reader) peekNg() (*record, error) {
	win, _ := rd.br.Peek(rd.br.Size())
	base := rd.offset()
	for pos := 0; pos+8 <= len(win); {
		typ := rd.order.Uint32(win[pos : pos+4])
		if typ == ngSectionHeader {
			return nil, nil // a new section may change the byte order
		}
		length := rd.order.Uint32(win[pos+4 : pos+8])
		if length < 12 || length%4 != 0 || (typ == ngEnhancedPacket && length < 32) {
			return nil, &ReadError{Packet: rd.index, Offset: base + int64(pos),
				Reason: fmt.Sprintf("invalid pcapng block length %d (block type 0x%x) at offset %d: a block is at least 12 bytes (a packet block 32) and a multiple of 4", length, typ, base+int64(pos))}
		}
		switch typ {
		case ngEnhancedPacket, ngSimplePacket, ngObsoletePacket:
			rd.blockLen, rd.blockOff = int64(length), base+int64(pos)
			if typ == ngEnhancedPacket && length > MaxPacket+32 {
				if pos == 0 {
					return rd.cutEPB(length)
				}
				rd.shrinkEPB(win[pos:], length)
			}
			return nil, nil
		}
		pos += int(length)
	}
	return nil, nil
}

// shrinkEPB handles a huge Enhanced Packet Block that pcapgo will read
// after other blocks in the same call (typically the first packet, after
// the interface blocks): its header, still in the read buffer (b aliases
// bufio's buffer), is rewritten to describe a block of MaxPacket bytes of
// data, so pcapgo reads only those; the rest of the original block is
// discarded unread before the next read (pendingSkip). The original
// length on the wire stays, so the packet counts as cut.
func (rd *reader) shrinkEPB(b []byte, length uint32) {
	if len(b) < 28 {
		return
	}
	caplen, wire := rd.order.Uint32(b[20:24]), rd.order.Uint32(b[24:28])
	if caplen <= MaxPacket || caplen > length-32 {
		return // small, or inconsistent: pcapgo reports it
	}
	rd.order.PutUint32(b[4:8], 32+MaxPacket)
	rd.order.PutUint32(b[20:24], MaxPacket)
	rd.order.PutUint32(b[24:28], max(wire, caplen))
	rd.pendingSkip = int64(length) - (32 + MaxPacket)
}

// cutEPB reads the Enhanced Packet Block at the read position, of length
// bytes, cut to MaxPacket.
func (rd *reader) cutEPB(length uint32) (*record, error) {
	eh, err := rd.br.Peek(28)
	if err != nil {
		return nil, nil
	}
	iface := int(rd.order.Uint32(eh[8:12]))
	ifc, err := rd.ng.Interface(iface)
	if err != nil {
		return nil, nil // pcapgo reports the unknown interface
	}
	units := uint64(rd.order.Uint32(eh[12:16]))<<32 | uint64(rd.order.Uint32(eh[16:20]))
	caplen, wire := int64(rd.order.Uint32(eh[20:24])), int(rd.order.Uint32(eh[24:28]))
	if caplen > int64(length)-32 || caplen <= MaxPacket {
		return nil, nil // pcapgo reports the inconsistency, or it is small
	}
	if _, err := rd.br.Discard(28); err != nil {
		return nil, err
	}
	ts := ngTime(units, ifc.TimestampResolution.Binary(), int(ifc.TimestampResolution.Exponent()), ifc.TimestampOffset)
	return rd.readCut(caplen, int64(length)-28, max(wire, int(caplen)), ts, ifc.LinkType, iface)
}

// readCut reads MaxPacket bytes of a caplen-byte packet and discards the
// rest of its record (rest bytes from here, trailer and options included).
func (rd *reader) readCut(caplen, rest int64, wire int, ts time.Time, lt layers.LinkType, iface int) (*record, error) {
	if cap(rd.big) < MaxPacket {
		rd.big = make([]byte, MaxPacket)
	}
	data := rd.big[:MaxPacket]
	if _, err := io.ReadFull(rd.br, data); err != nil {
		return nil, io.ErrUnexpectedEOF
	}
	if n, err := rd.br.Discard(int(rest - MaxPacket)); err != nil || int64(n) != rest-MaxPacket {
		return nil, io.ErrUnexpectedEOF
	}
	_ = caplen
	return &record{data: data, lt: lt, ci: gopacket.CaptureInfo{Timestamp: ts, CaptureLength: MaxPacket, Length: wire, InterfaceIndex: iface}}, nil
}

// skipPending discards the rest of a block shrinkEPB cut short.
func (rd *reader) skipPending() error {
	if rd.pendingSkip <= 0 {
		return nil
	}
	n, err := rd.br.Discard(int(rd.pendingSkip))
	rd.pendingSkip -= int64(n)
	if err != nil {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// ngTime converts a pcapng timestamp in units of the interface's resolution.
func ngTime(units uint64, binaryRes bool, exp int, offset uint64) time.Time {
	var ns int64
	switch {
	case binaryRes:
		ns = int64(float64(units) / math.Exp2(float64(exp)) * 1e9)
	case exp <= 9:
		ns = int64(units) * int64(math.Pow10(9-exp))
	default:
		ns = int64(units / uint64(math.Pow10(exp-9)))
	}
	return time.Unix(int64(offset), ns).UTC()
}

// byteOrder reads the byte order (and, for pcap, the timestamp fraction)
// from the file's first bytes.
func (rd *reader) byteOrder(head []byte) {
	switch rd.format {
	case FormatPcapng:
		if len(head) < 12 {
			return
		}
		switch binary.LittleEndian.Uint32(head[8:12]) {
		case 0x1A2B3C4D:
			rd.order = binary.LittleEndian
		case 0x4D3C2B1A:
			rd.order = binary.BigEndian
		}
	default:
		if len(head) < 4 {
			return
		}
		switch binary.LittleEndian.Uint32(head[0:4]) {
		case 0xA1B2C3D4:
			rd.order, rd.fracNanos = binary.LittleEndian, 1000
		case 0xA1B23C4D:
			rd.order, rd.fracNanos = binary.LittleEndian, 1
		case 0xD4C3B2A1:
			rd.order, rd.fracNanos = binary.BigEndian, 1000
		case 0x4D3CB2A1:
			rd.order, rd.fracNanos = binary.BigEndian, 1
		}
	}
}
