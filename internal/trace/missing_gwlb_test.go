package trace

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology/load"
)

// TestMissingGatewayLBSaysAppliancesAreUnknown loads an export whose NIC's
// public IP is chained to a Gateway load balancer frontend the export
// lacks: traffic to the public IP would pass the provider's appliances
// first, so the trace must say they are not shown instead of presenting a
// direct path as the whole answer.
func TestMissingGatewayLBSaysAppliancesAreUnknown(t *testing.T) {
	n, d, err := load.Load(filepath.Join("testdata", "missing-gwlb.json"))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if len(d.Missing) != 1 || !strings.Contains(d.Missing[0].Ref, "loadBalancers/gwlb") {
		t.Fatalf("missing references %v, want the gateway load balancer frontend", d.Missing)
	}
	e := azure.New(n, azure.Options{})
	for _, c := range []struct{ from, to string }{
		{"internet:203.0.113.9", "20.1.2.3:443"},
		{"nic:web-nic", "52.1.2.3:443"},
	} {
		q, err := ParseQuery(c.from, c.to, "tcp", DefaultSourcePort)
		if err != nil {
			t.Fatal(err)
		}
		res, err := TraceEngine(e, q)
		if err != nil {
			t.Fatal(err)
		}
		if all := strings.Join(res.Assumptions, "\n"); !strings.Contains(all, "loadBalancers/gwlb") || !strings.Contains(all, "not in the inputs") {
			t.Errorf("%s → %s: the assumptions do not name the missing gateway load balancer:\n%s", c.from, c.to, all)
		}
	}
}
