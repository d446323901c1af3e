package store

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// story is one denied conversation seen by three emitters plus a Key Vault
// request from the same client: the client NIC let it out, the firewall
// denied it, the server NIC never saw it; and an allowed flow.
func story() []event.Event {
	client, server, fw := netip.MustParseAddr("10.0.0.4"), netip.MustParseAddr("10.1.0.5"), "fw-hub"
	return []event.Event{
		{Time: t0, Source: event.SourceVNetFlow, Emitter: "00224871C205", Protocol: "tcp", SrcIP: client, SrcPort: 50000, DstIP: server, DstPort: 1433,
			Direction: event.DirOut, Verdict: event.VerdictAllow, FlowState: "begin", Rule: event.Rule{Name: "DefaultRule_AllowVnetOutBound"},
			Origin: event.Origin{Key: "insights-logs-flowlogflowevent/c/PT1H.json", Record: 0, Tuple: 0}},
		{Time: t0.Add(time.Second), Source: event.SourceFirewall, Emitter: fw, Protocol: "tcp", SrcIP: client, SrcPort: 50000, DstIP: server, DstPort: 1433,
			Verdict: event.VerdictDeny, Rule: event.Rule{Name: "deny-sql", RuleCollection: "spokes"},
			Origin: event.Origin{Key: "insights-logs-azurefirewallnetworkrule/f/PT1H.json", Record: 3}},
		{Time: t0.Add(time.Minute), Source: event.SourceVNetFlow, Emitter: "00224871C205", Protocol: "tcp", SrcIP: client, SrcPort: 50000, DstIP: server, DstPort: 1433,
			Direction: event.DirOut, Verdict: event.VerdictAllow, FlowState: "end", PacketsSent: 3, BytesSent: 180,
			Origin: event.Origin{Key: "insights-logs-flowlogflowevent/c/PT1H.json", Record: 1, Tuple: 0}},
		// The reply direction logged by the server NIC of another flow.
		{Time: t0.Add(2 * time.Minute), Source: event.SourceVNetFlow, Emitter: "00224871C206", Protocol: "tcp", SrcIP: client, SrcPort: 50001, DstIP: server, DstPort: 443,
			Direction: event.DirIn, Verdict: event.VerdictAllow, FlowState: "end", PacketsSent: 10, BytesSent: 1000, PacketsRecv: 8, BytesRecv: 9000,
			Origin: event.Origin{Key: "insights-logs-flowlogflowevent/s/PT1H.json", Record: 0, Tuple: 0}},
		{Time: t0.Add(2 * time.Minute), Source: event.SourceVNetFlow, Emitter: "00224871C205", Protocol: "tcp", SrcIP: client, SrcPort: 50001, DstIP: server, DstPort: 443,
			Direction: event.DirOut, Verdict: event.VerdictAllow, FlowState: "end", PacketsSent: 10, BytesSent: 1000, PacketsRecv: 8, BytesRecv: 9000,
			Origin: event.Origin{Key: "insights-logs-flowlogflowevent/c/PT1H.json", Record: 2, Tuple: 0}},
		{Time: t0.Add(3 * time.Minute), Source: event.SourceKeyVault, Emitter: "kv1", Protocol: "https", SrcIP: client, DstPort: 443, FQDN: "kv1.vault.azure.net",
			Verdict: event.VerdictDeny, HTTPStatus: 403, Rule: event.Rule{Reason: "ForbiddenByFirewall"},
			Origin: event.Origin{Key: "insights-logs-auditevent/k/PT1H.json", Record: 0}},
	}
}

func TestFlows(t *testing.T) {
	s := open(t, "")
	load(t, s, story())
	convs, err := s.Flows(context.Background(), &filter.Filter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) != 3 {
		t.Fatalf("got %d conversations, want 3: %+v", len(convs), convs)
	}
	sql := convs[0]
	if sql.Server != "10.1.0.5" || sql.ServerPort != 1433 || sql.Client != "10.0.0.4" || sql.Verdict != event.VerdictDeny || sql.Events != 3 {
		t.Errorf("sql conversation = %+v", sql)
	}
	if len(sql.Emitters) != 2 || sql.Emitters[0].Role != "client NIC" || sql.Emitters[1].Role != "firewall" || sql.Emitters[1].Rule != "deny-sql" {
		t.Errorf("sql hops = %+v", sql.Emitters)
	}
	if sql.PacketsSent != 3 || sql.BytesSent != 180 {
		t.Errorf("sql totals %d/%d, want 3/180", sql.PacketsSent, sql.BytesSent)
	}
	if got := sql.Emitters[0].Origins; len(got) != 2 || got[1].Record != 1 {
		t.Errorf("client NIC origins = %+v", got)
	}
	web := convs[1]
	if web.ServerPort != 443 || web.PacketsSent != 10 || web.BytesRecv != 9000 || len(web.Emitters) != 2 {
		t.Errorf("web conversation = %+v (totals must not double count two NICs)", web)
	}
	if web.Emitters[0].Role != "client NIC" || web.Emitters[1].Role != "server NIC" {
		t.Errorf("web roles = %s, %s", web.Emitters[0].Role, web.Emitters[1].Role)
	}
	kv := convs[2]
	if kv.Server != "kv1.vault.azure.net" || kv.Client != "10.0.0.4" || kv.Verdict != event.VerdictDeny || kv.Emitters[0].HTTPStatus[0] != 403 {
		t.Errorf("key vault request = %+v", kv)
	}
}

func TestTop(t *testing.T) {
	s := open(t, "")
	load(t, s, story())
	f, _ := filter.Parse(filter.Spec{Verdict: []string{"deny"}})
	rows, err := s.Top(context.Background(), f, ByDstPort, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Key != "tcp/1433" && rows[0].Key != "tcp/443" || rows[0].Flows != 1 {
		t.Fatalf("top denied ports = %+v", rows)
	}
	rows, err = s.Top(context.Background(), &filter.Filter{}, ByVerdict, 10)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Key != "allow" || rows[0].Flows != 2 || rows[0].Events != 4 {
		t.Errorf("top verdicts = %+v", rows)
	}
	for _, by := range TopBys {
		if _, err := s.Top(context.Background(), &filter.Filter{}, by, 3); err != nil {
			t.Errorf("top by %s: %v", by, err)
		}
	}
}

// TestFlowsFilterSelectsConversations: a filter picks conversations, and
// each row still shows every hop, so --verdict deny shows the allow before
// the deny.
func TestFlowsFilterSelectsConversations(t *testing.T) {
	s := open(t, "")
	load(t, s, story())
	f, _ := filter.Parse(filter.Spec{Verdict: []string{"deny"}, Source: []string{"firewall"}})
	convs, err := s.Flows(context.Background(), f, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) != 1 || len(convs[0].Emitters) != 2 || convs[0].Emitters[0].Verdicts[0] != "allow" || convs[0].Events != 3 {
		t.Fatalf("denied conversations = %+v", convs)
	}
}

// TestTopRuleDrillDownFindsTheGroup: the events command printed for each
// --top --by rule group lists exactly that group's events, also when the
// label is a long denial message (cut by its parser, "…" included) that
// only --reason searches, or a rule collection without a rule name.
func TestTopRuleDrillDownFindsTheGroup(t *testing.T) {
	s := open(t, "")
	evs := story()
	long := "Client address is not authorized and caller is not a trusted service. Client address: 20.1.2.3. Caller: appid=…"
	evs = append(evs,
		event.Event{Time: t0.Add(4 * time.Minute), Source: event.SourceKeyVault, Emitter: "kv1", Protocol: "https", SrcIP: netip.MustParseAddr("10.0.0.9"), DstPort: 443,
			Verdict: event.VerdictDeny, HTTPStatus: 403, Rule: event.Rule{Reason: long}, Origin: event.Origin{Key: "insights-logs-auditevent/k/PT1H.json", Record: 1}},
		event.Event{Time: t0.Add(5 * time.Minute), Source: event.SourceFirewall, Emitter: "fw-hub", Protocol: "tcp", SrcIP: netip.MustParseAddr("10.0.0.9"), SrcPort: 1, DstIP: netip.MustParseAddr("10.1.0.5"), DstPort: 22,
			Verdict: event.VerdictDeny, Rule: event.Rule{RuleCollection: "deny-ssh-collection"}, Origin: event.Origin{Key: "insights-logs-azurefirewallnetworkrule/f/PT1H.json", Record: 4}})
	load(t, s, evs)
	ctx := context.Background()
	rows, err := s.Top(ctx, &filter.Filter{}, ByRule, 20)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.Key] = true
		if r.Key == "" {
			continue // events without any rule: no flag selects exactly them
		}
		var spec filter.Spec
		fs := pflag.NewFlagSet("events", pflag.ContinueOnError)
		filter.AddFlags(fs, &spec)
		args := r.EventsArgs(ByRule, filter.Spec{})
		if err := fs.Parse(args); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		f, err := filter.Parse(spec)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		n, err := s.Count(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if n != r.Events {
			t.Errorf("group %q has %d events; its drill-down %q finds %d", r.Key, r.Events, args, n)
		}
	}
	for _, k := range []string{"ForbiddenByFirewall", long, "deny-ssh-collection", "deny-sql"} {
		if !seen[k] {
			t.Errorf("no group %q in %+v", k, rows)
		}
	}
}
