package demo

import (
	"strconv"
	"time"

	"github.com/pathproof/pathproof/internal/loggen"
)

// asymDay is the day of the "ping works, HTTPS fails" story.
var asymDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// asymmetricStory: on-premises users time out on HTTPS to the spoke app.
// GatewaySubnet has no route toward the spoke through the firewall, so the
// SYN goes gateway → spoke directly while the spoke's 0.0.0.0/0 UDR sends
// the SYN-ACK to the firewall, which never saw the SYN: its flow trace logs
// the replies as INVALID. The app VM's flow log shows every attempt arrive
// and be answered; the firewall's rule logs show its other traffic, so its
// logging was alive and the flow did not cross it.
var asymmetricStory = Story{
	Name:         "https-asymmetric-return",
	Ticket:       "On-premises users say the spoke app (10.101.1.4) answers ping but HTTPS times out; the firewall team sees no denied request.",
	Proves:       "the SYN arrives and the VM answers, the SYN-ACK reaches the firewall without a session: flow trace INVALID, asymmetric return",
	Design:       "trace/https-fails-asymmetric.yaml",
	From:         "onprem:onprem/user-pc",
	To:           "10.101.1.4:443",
	EvidenceFrom: "192.168.20.10",
	EvidenceTo:   "10.101.1.4:443",
	At:           clock(asymDay, 9, 40, 0, 0),
	Want:         StoryWant{Verdict: "asymmetric-return", At: "firewall:azfw", EvidenceVerdict: "asymmetric-return", EvidenceAt: "firewall:azfw"},
	write:        writeAsymmetric,
}

func writeAsymmetric(k *storyKit) error {
	vm := nic("spoke", "000D3A65A104")
	// Three attempts. The client sends its SYN five times (1, 2, 4, 8 s
	// back-off); the VM answers each and retransmits its SYN-ACK twice
	// more; every SYN-ACK goes to the firewall, which logs it INVALID.
	attempts := []struct {
		at   time.Time
		port int
	}{
		{clock(asymDay, 9, 38, 2, 120), 50412},
		{clock(asymDay, 9, 39, 41, 480), 50418},
		{clock(asymDay, 9, 41, 5, 300), 50431},
	}
	for _, a := range attempts {
		client := "192.168.20.10:" + strconv.Itoa(a.port)
		k.script.VNetFlows(vm, tcp(a.at, a.at.Add(21*time.Second), client, "10.101.1.4:443", true, "PlatformRule", "", "", 5, 330, 7, 434))
		for _, s := range []int{0, 1, 3, 7, 15} {
			k.script.Firewall("azfw", loggen.FirewallLog{At: a.at.Add(time.Duration(s)*time.Second + 2*time.Millisecond), Category: "AZFWFlowTrace",
				Protocol: "TCP", Src: addrPort("10.101.1.4:443"), Dst: addrPort(client), Flag: "INVALID"})
		}
	}
	// The VM's own outbound traffic goes to the firewall (0.0.0.0/0 UDR),
	// whose policy has no rule for it: default deny, logged.
	for m := 1; m < 60; m += 7 {
		at := clock(asymDay, 9, m, 30, 0)
		src := "10.101.1.4:" + strconv.Itoa(51000+m)
		k.script.VNetFlows(vm, tcp(at, at.Add(21*time.Second), src, "20.50.2.1:443", false, "PlatformRule", "", "", 3, 198, 0, 0))
		k.script.Firewall("azfw", loggen.FirewallLog{At: at.Add(time.Millisecond), Category: "AZFWNetworkRule", Protocol: "TCP",
			Src: addrPort(src), Dst: addrPort("20.50.2.1:443"), Action: "Deny", Default: true})
	}
	return nil
}
