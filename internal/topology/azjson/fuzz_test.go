package azjson

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/armset"
)

// FuzzDecodeAzureJSON feeds arbitrary bytes through the dialect
// normaliser, the per-type extraction and the mapping to the model: none
// may panic.
func FuzzDecodeAzureJSON(f *testing.F) {
	for _, name := range []string{"design.arm.json", "design.az.json"} {
		f.Add(exportSeed(f, name))
	}
	for _, s := range [][]byte{
		[]byte(`{"data":[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"microsoft.network/virtualnetworks","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"a","properties":{"addressPrefix":"10.0.0.0/24"}}]}}]}`),
		[]byte(`{"parameters":{},"responses":{"200":{"body":{"nextHopType":"VnetLocal","routeTableId":"System Route"}}}}`),
		[]byte(`{"value":[{"source":"Default","state":"Active","addressPrefix":["0.0.0.0/0"],"nextHopType":"Internet"}]}`),
		[]byte(`{"data":{"columns":[{"name":"id"},{"name":"type"}],"rows":[["x","microsoft.network/routetables"]]}}`),
		[]byte(`[{"type":"Microsoft.Network/networkInterfaces","ipConfigurations":[{"privateIPAddress":"10.0.0.4/28","subnet":"bad"}]}]`),
		[]byte(`[1,null,"x",{"properties":[]}]`),
		[]byte(`[{"type":"Microsoft.Network/networkInterfaces","name":"n","dnsSettings":{"dnsServers":["AzureProvidedDNS","10.0.0.4","x",7]},"ipConfigurations":[{"privateIPAddress":"10.0.0.5"}]}]`),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Decode(data)
		if err != nil {
			return
		}
		var s armset.Set
		for _, r := range doc.Resources {
			_, _ = add(&s, "fuzz.json", r)
		}
		n, _ := s.Network()
		n.Index()
		n.Validate(&topology.Diagnostics{})
	})
}

// exportSeed reads a golden export of the export package's test design
// (one network using every resource kind), a seed for the fuzzers.
func exportSeed(f *testing.F, name string) []byte {
	data, err := os.ReadFile(filepath.Join("..", "export", "testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	return data
}
