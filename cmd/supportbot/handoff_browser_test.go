package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportbot/supportbot/internal/browsertest"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// TestHandoffWeb walks the web path of issue 13 in Chromium, as a person
// would: ask → no match → 「相談員に聞く」 → consent → ticket in Slack →
// Take → the staff's reply arrives on the page (Server-Sent Events) → the
// person answers → in the thread → a reload resumes the stream without
// showing anything twice → 「終了」 → both told → 👍. axe-core finds no
// violation at each step. SCREENSHOT_DIR keeps screenshots.
func TestHandoffWeb(t *testing.T) {
	ctx := browsertest.Start(t, browsertest.Options{Lang: "ja-JP", Timeout: 120 * time.Second})
	r := newRig(t, nil)
	in := startRun(t, []string{"serve"}, r.env)

	shot := func(name string) chromedp.Action[chromedp.Void] { return browsertest.Shot("handoff-"+name, false) }
	// bot is an XPath below the n-th message of the bot (staff messages
	// included), the first match only.
	bot := func(n int, below string) chromedp.Search {
		return chromedp.Search(fmt.Sprintf(`((//ol[@id="log"]/li[contains(@class,"bot")])[%d]%s)[1]`, n, below))
	}
	staffMsg := func(text string) chromedp.Search {
		return chromedp.Search(fmt.Sprintf(`//ol[@id="log"]/li[contains(@class,"staff")]/p[contains(@class,"text")][contains(., %q)]`, text))
	}
	eval := func(expr string) []string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	audit := func(when string) {
		t.Helper()
		browsertest.Audit(t, ctx, when)
	}
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, append(actions, shot(name))...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}

	step("1-no-match",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(in.URL),
		chromedp.WaitVisible(bot(1, `//div[contains(@class,"chips")]/button`)),
		chromedp.SendKeys(chromedp.ID("q"), "隣の家の犬がうるさくて眠れない"),
		chromedp.Click(chromedp.ID("send")),
		chromedp.WaitVisible(bot(2, `//div[contains(@class,"chips")]/button[normalize-space()="相談員に聞く"]`)),
	)
	audit("after no match")
	step("2-consent",
		chromedp.Click(bot(2, `//div[contains(@class,"chips")]/button[normalize-space()="相談員に聞く"]`)),
		chromedp.WaitVisible(bot(3, `//div[contains(@class,"chips")]/button[normalize-space()="同意して相談する"]`)),
	)
	if text := eval(`[document.querySelectorAll("#log > li.msg.bot")[2].querySelector("p.text").textContent]`)[0]; !strings.Contains(text, "お名前やアカウントのIDは伝わりません") {
		t.Errorf("consent says %q; want what is shared and what is not", text)
	}
	audit("at the consent")
	step("3-opened",
		chromedp.Click(bot(3, `//div[contains(@class,"chips")]/button[normalize-space()="同意して相談する"]`)),
		chromedp.WaitVisible(bot(4, `/p[contains(@class,"text")][contains(., "受付番号 1")]`)),
	)
	ticket := r.ticket(t, 1)
	if !strings.Contains(ticket.Form.Get("blocks"), "Web chat") || !strings.Contains(ticket.Form.Get("blocks"), "隣の家の犬がうるさくて眠れない") {
		t.Errorf("web ticket blocks lack the channel or the question:\n%s", ticket.Form.Get("blocks"))
	}
	thread := ticket.TS

	// Take, then a staff reply: both reach the page through the stream.
	r.sendSlack(t, in, "/slack/interactions", slacktest.ClickOn(handoffChannel, thread, staffUser, "sb-ho-take", "1", r.slack.ResponseURL("take")).Body())
	r.sendSlack(t, in, "/slack/events", slacktest.ThreadReply(handoffChannel, staffUser, thread, "ご相談ありがとうございます。まず自治体の窓口へ。").Body())
	step("4-staff-reply",
		chromedp.WaitVisible(staffMsg("担当になりました")),
		chromedp.WaitVisible(staffMsg("まず自治体の窓口へ")),
	)
	audit("after the staff's reply")

	// The person answers: marked sent, and it reaches the thread.
	step("5-sent",
		chromedp.SendKeys(chromedp.ID("q"), "連絡してみます"),
		chromedp.Click(chromedp.ID("send")),
		chromedp.WaitVisible(chromedp.Search(`//li[contains(@class,"me")]/span[contains(@class,"sent")][normalize-space()="相談員に送りました"]`)),
	)
	r.thread(t, thread, "連絡してみます")
	if got := eval(`[document.activeElement.id]`)[0]; got != "q" {
		t.Errorf("focus after sending to the staff is on %q; want the message box", got)
	}

	// A reload resumes the stream after the last message shown: nothing
	// twice, and a new reply arrives.
	step("6-reload",
		chromedp.Reload(),
		chromedp.WaitVisible(bot(1, `/p[contains(@class,"text")][contains(., "やりとり中です（受付番号 1）")]`)),
	)
	r.sendSlack(t, in, "/slack/events", slacktest.ThreadReply(handoffChannel, staffUser, thread, "ほかにご不明な点はありますか").Body())
	step("7-resumed", chromedp.WaitVisible(staffMsg("ほかにご不明な点はありますか")))
	if n := eval(`[String(document.querySelectorAll("#log > li.msg.staff").length)]`)[0]; n != "1" {
		t.Errorf("after the reload the page shows %s messages of the staff; want only the new one", n)
	}

	// 「終了」: the person is told and asked to rate; the staff are told.
	step("8-ended",
		chromedp.SendKeys(chromedp.ID("q"), "終了"),
		chromedp.Click(chromedp.ID("send")),
		chromedp.WaitVisible(chromedp.Search(`(//ol[@id="log"]/li[contains(@class,"bot")])[last()]//div[contains(@class,"chips")]/button[contains(normalize-space(),"役に立った")][not(contains(normalize-space(),"なかった"))]`)),
	)
	r.thread(t, thread, "The person ended the chat")
	audit("after the end")
	step("9-rated",
		chromedp.Click(chromedp.Search(`(//ol[@id="log"]/li[contains(@class,"bot")])[last()]//div[contains(@class,"chips")]/button[contains(normalize-space(),"役に立った")][not(contains(normalize-space(),"なかった"))]`)),
		chromedp.WaitVisible(chromedp.Search(`(//ol[@id="log"]/li[contains(@class,"bot")])[last()]/p[contains(@class,"text")][contains(., "ご評価ありがとうございます")]`)),
	)
	r.thread(t, thread, "👍")
	if text := eval(`[document.getElementById("log").innerText]`)[0]; strings.Contains(text, "null") || strings.Contains(text, "undefined") {
		t.Errorf("the chat shows null or undefined:\n%s", text)
	}
}
