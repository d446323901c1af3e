package loggen

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// scriptAll adds one of each kind of scripted evidence, spanning an hour
// boundary, and returns the script.
func scriptAll(out string, expect func(*event.Event)) *Script {
	s := NewScript(ScriptOptions{Out: out, Seed: 3, ResourceGroup: "story-rg", Region: "westeurope", Expect: expect})
	t0 := time.Date(2026, 11, 25, 9, 52, 10, 0, time.UTC)
	ap := netip.MustParseAddrPort
	nic := FlowLogNIC{VNet: "spoke", MAC: "000d3a11aa01"}
	s.VNetFlows(nic,
		Flow{Start: t0, End: t0.Add(16 * time.Minute), Proto: 6, Src: ap("192.168.20.10:50412"), Dst: ap("10.101.1.4:443"), Inbound: true,
			Rule: "Allow-HTTPS", RuleGUID: "6f7e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", ACL: "11111111-2222-3333-4444-555555555555",
			PacketsSent: 100, BytesSent: 10000, PacketsRecv: 90, BytesRecv: 90_000_000_000},
		Flow{Start: t0.Add(time.Second), Proto: 6, Src: ap("203.0.113.9:41000"), Dst: ap("10.101.1.4:22"), Inbound: true, Denied: true,
			Rule: "DefaultRule_DenyAllInBound", ACL: "11111111-2222-3333-4444-555555555555"},
		Flow{Start: t0.Add(2 * time.Second), End: t0.Add(3 * time.Second), Proto: 6, Src: ap("10.101.1.4:40000"), Dst: ap("168.63.129.16:80"),
			Rule: "PlatformRule", PacketsSent: 5, BytesSent: 500, PacketsRecv: 4, BytesRecv: 900},
		Flow{Start: t0.Add(3 * time.Second), End: t0.Add(20 * time.Minute), Open: true, Proto: 17, Src: ap("10.101.1.4:123"), Dst: ap("20.101.57.9:123"),
			Rule: "DefaultRule_AllowInternetOutBound", ACL: "11111111-2222-3333-4444-555555555555", PacketsSent: 8, BytesSent: 608, PacketsRecv: 8, BytesRecv: 608},
	)
	fw := FirewallRule{Policy: "fwpol", Group: "DefaultApplicationRuleCollectionGroup", Collection: "web-to-api", Name: "api-https"}
	s.Firewall("azfw",
		FirewallLog{At: t0, Category: "AZFWApplicationRule", Protocol: "HTTPS", Src: ap("10.4.1.4:50001"), Dst: ap("0.0.0.0:443"), FQDN: "api.internal.contoso.com", Action: "Allow", Rule: fw},
		FirewallLog{At: t0.Add(time.Minute), Category: "AZFWNetworkRule", Src: ap("10.101.1.4:50002"), Dst: ap("52.1.2.3:443"), Action: "Deny", Default: true},
		FirewallLog{At: t0.Add(9 * time.Minute), Category: "AZFWFlowTrace", Src: ap("10.101.1.4:443"), Dst: ap("192.168.20.10:50412"), Flag: "INVALID"},
		FirewallLog{At: t0.Add(2 * time.Minute), Category: "AZFWDnsQuery", Src: ap("10.4.1.4:53001"), FQDN: "api.internal.contoso.com"},
		FirewallLog{At: t0.Add(3 * time.Minute), Category: "AZFWNatRule", Src: ap("198.51.100.7:50003"), Dst: ap("20.0.0.10:3389"), Translated: ap("10.0.2.4:3389"), Rule: FirewallRule{Policy: "fwpol", Group: "dnat", Collection: "rdp", Name: "rdp-in"}},
	)
	s.KeyVault("kv-payments",
		KVRequest{At: t0, Caller: netip.MustParseAddr("20.61.15.7"), Outcome: KVFirewallDenied},
		KVRequest{At: t0.Add(10 * time.Minute), Caller: netip.MustParseAddr("10.0.1.5"), Outcome: KVServed})
	s.Storage("contosodata",
		StorageRequest{At: t0, Caller: ap("10.0.2.4:50100")},
		StorageRequest{At: t0.Add(time.Minute), Caller: ap("10.0.2.4:50101"), Write: true},
		StorageRequest{At: t0.Add(9 * time.Minute), Caller: ap("20.61.15.7:50102"), Denied: true})
	s.VPNGateway("gw-hub",
		TunnelLog(t0, true, "GatewayTenantWorker_IN_0", netip.MustParseAddr("198.51.100.20"), ""),
		RouteLog(t0.Add(time.Minute), "BgpConnectedEvent", netip.MustParseAddr("169.254.21.1"), "BGP peer 169.254.21.1 connected, remote AS 65010"))
	return s
}

// TestScriptRoundTrip: what a script writes parses back to the events it
// meant, nothing skipped, in Azure's layout.
func TestScriptRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := map[string]event.Event{}
	res, err := scriptAll(dir, func(e *event.Event) {
		k := fmt.Sprintf("%s#%d#%d", e.Origin.Key, e.Origin.Record, e.Origin.Tuple)
		if _, dup := want[k]; dup {
			t.Fatalf("two expected events at %s", k)
		}
		want[k] = *e
	}).Write()
	if err != nil {
		t.Fatal(err)
	}
	if int(res.Events) != len(want) || len(want) == 0 {
		t.Fatalf("result %+v, %d expected events", res, len(want))
	}
	got, rep := readBack(t, dir)
	if rep.Skipped() != 0 {
		t.Fatalf("skips: %v", rep.Skips())
	}
	if len(got) != len(want) {
		t.Errorf("read %d events, want %d", len(got), len(want))
	}
	sums := map[string][4]int64{}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: not read", k)
			continue
		}
		if err := sameEvent(w, g); err != nil {
			t.Errorf("%s: %v", k, err)
		}
		if w.Rule.Name != g.Rule.Name || w.Rule.Default != g.Rule.Default || w.Direction != g.Direction || w.FlowState != g.FlowState ||
			w.PacketsSent != g.PacketsSent || w.BytesRecv != g.BytesRecv || !reflect.DeepEqual(w.NAT, g.NAT) {
			t.Errorf("%s:\n got %+v\nwant %+v", k, g, w)
		}
		if g.Source == event.SourceVNetFlow {
			c := sums[g.SrcIP.String()+g.DstIP.String()]
			c[0] += g.PacketsSent
			c[1] += g.BytesSent
			c[2] += g.PacketsRecv
			c[3] += g.BytesRecv
			sums[g.SrcIP.String()+g.DstIP.String()] = c
		}
	}
	// The counters of a flow's tuples add up to its totals.
	if c := sums["192.168.20.10"+"10.101.1.4"]; c != [4]int64{100, 10000, 90, 90_000_000_000} {
		t.Errorf("HTTPS flow counters sum to %v", c)
	}
	// The 16-minute flow crosses 10:00: its tuples are in two hourly blobs,
	// and an open flow has no end tuple.
	var nine, ten, ends int
	for _, g := range got {
		if g.Source != event.SourceVNetFlow {
			continue
		}
		switch {
		case strings.Contains(g.Origin.Key, "/h=09/"):
			nine++
		case strings.Contains(g.Origin.Key, "/h=10/"):
			ten++
		}
		if g.FlowState == "end" && g.SrcPort == 123 {
			ends++
		}
	}
	if nine == 0 || ten == 0 || ends != 0 {
		t.Errorf("tuples in h=09: %d, h=10: %d; end tuples of the open flow: %d", nine, ten, ends)
	}
}

func TestScriptDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ra, err := scriptAll(a, nil).Write()
	if err != nil {
		t.Fatal(err)
	}
	rb, err := scriptAll(b, nil).Write()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ra.Files, rb.Files) {
		t.Fatalf("file lists differ:\n%v\n%v", ra.Files, rb.Files)
	}
	for _, f := range ra.Files {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if string(x) != string(y) {
			t.Errorf("%s differs between runs", f)
		}
	}
}

func TestScriptRejects(t *testing.T) {
	s := NewScript(ScriptOptions{Out: t.TempDir()})
	s.Firewall("fw", FirewallLog{At: time.Now(), Category: "AZFWNoSuchThing"})
	if _, err := s.Write(); err == nil || !strings.Contains(err.Error(), "AZFWNoSuchThing") {
		t.Errorf("unknown category: err %v", err)
	}
	if _, err := s.Write(); err == nil {
		t.Error("second Write succeeded")
	}
	if _, err := NewScript(ScriptOptions{}).Write(); err == nil {
		t.Error("no output folder accepted")
	}
}
