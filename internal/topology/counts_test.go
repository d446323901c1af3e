package topology

import "testing"

func TestCounts(t *testing.T) {
	n := &Network{VNets: []*VNet{{Name: "hub", Subnets: []*Subnet{{Name: "a"}, {Name: "b"}}}, {Name: "spoke", Subnets: []*Subnet{{Name: "c"}}}}}
	got := n.Counts()
	if got["vnets"] != 2 || got["subnets"] != 3 {
		t.Errorf("vnets %d subnets %d, want 2 and 3 (%v)", got["vnets"], got["subnets"], got)
	}
	if _, ok := got["nics"]; !ok {
		t.Errorf("no nics key in %v: every resource list is counted, empty ones as 0", got)
	}
	for k, v := range got {
		if k != "vnets" && k != "subnets" && v != 0 {
			t.Errorf("%s = %d, want 0", k, v)
		}
	}
}
