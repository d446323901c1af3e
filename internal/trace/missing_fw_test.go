package trace

import (
	"strings"
	"testing"
)

// TestRouteToLeftOutFirewall: the spoke's default route points at a
// firewall whose hub VNet the export lacks, so the firewall is left out.
// The drop must say so, not that Azure shows next hop None (which it would
// not: the firewall exists).
func TestRouteToLeftOutFirewall(t *testing.T) {
	_, e := loadMissing(t, "missing-fw-subnet.json", "AzureFirewallSubnet")
	res := traceTCP(t, e, "nic:app-nic", "52.1.2.3:443")
	dr := res.Forward.Drop
	if dr == nil || dr.Reason != DropNextHopNotFound {
		t.Fatalf("forward %s, drop %+v; want %s", res.Forward.Result, dr, DropNextHopNotFound)
	}
	if !strings.Contains(dr.Detail, "firewall hub-fw") || !strings.Contains(dr.Detail, "AzureFirewallSubnet") || strings.Contains(dr.Detail, "None") {
		t.Errorf("drop detail %q: want it to name the left-out firewall and its missing subnet, and not claim next hop None", dr.Detail)
	}
	if !strings.Contains(dr.Fix, "AzureFirewallSubnet") {
		t.Errorf("fix %q does not say which export to load", dr.Fix)
	}
}
