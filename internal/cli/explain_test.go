package cli

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/loggen"
)

// explainDesign is the explain package's own test design: web → hub
// firewall (application rule, SNAT) → api, whose NSG admits only the web
// subnet. web-nic carries its MAC; api-nic is mapped by address.
var explainDesign = filepath.Join("..", "explain", "testdata", "snat.yaml")

var explainT0 = time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)

func explainAt(min, sec, ms int) time.Time {
	return explainT0.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second + time.Duration(ms)*time.Millisecond)
}

// writeExplainStory writes, in Azure's storage-account layout, the logs of
// web-nic calling the API three times: the web NIC's flow log, the
// firewall's application-rule log, and the API NIC's flow log, which
// denies the firewall's SNAT address (allowed when apiAllows), plus SSH
// traffic on both NICs so their flow logs are alive all hour.
func writeExplainStory(t *testing.T, dir string, apiAllows bool) {
	t.Helper()
	s := loggen.NewScript(loggen.ScriptOptions{Out: dir, Seed: 3, ResourceGroup: "explain-rg", Region: "westeurope"})
	web := loggen.FlowLogNIC{VNet: "spoke-web", MAC: "000D3A000001"}
	api := loggen.FlowLogNIC{VNet: "spoke-api", MAC: "000D3A000002"}
	ap := func(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }
	for m := 0; m < 60; m += 10 {
		ssh := func(own string) loggen.Flow {
			return loggen.Flow{Start: explainAt(m, 1, 0), End: explainAt(m, 9, 0), Proto: 6, Src: ap("10.250.0.9:40" + pad(m) + "1"), Dst: ap(own + ":22"),
				Inbound: true, Rule: "DefaultRule_AllowVnetInBound", PacketsSent: 12, BytesSent: 2400, PacketsRecv: 10, BytesRecv: 3100}
		}
		s.VNetFlows(web, ssh("10.4.1.4"))
		s.VNetFlows(api, ssh("10.5.1.4"))
	}
	for i, m := range []int{20, 21, 23} {
		start := explainAt(m, 5, 200)
		cport := 51200 + i
		s.VNetFlows(web, loggen.Flow{Start: start, End: start.Add(30 * time.Second), Proto: 6, Src: netip.AddrPortFrom(netip.MustParseAddr("10.4.1.4"), uint16(cport)),
			Dst: ap("10.5.1.4:443"), Rule: "DefaultRule_AllowVnetOutBound", PacketsSent: 6, BytesSent: 890, PacketsRecv: 4, BytesRecv: 260})
		s.Firewall("azfw", loggen.FirewallLog{At: start.Add(12 * time.Millisecond), Category: "AZFWApplicationRule", Protocol: "HTTPS",
			Src: netip.AddrPortFrom(netip.MustParseAddr("10.4.1.4"), uint16(cport)), Dst: ap("0.0.0.0:443"), FQDN: "api.internal.contoso.com", Action: "Allow",
			Rule: loggen.FirewallRule{Policy: "fwpol", Group: "DefaultApplicationRuleCollectionGroup", Collection: "web-to-api", Name: "api-https"}})
		snat := netip.AddrPortFrom(netip.MustParseAddr("10.0.1.6"), uint16(1030+i))
		if apiAllows {
			s.VNetFlows(api, loggen.Flow{Start: start.Add(25 * time.Millisecond), End: start.Add(20 * time.Second), Proto: 6, Src: snat, Dst: ap("10.5.1.4:443"),
				Inbound: true, Rule: "Allow-HTTPS", RuleGUID: "6c1f0e8a-27a4-4be2-9c38-0d4f1a2b3c4d", PacketsSent: 14, BytesSent: 3200, PacketsRecv: 12, BytesRecv: 9100})
		} else {
			s.VNetFlows(api, loggen.Flow{Start: start.Add(25 * time.Millisecond), Proto: 6, Src: snat, Dst: ap("10.5.1.4:443"),
				Inbound: true, Denied: true, Rule: "Deny-Other-HTTPS", RuleGUID: "1f2e3d4c-5b6a-4789-8abc-def012345678"})
		}
	}
	for m := 0; m < 60; m += 15 {
		s.Firewall("azfw", loggen.FirewallLog{At: explainAt(m, 30, 0), Category: "AZFWNetworkRule", Protocol: "UDP",
			Src: ap("10.4.1.9:53000"), Dst: ap("10.250.1.1:53"), Action: "Allow",
			Rule: loggen.FirewallRule{Policy: "fwpol", Group: "DefaultNetworkRuleCollectionGroup", Collection: "infra", Name: "dns"}})
	}
	if _, err := s.Write(); err != nil {
		t.Fatal(err)
	}
}

func pad(m int) string {
	if m < 10 {
		return "0" + string(rune('0'+m))
	}
	return string(rune('0'+m/10)) + string(rune('0'+m%10))
}

// TestExplainGolden runs explain on generated Azure-layout logs, with the
// topology and from the evidence alone, and compares the table and the
// JSON with golden files.
func TestExplainGolden(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	at := explainAt(21, 0, 0).Format(time.RFC3339)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"snat-topology.txt", []string{"--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443"}},
		{"snat-topology.json", []string{"--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443", "-o", "json"}},
		{"snat-evidence.txt", []string{"--from", "10.4.1.4", "--to", "10.5.1.4:443"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"explain", "--logs", dir, "--at", at}, c.args...)
			code, out, errOut := run(args...)
			if code != ExitFailed {
				t.Fatalf("exit %d, want %d (dropped)\nstdout:\n%s\nstderr:\n%s", code, ExitFailed, out, errOut)
			}
			out = strings.ReplaceAll(out, dir, "LOGS")
			golden(t, "explain/"+c.name, []byte(out))
		})
	}
}

// TestExplainJSONContract checks the keys of the JSON contract.
func TestExplainJSONContract(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	code, out, errOut := run("explain", "--logs", dir, "--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443", "-o", "json")
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"verdict", "at", "confidence", "summary", "path_inferred", "hops", "findings", "citations", "window"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	var res struct {
		Verdict   string
		At        string
		Hops      []map[string]json.RawMessage
		Findings  []map[string]json.RawMessage
		Citations []map[string]json.RawMessage
		Window    map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Verdict != "dropped" || res.At != "nic:api-nic" {
		t.Errorf("verdict %s at %s, want dropped at nic:api-nic", res.Verdict, res.At)
	}
	need := func(what string, objs []map[string]json.RawMessage, keys ...string) {
		if len(objs) == 0 {
			t.Errorf("no %s", what)
		}
		for _, o := range objs {
			for _, k := range keys {
				if _, ok := o[k]; !ok {
					t.Errorf("%s without %q", what, k)
				}
			}
		}
	}
	need("hops", res.Hops, "hop", "expected", "seen", "evidence")
	need("findings", res.Findings, "code", "severity", "message", "fix")
	need("citations", res.Citations, "origin", "record", "tuple", "quote")
	need("window", []map[string]json.RawMessage{res.Window}, "since", "until")
}

func TestExplainExitCodes(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	allowed := t.TempDir()
	writeExplainStory(t, allowed, true)
	bad := filepath.Join(t.TempDir(), "insights-logs-flowlogflowevent", "PT1H.json")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	os.WriteFile(bad, []byte(`{"records":[{"time":"2026-02-03T14:20:00Z","flowLogVersion":4,"macAddress":"000D3A000009","category":"FlowLogFlowEvent","flowRecords":{"flows":[{"aclID":"x","flowGroups":[{"rule":"r","flowTuples":["not,a,tuple"]}]}]}}]}`), 0o644)
	at := explainAt(21, 0, 0).Format(time.RFC3339)
	for _, c := range []struct {
		name   string
		args   []string
		want   int
		stdout string // a substring stdout must hold
		stderr string // a substring stderr must hold
	}{
		{"dropped", []string{"--logs", dir, "--from", "10.4.1.4", "--to", "10.5.1.4:443"}, ExitFailed, "DROPPED at nic:10.5.1.4", ""},
		{"delivered", []string{"--logs", allowed, "--from", "10.4.1.4", "--to", "10.5.1.4:443"}, ExitOK, "DELIVERED AND ANSWERED at nic:10.5.1.4", ""},
		{"skipped input", []string{"--logs", dir, "--logs", bad, "--from", "10.4.1.4", "--to", "10.5.1.4:443"}, ExitPartial, "SKIPPED (1 record(s)", "PT1H.json record 0"},
		{"unknown source NIC", []string{"--logs", dir, "--topology", explainDesign, "--from", "nic:web", "--to", "10.5.1.4:443"}, ExitUsage, "", "nic:web-nic (10.4.1.4)"},
		{"unknown name", []string{"--logs", dir, "--topology", explainDesign, "--from", "nic:web-nic", "--to", "kv.vault.azure.net:443"}, ExitUsage, "", "does not resolve"},
		{"at with since", []string{"--logs", dir, "--from", "10.4.1.4", "--to", "10.5.1.4:443", "--at", at, "--since", "1h"}, ExitUsage, "", "--at cannot be combined"},
		{"bad at", []string{"--logs", dir, "--from", "10.4.1.4", "--to", "10.5.1.4:443", "--at", "yesterday"}, ExitUsage, "", "want an RFC3339 time"},
		{"no evidence given", []string{"--from", "10.4.1.4", "--to", "10.5.1.4:443"}, ExitUsage, "", "give the evidence"},
		{"missing from", []string{"--logs", dir, "--to", "10.5.1.4:443"}, ExitUsage, "", "--from and --to"},
		{"bad protocol", []string{"--logs", dir, "--from", "10.4.1.4", "--to", "10.5.1.4:443", "-p", "sctp"}, ExitUsage, "", "want tcp, udp or icmp"},
		{"window without logs", []string{"--logs", dir, "--from", "10.4.1.4", "--to", "10.5.1.4:443", "--at", "2026-02-04T09:00:00Z"}, ExitFailed, "NO EVIDENCE", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(append([]string{"explain"}, c.args...)...)
			if code != c.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.want, out, errOut)
			}
			if !strings.Contains(out, c.stdout) || !strings.Contains(errOut, c.stderr) {
				t.Errorf("want stdout with %q and stderr with %q\nstdout:\n%s\nstderr:\n%s", c.stdout, c.stderr, out, errOut)
			}
			if c.want == ExitUsage && out != "" {
				t.Errorf("usage error printed results:\n%s", out)
			}
		})
	}
}

// TestExplainDBAndOneShotAgree loads the logs into a --db file and asks
// again from it: the answer equals the one-shot load's (which keeps only
// the flow's events and tallies the rest while reading), claim for claim,
// with the topology and without: a --db store tallies per emitter in SQL,
// so "logging was alive" names the same resource with the same count.
func TestExplainDBAndOneShotAgree(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	db := filepath.Join(t.TempDir(), "evidence.duckdb")
	at := explainAt(21, 0, 0).Format(time.RFC3339)
	if code, _, errOut := run("explain", "--logs", dir, "--db", db, "--from", "10.4.1.4", "--to", "10.5.1.4:443", "--at", at); code != ExitFailed {
		t.Fatalf("loading into --db: exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{
		{"--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443", "--at", at, "-o", "json"},
		{"--from", "10.4.1.4", "--to", "10.5.1.4:443", "--at", at, "-o", "json"},
		{"--from", "10.4.1.4", "--to", "10.5.1.4:443", "-o", "json"}, // the newest hour
	} {
		_, oneShot, _ := run(append([]string{"explain", "--logs", dir}, args...)...)
		_, fromDB, errOut := run(append([]string{"explain", "--db", db}, args...)...)
		a, b := withoutInputs(t, oneShot), withoutInputs(t, fromDB)
		if a != b {
			t.Errorf("explain %s: --db and one-shot answers differ\n%s\none-shot:\n%s\n--db:\n%s", strings.Join(args, " "), errOut, a, b)
		}
	}
}

// withoutInputs is an explain JSON answer without its inputs member (the
// one thing --db and --logs runs name differently), re-indented.
func withoutInputs(t *testing.T, js string) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	delete(doc, "inputs")
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExplainDNATBackendWithoutTopology: an Internet client calls the
// firewall's public address; its DNAT rule sends the flow to the API,
// whose NSG denies the firewall's SNAT address. Without a topology only
// the DNAT record names the backend, and the one-shot load decides what
// to keep before it reads that record: it reads the logs a second time
// for the backend (Plan.Widen, Loaded.Reread). From a --db file, which
// holds every event, the answer is the same.
func TestExplainDNATBackendWithoutTopology(t *testing.T) {
	dir := t.TempDir()
	s := loggen.NewScript(loggen.ScriptOptions{Out: dir, Seed: 5, ResourceGroup: "explain-rg", Region: "westeurope"})
	api := loggen.FlowLogNIC{VNet: "spoke-api", MAC: "000D3A000002"}
	ap := netip.MustParseAddrPort
	for m := 0; m < 60; m += 10 {
		s.VNetFlows(api, loggen.Flow{Start: explainAt(m, 1, 0), End: explainAt(m, 9, 0), Proto: 6, Src: ap("10.250.0.9:40" + pad(m) + "1"), Dst: ap("10.5.1.4:22"),
			Inbound: true, Rule: "DefaultRule_AllowVnetInBound", PacketsSent: 12, BytesSent: 2400, PacketsRecv: 10, BytesRecv: 3100})
	}
	for i := 0; i < 2; i++ {
		start := explainAt(20, 5+i*20, 0)
		s.Firewall("azfw", loggen.FirewallLog{At: start, Category: "AZFWNatRule", Protocol: "TCP",
			Src: netip.AddrPortFrom(netip.MustParseAddr("203.0.113.7"), uint16(40000+i)), Dst: ap("20.0.0.10:8443"), Translated: ap("10.5.1.4:443"),
			Rule: loggen.FirewallRule{Policy: "fwpol", Group: "DefaultDnatRuleCollectionGroup", Collection: "publish-api", Name: "api-in"}})
		s.VNetFlows(api, loggen.Flow{Start: start.Add(30 * time.Millisecond), Proto: 6, Src: netip.AddrPortFrom(netip.MustParseAddr("10.0.1.5"), uint16(1030+i)), Dst: ap("10.5.1.4:443"),
			Inbound: true, Denied: true, Rule: "Deny-Other-HTTPS", RuleGUID: "1f2e3d4c-5b6a-4789-8abc-def012345678"})
	}
	if _, err := s.Write(); err != nil {
		t.Fatal(err)
	}
	at := explainAt(21, 0, 0).Format(time.RFC3339)
	args := []string{"--from", "203.0.113.7", "--to", "20.0.0.10:8443", "--at", at, "-o", "json"}
	db := filepath.Join(t.TempDir(), "evidence.duckdb")
	var answers []string
	for _, src := range [][]string{{"--logs", dir}, {"--logs", dir, "--db", db}, {"--db", db}} {
		code, out, errOut := run(append(append([]string{"explain"}, src...), args...)...)
		if code != ExitFailed {
			t.Fatalf("explain %v: exit %d\n%s", src, code, errOut)
		}
		var res struct{ Verdict, At, Summary string }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		if res.Verdict != "dropped" || res.At != "nic:10.5.1.4" || !strings.Contains(res.Summary, "Deny-Other-HTTPS") {
			t.Errorf("explain %v: %s at %s: %s; want dropped at nic:10.5.1.4 by Deny-Other-HTTPS", src, res.Verdict, res.At, res.Summary)
		}
		answers = append(answers, withoutInputs(t, out))
	}
	if answers[0] != answers[2] {
		t.Errorf("one-shot and --db answers differ\none-shot:\n%s\n--db:\n%s", answers[0], answers[2])
	}
}

// TestExplainBadInput is issue #10's "Bad input" end to end. An unknown
// SRC or DEST is a usage error (exit 2, nothing on stdout) naming what
// pathproof knows: the nearest NICs, the private endpoints. Logs with a
// skipped record still give the verdict, list the skip (table and JSON:
// origin, record, code) and exit 4. A window with no logs at all is
// no-evidence, with and without a topology, never a guess.
func TestExplainBadInput(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	kv := filepath.Join("..", "explain", "testdata", "kv.yaml")
	bad := filepath.Join(t.TempDir(), "insights-logs-flowlogflowevent", "PT1H.json")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"records":[{"time":"2026-02-03T14:20:00Z","flowLogVersion":4,"macAddress":"000D3A000009","category":"FlowLogFlowEvent","flowRecords":{"flows":[{"aclID":"x","flowGroups":[{"rule":"r","flowTuples":["not,a,tuple"]}]}]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	at := explainAt(21, 0, 0).Format(time.RFC3339)
	for _, c := range []struct {
		name string
		args []string
		want []string // on stderr
	}{
		{"unknown FQDN names the private endpoints", []string{"--topology", kv, "--from", "nic:vm-app-nic", "--to", "kv-other.vault.azure.net:443"},
			[]string{"kv-other.vault.azure.net does not resolve", "known: pe:pe-kv-payments (kv-payments.vault.azure.net, 10.0.2.5)"}},
		{"unknown source address names the nearest NIC", []string{"--topology", kv, "--from", "10.0.1.77", "--to", "10.0.2.5:443"},
			[]string{"no NIC owns it", "known: nic:vm-batch-nic (10.0.1.5), nic:vm-app-nic (10.0.1.4)"}},
		{"unknown source NIC names similar NICs", []string{"--topology", kv, "--from", "nic:vm-ap-nic", "--to", "10.0.2.5:443"},
			[]string{`no NIC "vm-ap-nic"`, "known: nic:vm-app-nic (10.0.1.4)"}},
		{"unknown private destination names the nearest NIC", []string{"--topology", kv, "--from", "nic:vm-app-nic", "--to", "10.99.0.1:443"},
			[]string{"no VNet, NIC, private endpoint or on-premises site", "known: nic:"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(append([]string{"explain", "--logs", dir, "--at", at}, c.args...)...)
			if code != ExitUsage || out != "" {
				t.Fatalf("exit %d, want %d with nothing on stdout\nstdout:\n%s\nstderr:\n%s", code, ExitUsage, out, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}

	t.Run("skipped record", func(t *testing.T) {
		args := []string{"explain", "--logs", dir, "--logs", bad, "--from", "10.4.1.4", "--to", "10.5.1.4:443", "--at", at}
		code, out, errOut := run(args...)
		if code != ExitPartial || !strings.Contains(out, "DROPPED at nic:10.5.1.4") || !strings.Contains(out, "SKIPPED (1 record(s)") ||
			!strings.Contains(out, "explain.input-skipped") || !strings.Contains(errOut, "PT1H.json record 0") {
			t.Errorf("exit %d (want %d), want the verdict, the skip listed and the finding\nstdout:\n%s\nstderr:\n%s", code, ExitPartial, out, errOut)
		}
		code, out, _ = run(append(args, "-o", "json")...)
		var res struct {
			Verdict, At string
			Inputs      struct {
				Skipped []struct {
					Origin string
					Record int
					Code   string
				}
				SkippedTotal int `json:"skipped_total"`
			}
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if code != ExitPartial || res.Verdict != "dropped" || res.At != "nic:10.5.1.4" || res.Inputs.SkippedTotal != 1 ||
			len(res.Inputs.Skipped) != 1 || !strings.HasSuffix(res.Inputs.Skipped[0].Origin, "PT1H.json") || res.Inputs.Skipped[0].Record != 0 || res.Inputs.Skipped[0].Code == "" {
			t.Errorf("-o json: exit %d, %+v", code, res)
		}
	})

	for _, topo := range [][]string{nil, {"--topology", explainDesign}} {
		from := "10.4.1.4"
		if topo != nil {
			from = "nic:web-nic"
		}
		t.Run(fmt.Sprintf("window without logs, topology %v", topo != nil), func(t *testing.T) {
			args := append([]string{"explain", "--logs", dir, "--at", "2026-02-05T09:00:00Z", "--from", from, "--to", "10.5.1.4:443", "-o", "json"}, topo...)
			code, out, errOut := run(args...)
			var res struct{ Verdict, Summary string }
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("%v\n%s\n%s", err, out, errOut)
			}
			if code != ExitFailed || res.Verdict != "no-evidence" || !strings.Contains(res.Summary, "no log record at all") {
				t.Errorf("exit %d, %s: %s; want no-evidence (exit %d)", code, res.Verdict, res.Summary, ExitFailed)
			}
		})
	}
}

// TestExplainResolvesNameThroughTopologyDNS: explain --to NAME:PORT
// resolves the name as the client's VNet would with the topology's private
// DNS. The privatelink zone is not linked to the client's VNet, so the
// name gives the vault's public address; linked but without the record it
// gives none, a verdict (name-not-resolved, exit 1) and not a usage error.
func TestExplainResolvesNameThroughTopologyDNS(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	kvdns := filepath.Join("..", "explain", "testdata", "kvdns.yaml")
	data, err := os.ReadFile(kvdns)
	if err != nil {
		t.Fatal(err)
	}
	nx := strings.Replace(string(data), "        - {name: kv-payments, ips: [10.0.2.5], ttl: 10}\n", "", 1)
	nx = strings.Replace(nx, "        - {name: shared-link, vnet: shared-vnet}\n", "        - {name: payments-link, vnet: payments-vnet}\n", 1)
	nxFile := filepath.Join(t.TempDir(), "kvdns-nx.yaml")
	if nx == string(data) || os.WriteFile(nxFile, []byte(nx), 0o644) != nil {
		t.Fatal("could not write the NXDOMAIN topology")
	}
	at := explainAt(21, 0, 0).Format(time.RFC3339)
	for _, c := range []struct {
		name, topo, verdict, dstIP, step string
	}{
		{"zone not linked: the public address", kvdns, "", "52.174.33.140", "no private zone linked to VNet payments-vnet"},
		{"linked zone without the record", nxFile, explain.VerdictNameNotResolved, "", "to no address (nxdomain"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run("explain", "--logs", dir, "--at", at, "--topology", c.topo, "--from", "nic:vm-app-nic", "--to", "kv-payments.vault.azure.net:443", "--output", "json")
			var res explain.Result
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("exit %d, stdout is not a result: %v\n%s\nstderr:\n%s", code, err, out, errOut)
			}
			if c.verdict != "" && (res.Verdict != c.verdict || code != ExitFailed || !strings.Contains(out, explain.FindNameNotResolved)) {
				t.Errorf("verdict %s exit %d, want %s exit 1 with finding %s", res.Verdict, code, c.verdict, explain.FindNameNotResolved)
			}
			if c.dstIP != "" && res.Query.DstIP.String() != c.dstIP {
				t.Errorf("dst_ip %s, want %s", res.Query.DstIP, c.dstIP)
			}
			if len(res.Reasoning) == 0 || !strings.Contains(res.Reasoning[0].Text, c.step) || len(res.Reasoning[0].Citations) == 0 ||
				res.Citations[res.Reasoning[0].Citations[0]].Kind != "topology" {
				t.Errorf("first reasoning step does not give the resolution with a topology citation:\n%s", out)
			}
		})
	}
}
