package terraform

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/armset"
)

// FuzzTerraformState feeds arbitrary bytes through the Terraform walker and
// the mapping to the model.
func FuzzTerraformState(f *testing.F) {
	tf, err := os.ReadFile(filepath.Join("..", "export", "testdata", "design.tfstate.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range [][]byte{tf, []byte(tfLBState), []byte(tfDNSState),
		[]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"azurerm_subnet.a","type":"azurerm_subnet","values":{"name":"a","virtual_network_name":"v","resource_group_name":"r","address_prefixes":["10.0.0.0/24"]}}]}}}`),
		[]byte(`{"format_version":"1.0","values":{"root_module":{"child_modules":[{"child_modules":[{"resources":[{"type":"azurerm_route","values":{}}]}]}]}}}`),
		[]byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"type":"azurerm_network_interface","values":{"ip_configuration":[{"private_ip_address":"x"}]}}]}}}`),
		[]byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"type":"azurerm_network_interface","values":{"name":"n","dns_servers":["10.0.0.4","bad",null],"ip_configuration":[{"private_ip_address":"10.0.0.5"}]}}]}}}`),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := Decode(data)
		if err != nil {
			return
		}
		var s armset.Set
		st.AddTo(&s, "fuzz.json")
		n, _ := s.Network()
		n.Index()
		n.Validate(&topology.Diagnostics{})
	})
}
