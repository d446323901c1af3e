package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
)

// leftOutVNet is a VNet the left-out tests' exports hold; the resources
// they leave out name subnets of a VNet "hub" the exports lack.
const leftOutVNet = `{"id":"` + idp + `virtualNetworks/v","name":"v","type":"Microsoft.Network/virtualNetworks","addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"id":"` + idp + `virtualNetworks/v/subnets/s","name":"s","addressPrefix":"10.0.1.0/24"}]}`

// leftOutNIC is a NIC in the missing VNet hub's subnet jump.
const leftOutNIC = `{"id":"` + idp + `networkInterfaces/jump-nic","name":"jump-nic","type":"Microsoft.Network/networkInterfaces","ipConfigurations":[{"name":"c","privateIPAddress":"10.9.1.4","subnet":{"id":"` + idp + `virtualNetworks/hub/subnets/jump"}}]}`

// loadExport loads an export holding docs (ARM resources as JSON).
func loadExport(t *testing.T, docs ...string) (*topology.Network, *topology.Diagnostics) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(p, []byte("["+strings.Join(docs, ",")+"]"), 0o644); err != nil {
		t.Fatal(err)
	}
	n, d, err := Load(p)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return n, d
}

// TestLeftOutResourcesAreNamed: a NIC and a firewall whose subnets the
// export lacks are left out, and asking for them by name says why, with
// the missing id, instead of "not found"; a name the inputs never had is
// still not found. A route to a left-out address is found by LeftOutAt.
func TestLeftOutResourcesAreNamed(t *testing.T) {
	fw := `{"id":"` + idp + `azureFirewalls/hub-fw","name":"hub-fw","type":"Microsoft.Network/azureFirewalls","properties":{"sku":{"name":"AZFW_VNet"},"ipConfigurations":[{"name":"c","properties":{"privateIPAddress":"10.9.0.4","subnet":{"id":"` + idp + `virtualNetworks/hub/subnets/AzureFirewallSubnet"}}}]}}`
	n, d := loadExport(t, leftOutVNet, leftOutNIC, fw)
	if len(d.Missing) != 2 {
		t.Fatalf("missing references %v, want the NIC's and the firewall's subnets", d.Missing)
	}
	for _, c := range []struct{ kind, what, name, want string }{
		{"network interface", "NIC", "JUMP-NIC", "virtualNetworks/hub/subnets/jump"},
		{"firewall", "firewall", "hub-fw", "virtualNetworks/hub/subnets/AzureFirewallSubnet"},
	} {
		msg, ok := n.LeftOutWhy(c.kind, c.what, c.name)
		if !ok || !strings.Contains(msg, "left out") || !strings.Contains(msg, c.want) {
			t.Errorf("LeftOutWhy(%s %s) = %q, %v; want it left out for %s", c.kind, c.name, msg, ok, c.want)
		}
	}
	if got := n.Absent("network interface", "NIC", "other-nic"); got != `NIC "other-nic" not found in the topology` {
		t.Errorf("Absent of a name the inputs never had = %q", got)
	}
	if l, ok := n.LeftOutAt(mustAddr("10.9.0.4")); !ok || l.Name != "hub-fw" {
		t.Errorf("LeftOutAt(10.9.0.4) = %+v, %v; want firewall hub-fw", l, ok)
	}
}

// TestLeftOutNICLeavesItsPoolMembership: a NIC left out for its missing
// subnet is missing to the backend pool that lists it too, so the pool
// loses the member with a second missing reference instead of failing
// validation on a dangling member.
func TestLeftOutNICLeavesItsPoolMembership(t *testing.T) {
	lb := `{"id":"` + idp + `loadBalancers/ilb","name":"ilb","type":"Microsoft.Network/loadBalancers","sku":{"name":"Standard"},"properties":{` +
		`"frontendIPConfigurations":[{"name":"fe","properties":{"privateIPAddress":"10.0.1.10","subnet":{"id":"` + idp + `virtualNetworks/v/subnets/s"}}}],` +
		`"backendAddressPools":[{"name":"pool","properties":{"backendIPConfigurations":[{"id":"` + idp + `networkInterfaces/jump-nic/ipConfigurations/c"}]}}]}}`
	n, d := loadExport(t, leftOutVNet, leftOutNIC, lb)
	if len(d.Missing) != 2 || !strings.Contains(d.Missing[1].Ref, "networkInterfaces/jump-nic") {
		t.Fatalf("missing references %v, want the NIC's subnet, then the pool's member NIC", d.Missing)
	}
	if l := n.LoadBalancer("ilb"); l == nil || l.Pool("pool") == nil || len(l.Pool("pool").NICs) != 0 {
		t.Errorf("load balancer ilb: want pool %q kept without the left-out NIC", "pool")
	}
}

// TestLeftOutGatewayLeavesItsConnections: a gateway left out for its
// missing VNet is missing to its connections too, so they are left out
// with a missing reference each instead of failing validation.
func TestLeftOutGatewayLeavesItsConnections(t *testing.T) {
	gw := `{"id":"` + idp + `virtualNetworkGateways/gw","name":"gw","type":"Microsoft.Network/virtualNetworkGateways","properties":{"gatewayType":"Vpn","vpnType":"RouteBased","ipConfigurations":[{"name":"c","properties":{"subnet":{"id":"` + idp + `virtualNetworks/hub/subnets/GatewaySubnet"}}}]}}`
	conn := `{"id":"` + idp + `connections/c1","name":"c1","type":"Microsoft.Network/connections","properties":{"connectionType":"Vnet2Vnet","virtualNetworkGateway1":{"id":"` + idp + `virtualNetworkGateways/gw"},"virtualNetworkGateway2":{"id":"` + idp + `virtualNetworkGateways/gw"}}}`
	n, d := loadExport(t, leftOutVNet, gw, conn)
	if len(d.Missing) != 2 || !strings.Contains(d.Missing[1].Ref, "virtualNetworkGateways/gw") {
		t.Fatalf("missing references %v, want the gateway's VNet, then the connection's gateway", d.Missing)
	}
	if len(n.Gateways) != 0 || len(n.Connections) != 0 {
		t.Errorf("gateways %d, connections %d: want both left out", len(n.Gateways), len(n.Connections))
	}
}
