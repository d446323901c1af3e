package trace

import (
	"fmt"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology/topogen"
)

// vwanQueries go from a NIC of one spoke to a NIC of another in the
// Virtual WAN variant: half to a spoke of the same secured hub, half to
// one of the other hub.
func vwanQueries(spokes, n int) []Query {
	var qs []Query
	for i := range n {
		a := i % spokes
		b := (a + 2 + 2*(i%17)) % spokes // same hub
		if i%2 == 1 {
			b = (a + 1 + 2*(i%13)) % spokes // the other hub
		}
		qs = append(qs, Query{From: fmt.Sprintf("nic:spoke%04d-s%02d-nic%03d", a, i%10, i%5), Dst: topogen.NICIP(b, (i/10)%10, (i/3)%5), DstPort: 443, SrcPort: uint16(40000 + i)})
	}
	return qs
}

// TestVWANSpokeTraces checks the Virtual WAN variant answers as routing
// intent says: spoke to spoke crosses the source hub's firewall, and the
// destination hub's firewall too when the spokes sit on different hubs,
// both ways, without findings.
func TestVWANSpokeTraces(t *testing.T) {
	net := benchNetSpec(t, topogen.Spec{Spokes: 20, SubnetsPerSpoke: 10, NICsPerSubnet: 5, VWAN: true})
	e := azure.New(net, azure.Options{})
	for i, q := range vwanQueries(20, 8) {
		r, err := TraceEngine(e, q)
		if err != nil {
			t.Fatal(err)
		}
		fwd := r.Forward.Tokens()
		want := []string{q.From, "hub:vhub1", "firewall:fw-vhub1"}
		if (i%20)%2 == 1 {
			want = []string{q.From, "hub:vhub2", "firewall:fw-vhub2"}
		}
		if r.Forward.Result != ResultDelivered || r.Return.Result != ResultDelivered || len(r.Findings) != 0 ||
			len(fwd) < 4 || fwd[1] != want[1] || fwd[2] != want[2] || !contains(r.Return.Tokens(), want[2]) {
			t.Errorf("query %d %+v: forward %s %v %+v, return %s %v, findings %+v", i, q, r.Forward.Result, fwd, r.Forward.Drop, r.Return.Result, r.Return.Tokens(), r.Findings)
		}
		if i%2 == 1 && len(fwd) != 6 {
			t.Errorf("query %d: inter-hub flow should cross both hubs and both firewalls, got %v", i, fwd)
		}
	}
}

// BenchmarkTraceVWAN is BenchmarkTrace on the Virtual WAN variant: spoke
// to spoke through one or both secured hubs.
func BenchmarkTraceVWAN(b *testing.B) {
	n := benchSpokes()
	benchTraces(b, benchNetSpec(b, topogen.Spec{Spokes: n, SubnetsPerSpoke: 10, NICsPerSubnet: 5, VWAN: true}), vwanQueries(n, 999), true)
}
