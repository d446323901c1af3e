package trace

import (
	"net/netip"
	"strings"
	"testing"
)

// TestPingWorksHTTPSFails traces three protocols over the same asymmetric
// network (§5.4): the TCP SYN-ACK dies at the firewall as INVALID although a
// rule allows the reverse direction, the ICMP echo reply and the UDP reply
// are judged by the rules as new flows (allowed for ICMP, default-denied for
// UDP), and the asymmetric-stateful finding names the protocol and the log
// line each leaves.
func TestPingWorksHTTPSFails(t *testing.T) {
	e := loadEngine(t, "asymmetric.yaml")
	cases := []struct {
		name, proto string
		port        uint16
		works       bool
		returnRes   string
		severity    string
		msgHas      string
		evidenceHas []string
		evidenceNot string
	}{
		{"https fails", "tcp", 443, false, ResultDropped, "error", "TCP reply:",
			[]string{"AZFWFlowTrace", "TCP SYN-ACK", "INVALID"}, "AZFWNetworkRule"},
		{"ping works", "icmp", 0, true, ResultDelivered, "warning", "so ping works on this path, but a TCP flow on the same path fails",
			[]string{"AZFWNetworkRule", `"ICMP Type=0 request from 10.101.1.4 to 192.168.20.10. Action: Allow."`, "Rule ping-out"}, "INVALID in the flow trace log (AZFWFlowTrace) shows"},
		{"dns reply denied", "udp", 53, false, ResultDropped, "error", "UDP reply:",
			[]string{`"UDP request from 10.101.1.4:53 to 192.168.20.10:50000. Action: Deny."`, "Default Action"}, "shows the reply udp"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := TraceEngine(e, Query{From: "onprem:onprem/user-pc", Dst: netip.MustParseAddr("10.101.1.4"), DstPort: c.port, Protocol: c.proto})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(r.Forward.Tokens(), " "); got != "onprem:onprem gateway:gw-hub nic:app-vm-nic" {
				t.Fatalf("forward %s %s", r.Forward.Result, got)
			}
			if r.Works() != c.works || r.Return.Result != c.returnRes {
				t.Errorf("works %v return %s %v, want works %v return %s", r.Works(), r.Return.Result, r.Return.Tokens(), c.works, c.returnRes)
			}
			if c.returnRes == ResultDropped && (r.Return.Drop.At != "firewall:azfw" || r.Return.Drop.Reason != DropAsymmetric) {
				t.Errorf("drop %+v", r.Return.Drop)
			}
			var f *Finding
			for i := range r.Findings {
				if r.Findings[i].Code == FindAsymmetric {
					f = &r.Findings[i]
				}
			}
			if f == nil {
				t.Fatalf("no %s finding in %+v", FindAsymmetric, r.Findings)
			}
			if f.Severity != c.severity || !strings.Contains(f.Message, c.msgHas) {
				t.Errorf("finding %s %q, want %s containing %q", f.Severity, f.Message, c.severity, c.msgHas)
			}
			for _, w := range c.evidenceHas {
				if !strings.Contains(f.Evidence, w) {
					t.Errorf("evidence %q lacks %q", f.Evidence, w)
				}
			}
			if strings.Contains(f.Evidence, c.evidenceNot) {
				t.Errorf("evidence %q has %q", f.Evidence, c.evidenceNot)
			}
			if !strings.Contains(f.Fix, "hub/GatewaySubnet") {
				t.Errorf("fix %q does not name GatewaySubnet", f.Fix)
			}
		})
	}
}

// TestStatelessRequestThroughFirewall: the request crosses the firewall
// and the reply goes around it. ICMP needs no session for the reply, so
// ping works (a warning); TCP does not (the client's next packet is
// INVALID).
func TestStatelessRequestThroughFirewall(t *testing.T) {
	e := loadEngine(t, "asymmetric.yaml")
	for _, c := range []struct {
		proto    string
		port     uint16
		works    bool
		severity string
		evidence string
	}{
		{"icmp", 0, true, "warning", "shows the ICMP request allowed and nothing for the reply"},
		{"tcp", 22, false, "error", "client's next packet to 192.168.20.10:22 as INVALID"},
	} {
		t.Run(c.proto, func(t *testing.T) {
			r, err := TraceEngine(e, Query{From: "nic:app-vm-nic", Dst: netip.MustParseAddr("192.168.20.10"), DstPort: c.port, Protocol: c.proto})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(r.Return.Tokens(), " "); r.Return.Result != ResultDelivered || got != "onprem:onprem gateway:gw-hub nic:app-vm-nic" {
				t.Fatalf("forward %v, return %s %s", r.Forward.Tokens(), r.Return.Result, got)
			}
			if r.Works() != c.works {
				t.Errorf("works = %v", r.Works())
			}
			for _, f := range r.Findings {
				if f.Code == FindAsymmetric {
					if f.Severity != c.severity || !strings.Contains(f.Evidence, c.evidence) || !strings.HasPrefix(f.Message, strings.ToUpper(c.proto)+":") {
						t.Errorf("finding %s %q evidence %q", f.Severity, f.Message, f.Evidence)
					}
					return
				}
			}
			t.Errorf("no %s finding: %+v", FindAsymmetric, r.Findings)
		})
	}
}
