package trace

import (
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
)

// TestMissingNATGatewayLeavesSourceUnknown loads an export whose subnet
// names a NAT gateway the export lacks. The NIC has an instance public IP,
// which Azure would use without the NAT gateway: the trace must not fall
// back to it (nor to any other method) but say the source is unknown.
func TestMissingNATGatewayLeavesSourceUnknown(t *testing.T) {
	n, e := loadMissing(t, "missing-natgw.json", "natGateways/ng-elsewhere")
	o := e.OutboundSourceOf(n.NIC("app-nic"))
	if o.Method != azure.OutboundUnknown || len(o.Addresses) > 0 || len(o.Overridden) > 0 {
		t.Errorf("outbound source %+v, want unknown with no address and nothing overridden", o)
	}
	res := traceTCP(t, e, "nic:app-nic", "52.1.2.3:443")
	if len(res.NAT) > 0 {
		t.Errorf("translations %+v, want none (the source is unknown)", res.NAT)
	}
	for _, h := range res.Forward.Hops {
		if h.Packet.Src.String() == "20.1.2.3" {
			t.Errorf("hop %s got the instance public IP as source: a guess", h.Token())
		}
	}
	if !res.Works() {
		t.Errorf("the flow does not work (forward %s, return %s): the unknown translation must carry the reply back", res.Forward.Result, res.Return.Result)
	}
	all := strings.Join(res.Assumptions, "\n")
	if !strings.Contains(all, "unknown") || !strings.Contains(all, "ng-elsewhere") {
		t.Errorf("assumptions do not say the source is unknown and name the NAT gateway:\n%s", all)
	}
}
