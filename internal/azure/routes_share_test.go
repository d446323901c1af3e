package azure

import (
	"net/netip"
	"reflect"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
)

// shareTopo has one VNet whose subnets differ only in what buildTable reads
// per subnet: the route table (with or without gateway propagation) and the
// service endpoints. Subnets a and e are equal in both.
const shareTopo = `
vnets:
  - name: v
    region: westeurope
    address_space: [10.0.0.0/16]
    subnets:
      - {name: GatewaySubnet, prefix: 10.0.255.0/27}
      - {name: a, prefix: 10.0.1.0/24, route_table: rt1}
      - {name: b, prefix: 10.0.2.0/24, route_table: rt2}
      - {name: c, prefix: 10.0.3.0/24, service_endpoints: [Microsoft.Storage]}
      - {name: d, prefix: 10.0.4.0/24}
      - {name: e, prefix: 10.0.5.0/24, route_table: rt1}
      - {name: f, prefix: 10.0.6.0/24, service_endpoints: [Microsoft.Sql, Microsoft.Storage]}
      - {name: g, prefix: 10.0.7.0/24, service_endpoints: [Microsoft.Storage, Microsoft.Sql]}
      - {name: h, prefix: 10.0.8.0/24, route_table: nobgp}
route_tables:
  - name: rt1
    routes:
      - {name: to-nva, prefix: 0.0.0.0/0, next_hop_type: VirtualAppliance, next_hop_ip: 10.0.1.10}
  - name: rt2
    routes:
      - {name: blackhole, prefix: 10.9.0.0/16, next_hop_type: None}
  - name: nobgp
    disable_bgp_route_propagation: true
nics:
  - {name: nva-nic, subnet: v/a, ip: 10.0.1.10, ip_forwarding: true}
gateways:
  - {name: gw, vnet: v, type: Vpn, public_ip: 203.0.113.1}
connections:
  - {name: c, gateway: gw, type: IPsec, remote: site}
onprem_sites:
  - {name: site, prefixes: [192.168.0.0/16]}
`

// TestSharedTablesKeepEachSubnetsRoutes checks that New's sharing of route
// tables between subnets (tableKey) gives every subnet exactly the routes
// buildTable computes for it alone, under its own Subnet, and shares only
// between subnets equal in route table and service endpoints.
func TestSharedTablesKeepEachSubnetsRoutes(t *testing.T) {
	n := parseDesign(t, "share.yaml", shareTopo)
	e := New(n, Options{})
	v := n.VNets[0]
	vc := e.vnetContext(v, e.gwRoutes)
	for _, s := range v.Subnets {
		got := e.Routes(s)
		if got.Subnet != s {
			t.Errorf("%s: table names subnet %s", s.Name, got.Subnet.Name)
		}
		want := e.buildTable(s, vc)
		if !reflect.DeepEqual(got.Routes, want.Routes) || !reflect.DeepEqual(got.Assumptions, want.Assumptions) {
			t.Errorf("%s: shared routes differ from its own:\n got %+v\nwant %+v", s.Name, got.Routes, want.Routes)
		}
	}
	sub := func(name string) *RouteTable { return e.Routes(n.Subnet("v/" + name)) }
	same := func(x, y *RouteTable) bool { return &x.Routes[0] == &y.Routes[0] }
	if !same(sub("a"), sub("e")) {
		t.Error("a and e (same route table, no service endpoints) do not share their routes")
	}
	for _, pair := range [][2]string{{"a", "b"}, {"a", "d"}, {"c", "d"}, {"f", "g"}, {"c", "f"}, {"d", "h"}} {
		if same(sub(pair[0]), sub(pair[1])) {
			t.Errorf("%s and %s share routes although their route tables or service endpoints differ", pair[0], pair[1])
		}
	}
	cases := []struct {
		subnet, dst string
		typ         topology.HopType
	}{
		{"a", "8.8.8.8", topology.HopVirtualAppliance},
		{"e", "8.8.8.8", topology.HopVirtualAppliance},
		{"b", "8.8.8.8", topology.HopInternet},
		{"b", "10.9.1.1", topology.HopNone},
		{"d", "10.9.1.1", topology.HopNone}, // reserved 10.0.0.0/8 None route
		{"d", "192.168.1.1", topology.HopVirtualNetworkGateway},
		{"h", "192.168.1.1", topology.HopNone}, // §2.5: no gateway routes
		{"a", "10.0.2.4", topology.HopVnetLocal},
	}
	for _, c := range cases {
		r, err := e.NextHopFromSubnet(n.Subnet("v/"+c.subnet), netip.MustParseAddr(c.dst))
		if err != nil {
			t.Fatal(err)
		}
		if r.NextHopType != c.typ || r.Subnet.Name != c.subnet {
			t.Errorf("%s → %s: got %s in subnet %s, want %s", c.subnet, c.dst, r.NextHopType, r.Subnet.Name, c.typ)
		}
	}
	count := func(name string) (se int) {
		for _, r := range sub(name).Routes {
			if r.NextHopType == topology.HopServiceEndpoint {
				se++
			}
		}
		return se
	}
	for name, want := range map[string]int{"a": 0, "c": 1, "d": 0, "f": 2, "g": 2} {
		if got := count(name); got != want {
			t.Errorf("%s: %d service endpoint routes, want %d", name, got, want)
		}
	}
}
