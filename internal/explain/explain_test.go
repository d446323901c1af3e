package explain

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	logsrc "github.com/pathproof/pathproof/internal/logs"
)

// MACs of the stories' NICs. web-nic's is in snat.yaml (spelt with
// dashes); the others are mapped by the address on their tuples.
const (
	macWeb   = "000D3A000001"
	macAPI   = "000D3A000002"
	macJump  = "000D3A000003"
	macApp   = "000D3A0000A1"
	macBatch = "000D3A0000A2"
)

// background adds unrelated traffic of a NIC (SSH from a management host),
// so its flow log is alive in the window.
func (l *logs) background(mac, own string, from, to int) {
	for m := from; m <= to; m += 5 {
		l.tuple(at(m, 1), mac, "10.250.0.9", 40000+m, own, 22, event.DirIn, "B", "DefaultRule_AllowVnetInBound", 0, 0)
		l.tuple(at(m, 9), mac, "10.250.0.9", 40000+m, own, 22, event.DirIn, "E", "DefaultRule_AllowVnetInBound", 9, 8)
	}
}

// fwBackground adds unrelated firewall decisions.
func (l *logs) fwBackground(name string, from, to int) {
	for m := from; m <= to; m += 5 {
		l.fw(at(m, 3), name, "AZFWNetworkRule", "10.250.0.9", 50000+m, "10.250.1.1", 53, "", event.VerdictAllow,
			event.Rule{RuleCollectionGroup: "DefaultNetworkRuleCollectionGroup", RuleCollection: "infra", Name: "dns"})
	}
}

// storySNATDrop: web → firewall (application rule, SNAT) → api, whose NSG
// denies the firewall's address.
func storySNATDrop() *logs {
	l := newLogs()
	l.background(macWeb, "10.4.1.4", 0, 55)
	l.background(macAPI, "10.5.1.4", 0, 55)
	l.fwBackground("azfw", 0, 55)
	l.tuple(at(5, 0), macWeb, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
	l.fw(at(5, 0).Add(80*time.Millisecond), "azfw", "AZFWApplicationRule", "10.4.1.4", 51000, "", 443, "api.internal.contoso.com", event.VerdictAllow,
		event.Rule{Policy: "fwpol", RuleCollectionGroup: "DefaultApplicationRuleCollectionGroup", RuleCollection: "web-to-api", Name: "api-https"})
	l.tuple(at(5, 0).Add(150*time.Millisecond), macAPI, "10.0.1.6", 61000, "10.5.1.4", 443, event.DirIn, "D", "UserRule_Deny-Other-HTTPS", 0, 0)
	l.tuple(at(5, 21), macAPI, "10.0.1.6", 61001, "10.5.1.4", 443, event.DirIn, "D", "UserRule_Deny-Other-HTTPS", 0, 0)
	l.tuple(at(6, 0), macWeb, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirOut, "E", "DefaultRule_AllowVnetOutBound", 3, 0)
	return l
}

func TestDroppedAfterApplicationRuleSNAT(t *testing.T) {
	l := storySNATDrop()
	for _, c := range []struct {
		name     string
		topo     string
		from, to string
		at       string
		hops     []string
	}{
		{"topology", "snat.yaml", "nic:web-nic", "10.5.1.4:443", "nic:api-nic", []string{"nic:web-nic", "firewall:azfw", "nic:api-nic"}},
		{"evidence only", "", "10.4.1.4", "10.5.1.4:443", "nic:10.5.1.4", []string{"nic:10.4.1.4", "firewall:azfw", "nic:10.5.1.4"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var res *Result
			if c.topo != "" {
				res = explainWith(t, engine(t, c.topo), Query{From: c.from, To: c.to}, l.evs, Options{})
			} else {
				res = explainWith(t, nil, Query{From: c.from, To: c.to}, l.evs, Options{})
			}
			if res.Verdict != VerdictDropped || res.At != c.at || res.Confidence != ConfidenceHigh {
				t.Fatalf("got %s at %s (%s), want dropped at %s (high)\n%s", res.Verdict, res.At, res.Confidence, c.at, dump(res))
			}
			var got []string
			for _, h := range res.Hops {
				got = append(got, h.Hop)
			}
			if strings.Join(got, " ") != strings.Join(c.hops, " ") {
				t.Errorf("hops %v, want %v\n%s", got, c.hops, dump(res))
			}
			if res.PathInferred != (c.topo == "") {
				t.Errorf("path_inferred = %v", res.PathInferred)
			}
			if !strings.Contains(res.Summary, "Deny-Other-HTTPS") || !strings.Contains(res.Summary, "10.0.1.6") {
				t.Errorf("summary does not name the rule and the translated source: %s", res.Summary)
			}
			if h := hop(res, c.hops[1]); h == nil || h.Status != StatusSeen {
				t.Errorf("firewall hop not seen\n%s", dump(res))
			}
			if hasFinding(res, FindContradiction) {
				t.Errorf("unexpected contradiction\n%s", dump(res))
			}
			if c.topo != "" && !hasFinding(res, FindSNATSource) {
				t.Errorf("no %s finding\n%s", FindSNATSource, dump(res))
			}
			if c.topo == "" && !strings.Contains(dump(res), "is the firewall's SNAT address") {
				t.Errorf("SNAT address not discovered from the evidence\n%s", dump(res))
			}
		})
	}
}

func TestDNATCorrelation(t *testing.T) {
	l := newLogs()
	l.background(macAPI, "10.5.1.4", 0, 55)
	l.fw(at(7, 0), "azfw", "AZFWNatRule", "203.0.113.7", 40000, "20.0.0.10", 8443, "", event.VerdictDNAT,
		event.Rule{Policy: "fwpol", RuleCollectionGroup: "DefaultDnatRuleCollectionGroup", RuleCollection: "publish-api", Name: "api-in"}).NAT =
		&event.NAT{Kind: "dnat", TranslatedIP: ip("10.5.1.4"), TranslatedPort: 443}
	l.tuple(at(7, 0).Add(40*time.Millisecond), macAPI, "10.0.1.5", 40000, "10.5.1.4", 443, event.DirIn, "D", "UserRule_Deny-Other-HTTPS", 0, 0)
	res := explainWith(t, engine(t, "snat.yaml"), Query{From: "internet:203.0.113.7", To: "20.0.0.10:8443"}, l.evs, Options{})
	if res.Verdict != VerdictDropped || res.At != "nic:api-nic" {
		t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
	}
	fw := hop(res, "firewall:azfw")
	if fw == nil || fw.Status != StatusSeen || !strings.Contains(fw.Seen, "DNAT to 10.5.1.4:443") {
		t.Errorf("firewall hop does not show the DNAT\n%s", dump(res))
	}
	api := hop(res, "nic:api-nic")
	if api == nil || len(api.Evidence) == 0 || !strings.Contains(api.Evidence[0].Says, "10.0.1.5:40000 → 10.5.1.4:443") {
		t.Errorf("server NIC evidence after DNAT+SNAT missing\n%s", dump(res))
	}
}

// storyAsymmetric: on-premises → gateway → app VM directly; the reply
// goes to the firewall, which never saw the SYN.
func storyAsymmetric(flowTrace bool) *logs {
	l := newLogs()
	l.handshake = true
	l.tunnel(at(0, 10), "gw-hub", "hub-to-onprem", "connected")
	l.background(macApp, "10.101.1.4", 0, 55)
	l.fwBackground("azfw", 0, 55)
	for i, m := range []int{10, 20} {
		sport := 52000 + i
		l.tuple(at(m, 0), macApp, "192.168.20.10", sport, "10.101.1.4", 443, event.DirIn, "B", "DefaultRule_AllowVnetInBound", 0, 0)
		if flowTrace {
			l.flowTrace(at(m, 0).Add(30*time.Millisecond), "azfw", "10.101.1.4", 443, "192.168.20.10", sport, "SYN-ACK")
			l.flowTrace(at(m, 1), "azfw", "10.101.1.4", 443, "192.168.20.10", sport, "INVALID")
		}
		l.tuple(at(m, 40), macApp, "192.168.20.10", sport, "10.101.1.4", 443, event.DirIn, "E", "DefaultRule_AllowVnetInBound", 3, 4)
	}
	return l
}

func TestAsymmetricReturn(t *testing.T) {
	for _, c := range []struct {
		name      string
		topo      string
		from      string
		flowTrace bool
		at, conf  string
	}{
		{"topology and flow trace", "asym.yaml", "onprem:onprem/user-pc", true, "firewall:azfw", ConfidenceHigh},
		{"topology without flow trace", "asym.yaml", "onprem:onprem/user-pc", false, "firewall:azfw", ConfidenceMedium},
		{"evidence only", "", "192.168.20.10", true, "firewall:azfw", ConfidenceHigh},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := storyAsymmetric(c.flowTrace)
			var res *Result
			if c.topo != "" {
				res = explainWith(t, engine(t, c.topo), Query{From: c.from, To: "10.101.1.4:443"}, l.evs, Options{})
			} else {
				res = explainWith(t, nil, Query{From: c.from, To: "10.101.1.4:443"}, l.evs, Options{})
			}
			if res.Verdict != VerdictAsymmetric || res.At != c.at || res.Confidence != c.conf {
				t.Fatalf("got %s at %s (%s), want %s at %s (%s)\n%s", res.Verdict, res.At, res.Confidence, VerdictAsymmetric, c.at, c.conf, dump(res))
			}
			if got := hasFinding(res, FindFlowTraceNeeded); got == c.flowTrace {
				t.Errorf("flow-trace-needed finding = %v with flow trace %v\n%s", got, c.flowTrace, dump(res))
			}
			if c.topo != "" {
				f := res.Findings[0]
				if f.Code != "asymmetric-stateful" || !strings.Contains(f.Fix, "GatewaySubnet") {
					t.Errorf("first finding %s: %s, want the simulation's GatewaySubnet fix\n%s", f.Code, f.Fix, dump(res))
				}
			}
		})
	}
}

// storyBranch: RDP from a branch; the gateway and the VM's NIC log other
// traffic, nothing of the flow.
func storyBranch(nicLogs bool) *logs {
	l := newLogs()
	l.tunnel(at(1, 0), "gw-hub", "hub-to-branch", "connected")
	if nicLogs {
		l.background(macApp, "10.20.1.4", 0, 55)
	}
	return l
}

func TestNeverReachedAzure(t *testing.T) {
	for _, c := range []struct {
		name, topo, from, at, conf string
	}{
		{"topology", "branch.yaml", "onprem:branch/admin-pc", "onprem:branch", ConfidenceHigh},
		{"evidence only", "", "onprem:branch/192.168.50.10", "onprem:branch", ConfidenceHigh},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := storyBranch(true)
			var res *Result
			if c.topo != "" {
				res = explainWith(t, engine(t, c.topo), Query{From: c.from, To: "10.20.1.4:3389"}, l.evs, Options{})
			} else {
				res = explainWith(t, nil, Query{From: c.from, To: "10.20.1.4:3389"}, l.evs, Options{})
			}
			if res.Verdict != VerdictNeverReachedAzure || res.At != c.at || res.Confidence != c.conf {
				t.Fatalf("got %s at %s (%s)\n%s", res.Verdict, res.At, res.Confidence, dump(res))
			}
			if !strings.Contains(res.Summary, "logged other traffic") {
				t.Errorf("summary does not prove logging was alive: %s", res.Summary)
			}
		})
	}
}

func TestNoEvidence(t *testing.T) {
	t.Run("server NIC without flow logs", func(t *testing.T) {
		res := explainWith(t, engine(t, "branch.yaml"), Query{From: "onprem:branch/admin-pc", To: "10.20.1.4:3389"}, storyBranch(false).evs, Options{})
		if res.Verdict != VerdictNoEvidence || res.At != "nic:app-vm-nic" {
			t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
		}
		var fix string
		for _, f := range res.Findings {
			if f.Code == FindLogMissing {
				fix = f.Fix
			}
		}
		if !strings.Contains(fix, "flow-log create") {
			t.Errorf("log-missing finding does not say how to enable flow logs: %q\n%s", fix, dump(res))
		}
	})
	t.Run("no logs at all", func(t *testing.T) {
		res := explainWith(t, engine(t, "branch.yaml"), Query{From: "onprem:branch/admin-pc", To: "10.20.1.4:3389"}, nil, Options{})
		if res.Verdict != VerdictNoEvidence || res.At != "" || res.Window.Basis != "empty" {
			t.Fatalf("got %s at %q window %s\n%s", res.Verdict, res.At, res.Window.Basis, dump(res))
		}
	})
	t.Run("window with no logs", func(t *testing.T) {
		res := explainWith(t, nil, Query{From: "10.4.1.4", To: "10.5.1.4:443"}, storySNATDrop().evs, Options{At: t0.Add(5 * time.Hour)})
		if res.Verdict != VerdictNoEvidence || res.Window.Basis != "at" {
			t.Fatalf("got %s (window %s)\n%s", res.Verdict, res.Window.Basis, dump(res))
		}
	})
}

func TestNotYetKnown(t *testing.T) {
	l := storyBranch(true)
	newest := at(55, 9)
	res := explainWith(t, engine(t, "branch.yaml"), Query{From: "onprem:branch/admin-pc", To: "10.20.1.4:3389"}, l.evs, Options{Now: newest.Add(2 * time.Minute)})
	if res.Verdict != VerdictNotYetKnown {
		t.Fatalf("got %s\n%s", res.Verdict, dump(res))
	}
	if want := newest.Add(10 * time.Minute); res.RetryAfter.Before(want) || res.RetryAfter.After(want.Add(2*time.Minute)) {
		t.Errorf("retry_after %s, want about %s", res.RetryAfter, want)
	}
	if !hasFinding(res, FindNotLanded) {
		t.Errorf("no %s finding", FindNotLanded)
	}
	// The same window read later is decided.
	res = explainWith(t, engine(t, "branch.yaml"), Query{From: "onprem:branch/admin-pc", To: "10.20.1.4:3389"}, l.evs, Options{Now: newest.Add(11 * time.Minute)})
	if res.Verdict != VerdictNeverReachedAzure {
		t.Errorf("after landing: got %s\n%s", res.Verdict, dump(res))
	}
}

func TestContradictions(t *testing.T) {
	t.Run("firewall on the model's path logged nothing while both NICs did", func(t *testing.T) {
		l := newLogs()
		l.fwBackground("azfw", 0, 55)
		l.tuple(at(5, 0), macWeb, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
		l.tuple(at(5, 0).Add(time.Millisecond), macAPI, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirIn, "B", "UserRule_Allow-Web-Tier", 0, 0)
		l.tuple(at(6, 0), macAPI, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirIn, "E", "UserRule_Allow-Web-Tier", 12, 10)
		l.tuple(at(6, 0), macWeb, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirOut, "E", "DefaultRule_AllowVnetOutBound", 12, 10)
		res := explainWith(t, engine(t, "snat.yaml"), Query{From: "nic:web-nic", To: "10.5.1.4:443"}, l.evs, Options{})
		if res.Verdict != VerdictDelivered || res.At != "nic:api-nic" {
			t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
		}
		var msgs []string
		for _, f := range res.Findings {
			if f.Code == FindContradiction {
				msgs = append(msgs, f.Message)
			}
		}
		all := strings.Join(msgs, "\n")
		if !strings.Contains(all, "puts firewall:azfw on the path, but it logged nothing") || !strings.Contains(all, "drops the flow at nic:api-nic") {
			t.Errorf("contradictions:\n%s\n%s", all, dump(res))
		}
		if res.Confidence == ConfidenceHigh {
			t.Errorf("confidence stays high despite a contradiction")
		}
	})
	t.Run("model allows, NIC logged a deny", func(t *testing.T) {
		l := newLogs()
		l.tunnel(at(0, 30), "gw-hub", "hub-to-branch", "connected")
		l.tuple(at(8, 0), macJump, "192.168.50.10", 50123, "10.10.1.4", 3389, event.DirIn, "D", "UserRule_Deny-All-Inbound", 0, 0)
		res := explainWith(t, engine(t, "branch.yaml"), Query{From: "onprem:branch/admin-pc", To: "10.10.1.4:3389"}, l.evs, Options{})
		if res.Verdict != VerdictDropped || res.At != "nic:jump-nic" {
			t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
		}
		if !hasFinding(res, FindContradiction) {
			t.Errorf("no contradiction\n%s", dump(res))
		}
	})
}

func TestKeyVault(t *testing.T) {
	t.Run("through the private endpoint", func(t *testing.T) {
		l := newLogs()
		l.tuple(at(5, 0), macApp, "10.0.1.4", 51514, "10.0.2.5", 443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
		l.kv(at(5, 0).Add(300*time.Millisecond), "kv-payments", "10.0.1.4", 200, "")
		l.tuple(at(5, 1), macApp, "10.0.1.4", 51514, "10.0.2.5", 443, event.DirOut, "E", "DefaultRule_AllowVnetOutBound", 12, 10)
		res := explainWith(t, engine(t, "kv.yaml"), Query{From: "nic:vm-app-nic", To: "kv-payments.vault.azure.net:443"}, l.evs, Options{})
		if res.Verdict != VerdictDelivered || res.At != "keyvault:kv-payments" || res.Answer == nil || res.Answer.HTTPStatus != 200 {
			t.Fatalf("got %s at %s answer %+v\n%s", res.Verdict, res.At, res.Answer, dump(res))
		}
		if res.Query.DstIP != ip("10.0.2.5") {
			t.Errorf("name resolved to %s, want the private endpoint 10.0.2.5", res.Query.DstIP)
		}
	})
	t.Run("public name, vault firewall 403", func(t *testing.T) {
		for _, withTopo := range []bool{true, false} {
			l := newLogs()
			l.background(macApp, "10.0.1.4", 0, 55)
			l.tuple(at(5, 12), macApp, "10.0.1.4", 51514, "52.174.33.140", 443, event.DirOut, "B", "DefaultRule_AllowInternetOutBound", 0, 0)
			l.kv(at(5, 12).Add(310*time.Millisecond), "kv-payments", "20.61.15.7", 403, "vault-firewall")
			l.tuple(at(5, 13), macApp, "10.0.1.4", 51514, "52.174.33.140", 443, event.DirOut, "E", "DefaultRule_AllowInternetOutBound", 11, 9)
			l.kv(at(6, 0), "kv-payments", "10.0.1.5", 200, "") // another client, through the endpoint
			var res *Result
			from := "10.0.1.4"
			if withTopo {
				res = explainWith(t, engine(t, "kv.yaml"), Query{From: from, To: "kv-payments.vault.azure.net:443"}, l.evs, Options{})
			} else {
				res = explainWith(t, nil, Query{From: from, To: "kv-payments.vault.azure.net:443"}, l.evs, Options{})
			}
			if res.Verdict != VerdictDelivered || res.At != "keyvault:kv-payments" || res.Answer == nil || res.Answer.Layer != "vault-firewall" {
				t.Fatalf("topology %v: got %s at %s answer %+v\n%s", withTopo, res.Verdict, res.At, res.Answer, dump(res))
			}
			if !containsAddr(res.Query.DstAddrs, ip("52.174.33.140")) {
				t.Errorf("topology %v: the vault's public address seen in the logs is not among dst_addrs %v", withTopo, res.Query.DstAddrs)
			}
			if withTopo {
				var msg string
				for _, f := range res.Findings {
					if f.Code == FindPublicEndpoint {
						msg = f.Message + " " + f.Fix
					}
				}
				if !strings.Contains(msg, "pe-kv-payments") || !strings.Contains(msg, "privatelink.vaultcore.azure.net") {
					t.Errorf("public-endpoint finding %q\n%s", msg, dump(res))
				}
			}
		}
	})
}

func TestEmitterMapping(t *testing.T) {
	l := newLogs()
	l.background(macWeb, "10.4.1.4", 0, 10)  // MAC in the topology
	l.background(macJump, "10.4.1.9", 0, 10) // mapped by address
	l.tuple(at(2, 0), macJump, "10.4.1.9", 50000, "10.5.1.4", 443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
	l.tuple(at(2, 0), macWeb, "10.4.1.4", 50000, "10.5.1.4", 443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
	act := NewActivity()
	for i := range l.evs {
		act.Observe(&l.evs[i])
	}
	for _, c := range []struct {
		name    string
		topo    bool
		mac     string
		want    string
		wantHow string
	}{
		{"topology MAC", true, macWeb, "nic:web-nic", "the topology's MAC"},
		{"topology, by address", true, macJump, "nic:jump-nic", "its own address 10.4.1.9"},
		{"no topology", false, macJump, "nic:10.4.1.9", "its own address 10.4.1.9"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p *Plan
			var err error
			if c.topo {
				p, err = Prepare(Query{From: "10.4.1.4", To: "10.5.1.4:443"}, engine(t, "snat.yaml"))
			} else {
				p, err = Prepare(Query{From: "10.4.1.4", To: "10.5.1.4:443"}, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			r := &run{p: p, opt: Options{Activity: act}, act: act, res: &Result{}, cites: map[citeKey]int{}}
			m := r.mapEmitters(context.Background())
			id := m.byEmitter[c.mac]
			if id == nil || id.token != c.want || !strings.Contains(id.describe(), c.wantHow) {
				t.Fatalf("emitter %s → %+v (%s), want %s by %s", c.mac, id, func() string {
					if id == nil {
						return ""
					}
					return id.describe()
				}(), c.want, c.wantHow)
			}
		})
	}
}

func TestQueryErrors(t *testing.T) {
	eng := engine(t, "kv.yaml")
	for _, c := range []struct {
		from, to string
		want     []string
	}{
		{"nic:vm-ap-nic", "10.0.2.5:443", []string{`no NIC "vm-ap-nic"`, "nic:vm-app-nic (10.0.1.4)"}},
		{"10.0.1.77", "10.0.2.5:443", []string{"no NIC owns it", "nic:vm-app-nic (10.0.1.4)"}},
		{"nic:vm-app-nic", "kv-other.vault.azure.net:443", []string{"does not resolve", "pe:pe-kv-payments (kv-payments.vault.azure.net, 10.0.2.5)"}},
		{"nic:vm-app-nic", "10.99.0.1:443", []string{"no VNet, NIC"}},
		{"nic:vm-app-nic", "kv-payments.vault.azure.net", []string{"give the port"}},
	} {
		_, err := Prepare(Query{From: c.from, To: c.to}, eng)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("%s → %s: err %v, want a QueryError", c.from, c.to, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s → %s: %q does not contain %q", c.from, c.to, err, w)
			}
		}
	}
	if _, err := Prepare(Query{From: "nic:web", To: "10.0.0.1:443"}, nil); err == nil || !strings.Contains(err.Error(), "needs --topology") {
		t.Errorf("nic:NAME without a topology: %v", err)
	}
}

// TestKeepGivesSameAnswers runs every story through a one-shot load (the
// plan's Keep deciding what is stored, its Activity tallying everything)
// and through a full store: the verdicts must agree.
func TestKeepGivesSameAnswers(t *testing.T) {
	for _, c := range []struct {
		name     string
		topo     string
		from, to string
		l        *logs
	}{
		{"snat", "snat.yaml", "nic:web-nic", "10.5.1.4:443", storySNATDrop()},
		{"snat evidence only", "", "10.4.1.4", "10.5.1.4:443", storySNATDrop()},
		{"asymmetric", "asym.yaml", "onprem:onprem/user-pc", "10.101.1.4:443", storyAsymmetric(true)},
		{"branch", "branch.yaml", "onprem:branch/admin-pc", "10.20.1.4:3389", storyBranch(true)},
		{"branch no NIC logs", "branch.yaml", "onprem:branch/admin-pc", "10.20.1.4:3389", storyBranch(false)},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := prepareWith(t, c.topo, Query{From: c.from, To: c.to})
			act := NewActivity()
			kept := keptBy(nil, p.Keep(act), c.l.evs)
			if len(kept) >= len(c.l.evs) && len(c.l.evs) > 10 {
				t.Errorf("Keep kept everything (%d events)", len(kept))
			}
			opt := Options{Now: t0.Add(6 * time.Hour)}
			full := explainPlan(t, p, c.l.evs, opt)
			opt.Activity = act
			oneShot := explainPlan(t, p, kept, opt)
			if full.Verdict != oneShot.Verdict || full.At != oneShot.At || len(full.Hops) != len(oneShot.Hops) {
				t.Errorf("full store: %s at %s; one-shot: %s at %s\nfull:\n%s\none-shot:\n%s", full.Verdict, full.At, oneShot.Verdict, oneShot.At, dump(full), dump(oneShot))
			}
			// Filtering in three parsing workers (NewFlowKeep), each with
			// its own tally, merged after the load, flow-log tuples tested
			// before their events are built: the same answer.
			act3 := NewActivity()
			newFlowKeep, merge := p.NewFlowKeep(act3)
			var kept3 []event.Event
			var workers [3]struct {
				keep func(*event.Event) bool
				flow logsrc.FlowCheck
			}
			for w := range workers {
				workers[w].keep, workers[w].flow = newFlowKeep()
			}
			flowTested := 0
			for i := range c.l.evs {
				e, w := &c.l.evs[i], workers[i%3]
				if e.Source == event.SourceVNetFlow || e.Source == event.SourceNSGFlow {
					flowTested++
					fl := logsrc.Flow{Source: e.Source, Emitter: e.Emitter, Tuple: &logsrc.Tuple{Time: e.Time, Direction: e.Direction,
						Src: e.SrcIP, Dst: e.DstIP, SrcPort: e.SrcPort, DstPort: e.DstPort, Protocol: e.Protocol}}
					if !w.flow(&fl) {
						continue
					}
				}
				if w.keep(e) {
					kept3 = append(kept3, *e)
				}
			}
			merge()
			if flowTested == 0 && !strings.Contains(c.name, "no NIC logs") {
				t.Fatal("no flow-log events: the flow test is not exercised")
			}
			opt.Activity = act3
			parallel := explainPlan(t, p, kept3, opt)
			if !reflect.DeepEqual(parallel, oneShot) {
				t.Errorf("filtering in workers gives another answer than Keep\nworkers:\n%s\nKeep:\n%s\n%s", dump(parallel), dump(oneShot), citationDiff(parallel, oneShot))
			}
			// A store that holds every event and tallies per emitter (as
			// --db does) gives the one-shot answer, claim for claim.
			opt.Activity = nil
			tallied, err := p.Explain(context.Background(), &tallyingStore{fakeStore{evs: c.l.evs}}, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tallied, oneShot) {
				t.Errorf("a tallying store's answer differs from the one-shot load's\ntallying store:\n%s\none-shot:\n%s\n%s", dump(tallied), dump(oneShot), citationDiff(tallied, oneShot))
			}
		})
	}
}

// storyDNATBackend: the Internet client reaches the firewall's public
// address; the DNAT rule sends it to api-nic, whose NSG denies the
// firewall's SNAT address. Nothing but the DNAT record names the backend.
func storyDNATBackend() *logs {
	l := newLogs()
	l.background(macAPI, "10.5.1.4", 0, 55)
	l.fwBackground("azfw", 0, 55)
	l.fw(at(7, 0), "azfw", "AZFWNatRule", "203.0.113.7", 40000, "20.0.0.10", 8443, "", event.VerdictDNAT,
		event.Rule{Policy: "fwpol", RuleCollectionGroup: "DefaultDnatRuleCollectionGroup", RuleCollection: "publish-api", Name: "api-in"}).NAT =
		&event.NAT{Kind: "dnat", TranslatedIP: ip("10.5.1.4"), TranslatedPort: 443}
	l.tuple(at(7, 0).Add(40*time.Millisecond), macAPI, "10.0.1.5", 40000, "10.5.1.4", 443, event.DirIn, "D", "UserRule_Deny-Other-HTTPS", 0, 0)
	l.tuple(at(7, 3), macAPI, "10.0.1.5", 40001, "10.5.1.4", 443, event.DirIn, "D", "UserRule_Deny-Other-HTTPS", 0, 0)
	return l
}

// TestDNATBackendWithoutTopology: without a topology the backend behind
// the firewall's DNAT rule is known only from the DNAT record. From a
// store that holds every event, and from a one-shot load (whose Keep
// cannot know the backend: Widen's second pass adds its records), explain
// follows the flow to the backend's NIC and its deny.
func TestDNATBackendWithoutTopology(t *testing.T) {
	l := storyDNATBackend()
	q := Query{From: "203.0.113.7", To: "20.0.0.10:8443"}
	p, err := Prepare(q, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opt := Options{At: at(7, 0), Now: t0.Add(6 * time.Hour)}
	check := func(name string, res *Result) {
		t.Helper()
		if res.Verdict != VerdictDropped || res.At != "nic:10.5.1.4" {
			t.Fatalf("%s: got %s at %s, want dropped at nic:10.5.1.4\n%s", name, res.Verdict, res.At, dump(res))
		}
		if !strings.Contains(res.Summary, "Deny-Other-HTTPS") || !strings.Contains(dump(res), "DNAT record translates the flow to 10.5.1.4:443") {
			t.Errorf("%s: the answer does not follow the DNAT\n%s", name, dump(res))
		}
	}
	full, err := p.Explain(ctx, &tallyingStore{fakeStore{evs: l.evs}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkCitations(t, full)
	check("full store", full)

	// The one-shot load: Keep, then the second pass Widen asks for.
	act := NewActivity()
	kept := keptBy(nil, p.Keep(act), l.evs)
	act.Done()
	opt.Activity = act
	st := &fakeStore{evs: kept}
	widen, err := p.Widen(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if widen == nil {
		t.Fatal("Widen asks for no second pass although the DNAT target is not among the flow's addresses")
	}
	var added int
	for i := range l.evs {
		if widen(&l.evs[i]) {
			if keep := p.relevant(&l.evs[i]); keep {
				t.Errorf("the second pass admits an event the first stored: %s", quoteEvent(&l.evs[i]))
			}
			st.evs = append(st.evs, l.evs[i])
			added++
		}
	}
	if added != 2 {
		t.Errorf("the second pass added %d events, want the backend's 2 tuples", added)
	}
	oneShot, err := p.Explain(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	check("one-shot", oneShot)
	if !reflect.DeepEqual(oneShot, full) {
		t.Errorf("one-shot and full store differ\none-shot:\n%s\nfull:\n%s\n%s", dump(oneShot), dump(full), citationDiff(oneShot, full))
	}
	// With the backend's address known (a topology's DNAT rule), no
	// second pass is needed.
	if w, err := p.Widen(ctx, &fakeStore{}, opt); err != nil || w != nil {
		t.Errorf("Widen on a store without DNAT records: %v, %v", w != nil, err)
	}
}
