package trace

import (
	"strings"
	"testing"
)

// TestMissingHubSaysRoutesAreUnknown loads an export whose spoke is
// connected to a virtual hub the export lacks. The spoke's own routes send
// 0.0.0.0/0 to the Internet, while the hub (routing intent, a secured hub)
// might send it to a firewall: the trace and the effective routes must say
// that the hub's routes are unknown rather than present the VNet's own as
// the whole answer.
func TestMissingHubSaysRoutesAreUnknown(t *testing.T) {
	n, e := loadMissing(t, "missing-hub.json", "virtualHubs/hub-elsewhere")
	rt := e.Routes(n.NIC("app-nic").SubnetRef())
	if !strings.Contains(strings.Join(rt.Assumptions, "\n"), "hub-elsewhere") {
		t.Errorf("effective routes do not say the hub's routes are unknown: %q", rt.Assumptions)
	}
	res := traceTCP(t, e, "nic:app-nic", "52.1.2.3:443")
	all := strings.Join(res.Assumptions, "\n")
	if !strings.Contains(all, "hub-elsewhere") || !strings.Contains(all, "unknown") {
		t.Errorf("the trace's assumptions do not name the missing hub:\n%s", all)
	}
}
