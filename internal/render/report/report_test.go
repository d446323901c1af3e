package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/testenv"
)

// cases are the inputs every format test runs on.
func cases() []struct {
	name string
	in   Input
} {
	gen := time.Date(2026, 3, 14, 9, 40, 0, 0, time.UTC)
	return []struct {
		name string
		in   Input
	}{
		{"nsg-deny", Input{Result: nsgDeny(), Trace: nsgDenyTrace(), Generated: gen, Command: "pathproof explain --from nic:web-nic --to 10.2.1.4:443 --logs " + sas, Raw: nsgDenyRaw(nsgDeny())}},
		{"hostile-inferred", Input{Result: hostileAsymmetric(), Generated: gen, Raw: hostileRaw(hostileAsymmetric())}},
		{"no-evidence", Input{Result: noEvidence()}},
		{"keyvault-403", Input{Result: keyVault403(), Generated: gen, Raw: keyVaultRaw(keyVault403())}},
		{"raw-not-read", Input{Result: keyVault403(), Generated: gen}},
		{"not-yet-known", Input{Result: notYetKnown(), Generated: gen}},
	}
}

func render(t *testing.T, f Format, in Input) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f, in); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, c := range cases() {
		for _, f := range []Format{FormatHTML, FormatMarkdown} {
			t.Run(c.name+"."+string(f), func(t *testing.T) {
				testenv.Golden(t, filepath.Join("testdata", c.name+"."+string(f)), []byte(render(t, f, c.in)))
			})
		}
	}
}

// TestNoSecretsNoControls: no SAS signature, account key or control
// character from the Result reaches either format.
func TestNoSecretsNoControls(t *testing.T) {
	for _, c := range cases() {
		for _, f := range []Format{FormatHTML, FormatMarkdown} {
			out := render(t, f, c.in)
			for _, secret := range []string{"SECRETSIGNATURE", "abc123def456"} {
				if strings.Contains(out, secret) {
					t.Errorf("%s.%s: secret %q in the report", c.name, f, secret)
				}
			}
			for i, r := range out {
				if r < 0x20 && r != '\n' || r == 0x7f {
					t.Errorf("%s.%s: control character %q at byte %d", c.name, f, r, i)
					break
				}
			}
		}
	}
}

// external matches anything in HTML that could make a browser load
// something: src/href/action/srcset/poster/data attributes pointing
// anywhere but a fragment, CSS url() other than url(#...), @import.
var external = regexp.MustCompile(`(?i)\b(src|srcset|action|poster|data|xlink:href)\s*=|\bhref\s*=\s*"[^#]|url\(\s*['"]?[^#'"\s]|@import|<script|<link|<iframe|<object|<embed|<img|<base`)

func TestHTMLSelfContainedAndEscaped(t *testing.T) {
	for _, c := range cases() {
		out := render(t, FormatHTML, c.in)
		if m := external.FindString(out); m != "" {
			t.Errorf("%s: the page may load something: %q", c.name, m)
		}
		if !strings.Contains(out, `content="default-src 'none'; style-src 'unsafe-inline'`) {
			t.Errorf("%s: no Content-Security-Policy forbidding loads", c.name)
		}
		if !strings.Contains(out, "@media print") {
			t.Errorf("%s: no print styles", c.name)
		}
	}
	out := render(t, FormatHTML, cases()[1].in)
	if strings.Contains(out, "alert('x')") || strings.Contains(out, "<b>") {
		t.Error("untrusted markup reached the page unescaped")
	}
	if !strings.Contains(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") {
		t.Error("the hostile name is not shown escaped")
	}
	if !strings.Contains(out, `\x1b[31m`) || !strings.Contains(out, `\a bell`) {
		t.Error("control characters are not shown as escapes")
	}
}

// pipes counts the cell separators of a Markdown table row: pipes not
// escaped by a backslash.
func pipes(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		if row[i] == '|' && (i == 0 || row[i-1] != '\\') {
			n++
		}
	}
	return n
}

func TestMarkdownTablesAndFencesHold(t *testing.T) {
	out := render(t, FormatMarkdown, Input{Result: hostileAsymmetric(), Raw: hostileRaw(hostileAsymmetric())})
	lines := strings.Split(out, "\n")
	width := 0
	for i, l := range lines {
		if !strings.HasPrefix(l, "|") {
			width = 0
			continue
		}
		if width == 0 {
			width = pipes(l)
			continue
		}
		if pipes(l) != width {
			t.Errorf("line %d: %d cell separators, the table has %d: %s", i+1, pipes(l), width, l)
		}
	}
	// The quote holding ``` sits in a longer fence, so it cannot close it.
	if !strings.Contains(out, "````\nquote with ``` fence") {
		t.Errorf("the quote with a fence inside is not in a longer fence:\n%s", out)
	}
	// So do the raw records holding fences of four backticks.
	if !strings.Contains(out, "`````json\n{") || !strings.Contains(out, "`````\n1.0;2026-03-14T09:26:03") {
		t.Errorf("a raw record with a fence inside is not in a longer fence:\n%s", out)
	}
	// Markdown syntax from the logs is inert: no link, no emphasis.
	if strings.Contains(out, "[link](http") || strings.Contains(out, " *bold*") {
		t.Error("Markdown syntax from a record is not escaped")
	}
	if strings.Contains(proseOf(out), "<script>") {
		t.Errorf("raw markup outside code in the Markdown (a renderer would pass it through):\n%s", proseOf(out))
	}
}

// proseOf is md without its code: fenced blocks, indented code lines and
// code spans (where CommonMark shows markup literally).
func proseOf(md string) string {
	var b strings.Builder
	fence := ""
	for _, l := range strings.Split(md, "\n") {
		switch {
		case fence != "":
			if strings.TrimSpace(l) == fence {
				fence = ""
			}
			continue
		case strings.HasPrefix(l, "```"):
			fence = strings.TrimRight(l, "abcdefghijklmnopqrstuvwxyz")
			continue
		case strings.HasPrefix(l, "    "):
			continue
		}
		// Drop code spans: a run of n backticks up to the next run of n.
		for {
			i := strings.Index(l, "`")
			if i < 0 {
				break
			}
			n := i
			for n < len(l) && l[n] == '`' {
				n++
			}
			delim := l[i:n]
			j := strings.Index(l[n:], delim)
			if j < 0 {
				break
			}
			l = l[:i] + l[n+j+len(delim):]
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}

// TestEveryClaimShown: the verdict, every hop, every citation's quote and
// every finding's fix appear in both formats.
func TestEveryClaimShown(t *testing.T) {
	in := Input{Result: nsgDeny(), Trace: nsgDenyTrace()}
	for _, f := range []Format{FormatHTML, FormatMarkdown} {
		out := render(t, f, in)
		want := []string{in.Result.Verdict, in.Result.Summary, in.Result.Findings[0].Fix}
		for _, h := range in.Result.Hops {
			want = append(want, h.Hop, h.Expected, h.Seen)
		}
		for i, c := range in.Result.Citations {
			want = append(want, c.Quote, CiteLabel(i))
		}
		for _, w := range want {
			if f == FormatHTML {
				w = strings.NewReplacer("→", "→", "'", "&#39;").Replace(w)
			}
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q", f, w)
			}
		}
	}
}

func TestNotSeenSaysWhy(t *testing.T) {
	out := render(t, FormatMarkdown, Input{Result: hostileAsymmetric(), Raw: hostileRaw(hostileAsymmetric())})
	for _, want := range []string{
		"`nic:web-nic` (forward, **not-seen**)",
		"the silence is evidence: the request did not reach nic:web-nic. The last hop that saw it is nic:app-nic",
		"`gateway:vpngw2` (return, **not-logged**)",
		"nothing here is proven either way",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for _, c := range []struct {
		path string
		want Format
	}{{"proof.html", FormatHTML}, {"x/PROOF.HTM", FormatHTML}, {"a.md", FormatMarkdown}, {"a.markdown", FormatMarkdown}, {"a.pdf", ""}, {"noext", ""}, {"a.html.txt", ""}} {
		got, err := FormatOf(c.path)
		if got != c.want {
			t.Errorf("FormatOf(%q) = %q, want %q", c.path, got, c.want)
		}
		var fe *FormatError
		if (c.want == "") != errors.As(err, &fe) {
			t.Errorf("FormatOf(%q) error %v", c.path, err)
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	in := Input{Result: nsgDeny(), Trace: nsgDenyTrace()}
	for _, name := range []string{"proof.html", "proof.md"} {
		p := filepath.Join(dir, name)
		if err := WriteFile(p, in); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := FormatOf(name)
		if string(b) != render(t, f, in) {
			t.Errorf("%s differs from what Write writes", name)
		}
	}
	if err := WriteFile(filepath.Join(dir, "proof.pdf"), in); err == nil {
		t.Error("a .pdf report was written")
	}
	if err := WriteFile(filepath.Join(dir, "missing", "proof.md"), in); err == nil || !strings.Contains(err.Error(), "proof.md") {
		t.Errorf("error %v does not name the file", err)
	}
	if err := WriteFile(filepath.Join(dir, "empty.md"), Input{}); err == nil {
		t.Error("a report without a result was written")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("files left behind: %v", ents)
	}
}
