package pcap

import (
	"bytes"
	"testing"
)

// BenchmarkConnectionJSONIndented encodes every connection of a capture of
// short connections as the Sorter does.
func BenchmarkConnectionJSONIndented(b *testing.B) {
	rep, err := Analyze(bytes.NewReader(sequential(b, 500).Bytes()), Options{})
	if err != nil {
		b.Fatal(err)
	}
	var buf []byte
	n := 0
	for b.Loop() {
		for i := range rep.Connections {
			buf, _ = appendConnectionJSONIndented(buf[:0], &rep.Connections[i], elemBase)
			n += len(buf)
		}
	}
	b.SetBytes(int64(n / b.N))
}
