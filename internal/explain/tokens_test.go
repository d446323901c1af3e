package explain

import (
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// TestEvidenceTokensLowerCase: without a topology the hop tokens come
// from the names the logs carry, which Azure upper-cases in resource ids
// (AZFW, GW-HUB). ARM names are case-insensitive: the tokens are lower
// case, as the topology's are, whatever case the log spells them in.
func TestEvidenceTokensLowerCase(t *testing.T) {
	l := newLogs()
	l.tunnel(at(0, 10), "GW-HUB", "hub-to-branch", "connected")
	l.background(macJump, "10.10.1.4", 0, 55)
	l.fwBackground("AzFw", 0, 55)
	l.fw(at(5, 0), "AzFw", "AZFWNetworkRule", "192.168.50.10", 50000, "10.10.1.4", 3389, "", event.VerdictAllow,
		event.Rule{Policy: "fwpol", RuleCollectionGroup: "DefaultNetworkRuleCollectionGroup", RuleCollection: "branch", Name: "rdp"})
	l.tuple(at(5, 0).Add(20*time.Millisecond), macJump, "192.168.50.10", 50000, "10.10.1.4", 3389, event.DirIn, "B", "UserRule_Allow-RDP", 0, 0)
	l.tuple(at(6, 0), macJump, "192.168.50.10", 50000, "10.10.1.4", 3389, event.DirIn, "E", "UserRule_Allow-RDP", 40, 38)
	res := explainWith(t, nil, Query{From: "192.168.50.10", To: "10.10.1.4:3389"}, l.evs, Options{})
	var got []string
	for _, h := range res.Hops {
		got = append(got, h.Hop)
	}
	want := "onprem:192.168.50.10 gateway:gw-hub firewall:azfw nic:10.10.1.4"
	if strings.Join(got, " ") != want {
		t.Fatalf("hops %v, want %s\n%s", got, want, dump(res))
	}
	if res.Verdict != VerdictDelivered || res.At != "nic:10.10.1.4" {
		t.Errorf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
	}
	for _, s := range res.Reasoning {
		if strings.Contains(s.Text, "AZFW") || strings.Contains(s.Text, "GW-HUB") || strings.Contains(s.Text, "AzFw") {
			t.Errorf("reasoning names a resource as its log spells it: %s", s.Text)
		}
	}
}
