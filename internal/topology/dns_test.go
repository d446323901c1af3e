package topology

import (
	"net/netip"
	"strings"
	"testing"
)

// TestValidateDNS: a link to a VNet the inputs lack, a second
// registration zone, a second zone of one name on a VNet, a CNAME beside an
// A record and a forwarder without a direction are errors naming them.
func TestValidateDNS(t *testing.T) {
	ip := netip.MustParseAddr("10.0.0.10")
	n := &Network{
		VNets: []*VNet{{Name: "hub", AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}},
		PrivateDNSZones: []*PrivateDNSZone{
			{Name: "contoso.internal", Links: []*PrivateDNSZoneLink{{Name: "l1", VNet: "hub", RegistrationEnabled: true}, {Name: "l2", VNet: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/gone"}}},
			{Name: "fabrikam.internal", Links: []*PrivateDNSZoneLink{{Name: "l3", VNet: "hub", RegistrationEnabled: true, ResolutionPolicy: "Sometimes"}}},
			{Name: "Contoso.Internal.", ID: "z3", Links: []*PrivateDNSZoneLink{{Name: "l4", VNet: "hub"}},
				ARecords:     []*DNSARecord{{Name: "www", IPs: []netip.Addr{ip}}},
				CNAMERecords: []*DNSCNAMERecord{{Name: "WWW", Target: "x.contoso.internal"}}},
		},
		DNSForwarders: []*DNSForwarder{{IP: ip, ForwardsTo: "somewhere"}},
	}
	n.Index()
	var d Diagnostics
	n.validateDNS(&d)
	var msgs []string
	for _, e := range d.Errors {
		msgs = append(msgs, e.String())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		`link l2: VNet "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/gone" not found`,
		"already has registration zone contoso.internal",
		`resolution_policy "Sometimes"`,
		"VNet hub is already linked to zone contoso.internal (link l1)",
		"CNAME WWW: name also has an A record",
		`forwards_to "somewhere"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no error containing %q in:\n%s", want, all)
		}
	}
	if len(d.Errors) != 6 {
		t.Errorf("%d errors, want 6:\n%s", len(d.Errors), all)
	}
	z := n.PrivateDNSZone("contoso.internal")
	if !z.Holds("WWW.Contoso.Internal.") || z.Relative("www.contoso.internal") != "www" || z.Relative("contoso.internal") != "@" || z.Holds("xcontoso.internal") {
		t.Error("Holds/Relative")
	}
	if got := len(n.LinkedZones(n.VNet("hub"))); got != 3 {
		t.Errorf("hub has %d linked zones, want 3", got)
	}
}
