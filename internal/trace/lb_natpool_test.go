package trace

import (
	"net/netip"
	"slices"
	"testing"
)

// TestInboundNATPoolOverPoolMembers checks an inbound NAT rule over a
// port range and a backend pool: each frontend port of the range maps to
// one member (start+i to the i-th), to its backend port, and a port of the
// range beyond the members has no backend.
func TestInboundNATPoolOverPoolMembers(t *testing.T) {
	e := loadEngine(t, "lb-nat-pool.yaml")
	cases := []struct {
		port         uint16
		result, to   string
		drop, nat    string
		returnTokens []string
	}{
		{port: 50000, result: ResultDelivered, to: "nic:vm0-nic", nat: "10.40.1.4:22"},
		{port: 50001, result: ResultDelivered, to: "nic:vm1-nic", nat: "10.40.1.5:22"},
		{port: 50002, result: ResultDelivered, to: "nic:vm2-nic", nat: "10.40.1.6:22"},
		{port: 50003, result: ResultDropped, drop: DropLBNoBackend},
		{port: 50010, result: ResultDropped, drop: DropLBNoRule},
		{port: 49999, result: ResultDropped, drop: DropLBNoRule},
	}
	for _, c := range cases {
		r, err := TraceEngine(e, Query{From: "internet:198.51.100.7", Dst: netip.MustParseAddr("20.70.0.1"), DstPort: c.port})
		if err != nil {
			t.Fatal(err)
		}
		fwd := r.Forward.Tokens()
		if r.Forward.Result != c.result {
			t.Errorf("port %d: %s %v %+v, want %s", c.port, r.Forward.Result, fwd, r.Forward.Drop, c.result)
			continue
		}
		if c.result == ResultDropped {
			if r.Forward.Drop.Reason != c.drop || r.Forward.Drop.At != "lb:lb" {
				t.Errorf("port %d: drop %+v, want %s at lb:lb", c.port, r.Forward.Drop, c.drop)
			}
			continue
		}
		if fwd[len(fwd)-1] != c.to || !slices.Contains(fwd, "lb:lb") {
			t.Errorf("port %d: forward %v, want it to end at %s through lb:lb", c.port, fwd, c.to)
		}
		if len(r.NAT) != 1 || netip.AddrPortFrom(r.NAT[0].DestinationTo, r.NAT[0].DestinationPort).String() != c.nat {
			t.Errorf("port %d: nat %+v, want destination %s", c.port, r.NAT, c.nat)
		}
		if r.Return.Result != ResultDelivered || r.Return.Tokens()[0] != c.to {
			t.Errorf("port %d: return %s %v", c.port, r.Return.Result, r.Return.Tokens())
		}
	}
}
