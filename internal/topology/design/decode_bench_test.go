package design_test

import (
	"encoding/json"
	"testing"

	gojson "github.com/goccy/go-json"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/topogen"
)

// genJSON is a generated 200-spoke design as JSON (1.4 MB).
func genJSON(b *testing.B) []byte {
	g, err := topogen.Generate(topogen.Spec{Spokes: 200, SubnetsPerSpoke: 10, NICsPerSubnet: 5})
	if err != nil {
		b.Fatal(err)
	}
	data, err := topogen.JSON(g)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkDesignJSONDecode decodes a large design JSON the way
// parseDesignJSON does, with goccy/go-json and with encoding/json: the
// reason the design format's JSON path keeps goccy/go-json (figures in
// docs/PERFORMANCE.md).
func BenchmarkDesignJSONDecode(b *testing.B) {
	data := genJSON(b)
	for _, c := range []struct {
		name string
		f    func([]byte, any) error
	}{{"gojson", gojson.Unmarshal}, {"encoding-json", json.Unmarshal}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var doc struct {
					Topology *topology.Network `json:"topology"`
				}
				if err := c.f(data, &doc); err != nil {
					b.Fatal(err)
				}
				if doc.Topology == nil {
					n := &topology.Network{}
					if err := c.f(data, n); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
