package pcaprender

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/pcap/synth"
	"github.com/pathproof/pathproof/internal/render"
)

// TestJSONStreamsWhatRenderJSONWrites: the streamed document equals
// render.JSON of the whole Report, for a capture with connections, one
// whose connections the filter drops, one with no connection at all and
// one cut short.
func TestJSONStreamsWhatRenderJSONWrites(t *testing.T) {
	var demo bytes.Buffer
	if err := synth.Demo(&demo); err != nil {
		t.Fatal(err)
	}
	empty := new(bytes.Buffer)
	if _, err := synth.New(empty, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
		keep func(*pcap.Connection) bool
	}{
		{"every connection", demo.Bytes(), nil},
		{"filter drops all", demo.Bytes(), func(*pcap.Connection) bool { return false }},
		{"only tcp", demo.Bytes(), func(c *pcap.Connection) bool { return c.Protocol == "tcp" }},
		{"no connection", empty.Bytes(), nil},
		{"cut short", demo.Bytes()[:demo.Len()-10], nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			whole, err := pcap.Analyze(bytes.NewReader(c.data), pcap.Options{File: "x.pcap"})
			if err != nil {
				t.Fatal(err)
			}
			if c.keep != nil {
				kept := []pcap.Connection{}
				for _, conn := range whole.Connections {
					if c.keep(&conn) {
						kept = append(kept, conn)
					}
				}
				whole.Connections = kept
			}
			var want bytes.Buffer
			if err := render.JSON(&want, whole); err != nil {
				t.Fatal(err)
			}
			sum := pcap.NewSummary(pcap.SummaryOptions{Keep: c.keep, All: true})
			defer sum.Close()
			rep, err := pcap.Stream(bytes.NewReader(c.data), pcap.Options{File: "x.pcap"}, sum.Add)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := JSON(&got, rep, sum); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want.String(), got.String()); d != "" {
				t.Errorf("streamed JSON differs (-render.JSON +streamed):\n%s", d)
			}
		})
	}
}
