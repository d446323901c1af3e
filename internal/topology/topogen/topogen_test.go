package topogen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/load"
)

func TestGenerateValidatesAndRoundTrips(t *testing.T) {
	n := generateValid(t, Spec{Spokes: 20, SubnetsPerSpoke: 3, NICsPerSubnet: 2})
	if len(n.VNets) != 21 || len(n.NICs) != 20*3*2+1 {
		t.Fatalf("sizes: %d vnets, %d nics", len(n.VNets), len(n.NICs))
	}
	for _, c := range []struct {
		name string
		enc  func(*topology.Network) ([]byte, error)
	}{{"gen.yaml", YAML}, {"gen.json", JSON}} {
		m := reload(t, n, c.name, c.enc)
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
	n := generateValid(t, Spec{Spokes: 10, SubnetsPerSpoke: 2, NICsPerSubnet: 1, VWAN: true})
	if len(n.VNets) != 10 || len(n.Peerings) != 0 || len(n.VirtualHubs) != 2 ||
		len(n.VirtualHubs[0].Connections) != 6 || len(n.VirtualHubs[1].Connections) != 5 {
		t.Fatalf("sizes: %d vnets, %d peerings, %d hubs", len(n.VNets), len(n.Peerings), len(n.VirtualHubs))
	}
	m := reload(t, n, "vwan.json", JSON)
	if h := m.VirtualHub("vhub2"); h == nil || h.RoutingIntent == nil || h.RoutingIntent.PrivateNextHop != "fw-vhub2" || m.Firewall("fw-vhub2").PrivateIP != HubFirewallIP(1) {
		t.Fatalf("round trip lost the hub or its routing intent: %+v", h)
	}
}

// generateValid generates spec and fails t unless the network validates.
func generateValid(t *testing.T, spec Spec) *topology.Network {
	t.Helper()
	n, err := Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	d := &topology.Diagnostics{}
	n.Validate(d)
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// reload writes n with enc to a file called name and loads it back as a
// user would.
func reload(t *testing.T, n *topology.Network, name string, enc func(*topology.Network) ([]byte, error)) *topology.Network {
	t.Helper()
	b, err := enc(n)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	m, _, err := load.Load(p)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}
