package kql

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/testenv"
)

// goldenCases are the filter combinations whose KQL is kept under
// testdata/*.kql (go test ./internal/kql -run TestCompileGolden -update).
var goldenCases = []struct {
	name string
	spec filter.Spec
	mode Mode
}{
	{"empty", filter.Spec{}, Events},
	{"window-absolute", filter.Spec{Since: "2026-02-03T14:11:00Z", Until: "2026-02-03T14:31:00Z"}, Events},
	{"window-relative", filter.Spec{Since: "2h", Until: "30m"}, Events},
	{"until-only", filter.Spec{Until: "2026-02-03T14:31:00Z"}, Events},
	{"src-cidr-port", filter.Spec{Src: []string{"10.0.1.0/24"}, Port: []string{"443"}, Since: "2h"}, Events},
	{"ip-either-side", filter.Spec{IP: []string{"10.5.1.4", "10.4.1.4"}, Since: "1h"}, Events},
	{"dst-v6", filter.Spec{Dst: []string{"2001:db8::/32", "2001:db8::5"}, Since: "1h"}, Events},
	{"port-range-srcport-zero", filter.Spec{Port: []string{"8000-8100"}, SrcPort: []string{"0-1023"}, Since: "1h"}, Events},
	{"proto-udp", filter.Spec{Proto: []string{"udp"}, Since: "1h"}, Events},
	{"verdict-deny", filter.Spec{Verdict: []string{"deny"}, Since: "1h"}, Events},
	{"verdict-dnat", filter.Spec{Verdict: []string{"dnat"}, Since: "1h"}, Events},
	{"verdict-info", filter.Spec{Verdict: []string{"info"}, Since: "1h"}, Events},
	{"source-firewall", filter.Spec{Source: []string{"firewall"}, Since: "1h"}, Events},
	{"source-keyvault-reason", filter.Spec{Source: []string{"keyvault"}, Reason: []string{"firewall"}, Since: "1h"}, Events},
	{"source-vnetflow", filter.Spec{Source: []string{"vnetflow"}, Since: "1h"}, Events},
	{"direction-in", filter.Spec{Direction: []string{"in"}, Since: "1h"}, Events},
	{"rule", filter.Spec{Rule: []string{"Deny-Other"}, Since: "1h"}, Events},
	{"reason-storage", filter.Spec{Source: []string{"storage"}, Reason: []string{"IpAuthorizationError"}, Since: "1h"}, Events},
	{"quoting", filter.Spec{Rule: []string{`a"b\c` + "\n| take 1"}, Since: "1h"}, Events},
	{"conversations", filter.Spec{Src: []string{"10.0.1.4"}, Port: []string{"443"}, Verdict: []string{"deny"}, Since: "2h"}, Conversations},
	{"explain-like", filter.Spec{IP: []string{"10.0.1.4", "10.5.1.4", "10.0.1.6"}, Since: "2026-02-03T14:11:00Z", Until: "2026-02-03T14:31:00Z"}, Events},
}

func TestCompileGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			f, err := filter.Parse(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			q := Compile(f, c.mode)
			testenv.Golden(t, filepath.Join("testdata", c.name+".kql"), []byte(q.String()))
		})
	}
}

// TestPagedText: the second page starts after the cursor, in the order of
// the first.
func TestPagedText(t *testing.T) {
	f, _ := filter.Parse(filter.Spec{IP: []string{"10.0.0.4"}, Since: "2026-02-03T14:00:00Z", Until: "2026-02-03T15:00:00Z"})
	q := Compile(f, Events)
	txt := q.Text(&Cursor{Time: mustTime(t, "2026-02-03T14:21:00.1234567Z"), Key: "ab\"c"}, 50)
	for _, want := range []string{
		`| where TimeGenerated > datetime(2026-02-03T14:21:00.1234567Z) or (TimeGenerated == datetime(2026-02-03T14:21:00.1234567Z) and pp_key > "ab\"c")`,
		"| order by TimeGenerated asc, pp_key asc\n| take 51\n",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("page text lacks %q:\n%s", want, txt)
		}
	}
}

// randomSpec draws flag values from small pools; about one spec in four
// gets one value Parse refuses.
func randomSpec(r *rand.Rand) filter.Spec {
	pick := func(pool []string) []string {
		var out []string
		for range r.IntN(3) {
			out = append(out, pool[r.IntN(len(pool))])
		}
		return out
	}
	one := func(pool []string) string { return pool[r.IntN(len(pool))] }
	s := filter.Spec{
		Src:       pick([]string{"10.0.0.4", "10.0.0.0/8", "::1", "2001:db8::/32", "::ffff:10.1.2.3"}),
		Dst:       pick([]string{"192.168.1.1", "0.0.0.0/0", "::/0"}),
		IP:        pick([]string{"10.5.1.4", "10.5.0.0/16"}),
		Port:      pick([]string{"443", "0", "0-65535", "8000-8100"}),
		SrcPort:   pick([]string{"1024-65535", "0"}),
		Proto:     pick([]string{"tcp", "udp", "icmp", "icmpv6", "47", "6"}),
		Verdict:   pick([]string{"allow", "deny", "dnat", "alert", "drop", "error", "info"}),
		Source:    pick([]string{"firewall", "trafficanalytics", "keyvault", "storage", "vnetflow", "dns"}),
		Direction: pick([]string{"in", "out"}),
		Rule:      pick([]string{"Deny", `"; drop`, "a\nb", "x:y"}),
		Reason:    pick([]string{"firewall", "Default Action"}),
		Since:     one([]string{"", "2h", "2026-02-03T14:00:00Z"}),
		Until:     one([]string{"", "30m", "2026-02-03T15:00:00Z"}),
	}
	if r.IntN(4) == 0 {
		bad := []func(){
			func() { s.Src = append(s.Src, one([]string{"300.1.1.1", "10.0.0.0/33", "x"})) },
			func() { s.Port = append(s.Port, one([]string{"70000", "9-1", "a", "-1"})) },
			func() { s.Proto = append(s.Proto, one([]string{"256", "sctp"})) },
			func() { s.Verdict = append(s.Verdict, "permit") },
			func() { s.Source = append(s.Source, "nope") },
			func() { s.Direction = append(s.Direction, "sideways") },
			func() { s.Rule = append(s.Rule, "") },
			func() { s.Reason = append(s.Reason, " ") },
			func() { s.Since = one([]string{"yesterday", "-1h"}) },
			func() { s.Since, s.Until = "2026-02-03T16:00:00Z", "2026-02-03T13:00:00Z" },
		}
		bad[r.IntN(len(bad))]()
	}
	return s
}

// TestKQLAndSQLAcceptTheSameFilters: both compilers take their input from
// filter.Parse, which refuses a bad value before either runs; every filter
// it accepts compiles to SQL and to KQL, and every user value reaches the
// KQL only inside a quoted literal or as a validated number or address.
func TestKQLAndSQLAcceptTheSameFilters(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 13))
	accepted, refused := 0, 0
	for range 3000 {
		spec := randomSpec(r)
		f, err := filter.Parse(spec)
		if err != nil {
			refused++
			continue
		}
		accepted++
		if f.NeedsNewest() {
			// SQL needs the window bound; KQL counts back from now().
			_ = f.Bind(mustTime(t, "2026-02-03T16:00:00Z"))
		}
		where, args := f.SQL()
		if where == "" || strings.Count(where, "?") != len(args) {
			t.Fatalf("%+v: SQL %q with %d args", spec, where, len(args))
		}
		g, _ := filter.Parse(spec) // unbound: KQL's own window
		q := Compile(g, Mode(r.IntN(2)))
		txt := q.String()
		if !strings.HasPrefix(txt, "union isfuzzy=true") && !strings.HasPrefix(txt, "// ") {
			t.Fatalf("%+v: query starts %q", spec, txt[:min(40, len(txt))])
		}
		checkQuoted(t, txt, spec)
	}
	if accepted < 1000 || refused < 300 {
		t.Fatalf("accepted %d, refused %d: the pools do not exercise both", accepted, refused)
	}
}

// literal finds KQL string literals ("..." with backslash escapes, and
// verbatim @"...").
var literal = regexp.MustCompile(`@"(?:[^"]|"")*"|"(?:[^"\\]|\\.)*"`)

// checkQuoted fails when a rule or reason value appears in the text
// outside a literal: the query would run it.
func checkQuoted(t *testing.T, txt string, spec filter.Spec) {
	t.Helper()
	bare := literal.ReplaceAllString(txt, `""`)
	for _, v := range append(append([]string{}, spec.Rule...), spec.Reason...) {
		v = strings.ToLower(strings.TrimSpace(v))
		if len(v) < 3 || !strings.ContainsAny(v, "\";\n") {
			continue
		}
		if strings.Contains(bare, v) {
			t.Fatalf("value %q outside a literal:\n%s", v, txt)
		}
	}
	if strings.Count(bare, "(") != strings.Count(bare, ")") {
		t.Fatalf("unbalanced parentheses outside literals:\n%s", txt)
	}
}

// TestLegacyExpressionsMatchTheParser runs the expressions the query
// splits msg_s with (RE2, like KQL's) over legacy msg variants and checks
// they find the hosts and ports internal/logs' parser finds, so a
// predicate on them never drops a row the parser would keep.
func TestLegacyExpressionsMatchTheParser(t *testing.T) {
	head := regexp.MustCompile(legacyHead)
	proto := regexp.MustCompile(legacyProto)
	action := regexp.MustCompile(legacyAction)
	for _, msg := range []string{
		"TCP request from 111.35.136.173:12518 to 13.78.143.217:2323. Action: Deny",
		"UDP request from 192.168.0.2:51106 to 89.160.20.156:53. Action: Allow. ",
		"ICMP Type=8 request from 192.168.0.2 to 89.160.20.156. Action: Deny. ",
		"ICMP request from 10.0.2.4 to 10.0.3.4. Action: Allow",
		"TCP request from 192.168.0.2:49680 to 89.160.20.156:1688. Action: Allow. Policy: P. Rule Collection Group: G. Rule Collection: C. Rule: R",
		"TCP request from 192.168.0.2:50306 to 89.160.20.156:3389. Action: Allow.. Rule Collection: Permit_RFC1918. Rule: Permit_RFC1918",
		"TCP request from 192.168.0.2:50306 to 89.160.20.156:3389 was DNAT'ed to 10.0.0.2:3389",
		"TCP request from 192.168.0.2:50306 to 89.160.20.156:3388 was DNAT'ed to 10.0.0.2:3388. Rule Collection: DNAT. Rule: rule",
		"TCP request from 192.168.0.2:51890 to 175.16.199.1:443. Action: drop. Signature: 2028816. IDS: JA3 Hash - [Abuse.ch] Possible Tofsee. Priority: 3. Classification: Unknown Traffic",
		"ICMP request from 192.168.0.2: to 175.16.199.1:. Action: alert. Signature: 2100366. IDS: ICMP_INFO PING *NIX. Priority: 3. Classification: Misc activity",
		"HTTP request from 192.168.0.2:54314 to ocsp.sca1b.amazontrust.com:80. Url: ocsp.sca1b.amazontrust.com. Action: Deny. ThreatIntel: Bot Networks",
		"HTTP  request from 10.0.0.1:50776 to ocsp.msocsp.com:80. Url: ocsp.msocsp.com/MFQ=. Action: Allow. Rule: Azure-to-AllowedServices, HTTP",
		"HTTPS request from 10.0.2.4:56029 to md.z13.blob.storage.azure.net:443. Action: Deny. No rule matched. Proceeding with default action",
		"HTTPS request from 10.0.0.1:59060 to instance01.datafactory.azure.net:443. Action: Deny. Failed to resolve address adf.datafactory.azure.net:443: lookup adf on 10.0.0.53:53: no such host",
		"HTTPS request from 10.0.0.1:6065. Action: Deny. Reason: SNI TLS extension was missing.",
	} {
		want, err := logs.ParseFirewallMsg(msg)
		if err != nil {
			t.Fatalf("%q: the parser refuses it: %v", msg, err)
		}
		m := head.FindStringSubmatch(msg)
		if m == nil {
			t.Errorf("%q: the query's expression does not match", msg)
			continue
		}
		port := func(s string) int {
			if s == "" {
				return -1
			}
			var n int
			fmt.Sscan(s, &n)
			return n
		}
		got := fmt.Sprintf("%s %d %s %d", m[1], port(m[2]), m[3], port(m[4]))
		exp := fmt.Sprintf("%s %d %s %d", want.SrcHost, want.SrcPort, want.DstHost, want.DstPort)
		if got != exp {
			t.Errorf("%q:\n got %s\nwant %s", msg, got, exp)
		}
		if p := proto.FindStringSubmatch(msg); p == nil || !strings.HasPrefix(want.Protocol, p[1]) {
			t.Errorf("%q: protocol %v, parser %q", msg, p, want.Protocol)
		}
		a := ""
		if x := action.FindStringSubmatch(msg); x != nil {
			a = x[1]
		}
		if a != want.Action {
			t.Errorf("%q: action %q, parser %q", msg, a, want.Action)
		}
	}
}
