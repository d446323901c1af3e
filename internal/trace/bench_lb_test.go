package trace

import (
	"fmt"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology/topogen"
)

// ilbQueries go from a NIC of one spoke to the internal load balancer
// frontend of another (through the hub firewall both ways).
func ilbQueries(spokes, n int) []Query {
	var qs []Query
	for i := range n {
		a, b := i%spokes, (i*7+3)%spokes
		if a == b {
			b = (b + 1) % spokes
		}
		qs = append(qs, Query{From: fmt.Sprintf("nic:spoke%04d-s%02d-nic%03d", a, 1+i%9, i%5), Dst: topogen.ILBFrontend(b), DstPort: 443, SrcPort: uint16(40000 + i)})
	}
	return qs
}

// TestILBSpokeTraces checks the ILB-per-spoke variant answers as designed:
// the request crosses the firewall and the spoke's load balancer to a
// member of s00, the reply comes back from the frontend address through
// the firewall.
func TestILBSpokeTraces(t *testing.T) {
	net := benchNetSpec(t, topogen.Spec{Spokes: 20, SubnetsPerSpoke: 10, NICsPerSubnet: 5, ILBPerSpoke: true})
	e := azure.New(net, azure.Options{})
	for i, q := range ilbQueries(20, 6) {
		r, err := TraceEngine(e, q)
		if err != nil {
			t.Fatal(err)
		}
		fwd := r.Forward.Tokens()
		if r.Forward.Result != ResultDelivered || r.Return.Result != ResultDelivered || len(r.Findings) != 0 ||
			len(fwd) != 4 || fwd[1] != "firewall:fw-hub" || fwd[2][:3] != "lb:" || !contains(r.Return.Tokens(), "firewall:fw-hub") {
			t.Errorf("query %d %+v: forward %s %v %+v, return %s %v, findings %+v", i, q, r.Forward.Result, fwd, r.Forward.Drop, r.Return.Result, r.Return.Tokens(), r.Findings)
		}
	}
}

// BenchmarkTraceILB is BenchmarkTrace on the ILB-per-spoke variant: every
// flow ends at another spoke's load balancer frontend.
func BenchmarkTraceILB(b *testing.B) {
	n := benchSpokes()
	benchTraces(b, benchNetSpec(b, topogen.Spec{Spokes: n, SubnetsPerSpoke: 10, NICsPerSubnet: 5, ILBPerSpoke: true}), ilbQueries(n, 999), false)
}
