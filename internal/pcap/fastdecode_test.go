package pcap

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/pathproof/pathproof/internal/testenv"
)

// checkFastDecode fails when decodeEthernetIPv4TCP takes frame and fills
// anything other than what gopacket's layers give; it reports whether the
// fast path took the frame.
func checkFastDecode(t *testing.T, frame []byte) bool {
	t.Helper()
	var fast, slow pkt
	if !decodeEthernetIPv4TCP(frame, &fast) {
		return false
	}
	if why := newDecoder().decodeLayers(layers.LinkTypeEthernet, frame, &slow); why != "" {
		t.Fatalf("fast path took a frame gopacket skips (%s): %x", why, frame)
	}
	if !bytes.Equal(fast.payload, slow.payload) || (fast.payload == nil) != (slow.payload == nil) {
		t.Fatalf("payload %x, gopacket %x: frame %x", fast.payload, slow.payload, frame)
	}
	fast.payload, slow.payload = nil, nil
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fast %+v\ngopacket %+v\nframe %x", fast, slow, frame)
	}
	return true
}

// ethFrames returns the Ethernet frames of a pcap or pcapng capture, up to
// its end or first damaged record.
func ethFrames(t testing.TB, data []byte) [][]byte {
	t.Helper()
	rd, err := openReader(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	var out [][]byte
	for {
		frame, _, lt, err := rd.next()
		if err != nil { // io.EOF or a damaged record: the frames so far
			return out
		}
		if lt == layers.LinkTypeEthernet {
			out = append(out, bytes.Clone(frame))
		}
	}
}

// synFrame is an Ethernet IPv4 TCP SYN whose options are opts.
func synFrame(opts ...byte) []byte {
	for len(opts)%4 != 0 {
		opts = append(opts, 1)
	}
	f := make([]byte, 14+20+20, 14+20+20+len(opts)+8)
	binary.BigEndian.PutUint16(f[12:], 0x0800)
	ip := f[14:]
	ip[0], ip[9] = 0x45, 6
	binary.BigEndian.PutUint16(ip[2:], uint16(40+len(opts)))
	binary.BigEndian.PutUint16(ip[6:], 0x4000) // don't fragment
	copy(ip[12:], []byte{10, 0, 0, 1, 10, 0, 0, 2})
	tcp := ip[20:]
	binary.BigEndian.PutUint16(tcp[0:], 40000)
	binary.BigEndian.PutUint16(tcp[2:], 443)
	tcp[12], tcp[13] = byte((20+len(opts))/4)<<4, flagSYN
	f = append(f, opts...)
	return f
}

// fastSeeds are frames at the edges of what the fast path takes.
func fastSeeds() [][]byte {
	padded := append(synFrame(2, 4, 5, 0xb4), 0, 0, 0, 0, 0, 0) // Ethernet padding after the IP length
	withOpt := synFrame(2, 4, 5, 0xb4)
	withOpt[14] = 0x46 // IPv4 options
	tso := synFrame()
	binary.BigEndian.PutUint16(tso[16:], 0)
	frag := synFrame()
	binary.BigEndian.PutUint16(frag[20:], 0x2000)
	return [][]byte{
		synFrame(),
		synFrame(2, 4, 5, 0xb4),
		synFrame(1, 1, 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7, 2, 4, 1, 2), // two MSS: the last counts
		synFrame(2, 4, 5, 0xb4, 0, 2, 4, 1, 2),                                                     // end of list before a second MSS
		synFrame(2, 3, 5, 2, 4, 1, 2),                                                              // MSS of the wrong length, then one cut by the area
		synFrame(8, 1, 2, 4, 5, 0xb4),                                                              // a length below 2 stops the options
		synFrame(30, 4, 0, 0, 2, 4, 5, 0xb4),                                                       // MPTCP: gopacket's
		synFrame(2, 4, 5, 0xb4, 30, 12, 0x00, 1),                                                   // MPTCP after the MSS
		padded, withOpt, tso, frag,
	}
}

// TestFastDecodeMatchesLayers: on every Ethernet frame of the demo, a
// sequential capture, the shared captures and frames at the edges, the fast
// path fills what gopacket's layers fill, and it takes most TCP frames.
func TestFastDecodeMatchesLayers(t *testing.T) {
	frames := append(ethFrames(t, demoBytes(t)), ethFrames(t, sequential(t, 200).Bytes())...)
	frames = append(frames, fastSeeds()...)
	took := 0
	for _, f := range frames {
		if checkFastDecode(t, f) {
			took++
		}
	}
	if took < len(frames)/2 {
		t.Fatalf("the fast path took %d of %d frames", took, len(frames))
	}
	t.Run("shared", func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join(testenv.Shared(t, "pcap"), "*.pcap*"))
		n := 0
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range ethFrames(t, data) {
				if checkFastDecode(t, f) {
					n++
				}
			}
		}
		if n < 100 {
			t.Fatalf("the fast path took %d frames of %d shared captures: too few to check", n, len(files))
		}
	})
}

// FuzzFastDecode: whatever frame the fast path takes, it fills what
// gopacket's layers fill.
func FuzzFastDecode(f *testing.F) {
	for _, s := range fastSeeds() {
		f.Add(s)
	}
	for _, s := range ethFrames(f, demoBytes(f))[:20] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		checkFastDecode(t, frame)
	})
}
