package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// fullEvent sets every field, so a round trip proves each column.
func fullEvent() event.Event {
	return event.Event{
		Time: t0.Add(1500 * time.Microsecond), Source: event.SourceFirewall, Category: "AZFWNatRule",
		Emitter: "fw1", EmitterID: "/subscriptions/x/resourcegroups/rg/providers/microsoft.network/azurefirewalls/fw1",
		Protocol: "tcp", SrcIP: netip.MustParseAddr("203.0.113.9"), SrcPort: 50123,
		DstIP: netip.MustParseAddr("198.51.100.4"), DstPort: 3389, ICMPType: 3,
		Direction: event.DirIn, Verdict: event.VerdictDNAT,
		Rule: event.Rule{Name: "rdp", Raw: "rdp_raw", ACL: "acl", Policy: "pol", RuleCollectionGroup: "rcg", RuleCollection: "rc",
			Signature: "2001", ThreatIntel: "Botnet", Default: true, Reason: "because"},
		NAT:       &event.NAT{Kind: "dnat", TranslatedIP: netip.MustParseAddr("10.0.1.4"), TranslatedPort: 3389},
		FlowState: "begin", PacketsSent: 1, BytesSent: 2, PacketsRecv: 3, BytesRecv: 4,
		FQDN: "example.com", URL: "https://example.com/x", HTTPStatus: 403, Caller: "user@example.com",
		Aggregate: true, Count: 7, Detail: map[string]string{"a": "1", "b": "2"},
		Origin: event.Origin{Key: "insights-logs-azurefirewall/x/PT1H.json", Record: 12, Tuple: 0},
	}
}

func load(t *testing.T, s *Store, evs []event.Event) *Loader {
	t.Helper()
	ctx := context.Background()
	l, err := s.NewLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Add(evs); err != nil {
		t.Fatal(err)
	}
	if err := l.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return l
}

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestRoundTrip(t *testing.T) {
	s := open(t, "")
	v6 := event.Event{Time: t0, Source: event.SourceVNetFlow, Protocol: "udp", SrcIP: netip.MustParseAddr("2001:db8::1"),
		DstIP: netip.MustParseAddr("2001:db8::2"), DstPort: 53, Verdict: event.VerdictAllow, Detail: map[string]string{"encryption": "NX"},
		Origin: event.Origin{Key: "k", Record: 0, Tuple: 4}}
	bare := event.Event{Time: t0, Source: event.SourceKeyVault, Verdict: event.VerdictDeny, Origin: event.Origin{Key: "kv", Record: 1}}
	in := []event.Event{fullEvent(), v6, bare}
	load(t, s, in)
	got, err := s.Events(context.Background(), &filter.Filter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []event.Event{in[1], in[2], in[0]} // time order, then origin key
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

func flowEvents(key string, records, tuples int) []event.Event {
	var out []event.Event
	for r := range records {
		for tu := range tuples {
			out = append(out, event.Event{Time: t0.Add(time.Duration(r) * time.Minute), Source: event.SourceVNetFlow, Verdict: event.VerdictAllow,
				Protocol: "tcp", SrcIP: netip.MustParseAddr("10.0.0.4"), SrcPort: uint16(40000 + tu), DstIP: netip.MustParseAddr("10.0.1.4"), DstPort: 443,
				Origin: event.Origin{Key: key, Record: r, Tuple: tu}})
		}
	}
	return out
}

func count(t *testing.T, s *Store) int64 {
	t.Helper()
	n, err := s.Count(context.Background(), &filter.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDedupe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.duckdb")
	s := open(t, path)
	blob := flowEvents("insights-logs-flowlogflowevent/a/PT1H.json", 3, 4)

	// The same blob twice in one load (two downloaded copies): once.
	l := load(t, s, append(append([]event.Event{}, blob...), blob...))
	if l.Added() != 12 || l.Duplicates() != 12 || count(t, s) != 12 {
		t.Fatalf("first load added %d, dupes %d, stored %d; want 12, 12, 12", l.Added(), l.Duplicates(), count(t, s))
	}
	// Loaded again in a later run: nothing added.
	if l := load(t, s, blob); l.Added() != 0 || count(t, s) != 12 {
		t.Fatalf("reload added %d, stored %d", l.Added(), count(t, s))
	}
	// The blob grew by two records: only those are added, also after reopening.
	s.Close()
	s = open(t, path)
	grown := flowEvents("insights-logs-flowlogflowevent/a/PT1H.json", 5, 4)
	if l := load(t, s, grown); l.Added() != 8 || count(t, s) != 20 {
		t.Fatalf("grown blob added %d, stored %d; want 8, 20", l.Added(), count(t, s))
	}
	// A repeated tuple inside one record is a duplicate; stdin is never remembered.
	rep := flowEvents("-", 1, 2)
	rep = append(rep, rep[1])
	if l := load(t, s, rep); l.Added() != 2 || l.Duplicates() != 1 {
		t.Fatalf("stdin load added %d dupes %d", l.Added(), l.Duplicates())
	}
	if l := load(t, s, flowEvents("-", 1, 2)); l.Added() != 2 {
		t.Fatalf("stdin reload added %d, want 2 (stdin has no identity)", l.Added())
	}
}

func TestAbortLeavesStoreUnchanged(t *testing.T) {
	s := open(t, "")
	ctx := context.Background()
	l, err := s.NewLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Add(flowEvents("k", 2, 2)); err != nil {
		t.Fatal(err)
	}
	l.Abort(ctx)
	if n := count(t, s); n != 0 {
		t.Fatalf("aborted load left %d events", n)
	}
	if l := load(t, s, flowEvents("k", 2, 2)); l.Added() != 4 {
		t.Fatalf("load after abort added %d, want 4", l.Added())
	}
}

// randomEvents builds events over a small value space so filters hit.
func randomEvents(rng *rand.Rand, n int) []event.Event {
	ips := []string{"10.0.0.4", "10.0.0.5", "10.0.1.4", "10.1.0.9", "52.1.2.3", "2001:db8::1", "2001:db8:1::2", "fe80::1", "0.0.0.0", "255.255.255.255", "::ffff:0.0.0.1", "::ffff:10.0.0.4"}
	protos := []string{"tcp", "udp", "icmp", "icmpv6", "https", "47", ""}
	rules := []string{"", "DefaultRule_DenyAllInBound", "UserRule_AllowWeb", "PlatformRule", "deny-web"}
	reasons := []string{"", "ForbiddenByFirewall", "No rule matched"}
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	var out []event.Event
	for i := range n {
		e := event.Event{
			Time:      t0.Add(time.Duration(rng.IntN(6*3600)) * time.Second),
			Source:    event.Sources[rng.IntN(len(event.Sources))],
			Verdict:   event.Verdicts[rng.IntN(len(event.Verdicts))],
			Protocol:  pick(protos),
			SrcPort:   uint16(rng.IntN(5) * 100),
			DstPort:   []uint16{0, 22, 53, 443, 3389, 65535}[rng.IntN(6)],
			Direction: []event.Direction{"", event.DirIn, event.DirOut}[rng.IntN(3)],
			Rule:      event.Rule{Name: pick(rules), RuleCollection: pick([]string{"", "Web"}), Reason: pick(reasons)},
			Origin:    event.Origin{Key: "k", Record: i},
		}
		if rng.IntN(8) > 0 {
			e.SrcIP = netip.MustParseAddr(pick(ips)) // IPv4-mapped ones stay mapped: a dictionary address
		}
		if rng.IntN(8) > 0 {
			e.DstIP = netip.MustParseAddr(pick(ips))
		}
		out = append(out, e)
	}
	return out
}

// TestFilterGoAndSQLAgree is the property test: for random filters over
// random events, the Go matcher and the SQL the store runs select the same
// events.
func TestFilterGoAndSQLAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	evs := randomEvents(rng, 600)
	s := open(t, "")
	load(t, s, evs)
	ctx := context.Background()
	newest, _, err := s.Newest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	specs := []filter.Spec{
		{Src: []string{"10.0.0.0/24"}}, {Dst: []string{"10.0.0.0/8", "52.1.2.3"}}, {IP: []string{"2001:db8::/32"}},
		{IP: []string{"::/0"}}, {IP: []string{"0.0.0.0/0"}}, {Src: []string{"255.255.255.255"}}, {Dst: []string{"::/1"}},
		{IP: []string{"fe80::1"}}, {Src: []string{"0.0.0.0/1"}}, {Dst: []string{"2001:db8::/64", "10.1.0.0/16"}},
		{Port: []string{"443"}}, {Port: []string{"0-100", "3389"}}, {SrcPort: []string{"100-300"}},
		{Proto: []string{"tcp"}}, {Proto: []string{"icmp", "47"}}, {Proto: []string{"udp"}},
		{Verdict: []string{"deny", "drop"}}, {Source: []string{"firewall"}}, {Direction: []string{"in"}},
		{Rule: []string{"deny"}}, {Rule: []string{"WEB"}}, {Reason: []string{"forbidden"}},
		{Since: "2h"}, {Until: "3h"}, {Since: "2026-03-01T12:00:00Z", Until: "2026-03-01T13:30:00Z"},
		{Src: []string{"10.0.0.0/16"}, Verdict: []string{"allow"}, Port: []string{"443"}},
		{IP: []string{"10.0.0.4"}, Proto: []string{"tcp"}, Since: "4h"},
		{Src: []string{"10.0.0.4"}}, {Dst: []string{"::ffff:10.0.0.4"}}, {Src: []string{"0.0.0.0/0"}},
		{Src: []string{"10.0.0.0/24", "2001:db8::/32"}}, {Dst: []string{"::/0"}}, {Src: []string{"0.0.0.1"}},
		{Src: []string{"10.0.0.4", "52.1.2.3"}, Dst: []string{"fe80::1", "10.0.1.4"}, Port: []string{"22"}},
	}
	for i, sp := range specs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			f, err := filter.Parse(sp)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Bind(newest); err != nil {
				t.Fatal(err)
			}
			want := map[int]bool{}
			for j := range evs {
				if f.Match(&evs[j]) {
					want[evs[j].Origin.Record] = true
				}
			}
			got, err := s.Events(ctx, f, 0)
			if err != nil {
				t.Fatal(err)
			}
			gotSet := map[int]bool{}
			for _, e := range got {
				gotSet[e.Origin.Record] = true
			}
			if !reflect.DeepEqual(gotSet, want) {
				t.Errorf("%+v: SQL selected %d events, Go %d", sp, len(gotSet), len(want))
			}
			if len(want) == 0 || len(want) == len(evs) {
				t.Logf("%+v selects %d of %d (weak case)", sp, len(want), len(evs))
			}
		})
	}
}

// TestDetailIsJSONObject: detail is a JSON object in the events view, so
// its keys are reachable with ->> (it once held a JSON string).
func TestDetailIsJSONObject(t *testing.T) {
	s := open(t, "")
	e := fullEvent()
	e.Detail = map[string]string{"denial_layer": "vault-firewall", "k": "v"}
	load(t, s, []event.Event{e, {Time: t0, Source: event.SourceKeyVault, Verdict: event.VerdictDeny, Origin: event.Origin{Key: "kv", Record: 1}}})
	var k, layer, typ sql.NullString
	err := s.db.QueryRowContext(context.Background(),
		`SELECT detail->>'k', detail->>'denial_layer', json_type(detail) FROM events WHERE detail IS NOT NULL`).Scan(&k, &layer, &typ)
	if err != nil {
		t.Fatal(err)
	}
	if k.String != "v" || layer.String != "vault-firewall" || typ.String != "OBJECT" {
		t.Errorf("detail->>'k' = %v, detail->>'denial_layer' = %v, json_type = %v; want v, vault-firewall, OBJECT", k, layer, typ)
	}
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT count(*) FROM events WHERE detail IS NULL`).Scan(&n); err != nil || n != 1 {
		t.Errorf("events without detail: %d, %v; want 1 (NULL)", n, err)
	}
}

// TestLoadStreamsManyChunks loads more rows than the stream keeps in flight
// (many DuckDB chunks) into a file, in several Add calls, then aborts a
// second large load part-way: the first is complete, the second leaves
// nothing, and a reload of the first adds nothing.
func TestLoadStreamsManyChunks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.duckdb")
	s := open(t, path)
	ctx := context.Background()
	evs := flowEvents("big", 80, 1000) // 80,000 events: 40 chunks, 3 Arrow batches
	if n := len(evs); n <= 2*batchRows() {
		t.Fatalf("%d events fill fewer than three batches of %d", n, batchRows())
	}
	var limit, limitAfter string
	var threads, threadsAfter int
	if err := s.db.QueryRowContext(ctx, "SELECT current_setting('memory_limit'), current_setting('threads')").Scan(&limit, &threads); err != nil {
		t.Fatal(err)
	}
	l, err := s.NewLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(evs); i += 3000 {
		if err := l.Add(evs[i:min(i+3000, len(evs))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s); n != int64(len(evs)) {
		t.Fatalf("stored %d events, want %d", n, len(evs))
	}
	l, err = s.NewLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Add(flowEvents("other", 50, 500)); err != nil {
		t.Fatal(err)
	}
	l.Abort(ctx)
	if n := count(t, s); n != int64(len(evs)) {
		t.Fatalf("after an aborted load: %d events, want %d", n, len(evs))
	}
	if l := load(t, s, evs); l.Added() != 0 || l.Duplicates() != int64(len(evs)) {
		t.Fatalf("reload added %d (dupes %d), want 0 (%d)", l.Added(), l.Duplicates(), len(evs))
	}
	var ord string
	if err := s.db.QueryRowContext(ctx, "SELECT current_setting('preserve_insertion_order')::VARCHAR").Scan(&ord); err != nil || ord != "true" {
		t.Errorf("preserve_insertion_order after loads = %q, %v; want true (reset)", ord, err)
	}
	if err := s.db.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&limitAfter); err != nil || limitAfter != limit {
		t.Errorf("memory_limit after loads = %q, %v; want %q (reset)", limitAfter, err, limit)
	}
	if err := s.db.QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&threadsAfter); err != nil || threadsAfter != threads {
		t.Errorf("threads after loads = %d, %v; want %d (reset)", threadsAfter, err, threads)
	}
}
