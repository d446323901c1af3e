package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/kql"
	"github.com/pathproof/pathproof/internal/kql/kqltest"
	"github.com/pathproof/pathproof/internal/loggen"
)

// pushWorkspace is the Log Analytics workspace the push-down tests query.
const pushWorkspace = "63613592-b6f7-4c3d-a390-22ba13102111"

const pushFirewall = "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000001/RESOURCEGROUPS/EXPLAIN-RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/AZFW"

// fwRow is one AZFWNetworkRule row of the scripted firewall.
type fwRow struct {
	at            time.Time
	src, dst      string
	sport, dport  int
	proto, action string
}

func (r fwRow) columns() map[string]any {
	return map[string]any{"TimeGenerated": r.at.Format(time.RFC3339Nano), "Type": "AZFWNetworkRule", "_ResourceId": pushFirewall,
		"Protocol": r.proto, "SourceIp": r.src, "SourcePort": r.sport, "DestinationIp": r.dst, "DestinationPort": r.dport, "Action": r.action,
		"Policy": "fwpol", "RuleCollectionGroup": "DefaultNetworkRuleCollectionGroup", "RuleCollection": "infra", "Rule": "dns"}
}

// firewallStory is what the hub firewall of the explain design logged from
// 14:00 to 14:40: jump-nic's DNS queries every minute, and, when
// withFlow, web-nic's call to the API at 14:21 denied. The flow's own
// rows are the ones that carry one of its addresses.
func firewallStory(withFlow bool) (all, flow []fwRow) {
	for m := 0; m < 40; m++ {
		all = append(all, fwRow{at: explainAt(m, 30, 0), src: "10.4.1.9", sport: 53000 + m, dst: "10.250.1.1", dport: 53, proto: "UDP", action: "Allow"})
	}
	if withFlow {
		r := fwRow{at: explainAt(21, 5, 200), src: "10.4.1.4", sport: 51200, dst: "10.5.1.4", dport: 443, proto: "TCP", action: "Deny"}
		all = append(all, r)
		flow = append(flow, r)
	}
	return all, flow
}

// writeRows writes rows as a Log Analytics export (JSON lines).
func writeRows(t *testing.T, rows []fwRow) string {
	t.Helper()
	var b bytes.Buffer
	for _, r := range rows {
		line, _ := json.Marshal(r.columns())
		b.Write(line)
		b.WriteByte('\n')
	}
	p := filepath.Join(t.TempDir(), "AZFWNetworkRule.json")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// workspaceServer is a loopback Log Analytics that answers the evidence
// query with the flow's rows and the activity count with every row
// counted per resource, table and minute, as the service would; partial
// makes the evidence answer a PartialError. A nil all answers the count
// with no row (a workspace that counted nothing).
func workspaceServer(t *testing.T, all, flow []fwRow, partial bool) *kqltest.Server {
	t.Helper()
	return kqltest.New(t, func(r kqltest.Request) kqltest.Reply {
		if strings.Contains(r.Query, "summarize pp_count = count()") {
			n := map[time.Time]int64{}
			for _, row := range all {
				n[row.at.Truncate(time.Minute)]++
			}
			var rows [][]any
			for m, c := range n {
				rows = append(rows, kqltest.TallyRow(pushFirewall, m, c, "AZFWNetworkRule"))
			}
			return kqltest.Reply{Status: 200, Body: kqltest.LogAnalytics(kqltest.TallyColumns, rows, nil)}
		}
		var rows [][]any
		for i, row := range flow {
			rows = append(rows, kqltest.EvidenceRow(row.at, "AZFWNetworkRule", pushFirewall, row.columns(), fmt.Sprintf("k%03d", i)))
		}
		var pe map[string]any
		if partial {
			pe = kqltest.PartialError("Query result set has exceeded the internal record count limit")
		}
		return kqltest.Reply{Status: 200, Body: kqltest.LogAnalytics(kqltest.EvidenceColumns, rows, pe)}
	})
}

// runPush runs one command line with push-down pointed at srv.
func runPush(srv *kqltest.Server, args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &o, Stderr: &e,
		KQL: kql.Options{Credential: kqltest.Credential{}, HTTPClient: srv.Client(), Endpoint: srv.URL}}
	code = execute(context.Background(), env, args)
	return code, o.String(), e.String()
}

// writeFlowLogs writes the VNet flow logs of the story (storage-account
// layout): web-nic sends the request at 14:21, both NICs carry SSH traffic
// every ten minutes (their logs are alive); the API NIC never sees the
// request.
func writeFlowLogs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	s := loggen.NewScript(loggen.ScriptOptions{Out: dir, Seed: 3, ResourceGroup: "explain-rg", Region: "westeurope"})
	web := loggen.FlowLogNIC{VNet: "spoke-web", MAC: "000D3A000001"}
	api := loggen.FlowLogNIC{VNet: "spoke-api", MAC: "000D3A000002"}
	ap := netip.MustParseAddrPort
	for m := 0; m < 40; m += 10 {
		ssh := func(own string) loggen.Flow {
			return loggen.Flow{Start: explainAt(m, 1, 0), End: explainAt(m, 9, 0), Proto: 6, Src: ap("10.250.0.9:40" + pad(m) + "1"), Dst: ap(own + ":22"),
				Inbound: true, Rule: "DefaultRule_AllowVnetInBound", PacketsSent: 12, BytesSent: 2400, PacketsRecv: 10, BytesRecv: 3100}
		}
		s.VNetFlows(web, ssh("10.4.1.4"))
		s.VNetFlows(api, ssh("10.5.1.4"))
	}
	start := explainAt(21, 5, 0)
	s.VNetFlows(web, loggen.Flow{Start: start, End: start.Add(30 * time.Second), Proto: 6, Src: ap("10.4.1.4:51200"), Dst: ap("10.5.1.4:443"), Rule: "DefaultRule_AllowVnetOutBound", PacketsSent: 3, BytesSent: 180})
	if _, err := s.Write(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// verdictOf is an explain JSON answer's verdict, where and confidence.
func verdictOf(t *testing.T, js string) string {
	t.Helper()
	var v struct{ Verdict, At, Confidence string }
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	return v.Verdict + " at " + v.At + " (" + v.Confidence + ")"
}

// TestExplainWorkspaceAgreesWithFiles: the same firewall rows read from a
// file and from a replayed workspace (its flow rows by the evidence query,
// the rest counted by the activity query) give the same verdict and
// confidence. When the firewall stayed silent on the flow while logging
// others, the workspace proves it alive from the count alone, as files do;
// without the count it could not (the test would fail).
func TestExplainWorkspaceAgreesWithFiles(t *testing.T) {
	flows := writeFlowLogs(t)
	args := []string{"--logs", flows, "--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443", "--at", explainAt(21, 0, 0).Format(time.RFC3339), "-o", "json"}
	for _, c := range []struct {
		withFlow bool
		want     string
	}{
		{false, "dropped at nic:web-nic (low)"}, // lost after the client NIC: the live firewall never saw it
		{true, "dropped at firewall:azfw (medium)"},
	} {
		t.Run(fmt.Sprintf("flow rows %v", c.withFlow), func(t *testing.T) {
			all, flow := firewallStory(c.withFlow)
			code, fromFiles, errOut := run(append([]string{"explain", "--logs", writeRows(t, all)}, args...)...)
			if code != ExitFailed || verdictOf(t, fromFiles) != c.want {
				t.Fatalf("files: exit %d, %s, want %s\n%s", code, verdictOf(t, fromFiles), c.want, errOut)
			}
			srv := workspaceServer(t, all, flow, false)
			code, fromWorkspace, errOut := runPush(srv, append([]string{"explain", "--workspace", pushWorkspace}, args...)...)
			if code != ExitFailed || verdictOf(t, fromWorkspace) != c.want {
				t.Errorf("workspace: exit %d, %s, want %s as from files\n%s", code, verdictOf(t, fromWorkspace), c.want, errOut)
			}
			if n := len(srv.Requests()); n != 2 {
				t.Errorf("%d requests, want the evidence query and the activity count", n)
			}
			if !c.withFlow && !strings.Contains(fromWorkspace, "firewall log of firewall:azfw: 21 event(s)") {
				t.Errorf("the firewall's liveness is not the count of its rows:\n%s", fromWorkspace)
			}
			// The flow's own rows alone (a count of nothing) cannot prove
			// the silent firewall alive: the answer is another.
			if !c.withFlow {
				srv := workspaceServer(t, nil, flow, false)
				_, blind, _ := runPush(srv, append([]string{"explain", "--workspace", pushWorkspace}, args...)...)
				if verdictOf(t, blind) == c.want {
					t.Errorf("without the activity count the answer is still %s: the test cannot tell", c.want)
				}
			}
		})
	}
}

// TestEventsWorkspaceEndToEnd runs `events --workspace` and `explain
// --workspace` against the loopback workspace: requests carry the bearer
// token, the flow's row comes back as an event citing the workspace, a
// partial answer prints its rows and exits 4 naming kql.partial, and the
// token appears in no output stream.
func TestEventsWorkspaceEndToEnd(t *testing.T) {
	all, flow := firewallStory(true)
	window := []string{"--since", explainAt(11, 0, 0).Format(time.RFC3339), "--until", explainAt(31, 0, 0).Format(time.RFC3339)}
	explainArgs := []string{"explain", "--workspace", pushWorkspace, "--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443", "--at", explainAt(21, 0, 0).Format(time.RFC3339)}
	for _, partial := range []bool{false, true} {
		for _, args := range [][]string{
			append([]string{"events", "--workspace", pushWorkspace, "--ip", "10.4.1.4", "-o", "jsonl"}, window...),
			explainArgs,
		} {
			t.Run(fmt.Sprintf("%s partial %v", args[0], partial), func(t *testing.T) {
				srv := workspaceServer(t, all, flow, partial)
				code, out, errOut := runPush(srv, args...)
				want := ExitOK
				if args[0] == "explain" {
					want = ExitFailed
				}
				if partial {
					want = ExitPartial
				}
				if code != want {
					t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, want, out, errOut)
				}
				if args[0] == "events" && (!strings.Contains(out, `"loganalytics://`+pushWorkspace+`/AZFWNetworkRule/`) || !strings.Contains(out, `"dst_port":443`)) {
					t.Errorf("the flow's row is not an event citing the workspace:\n%s", out)
				}
				if partial != strings.Contains(errOut, kql.CodePartial) {
					t.Errorf("partial %v, stderr:\n%s", partial, errOut)
				}
				reqs := srv.Requests()
				if len(reqs) == 0 {
					t.Fatal("no request reached the workspace")
				}
				for _, r := range reqs {
					if r.Auth != "Bearer "+kqltest.Token || r.Path != "/v1/workspaces/"+pushWorkspace+"/query" {
						t.Errorf("request %s, Authorization %q", r.Path, r.Auth)
					}
				}
				if strings.Contains(out+errOut, kqltest.Token) || strings.Contains(out+errOut, "TOKEN.ab12") || strings.Contains(out+errOut, "Bearer") {
					t.Error("the token shows in an output stream")
				}
			})
		}
	}
}

// TestPrintKQLExplain: explain --print-kql prints the evidence query (the
// flow's addresses at every hop) and the activity count beside it, and
// reads nothing.
func TestPrintKQLExplain(t *testing.T) {
	code, out, errOut := run("explain", "--print-kql", "--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443", "--at", explainAt(21, 0, 0).Format(time.RFC3339))
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	evidence, tally, ok := strings.Cut(out, "// Activity count (explain)")
	if !ok {
		t.Fatalf("no activity query:\n%s", out)
	}
	for _, want := range []string{`"10.4.1.4"`, `"10.5.1.4"`, "pp_row = pack_all(true)", "between (datetime(2026-02-03T14:11:00Z) .. datetime(2026-02-03T14:31:00Z))"} {
		if !strings.Contains(evidence, want) {
			t.Errorf("evidence query lacks %q:\n%s", want, evidence)
		}
	}
	for _, want := range []string{"summarize pp_count = count() by pp_resource", "bin(TimeGenerated, 1m)", "TimeGenerated >= datetime(2026-02-03T14:11:00Z) and TimeGenerated < datetime(2026-02-03T14:32:00Z)", "(AZFWNetworkRule"} {
		if !strings.Contains(tally, want) {
			t.Errorf("activity query lacks %q:\n%s", want, tally)
		}
	}
	if strings.Contains(tally, "10.4.1.4") || strings.Contains(tally, "pack_all") {
		t.Errorf("the activity query filters or reads rows:\n%s", tally)
	}
	// events prints one query only.
	if _, out, _ := run("events", "--print-kql", "--ip", "10.4.1.4", "--since", "1h"); strings.Contains(out, "Activity count") {
		t.Errorf("events prints the activity query:\n%s", out)
	}
}
