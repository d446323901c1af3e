package trace

import (
	"strings"
	"testing"
)

// TestMissingGatewayLBSaysAppliancesAreUnknown loads an export whose NIC's
// public IP is chained to a Gateway load balancer frontend the export
// lacks: traffic to the public IP would pass the provider's appliances
// first, so the trace must say they are not shown instead of presenting a
// direct path as the whole answer.
func TestMissingGatewayLBSaysAppliancesAreUnknown(t *testing.T) {
	_, e := loadMissing(t, "missing-gwlb.json", "loadBalancers/gwlb")
	for _, c := range []struct{ from, to string }{
		{"internet:203.0.113.9", "20.1.2.3:443"},
		{"nic:web-nic", "52.1.2.3:443"},
	} {
		res := traceTCP(t, e, c.from, c.to)
		if all := strings.Join(res.Assumptions, "\n"); !strings.Contains(all, "loadBalancers/gwlb") || !strings.Contains(all, "not in the inputs") {
			t.Errorf("%s → %s: the assumptions do not name the missing gateway load balancer:\n%s", c.from, c.to, all)
		}
	}
}
