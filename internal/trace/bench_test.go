package trace

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// hubSpoke builds the benchmark network: a hub with Azure Firewall and a
// VPN gateway to one on-premises site, and n spokes, each with one subnet
// (0.0.0.0/0 → firewall, gateway propagation off), one VM NIC and gateway
// transit. GatewaySubnet routes every spoke range to the firewall (n UDRs
// in one table), as the hybrid recipe (semantics §6.3) requires.
func hubSpoke(n int) *topology.Network {
	net := &topology.Network{}
	fwIP := netip.MustParseAddr("10.0.1.4")
	hub := &topology.VNet{Name: "hub", AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
		Subnets: []*topology.Subnet{
			{Name: "AzureFirewallSubnet", Prefix: netip.MustParsePrefix("10.0.1.0/26")},
			{Name: "GatewaySubnet", Prefix: netip.MustParsePrefix("10.0.255.0/27"), RouteTable: "rt-gw"},
		}}
	net.VNets = append(net.VNets, hub)
	rtGW := &topology.RouteTable{Name: "rt-gw"}
	rtSpokes := &topology.RouteTable{Name: "rt-spokes", DisableBGPRoutePropagation: true,
		Routes: []*topology.Route{{Name: "default-to-fw", Prefix: "0.0.0.0/0", NextHopType: topology.HopVirtualAppliance, NextHopIP: fwIP}}}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("spoke%04d", i)
		space := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(1 + i/256), byte(i % 256), 0}), 24)
		sub := netip.PrefixFrom(space.Addr(), 26)
		net.VNets = append(net.VNets, &topology.VNet{Name: name, AddressSpace: []netip.Prefix{space},
			Subnets: []*topology.Subnet{{Name: "app", Prefix: sub, RouteTable: "rt-spokes"}}})
		t := true
		net.Peerings = append(net.Peerings,
			&topology.Peering{VNet: "hub", RemoteVNet: name, AllowGatewayTransit: true, AllowForwardedTraffic: true, AllowVirtualNetworkAccess: &t},
			&topology.Peering{VNet: name, RemoteVNet: "hub", UseRemoteGateways: true, AllowForwardedTraffic: true, AllowVirtualNetworkAccess: &t})
		rtGW.Routes = append(rtGW.Routes, &topology.Route{Name: "to-" + name, Prefix: space.String(), NextHopType: topology.HopVirtualAppliance, NextHopIP: fwIP})
		net.NICs = append(net.NICs, &topology.NIC{Name: name + "-vm-nic", Subnet: name + "/app", IP: sub.Addr().Next().Next().Next().Next()})
	}
	net.RouteTables = []*topology.RouteTable{rtGW, rtSpokes}
	net.Firewalls = []*topology.Firewall{{Name: "azfw", Subnet: "hub/AzureFirewallSubnet", PrivateIP: fwIP, PublicIPs: []netip.Addr{netip.MustParseAddr("20.0.0.10")}, Policy: "fwpol"}}
	net.FirewallPolicies = []*topology.FirewallPolicy{{Name: "fwpol", ThreatIntelMode: "Alert",
		RuleCollectionGroups: []*topology.RuleCollectionGroup{{Name: "DefaultNetworkRuleCollectionGroup", Priority: 200,
			RuleCollections: []*topology.RuleCollection{{Name: "allow", Type: topology.RCNetwork, Priority: 100, Action: "Allow",
				Rules: []*topology.FirewallRule{{Name: "private-tcp", Protocols: []string{"TCP"}, SourceAddresses: []string{"10.0.0.0/8", "192.168.0.0/16"}, DestinationAddresses: []string{"10.0.0.0/8", "192.168.0.0/16"}, DestinationPorts: []string{"*"}}}}}}}}}
	net.Gateways = []*topology.Gateway{{Name: "gw-hub", VNet: "hub", Type: "Vpn", SKU: "VpnGw2", BGP: topology.BGP{Enabled: true, ASN: 65515}, PublicIP: netip.MustParseAddr("20.0.0.20")}}
	net.Connections = []*topology.Connection{{Name: "hub-to-onprem", Gateway: "gw-hub", Type: "IPsec", Remote: "onprem", LearnedPrefixes: []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16")}}}
	net.OnPremSites = []*topology.OnPremSite{{Name: "onprem", Prefixes: []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16")}, Hosts: []*topology.Host{{Name: "pc", IP: netip.MustParseAddr("192.168.1.10")}}}}
	var d topology.Diagnostics
	net.Finish(&d)
	return net
}

// benchQueries cycles through three kinds of flows: spoke to spoke through
// the firewall, on-premises to a spoke, a spoke to on-premises.
func benchQueries(net *topology.Network, n int) []Query {
	var qs []Query
	for i := 0; i < n; i++ {
		a, b := net.NICs[i%len(net.NICs)], net.NICs[(i*7+3)%len(net.NICs)]
		switch i % 3 {
		case 0:
			qs = append(qs, Query{From: "nic:" + a.Name, Dst: b.IP, DstPort: 443})
		case 1:
			qs = append(qs, Query{From: "onprem:onprem/pc", Dst: b.IP, DstPort: 443})
		default:
			qs = append(qs, Query{From: "nic:" + a.Name, Dst: netip.MustParseAddr("192.168.1.10"), DstPort: 22})
		}
	}
	return qs
}

func benchSpokes() int {
	if s := os.Getenv("PATHPROOF_BENCH_SPOKES"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return 1000
}

// TestHubSpokeTraces checks the benchmark network answers as designed, so
// the benchmark measures real, symmetric, firewall-inspected traces.
func TestHubSpokeTraces(t *testing.T) {
	net := hubSpoke(50)
	e := azure.New(net, azure.Options{})
	for i, q := range benchQueries(net, 6) {
		r, err := TraceEngine(e, q)
		if err != nil {
			t.Fatal(err)
		}
		if r.Forward.Result != ResultDelivered || r.Return.Result != ResultDelivered || len(r.Findings) != 0 {
			t.Errorf("query %d %+v: forward %s %v, return %s %v, findings %+v", i, q, r.Forward.Result, r.Forward.Tokens(), r.Return.Result, r.Return.Tokens(), r.Findings)
		}
		if !contains(r.Forward.Tokens(), "firewall:azfw") || !contains(r.Return.Tokens(), "firewall:azfw") {
			t.Errorf("query %d: both legs must cross the firewall: %v / %v", i, r.Forward.Tokens(), r.Return.Tokens())
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// BenchmarkTrace traces flows on the hub-and-spoke network
// (PATHPROOF_BENCH_SPOKES spokes, default 1,000); the engine (effective
// routes) is built once, outside the timer. Reports µs/trace.
func BenchmarkTrace(b *testing.B) {
	n := benchSpokes()
	start := time.Now()
	net := hubSpoke(n)
	e := azure.New(net, azure.Options{})
	build := time.Since(start)
	qs := benchQueries(net, 999)
	tr := NewTracer(e)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := tr.Trace(qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/trace")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/trace")
	b.ReportMetric(float64(build.Milliseconds()), "build-ms")
}

// BenchmarkNextHopBaseline is the in-run peer of BenchmarkTrace: for the
// same flows, only the raw effective-route lookups a trace needs (both
// legs, every routing hop) through the azure engine, with no checks, NAT,
// state or findings. The ratio says what the hop model costs on top.
func BenchmarkNextHopBaseline(b *testing.B) {
	n := benchSpokes()
	net := hubSpoke(n)
	e := azure.New(net, azure.Options{})
	type lookup struct {
		sub *topology.Subnet
		dst netip.Addr
	}
	// Record the lookups the traces perform, then replay them.
	var per [][]lookup
	tr := NewTracer(e)
	for _, q := range benchQueries(net, 999) {
		r, err := tr.Trace(q)
		if err != nil {
			b.Fatal(err)
		}
		var ls []lookup
		for _, leg := range []Leg{r.Forward, r.Return} {
			for _, h := range leg.Hops {
				var sub *topology.Subnet
				switch h.Kind {
				case KindNIC:
					sub = net.NIC(h.Name).SubnetRef()
				case KindFirewall:
					sub = net.Firewall(h.Name).SubnetRef()
				case KindGateway:
					sub = net.Subnet("hub/GatewaySubnet")
				}
				if sub != nil {
					ls = append(ls, lookup{sub, h.Packet.Dst})
				}
			}
		}
		per = append(per, ls)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, l := range per[i%len(per)] {
			if _, err := e.NextHopFromSubnet(l.sub, l.dst); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/trace")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/trace")
}
