package pcap

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// udpFrame is an Ethernet/IPv4/UDP frame with n bytes of payload.
func udpFrame(n int) []byte {
	ip := []byte{0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x03, 0xe8, 0, 53, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(ip[2:], uint16(min(28+n, 65535)))
	binary.BigEndian.PutUint16(ip[24:], uint16(min(8+n, 65535)))
	f := append([]byte{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00}, ip...)
	return append(f, make([]byte, n)...)
}

var ts0 = time.Unix(1700000000, 0)

// bigPcap is a pcap declaring snaplen 0xFFFFFFFF with one packet of big
// bytes, then a normal one.
func bigPcap(t *testing.T, big int) []byte {
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	if err := w.WriteFileHeader(0xFFFFFFFF, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for _, f := range [][]byte{udpFrame(big), udpFrame(10)} {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts0, CaptureLength: len(f), Length: len(f)}, f); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// ngFile is a pcapng with one Ethernet interface and frames; it returns
// the file and the offset of the first packet block.
func ngFile(t *testing.T, frames ...[]byte) ([]byte, int) {
	var b bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&b, pcapgo.NgInterface{LinkType: layers.LinkTypeEthernet}, pcapgo.DefaultNgWriterOptions)
	if err != nil {
		t.Fatal(err)
	}
	w.Flush()
	first := b.Len()
	for _, f := range frames {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts0, CaptureLength: len(f), Length: len(f)}, f); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return b.Bytes(), first
}

// TestPacketCappedAtMaxPacket: a packet longer than 256 KiB is read up to
// MaxPacket and counted as cut; the packet after it is read normally. In
// pcapng the huge packet comes first (right after the interface block, in
// the same read) or after another packet.
func TestPacketCappedAtMaxPacket(t *testing.T) {
	ngFirst, _ := ngFile(t, udpFrame(1<<20), udpFrame(10), udpFrame(10))
	ngLater, _ := ngFile(t, udpFrame(10), udpFrame(1<<20), udpFrame(10))
	cases := map[string][]byte{"pcap": bigPcap(t, 1<<20), "pcapng first": ngFirst, "pcapng": ngLater}
	// Compressed, the same: pcapgo decompressed a gzip pcap itself and read
	// the huge packet whole (#18).
	for name, data := range map[string][]byte{"pcap": cases["pcap"], "pcapng": ngLater} {
		cases[name+".gz"] = gzipped(t, data)
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			r, err := Analyze(bytes.NewReader(data), Options{File: "big." + name})
			if err != nil {
				t.Fatal(err)
			}
			want := 3
			if strings.HasPrefix(name, "pcap") && !strings.HasPrefix(name, "pcapng") {
				want = 2
			}
			if r.ReadError != nil || r.Packets != want || r.SnaplenCut != 1 {
				t.Fatalf("packets %d, cut %d, read error %v; want %d packets, 1 cut, no error", r.Packets, r.SnaplenCut, r.ReadError, want)
			}
			if len(r.Connections) != 1 || r.Connections[0].Packets != want {
				t.Errorf("connections %+v, want one UDP exchange of %d packets", r.Connections, want)
			}
		})
	}
}

// TestPcapngBogusBlockLength: a block length that cannot be (0, 7, 12 for
// a packet, odd, 2 GB) is reported as such, with its offset, not as "file
// ends in the middle of a record".
func TestPcapngBogusBlockLength(t *testing.T) {
	good, off := ngFile(t, udpFrame(10), udpFrame(10))
	for _, tc := range []struct {
		length uint32
		want   string
	}{
		{0, "invalid pcapng block length 0 (block type 0x6)"},
		{7, "invalid pcapng block length 7"},
		{13, "invalid pcapng block length 13"},
		{12, "block length"},
		{1 << 31, "pcapng block length 2147483648 at offset"},
	} {
		data := append([]byte(nil), good...)
		binary.LittleEndian.PutUint32(data[off+4:], tc.length)
		r, err := Analyze(bytes.NewReader(data), Options{File: "bogus.pcapng"})
		if err != nil {
			t.Fatal(err)
		}
		if r.ReadError == nil || !strings.Contains(r.ReadError.Reason, tc.want) || r.ReadError.Offset != int64(off) {
			t.Errorf("length %d: read error %+v, want %q at offset %d", tc.length, r.ReadError, tc.want, off)
		}
	}
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
