package azure

import (
	"net/netip"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
)

// intentTopo: hub1 is secured with a private and Internet routing intent;
// hub2 has none and its connection propagates to the default label (the
// defaultRouteTable of both hubs).
const intentTopo = `
vnets:
  - {name: s1, address_space: [10.1.0.0/16], subnets: [{name: app, prefix: 10.1.1.0/24}]}
  - {name: s3, address_space: [10.3.0.0/16], subnets: [{name: app, prefix: 10.3.1.0/24}]}
  - {name: s2, address_space: [10.2.0.0/16], subnets: [{name: app, prefix: 10.2.1.0/24}]}
nics:
  - {name: vm1, subnet: s1/app, ip: 10.1.1.4}
  - {name: vm3, subnet: s3/app, ip: 10.3.1.4}
  - {name: vm2, subnet: s2/app, ip: 10.2.1.4}
onprem_sites:
  - {name: br, prefixes: [192.168.10.0/24]}
firewalls:
  - {name: fw1, hub: hub1, private_ip: 10.100.64.4, public_ips: [20.30.40.50]}
virtual_wans:
  - {name: wan1}
virtual_hubs:
  - name: hub1
    wan: wan1
    address_prefix: 10.100.0.0/16
    router_ips: [10.100.32.4, 10.100.32.5]
    connections:
      - {name: s1-conn, remote_vnet: s1, internet_security: true}
      - {name: s3-conn, remote_vnet: s3, internet_security: true}
      - {name: br-vpn, type: VPN, site: br}
    routing_intent: {name: ri1, private_next_hop: fw1, internet_next_hop: fw1, private_prefixes: [100.70.0.0/16]}
  - name: hub2
    wan: wan1
    address_prefix: 10.200.0.0/16
    router_ips: [10.200.32.4, 10.200.32.5]
    connections:
      - {name: s2-conn, remote_vnet: s2}
`

// TestPrivateIntentDefaultTableHoldsAggregates checks VW3 (azure/vwan.go):
// under a Private Traffic policy the defaultRouteTable, and so what a
// spoke learns, holds the RFC 1918 aggregates and the additional private
// prefixes toward the firewall, not the prefixes of the hub's own
// connections; the firewall forwards by those specifics.
func TestPrivateIntentDefaultTableHoldsAggregates(t *testing.T) {
	n := parseDesign(t, "intent.yaml", intentTopo)
	e := New(n, Options{})
	hub1 := n.VirtualHub("hub1")
	def := e.HubRoutes(hub1.RouteTable(topology.HubDefaultTable))
	got := map[string]string{}
	for _, r := range def.Routes {
		got[r.Prefix.String()] = r.NextHopType
	}
	want := map[string]string{
		"0.0.0.0/0": HubHopFirewall, "10.0.0.0/8": HubHopFirewall, "172.16.0.0/12": HubHopFirewall,
		"192.168.0.0/16": HubHopFirewall, "100.70.0.0/16": HubHopFirewall,
		"10.2.0.0/16": HubHopFirewall, // hub2's connection is not managed by hub1's intent: it propagates here
	}
	for p, typ := range want {
		if got[p] != typ {
			t.Errorf("hub1 defaultRouteTable %s: next hop %q, want %q", p, got[p], typ)
		}
	}
	for _, p := range []string{"10.1.0.0/16", "10.3.0.0/16", "192.168.10.0/24"} {
		if _, ok := got[p]; ok {
			t.Errorf("hub1 defaultRouteTable holds %s, which a connection under the private policy propagates to the noneRouteTable", p)
		}
	}
	fwd := e.HubForwarding(hub1)
	for dst, typ := range map[string]string{"10.1.1.4": HubHopVNetConnection, "10.3.1.4": HubHopVNetConnection, "192.168.10.1": HubHopVPN, "10.2.1.4": HubHopRemoteHub} {
		r, ok := fwd.Lookup(netip.MustParseAddr(dst))
		if !ok || r.NextHopType != typ {
			t.Errorf("firewall of hub1 forwards %s by %+v, want next hop %s", dst, r, typ)
		}
	}
	// A spoke learns the aggregates toward the firewall, not the other spoke.
	rt := e.Routes(n.Subnet("s1/app"))
	var gw []string
	for _, r := range rt.Routes {
		if r.Source == SourceGateway {
			gw = append(gw, r.Prefix.String())
			if len(r.NextHopIPs) != 1 || r.NextHopIPs[0] != netip.MustParseAddr("10.100.64.4") {
				t.Errorf("s1 route %s: next hop %v, want the firewall 10.100.64.4", r.Prefix, r.NextHopIPs)
			}
		}
	}
	if len(gw) != 6 {
		t.Errorf("s1 gateway routes %v, want 0.0.0.0/0, the three RFC 1918 aggregates, 100.70.0.0/16 and 10.2.0.0/16", gw)
	}
	r, err := e.NextHopFromSubnet(n.Subnet("s1/app"), netip.MustParseAddr("10.3.1.4"))
	if err != nil || r.Route == nil || r.Route.Prefix != netip.MustParsePrefix("10.0.0.0/8") {
		t.Errorf("s1 → s3 uses %+v, want the 10.0.0.0/8 aggregate toward the firewall", r.Route)
	}
}
