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

// reportCitations splits a Markdown report's citations section into one
// text per citation, by index.
func reportCitations(t *testing.T, md string) []string {
	t.Helper()
	sec := section(md, "## Citations: the records quoted", "\n## ")
	var out []string
	for i := 0; ; i++ {
		start := fmt.Sprintf("**[%d]**", i)
		j := strings.Index(sec, start)
		if j < 0 {
			return out
		}
		rest := sec[j:]
		if k := strings.Index(rest[len(start):], "\n**["); k >= 0 {
			rest = rest[:len(start)+k]
		}
		out = append(out, rest)
	}
}

// TestExplainReportRawRecords: a real run's report quotes, for every log
// citation, the record as the log file holds it (pretty-printed) and the
// flow tuple it names; a SAS and an account key planted inside a cited
// firewall record never reach the report, in either format.
func TestExplainReportRawRecords(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	planted := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(p, "azfwapplicationrule") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		planted += strings.Count(string(b), `"Action":"Allow"`)
		b = []byte(strings.ReplaceAll(string(b), `"Action":"Allow"`, `"Action":"Allow","Note":"copied from https://st.blob.core.windows.net/c/x?sv=2024-01-01\u0026sig=CLIPLANTED%3D, AccountKey=CLIKEY==; sig\u003dCLIESCAPED"`))
		return os.WriteFile(p, b, 0o644)
	})
	if err != nil || planted == 0 {
		t.Fatalf("planting the secret: %v (%d records)", err, planted)
	}
	at := explainAt(21, 0, 0).Format(time.RFC3339)
	out := t.TempDir()
	md, page := filepath.Join(out, "proof.md"), filepath.Join(out, "proof.html")
	base := []string{"explain", "--logs", dir, "--at", at, "--topology", explainDesign, "--from", "nic:web-nic", "--to", "10.5.1.4:443"}
	_, js, _ := run(append(base, "-o", "json", "--report", md)...)
	if code, _, errOut := run(append(base, "--report", page)...); code != ExitFailed {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var res explain.Result
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatal(err)
	}
	mdb, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	pageb, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{mdb, pageb} {
		for _, s := range []string{"CLIPLANTED", "CLIKEY", "CLIESCAPED"} {
			if strings.Contains(string(b), s) {
				t.Errorf("the planted secret %s reached the report", s)
			}
		}
	}
	cites := reportCitations(t, string(mdb))
	if len(cites) != len(res.Citations) {
		t.Fatalf("%d citations in the report, %d in the JSON", len(cites), len(res.Citations))
	}
	firewall, flows := 0, 0
	for i, c := range res.Citations {
		text := cites[i]
		if c.Kind != "log" {
			if strings.Contains(text, "Azure wrote") {
				t.Errorf("[%d] %s quotes a raw record", i, c.Kind)
			}
			continue
		}
		if strings.Contains(text, "could not be read again") || !strings.Contains(text, "The record as Azure wrote it") {
			t.Errorf("[%d] has no raw record:\n%s", i, text)
			continue
		}
		if strings.Contains(c.Quote, "AZFWApplicationRule") {
			firewall++
			if !strings.Contains(text, `"Note": "copied from https://st.blob.core.windows.net/c/x?REDACTED`) || !strings.Contains(text, "AccountKey=REDACTED") {
				t.Errorf("[%d] does not quote the firewall record, redacted:\n%s", i, text)
			}
		}
		if strings.Contains(c.Quote, "vnetflow") {
			flows++
			// The tuple named is the flow quoted: its ports are the quote's.
			tuple := section(text, "the one cited: `", "`")
			f := strings.Split(tuple, ",")
			if len(f) < 5 || !strings.Contains(c.Quote, f[1]+":"+f[3]+" → "+f[2]+":"+f[4]) {
				t.Errorf("[%d] tuple %q is not the flow quoted: %s", i, tuple, c.Quote)
			}
		}
	}
	if firewall == 0 || flows == 0 {
		t.Fatalf("the run cites %d firewall and %d flow records: the test proves too little", firewall, flows)
	}
	if !strings.Contains(string(pageb), `<pre class="raw">`) || !strings.Contains(string(pageb), "?REDACTED") {
		t.Error("the HTML report quotes no raw record")
	}
}

// TestExplainReportRawUnreadable: records that cannot be read again (a log
// read from stdin, a store without its logs) are said so in the report,
// which is still written, with the verdict and exit code of the run.
func TestExplainReportRawUnreadable(t *testing.T) {
	dir := t.TempDir()
	writeExplainStory(t, dir, false)
	at := explainAt(21, 0, 0).Format(time.RFC3339)
	q := []string{"--at", at, "--from", "10.4.1.4", "--to", "10.5.1.4:443"}

	// The firewall's log on stdin, the flow logs from files.
	var fwFile string
	flowDir := t.TempDir()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.Contains(p, "azfwapplicationrule") {
			fwFile = p
			return nil
		}
		if strings.Contains(p, "azfw") {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if err := os.MkdirAll(filepath.Dir(filepath.Join(flowDir, rel)), 0o755); err != nil {
			return err
		}
		return os.Rename(p, filepath.Join(flowDir, rel))
	})
	if err != nil || fwFile == "" {
		t.Fatalf("splitting the logs: %v", err)
	}
	fw, err := os.ReadFile(fwFile)
	if err != nil {
		t.Fatal(err)
	}
	md := filepath.Join(t.TempDir(), "proof.md")
	var o, e strings.Builder
	code := Main(append([]string{"explain", "--logs", flowDir, "--logs", "-", "--report", md}, q...), strings.NewReader(string(fw)), &o, &e)
	if code != ExitFailed {
		t.Fatalf("stdin: exit %d\n%s%s", code, o.String(), e.String())
	}
	b, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	stdin, files := 0, 0
	for _, c := range reportCitations(t, string(b)) {
		switch {
		case strings.Contains(c, "· `-#"):
			stdin++
			if !strings.Contains(c, "could not be read again: read from standard input (--logs -), which cannot be read a second time") {
				t.Errorf("a record from stdin does not say why it is not quoted:\n%s", c)
			}
		case strings.Contains(c, "** log ·"):
			files++
			if !strings.Contains(c, "The record as Azure wrote it") || strings.Contains(c, "could not be read again") {
				t.Errorf("a record from a file lost its raw record:\n%s", c)
			}
		}
	}
	if stdin == 0 || files == 0 {
		t.Fatalf("%d citations from stdin, %d from files: the test proves too little\n%s", stdin, files, b)
	}

	// A store alone keeps events, not records.
	db := filepath.Join(t.TempDir(), "e.duckdb")
	if code, _, errOut := run("events", "--logs", flowDir, "--db", db, "--limit", "1"); code != ExitOK {
		t.Fatalf("loading the store: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := run(append([]string{"explain", "--db", db, "--report", md}, q...)...); code != ExitFailed {
		t.Fatalf("store: exit %d\n%s", code, errOut)
	}
	if b, err = os.ReadFile(md); err != nil {
		t.Fatal(err)
	}
	cites := reportCitations(t, string(b))
	n := 0
	for _, c := range cites {
		if strings.Contains(c, "** log ·") {
			n++
			if !strings.Contains(c, "could not be read again: the store keeps events, not raw records; give the --logs it was loaded from") {
				t.Errorf("a record from the store does not say why it is not quoted:\n%s", c)
			}
		}
	}
	if n == 0 {
		t.Fatalf("the store run cites no log record:\n%s", b)
	}
}
