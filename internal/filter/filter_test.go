package filter

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/spf13/pflag"
)

func TestParseRejects(t *testing.T) {
	cases := []struct {
		name string
		spec Spec
		want string // substring of the error
	}{
		{"bad address", Spec{Src: []string{"10.0.0.300"}}, `--src "10.0.0.300"`},
		{"bad cidr", Spec{IP: []string{"10.0.0.0/33"}}, `--ip "10.0.0.0/33"`},
		{"port out of range", Spec{Port: []string{"65536"}}, `--port "65536"`},
		{"reversed range", Spec{SrcPort: []string{"90-80"}}, `--src-port "90-80"`},
		{"unknown proto", Spec{Proto: []string{"sctp"}}, `--proto "sctp"`},
		{"proto number too big", Spec{Proto: []string{"256"}}, `--proto "256"`},
		{"unknown verdict", Spec{Verdict: []string{"allowed"}}, `--verdict "allowed"`},
		{"unknown source", Spec{Source: []string{"nsg"}}, `--source "nsg"`},
		{"unknown direction", Spec{Direction: []string{"inbound"}}, `--direction "inbound"`},
		{"empty rule", Spec{Rule: []string{" "}}, `--rule: empty`},
		{"bad since", Spec{Since: "yesterday"}, `--since "yesterday"`},
		{"negative duration", Spec{Until: "-2h"}, `--until "-2h"`},
		{"absolute since after until", Spec{Since: "2026-01-02T00:00:00Z", Until: "2026-01-01T00:00:00Z"}, "after --until"},
		{"relative since after until", Spec{Since: "1h", Until: "2h"}, "after --until"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.spec)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Parse(%+v) error = %v, want it to contain %q", c.spec, err, c.want)
			}
		})
	}
}

func TestMixedBoundsCheckedAtBind(t *testing.T) {
	f, err := Parse(Spec{Since: "2026-01-01T12:00:00Z", Until: "2h"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Bind(time.Date(2026, 1, 1, 13, 0, 0, 0, time.UTC)); err == nil {
		t.Fatal("since 12:00 after until 11:00 accepted")
	}
	if err := f.Bind(time.Date(2026, 1, 1, 15, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
}

// sample is a firewall-ish and a flow-log-ish event for match tests.
func sample() []event.Event {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	return []event.Event{
		{Time: t0, Source: event.SourceVNetFlow, Protocol: "tcp", SrcIP: netip.MustParseAddr("10.0.0.4"), SrcPort: 50000, DstIP: netip.MustParseAddr("10.1.0.5"), DstPort: 443, Direction: event.DirOut, Verdict: event.VerdictAllow, Rule: event.Rule{Name: "DefaultRule_AllowVnetOutBound"}},
		{Time: t0.Add(time.Hour), Source: event.SourceFirewall, Protocol: "https", SrcIP: netip.MustParseAddr("10.0.0.4"), SrcPort: 50001, DstIP: netip.MustParseAddr("52.1.2.3"), DstPort: 443, Verdict: event.VerdictDeny, Rule: event.Rule{Name: "deny-web", RuleCollection: "Web", Policy: "fw-pol", Reason: "No rule matched"}},
		{Time: t0.Add(2 * time.Hour), Source: event.SourceNSGFlow, Protocol: "udp", SrcIP: netip.MustParseAddr("2001:db8::1"), SrcPort: 53, DstIP: netip.MustParseAddr("2001:db8::2"), DstPort: 5353, Direction: event.DirIn, Verdict: event.VerdictDeny, Rule: event.Rule{Name: "DefaultRule_DenyAllInBound"}},
		{Time: t0.Add(3 * time.Hour), Source: event.SourceKeyVault, Protocol: "https", SrcIP: netip.MustParseAddr("10.0.0.4"), DstPort: 443, Verdict: event.VerdictDeny, HTTPStatus: 403, Rule: event.Rule{Reason: "ForbiddenByFirewall"}},
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		name string
		spec Spec
		want []int // indexes of matching sample events
	}{
		{"empty matches all", Spec{}, []int{0, 1, 2, 3}},
		{"src cidr", Spec{Src: []string{"10.0.0.0/24"}}, []int{0, 1, 3}},
		{"dst exact", Spec{Dst: []string{"52.1.2.3"}}, []int{1}},
		{"ip either side v6 cidr", Spec{IP: []string{"2001:db8::/64"}}, []int{2}},
		{"ip either side", Spec{IP: []string{"10.1.0.5"}}, []int{0}},
		{"v6 prefix excludes v4", Spec{IP: []string{"::/0"}}, []int{2}},
		{"same flag is OR", Spec{Dst: []string{"52.1.2.3", "10.1.0.5"}}, []int{0, 1}},
		{"different flags AND", Spec{Src: []string{"10.0.0.4"}, Verdict: []string{"deny"}}, []int{1, 3}},
		{"port", Spec{Port: []string{"5353"}}, []int{2}},
		{"port range", Spec{Port: []string{"400-500"}}, []int{0, 1, 3}},
		{"src port", Spec{SrcPort: []string{"50001"}}, []int{1}},
		{"proto tcp covers https", Spec{Proto: []string{"tcp"}}, []int{0, 1, 3}},
		{"proto number", Spec{Proto: []string{"17"}}, []int{2}},
		{"source", Spec{Source: []string{"firewall", "keyvault"}}, []int{1, 3}},
		{"direction", Spec{Direction: []string{"in"}}, []int{2}},
		{"rule substring any part", Spec{Rule: []string{"denyall"}}, []int{2}},
		{"rule collection", Spec{Rule: []string{"web"}}, []int{1}},
		{"reason", Spec{Reason: []string{"forbiddenbyfirewall"}}, []int{3}},
		{"since absolute", Spec{Since: "2026-03-01T11:00:00Z"}, []int{1, 2, 3}},
		{"until absolute inclusive", Spec{Until: "2026-03-01T11:00:00Z"}, []int{0, 1}},
		{"since relative to newest", Spec{Since: "2h"}, []int{1, 2, 3}},
		{"until relative", Spec{Until: "2h"}, []int{0, 1}},
		{"window", Spec{Since: "150m", Until: "30m"}, []int{1, 2}},
	}
	evs := sample()
	newest := evs[len(evs)-1].Time
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Bind(newest); err != nil {
				t.Fatal(err)
			}
			var got []int
			for i := range evs {
				if f.Match(&evs[i]) {
					got = append(got, i)
				}
			}
			if !equal(got, c.want) {
				t.Errorf("matched %v, want %v", got, c.want)
			}
		})
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSQLBindsValues(t *testing.T) {
	f, err := Parse(Spec{Src: []string{"10.0.0.0/8"}, Port: []string{"443"}, Rule: []string{"x' OR 1=1 --"}, Verdict: []string{"deny"}})
	if err != nil {
		t.Fatal(err)
	}
	q, args := f.SQL()
	if strings.Contains(q, "1=1") || strings.Contains(q, "deny") || strings.Contains(q, "443") {
		t.Errorf("user value in SQL text: %s", q)
	}
	if n := strings.Count(q, "?"); n != len(args) {
		t.Errorf("%d placeholders, %d args: %s", n, len(args), q)
	}
	if q, args := (&Filter{}).SQL(); q != "TRUE" || args != nil {
		t.Errorf("empty filter = %q %v", q, args)
	}
}

func TestAddrKeyOrder(t *testing.T) {
	addrs := []string{"0.0.0.0", "10.0.0.1", "10.0.0.2", "255.255.255.255", "::", "::1", "2001:db8::1", "fe80::1", "ffff::1"}
	key := func(s string) [2]int64 {
		h, l, _ := AddrKey(netip.MustParseAddr(s))
		return [2]int64{h, l}
	}
	for i := range addrs {
		for j := range addrs {
			a, b := netip.MustParseAddr(addrs[i]), netip.MustParseAddr(addrs[j])
			ka, kb := key(addrs[i]), key(addrs[j])
			less := ka[0] < kb[0] || ka[0] == kb[0] && ka[1] < kb[1]
			// Compare in the 16-byte form, where IPv4 sorts as ::ffff:a.b.c.d.
			want := netip.AddrFrom16(a.As16()).Less(netip.AddrFrom16(b.As16()))
			if less != want {
				t.Errorf("key order of %s < %s = %v, want %v", addrs[i], addrs[j], less, want)
			}
		}
	}
	if _, _, ok := AddrKey(netip.Addr{}); ok {
		t.Error("zero Addr has a key")
	}
}

func TestAddFlagsSubset(t *testing.T) {
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	var s Spec
	AddFlags(fs, &s, "ip", "port", "proto")
	if err := fs.Parse([]string{"--ip", "10.0.0.1", "--port", "80,443", "--proto", "tcp"}); err != nil {
		t.Fatal(err)
	}
	if fs.Lookup("verdict") != nil {
		t.Error("verdict registered though not asked for")
	}
	if len(s.Port) != 2 || s.IP[0] != "10.0.0.1" {
		t.Errorf("spec = %+v", s)
	}
}

// FuzzParse feeds arbitrary flag values to Parse: it must return a Filter
// or an error, never panic, and a Filter must compile to balanced SQL.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "::ffff:10.0.0.0/104", "443", "80-90", "tcp", "2h", "2026-01-01T00:00:00Z", "7d", "fe80::1%eth0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		vals := []string{v}
		for _, s := range []Spec{{Src: vals}, {IP: vals}, {Port: vals}, {Proto: vals}, {Verdict: vals}, {Rule: vals}, {Since: v}, {Until: v}} {
			flt, err := Parse(s)
			if err != nil {
				continue
			}
			_ = flt.Bind(time.Now())
			q, args := flt.SQL()
			if strings.Count(q, "?") != len(args) {
				t.Fatalf("%+v: %d placeholders, %d args", s, strings.Count(q, "?"), len(args))
			}
			for _, e := range sample() {
				flt.Match(&e)
			}
		}
	})
}

func TestMatchConversationIsDirectionFree(t *testing.T) {
	f, err := Parse(Spec{Src: []string{"10.0.0.4"}, Dst: []string{"52.1.2.3"}, Port: []string{"443"}, SrcPort: []string{"50001"}, Proto: []string{"tcp"}, Verdict: []string{"allow"}, Since: "1m"})
	if err != nil {
		t.Fatal(err)
	}
	e := sample()[1] // 10.0.0.4:50001 → 52.1.2.3:443 https, denied, not the newest
	if !f.MatchConversation(&e) || !f.MatchUntimed(&event.Event{Time: e.Time, SrcIP: e.SrcIP, DstIP: e.DstIP, SrcPort: e.SrcPort, DstPort: e.DstPort, Protocol: "tcp", Verdict: "allow"}) {
		t.Error("event of the conversation rejected")
	}
	r := e
	r.SrcIP, r.DstIP, r.SrcPort, r.DstPort, r.Protocol = e.DstIP, e.SrcIP, e.DstPort, e.SrcPort, "tcp"
	if !f.MatchConversation(&r) {
		t.Error("reply-direction event rejected")
	}
	o := e
	o.DstPort = 80
	if f.MatchConversation(&o) {
		t.Error("event of another conversation kept")
	}
}

// TestMatchEndpoints: a capture's connection is matched as an event from
// client to server; an end without a port has port 0, one that is not an
// address matches no address flag.
func TestMatchEndpoints(t *testing.T) {
	for _, c := range []struct {
		spec                  Spec
		proto, client, server string
		want                  bool
	}{
		{Spec{Port: []string{"443"}}, "TCP", "10.0.0.4:50000", "10.1.0.5:443", true},
		{Spec{Port: []string{"443"}}, "TCP", "10.1.0.5:443", "10.0.0.4:50000", false},
		{Spec{SrcPort: []string{"50000"}}, "TCP", "10.0.0.4:50000", "10.1.0.5:443", true},
		{Spec{Src: []string{"10.0.0.0/24"}}, "ICMP", "10.0.0.4", "10.1.0.5", true},
		{Spec{Dst: []string{"10.0.0.0/24"}}, "ICMP", "10.0.0.4", "10.1.0.5", false},
		{Spec{IP: []string{"2001:db8::5"}}, "UDP", "[2001:db8::5]:53", "[2001:db8::1]:5353", true},
		{Spec{Port: []string{"0"}}, "ICMP", "10.0.0.4", "10.1.0.5", true},
		{Spec{Proto: []string{"udp"}}, "TCP", "10.0.0.4:1", "10.1.0.5:2", false},
		{Spec{IP: []string{"10.0.0.4"}}, "TCP", "not-an-address", "neither", false},
	} {
		f, err := Parse(c.spec)
		if err != nil {
			t.Fatalf("%+v: %v", c.spec, err)
		}
		if got := f.MatchEndpoints(c.proto, c.client, c.server); got != c.want {
			t.Errorf("%+v: %s %s -> %s = %v, want %v", c.spec, c.proto, c.client, c.server, got, c.want)
		}
	}
}
