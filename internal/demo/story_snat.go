package demo

import (
	"strconv"
	"time"

	"github.com/pathproof/pathproof/internal/loggen"
)

// snatDay is the day of the application-rule SNAT story.
var snatDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// snatStory: web→API traffic now crosses the hub firewall's application
// rules, which SNAT. The firewall allows each request (by FQDN, no
// destination address in the log); the API server's NIC then sees it from
// the firewall's instance address 10.0.1.6 with a new source port, and its
// NSG, written for the web subnet, denies it.
var snatStory = Story{
	Name:         "app-rule-snat",
	Ticket:       "Since web→API traffic goes through the firewall's application rules, the API refuses the web tier.",
	Proves:       "the firewall allows the request, the API NIC denies it from the firewall's address (SNAT): the NSG still admits only the web subnet",
	Design:       "trace/app-rule-snat.yaml",
	From:         "nic:web-nic",
	To:           "10.5.1.4:443",
	EvidenceFrom: "10.4.1.4",
	EvidenceTo:   "10.5.1.4:443",
	At:           clock(snatDay, 13, 15, 0, 0),
	Want:         StoryWant{Verdict: "dropped", At: "nic:api-nic", Rule: "Deny-Other-HTTPS", EvidenceVerdict: "dropped", EvidenceAt: "nic:10.5.1.4"},
	write:        writeSNAT,
}

func writeSNAT(k *storyKit) error {
	const (
		nsgAPI   = "4d2a8c61-9e3b-4f17-a5d0-6b1e2c7f8a33"
		denyGUID = "7a1f3e92-0c4d-4b58-9e6a-2d8b5c1f0e77"
	)
	web, api := nic("spoke-web", "000D3A3B0104"), nic("spoke-api", "000D3A3C0104")
	rule := loggen.FirewallRule{Policy: "fwpol", Group: "DefaultApplicationRuleCollectionGroup", Collection: "web-to-api", Name: "api-https"}
	for i, at := range []time.Time{clock(snatDay, 13, 14, 5, 200), clock(snatDay, 13, 15, 10, 730), clock(snatDay, 13, 16, 40, 90)} {
		src := "10.4.1.4:" + strconv.Itoa(51200+i)
		// The firewall answers the handshake itself and reads the SNI; the
		// web VM sends its ClientHello and never gets an answer.
		k.script.Firewall("azfw",
			loggen.FirewallLog{At: at.Add(-300 * time.Millisecond), Category: "AZFWDnsQuery", Src: addrPort("10.4.1.4:" + strconv.Itoa(53300+i)), FQDN: "api.internal.contoso.com"},
			loggen.FirewallLog{At: at.Add(12 * time.Millisecond), Category: "AZFWApplicationRule", Protocol: "HTTPS", Src: addrPort(src), Dst: addrPort("0.0.0.0:443"),
				FQDN: "api.internal.contoso.com", Action: "Allow", Rule: rule})
		k.script.VNetFlows(web, tcp(at, at.Add(30*time.Second), src, "10.5.1.4:443", false, "PlatformRule", "", "", 6, 890, 4, 260))
		// The firewall opens its own connection from an instance address.
		snat := "10.0.1.6:" + strconv.Itoa(1030+7*i)
		k.script.VNetFlows(api, denied(at.Add(25*time.Millisecond), snat, "10.5.1.4:443", true, "Deny-Other-HTTPS", denyGUID, nsgAPI))
	}
	// The API VM's platform traffic shows its flow log alive all hour.
	for m := 0; m < 60; m += 5 {
		at := clock(snatDay, 13, m, 40, 0)
		k.script.VNetFlows(api, tcp(at, at.Add(time.Second), "10.5.1.4:"+strconv.Itoa(50800+m), "168.63.129.16:80", false, "PlatformRule", "", "", 6, 900, 5, 1500))
	}
	return nil
}
