package topogen

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/load"
)

// benchSpokes sizes the Go benchmarks (bench/model.sh runs 1,000).
var benchSpokes = 200

// benchNet loads a 200-spoke topology (2,000 subnets, 10,000 NICs) from
// design JSON; bench/model.sh runs the full 1,000-spoke size.
func benchNet(b *testing.B) (string, *topology.Network) {
	b.Helper()
	g, err := Generate(Spec{Spokes: benchSpokes, SubnetsPerSpoke: 10, NICsPerSubnet: 5})
	if err != nil {
		b.Fatal(err)
	}
	data, err := JSON(g)
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "gen.json")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		b.Fatal(err)
	}
	n, _, err := load.Load(p)
	if err != nil {
		b.Fatal(err)
	}
	return p, n
}

func BenchmarkLoadDesignJSON(b *testing.B) {
	p, _ := benchNet(b)
	for b.Loop() {
		if _, _, err := load.Load(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEffectiveRoutesAllSubnets(b *testing.B) {
	_, n := benchNet(b)
	for b.Loop() {
		azure.New(n, azure.Options{})
	}
}

func BenchmarkNextHop(b *testing.B) {
	_, n := benchNet(b)
	e := azure.New(n, azure.Options{})
	src, dst := NICIP(10, 1, 1), NICIP(150, 2, 3)
	for b.Loop() {
		if _, err := e.NextHop(src, dst); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIPFlowVerify(b *testing.B) {
	_, n := benchNet(b)
	e := azure.New(n, azure.Options{})
	nic := n.NIC("spoke0010-s01-nic001")
	f := azure.Flow{Direction: azure.Inbound, Protocol: "TCP", LocalIP: nic.IP, LocalPort: 22, RemoteIP: netip.MustParseAddr("10.0.2.4"), RemotePort: 50000}
	for b.Loop() {
		if _, err := e.IPFlowVerify(nic, f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEffectiveRoutesVWAN is BenchmarkEffectiveRoutesAllSubnets on
// the Virtual WAN variant (two secured hubs with routing intent): every
// hub table, connection view and subnet's effective routes.
func BenchmarkEffectiveRoutesVWAN(b *testing.B) {
	n, err := Generate(Spec{Spokes: benchSpokes, SubnetsPerSpoke: 10, NICsPerSubnet: 5, VWAN: true})
	if err != nil {
		b.Fatal(err)
	}
	var d topology.Diagnostics
	n.Finish(&d)
	for b.Loop() {
		azure.New(n, azure.Options{})
	}
}
