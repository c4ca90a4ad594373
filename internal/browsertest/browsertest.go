// Package browsertest drives Debian's Chromium for the browser tests of
// the web chat and the admin page, and audits pages with axe-core
// (vendored under axe/ with its licence; axe/README.md says which
// version). Tests skip with a message when Chromium is not installed or
// under -short; CI (.ci/run) installs it, so nothing skips there.
package browsertest

import (
	"context"
	_ "embed"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium is where Debian installs the browser.
const Chromium = "/usr/bin/chromium"

//go:embed axe/axe.min.js
var axeSource string

// Options of a browser.
type Options struct {
	// Lang is the browser's language ("ja-JP", "en-US"): navigator.language
	// and Accept-Language.
	Lang string
	// Timeout bounds the test's use of the browser (default 90 s).
	Timeout time.Duration
}

// Start starts a headless Chromium of its own (a fresh profile) for the
// test, or skips the test, and returns the context its actions run in.
// The browser stops when the test ends.
func Start(t *testing.T, o Options) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	if _, err := os.Stat(Chromium); err != nil {
		t.Skipf("browser test skipped: %s not found (apt-get install chromium; .ci/run installs it)", Chromium)
	}
	if o.Lang == "" {
		o.Lang = "ja-JP"
	}
	if o.Timeout <= 0 {
		o.Timeout = 90 * time.Second
	}
	base, _, _ := strings.Cut(o.Lang, "-")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", o.Lang),
		chromedp.Flag("accept-lang", o.Lang+","+base),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// The first action starts the browser; it must not run under a
	// timeout (that would stop the browser), the later ones do.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", Chromium, err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, o.Timeout)
	t.Cleanup(cancelTimeout)
	return ctx
}

// Audit runs axe-core over the page as it is now (WCAG 2.1 A and AA, and
// axe's best practices) and fails the test on any violation, naming the
// first nodes of each.
func Audit(t *testing.T, ctx context.Context, when string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		t.Fatalf("inject axe-core %s: %v", when, err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {runOnly: {type: "tag",
		values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
		.then(r => r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " — " +
			v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; ")))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core %s: %v", when, err)
	}
	for _, v := range found {
		t.Errorf("axe-core %s: %s", when, v)
	}
}

// Shot saves a PNG of the page to SCREENSHOT_DIR/name.png when that is
// set, and does nothing otherwise: the viewport as a person sees it, or
// with full the whole page.
func Shot(name string, full bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		dir := os.Getenv("SCREENSHOT_DIR")
		if dir == "" {
			return nil
		}
		var buf []byte
		var err error
		if full {
			buf, err = chromedp.FullScreenshot(100)(ctx, tg)
		} else {
			buf, err = chromedp.CaptureScreenshot()(ctx, tg)
		}
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	})
}
