package load

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/export"
)

// bigNetwork builds a hub and spokes: each spoke a /16 with subnets of
// nics NICs each, peered with the hub.
func bigNetwork(spokes, subnets, nics int) *topology.Network {
	n := &topology.Network{}
	hub := &topology.VNet{Name: "hub", AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.255.0.0/16")},
		Subnets: []*topology.Subnet{{Name: "AzureFirewallSubnet", Prefix: netip.MustParsePrefix("10.255.0.0/26")}}}
	n.VNets = append(n.VNets, hub)
	n.RouteTables = append(n.RouteTables, &topology.RouteTable{Name: "rt", Routes: []*topology.Route{{Name: "fw", Prefix: "0.0.0.0/0", NextHopType: topology.HopVirtualAppliance, NextHopIP: netip.MustParseAddr("10.255.0.4")}}})
	n.NSGs = append(n.NSGs, &topology.NSG{Name: "nsg", Rules: []*topology.SecurityRule{{Name: "web", Priority: 100, Direction: "Inbound", Access: "Allow", Protocol: "Tcp",
		Source: []string{"*"}, SourcePorts: []string{"*"}, Destination: []string{"*"}, DestinationPorts: []string{"443"}}}})
	for s := range spokes {
		a, b := s/250, s%250
		v := &topology.VNet{Name: fmt.Sprintf("spoke%d", s), AddressSpace: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(a), byte(b), 0}), 24)}}
		if a > 0 {
			v.AddressSpace = []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(10 + a), byte(b), 0, 0}), 16)}
		}
		for j := range subnets {
			base := v.AddressSpace[0].Addr().As4()
			var sp netip.Prefix
			if a > 0 {
				sp = netip.PrefixFrom(netip.AddrFrom4([4]byte{base[0], base[1], byte(j), 0}), 24)
			} else {
				sp = netip.PrefixFrom(netip.AddrFrom4([4]byte{base[0], base[1], base[2], byte(j * 16)}), 28)
			}
			sn := &topology.Subnet{Name: fmt.Sprintf("s%d", j), Prefix: sp, NSG: "nsg", RouteTable: "rt"}
			v.Subnets = append(v.Subnets, sn)
			for k := range nics {
				ip := sp.Addr().As4()
				ip[3] += byte(4 + k)
				n.NICs = append(n.NICs, &topology.NIC{Name: fmt.Sprintf("spoke%d-s%d-nic%d", s, j, k), Subnet: v.Name + "/" + sn.Name, IP: netip.AddrFrom4(ip)})
			}
		}
		n.VNets = append(n.VNets, v)
		n.Peerings = append(n.Peerings, &topology.Peering{VNet: "hub", RemoteVNet: v.Name}, &topology.Peering{VNet: v.Name, RemoteVNet: "hub", AllowForwardedTraffic: true})
	}
	n.Index()
	return n
}

// benchSpokes sizes BenchmarkLoadAZCLI: PATHPROOF_BENCH_SPOKES=1000 gives
// the 10,000 subnets and 50,000 NICs.
var benchSpokes = func() int {
	if n, err := strconv.Atoi(os.Getenv("PATHPROOF_BENCH_SPOKES")); err == nil && n > 0 && n <= 1000 {
		return n
	}
	return 200
}()

// BenchmarkLoadAZCLI loads an az CLI export of benchSpokes spokes (10
// subnets and 50 NICs each) split into one file per resource kind, as users
// export it.
func BenchmarkLoadAZCLI(b *testing.B) {
	n := bigNetwork(benchSpokes, 10, 5)
	dir := b.TempDir()
	data, _, err := export.AZCLI(n)
	if err != nil {
		b.Fatal(err)
	}
	var items []map[string]any
	if err := json.Unmarshal(data, &items); err != nil {
		b.Fatal(err)
	}
	byType := map[string][]map[string]any{}
	for _, it := range items {
		t, _ := it["type"].(string)
		byType[t] = append(byType[t], it)
	}
	for t, list := range byType {
		out, _ := json.Marshal(list)
		if err := os.WriteFile(filepath.Join(dir, strings.ReplaceAll(t, "/", "_")+".json"), out, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		got, _, err := Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		if len(got.NICs) != len(n.NICs) {
			b.Fatalf("%d NICs, want %d", len(got.NICs), len(n.NICs))
		}
	}
}

// BenchmarkLoadTerraform loads the same network as one terraform show
// -json state (a subnet association per subnet). Its ids use the
// all-zero subscription a plan's made-up ids use, so the parent fix-up
// runs for every child.
func BenchmarkLoadTerraform(b *testing.B) {
	n := bigNetwork(benchSpokes, 10, 5)
	data, _, err := export.TerraformState(n)
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "state.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		got, _, err := Load(p)
		if err != nil {
			b.Fatal(err)
		}
		if len(got.NICs) != len(n.NICs) {
			b.Fatalf("%d NICs, want %d", len(got.NICs), len(n.NICs))
		}
	}
}
