package web

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/pathproof/pathproof/internal/demo"
	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/testenv/browser"
)

// problems collects what the pages report wrong: CSP violations, script
// exceptions, console errors.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError || strings.Contains(ev.Entry.Text, "Content Security Policy") {
			p.list = append(p.list, string(ev.Entry.Source)+": "+ev.Entry.Text)
		}
	case *runtime.EventExceptionThrown:
		p.list = append(p.list, "exception: "+ev.ExceptionDetails.Text)
	}
}

func (p *problems) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.list
	p.list = nil
	return l
}

// leave makes the tab leave the test's server before the server stops (so
// nothing it still loads is refused and counted against the next test) and
// forgets what earlier tests' pages reported.
func leave(t *testing.T, ctx context.Context, pr *problems) {
	pr.take()
	t.Cleanup(func() {
		_ = chromedp.Do(ctx, chromedp.Navigate("about:blank"))
		pr.take()
	})
}

// shoot writes a full-page screenshot as an artefact.
func shoot(t *testing.T, ctx context.Context, dir, name string) []byte {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("%s: not a PNG", name)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("artefact: %s", p)
	return png
}

func text(t *testing.T, ctx context.Context, sel chromedp.CSS) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("%s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func attr(t *testing.T, ctx context.Context, sel chromedp.CSS, name string) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(sel, name))
	if err != nil {
		t.Fatalf("%s[%s]: %v", sel, name, err)
	}
	return a.Value
}

// TestExplainInBrowser: for every demo story, the explain page asked
// through its form shows the story's verdict and marks its hop; clicking a
// hop shows its records and clicking a record opens the raw record with
// the same origin. No page violates its Content-Security-Policy.
func TestExplainInBrowser(t *testing.T) {
	out := testenv.Artifacts(t)
	pr := &problems{}
	ctx := browser.Tab(t, 4*time.Minute, 1280, 900, pr.listen)
	for _, s := range demo.Stories() {
		t.Run(s.Name, func(t *testing.T) {
			base, _ := storyServer(t, s, Options{})
			leave(t, ctx, pr)
			err := chromedp.Do(ctx,
				chromedp.Navigate(base+"/explain"),
				chromedp.WaitVisible(chromedp.ID("explain-form")),
				chromedp.SetValue(chromedp.ID("from"), s.From),
				chromedp.SetValue(chromedp.ID("to"), s.To),
				chromedp.SetValue(chromedp.ID("at"), s.At.UTC().Format(time.RFC3339)),
			)
			if err != nil {
				t.Fatal(err)
			}
			if s.Protocol != "" {
				if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("protocol"), s.Protocol)); err != nil {
					t.Fatal(err)
				}
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("explain-button")), chromedp.WaitVisible(chromedp.ID("verdict"))); err != nil {
				t.Fatalf("no verdict: %v (%s)", err, text(t, ctx, "main"))
			}
			if cls := attr(t, ctx, "#verdict", "class"); !strings.Contains(cls, "verdict-"+s.Want.Verdict) {
				t.Errorf("verdict section %q, want %s", cls, s.Want.Verdict)
			}
			head := text(t, ctx, "#headline")
			word := strings.ToUpper(strings.ReplaceAll(s.Want.Verdict, "-", " "))
			if !strings.Contains(head, word) || !strings.Contains(head, s.Want.At) {
				t.Errorf("headline %q, want %s at %s", head, word, s.Want.At)
			}
			if got := attr(t, ctx, "tbody.hop.stop", "data-hop"); got != s.Want.At {
				t.Errorf("marked hop %q, want %s", got, s.Want.At)
			}
			if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#diagram svg"))); err != nil {
				t.Errorf("no diagram: %v", err)
			}
			shoot(t, ctx, out, "serve-explain-"+s.Name+".png")

			// Hop → its records: the first hop citing a log record, closed
			// then opened by a click.
			hop, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var a=document.querySelector("tbody.hop a.record-link");return a?a.closest("tbody").id:""})()`))
			if err != nil {
				t.Fatal(err)
			}
			if hop == "" {
				t.Fatal("no hop cites a log record")
			}
			row := chromedp.CSS("#" + hop + " tr.hop-row")
			link := chromedp.CSS("#" + hop + " a.record-link")
			if open := attr(t, ctx, chromedp.CSS("#"+hop), "class"); strings.Contains(open, "open") {
				if err := chromedp.Do(ctx, chromedp.Click(row), chromedp.WaitNotVisible(link)); err != nil {
					t.Fatalf("clicking the open hop does not close it: %v", err)
				}
			}
			if err := chromedp.Do(ctx, chromedp.Click(row), chromedp.WaitVisible(link)); err != nil {
				t.Fatalf("clicking the hop does not show its records: %v", err)
			}
			href := attr(t, ctx, link, "href")
			u, err := url.Parse(href)
			if err != nil {
				t.Fatal(err)
			}
			want := u.Query().Get("origin")
			if err := chromedp.Do(ctx, chromedp.Click(link), chromedp.WaitVisible(chromedp.ID("raw"))); err != nil {
				t.Fatalf("the record does not open: %v (%s)", err, text(t, ctx, "main"))
			}
			if got := text(t, ctx, "#origin"); got != want || want == "" {
				t.Errorf("record page origin %q, want %q", got, want)
			}
			if raw := text(t, ctx, "#raw"); !strings.HasPrefix(raw, "{") {
				t.Errorf("raw record %q", raw)
			}
			if p := pr.take(); len(p) > 0 {
				t.Errorf("the pages reported problems: %q", p)
			}
			if s.Name == screenshotStory {
				keepScreenshot(t, ctx, base, s)
			}
		})
	}
}

// screenshotStory is the story whose explain page README shows.
const screenshotStory = "app-rule-snat"

// keepScreenshot rewrites docs/img/serve-explain.png when
// PATHPROOF_UPDATE_SCREENSHOT is set.
func keepScreenshot(t *testing.T, ctx context.Context, base string, s demo.Story) {
	if os.Getenv("PATHPROOF_UPDATE_SCREENSHOT") == "" {
		return
	}
	q := url.Values{"from": {s.From}, "to": {s.To}, "at": {s.At.UTC().Format(time.RFC3339)}}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/explain?"+q.Encode()), chromedp.WaitVisible(chromedp.ID("verdict"))); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()) // the first screen: the verdict, the diagram, the hops
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join("..", "..", "docs", "img", "serve-explain.png")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", p)
}

// TestPagesInBrowser: the evidence, topology and capture pages work by
// clicking: an event row opens its raw record, a NIC in the diagram its
// routes and rules, a capture its connections and a connection its
// timeline. Each page is kept as a screenshot.
func TestPagesInBrowser(t *testing.T) {
	out := testenv.Artifacts(t)
	pr := &problems{}
	ctx := browser.Tab(t, 4*time.Minute, 1280, 900, pr.listen)
	s := story(t, "nsg-deny-at-server")
	base, _ := storyServer(t, s, Options{})
	leave(t, ctx, pr)

	// Evidence: the denied events, a histogram, a row → its record.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/evidence?verdict=deny"), chromedp.WaitVisible(chromedp.CSS("#events tbody tr")), chromedp.WaitVisible(chromedp.ID("histogram"))); err != nil {
		t.Fatalf("evidence: %v", err)
	}
	if c := text(t, ctx, "#count"); !strings.Contains(c, "events match") || strings.HasPrefix(c, "0 ") {
		t.Errorf("count %q", c)
	}
	shoot(t, ctx, out, "serve-evidence.png")
	origin := text(t, ctx, "#events tbody tr td.mono a.record-link")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#events tbody tr td:nth-child(2)")), chromedp.WaitVisible(chromedp.ID("raw"))); err != nil {
		t.Fatalf("event row → record: %v", err)
	}
	if got := text(t, ctx, "#origin"); got != origin {
		t.Errorf("record %q, want the row's origin %q", got, origin)
	}
	shoot(t, ctx, out, "serve-record.png")

	// Topology: the diagram, a NIC → its routes and rules.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/topology"), chromedp.WaitVisible(chromedp.CSS("#topology-diagram svg"))); err != nil {
		t.Fatalf("topology: %v", err)
	}
	shoot(t, ctx, out, "serve-topology.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#topology-diagram a.node-nic[data-name="sql-nic"] rect`)), chromedp.WaitVisible(chromedp.ID("routes"))); err != nil {
		t.Fatalf("NIC in the diagram → routes: %v", err)
	}
	if n := text(t, ctx, "#nic-name"); n != "sql-nic" {
		t.Errorf("NIC page for %q", n)
	}
	if rules := text(t, ctx, "main"); !strings.Contains(rules, "Deny-SQL-Except-Batch") {
		t.Error("the NIC page does not list the NSG rule that denies the story's flow")
	}
	shoot(t, ctx, out, "serve-nic.png")

	// Capture: choose the story's capture, a connection → its timeline.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/capture"), chromedp.Click(chromedp.CSS("a.pick")), chromedp.WaitVisible(chromedp.CSS("#connections tbody tr"))); err != nil {
		t.Fatalf("capture: %v", err)
	}
	shoot(t, ctx, out, "serve-capture.png")
	k, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("#connections tbody tr")).findIndex(function(r){return r.cells[1].textContent=="tcp"})`))
	if err != nil || k < 0 {
		t.Fatalf("no TCP connection in the capture: %v", err)
	}
	tcpRow := chromedp.CSS(fmt.Sprintf("#connections tbody tr:nth-child(%d) td:nth-child(3)", k+1))
	if err := chromedp.Do(ctx, chromedp.Click(tcpRow), chromedp.WaitVisible(chromedp.ID("timeline"))); err != nil {
		t.Fatalf("connection → timeline: %v", err)
	}
	if tl := text(t, ctx, "#timeline"); !strings.Contains(tl, "SYN") {
		t.Errorf("timeline %q shows no SYN", tl)
	}
	shoot(t, ctx, out, "serve-connection.png")
	if p := pr.take(); len(p) > 0 {
		t.Errorf("the pages reported problems: %q", p)
	}
}
