package trace

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// TestResolveName resolves one privatelink name from each kind of source
// and DNS setup (§11): the answer, who answered and why.
func TestResolveName(t *testing.T) {
	const name = "MyStorageAccount.blob.core.windows.net."
	cases := []struct {
		name, from string
		edit       func(n *topology.Network)
		result     string
		addr       string
		whyHas     string
	}{
		{"azure dns, linked zone", "nic:client-nic", nil, azure.DNSPrivate, "10.0.1.4", "zone privatelink.blob.core.windows.net is linked to VNet spokevnet (link spokevnet-link)"},
		{"internet client", "internet:203.0.113.50", nil, azure.DNSPublic, "52.239.174.228", "public_dns"},
		{"a NIC by its bare IP", "10.1.0.4", nil, azure.DNSPrivate, "10.0.1.4", "spokevnet-link"},
		{"firewall dns proxy, zone not linked to its VNet", "nic:client-nic", func(n *topology.Network) {
			n.VNet("spokevnet").DNSServers = []netip.Addr{netip.MustParseAddr("10.0.1.132")}
		}, azure.DNSPublic, "52.239.174.228", "no private zone linked to VNet hubvnet"},
		{"firewall without dns proxy", "nic:client-nic", func(n *topology.Network) {
			n.VNet("spokevnet").DNSServers = []netip.Addr{netip.MustParseAddr("10.0.1.132")}
			n.FirewallPolicy("fwpol").DNSProxy = false
		}, azure.DNSUnknown, "", "does not enable DNS proxy"},
		{"custom server, forwarding unknown", "nic:client-nic", func(n *topology.Network) {
			n.VNet("spokevnet").DNSServers = []netip.Addr{netip.MustParseAddr("10.1.0.10")}
		}, azure.DNSUnknown, "", "what it forwards to is not in the inputs"},
		{"custom server forwarding to azure from its VNet", "nic:client-nic", func(n *topology.Network) {
			n.VNet("spokevnet").DNSServers = []netip.Addr{netip.MustParseAddr("10.1.0.10")}
			n.DNSForwarders = append(n.DNSForwarders, &topology.DNSForwarder{Name: "dc1", IP: netip.MustParseAddr("10.1.0.10"), ForwardsTo: "azure", VNet: "spokevnet"})
		}, azure.DNSPrivate, "10.0.1.4", "spokevnet-link"},
		{"custom server forwarding to a public resolver", "nic:client-nic", func(n *topology.Network) {
			n.VNet("spokevnet").DNSServers = []netip.Addr{netip.MustParseAddr("10.1.0.10")}
			n.DNSForwarders = append(n.DNSForwarders, &topology.DNSForwarder{IP: netip.MustParseAddr("10.1.0.10"), ForwardsTo: "public"})
		}, azure.DNSPublic, "52.239.174.228", "forwards to a public resolver"},
		{"linked zone lacks the record", "nic:client-nic", func(n *topology.Network) {
			n.PrivateDNSZone("privatelink.blob.core.windows.net").ARecords = nil
		}, azure.DNSNXDomain, "", "Azure DNS answers NXDOMAIN"},
		{"zone not linked", "nic:client-nic", func(n *topology.Network) {
			n.PrivateDNSZone("privatelink.blob.core.windows.net").Links = nil
		}, azure.DNSPublic, "52.239.174.228", "no private zone linked to VNet spokevnet holds mystorageaccount.privatelink"},
		{"cname in the zone", "nic:client-nic", func(n *topology.Network) {
			z := n.PrivateDNSZone("privatelink.blob.core.windows.net")
			z.ARecords = []*topology.DNSARecord{{Name: "real", IPs: []netip.Addr{netip.MustParseAddr("10.0.1.5")}}}
			z.CNAMERecords = []*topology.DNSCNAMERecord{{Name: "mystorageaccount", Target: "real.privatelink.blob.core.windows.net."}}
		}, azure.DNSPrivate, "10.0.1.5", "has A record real"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, got := resolveEdited(t, c.edit, c.from, name)
			if a.Result != c.result || got != c.addr || !strings.Contains(a.Why, c.whyHas) {
				t.Errorf("got %s %q why %q; want %s %q with %q\nchain %+v", a.Result, got, a.Why, c.result, c.addr, c.whyHas, a.Chain)
			}
			if a.Name != "mystorageaccount.blob.core.windows.net" {
				t.Errorf("name %q not canonical", a.Name)
			}
		})
	}
}

// resolveEdited resolves name from source from on dns.yaml changed by edit
// (nil: as loaded); it returns the answer and its address ("" for none).
func resolveEdited(t *testing.T, edit func(*topology.Network), from, name string) (azure.DNSAnswer, string) {
	t.Helper()
	e := loadEngine(t, "dns.yaml")
	if edit != nil {
		n := e.Net.Clone()
		edit(n)
		n.Index()
		e = azure.New(n, azure.Options{})
	}
	a, err := ResolveName(e, from, name)
	if err != nil {
		t.Fatal(err)
	}
	if ip, ok := a.Address(); ok {
		return a, ip.String()
	}
	return a, ""
}

// TestTraceToName: a trace to a name resolves it first and records the
// answer; a name without an address is a NameError carrying the answer.
func TestTraceToName(t *testing.T) {
	e := loadEngine(t, "dns.yaml")
	r, err := TraceEngine(e, Query{From: "nic:client-nic", Name: "mystorageaccount.blob.core.windows.net", DstPort: 443})
	if err != nil {
		t.Fatal(err)
	}
	if r.DNS == nil || r.Query.Dst != netip.MustParseAddr("10.0.1.4") || strings.Join(r.Forward.Tokens(), " ") != "nic:client-nic pe:pe-mystorageaccount" {
		t.Errorf("dns %+v, query %+v, forward %v", r.DNS, r.Query, r.Forward.Tokens())
	}
	_, err = TraceEngine(e, Query{From: "onprem:nowhere/pc", Name: "x.example.com", DstPort: 443})
	if err == nil {
		t.Error("unknown source: want an error")
	}
	n := e.Net.Clone()
	n.PrivateDNSZone("privatelink.blob.core.windows.net").ARecords = nil
	_, err = TraceEngine(azure.New(n, azure.Options{}), Query{From: "nic:client-nic", Name: "mystorageaccount.blob.core.windows.net", DstPort: 443})
	var ne *NameError
	if !errors.As(err, &ne) || ne.Answer.Result != azure.DNSNXDomain || !strings.Contains(err.Error(), "NXDOMAIN") {
		t.Errorf("err = %v", err)
	}
}

// TestParseQueryNames covers NAME[:PORT] destinations.
func TestParseQueryNames(t *testing.T) {
	cases := []struct {
		to, proto, name string
		port            uint16
		bad             bool
	}{
		{"kv-contoso.vault.azure.net:443", "tcp", "kv-contoso.vault.azure.net", 443, false},
		{"kv-contoso.vault.azure.net.:443", "tcp", "kv-contoso.vault.azure.net.", 443, false},
		{"kv-contoso.vault.azure.net", "icmp", "kv-contoso.vault.azure.net", 0, false},
		{"kv-contoso.vault.azure.net", "tcp", "", 0, true},
		{"kv-contoso.vault.azure.net:0", "tcp", "", 0, true},
		{"kv-contoso.vault.azure.net:70000", "tcp", "", 0, true},
		{"-bad.example.com:443", "tcp", "", 0, true},
		{"bad name:443", "tcp", "", 0, true},
		{"10.0.0.300:443", "tcp", "", 0, true},
		{strings.Repeat("a", 64) + ".com:443", "tcp", "", 0, true},
	}
	for _, c := range cases {
		q, err := ParseQuery("nic:a", c.to, c.proto, DefaultSourcePort)
		if c.bad {
			if err == nil {
				t.Errorf("%s: want an error, got %+v", c.to, q)
			}
			continue
		}
		if err != nil || q.Name != c.name || q.DstPort != c.port || q.Dst.IsValid() {
			t.Errorf("%s: %+v %v", c.to, q, err)
		}
	}
}

// FuzzParseQuery feeds arbitrary --to strings: a query or an error, never
// a panic, and a name query always carries a name.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"10.0.0.4:443", "kv.vault.azure.net:443", "kv.vault.azure.net", "[::1]:80", ":", "a:b:c", "x.-y:1", "1.2.3:4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, to string) {
		for _, proto := range []string{"tcp", "icmp"} {
			q, err := ParseQuery("nic:a", to, proto, DefaultSourcePort)
			if err == nil && !q.Dst.IsValid() && q.Name == "" {
				t.Errorf("%q: no destination in %+v", to, q)
			}
		}
	})
}
