package topogen

import (
	"fmt"
	"net/netip"

	"github.com/pathproof/pathproof/internal/topology"
)

// The Virtual WAN variant (#14): one virtual WAN, two secured hubs, each
// with Azure Firewall and a routing intent sending private and Internet
// traffic to it; spokes alternate between the hubs; the data centre is a
// VPN branch of the first hub.

// HubFirewallIP returns the private address of hub h's firewall (h is 0
// or 1).
func HubFirewallIP(h int) netip.Addr { return netip.AddrFrom4([4]byte{10, 255, byte(2*h + 1), 4}) }

// SpokeHub returns the hub (0 or 1) spoke i connects to.
func SpokeHub(i int) int { return i % 2 }

func hubName(h int) string { return fmt.Sprintf("vhub%d", h+1) }

// addVWAN adds the virtual WAN, its two hubs with their firewalls and
// routing intent, and the data centre branch.
func addVWAN(n *topology.Network, _ Spec) {
	n.VirtualWANs = append(n.VirtualWANs, &topology.VirtualWAN{Name: "wan", Type: "Standard"})
	n.FirewallPolicies = append(n.FirewallPolicies, firewallPolicy())
	n.OnPremSites = append(n.OnPremSites, &topology.OnPremSite{Name: "dc", Prefixes: []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("172.20.0.0/16")},
		Hosts: []*topology.Host{{Name: "dc-host", IP: netip.MustParseAddr("192.168.1.10")}}})
	for h := range 2 {
		name := hubName(h)
		fw := "fw-" + name
		hub := &topology.VirtualHub{Name: name, WAN: "wan", Region: "westeurope",
			AddressPrefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 255, byte(2 * h), 0}), 23),
			RouterIPs:     []netip.Addr{netip.AddrFrom4([4]byte{10, 255, byte(2 * h), 68}), netip.AddrFrom4([4]byte{10, 255, byte(2 * h), 69})},
			RoutingIntent: &topology.RoutingIntent{Name: "intent-" + name, PrivateNextHop: fw, InternetNextHop: fw}}
		if h == 0 {
			hub.Connections = append(hub.Connections, &topology.HubConnection{Name: "dc-vpn", Type: topology.HubConnVPN, Site: "dc"})
		}
		n.VirtualHubs = append(n.VirtualHubs, hub)
		n.Firewalls = append(n.Firewalls, &topology.Firewall{Name: fw, Hub: name, PrivateIP: HubFirewallIP(h),
			PublicIPs: []netip.Addr{netip.AddrFrom4([4]byte{203, 0, 113, byte(30 + h)})}, Policy: "fwpol"})
	}
}

// connectSpoke connects spoke i (VNet name) to its hub, with Internet
// security so it learns the hub's 0.0.0.0/0.
func connectSpoke(n *topology.Network, i int, name string) {
	h := n.VirtualHubs[SpokeHub(i)]
	h.Connections = append(h.Connections, &topology.HubConnection{Name: name + "-conn", RemoteVNet: name, InternetSecurity: true})
}
