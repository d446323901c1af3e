package explain

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/topology/load"
)

// fakeStore answers Store queries over a slice with the filter's Go face
// (the CLI tests in internal/cli run explain over the real DuckDB store).
type fakeStore struct{ evs []event.Event }

func (s *fakeStore) Events(_ context.Context, f *filter.Filter, limit int) ([]event.Event, error) {
	var out []event.Event
	for i := range s.evs {
		if f.Match(&s.evs[i]) {
			out = append(out, s.evs[i])
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *fakeStore) Count(ctx context.Context, f *filter.Filter) (int64, error) {
	evs, _ := s.Events(ctx, f, 0)
	return int64(len(evs)), nil
}

func (s *fakeStore) Newest(context.Context) (time.Time, bool, error) {
	var t time.Time
	for _, e := range s.evs {
		if e.Time.After(t) {
			t = e.Time
		}
	}
	return t, !t.IsZero(), nil
}

// t0 is the start of every test story.
var t0 = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

// at is t0 plus minutes and seconds.
func at(min, sec int) time.Time {
	return t0.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second)
}

// logs builds events the way the parsers emit them, each with an origin
// in a storage-account-like key, so citations can be checked.
type logs struct {
	evs []event.Event
	rec map[string]int
	// handshake makes flow-log counters bare TCP segments (60 bytes a
	// packet) instead of packets carrying data (400 bytes).
	handshake bool
}

func newLogs() *logs { return &logs{rec: map[string]int{}} }

func (l *logs) add(key string, e event.Event) *event.Event {
	e.Origin = event.Origin{Key: key, Record: l.rec[key]}
	l.rec[key]++
	e.Time = e.Time.UTC()
	l.evs = append(l.evs, e)
	return &l.evs[len(l.evs)-1]
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

// tuple adds a VNet flow-log tuple. state: B, C, E or D.
func (l *logs) tuple(t time.Time, mac, src string, sport int, dst string, dport int, dir event.Direction, state, rule string, sent, back int64) {
	e := event.Event{Time: t, Source: event.SourceVNetFlow, Category: "FlowLogFlowEvent", Emitter: mac, Protocol: "tcp",
		SrcIP: ip(src), SrcPort: uint16(sport), DstIP: ip(dst), DstPort: uint16(dport), Direction: dir,
		Verdict: event.VerdictAllow, Rule: event.Rule{Name: rule, Raw: rule}}
	switch state {
	case "B":
		e.FlowState = "begin"
	case "C":
		e.FlowState = "continuing"
	case "E":
		e.FlowState = "end"
	case "D":
		e.FlowState, e.Verdict = "denied", event.VerdictDeny
	}
	if state == "C" || state == "E" {
		size := int64(400)
		if l.handshake {
			size = 60
		}
		e.PacketsSent, e.BytesSent, e.PacketsRecv, e.BytesRecv = sent, sent*size, back, back*size
	}
	l.add("insights-logs-flowlogflowevent/flowLogResourceID=/X/macAddress="+mac+"/PT1H.json", e)
}

// fw adds an Azure Firewall record. cat is the AZFW category; dst may be
// "" for application rules (which carry only the FQDN).
func (l *logs) fw(t time.Time, name, cat, src string, sport int, dst string, dport int, fqdn string, v event.Verdict, rule event.Rule) *event.Event {
	e := event.Event{Time: t, Source: event.SourceFirewall, Category: cat, Emitter: strings.ToUpper(name), Protocol: "tcp",
		SrcIP: ip(src), SrcPort: uint16(sport), DstPort: uint16(dport), FQDN: fqdn, Verdict: v, Rule: rule}
	if cat == "AZFWApplicationRule" {
		e.Protocol = "https"
	}
	if dst != "" {
		e.DstIP = ip(dst)
	}
	return l.add("insights-logs-"+strings.ToLower(cat)+"/resourceId=/FW/"+strings.ToUpper(name)+"/PT1H.json", e)
}

// flowTrace adds an AZFWFlowTrace record.
func (l *logs) flowTrace(t time.Time, name, src string, sport int, dst string, dport int, flag string) {
	l.add("insights-logs-azfwflowtrace/resourceId=/FW/"+strings.ToUpper(name)+"/PT1H.json", event.Event{
		Time: t, Source: event.SourceFirewall, Category: "AZFWFlowTrace", Emitter: strings.ToUpper(name), Protocol: "tcp",
		SrcIP: ip(src), SrcPort: uint16(sport), DstIP: ip(dst), DstPort: uint16(dport), Verdict: event.VerdictInfo,
		Detail: map[string]string{"flow_trace": "true", "flag": flag, "action": "Drop"}})
}

// tunnel adds a VPN gateway TunnelDiagnosticLog record.
func (l *logs) tunnel(t time.Time, gw, conn, state string) {
	l.add("insights-logs-tunneldiagnosticlog/resourceId=/GW/"+strings.ToUpper(gw)+"/PT1H.json", event.Event{
		Time: t, Source: event.SourceVPNGateway, Category: "TunnelDiagnosticLog", Emitter: gw, Protocol: "udp", Verdict: event.VerdictInfo,
		Rule: event.Rule{Reason: "tunnel " + state}, Detail: map[string]string{"tunnel_state": state, "connection": conn}})
}

// kv adds a Key Vault AuditEvent.
func (l *logs) kv(t time.Time, vault, caller string, status int, layer string) {
	e := event.Event{Time: t, Source: event.SourceKeyVault, Category: "AuditEvent", Emitter: vault, Protocol: "https",
		SrcIP: ip(caller), DstPort: 443, Direction: event.DirIn, FQDN: vault + ".vault.azure.net", HTTPStatus: status,
		Verdict: event.VerdictAllow, Detail: map[string]string{"operation": "SecretGet"}}
	if status >= 400 {
		e.Verdict = event.VerdictDeny
		e.Detail["denial_layer"] = layer
		e.Rule.Reason = layer + ": Client address is not authorized and caller is not a trusted service."
	}
	l.add("insights-logs-auditevent/resourceId=/KV/"+strings.ToUpper(vault)+"/PT1H.json", e)
}

// engine loads a design from testdata.
func engine(t testing.TB, name string) *azure.Engine {
	t.Helper()
	n, _, err := load.Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return azure.New(n, azure.Options{})
}

// explainWith runs one explanation over the events (eng nil: no topology).
func explainWith(t testing.TB, eng *azure.Engine, q Query, evs []event.Event, opt Options) *Result {
	t.Helper()
	p, err := Prepare(q, eng)
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	if opt.Now.IsZero() {
		opt.Now = t0.Add(6 * time.Hour)
	}
	res := explainPlan(t, p, evs, opt)
	checkCitations(t, res)
	return res
}

// explainPlan runs p's explanation over the events.
func explainPlan(t testing.TB, p *Plan, evs []event.Event, opt Options) *Result {
	t.Helper()
	res, err := p.Explain(context.Background(), &fakeStore{evs: evs}, opt)
	if err != nil {
		t.Fatalf("Explain: %v", err)
	}
	return res
}

// keptBy appends to kept the events keep passes, as a one-shot load
// stores them.
func keptBy(kept []event.Event, keep func(*event.Event) bool, evs []event.Event) []event.Event {
	for i := range evs {
		if keep(&evs[i]) {
			kept = append(kept, evs[i])
		}
	}
	return kept
}

// checkCitations fails when a claim points at a citation that does not
// exist.
func checkCitations(t testing.TB, res *Result) {
	t.Helper()
	ok := func(i int, where string) {
		if i < 0 || i >= len(res.Citations) {
			t.Errorf("%s cites %d, but there are %d citations", where, i, len(res.Citations))
		}
	}
	for _, h := range res.Hops {
		for _, e := range h.Evidence {
			ok(e.Citation, "hop "+h.Hop)
		}
	}
	for _, f := range res.Findings {
		for _, c := range f.Citations {
			ok(c, "finding "+f.Code)
		}
	}
	for _, s := range res.Reasoning {
		for _, c := range s.Citations {
			ok(c, "step "+s.Text)
		}
	}
}

// dump renders a result for failure messages.
func dump(res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s at %s (%s): %s\n", res.Verdict, res.At, res.Confidence, res.Summary)
	for _, h := range res.Hops {
		fmt.Fprintf(&b, "  %-8s %-24s %-10s expected: %s\n           seen: %s\n", h.Leg, h.Hop, h.Status, h.Expected, h.Seen)
	}
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "  finding %s %s: %s\n", f.Code, f.Severity, f.Message)
	}
	for _, s := range res.Reasoning {
		fmt.Fprintf(&b, "  step: %s\n", s.Text)
	}
	return b.String()
}

func hasFinding(res *Result, code string) bool {
	for _, f := range res.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

func hop(res *Result, tok string) *Hop {
	for i := range res.Hops {
		if res.Hops[i].Hop == tok {
			return &res.Hops[i]
		}
	}
	return nil
}

// tallyingStore is a fakeStore that is also a Tallier, as *store.Store
// is: it counts per emitter and minute the way the store's grouped
// queries do.
type tallyingStore struct{ fakeStore }

func (s *tallyingStore) EmitterMinutes(ctx context.Context, f *filter.Filter, fn func(event.Source, string, time.Time, int64) error) error {
	evs, _ := s.Events(ctx, f, 0)
	type key struct {
		src event.Source
		em  string
		m   int64
	}
	counts := map[key]int64{}
	var keys []key
	for _, e := range evs {
		k := key{e.Source, e.Emitter, e.Time.Unix() / 60}
		if counts[k] == 0 {
			keys = append(keys, k)
		}
		counts[k]++
	}
	for _, k := range keys {
		if err := fn(k.src, k.em, time.Unix(k.m*60, 0).UTC(), counts[k]); err != nil {
			return err
		}
	}
	return nil
}

func (s *tallyingStore) EmitterAddrs(ctx context.Context, f *filter.Filter, fn func(event.Source, string, netip.Addr) error) error {
	evs, _ := s.Events(ctx, f, 0)
	seen := map[string]bool{}
	for _, e := range evs {
		var own netip.Addr
		switch e.Direction {
		case event.DirOut:
			own = e.SrcIP
		case event.DirIn:
			own = e.DstIP
		default:
			continue
		}
		k := string(e.Source) + "/" + e.Emitter + "/" + own.String()
		if !own.IsValid() || seen[k] {
			continue
		}
		seen[k] = true
		if err := fn(e.Source, e.Emitter, own); err != nil {
			return err
		}
	}
	return nil
}

// citationDiff lists the citations two results do not share.
func citationDiff(a, b *Result) string {
	var out strings.Builder
	for i := 0; i < max(len(a.Citations), len(b.Citations)); i++ {
		var x, y Citation
		if i < len(a.Citations) {
			x = a.Citations[i]
		}
		if i < len(b.Citations) {
			y = b.Citations[i]
		}
		if x != y {
			fmt.Fprintf(&out, "  [%d] %s: %s\n   vs %s: %s\n", i, x.Origin, x.Quote, y.Origin, y.Quote)
		}
	}
	return out.String()
}

// prepareWith prepares q over the test topology file topo ("" for none:
// evidence alone).
func prepareWith(t *testing.T, topo string, q Query) *Plan {
	t.Helper()
	var eng *azure.Engine
	if topo != "" {
		eng = engine(t, topo)
	}
	p, err := Prepare(q, eng)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
