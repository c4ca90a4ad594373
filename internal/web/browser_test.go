package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/browsertest"
	"github.com/supportbot/supportbot/internal/questionlog"
	"github.com/supportbot/supportbot/internal/server"
	"github.com/supportbot/supportbot/internal/sqlite"
	"github.com/supportbot/supportbot/internal/web"
)

// TestBrowser drives Debian's Chromium through the web chat as a person
// on a phone would: ask, read the cards, tap quick replies. Set
// SCREENSHOT_DIR to keep screenshots of each step.
func TestBrowser(t *testing.T) {
	ctx := browsertest.Start(t, browsertest.Options{Lang: "ja-JP"})
	chat := newChat(t, web.Config{Deps: adapter.Deps{Bot: loggedBot(t)}})
	srv := httptest.NewServer(server.NewServer(server.Deps{Handlers: server.Handlers{Page: chat.Page(), Static: chat.Static(), Chat: chat.Chat()}}))
	defer srv.Close()

	shot := func(name string) chromedp.Action[chromedp.Void] { return browsertest.Shot(name, false) }
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

	// audit runs axe-core (WCAG 2.1 A and AA, and axe's best practices)
	// over the page as it is now, and fails on any violation.
	audit := func(when string) { t.Helper(); browsertest.Audit(t, ctx, when) }

	// The greeting arrives by itself, in Japanese for a Japanese browser.
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(reply(1, `//div[contains(@class,"chips")]/button`)),
		shot("1-greeting"),
	)
	if err != nil {
		t.Fatalf("greeting: %v", err)
	}
	audit("after the greeting")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("q"), "中小企業向けの支援"),
		chromedp.Click(chromedp.ID("send")),
		chromedp.WaitVisible(reply(2, `//article[contains(@class,"card")]//h2`)),
		shot("2-cards"),
	)
	if err != nil {
		t.Fatalf("ask: %v", err)
	}
	audit("after an answer")
	if got := eval(`[document.activeElement.id]`)[0]; got != "q" {
		t.Errorf("focus after an answer is on %q; want the message box", got)
	}
	keyboard(t, ctx, eval)
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
	audit("after details")
	if seed := eval(`[document.querySelectorAll("#log > li.msg.bot")[3].querySelector("blockquote.seed").textContent]`); strings.TrimSpace(seed[0]) == "" {
		t.Error("details view shows no seed text")
	}

	// Rate the details: 👎 gets the contact points and the menu, and is
	// shown pressed; 👍 then changes the vote.
	group := eval(`(() => { const g = document.querySelectorAll("#log > li.msg.bot")[3].querySelector(".feedback[role=group]");
		return g ? [document.getElementById(g.getAttribute("aria-labelledby")).textContent,
			...[...g.querySelectorAll("button")].map(b => b.textContent + "|" + b.getAttribute("aria-pressed") + "|" + b.type)] : []; })()`)
	if want := []string{"この回答は役に立ちましたか？", "👍 役に立った|false|button", "👎 役に立たなかった|false|button"}; strings.Join(group, "\n") != strings.Join(want, "\n") {
		t.Errorf("feedback group = %q; want %q", group, want)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(reply(4, `//div[contains(@class,"feedback")]/button[contains(normalize-space(),"役に立たなかった")]`)),
		chromedp.WaitVisible(reply(5, `//section[contains(@class,"contacts")]`)),
		shot("5-not-helpful"),
	)
	if err != nil {
		t.Fatalf("tap 👎: %v", err)
	}
	pressed := `[...document.querySelectorAll("#log > li.msg.bot")[3].querySelectorAll(".feedback button")].map(b => b.getAttribute("aria-pressed"))`
	if got := eval(pressed); strings.Join(got, ",") != "false,true" {
		t.Errorf("after 👎: aria-pressed %v; want false,true", got)
	}
	if said := eval(`[...document.querySelectorAll("#log > li.msg.me")].map(e => e.textContent)`); said[len(said)-1] != "👎 役に立たなかった" {
		t.Errorf("the chat shows the tap as %q; want 👎 役に立たなかった", said[len(said)-1])
	}
	err = chromedp.Do(ctx,
		chromedp.Click(reply(4, `//div[contains(@class,"feedback")]/button[contains(normalize-space(),"役に立った")][not(contains(normalize-space(),"なかった"))]`)),
		chromedp.WaitVisible(reply(6, `/p[contains(@class,"text")]`)),
	)
	if err != nil {
		t.Fatalf("tap 👍: %v", err)
	}
	if got := eval(pressed); strings.Join(got, ",") != "true,false" {
		t.Errorf("after 👍: aria-pressed %v; want true,false", got)
	}
	if text := eval(`[document.querySelectorAll("#log > li.msg.bot")[5].querySelector("p.text").textContent]`)[0]; !strings.Contains(text, "ありがとう") {
		t.Errorf("reply to 👍 = %q; want thanks", text)
	}
}

// loggedBot is the engine behind the question log on a throwaway SQLite
// file, as serve wires it: answers carry ids and 👍/👎.
func loggedBot(t *testing.T) bot.Answerer {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l, err := questionlog.New(questionlog.Config{Store: sqlite.NewQuestionLog(db), Secrets: db})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Ready(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = l.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return l.Wrap(newBot(t))
}

// keyboard walks the page with the Tab key from the top, as a person
// without a mouse would, until the message box: every quick reply and
// card button must be reached, each showing a visible focus ring.
func keyboard(t *testing.T, ctx context.Context, eval func(string) []string) {
	t.Helper()
	// Start from the top of the page: its first focusable element, the
	// skip link.
	eval(`[document.querySelector("a.skip").focus(), ""]`)
	reached := false
	for range 200 {
		if _, err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatalf("press Tab: %v", err)
		}
		f := eval(`(() => { const e = document.activeElement; e.dataset.tabbed = "1"; const cs = getComputedStyle(e);
			return [e.id, e.tagName, cs.outlineStyle, cs.outlineWidth]; })()`)
		if f[1] == "BUTTON" && (f[2] == "none" || f[3] == "0px") {
			t.Errorf("a focused button shows no focus ring (outline %s %s)", f[2], f[3])
		}
		if f[0] == "q" {
			reached = true
			break
		}
	}
	if !reached {
		t.Fatal("Tab never reached the message box")
	}
	missed := eval(`[...document.querySelectorAll("#log button")].filter(b => !b.dataset.tabbed).map(b => b.textContent)`)
	if len(missed) > 0 {
		t.Errorf("buttons not reachable with Tab: %q", missed)
	}
}
