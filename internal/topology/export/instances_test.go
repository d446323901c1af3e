package export_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/design"
	"github.com/pathproof/pathproof/internal/topology/export"
	"github.com/pathproof/pathproof/internal/topology/load"
)

// TestGatewayInstancesRoundTrip: a gateway's instance addresses and MACs
// (which map its instances' VNet flow-log records to it) survive an ARM
// and az CLI export (as pathproof tags) and come back with the MACs as
// flow logs spell them.
func TestGatewayInstancesRoundTrip(t *testing.T) {
	n, err := design.Parse("design.yaml", []byte(`topology:
  vnets:
    - name: hub
      address_space: [10.10.0.0/16]
      subnets:
        - {name: GatewaySubnet, prefix: 10.10.255.0/27}
  gateways:
    - {name: gw-hub, vnet: hub, type: Vpn, sku: VpnGw2, public_ip: 20.10.0.20, instance_ips: [10.10.255.4, 10.10.255.5], instance_macs: [00-0d-3a-00-00-f1, 000D3A0000F2]}
`))
	if err != nil {
		t.Fatal(err)
	}
	n.Finish(&topology.Diagnostics{})
	for _, c := range []struct {
		name  string
		write func(*topology.Network) ([]byte, []string, error)
	}{{"arm", export.ARM}, {"az-cli", export.AZCLI}} {
		t.Run(c.name, func(t *testing.T) {
			data, _, err := c.write(n)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), "network.json")
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			back, _, err := load.Load(p)
			if err != nil {
				t.Fatal(err)
			}
			g := back.Gateway("gw-hub")
			if g == nil {
				t.Fatal("gateway gw-hub not read back")
			}
			if want := []string{"000D3A0000F1", "000D3A0000F2"}; !slices.Equal(g.InstanceMACs, want) {
				t.Errorf("instance MACs %q, want %q", g.InstanceMACs, want)
			}
			if len(g.InstanceIPs) != 2 || g.InstanceIPs[0].String() != "10.10.255.4" {
				t.Errorf("instance IPs %v", g.InstanceIPs)
			}
		})
	}
}
