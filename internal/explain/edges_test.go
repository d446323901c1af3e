package explain

import (
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// ngfw adds a Palo Alto Cloud NGFW TRAFFIC record (as the fluentbit_CL
// parser emits it).
func (l *logs) ngfw(t time.Time, fw, src string, sport int, dst string, dport int, action, rule, reason string) {
	v := event.VerdictAllow
	switch action {
	case "deny", "reset-both":
		v = event.VerdictDeny
	case "drop":
		v = event.VerdictDrop
	}
	e := event.Event{Time: t, Source: event.SourcePaloAlto, Category: "fluentbit_CL", Emitter: fw, Protocol: "tcp",
		SrcIP: ip(src), SrcPort: uint16(sport), DstIP: ip(dst), DstPort: uint16(dport), Verdict: v, Rule: event.Rule{Name: rule},
		Detail: map[string]string{"log_type": "TRAFFIC", "action": action, "session_end_reason": reason, "via": "cloud-ngfw"}}
	if v != event.VerdictAllow {
		e.Rule.Reason = reason
	}
	l.add("/exports/fluentbit_CL-"+fw+".json", e)
}

// er adds an ExpressRoute Traffic Collector record of circuit (sampled; in
// is toward Azure).
func (l *logs) er(t time.Time, circuit, src string, sport int, dst string, dport int, in bool) {
	e := event.Event{Time: t, Source: event.SourceExpressRoute, Category: "ExpressRouteCircuitIpfix", Emitter: circuit, Protocol: "tcp",
		SrcIP: ip(src), SrcPort: uint16(sport), DstIP: ip(dst), DstPort: uint16(dport), Verdict: event.VerdictInfo, Aggregate: true,
		Direction: event.DirIn, Detail: map[string]string{"sampling": "1:4096", "edge": "to-azure", "peering": "AzurePrivatePeering"}}
	if !in {
		e.Direction, e.Detail["edge"] = event.DirOut, "from-azure"
	}
	l.add("insights-logs-expressroutecircuitipfix/resourceId=/ATC/ATC-WEU/PT1H.json", e)
}

// dnsQuery adds a DNS security policy record: client asked for name and
// was answered answers (comma-separated) via cnames.
func (l *logs) dnsQuery(t time.Time, client string, sport int, name, answers, cnames string) {
	d := map[string]string{"query_name": name + ".", "query_type": "A", "rcode": "NOERROR"}
	if answers != "" {
		d["answers"] = answers
	}
	if cnames != "" {
		d["cnames"] = cnames
	}
	l.add("insights-logs-dnsresponse/resourceId=/POLICY/HUB-DNS/PT1H.json", event.Event{Time: t, Source: event.SourceDNS, Category: "DnsResponse",
		Emitter: "hub-dns", Protocol: "udp", SrcIP: ip(client), SrcPort: uint16(sport), DstPort: 53, FQDN: name, Verdict: event.VerdictInfo, Detail: d})
}

// storyNGFWDeny: a spoke client's HTTPS to another spoke is denied by the
// hub's Cloud NGFW; both NICs log other traffic, so their logs are alive.
func storyNGFWDeny(action string) *logs {
	l := newLogs()
	l.background(macWeb, "10.4.1.4", 0, 55)
	l.background(macAPI, "10.5.1.4", 0, 55)
	for m := 0; m <= 55; m += 5 { // the firewall logs other sessions
		l.ngfw(at(m, 4), "cngfw-hub", "10.250.0.9", 52000+m, "10.250.1.1", 53, "allow", "dns", "tcp-fin")
	}
	l.tuple(at(8, 0), macWeb, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
	l.ngfw(at(8, 0).Add(40*time.Millisecond), "cngfw-hub", "10.4.1.4", 51000, "10.5.1.4", 443, action, "deny-spoke-to-spoke", "policy-deny")
	l.tuple(at(9, 0), macWeb, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirOut, "E", "DefaultRule_AllowVnetOutBound", 3, 0)
	return l
}

func TestCloudNGFWDeny(t *testing.T) {
	for _, action := range []string{"deny", "reset-both"} {
		t.Run(action, func(t *testing.T) {
			res := explainWith(t, nil, Query{From: "10.4.1.4", To: "10.5.1.4:443"}, storyNGFWDeny(action).evs, Options{})
			if res.Verdict != VerdictDropped || res.At != "ngfw:cngfw-hub" || res.Confidence != ConfidenceHigh {
				t.Fatalf("got %s at %s (%s), want dropped at ngfw:cngfw-hub (high)\n%s", res.Verdict, res.At, res.Confidence, dump(res))
			}
			var toks []string
			for _, h := range res.Hops {
				toks = append(toks, h.Hop)
			}
			if strings.Join(toks, " ") != "nic:10.4.1.4 ngfw:cngfw-hub nic:10.5.1.4" {
				t.Errorf("hops %v\n%s", toks, dump(res))
			}
			fw := hop(res, "ngfw:cngfw-hub")
			if fw.Role != "Palo Alto firewall" || fw.Status != StatusDenied || !strings.Contains(fw.Seen, "deny-spoke-to-spoke") || len(fw.Evidence) == 0 {
				t.Errorf("firewall hop %+v", fw)
			}
			if !strings.Contains(res.Summary, "deny-spoke-to-spoke") || !strings.Contains(res.Summary, "policy-deny") {
				t.Errorf("summary %q", res.Summary)
			}
			if action == "reset-both" && !strings.Contains(res.Summary, "reset (reset-both)") {
				t.Errorf("summary does not say the firewall reset: %q", res.Summary)
			}
			var fix string
			for _, f := range res.Findings {
				if f.Code == "firewall-deny" {
					fix = f.Fix
				}
			}
			if !strings.Contains(fix, "Palo Alto firewall cngfw-hub") || !strings.Contains(fix, "above rule deny-spoke-to-spoke") {
				t.Errorf("fix %q\n%s", fix, dump(res))
			}
			// The firewall's record is cited by its origin.
			c := res.Citations[fw.Evidence[0].Citation]
			if c.Kind != "log" || !strings.Contains(c.Origin, "fluentbit_CL-cngfw-hub") {
				t.Errorf("citation %+v", c)
			}
		})
	}
	t.Run("allowed, then the server", func(t *testing.T) {
		l := newLogs()
		l.background(macAPI, "10.5.1.4", 0, 55)
		l.ngfw(at(8, 0), "cngfw-hub", "10.4.1.4", 51000, "10.5.1.4", 443, "allow", "spoke-to-spoke", "tcp-fin")
		l.tuple(at(8, 0).Add(30*time.Millisecond), macAPI, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirIn, "D", "UserRule_Deny-HTTPS", 0, 0)
		res := explainWith(t, nil, Query{From: "10.4.1.4", To: "10.5.1.4:443"}, l.evs, Options{})
		if res.Verdict != VerdictDropped || res.At != "nic:10.5.1.4" {
			t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
		}
		if h := hop(res, "ngfw:cngfw-hub"); h == nil || h.Status != StatusSeen {
			t.Errorf("firewall hop not seen\n%s", dump(res))
		}
	})
}

// storyERNothingBack: an on-premises client's HTTPS crosses the
// ExpressRoute circuit into Azure (sampled), and the server's NIC, whose
// flow log is alive, never logs it: nothing comes back.
func storyERNothingBack() *logs {
	l := newLogs()
	l.background(macAPI, "10.5.1.4", 0, 55)
	for m := 0; m <= 55; m += 5 { // the collector samples other traffic both ways
		l.er(at(m, 30), "er-ams", "192.168.10.50", 40000+m, "10.5.9.9", 22, true)
		l.er(at(m, 31), "er-ams", "10.5.9.9", 22, "192.168.10.50", 40000+m, false)
	}
	for s := 0; s < 3; s++ {
		l.er(at(8, s*20), "er-ams", "192.168.10.20", 50110, "10.5.1.4", 443, true)
	}
	return l
}

func TestExpressRouteEdgeNothingBack(t *testing.T) {
	res := explainWith(t, nil, Query{From: "onprem:dc/192.168.10.20", To: "10.5.1.4:443"}, storyERNothingBack().evs, Options{})
	if res.Verdict != VerdictDropped || res.At != "expressroute:er-ams" {
		t.Fatalf("got %s at %s, want dropped at expressroute:er-ams\n%s", res.Verdict, res.At, dump(res))
	}
	var toks []string
	for _, h := range res.Hops {
		toks = append(toks, h.Hop)
	}
	if strings.Join(toks, " ") != "onprem:dc expressroute:er-ams nic:10.5.1.4" {
		t.Errorf("hops %v\n%s", toks, dump(res))
	}
	edge := hop(res, "expressroute:er-ams")
	if edge.Status != StatusSeen || !strings.Contains(edge.Seen, "toward Azure") || !strings.Contains(edge.Seen, "no reply sampled") || !strings.Contains(edge.Seen, "1 packet in 4096") {
		t.Errorf("edge hop %+v", edge)
	}
	if srv := hop(res, "nic:10.5.1.4"); srv.Status != StatusNotSeen {
		t.Errorf("server hop %+v", srv)
	}
	if !strings.Contains(res.Summary, "expressroute:er-ams") || !strings.Contains(res.Summary, "nic:10.5.1.4") {
		t.Errorf("summary %q", res.Summary)
	}

	t.Run("the collector's silence refutes nothing", func(t *testing.T) {
		// The server logged and answered; the edge sampled none of it.
		l := newLogs()
		l.background(macAPI, "10.5.1.4", 0, 55)
		for m := 0; m <= 55; m += 5 {
			l.er(at(m, 30), "er-ams", "192.168.10.50", 40000+m, "10.5.9.9", 22, true)
		}
		l.tuple(at(8, 0), macAPI, "192.168.10.20", 50110, "10.5.1.4", 443, event.DirIn, "B", "AllowOnPrem", 0, 0)
		l.tuple(at(9, 0), macAPI, "192.168.10.20", 50110, "10.5.1.4", 443, event.DirIn, "E", "AllowOnPrem", 12, 10)
		res := explainWith(t, nil, Query{From: "onprem:dc/192.168.10.20", To: "10.5.1.4:443"}, l.evs, Options{})
		if res.Verdict != VerdictDelivered || res.At != "nic:10.5.1.4" {
			t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
		}
	})
}

// storyDNSPublic: the app VM asks Azure DNS for the vault's name; the
// answer goes through the privatelink zone's CNAME but ends in the vault's
// public address (the zone is not linked to the VM's VNet), the VM sends
// there, and the vault's firewall refuses the public caller.
func storyDNSPublic(withVault bool) *logs {
	l := newLogs()
	l.background(macApp, "10.0.1.4", 0, 55)
	l.dnsQuery(at(5, 11), "10.0.1.4", 53001, "kv-payments.vault.azure.net", "52.174.33.140",
		"kv-payments.privatelink.vaultcore.azure.net,azkms-prod-weu.westeurope.cloudapp.azure.com")
	l.tuple(at(5, 12), macApp, "10.0.1.4", 51514, "52.174.33.140", 443, event.DirOut, "B", "DefaultRule_AllowInternetOutBound", 0, 0)
	if withVault {
		l.kv(at(5, 12).Add(310*time.Millisecond), "kv-payments", "20.61.15.7", 403, "vault-firewall")
	}
	l.tuple(at(5, 13), macApp, "10.0.1.4", 51514, "52.174.33.140", 443, event.DirOut, "E", "DefaultRule_AllowInternetOutBound", 11, 9)
	return l
}

func TestDNSProvesPublicResolution(t *testing.T) {
	for _, c := range []struct {
		name      string
		topo      bool
		withVault bool
	}{{"topology", true, true}, {"evidence only", false, true}, {"evidence only, no vault log", false, false}} {
		t.Run(c.name, func(t *testing.T) {
			l := storyDNSPublic(c.withVault)
			q := Query{From: "10.0.1.4", To: "kv-payments.vault.azure.net:443"}
			var res *Result
			if c.topo {
				res = explainWith(t, engine(t, "kv.yaml"), q, l.evs, Options{})
			} else {
				res = explainWith(t, nil, q, l.evs, Options{})
			}
			var f *Finding
			for i := range res.Findings {
				if res.Findings[i].Code == FindDNSPublic {
					f = &res.Findings[i]
				}
			}
			if f == nil {
				t.Fatalf("no %s finding\n%s", FindDNSPublic, dump(res))
			}
			if !strings.Contains(f.Message, "52.174.33.140") || !strings.Contains(f.Fix, "privatelink.vaultcore.azure.net") || len(f.Citations) != 1 {
				t.Errorf("finding %+v", f)
			}
			if cit := res.Citations[f.Citations[0]]; !strings.Contains(cit.Origin, "insights-logs-dnsresponse") || cit.Kind != "log" {
				t.Errorf("finding cites %+v, not the DNS record", cit)
			}
			if !containsAddr(res.Query.DstAddrs, ip("52.174.33.140")) {
				t.Errorf("the answered address is not among dst_addrs %v", res.Query.DstAddrs)
			}
			// The client's tuples toward the answered address belong to the flow.
			if h := res.Hops[0]; h.Status != StatusSeen {
				t.Errorf("client hop %+v\n%s", h, dump(res))
			}
			if c.topo {
				pe := hop(res, "pe:pe-kv-payments")
				if pe == nil || pe.Status != StatusNotSeen || !strings.Contains(pe.Seen, "DNS answered the client 52.174.33.140") || !strings.Contains(f.Message, "pe-kv-payments") {
					t.Errorf("private endpoint hop %+v\n%s", pe, dump(res))
				}
			}
			if c.withVault && (res.Verdict != VerdictDelivered || res.Answer == nil || res.Answer.Layer != "vault-firewall") {
				t.Errorf("got %s answer %+v\n%s", res.Verdict, res.Answer, dump(res))
			}
		})
	}
	t.Run("a private answer proves the private path", func(t *testing.T) {
		l := newLogs()
		l.dnsQuery(at(5, 0), "10.0.1.4", 53001, "kv-payments.vault.azure.net", "10.0.2.5", "kv-payments.privatelink.vaultcore.azure.net")
		l.tuple(at(5, 1), macApp, "10.0.1.4", 51514, "10.0.2.5", 443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
		l.kv(at(5, 1).Add(300*time.Millisecond), "kv-payments", "10.0.1.4", 200, "")
		res := explainWith(t, engine(t, "kv.yaml"), Query{From: "nic:vm-app-nic", To: "kv-payments.vault.azure.net:443"}, l.evs, Options{})
		if hasFinding(res, FindDNSPublic) || res.Verdict != VerdictDelivered {
			t.Fatalf("got %s\n%s", res.Verdict, dump(res))
		}
		if !strings.Contains(dump(res), "private endpoint pe-kv-payments's address") {
			t.Errorf("no DNS step naming the private endpoint\n%s", dump(res))
		}
	})
}

// TestEdgeKeepGivesSameAnswers: the one-shot load keeps what these
// explanations need (the firewall's, the circuit's and the DNS records).
func TestEdgeKeepGivesSameAnswers(t *testing.T) {
	for _, c := range []struct {
		name     string
		from, to string
		l        *logs
	}{
		{"ngfw", "10.4.1.4", "10.5.1.4:443", storyNGFWDeny("deny")},
		{"expressroute", "onprem:dc/192.168.10.20", "10.5.1.4:443", storyERNothingBack()},
		{"dns", "10.0.1.4", "kv-payments.vault.azure.net:443", storyDNSPublic(true)},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := prepareWith(t, "", Query{From: c.from, To: c.to})
			act := NewActivity()
			kept := keptBy(nil, p.Keep(act), c.l.evs)
			act.Done()
			opt := Options{Now: t0.Add(6 * time.Hour)}
			full := explainPlan(t, p, c.l.evs, opt)
			opt.Activity = act
			one := explainPlan(t, p, kept, opt)
			if full.Verdict != one.Verdict || full.At != one.At || len(full.Hops) != len(one.Hops) || len(full.Findings) != len(one.Findings) {
				t.Errorf("full: %s at %s; one-shot: %s at %s\nfull:\n%s\none-shot:\n%s", full.Verdict, full.At, one.Verdict, one.At, dump(full), dump(one))
			}
		})
	}
}
