package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/server"
	"github.com/supportbot/supportbot/internal/web"
)

const chromium = "/usr/bin/chromium"

// TestBrowser drives Debian's Chromium through the web chat as a person
// on a phone would: ask, read the cards, tap quick replies. Set
// SCREENSHOT_DIR to keep screenshots of each step.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("browser test skipped: %s not found (apt-get install chromium; .ci/run installs it)", chromium)
	}
	chat := newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}})
	srv := httptest.NewServer(server.NewServer(server.Deps{Handlers: server.Handlers{Page: chat.Page(), Static: chat.Static(), Chat: chat.Chat()}}))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "ja-JP"),
		chromedp.Flag("accept-lang", "ja-JP,ja"),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first action starts the browser; it must not run under a
	// timeout (that would stop the browser), the later ones do.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	shots := os.Getenv("SCREENSHOT_DIR")
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if shots == "" {
				return nil
			}
			buf, err := chromedp.CaptureScreenshot()(ctx, tg) // the viewport, as a person sees it
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), buf, 0o644)
		})
	}
	// reply is the first element at an XPath below the n-th message of
	// the bot: exactly one, since Click clicks every node that matches.
	reply := func(n int, below string) chromedp.Search {
		return chromedp.Search(fmt.Sprintf(`((//ol[@id="log"]/li[contains(@class,"bot")])[%d]%s)[1]`, n, below))
	}
	eval := func(expr string) []string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}

	// The greeting arrives by itself, in Japanese for a Japanese browser.
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(reply(1, `//div[contains(@class,"chips")]/button`)),
		shot("1-greeting"),
		chromedp.SendKeys(chromedp.ID("q"), "中小企業向けの支援"),
		chromedp.Click(chromedp.ID("send")),
		chromedp.WaitVisible(reply(2, `//article[contains(@class,"card")]//h2`)),
		shot("2-cards"),
	)
	if err != nil {
		t.Fatalf("ask: %v", err)
	}
	if lang := eval(`[navigator.language, document.documentElement.lang]`); lang[1] != "ja" {
		t.Errorf("browser %s: page language %q; want ja", lang[0], lang[1])
	} else {
		t.Logf("browser language %s", lang[0])
	}
	firstTitles := eval(`[...document.querySelectorAll("#log > li.msg.bot")[1].querySelectorAll("article.card h2")].map(e => e.textContent)`)
	if len(firstTitles) == 0 {
		t.Fatal("the answer shows no programme cards")
	}
	t.Logf("cards: %q", firstTitles)
	if text := eval(`[document.getElementById("log").innerText]`)[0]; strings.Contains(text, "null") || strings.Contains(text, "undefined") {
		t.Errorf("the chat shows null or undefined:\n%s", text)
	}

	// Tap もっと見る: the next page continues the numbering, and focus is
	// back in the message box.
	err = chromedp.Do(ctx,
		chromedp.Click(reply(2, `//div[contains(@class,"chips")]/button[normalize-space()="もっと見る"]`)),
		chromedp.WaitVisible(reply(3, `//article[contains(@class,"card")]//h2`)),
		shot("3-more"),
	)
	if err != nil {
		t.Fatalf("tap もっと見る: %v", err)
	}
	got := eval(`[document.querySelectorAll("#log > li.msg.bot")[2].querySelector("ol.cards").getAttribute("start"), document.activeElement.id]`)
	if want := fmt.Sprint(len(firstTitles) + 1); got[0] != want {
		t.Errorf("more: list starts at %q; want %s", got[0], want)
	}
	if got[1] != "q" {
		t.Errorf("focus after a tap is on %q; want the message box", got[1])
	}

	// Tap 詳しく on the first card of that page: the details view shows the
	// action plan's own wording.
	err = chromedp.Do(ctx,
		chromedp.Click(reply(3, `//article[contains(@class,"card")]//div[contains(@class,"actions")]/button`)),
		chromedp.WaitVisible(reply(4, `//blockquote[contains(@class,"seed")]`)),
		shot("4-details"),
	)
	if err != nil {
		t.Fatalf("tap 詳しく: %v", err)
	}
	if seed := eval(`[document.querySelectorAll("#log > li.msg.bot")[3].querySelector("blockquote.seed").textContent]`); strings.TrimSpace(seed[0]) == "" {
		t.Error("details view shows no seed text")
	}
}
