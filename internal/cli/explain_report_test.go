package cli

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/render/explainrender"
)

// reportGenerated matches the report's generation time, the one line that
// differs between runs.
var reportGenerated = regexp.MustCompile(`explain at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?Z`)

// TestExplainReportGolden writes the proof report of real explain runs on
// generated Azure-layout logs (with the topology: the trace's diagram;
// without: the inferred hops) and compares it with golden files.
func TestExplainReportGolden(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	at := explainAt(21, 0, 0).Format(time.RFC3339)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"snat-topology.report.md", []string{"--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443"}},
		{"snat-topology.report.html", []string{"--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443"}},
		{"snat-evidence.report.md", []string{"--from", "10.4.1.4", "--to", "10.5.1.4:443"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), c.name)
			args := append([]string{"explain", "--logs", dir, "--at", at, "--report", file}, c.args...)
			code, _, errOut := run(args...)
			if code != ExitFailed {
				t.Fatalf("exit %d, want %d (dropped)\nstderr:\n%s", code, ExitFailed, errOut)
			}
			if !strings.Contains(errOut, "proof report written to "+file) {
				t.Errorf("stderr does not say where the report went:\n%s", errOut)
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := reportGenerated.ReplaceAllString(strings.ReplaceAll(string(b), dir, "LOGS"), "explain at GENERATED")
			golden(t, "explain/"+c.name, []byte(got))
		})
	}
}

// TestExplainTextJSONReportAgree runs the same explanation printed as a
// table, as JSON, and written as both reports: all four give the same
// verdict, the same hop, the same hops with the same evidence citations,
// and the same citations (number, origin as events prints it, quote).
func TestExplainTextJSONReportAgree(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	at := explainAt(21, 0, 0).Format(time.RFC3339)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"topology", []string{"--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443"}},
		{"evidence", []string{"--from", "10.4.1.4", "--to", "10.5.1.4:443"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			md, page := filepath.Join(out, "proof.md"), filepath.Join(out, "proof.html")
			base := append([]string{"explain", "--logs", dir, "--at", at}, c.args...)
			_, text, errOut := run(append(base, "--report", page)...)
			_, js, errOut2 := run(append(base, "-o", "json", "--report", md)...)
			var res explain.Result
			if err := json.Unmarshal([]byte(js), &res); err != nil {
				t.Fatalf("%v\n%s%s", err, errOut, errOut2)
			}
			if len(res.Citations) == 0 || len(res.Hops) == 0 {
				t.Fatalf("the run cites nothing: the comparison would prove nothing\n%s", js)
			}
			mdb, err := os.ReadFile(md)
			if err != nil {
				t.Fatal(err)
			}
			pageb, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			checkTextAgrees(t, text, &res)
			checkMarkdownAgrees(t, string(mdb), &res)
			checkHTMLAgrees(t, string(pageb), &res)
		})
	}
}

func checkTextAgrees(t *testing.T, text string, res *explain.Result) {
	t.Helper()
	if head := strings.SplitN(text, "\n", 2)[0]; head != explainrender.Headline(res) {
		t.Errorf("text headline %q, JSON says %q", head, explainrender.Headline(res))
	}
	for i, c := range res.Citations {
		if want := fmt.Sprintf("  [%d] %s\n      %s\n", i, explainrender.Origin(c), c.Quote); !strings.Contains(text, want) {
			t.Errorf("text lacks citation %d as JSON has it: %q", i, want)
		}
	}
	for i, h := range res.Hops {
		sec := section(text, fmt.Sprintf("\n%d. %s  ", i+1, h.Hop), "\n\n")
		for _, e := range h.Evidence {
			if !strings.Contains(sec, fmt.Sprintf("[%d] ", e.Citation)) {
				t.Errorf("text hop %d (%s) does not cite [%d]:\n%s", i+1, h.Hop, e.Citation, sec)
			}
		}
	}
}

func checkMarkdownAgrees(t *testing.T, md string, res *explain.Result) {
	t.Helper()
	verdict := "**Verdict: " + res.Verdict + "**"
	if res.At != "" {
		verdict += " at `" + res.At + "`"
	}
	if !strings.Contains(md, verdict+" · confidence **"+res.Confidence+"**") {
		t.Errorf("Markdown lacks %q", verdict)
	}
	for i, c := range res.Citations {
		head := fmt.Sprintf("**[%d]** %s", i, c.Kind)
		if o := explainrender.Origin(c); o != c.Kind {
			head += " · `" + o + "`"
		}
		if !strings.Contains(md, head) || !strings.Contains(md, "```\n"+c.Quote+"\n```") {
			t.Errorf("Markdown lacks citation %d as JSON has it: %q and the quote %q", i, head, c.Quote)
		}
	}
	for i, h := range res.Hops {
		sec := section(md, fmt.Sprintf("### %d. `%s` · %s", i+1, h.Hop, h.Leg), "\n### ")
		if sec == "" || !strings.Contains(sec, "· "+h.Status) {
			t.Errorf("Markdown lacks hop %d %s (%s, %s)", i+1, h.Hop, h.Leg, h.Status)
		}
		for _, e := range h.Evidence {
			if !strings.Contains(sec, fmt.Sprintf("| [%d] |", e.Citation)) {
				t.Errorf("Markdown hop %d (%s) does not cite [%d]:\n%s", i+1, h.Hop, e.Citation, sec)
			}
		}
	}
}

var (
	htmlVerdict = regexp.MustCompile(`<span class="word" id="verdict-word">([^<]*)</span>(?: at <code>([^<]*)</code>)?`)
	htmlCite    = regexp.MustCompile(`(?s)<div class="cite" id="cite-(\d+)">\s*<div><strong>\[(\d+)\]</strong> ([^<·]*?)(?: · <span class="mono">([^<]*)</span>)?(?: · [^<]*)?</div>\s*<pre>([^<]*)</pre>`)
	htmlHop     = regexp.MustCompile(`(?s)<section class="hop" id="hop-(\d+)">\s*<h3>\d+\. <code>([^<]*)</code>.*?<span class="badge [a-z]*">([^<]*)</span></h3>(.*?)</section>`)
	htmlCiteRef = regexp.MustCompile(`<a href="#cite-(\d+)">\[(\d+)\]</a>`)
)

func checkHTMLAgrees(t *testing.T, page string, res *explain.Result) {
	t.Helper()
	m := htmlVerdict.FindStringSubmatch(page)
	if m == nil || html.UnescapeString(m[1]) != res.Verdict || html.UnescapeString(m[2]) != res.At {
		t.Errorf("HTML verdict %q, JSON says %s at %s", m, res.Verdict, res.At)
	}
	cites := htmlCite.FindAllStringSubmatch(page, -1)
	if len(cites) != len(res.Citations) {
		t.Fatalf("HTML has %d citations, JSON %d", len(cites), len(res.Citations))
	}
	for i, c := range res.Citations {
		got := cites[i]
		origin := explainrender.Origin(c)
		if origin == c.Kind {
			origin = ""
		}
		if got[1] != fmt.Sprint(i) || got[2] != fmt.Sprint(i) || strings.TrimSpace(got[3]) != c.Kind ||
			html.UnescapeString(got[4]) != origin || html.UnescapeString(got[5]) != c.Quote {
			t.Errorf("HTML citation %d = %q, JSON has %+v", i, got[1:], c)
		}
	}
	hops := htmlHop.FindAllStringSubmatch(page, -1)
	if len(hops) != len(res.Hops) {
		t.Fatalf("HTML has %d hops, JSON %d", len(hops), len(res.Hops))
	}
	for i, h := range res.Hops {
		got := hops[i]
		if html.UnescapeString(got[2]) != h.Hop || got[3] != h.Status {
			t.Errorf("HTML hop %d = %s %s, JSON %s %s", i+1, got[2], got[3], h.Hop, h.Status)
		}
		var refs []string
		for _, r := range htmlCiteRef.FindAllStringSubmatch(got[4], -1) {
			refs = append(refs, r[1])
		}
		var want []string
		for _, e := range h.Evidence {
			want = append(want, fmt.Sprint(e.Citation))
		}
		if strings.Join(refs, ",") != strings.Join(want, ",") {
			t.Errorf("HTML hop %d cites %v, JSON %v", i+1, refs, want)
		}
	}
}

// section returns the text from the first line holding start up to end.
func section(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

func TestExplainReportUsage(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	for _, c := range []struct{ report, stderr string }{
		{filepath.Join(t.TempDir(), "proof.pdf"), "must end in .html or .md"},
		{filepath.Join(t.TempDir(), "proof"), "must end in .html or .md"},
		{filepath.Join(t.TempDir(), "missing", "proof.md"), "does not exist"},
	} {
		code, out, errOut := run("explain", "--logs", dir, "--from", "10.4.1.4", "--to", "10.5.1.4:443", "--report", c.report)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, c.stderr) {
			t.Errorf("--report %s: exit %d, stdout %q, stderr %q; want exit 2, nothing printed, %q", c.report, code, out, errOut, c.stderr)
		}
		if _, err := os.Stat(c.report); err == nil {
			t.Errorf("--report %s was written", c.report)
		}
	}
}

func TestExplainCommandLineRedacts(t *testing.T) {
	root := NewRoot(&Env{Stdin: strings.NewReader(""), Stdout: &strings.Builder{}, Stderr: &strings.Builder{}})
	cmd, _, err := root.Find([]string{"explain"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.ParseFlags([]string{"--logs", "https://acct.blob.core.windows.net/logs?sv=2022&sig=SECRET", "--logs", "./local dir", "--from", "nic:web-nic", "--to", "10.5.1.4:443", "--report", "x.md", "-o", "json"}); err != nil {
		t.Fatal(err)
	}
	got := explainCommandLine(cmd)
	want := "pathproof explain --from nic:web-nic --logs 'https://acct.blob.core.windows.net/logs?REDACTED' --logs './local dir' --to 10.5.1.4:443"
	if got != want {
		t.Errorf("command line\n got %s\nwant %s", got, want)
	}
}
