package logs

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/textutil"
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

// signalWriter records what is written and closes first at the first write.
type signalWriter struct {
	bytes.Buffer
	first chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	select {
	case <-w.first:
	default:
		close(w.first)
	}
	return w.Buffer.Write(p)
}

// TestProgressLineCountsEarlierParts: a read that is one part of a larger
// one (a --db load in groups) counts the earlier parts' files, events and
// bytes in its progress line, of the whole's files.
func TestProgressLineCountsEarlierParts(t *testing.T) {
	w := &signalWriter{first: make(chan struct{})}
	data := strings.Repeat(fwLine+"\n", 10)
	var ins []Input
	for _, name := range []string{"a", "b"} {
		ins = append(ins, Input{Name: name, Key: name, Open: func(ctx context.Context) (io.ReadCloser, error) {
			select { // the progress line has been shown, so it is shown at the end too
			case <-w.first:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return io.NopCloser(strings.NewReader(data)), nil
		}})
	}
	opt := Options{Progress: w, ProgressEvery: time.Millisecond, Before: Progress{Files: 3, Events: 100, Bytes: 1000}, FilesTotal: 9}
	var events int64
	var rep Report
	if err := ReadAll(context.Background(), ins, opt, &rep, func(b []event.Event) error {
		events += int64(len(b))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(w.String(), "\r", "\n")), "\n")
	last := lines[len(lines)-1]
	want := fmt.Sprintf("read 5/9 files, %d events, %s", 100+events, textutil.Size(1000+int64(2*len(data))))
	if events != 20 || last != want {
		t.Errorf("%d events; last progress line %q, want %q", events, last, want)
	}
}
