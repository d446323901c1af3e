package explain

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// oneShot explains as a one-shot load does: Keep over every event (with
// the tally), then the second pass Widen asks for; the answer must equal
// the one from a store that holds every event and tallies per emitter
// (as --db does).
func oneShot(t *testing.T, p *Plan, evs []event.Event, opt Options) *Result {
	t.Helper()
	ctx := context.Background()
	full, err := p.Explain(ctx, &tallyingStore{fakeStore{evs: evs}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkCitations(t, full)
	st, act := oneShotLoad(t, p, evs, opt)
	opt.Activity = act
	res, err := p.Explain(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res, full) {
		t.Errorf("one-shot and full store differ\none-shot:\n%s\nfull:\n%s\n%s", dump(res), dump(full), citationDiff(res, full))
	}
	return res
}

// oneShotLoad stores what a one-shot load does: the events Keep passes
// (with the tally), then those of the second pass Widen asks for.
func oneShotLoad(t *testing.T, p *Plan, evs []event.Event, opt Options) (*fakeStore, *Activity) {
	t.Helper()
	act := NewActivity()
	st := &fakeStore{evs: keptBy(nil, p.Keep(act), evs)}
	act.Done()
	opt.Activity = act
	widen, err := p.Widen(context.Background(), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if widen != nil {
		st.evs = keptBy(st.evs, widen, evs)
	}
	return st, act
}

// dnsProxy adds the firewall's DNS proxy record of a client's query (a
// DNS event whose emitter is the firewall, as the parser reads
// AZFWDnsQuery).
func (l *logs) dnsProxy(t time.Time, fw, client string, sport int, name string) *event.Event {
	return l.add("insights-logs-azfwdnsquery/resourceId=/FW/"+strings.ToUpper(fw)+"/PT1H.json", event.Event{
		Time: t, Source: event.SourceDNS, Category: "AZFWDnsQuery", Emitter: strings.ToUpper(fw), Protocol: "udp",
		EmitterID: "/subscriptions/x/resourcegroups/rg/providers/microsoft.network/azurefirewalls/" + fw,
		SrcIP:     ip(client), SrcPort: uint16(sport), FQDN: name, Verdict: event.VerdictInfo,
		Detail: map[string]string{"query_name": name + ".", "query_type": "A", "rcode": "NOERROR"}})
}

// storage adds a Storage read from caller.
func (l *logs) storage(t time.Time, account, caller string, sport int) {
	l.add("insights-logs-storageread/resourceId=/SA/"+strings.ToUpper(account)+"/PT1H.json", event.Event{
		Time: t, Source: event.SourceStorage, Category: "StorageRead", Emitter: account, Protocol: "https",
		SrcIP: ip(caller), SrcPort: uint16(sport), DstPort: 443, Direction: event.DirIn, FQDN: account + ".blob.core.windows.net",
		HTTPStatus: 200, Verdict: event.VerdictAllow, Detail: map[string]string{"operation": "GetBlob"}})
}

// TestFirewallNotCrossed: without a topology, a client downloads from a
// storage account's private endpoint while the firewall resolves the name
// for it (DNS proxy) and decides its other flows, never this one: the
// answer says the client uses the firewall and this flow goes around it,
// citing the firewall's records.
func TestFirewallNotCrossed(t *testing.T) {
	l := newLogs()
	for i, m := range []int{4, 9, 13} {
		start := at(m, 10)
		l.dnsProxy(start.Add(-40*time.Millisecond), "azfw", "10.0.2.4", 53100+i, "contosodata.blob.core.windows.net")
		l.tuple(start, macApp, "10.0.2.4", 50600+i, "10.1.2.4", 443, event.DirOut, "B", "PlatformRule", 0, 0)
		l.tuple(start.Add(3*time.Second), macApp, "10.0.2.4", 50600+i, "10.1.2.4", 443, event.DirOut, "E", "PlatformRule", 40, 290)
		l.storage(start.Add(310*time.Millisecond), "contosodata", "10.0.2.4", 50600+i)
	}
	for m := 2; m < 20; m += 10 {
		l.fw(at(m, 5), "azfw", "AZFWApplicationRule", "10.0.2.4", 51500+m, "", 80, "www.msftconnecttest.com", event.VerdictDeny, event.Rule{Default: true})
	}
	p, err := Prepare(Query{From: "10.0.2.4", To: "10.1.2.4:443"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res := oneShot(t, p, l.evs, Options{At: at(10, 0), Now: t0.Add(6 * time.Hour)})
	if res.Verdict != VerdictDelivered || res.At != "storage:contosodata" {
		t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
	}
	var f *Finding
	for i := range res.Findings {
		if res.Findings[i].Code == FindFirewallNotCrossed {
			f = &res.Findings[i]
		}
	}
	if f == nil {
		t.Fatalf("no %s finding\n%s", FindFirewallNotCrossed, dump(res))
	}
	for _, want := range []string{"firewall:azfw", "resolved contosodata.blob.core.windows.net for it", "by the default action", "no decision for this flow"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("finding lacks %q: %s", want, f.Message)
		}
	}
	kinds := map[string]bool{}
	for _, c := range f.Citations {
		kinds[res.Citations[c].Origin[:strings.Index(res.Citations[c].Origin, "/")]] = true
	}
	if !kinds["insights-logs-azfwdnsquery"] || !kinds["insights-logs-azfwapplicationrule"] {
		t.Errorf("the finding cites %v, want the DNS query and a decision", kinds)
	}

	// A firewall that decided the flow was crossed: no such finding.
	l.fw(at(4, 10).Add(5*time.Millisecond), "azfw", "AZFWNetworkRule", "10.0.2.4", 50600, "10.1.2.4", 443, "", event.VerdictAllow, event.Rule{Name: "storage"})
	res = oneShot(t, p, l.evs, Options{At: at(10, 0), Now: t0.Add(6 * time.Hour)})
	if hasFinding(res, FindFirewallNotCrossed) {
		t.Errorf("finding although the firewall decided the flow\n%s", dump(res))
	}
}

// TestNeverReachedSaysSiteWorks: the admin's RDP to the spoke never
// arrives, while the same address's SSH session to the jump host crosses
// the tunnel in the window: the verdict says the tunnel and the site
// work, citing the jump host's tuple.
func TestNeverReachedSaysSiteWorks(t *testing.T) {
	l := storyBranch(true)
	l.background(macJump, "10.10.1.4", 0, 55)
	l.tuple(at(3, 10), macJump, "192.168.50.10", 49822, "10.10.1.4", 22, event.DirIn, "B", "UserRule_Allow-SSH-Branch", 0, 0)
	l.tuple(at(14, 0), macJump, "192.168.50.10", 49822, "10.10.1.4", 22, event.DirIn, "E", "UserRule_Allow-SSH-Branch", 400, 380)
	for _, c := range []struct {
		name, topo, from, jump string
	}{
		{"topology", "branch.yaml", "onprem:branch/admin-pc", "nic:jump-nic"},
		{"evidence only", "", "192.168.50.10", "nic:10.10.1.4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p *Plan
			var err error
			if c.topo != "" {
				p, err = Prepare(Query{From: c.from, To: "10.20.1.4:3389"}, engine(t, c.topo))
			} else {
				p, err = Prepare(Query{From: c.from, To: "10.20.1.4:3389"}, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			res := oneShot(t, p, l.evs, Options{At: at(10, 0), Now: t0.Add(6 * time.Hour)})
			if res.Verdict != VerdictNeverReachedAzure {
				t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
			}
			want := "The tunnel and the site work: 192.168.50.10 reached " + c.jump + " (10.10.1.4:22 at "
			if !strings.Contains(res.Summary, want) {
				t.Errorf("summary lacks %q: %s", want, res.Summary)
			}
			cited := false
			for _, s := range res.Reasoning {
				if strings.HasPrefix(s.Text, "Verdict ") {
					for _, ci := range s.Citations {
						cited = cited || strings.Contains(res.Citations[ci].Quote, "192.168.50.10:49822 → 10.10.1.4:22")
					}
				}
			}
			if !cited {
				t.Errorf("the verdict does not cite the jump host's tuple\n%s", dump(res))
			}
		})
	}
}
