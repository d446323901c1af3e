// Package topogen generates synthetic hub-and-spoke topologies for
// benchmarks and tests: one hub (Azure Firewall, VPN gateway with BGP, an
// on-premises site) and N spokes peered with it through gateway transit,
// each with subnets, a route table sending 0.0.0.0/0 to the firewall, an
// NSG, NICs and a private endpoint. Addresses are deterministic.
package topogen

import (
	"fmt"
	"net/netip"

	"github.com/pathproof/pathproof/internal/topology"
)

// Spec sizes the topology.
type Spec struct {
	Spokes          int // at most 4000 (each spoke gets a /20 of 10.0.0.0/8 after the hub's)
	SubnetsPerSpoke int // at most 15
	NICsPerSubnet   int // at most 200
	// ILBPerSpoke gives every spoke an internal Standard load balancer
	// (frontend ILBFrontend(i) in subnet s00, TCP 443 to the NICs of s00,
	// a TCP 443 probe): the ILB-per-spoke benchmark variant (#14).
	ILBPerSpoke bool
	// VWAN replaces the hub VNet by a Virtual WAN of two secured hubs
	// (Azure Firewall, routing intent sending private and Internet
	// traffic to it, a VPN branch on the first): spoke i connects to hub
	// i%2 and has no route table (it learns its routes from the hub). The
	// Virtual WAN benchmark variant (#14); see vwan.go.
	VWAN bool
}

// ILBFrontend returns the frontend address of spoke i's load balancer.
func ILBFrontend(i int) netip.Addr { return add(spokeBase(i), 250) }

// Default is the benchmark size: 1,000 spokes, 10,000 subnets, 50,000 NICs.
var Default = Spec{Spokes: 1000, SubnetsPerSpoke: 10, NICsPerSubnet: 5}

// FirewallIP is the hub firewall's private address.
var FirewallIP = netip.MustParseAddr("10.0.0.4")

// spokeBase returns the /20 of spoke i (the hub has 10.0.0.0/20).
func spokeBase(i int) netip.Addr {
	v := uint32(10)<<24 | uint32(i+1)<<12
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func add(a netip.Addr, n uint32) netip.Addr {
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]) + n
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// NICIP returns the address of NIC k in subnet j of spoke i.
func NICIP(i, j, k int) netip.Addr { return add(spokeBase(i), uint32(j)<<8+uint32(k)+4) }

// Generate builds the topology (indexed, not validated).
func Generate(s Spec) (*topology.Network, error) {
	if s.Spokes < 1 || s.Spokes > 4000 || s.SubnetsPerSpoke < 1 || s.SubnetsPerSpoke > 15 || s.NICsPerSubnet < 0 || s.NICsPerSubnet > 200 {
		return nil, fmt.Errorf("topogen: spec %+v out of range", s)
	}
	n := &topology.Network{}
	gwRT := &topology.RouteTable{Name: "rt-gateway"}
	if s.VWAN {
		addVWAN(n, s)
	} else {
		addHub(n, gwRT)
	}
	t := true
	for i := range s.Spokes {
		name := fmt.Sprintf("spoke%04d", i)
		base := spokeBase(i)
		v := &topology.VNet{Name: name, Region: "westeurope", AddressSpace: []netip.Prefix{netip.PrefixFrom(base, 20)}}
		rt := &topology.RouteTable{Name: "rt-" + name, DisableBGPRoutePropagation: true, Routes: []*topology.Route{
			{Name: "default-to-fw", Prefix: "0.0.0.0/0", NextHopType: topology.HopVirtualAppliance, NextHopIP: FirewallIP},
			{Name: "dc-to-fw", Prefix: "192.168.0.0/16", NextHopType: topology.HopVirtualAppliance, NextHopIP: FirewallIP},
			{Name: "local", Prefix: netip.PrefixFrom(base, 20).String(), NextHopType: topology.HopVnetLocal},
		}}
		nsg := &topology.NSG{Name: "nsg-" + name, Rules: []*topology.SecurityRule{
			{Name: "Allow-HTTPS", Priority: 100, Direction: "Inbound", Access: "Allow", Protocol: "Tcp", Source: []string{"10.0.0.0/8"}, SourcePorts: []string{"*"}, Destination: []string{"*"}, DestinationPorts: []string{"443"}},
			{Name: "Allow-SSH-Admin", Priority: 200, Direction: "Inbound", Access: "Allow", Protocol: "Tcp", Source: []string{"192.168.100.0/24"}, SourcePorts: []string{"*"}, Destination: []string{"*"}, DestinationPorts: []string{"22"}},
			{Name: "Deny-VNet", Priority: 300, Direction: "Inbound", Access: "Deny", Protocol: "*", Source: []string{"VirtualNetwork"}, SourcePorts: []string{"*"}, Destination: []string{"*"}, DestinationPorts: []string{"*"}},
			{Name: "Deny-Internet-Out", Priority: 100, Direction: "Outbound", Access: "Deny", Protocol: "*", Source: []string{"*"}, SourcePorts: []string{"*"}, Destination: []string{"Internet"}, DestinationPorts: []string{"*"}},
		}}
		if s.VWAN {
			rt = nil
		} else {
			n.RouteTables = append(n.RouteTables, rt)
		}
		n.NSGs = append(n.NSGs, nsg)
		for j := range s.SubnetsPerSpoke {
			sn := &topology.Subnet{Name: fmt.Sprintf("s%02d", j), Prefix: netip.PrefixFrom(add(base, uint32(j)<<8), 24), NSG: nsg.Name}
			if rt != nil {
				sn.RouteTable = rt.Name
			}
			v.Subnets = append(v.Subnets, sn)
			for k := range s.NICsPerSubnet {
				n.NICs = append(n.NICs, &topology.NIC{Name: fmt.Sprintf("%s-s%02d-nic%03d", name, j, k), Subnet: name + "/" + sn.Name, IP: NICIP(i, j, k)})
			}
		}
		if s.ILBPerSpoke {
			n.LoadBalancers = append(n.LoadBalancers, spokeILB(name, i, s.NICsPerSubnet))
			// Deny-VNet would block the health probe (VirtualNetwork holds
			// 168.63.129.16): admit it first, as a real spoke must.
			nsg.Rules = append(nsg.Rules, &topology.SecurityRule{Name: "Allow-LB-Probe", Priority: 250, Direction: "Inbound", Access: "Allow", Protocol: "Tcp",
				Source: []string{"AzureLoadBalancer"}, SourcePorts: []string{"*"}, Destination: []string{"*"}, DestinationPorts: []string{"443"}})
		}
		pe := &topology.Subnet{Name: "pe", Prefix: netip.PrefixFrom(add(base, 15<<8), 24)}
		v.Subnets = append(v.Subnets, pe)
		n.PrivateEndpoints = append(n.PrivateEndpoints, &topology.PrivateEndpoint{Name: "pe-" + name, Subnet: name + "/pe", IP: add(base, 15<<8+4)})
		n.VNets = append(n.VNets, v)
		if s.VWAN {
			connectSpoke(n, i, name)
			continue
		}
		n.Peerings = append(n.Peerings,
			&topology.Peering{VNet: "hub", RemoteVNet: name, AllowGatewayTransit: true, AllowForwardedTraffic: true, AllowVirtualNetworkAccess: &t},
			&topology.Peering{VNet: name, RemoteVNet: "hub", UseRemoteGateways: true, AllowForwardedTraffic: true})
		gwRT.Routes = append(gwRT.Routes, &topology.Route{Name: "to-" + name, Prefix: netip.PrefixFrom(base, 20).String(), NextHopType: topology.HopVirtualAppliance, NextHopIP: FirewallIP})
	}
	n.Index()
	return n, nil
}

// addHub adds the hub VNet: Azure Firewall, a VPN gateway with BGP to the
// data centre site, a shared subnet with a DNS server NIC, and the
// GatewaySubnet route table gwRT (its spoke routes are added per spoke).
func addHub(n *topology.Network, gwRT *topology.RouteTable) {
	hub := &topology.VNet{Name: "hub", Region: "westeurope", AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/20")},
		Subnets: []*topology.Subnet{
			{Name: "AzureFirewallSubnet", Prefix: netip.MustParsePrefix("10.0.0.0/26")},
			{Name: "GatewaySubnet", Prefix: netip.MustParsePrefix("10.0.1.0/27"), RouteTable: "rt-gateway"},
			{Name: "shared", Prefix: netip.MustParsePrefix("10.0.2.0/24"), NSG: "nsg-shared"},
		}}
	n.VNets = append(n.VNets, hub)
	n.NSGs = append(n.NSGs, &topology.NSG{Name: "nsg-shared", Rules: []*topology.SecurityRule{
		{Name: "Allow-DNS", Priority: 100, Direction: "Inbound", Access: "Allow", Protocol: "Udp", Source: []string{"VirtualNetwork"}, SourcePorts: []string{"*"}, Destination: []string{"*"}, DestinationPorts: []string{"53"}},
	}})
	n.NICs = append(n.NICs, &topology.NIC{Name: "dns1-nic", Subnet: "hub/shared", IP: netip.MustParseAddr("10.0.2.4")})
	n.RouteTables = append(n.RouteTables, gwRT)
	n.Firewalls = append(n.Firewalls, &topology.Firewall{Name: "fw-hub", Subnet: "hub/AzureFirewallSubnet", PrivateIP: FirewallIP,
		PublicIPs: []netip.Addr{netip.MustParseAddr("203.0.113.10")}, Policy: "fwpol"})
	n.FirewallPolicies = append(n.FirewallPolicies, firewallPolicy())
	n.Gateways = append(n.Gateways, &topology.Gateway{Name: "vpngw", VNet: "hub", Type: "Vpn", SKU: "VpnGw2", BGP: topology.BGP{Enabled: true, ASN: 65515},
		PublicIP: netip.MustParseAddr("203.0.113.20")})
	n.Connections = append(n.Connections, &topology.Connection{Name: "to-dc", Gateway: "vpngw", Type: "IPsec", Remote: "dc",
		LearnedPrefixes: []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("172.20.0.0/16"), netip.MustParsePrefix("192.168.10.0/24")}})
	n.OnPremSites = append(n.OnPremSites, &topology.OnPremSite{Name: "dc", Prefixes: []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("172.20.0.0/16")},
		Hosts: []*topology.Host{{Name: "dc-host", IP: netip.MustParseAddr("192.168.1.10")}}})
}

// spokeILB is spoke i's internal load balancer over the NICs of subnet s00.
func spokeILB(name string, i, nics int) *topology.LoadBalancer {
	pool := &topology.LBBackendPool{Name: "s00"}
	for k := range nics {
		pool.NICs = append(pool.NICs, fmt.Sprintf("%s-s00-nic%03d", name, k))
	}
	return &topology.LoadBalancer{Name: "ilb-" + name, SKU: topology.LBSKUStandard,
		Frontends:    []*topology.LBFrontend{{Name: "fe", Subnet: name + "/s00", PrivateIP: ILBFrontend(i)}},
		BackendPools: []*topology.LBBackendPool{pool},
		Probes:       []*topology.LBProbe{{Name: "https", Protocol: "Tcp", Port: 443}},
		Rules:        []*topology.LBRule{{Name: "https", Frontend: "fe", BackendPool: "s00", Probe: "https", Protocol: "Tcp", FrontendPort: 443, BackendPort: 443}}}
}

// firewallPolicy is the firewalls' policy: TCP 443 within 10.0.0.0/8.
func firewallPolicy() *topology.FirewallPolicy {
	return &topology.FirewallPolicy{Name: "fwpol", ThreatIntelMode: "Alert", SNATPrivateRanges: []string{"IANAPrivateRanges"},
		RuleCollectionGroups: []*topology.RuleCollectionGroup{{Name: "DefaultNetworkRuleCollectionGroup", Priority: 200, RuleCollections: []*topology.RuleCollection{
			{Name: "east-west", Type: "Network", Priority: 100, Action: "Allow", Rules: []*topology.FirewallRule{
				{Name: "https", Protocols: []string{"TCP"}, SourceAddresses: []string{"10.0.0.0/8"}, DestinationAddresses: []string{"10.0.0.0/8"}, DestinationPorts: []string{"443"}},
			}},
		}}}}
}
