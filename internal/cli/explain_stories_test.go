package cli

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/demo"
	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/load"
)

// TestExplainStories runs `pathproof explain` on every field story of the
// demo (internal/demo: generated logs in Azure's layout, captures) with the
// story's design and from the evidence alone. With the design, explain must
// reach the story's verdict at the story's hop (naming the rule when the
// story has one) and saying what the story says it must (Want.Says: a
// phrase of the summary, a finding backed by a log record); from the
// evidence alone, the story's verdict at the
// story's evidence hop with the path marked inferred. That hop is the same
// token wherever the evidence names the hop as the topology does (a
// firewall, gateway or PaaS resource, whatever case its log spells the name
// in); only a NIC (named by its address) and an on-premises host (by its
// address, not its site) are named differently without a topology. Flow-log emitters map to NICs by the design's MACs when
// it has them, else by address. The table and JSON answers must agree: same exit code,
// and the table and the proof reports (--report HTML and Markdown) show the
// JSON's verdict, hop, confidence, summary, every hop and every finding.
func TestExplainStories(t *testing.T) {
	root := t.TempDir()
	for _, s := range demo.Stories() {
		t.Run(s.Name, func(t *testing.T) {
			if kind, _, _ := strings.Cut(s.Want.At, ":"); kind != "nic" && kind != "onprem" && s.Want.EvidenceAt != s.Want.At {
				t.Errorf("the story expects %s from the evidence alone and %s with the topology: the evidence names a %s as the topology does", s.Want.EvidenceAt, s.Want.At, kind)
			}
			d, err := s.Build(filepath.Join(root, s.Name))
			if err != nil {
				t.Fatal(err)
			}
			for _, withTopology := range []bool{true, false} {
				args := s.ExplainArgs(d, withTopology)
				report := filepath.Join(d.Dir, fmt.Sprintf("report-%v", withTopology))
				res, code := explainJSON(t, args, report+".md")
				want, at := s.Want.Verdict, s.Want.At
				if !withTopology {
					want, at = s.Want.EvidenceVerdict, s.Want.EvidenceAt
				}
				if res.Verdict != want || res.At != at {
					t.Errorf("pathproof %s\n  verdict %s at %q, want %s at %q\n  summary: %s", strings.Join(args, " "), res.Verdict, res.At, want, at, res.Summary)
				}
				for _, u := range s.Unsaid(res, withTopology) {
					t.Errorf("pathproof %s\n  the answer does not say %s\n  summary: %s", strings.Join(args, " "), u, res.Summary)
				}
				if res.PathInferred == withTopology {
					t.Errorf("path_inferred %v with topology %v", res.PathInferred, withTopology)
				}
				if withTopology && s.Want.Rule != "" && !namesRule(res, s.Want.Rule) {
					t.Errorf("the answer does not name rule %s at the denying hop\n  summary: %s", s.Want.Rule, res.Summary)
				}
				if withTopology {
					checkMapping(t, d, res)
				}
				textAgrees(t, args, report+".html", code, res)
				reportsAgree(t, report, res)
			}
		})
	}
}

// checkMapping: flow-log emitters map to the design's NICs by MAC when the
// design gives MACs (the apps and Key Vault stories), else by the address
// on their tuples (the stories that retell the trace demos).
func checkMapping(t *testing.T, d demo.StoryData, res explain.Result) {
	t.Helper()
	n, _, err := load.Load(d.Topology)
	if err != nil {
		t.Fatal(err)
	}
	want := "its own address"
	if slices.ContainsFunc(n.NICs, func(nic *topology.NIC) bool { return nic.MAC != "" }) {
		want = "(the topology's MAC)"
	}
	if !slices.ContainsFunc(res.Reasoning, func(s explain.Step) bool {
		return strings.HasPrefix(s.Text, "flow-log emitter ") && strings.Contains(s.Text, want)
	}) {
		t.Errorf("no reasoning step maps a flow-log emitter %q", want)
	}
}

// explainJSON runs explain with -o json (and --report md) and decodes its
// answer.
func explainJSON(t *testing.T, args []string, md string) (explain.Result, int) {
	t.Helper()
	code, out, errOut := run(append(slices.Clone(args), "--output", "json", "--report", md)...)
	var res explain.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("pathproof %s -o json: exit %d, %v\n%s\n%s", strings.Join(args, " "), code, err, out, errOut)
	}
	return res, code
}

// namesRule reports whether the summary or a denying hop's evidence names
// the rule.
func namesRule(res explain.Result, rule string) bool {
	if strings.Contains(res.Summary, rule) {
		return true
	}
	for _, h := range res.Hops {
		for _, e := range h.Evidence {
			if h.Status == explain.StatusDenied && strings.Contains(e.Rule, rule) {
				return true
			}
		}
	}
	return false
}

// textAgrees runs explain's table output (and --report html) and checks
// it says what the JSON says.
func textAgrees(t *testing.T, args []string, html string, jsonCode int, res explain.Result) {
	t.Helper()
	code, out, errOut := run(append(slices.Clone(args), "--report", html)...)
	if code != jsonCode {
		t.Errorf("pathproof %s: exit %d, with -o json %d\n%s", strings.Join(args, " "), code, jsonCode, errOut)
	}
	for _, want := range textFacts(res) {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q, which the JSON says:\n%s", want, out)
		}
	}
}

// reportsAgree checks that the HTML and Markdown proof reports written by
// the two runs say what the JSON says.
func reportsAgree(t *testing.T, base string, res explain.Result) {
	t.Helper()
	for _, ext := range []string{".html", ".md"} {
		b, err := os.ReadFile(base + ext)
		if err != nil {
			t.Errorf("report: %v", err)
			continue
		}
		text := string(b)
		if ext == ".html" {
			text = html.UnescapeString(text)
		}
		for _, want := range textFacts(res) {
			if !strings.Contains(text, want) {
				t.Errorf("the %s report lacks %q, which the JSON says", ext, want)
			}
		}
	}
}

// textFacts are the strings of a result the table and the reports must
// show.
func textFacts(res explain.Result) []string {
	facts := []string{res.Verdict, res.Confidence, res.Summary}
	if res.At != "" {
		facts = append(facts, res.At)
	}
	for _, h := range res.Hops {
		facts = append(facts, h.Hop)
	}
	for _, f := range res.Findings {
		facts = append(facts, f.Code)
	}
	return facts
}
