package admin_test

import (
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportbot/supportbot/internal/admin"
	"github.com/supportbot/supportbot/internal/browsertest"
)

// TestBrowser logs in to the admin page in Chromium, in Japanese and in
// English, and checks it as an audit would: axe-core finds no violation
// (on the login form, the page, the opened tables), the hostile questions
// of the fixture are on the page as text and nowhere as elements or
// attributes (their own <script>, <img onerror>, <svg onload>,
// <foreignObject> and <style>), the period selector and the language
// switch work, and the reload button (with its CSRF token) brings the
// person back to the same page with the outcome. Set SCREENSHOT_DIR to
// keep screenshots.
func TestBrowser(t *testing.T) {
	for _, tc := range []struct {
		browser, lang, other string
		want                 []string
	}{
		{"ja-JP", "ja", "en", []string{"答えられなかった質問", "日ごとの質問と該当なし率", "量子暗号について知りたい"}},
		{"en-US", "en", "ja", []string{"Unanswered questions", "Questions and no-match rate per day", "量子暗号について知りたい"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			ctx := browsertest.Start(t, browsertest.Options{Lang: tc.browser})
			in := &insights{report: reportFixture(t)}
			k := newKnowledge()
			k.next = admin.Reload{Result: "refused", Trigger: "admin", Version: "93ab0c1d2e3f4a5b", Running: "0123456789abcdef", Check: "lint",
				Reason: `initiatives/x.yaml:3: <script>alert("reason")</script>`, At: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)}
			a, err := admin.New(admin.Config{Token: token, Knowledge: k, Insights: in, Now: func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) }})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(a.Handler())
			defer srv.Close()
			// localhost, not 127.0.0.1: browsers keep Secure cookies
			// over plain HTTP to localhost only.
			_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
			base := "http://localhost:" + port

			eval := func(expr string) []string {
				t.Helper()
				v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](expr))
				if err != nil {
					t.Fatalf("evaluate %s: %v", expr, err)
				}
				return v
			}

			err = chromedp.Do(ctx,
				chromedp.EmulateViewport(1280, 900),
				chromedp.Navigate(base+"/admin/"), // sent to the login form
				chromedp.WaitVisible(chromedp.CSS(`#token`)),
			)
			if err != nil {
				t.Fatalf("login form: %v", err)
			}
			browsertest.Audit(t, ctx, "on the login form")
			err = chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.CSS(`#token`), token),
				chromedp.Submit(chromedp.CSS(`#token`)),
				chromedp.WaitVisible(chromedp.CSS(`#h-unanswered`)),
			)
			if err != nil {
				t.Fatalf("log in: %v", err)
			}
			if got := eval(`[document.documentElement.lang]`)[0]; got != tc.lang {
				t.Errorf("page language %q; want %s for a %s browser", got, tc.lang, tc.browser)
			}
			text := eval(`[document.body.innerText]`)[0]
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the page does not say %q", w)
				}
			}
			checkNoInjection(t, eval)
			browsertest.Audit(t, ctx, "on the page")
			if err := chromedp.Do(ctx, browsertest.Shot("admin-"+tc.lang, true)); err != nil {
				t.Fatalf("screenshot: %v", err)
			}

			// Every table behind a chart, open.
			eval(`[...document.querySelectorAll("details")].map(d => { d.open = true; return "" })`)
			browsertest.Audit(t, ctx, "with the tables open")

			// The period selector.
			err = chromedp.Do(ctx,
				chromedp.Click(chromedp.CSS(`nav a[href*="days=30"]`)),
				chromedp.WaitVisible(chromedp.CSS(`nav a[href*="days=30"][aria-current="page"]`)),
			)
			if err != nil {
				t.Fatalf("period 30 days: %v", err)
			}
			if span := in.last(); span[1].Sub(span[0]) != 30*24*time.Hour {
				t.Errorf("after choosing 30 days the report covers %v", span[1].Sub(span[0]))
			}

			// The reload button: refused, the reason shown as text, back on
			// the same period and language.
			err = chromedp.Do(ctx,
				chromedp.Click(chromedp.CSS(`#knowledge form button`)),
				chromedp.WaitVisible(chromedp.CSS(`#h-refused`)),
			)
			if err != nil {
				t.Fatalf("reload: %v", err)
			}
			if got := eval(`[location.search, document.documentElement.lang, document.querySelector("#knowledge pre").textContent]`); got[0] != "?days=30&lang="+tc.lang || got[1] != tc.lang || !strings.Contains(got[2], `<script>alert("reason")</script>`) {
				t.Errorf("after the reload: %q; want the same page, the reason as text", got)
			}
			if k.reloads != 1 {
				t.Errorf("%d reloads; want 1", k.reloads)
			}
			checkNoInjection(t, eval)
			browsertest.Audit(t, ctx, "after a refused reload")

			// The language switch.
			err = chromedp.Do(ctx,
				chromedp.Click(chromedp.CSS(`a.switch`)),
				chromedp.WaitVisible(chromedp.CSS(`html[lang="`+tc.other+`"] #h-unanswered`)),
			)
			if err != nil {
				t.Fatalf("switch to %s: %v", tc.other, err)
			}
			browsertest.Audit(t, ctx, "in the other language")
		})
	}
}

// checkNoInjection looks at the page as the browser built it: only the
// page's own elements, no event handler attribute, every chart an image
// with a name, and the payloads on the page as text.
func checkNoInjection(t *testing.T, eval func(string) []string) {
	t.Helper()
	bad := eval(`[...document.querySelectorAll("script, img, iframe, object, embed, foreignObject, link, base, meta[http-equiv], style:not(head > style)")].map(e => e.outerHTML.slice(0, 120))`)
	for _, b := range bad {
		t.Errorf("the page holds an element it should not: %s", b)
	}
	handlers := eval(`[...document.querySelectorAll("*")].flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name) || a.name === "src" || /^javascript:/i.test(a.value)).map(a => e.tagName + " " + a.name + "=" + a.value))`)
	for _, h := range handlers {
		t.Errorf("the page holds an attribute it should not: %s", h)
	}
	charts := eval(`[...document.querySelectorAll("svg")].map(s => s.getAttribute("role") + "|" + (s.getAttribute("aria-labelledby") || "").split(" ").map(id => (document.getElementById(id) || {}).textContent || "MISSING").join("|"))`)
	if len(charts) < 7 {
		t.Errorf("%d charts; want at least 7", len(charts))
	}
	for _, c := range charts {
		if !strings.HasPrefix(c, "img|") || strings.Contains(c, "MISSING") {
			t.Errorf("chart %s: not an image named by its title and description", c)
		}
	}
	text := eval(`[document.body.textContent]`)[0]
	for _, p := range payloads {
		if !strings.Contains(text, p) && !strings.Contains(text, p[:20]) {
			t.Errorf("the page does not show %q as text", p)
		}
	}
}
