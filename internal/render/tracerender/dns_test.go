package tracerender

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
)

// TestDNS: a resolution for people: the answer with every address, who
// answered from which VNet, each record of the chain with why, the
// assumptions, names escaped; without a chain, the answer's why.
func TestDNS(t *testing.T) {
	a1, a2 := netip.MustParseAddr("10.1.2.4"), netip.MustParseAddr("10.1.2.5")
	for _, c := range []struct {
		name string
		a    azure.DNSAnswer
		want string
	}{
		{"chain", azure.DNSAnswer{Name: "vault.example", Result: "private", Addresses: []netip.Addr{a1, a2}, VNet: "spoke", Server: "Azure DNS (168.63.129.16)",
			Chain: []azure.DNSStep{
				{Name: "vault.example", Type: "CNAME", Target: "vault.privatelink.example", Source: "public", Why: "public CNAME"},
				{Name: "vault.privatelink.example", Type: "A", Addresses: []netip.Addr{a1, a2}, Source: "private-zone", Why: "zone linked to spoke"},
			},
			Assumptions: []string{"no conditional forwarder"}},
			"dns: vault.example → private 10.1.2.4, 10.1.2.5 (asked Azure DNS (168.63.129.16), seen from VNet spoke)\n" +
				"  vault.example  CNAME vault.privatelink.example  [public]\n      public CNAME\n" +
				"  vault.privatelink.example  A 10.1.2.4, 10.1.2.5  [private-zone]\n      zone linked to spoke\n" +
				"  assumption: no conditional forwarder\n"},
		{"nxdomain", azure.DNSAnswer{Name: "no\x1bpe.example", Result: "nxdomain", Server: "10.0.0.4", Why: "no zone answers"},
			"dns: no\\x1bpe.example → nxdomain (asked 10.0.0.4)\n  no zone answers\n"},
	} {
		var b strings.Builder
		if err := DNS(&b, c.a); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, b.String(), c.want)
		}
	}
}
