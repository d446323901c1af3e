package pcap

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/pcap/synth"
)

// benchCapture writes a capture of about n packets over many interleaved
// HTTP connections.
func benchCapture(b *testing.B, conns int) []byte {
	b.Helper()
	var buf bytes.Buffer
	c, err := synth.New(&buf, t0)
	if err != nil {
		b.Fatal(err)
	}
	body := make([]byte, 1200)
	req := []byte("GET /x HTTP/1.1\r\nHost: h\r\n\r\n")
	resp := append([]byte("HTTP/1.1 200 OK\r\n\r\n"), body...)
	ks := make([]*synth.Conn, conns)
	for i := range ks {
		ks[i] = c.NewConn(netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}), 40000), netip.MustParseAddrPort("10.2.0.1:80"), time.Millisecond)
		if err := ks[i].Handshake(); err != nil {
			b.Fatal(err)
		}
	}
	for r := 0; r < 5; r++ {
		for _, k := range ks {
			if err := k.ClientSend(req); err != nil {
				b.Fatal(err)
			}
			if err := k.ServerSend(resp); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, k := range ks {
		if err := k.Close(); err != nil {
			b.Fatal(err)
		}
	}
	return buf.Bytes()
}

// BenchmarkAnalyze measures packets per second through the whole pipeline
// (reader, decoder, tracker, HTTP) with 2000 connections open at once.
func BenchmarkAnalyze(b *testing.B) {
	data := benchCapture(b, 2000)
	b.ReportAllocs()
	benchAnalyze(b, data)
}

// benchAnalyze analyses the capture data once per iteration and reports
// bytes and packets per second.
func benchAnalyze(b *testing.B, data []byte) {
	var packets int
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, err := Analyze(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		packets = r.Packets
	}
	b.ReportMetric(float64(packets)*float64(b.N)/b.Elapsed().Seconds(), "packets/s")
}

// BenchmarkDecode measures the decoder alone on one TCP data frame.
func BenchmarkDecode(b *testing.B) {
	data := benchCapture(b, 1)
	// Walk to the 4th record (the client's first data segment).
	off := 24
	for range 3 {
		off += 16 + int(binary.LittleEndian.Uint32(data[off+8:]))
	}
	n := int(binary.LittleEndian.Uint32(data[off+8:]))
	frame := data[off+16 : off+16+n]
	var check pkt
	if why := newDecoder().decode(1, frame, &check); why != "" || check.payloadLen == 0 {
		b.Fatalf("not a data segment: %q %+v", why, check)
	}
	d := newDecoder()
	var p pkt
	b.ReportAllocs()
	for b.Loop() {
		d.decode(1, frame, &p)
	}
}

// benchFile returns the capture named by PATHPROOF_BENCH_PCAP; the
// benchmark is skipped when it is unset.
func benchFile(b *testing.B) []byte {
	b.Helper()
	path := os.Getenv("PATHPROOF_BENCH_PCAP")
	if path == "" {
		b.Skip("set PATHPROOF_BENCH_PCAP to a capture file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkAnalyzeFile analyses the capture named by PATHPROOF_BENCH_PCAP
// (for instance one written by bench/pcapgen); it is skipped when unset.
func BenchmarkAnalyzeFile(b *testing.B) {
	data := benchFile(b)
	benchAnalyze(b, data)
}

// BenchmarkReadFile reads (without decoding) every record of the capture
// named by PATHPROOF_BENCH_PCAP; it is skipped when unset.
func BenchmarkReadFile(b *testing.B) {
	data := benchFile(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		rd, err := openReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, _, _, err := rd.next(); err != nil {
				break
			}
		}
	}
}
