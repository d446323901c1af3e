package topology_test

import (
	"testing"

	"github.com/pathproof/pathproof/internal/topology/design"
)

func TestCloneIsDeep(t *testing.T) {
	n, err := design.Parse("x.yaml", []byte(`vnets:
  - {name: a, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.1.0/24}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	n.Index()
	c := n.Clone()
	c.VNets[0].Subnets[0].Name = "changed"
	c.Index()
	if n.VNets[0].Subnets[0].Name != "s" {
		t.Fatal("clone shares subnets with the original")
	}
	if c.Subnet("a/changed") == nil || c.Subnet("a/changed").VNet() != c.VNets[0] {
		t.Fatal("clone not re-indexed")
	}
}
