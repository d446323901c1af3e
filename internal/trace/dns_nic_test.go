package trace

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// TestResolveNameNICDNSServers: a NIC's own DNS servers take precedence
// over its VNet's (Microsoft, Name resolution for resources in Azure
// virtual networks, Specify DNS servers); a NIC without any inherits the
// VNet's. The answer says the servers were the NIC's.
func TestResolveNameNICDNSServers(t *testing.T) {
	const name = "mystorageaccount.blob.core.windows.net"
	ip := netip.MustParseAddr
	setNIC := func(s ...string) func(n *topology.Network) {
		return func(n *topology.Network) {
			for _, x := range s {
				n.NIC("client-nic").DNSServers = append(n.NIC("client-nic").DNSServers, ip(x))
			}
		}
	}
	vnetCustom := func(n *topology.Network) { n.VNet("spokevnet").DNSServers = []netip.Addr{ip("10.1.0.10")} }
	both := func(fs ...func(*topology.Network)) func(*topology.Network) {
		return func(n *topology.Network) {
			for _, f := range fs {
				f(n)
			}
		}
	}
	cases := []struct {
		name              string
		edit              func(n *topology.Network)
		result, addr, why string
		server, from      string
	}{
		{"NIC custom server wins over the VNet's Azure DNS", setNIC("10.1.0.10"), azure.DNSUnknown, "",
			"NIC client-nic uses custom DNS server 10.1.0.10", "10.1.0.10 (custom DNS server), set on NIC client-nic", "nic:client-nic"},
		{"NIC Azure DNS wins over the VNet's custom server", both(vnetCustom, setNIC("168.63.129.16")), azure.DNSPrivate, "10.0.1.4",
			"linked to VNet spokevnet", "Azure DNS (168.63.129.16), set on NIC client-nic", "nic:client-nic"},
		{"NIC without servers inherits the VNet's custom server", vnetCustom, azure.DNSUnknown, "",
			"VNet spokevnet uses custom DNS server 10.1.0.10", "10.1.0.10 (custom DNS server)", ""},
		{"NIC without servers inherits the VNet's Azure DNS", nil, azure.DNSPrivate, "10.0.1.4",
			"linked to VNet spokevnet", "Azure DNS (168.63.129.16)", ""},
		{"NIC points at the hub firewall's DNS proxy", setNIC("10.0.1.132"), azure.DNSPublic, "52.239.174.228",
			"no private zone linked to VNet hubvnet", "10.0.1.132 (Azure Firewall hub-fw, DNS proxy), set on NIC client-nic", "nic:client-nic"},
		{"NIC's forwarder to a public resolver", both(setNIC("10.1.0.20"), func(n *topology.Network) {
			n.DNSForwarders = append(n.DNSForwarders, &topology.DNSForwarder{Name: "fwd", IP: ip("10.1.0.20"), ForwardsTo: "public"})
		}), azure.DNSPublic, "52.239.174.228", "NIC client-nic uses custom DNS server 10.1.0.20, which forwards to a public resolver",
			"10.1.0.20 (custom DNS server fwd, forwards to public), set on NIC client-nic", "nic:client-nic"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, got := resolveEdited(t, c.edit, "nic:client-nic", name)
			if a.Result != c.result || got != c.addr || !strings.Contains(a.Why, c.why) || a.Server != c.server || a.ServersFrom != c.from {
				t.Errorf("got %s %q server %q from %q why %q\nwant %s %q server %q from %q why has %q", a.Result, got, a.Server, a.ServersFrom, a.Why,
					c.result, c.addr, c.server, c.from, c.why)
			}
		})
	}
	// A trace to the name from a NIC whose own server does not say what it
	// forwards to stops at DNS, naming the NIC.
	n := e0(t)
	n.NIC("client-nic").DNSServers = []netip.Addr{ip("10.1.0.10")}
	_, err := TraceEngine(azure.New(n, azure.Options{}), Query{From: "nic:client-nic", Name: name, DstPort: 443})
	var ne *NameError
	if !errors.As(err, &ne) || ne.Answer.ServersFrom != "nic:client-nic" || !strings.Contains(err.Error(), "NIC client-nic uses custom DNS server") {
		t.Errorf("trace err = %v", err)
	}
}

func e0(t *testing.T) *topology.Network {
	t.Helper()
	n := loadEngine(t, "dns.yaml").Net.Clone()
	n.Index()
	return n
}
