package azure

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/design"
)

const testTopo = `
vnets:
  - name: hub
    address_space: [10.0.0.0/16]
    subnets:
      - {name: GatewaySubnet, prefix: 10.0.255.0/27}
      - {name: app, prefix: 10.0.1.0/24, route_table: rt, service_endpoints: [Microsoft.Storage]}
  - name: spoke
    address_space: [10.1.0.0/16]
    subnets:
      - {name: pe, prefix: 10.1.2.0/24, private_endpoint_network_policies: RouteTableEnabled}
peerings:
  - {vnet: hub, remote_vnet: spoke}
  - {vnet: spoke, remote_vnet: hub}
route_tables:
  - name: rt
    routes:
      - {name: to-nva, prefix: 10.1.0.0/16, next_hop_type: VirtualAppliance, next_hop_ip: 10.0.1.10}
      - {name: storage, prefix: Storage, next_hop_type: Internet}
nics:
  - {name: app-nic, subnet: hub/app, ip: 10.0.1.4}
  - {name: nva-nic, subnet: hub/app, ip: 10.0.1.10, ip_forwarding: true}
private_endpoints:
  - {name: pe1, subnet: spoke/pe, ip: 10.1.2.4}
gateways:
  - {name: gw, vnet: hub, type: Vpn, public_ip: 203.0.113.1}
connections:
  - {name: c, gateway: gw, type: IPsec, remote: site, learned_prefixes: [192.168.0.0/16, 10.0.1.128/25]}
onprem_sites:
  - {name: site, prefixes: [192.168.0.0/16]}
`

func engine(t *testing.T, tags *ServiceTags) *Engine {
	t.Helper()
	return New(parseDesign(t, "t.yaml", testTopo), Options{Tags: tags})
}

// parseDesign reads a design document and finishes it, failing the test
// on any diagnostic.
func parseDesign(t *testing.T, name, doc string) *topology.Network {
	t.Helper()
	n, err := design.Parse(name, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	d := &topology.Diagnostics{}
	n.Finish(d)
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNextHopRules(t *testing.T) {
	e := engine(t, nil)
	cases := []struct {
		dst   string
		typ   topology.HopType
		table string
	}{
		{"10.0.1.200", "VnetLocal", RouteTableSystem},              // §2.6 BGP /25 never beats VNet space
		{"10.1.2.4", "VirtualAppliance", "rt"},                     // §3.2 /16 UDR invalidates the PE /32 under RouteTableEnabled
		{"10.1.3.4", "VirtualAppliance", "rt"},                     // UDR beats the peering route of equal prefix
		{"192.168.1.1", "VirtualNetworkGateway", RouteTableSystem}, // BGP replaces the None route by LPM
		{"172.16.0.1", "None", RouteTableSystem},                   // reserved None route (§2.2)
		{"8.8.8.8", "Internet", RouteTableSystem},
	}
	for _, c := range cases {
		r, err := e.NextHop(netip.MustParseAddr("10.0.1.4"), netip.MustParseAddr(c.dst))
		if err != nil {
			t.Fatal(err)
		}
		if r.NextHopType != c.typ || r.RouteTable != c.table {
			t.Errorf("%s: got %s via %s, want %s via %s", c.dst, r.NextHopType, r.RouteTable, c.typ, c.table)
		}
	}
}

func TestUnresolvedTagsAreVisible(t *testing.T) {
	e := engine(t, nil)
	tbl := e.Routes(e.Net.Subnet("hub/app"))
	if len(tbl.Assumptions) < 2 {
		t.Fatalf("want assumptions for the service endpoint and the tag route, got %v", tbl.Assumptions)
	}
	tags, _, err := ParseServiceTags("tags.json", strings.NewReader(`{"changeNumber":1,"cloud":"Public","values":[
	 {"name":"Storage","id":"Storage","properties":{"addressPrefixes":["20.60.0.0/16","bad"]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e = engine(t, tags)
	r, _ := e.NextHop(netip.MustParseAddr("10.0.1.4"), netip.MustParseAddr("20.60.1.1"))
	// The service endpoint route is never beaten (§2.6) by the same-prefix tag UDR.
	if r.NextHopType != topology.HopServiceEndpoint {
		t.Errorf("storage next hop %s, want VirtualNetworkServiceEndpoint", r.NextHopType)
	}
}

func TestMapAddr(t *testing.T) {
	p := func(s string) []netip.Prefix { return []netip.Prefix{netip.MustParsePrefix(s)} }
	cases := []struct{ ip, from, to, want string }{
		{"10.0.1.10", "10.0.1.0/24", "100.0.2.0/24", "100.0.2.10"},
		{"10.0.1.10", "10.0.0.0/16", "100.0.2.0/24", "100.0.2.10"}, // wraps into a smaller pool
		{"10.0.2.10", "10.0.1.0/24", "100.0.2.0/24", ""},
	}
	for _, c := range cases {
		got, ok := mapAddr(netip.MustParseAddr(c.ip), p(c.from), p(c.to))
		if (c.want == "") != !ok || (ok && got.String() != c.want) {
			t.Errorf("mapAddr(%s, %s→%s) = %v,%v want %q", c.ip, c.from, c.to, got, ok, c.want)
		}
	}
}

func TestPortAndFQDNMatch(t *testing.T) {
	ports := []struct {
		list []string
		p    int
		want bool
	}{
		{[]string{"*"}, 0, true}, {[]string{"80"}, 0, false}, {[]string{"80,443"}, 443, true},
		{[]string{"1-1024"}, 1024, true}, {[]string{"1-1024"}, 1025, false}, {nil, 5, true},
	}
	for _, c := range ports {
		if got := portMatch(c.list, c.p); got != c.want {
			t.Errorf("portMatch(%v,%d)=%v", c.list, c.p, got)
		}
	}
	fq := []struct {
		pat, name string
		want      bool
	}{{"*.contoso.com", "www.contoso.com", true}, {"*.contoso.com", "contoso.com", false}, {"WWW.x.org", "www.x.org.", true}, {"*", "a", true}}
	for _, c := range fq {
		if got := fqdnMatch(c.pat, c.name); got != c.want {
			t.Errorf("fqdnMatch(%q,%q)=%v", c.pat, c.name, got)
		}
	}
}

func FuzzParseServiceTags(f *testing.F) {
	f.Add([]byte(`{"values":[{"name":"Storage","properties":{"addressPrefixes":["20.60.0.0/16"]}}]}`))
	f.Add([]byte(`{"values":[]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, _, err := ParseServiceTags("f.json", strings.NewReader(string(data)))
		if err == nil && st == nil {
			t.Fatal("nil tags without error")
		}
	})
}
