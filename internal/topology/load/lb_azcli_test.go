package load

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology/topotest"
)

// TestLoadBalancerAndNATGatewayFromAZCLI loads hand-written output of
// `az network lb list`, `az network nat gateway list`, `az network
// public-ip list` and `az network vnet list` in the az CLI's flattened
// shape (no "properties" objects, "resourceGroup" beside ids), with an
// inbound NAT pool and a NIC joined to the pool from its own side, and
// checks the load balancer, the pool members and the NAT gateway.
func TestLoadBalancerAndNATGatewayFromAZCLI(t *testing.T) {
	const p = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	doc := `[
 {"id":"` + p + `virtualNetworks/v","name":"v","type":"Microsoft.Network/virtualNetworks","resourceGroup":"rg","addressSpace":{"addressPrefixes":["10.0.0.0/16"]},
  "subnets":[{"id":"` + p + `virtualNetworks/v/subnets/app","name":"app","addressPrefix":"10.0.1.0/24","resourceGroup":"rg","natGateway":{"id":"` + p + `natGateways/ng","resourceGroup":"rg"},"defaultOutboundAccess":false}]},
 {"id":"` + p + `networkInterfaces/a","name":"a","type":"Microsoft.Network/networkInterfaces","resourceGroup":"rg",
  "ipConfigurations":[{"id":"` + p + `networkInterfaces/a/ipConfigurations/ipconfig1","name":"ipconfig1","primary":true,"privateIPAddress":"10.0.1.4",
   "subnet":{"id":"` + p + `virtualNetworks/v/subnets/app","resourceGroup":"rg"},
   "loadBalancerBackendAddressPools":[{"id":"` + p + `loadBalancers/lb/backendAddressPools/web","resourceGroup":"rg"}]}]},
 {"id":"` + p + `networkInterfaces/b","name":"b","type":"Microsoft.Network/networkInterfaces","resourceGroup":"rg",
  "ipConfigurations":[{"id":"` + p + `networkInterfaces/b/ipConfigurations/ipconfig1","name":"ipconfig1","primary":true,"privateIPAddress":"10.0.1.5",
   "subnet":{"id":"` + p + `virtualNetworks/v/subnets/app","resourceGroup":"rg"}}]},
 {"id":"` + p + `publicIPAddresses/lb-pip","name":"lb-pip","type":"Microsoft.Network/publicIPAddresses","resourceGroup":"rg","ipAddress":"20.1.1.1","publicIPAllocationMethod":"Static"},
 {"id":"` + p + `publicIPAddresses/ng-pip","name":"ng-pip","type":"Microsoft.Network/publicIPAddresses","resourceGroup":"rg","ipAddress":"20.2.2.2","publicIPAllocationMethod":"Static"},
 {"id":"` + p + `loadBalancers/lb","name":"lb","type":"Microsoft.Network/loadBalancers","resourceGroup":"rg","sku":{"name":"Standard","tier":"Regional"},
  "frontendIPConfigurations":[{"id":"` + p + `loadBalancers/lb/frontendIPConfigurations/pub","name":"pub","resourceGroup":"rg","publicIPAddress":{"id":"` + p + `publicIPAddresses/lb-pip","resourceGroup":"rg"}}],
  "backendAddressPools":[{"id":"` + p + `loadBalancers/lb/backendAddressPools/web","name":"web","resourceGroup":"rg",
    "backendIPConfigurations":[{"id":"` + p + `networkInterfaces/b/ipConfigurations/ipconfig1","resourceGroup":"rg"}]}],
  "probes":[{"id":"` + p + `loadBalancers/lb/probes/http","name":"http","resourceGroup":"rg","protocol":"Http","port":80,"requestPath":"/"}],
  "loadBalancingRules":[{"id":"` + p + `loadBalancers/lb/loadBalancingRules/http","name":"http","resourceGroup":"rg","protocol":"Tcp","frontendPort":80,"backendPort":80,
    "enableFloatingIP":false,"disableOutboundSnat":true,
    "frontendIPConfiguration":{"id":"` + p + `loadBalancers/lb/frontendIPConfigurations/pub","resourceGroup":"rg"},
    "backendAddressPool":{"id":"` + p + `loadBalancers/lb/backendAddressPools/web","resourceGroup":"rg"},
    "probe":{"id":"` + p + `loadBalancers/lb/probes/http","resourceGroup":"rg"}}],
  "inboundNatPools":[{"id":"` + p + `loadBalancers/lb/inboundNatPools/ssh","name":"ssh","resourceGroup":"rg","protocol":"Tcp","frontendPortRangeStart":50000,"frontendPortRangeEnd":50099,"backendPort":22,
    "frontendIPConfiguration":{"id":"` + p + `loadBalancers/lb/frontendIPConfigurations/pub","resourceGroup":"rg"}}],
  "inboundNatRules":[],"outboundRules":[]},
 {"id":"` + p + `natGateways/ng","name":"ng","type":"Microsoft.Network/natGateways","resourceGroup":"rg","sku":{"name":"Standard"},
  "publicIpAddresses":[{"id":"` + p + `publicIPAddresses/ng-pip","resourceGroup":"rg"}],
  "subnets":[{"id":"` + p + `virtualNetworks/v/subnets/app","resourceGroup":"rg"}]}
]`
	path := filepath.Join(t.TempDir(), "az.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	n, d, err := Load(path)
	if err != nil || len(d.Errors) > 0 {
		t.Fatalf("load: %v %s", err, topotest.DiagLines(d.Errors))
	}
	l := n.LoadBalancer("lb")
	g := n.NATGateway("ng")
	if l == nil || g == nil {
		t.Fatalf("load balancer %v, NAT gateway %v: %s", l, g, topotest.Counts(n))
	}
	pool := l.Pool("web")
	var natPool string
	for _, r := range l.InboundNATRules {
		if r.Name == "ssh" {
			natPool = r.Frontend + " " + itoa(r.FrontendPort) + "-" + itoa(r.FrontendPortEnd) + " " + itoa(r.BackendPort)
		}
	}
	checks := []struct{ what, got, want string }{
		{"frontend public IP", l.Frontend("pub").PublicIP.String(), "20.1.1.1"},
		{"pool members from both sides", strings.Join(pool.NICs, ","), "a,b"},
		{"rule", l.Rules[0].Frontend + " " + l.Rules[0].BackendPool + " " + l.Rules[0].Probe, "pub web http"},
		{"disableOutboundSnat", boolText(l.Rules[0].DisableOutboundSNAT), "true"},
		{"inbound NAT pool", natPool, "pub 50000-50099 22"},
		{"NAT gateway address", g.PublicIPs[0].String(), "20.2.2.2"},
		{"NAT gateway subnet", strings.Join(g.Subnets, ","), "v/app"},
		{"subnet's NAT gateway", n.NATGatewayOf(n.Subnet("v/app")).Name, "ng"},
		{"defaultOutboundAccess", boolText(*n.Subnet("v/app").DefaultOutboundAccess), "false"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
