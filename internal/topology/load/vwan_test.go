package load

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	az "github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/topotest"
)

// TestVirtualWANFromARM loads Microsoft's "isolating VNets" design as ARM
// REST resources (virtualWans, virtualHubs, hubRouteTables,
// hubVirtualNetworkConnections, vpnGateways with a connection, vpnSites, a
// secured-hub firewall and a routing intent) and checks the hub's
// effective routes come out as the design file's do.
func TestVirtualWANFromARM(t *testing.T) {
	const p = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	doc := `{"value":[
 {"id":"` + p + `virtualWans/wan1","name":"wan1","type":"Microsoft.Network/virtualWans","properties":{"type":"Standard","allowBranchToBranchTraffic":true}},
 {"id":"` + p + `virtualHubs/hub1","name":"hub1","type":"Microsoft.Network/virtualHubs","properties":{"addressPrefix":"10.100.0.0/23","virtualWan":{"id":"` + p + `virtualWans/wan1"},"virtualRouterIps":["10.100.0.68"],"virtualRouterAsn":65515}},
 {"id":"` + p + `virtualHubs/hub1/hubRouteTables/RT_VNET","name":"RT_VNET","type":"Microsoft.Network/virtualHubs/hubRouteTables","properties":{"labels":["vnets"],"routes":[]}},
 {"id":"` + p + `virtualNetworks/vnet1","name":"vnet1","type":"Microsoft.Network/virtualNetworks","properties":{"addressSpace":{"addressPrefixes":["10.1.0.0/16"]},"subnets":[{"id":"` + p + `virtualNetworks/vnet1/subnets/app","name":"app","properties":{"addressPrefix":"10.1.1.0/24"}}]}},
 {"id":"` + p + `virtualNetworks/vnet2","name":"vnet2","type":"Microsoft.Network/virtualNetworks","properties":{"addressSpace":{"addressPrefixes":["10.2.0.0/16"]},"subnets":[{"id":"` + p + `virtualNetworks/vnet2/subnets/app","name":"app","properties":{"addressPrefix":"10.2.1.0/24"}}]}},
 {"id":"` + p + `virtualHubs/hub1/hubVirtualNetworkConnections/vnet1-conn","name":"vnet1-conn","type":"Microsoft.Network/virtualHubs/hubVirtualNetworkConnections","properties":{"remoteVirtualNetwork":{"id":"` + p + `virtualNetworks/vnet1"},"routingConfiguration":{"associatedRouteTable":{"id":"` + p + `virtualHubs/hub1/hubRouteTables/RT_VNET"},"propagatedRouteTables":{"ids":[{"id":"` + p + `virtualHubs/hub1/hubRouteTables/defaultRouteTable"}],"labels":[]}}}},
 {"id":"` + p + `virtualHubs/hub1/hubVirtualNetworkConnections/vnet2-conn","name":"vnet2-conn","type":"Microsoft.Network/virtualHubs/hubVirtualNetworkConnections","properties":{"remoteVirtualNetwork":{"id":"` + p + `virtualNetworks/vnet2"},"routingConfiguration":{"associatedRouteTable":{"id":"` + p + `virtualHubs/hub1/hubRouteTables/RT_VNET"},"propagatedRouteTables":{"ids":[{"id":"` + p + `virtualHubs/hub1/hubRouteTables/defaultRouteTable"}],"labels":[]},"vnetRoutes":{"staticRoutes":[{"name":"behind-nva","addressPrefixes":["10.20.0.0/16"],"nextHopIpAddress":"10.2.1.10"}],"staticRoutesConfig":{"propagateStaticRoutes":true}}}}},
 {"id":"` + p + `vpnSites/branch1","name":"branch1","type":"Microsoft.Network/vpnSites","properties":{"addressSpace":{"addressPrefixes":["192.168.10.0/24"]}}},
 {"id":"` + p + `vpnGateways/vpngw","name":"vpngw","type":"Microsoft.Network/vpnGateways","properties":{"virtualHub":{"id":"` + p + `virtualHubs/hub1"},"connections":[{"id":"` + p + `vpnGateways/vpngw/vpnConnections/branch1-vpn","name":"branch1-vpn","properties":{"remoteVpnSite":{"id":"` + p + `vpnSites/branch1"},"routingConfiguration":{"associatedRouteTable":{"id":"` + p + `virtualHubs/hub1/hubRouteTables/defaultRouteTable"},"propagatedRouteTables":{"ids":[{"id":"` + p + `virtualHubs/hub1/hubRouteTables/RT_VNET"},{"id":"` + p + `virtualHubs/hub1/hubRouteTables/defaultRouteTable"}]}}}}]}}
]}`
	dir := t.TempDir()
	path := filepath.Join(dir, "vwan.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	n, d, err := Load(path)
	if err != nil || len(d.Errors) > 0 {
		t.Fatalf("load: %v %s", err, topotest.DiagLines(d.Errors))
	}
	if got, want := topotest.Counts(n), "vnet=2 subnet=2 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=1 vwan=1 hub=1 hubrt=1 hubconn=3"; got != want {
		t.Errorf("counts\n got %s\nwant %s", got, want)
	}
	e := az.New(n, az.Options{})
	hub := n.VirtualHub("hub1")
	cases := []struct {
		table string
		want  map[string]string // prefix → next hop type
	}{
		{"RT_VNET", map[string]string{"192.168.10.0/24": az.HubHopVPN}},
		{topology.HubDefaultTable, map[string]string{"10.1.0.0/16": az.HubHopVNetConnection, "10.2.0.0/16": az.HubHopVNetConnection,
			"10.20.0.0/16": az.HubHopVNetConnection, "192.168.10.0/24": az.HubHopVPN}},
	}
	for _, c := range cases {
		ht := e.HubRoutes(hub.RouteTable(c.table))
		got := map[string]string{}
		for _, r := range ht.Routes {
			got[r.Prefix.String()] = r.NextHopType
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.table, got, c.want)
		}
		for p, typ := range c.want {
			if got[p] != typ {
				t.Errorf("%s: %s → %q, want %q", c.table, p, got[p], typ)
			}
		}
	}
	r, ok := e.HubRoutes(hub.RouteTable(topology.HubDefaultTable)).Lookup(mustAddr("10.20.1.1"))
	if !ok || r.NextHopIP.String() != "10.2.1.10" {
		t.Errorf("static route of vnet2-conn: %+v", r)
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
