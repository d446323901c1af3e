package explain

import (
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// TestNATGatewaySourceForPaaS checks that explain follows the trace's
// outbound source address: the app VM's subnet has a NAT gateway (which
// takes precedence over the VM's own public IP), so the Key Vault log
// names the NAT gateway's address as the caller. The vault's denial of
// that address is the answer; a call from the VM's instance public IP (what
// the VM would use without the NAT gateway) is another flow.
func TestNATGatewaySourceForPaaS(t *testing.T) {
	l := newLogs()
	l.tuple(at(5, 12), macApp, "10.0.1.4", 51514, "52.174.33.140", 443, event.DirOut, "B", "DefaultRule_AllowInternetOutBound", 0, 0)
	l.kv(at(5, 12).Add(310*time.Millisecond), "kv-payments", "20.40.0.1", 403, "vault-firewall")
	l.kv(at(5, 12).Add(200*time.Millisecond), "kv-payments", "20.99.0.4", 200, "")
	l.tuple(at(5, 13), macApp, "10.0.1.4", 51514, "52.174.33.140", 443, event.DirOut, "E", "DefaultRule_AllowInternetOutBound", 11, 9)
	res := explainWith(t, engine(t, "natgw-kv.yaml"), Query{From: "nic:vm-app-nic", To: "kv-payments.vault.azure.net:443"}, l.evs, Options{})
	if res.Verdict != VerdictDelivered || res.At != "keyvault:kv-payments" || res.Answer == nil || res.Answer.HTTPStatus != 403 || res.Answer.Layer != "vault-firewall" {
		t.Fatalf("got %s at %s answer %+v, want the vault firewall's 403 to the NAT gateway address\n%s", res.Verdict, res.At, res.Answer, dump(res))
	}
	var snat string
	for _, f := range res.Findings {
		if f.Code == FindSNATSource {
			snat = f.Message
		}
	}
	if !strings.Contains(snat, "20.40.0.1") {
		t.Errorf("no finding names the NAT gateway source 20.40.0.1 (got %q)\n%s", snat, dump(res))
	}
}
