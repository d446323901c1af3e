package demo

import (
	"strconv"
	"time"

	"github.com/pathproof/pathproof/internal/loggen"
)

// peDay is the day of the private-endpoint story.
var peDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// peBypassStory: security wants every flow of the client subnet inspected
// by the hub firewall, but the storage account's private endpoint /32
// route beats the UDR. The client's downloads reach the endpoint and the
// storage account serves them; the firewall resolves the name for the
// client (DNS proxy) and logs the client's other traffic, but never a rule
// decision for the storage flows.
var peBypassStory = Story{
	Name:         "pe-bypasses-firewall",
	Ticket:       "Security asked for all traffic of the client subnet to be inspected; the firewall never logs the storage downloads.",
	Proves:       "the downloads reach the private endpoint and are served, the firewall (alive, resolving the name) never sees them: the /32 route bypasses it",
	Design:       "trace/pe-bypass.yaml",
	From:         "nic:client-nic",
	To:           "10.1.2.4:443",
	EvidenceFrom: "10.0.2.4",
	EvidenceTo:   "10.1.2.4:443",
	At:           clock(peDay, 11, 30, 0, 0),
	Want: StoryWant{Verdict: "delivered-and-answered", At: "storage:contosodata", EvidenceVerdict: "delivered-and-answered", EvidenceAt: "storage:contosodata",
		Says: []string{"finding pe-bypasses-firewall"}, EvidenceSays: []string{"finding explain.firewall-not-crossed"}},
	write: writePEBypass,
}

func writePEBypass(k *storyKit) error {
	client := nic("hub", "000D3A0C0204")
	for i, at := range []time.Time{clock(peDay, 11, 24, 10, 250), clock(peDay, 11, 29, 3, 40), clock(peDay, 11, 33, 47, 610)} {
		src := "10.0.2.4:" + strconv.Itoa(50600+i)
		k.script.Firewall("azfw", loggen.FirewallLog{At: at.Add(-40 * time.Millisecond), Category: "AZFWDnsQuery",
			Src: addrPort("10.0.2.4:" + strconv.Itoa(53100+i)), FQDN: "contosodata.blob.core.windows.net"})
		k.script.VNetFlows(client, tcp(at, at.Add(3*time.Second), src, "10.1.2.4:443", false, "PlatformRule", "", "", 40, 4200, 290, 412_000))
		k.script.Storage("contosodata", loggen.StorageRequest{At: at.Add(310 * time.Millisecond), Caller: addrPort(src)})
	}
	// Windows' connectivity probe goes through the firewall, which has no
	// rule for it: the firewall logs the client all hour.
	for m := 2; m < 60; m += 10 {
		at := clock(peDay, 11, m, 5, 0)
		src := "10.0.2.4:" + strconv.Itoa(51500+m)
		k.script.VNetFlows(client, tcp(at, at.Add(21*time.Second), src, "13.107.4.52:80", false, "PlatformRule", "", "", 3, 198, 0, 0))
		k.script.Firewall("azfw", loggen.FirewallLog{At: at.Add(time.Millisecond), Category: "AZFWApplicationRule", Protocol: "HTTP",
			Src: addrPort(src), Dst: addrPort("0.0.0.0:80"), FQDN: "www.msftconnecttest.com", Action: "Deny", Default: true})
	}
	return nil
}
