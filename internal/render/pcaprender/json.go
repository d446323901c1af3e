package pcaprender

import (
	"io"

	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/render"
)

// JSON writes the document render.JSON would write for rep with every
// connection s kept in Connections (s must keep all), streamed from the
// Summary's Sorter instead of held in memory. Connections is null when the
// capture had none, [] when s.Keep dropped every one.
func JSON(w io.Writer, rep *pcap.Report, s *pcap.Summary) error {
	o := render.NewObjectWriter(w)
	o.Member("file", rep.File)
	if rep.Format != "" {
		o.Member("format", rep.Format)
	}
	o.Member("packets", rep.Packets)
	if s.Total == 0 {
		o.Member("connections", nil)
	} else {
		o.RawArray("connections", func(add func([]byte) error) error { return s.EachJSON(add) })
	}
	o.Member("skipped", rep.Skipped)
	o.Member("snaplen_cut", rep.SnaplenCut)
	o.Member("read_error", rep.ReadError)
	return o.Close()
}

// JSONLines writes every connection s kept (s must keep all) as one JSON
// object per line, in the report's order; what the report says besides
// (skips, a read error) goes to stderr through Problems as for the table.
func JSONLines(w io.Writer, s *pcap.Summary) error {
	jl := render.NewJSONLines(w)
	return s.Each(func(c *pcap.Connection) error { return jl.Write(c) })
}
