package topology_test

import (
	"net/netip"
	"testing"

	"github.com/pathproof/pathproof/internal/topology/design"
)

func TestOwnerSubnet(t *testing.T) {
	n, err := design.Parse("x.yaml", []byte(`vnets:
  - name: a
    address_space: [10.0.0.0/16]
    subnets:
      - {name: vm, prefix: 10.0.1.0/24}
      - {name: pe, prefix: 10.0.2.0/24}
      - {name: AzureFirewallSubnet, prefix: 10.0.3.0/26}
      - {name: GatewaySubnet, prefix: 10.0.4.0/27}
nics:
  - {name: n1, subnet: a/vm, ip: 10.0.1.4}
private_endpoints:
  - {name: p1, subnet: a/pe, ip: 10.0.2.4}
firewalls:
  - {name: fw, subnet: a/AzureFirewallSubnet, private_ip: 10.0.3.4}
gateways:
  - {name: gw, vnet: a, instance_ips: [10.0.4.4]}
`))
	if err != nil {
		t.Fatal(err)
	}
	n.Index()
	for _, tc := range []struct{ ip, kind, subnet string }{
		{"10.0.1.4", "nic", "a/vm"},
		{"10.0.2.4", "pe", "a/pe"},
		{"10.0.3.4", "firewall", "a/AzureFirewallSubnet"},
		{"10.0.4.4", "gateway", ""},
	} {
		o, ok := n.Owner(netip.MustParseAddr(tc.ip))
		if !ok || o.Kind != tc.kind {
			t.Fatalf("%s: owner %+v (found %v), want kind %s", tc.ip, o, ok, tc.kind)
		}
		got := ""
		if s := o.Subnet(); s != nil {
			got = s.Key()
		}
		if got != tc.subnet {
			t.Errorf("%s (%s): subnet %q, want %q", tc.ip, tc.kind, got, tc.subnet)
		}
	}
}
