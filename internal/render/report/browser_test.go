package report

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/testenv/browser"
)

// pageWatch records what a page asks the network for and what it reports
// wrong, from the browser's own events.
type pageWatch struct {
	mu       sync.Mutex
	requests []string // every URL the page requested
	problems []string // CSP violations, script exceptions, errors logged
}

func (w *pageWatch) listen(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		w.requests = append(w.requests, ev.Request.URL)
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning || strings.Contains(ev.Entry.Text, "Content Security Policy") {
			w.problems = append(w.problems, string(ev.Entry.Source)+": "+ev.Entry.Text)
		}
	case *runtime.EventExceptionThrown:
		w.problems = append(w.problems, "exception: "+ev.ExceptionDetails.Text)
	}
}

func (w *pageWatch) take() (requests, problems []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	requests, problems = w.requests, w.problems
	w.requests, w.problems = nil, nil
	return requests, problems
}

// pdfPage matches one page object of a PDF.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestHTMLInBrowser opens reports in headless Chromium: the page loads, the
// verdict and the diagram are visible, nothing outside the file is
// requested (checked with the page's Content-Security-Policy bypassed, so
// a reference the policy would block still shows up as a request), the
// policy itself is never violated, and a screenshot and a PDF print are
// written as artefacts.
func TestHTMLInBrowser(t *testing.T) {
	out := testenv.Artifacts(t)
	w := &pageWatch{}
	ctx := browser.Tab(t, 2*time.Minute, 1200, 900, w.listen)
	t.Run("canary", func(t *testing.T) {
		// The watch must catch what the real pages must not do: a page
		// that references an image by URL, behind the same policy. It
		// runs in a tab of its own, so its failed load cannot reach the
		// watch of the other pages.
		cw := &pageWatch{}
		cctx, cancel := chromedp.NewContext(ctx, chromedp.WithListener(cw.listen))
		defer cancel()
		file := filepath.Join(t.TempDir(), "canary.html")
		canary := "http://127.0.0.1:9/canary.png"
		html := `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p id="verdict-word">x</p><img src="` + canary + `"></body></html>`
		if err := os.WriteFile(file, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
		bypass := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
			return err
		})
		if err := chromedp.Do(cctx, bypass, chromedp.Navigate((&url.URL{Scheme: "file", Path: file}).String()), chromedp.WaitVisible(chromedp.ID("verdict-word"))); err != nil {
			t.Fatal(err)
		}
		requests, _ := cw.take()
		if !slices.Contains(requests, canary) {
			t.Fatalf("the watch missed the canary's request (saw %q): the checks below could not fail", requests)
		}
	})
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), c.name+".html")
			if err := WriteFile(file, c.in); err != nil {
				t.Fatal(err)
			}
			fileURL := (&url.URL{Scheme: "file", Path: file}).String()

			// 1. The policy bypassed: the markup alone must load nothing.
			bypass := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
				return err
			})
			if err := chromedp.Do(ctx, bypass, chromedp.Navigate(fileURL), chromedp.WaitVisible(chromedp.ID("verdict-word"))); err != nil {
				t.Fatalf("page did not load: %v", err)
			}
			checkRequests(t, fileURL, w)

			// 2. The policy on: the page works within it.
			unbypass := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: false})
				return err
			})
			if err := chromedp.Do(ctx, unbypass, chromedp.Navigate(fileURL), chromedp.WaitVisible(chromedp.ID("verdict-word"))); err != nil {
				t.Fatalf("page did not load: %v", err)
			}
			verdict, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("verdict-word")))
			if err != nil {
				t.Fatal(err)
			}
			if want := c.in.Result.Verdict; strings.TrimSpace(verdict) != want {
				t.Errorf("visible verdict %q, want %q", verdict, want)
			}
			summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("summary")))
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(summary) == "" {
				t.Error("the verdict sentence is empty on the page")
			}
			if len(c.in.Result.Hops) > 0 {
				if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#diagram svg"))); err != nil {
					t.Errorf("diagram not visible: %v", err)
				}
			}
			// No script ran: the hostile names stayed text.
			title, err := chromedp.Run(ctx, chromedp.Title())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(title, "pathproof proof: ") {
				t.Errorf("page title %q", title)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground(), chromedp.PDFPreferCSSPageSize()))
			if err != nil {
				t.Fatal(err)
			}
			checkRequests(t, fileURL, w)
			if !bytes.HasPrefix(png, []byte("\x89PNG")) || !bytes.HasPrefix(pdf, []byte("%PDF")) {
				t.Fatal("the screenshot is not a PNG or the print not a PDF")
			}
			// The hops start a page of their own.
			if n := len(pdfPage.FindAll(pdf, -1)); len(c.in.Result.Hops) > 0 && n < 2 {
				t.Errorf("the print has %d page(s), want the hops on a page of their own", n)
			}
			checkPrintFits(t, ctx)
			for name, b := range map[string][]byte{"report-" + c.name + ".png": png, "report-" + c.name + ".pdf": pdf} {
				p := filepath.Join(out, name)
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("artefact: %s", p)
			}
		})
	}
}

// printWidth is the width of an A4 page inside the report's print margins
// (210 mm - 2 × 12 mm), in CSS pixels.
const printWidth = 700

// checkPrintFits lays the page out with the print styles at the width of
// the paper and fails the test for anything wider than the paper (it
// would be cut off in print).
func checkPrintFits(t *testing.T, ctx context.Context) {
	t.Helper()
	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(printWidth, 1000), media("print")); err != nil {
		t.Fatal(err)
	}
	defer func() {
		clear := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
			return err
		})
		if err := chromedp.Do(ctx, media(""), clear); err != nil {
			t.Error(err)
		}
	}()
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")]
		.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 || e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
		.slice(0, 5).map(e => e.tagName + "." + e.className + ": " + e.textContent.slice(0, 40))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(wide) > 0 {
		t.Errorf("in print, wider than the paper: %q", wide)
	}
}

// checkRequests fails the test for any request other than the report file
// itself, and for anything the page logged as a problem.
func checkRequests(t *testing.T, fileURL string, w *pageWatch) {
	t.Helper()
	requests, problems := w.take()
	sawFile := false
	for _, u := range requests {
		if u == fileURL {
			sawFile = true
			continue
		}
		t.Errorf("the report requested %q: it must load nothing outside the file", u)
	}
	if !sawFile {
		// The listener must see the document itself, or it sees nothing
		// and this check could not fail.
		t.Errorf("no request event for the report file itself (saw %q)", requests)
	}
	for _, p := range problems {
		t.Errorf("the page reported a problem: %s", p)
	}
}
