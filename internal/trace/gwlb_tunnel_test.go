package trace

import (
	"net/netip"
	"strings"
	"testing"
)

// TestGatewayTunnelDirection checks which VXLAN tunnel interface an
// appliance behind a Gateway load balancer receives on and returns over:
// traffic to the chained endpoint comes in over External and goes back
// over Internal, traffic leaving the endpoint for the Internet the other
// way round, in both legs of a flow.
// The topology is the lb-gateway-chain scenario's (its hop lists are
// asserted there; the tunnel direction is not).
func TestGatewayTunnelDirection(t *testing.T) {
	e := loadEngine(t, "../../scenario/testdata/model2/lb-gateway-chain.yaml")
	for _, c := range []struct {
		name, from string
		dst        string
		port       uint16
		// fwd, ret: the tunnel a leg's appliance receives on.
		fwd, ret string
	}{
		{"internet to the chained instance IP", "internet:203.0.113.50", "20.50.0.20", 80, "External", "Internal"},
		{"the VM starts a flow to the Internet", "nic:web9-nic", "93.184.216.34", 443, "Internal", "External"},
	} {
		r, err := TraceEngine(e, Query{From: c.from, Dst: netip.MustParseAddr(c.dst), DstPort: c.port})
		if err != nil {
			t.Fatal(err)
		}
		for _, leg := range []struct {
			name string
			l    Leg
			want string
		}{{"forward", r.Forward, c.fwd}, {"return", r.Return, c.ret}} {
			var got []string
			for _, h := range leg.l.Hops {
				for _, ch := range h.Checks {
					if ch.Check == "tunnel" {
						got = append(got, ch.Detail)
					}
				}
			}
			if len(got) != 1 || !strings.Contains(got[0], "over VXLAN from gateway load balancer gwlb ("+leg.want+" tunnel") {
				t.Errorf("%s, %s leg: tunnel checks %q, want one receiving over %s", c.name, leg.name, got, leg.want)
			}
		}
	}
}

// TestGatewayLBAddressedDirectly: a packet for the Gateway load balancer's
// own frontend (not a chained endpoint) is not said to pass a chain.
func TestGatewayLBAddressedDirectly(t *testing.T) {
	e := loadEngine(t, "../../scenario/testdata/model2/lb-gateway-chain.yaml")
	r, err := TraceEngine(e, Query{From: "nic:nva1-nic", Dst: netip.MustParseAddr("10.30.1.100"), DstPort: 80})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(r.Assumptions, "\n")
	if !strings.Contains(all, "gateway load balancer gwlb is addressed directly") || strings.Contains(all, "chain as transparent") {
		t.Errorf("forward %v: assumptions do not say gwlb is addressed directly:\n%s", r.Forward.Tokens(), all)
	}
}
