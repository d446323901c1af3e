package topogen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/load"
)

func TestGenerateValidatesAndRoundTrips(t *testing.T) {
	n, err := Generate(Spec{Spokes: 20, SubnetsPerSpoke: 3, NICsPerSubnet: 2})
	if err != nil {
		t.Fatal(err)
	}
	d := &topology.Diagnostics{}
	n.Validate(d)
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	if len(n.VNets) != 21 || len(n.NICs) != 20*3*2+1 {
		t.Fatalf("sizes: %d vnets, %d nics", len(n.VNets), len(n.NICs))
	}
	for _, c := range []struct {
		name string
		enc  func(*topology.Network) ([]byte, error)
	}{{"gen.yaml", YAML}, {"gen.json", JSON}} {
		b, err := c.enc(n)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), c.name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		m, _, err := load.Load(p)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(m.NICs) != len(n.NICs) || len(m.Peerings) != len(n.Peerings) || m.NIC("spoke0003-s01-nic001").IP != NICIP(3, 1, 1) ||
			m.RouteTable("rt-spoke0002").Routes[0].NextHopIP != FirewallIP || !m.Peerings[0].VNetAccess() {
			t.Fatalf("%s: round trip lost data: %d nics, %d peerings", c.name, len(m.NICs), len(m.Peerings))
		}
	}
	if _, err := Generate(Spec{Spokes: 0}); err == nil {
		t.Error("want an error for 0 spokes")
	}
}

// TestGenerateVWAN: the Virtual WAN variant validates, splits the spokes
// across two secured hubs and survives the design JSON round trip.
func TestGenerateVWAN(t *testing.T) {
	n, err := Generate(Spec{Spokes: 10, SubnetsPerSpoke: 2, NICsPerSubnet: 1, VWAN: true})
	if err != nil {
		t.Fatal(err)
	}
	d := &topology.Diagnostics{}
	n.Validate(d)
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	if len(n.VNets) != 10 || len(n.Peerings) != 0 || len(n.VirtualHubs) != 2 ||
		len(n.VirtualHubs[0].Connections) != 6 || len(n.VirtualHubs[1].Connections) != 5 {
		t.Fatalf("sizes: %d vnets, %d peerings, %d hubs", len(n.VNets), len(n.Peerings), len(n.VirtualHubs))
	}
	b, err := JSON(n)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "vwan.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	m, _, err := load.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if h := m.VirtualHub("vhub2"); h == nil || h.RoutingIntent == nil || h.RoutingIntent.PrivateNextHop != "fw-vhub2" || m.Firewall("fw-vhub2").PrivateIP != HubFirewallIP(1) {
		t.Fatalf("round trip lost the hub or its routing intent: %+v", h)
	}
}
