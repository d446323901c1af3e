package pcap

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// ReadError says where and why reading a capture stopped early.
type ReadError struct {
	// Packet is the 0-based index of the record that could not be read
	// (the number of records read before it).
	Packet int `json:"packet"`
	// Offset is the byte offset in the file where that record starts (in
	// the decompressed stream for a gzip-compressed capture).
	Offset int64 `json:"offset"`
	// Reason says why, in plain words.
	Reason string `json:"reason"`
}

func (e *ReadError) Error() string {
	return fmt.Sprintf("reading stopped at packet %d (byte offset %d): %s", e.Packet, e.Offset, e.Reason)
}

// Capture file formats.
const (
	FormatPcap   = "pcap"
	FormatPcapng = "pcapng"
)

const (
	magicPcapng = 0x0A0D0D0A
	// bufSize is the read buffer. pcapgo wraps its input in a bufio.Reader
	// of the default size unless it already is one that large, so handing
	// it ours lets us know exactly how many bytes it has consumed.
	bufSize = 64 << 10
)

// countingReader counts the bytes read from the file.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// reader reads records from a pcap or pcapng file and tracks the byte
// offset of each.
type reader struct {
	format string
	cr     *countingReader
	br     *bufio.Reader
	pcap   *pcapgo.Reader
	ng     *pcapgo.NgReader
	index  int
	// start is the offset of the record being read.
	start int64
	// order and fracNanos come from the file's header (nil order: unknown,
	// pcapgo alone reads).
	order     binary.ByteOrder
	fracNanos int64
	// blockLen is the length of the pcapng block about to be read (0 when
	// not known), for the message when it runs past the end.
	blockLen, blockOff int64
	// big is the buffer of packets cut to MaxPacket.
	big []byte
	// pendingSkip is the rest of a huge packet block pcapgo read cut
	// (shrinkEPB), discarded before the next read.
	pendingSkip int64
	// rec is the record peekBig read from the read buffer.
	rec record
}

// openReader detects the format by magic number and reads the file header.
// A gzip-compressed capture (pcap or pcapng) is decompressed here, before
// the format reader, so its packets are read and capped like any other
// (pcapgo's own gzip support would read a huge packet whole).
func openReader(r io.Reader) (*reader, error) {
	pk := bufio.NewReader(r)
	if m, _ := pk.Peek(2); len(m) == 2 && m[0] == 0x1f && m[1] == 0x8b {
		gz, err := gzip.NewReader(pk)
		if err != nil {
			return nil, fmt.Errorf("gzip-compressed capture: %w", err)
		}
		r = gz
	} else {
		r = pk
	}
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, bufSize)
	rd := &reader{cr: cr, br: br}
	head, err := br.Peek(4)
	full, _ := br.Peek(12)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err // the file could not be read at all
	}
	if err != nil {
		return nil, fmt.Errorf("not a capture file: %d bytes only", len(head))
	}
	if binary.LittleEndian.Uint32(head) == magicPcapng {
		rd.format = FormatPcapng
		// Every interface keeps its own link type: without WantMixedLinkType
		// pcapgo silently drops packets of interfaces unlike the first (#18).
		ng, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			return nil, fmt.Errorf("pcapng header: %w", err)
		}
		rd.ng = ng
	} else {
		rd.format = FormatPcap
		p, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("not a capture: neither pcap nor pcapng (first bytes %x): %w", head, err)
		}
		rd.pcap = p
	}
	rd.byteOrder(full)
	rd.start = rd.offset()
	return rd, nil
}

// offset is the number of bytes consumed by the format reader.
func (rd *reader) offset() int64 { return rd.cr.n - int64(rd.br.Buffered()) }

// next returns the next record's bytes (valid until the following call),
// its capture info and link type. At the end of the file it returns io.EOF;
// on a damaged file a *ReadError.
func (rd *reader) next() ([]byte, gopacket.CaptureInfo, layers.LinkType, error) {
	if err := rd.skipPending(); err != nil {
		return nil, gopacket.CaptureInfo{}, 0, &ReadError{Packet: rd.index, Offset: rd.offset(), Reason: describeReadErr(err)}
	}
	rd.start = rd.offset()
	var (
		data []byte
		ci   gopacket.CaptureInfo
		err  error
		lt   layers.LinkType
	)
	rd.blockLen, rd.blockOff = 0, 0
	big, err := rd.peekBig()
	var re *ReadError
	if errors.As(err, &re) {
		return nil, ci, lt, re
	}
	if big != nil {
		rd.index++
		return big.data, big.ci, big.lt, nil
	}
	if err != nil {
		return nil, ci, lt, &ReadError{Packet: rd.index, Offset: rd.start, Reason: describeReadErr(err)}
	}
	if rd.ng != nil {
		data, ci, err = rd.ng.ZeroCopyReadPacketData()
		if err == nil {
			iface, ierr := rd.ng.Interface(ci.InterfaceIndex)
			if ierr != nil {
				err = fmt.Errorf("packet names interface %d, which the file never described", ci.InterfaceIndex)
			}
			lt = iface.LinkType
		}
	} else {
		data, ci, err = rd.pcap.ZeroCopyReadPacketData()
		lt = rd.pcap.LinkType()
	}
	if err != nil {
		// pcapgo returns io.EOF at the end of the file, and also when a
		// pcap file ends right after a record header. In a pcapng file it
		// may have skipped blocks that hold no packet (custom, statistics,
		// obsolete packet blocks) before the end, so only a pcap file can
		// be checked for a cut at the last record.
		if err == io.EOF && (rd.ng != nil || rd.offset() == rd.start) {
			return nil, ci, lt, io.EOF
		}
		reason := describeReadErr(err)
		if rd.blockLen > 0 && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)) {
			reason = fmt.Sprintf("pcapng block length %d at offset %d runs past the end of the file (a corrupt length, or a truncated capture)", rd.blockLen, rd.blockOff)
			return nil, ci, lt, &ReadError{Packet: rd.index, Offset: rd.blockOff, Reason: reason}
		}
		return nil, ci, lt, &ReadError{Packet: rd.index, Offset: rd.start, Reason: reason}
	}
	rd.index++
	return data, ci, lt, nil
}

func describeReadErr(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "file ends in the middle of a record (truncated capture)"
	}
	return "corrupt record: " + err.Error()
}
