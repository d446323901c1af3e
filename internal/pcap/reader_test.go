package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"

	"github.com/pathproof/pathproof/internal/pcap/synth"
)

// recodePcap rewrites a little-endian microsecond pcap in the given byte
// order and resolution (nanosecond fractions are the microseconds times
// 1000, plus extra), setting the fraction of every 5th record to extra
// alone (for microseconds an invalid value above 10^6 whose scaling
// overflows 32 bits, as pcapgo computes it).
func recodePcap(t *testing.T, in []byte, order binary.ByteOrder, nanos bool, extra uint32) []byte {
	t.Helper()
	le := binary.LittleEndian
	magic := uint32(0xa1b2c3d4)
	if nanos {
		magic = 0xa1b23c4d
	}
	out := make([]byte, 24, len(in))
	order.PutUint32(out[0:], magic)
	order.PutUint16(out[4:], le.Uint16(in[4:]))
	order.PutUint16(out[6:], le.Uint16(in[6:]))
	for i := 8; i < 24; i += 4 {
		order.PutUint32(out[i:], le.Uint32(in[i:]))
	}
	for pos, k := 24, 0; pos+16 <= len(in); k++ {
		caplen := int(le.Uint32(in[pos+8:]))
		var h [16]byte
		frac := le.Uint32(in[pos+4:])
		if nanos {
			frac = frac*1000 + extra%1000
		}
		if k%5 == 4 {
			frac = extra
		}
		order.PutUint32(h[0:], le.Uint32(in[pos:]))
		order.PutUint32(h[4:], frac)
		order.PutUint32(h[8:], uint32(caplen))
		order.PutUint32(h[12:], le.Uint32(in[pos+12:]))
		out = append(out, h[:]...)
		out = append(out, in[pos+16:min(pos+16+caplen, len(in))]...)
		pos += 16 + caplen
	}
	return out
}

// TestReaderReadsAsPcapgo: the records the reader takes from its read
// buffer itself (peekPcap) are those pcapgo reads, with the same capture
// info and link type, in both byte orders and resolutions, with fractions
// out of range, and up to a record cut by the end of the file, which both
// report at the same packet.
func TestReaderReadsAsPcapgo(t *testing.T) {
	var demo bytes.Buffer
	if err := synth.Demo(&demo); err != nil {
		t.Fatal(err)
	}
	seq := sequential(t, 3000).Bytes() // more than one read buffer
	for _, base := range [][]byte{demo.Bytes(), seq} {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			for _, nanos := range []bool{false, true} {
				for _, extra := range []uint32{999999, 4294967295} {
					full := recodePcap(t, base, order, nanos, extra)
					for _, data := range [][]byte{full, full[:len(full)-7]} {
						checkReaderAsPcapgo(t, data)
					}
				}
			}
		}
	}
}

func checkReaderAsPcapgo(t *testing.T, data []byte) {
	t.Helper()
	rd, err := openReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	pg, err := pcapgo.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	n, fast := 0, 0
	for ; ; n++ {
		want, wci, werr := pg.ReadPacketData()
		rd.rec = record{}
		got, gci, lt, gerr := rd.next()
		if rd.rec.data != nil && gerr == nil {
			fast++
		}
		if werr != nil || gerr != nil {
			var re *ReadError
			wantEOF := errors.Is(werr, io.EOF)
			switch {
			case werr == nil:
				t.Fatalf("record %d: pcapgo reads it, reader says %v", n, gerr)
			case wantEOF && !errors.Is(gerr, io.EOF):
				t.Fatalf("record %d: pcapgo ends, reader says %v", n, gerr)
			case !wantEOF && (!errors.As(gerr, &re) || re.Packet != n):
				t.Fatalf("record %d: pcapgo says %v, reader %v", n, werr, gerr)
			}
			break
		}
		if !bytes.Equal(got, want) || !gci.Timestamp.Equal(wci.Timestamp) || gci.CaptureLength != wci.CaptureLength ||
			gci.Length != wci.Length || gci.InterfaceIndex != wci.InterfaceIndex || lt != pg.LinkType() {
			t.Fatalf("record %d: got %v %+v, pcapgo %v %+v", n, lt, gci, pg.LinkType(), wci)
		}
		if gci.Timestamp.Location() != time.UTC {
			t.Fatalf("record %d: time in %v", n, gci.Timestamp.Location())
		}
	}
	if n < 10 || fast < n/2 {
		t.Fatalf("%d records, %d read from the buffer: the test reads too little", n, fast)
	}
}
