package loggen

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// scriptEdge scripts one of each new kind of evidence: DNS queries (a
// privatelink answer, a public answer, a blocked name), Front Door requests
// (served, origin timeout, WAF block), ExpressRoute sampled flows both ways,
// Cloud NGFW and PAN-OS syslog logs (allow with SNAT, deny, threat).
func scriptEdge(out string, expect func(*event.Event)) *Script {
	s := NewScript(ScriptOptions{Out: out, Seed: 11, ResourceGroup: "edge-rg", Expect: expect})
	t0 := time.Date(2026, 11, 25, 9, 58, 0, 0, time.UTC)
	ap := netip.MustParseAddrPort
	a := netip.MustParseAddr
	s.DNS("hub-dns-policy",
		DNSQuery{At: t0, Client: ap("10.1.0.4:53001"), Name: "kv-payments.vault.azure.net", CNAMEs: []string{"kv-payments.privatelink.vaultcore.azure.net"}, Answers: []netip.Addr{a("10.2.0.5")}},
		DNSQuery{At: t0.Add(3 * time.Minute), Client: ap("10.1.0.9:53002"), Name: "kv-payments.vault.azure.net", CNAMEs: []string{"kv-payments.privatelink.vaultcore.azure.net", "azkms-weu.cloudapp.azure.com"}, Answers: []netip.Addr{a("20.61.15.7")}},
		DNSQuery{At: t0.Add(4 * time.Minute), Client: ap("10.1.0.9:53003"), Name: "evil.example.net", RCode: 2, Action: "Block"},
	)
	s.FrontDoor("contoso-afd",
		FrontDoorRequest{At: t0, Client: ap("198.51.100.23:50123"), Host: "www.contoso.com", Path: "/a", Status: 200, Origin: "app.azurewebsites.net", OriginIP: ap("10.2.0.4:443"), Route: "r"},
		FrontDoorRequest{At: t0.Add(time.Minute), Client: ap("198.51.100.23:50124"), Host: "www.contoso.com", Path: "/b", Status: 504, ErrorInfo: "OriginTimeout", Origin: "app.azurewebsites.net", OriginIP: ap("10.2.0.4:443"), Route: "r"},
		FrontDoorRequest{At: t0.Add(3 * time.Minute), Client: ap("203.0.113.66:41000"), Host: "www.contoso.com", Path: "/c", Status: 403, Route: "r",
			WAF: &FrontDoorWAF{Action: "Block", Rule: "DefaultRuleSet-2.1-SQLI-942100", Policy: "waf"}},
	)
	s.ExpressRoute("atc-weu", "er-ams",
		ExpressRouteFlow{At: t0, Proto: 6, Src: ap("192.168.10.20:50110"), Dst: ap("10.5.1.4:443"), ToAzure: true},
		ExpressRouteFlow{At: t0.Add(time.Minute), Proto: 6, Src: ap("10.5.1.4:443"), Dst: ap("192.168.10.20:50110")},
		ExpressRouteFlow{At: t0.Add(2 * time.Minute), Proto: 17, Src: ap("192.168.10.21:5353"), Dst: ap("10.5.1.5:53"), ToAzure: true, Peering: "MicrosoftPeering"},
	)
	pan := []PaloAltoLog{
		{At: t0, Src: ap("10.4.1.4:51000"), Dst: ap("52.1.2.3:443"), NATSrc: ap("20.50.1.9:33001"), Rule: "web-out", BytesSent: 1200, BytesRecv: 54000, PktsSent: 12, PktsRecv: 40},
		{At: t0.Add(time.Minute), Subtype: "deny", Src: ap("10.4.1.4:51001"), Dst: ap("10.5.1.4:22"), Rule: "deny-ssh", Action: "deny", EndReason: "policy-deny", App: "incomplete"},
		{At: t0.Add(2 * time.Minute), Type: "THREAT", Subtype: "vulnerability", Src: ap("10.4.1.4:51002"), Dst: ap("203.0.113.66:80"), Rule: "web-out", Action: "drop", Threat: "Generic Exploit(91234)"},
		{At: t0.Add(3 * time.Minute), Src: ap("10.4.1.4:51003"), Dst: ap("10.5.1.4:3389"), Rule: "rdp", Action: "reset-both", EndReason: "policy-deny"},
	}
	s.CloudNGFW("cngfw-hub", pan...)
	s.PANOSSyslog("vmfw-hub-01", pan...)
	return s
}

// TestScriptEdgeRoundTrip: what the new kinds write parses back to the
// events they meant, nothing skipped, in Azure's layout.
func TestScriptEdgeRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := map[string]event.Event{}
	res, err := scriptEdge(dir, func(e *event.Event) {
		k := fmt.Sprintf("%s#%d#%d", e.Origin.Key, e.Origin.Record, e.Origin.Tuple)
		if _, dup := want[k]; dup {
			t.Fatalf("two expected events at %s", k)
		}
		c := *e
		want[k] = c
	}).Write()
	if err != nil {
		t.Fatal(err)
	}
	if int(res.Events) != len(want) || len(want) != 3+4+3+8 {
		t.Fatalf("result %+v, %d expected events", res, len(want))
	}
	got, rep := readBack(t, dir)
	if rep.Skipped() != 0 || len(got) != len(want) {
		t.Fatalf("read %d events, want %d; skips %v", len(got), len(want), rep.Skips())
	}
	bySource := map[event.Source]int{}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: not read", k)
			continue
		}
		bySource[g.Source]++
		if err := sameEvent(w, g); err != nil {
			t.Errorf("%s: %v", k, err)
		}
		if w.Rule.Name != g.Rule.Name || w.Rule.Reason != g.Rule.Reason || w.Rule.Signature != g.Rule.Signature || w.Direction != g.Direction ||
			w.Aggregate != g.Aggregate || !reflect.DeepEqual(w.NAT, g.NAT) || w.BytesRecv != g.BytesRecv || w.PacketsSent != g.PacketsSent {
			t.Errorf("%s:\n got %+v\nwant %+v", k, g, w)
		}
	}
	if bySource[event.SourceDNS] != 3 || bySource[event.SourceFrontDoor] != 4 || bySource[event.SourceExpressRoute] != 3 || bySource[event.SourcePaloAlto] != 8 {
		t.Errorf("events per source %v", bySource)
	}
	// Azure's layout: one container per category, resourceId= blobs per hour
	// (the 09:58 story crosses into 10:00).
	var layout []string
	for _, f := range res.Files {
		if i := strings.Index(f, "/resourceId="); i > 0 {
			layout = append(layout, f[:i])
		}
	}
	for _, c := range []string{"insights-logs-dnsresponse", "insights-logs-frontdooraccesslog", "insights-logs-expressroutecircuitipfix"} {
		found := 0
		for _, l := range layout {
			if l == c {
				found++
			}
		}
		if found != 2 {
			t.Errorf("%s: %d hourly blobs, want 2 (files %v)", c, found, res.Files)
		}
	}
}

func TestEdgeKindsThroughGenerate(t *testing.T) {
	dir := t.TempDir()
	res, err := Generate(Options{Out: dir, Seed: 5, Hours: 2, Start: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
		Counts: map[string]int64{"dns": 20, "frontdoor": 12, "expressroute": 10, "paloalto": 16}})
	if err != nil {
		t.Fatal(err)
	}
	got, rep := readBack(t, dir)
	if rep.Skipped() != 0 || int64(len(got)) != res.Events {
		t.Fatalf("read %d events, Generate reports %d; skips %v", len(got), res.Events, rep.Skips())
	}
	count := map[string]int{}
	for _, e := range got {
		count[string(e.Source)+"/"+string(e.Verdict)]++
	}
	for _, k := range []string{"dns/info", "dns/deny", "frontdoor/allow", "frontdoor/error", "frontdoor/deny", "expressroute/info", "paloalto/allow", "paloalto/deny", "paloalto/drop"} {
		if count[k] == 0 {
			t.Errorf("no %s events (%v)", k, count)
		}
	}
	if n := count["frontdoor/allow"] + count["frontdoor/error"] + count["frontdoor/deny"]; n != 12+2 {
		t.Errorf("%d Front Door events (12 requests, 2 WAF blocks)", n)
	}
}

func TestEdgeDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ra, err := scriptEdge(a, nil).Write()
	if err != nil {
		t.Fatal(err)
	}
	rb, err := scriptEdge(b, nil).Write()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ra.Files, rb.Files) || ra.Bytes != rb.Bytes {
		t.Errorf("two runs differ: %v / %v", ra, rb)
	}
}
