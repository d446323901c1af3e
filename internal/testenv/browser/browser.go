// Package browser starts headless Chromium for tests that open pages in a
// real browser (the proof report, the web UI). It lives apart from testenv
// so that only those tests link chromedp.
package browser

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pathproof/pathproof/internal/testenv"
)

// Tab starts headless Chromium (Debian's chromium, which .ci/run installs;
// skipped, or failed under CI, when absent) with a window of width×height
// and returns the context of one tab whose events go to listen. The
// browser lives at most life: a hung start fails the test instead of
// hanging it. Everything stops when the test ends.
func Tab(t testing.TB, life time.Duration, width, height int, listen func(ev any)) context.Context {
	t.Helper()
	exe := testenv.RequireTool(t, "chromium")
	lctx, stop := context.WithTimeout(context.Background(), life)
	t.Cleanup(stop)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-gpu", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(lctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(listen))
	t.Cleanup(cancel)
	return ctx
}
