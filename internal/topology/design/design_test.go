package design

import (
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
)

func FuzzParseDesign(f *testing.F) {
	f.Add([]byte("vnets:\n  - {name: a, address_space: [10.0.0.0/16]}\n"))
	f.Add([]byte("topology:\n  nics: [{name: n, ip: 1.2.3.4}]\n"))
	f.Add([]byte("topology: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse("f.yaml", data)
		if err != nil {
			return
		}
		d := &topology.Diagnostics{}
		n.Finish(d)
	})
}

func FuzzParseDesignJSON(f *testing.F) {
	f.Add([]byte(`{"vnets":[{"name":"a","address_space":["10.0.0.0/16"],"subnets":[null,{"name":"s","prefix":"10.0.1.0/24"}]}],"asgs":["x",{"name":"y"}]}`))
	f.Add([]byte(`{"topology":{"nics":[{"name":"n","ip":"1.2.3.4"}]}}`))
	f.Add([]byte(`{"vnets":[{"address_space":["bad"]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse("f.json", data)
		if err != nil {
			return
		}
		n.Finish(&topology.Diagnostics{})
	})
}
