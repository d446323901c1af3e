package logs

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

// TestProgressReachesTheInputSize: the bytes a read reports end at the
// input's size as stored (compressed for gzip), whatever its framing or
// format, including the values after the last 64-value tick.
func TestProgressReachesTheInputSize(t *testing.T) {
	jsonl := strings.Repeat(fwLine+"\n", 100)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(jsonl))
	zw.Close()
	for _, tc := range []struct{ name, data string }{
		{"json lines, 100 records", jsonl},
		{"gzip", gz.String()},
		{"blob envelope", `{"records":[` + vnetRec + `,` + vnetRec + `]}`},
		{"unknown format", "hello world\n"},
		{"empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var last int64
			in := Input{Name: "x", Key: "x", Open: func(context.Context) (io.ReadCloser, error) {
				return io.NopCloser(strings.NewReader(tc.data)), nil
			}}
			var tl tally
			var ev event.Event
			err := readInput(context.Background(), in, &tl, func(*event.Event) error { return nil },
				func(n int64) { last = n }, func() *event.Event { return &ev })
			if err != nil {
				t.Fatal(err)
			}
			if last != int64(len(tc.data)) {
				t.Errorf("progress ended at %d bytes, the input has %d", last, len(tc.data))
			}
		})
	}
}
