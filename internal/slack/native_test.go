package slack

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
	"github.com/supportbot/supportbot/internal/work"
)

// TestHomeInUsersLocale: the Home tab of a person whose Slack is in
// English is in English, from users.info with include_locale, asked
// once; a question in Japanese is answered in Japanese without asking.
func TestHomeInUsersLocale(t *testing.T) {
	h := newHarness(t, realBot(t))
	h.api.SetUser(slacktest.User{ID: slacktest.UserID, TeamID: slacktest.TeamID, Name: "alex", Locale: "en-US"})
	h.event(h.fixture("events/app_home_opened.json"))
	again := strings.ReplaceAll(string(h.fixture("events/app_home_opened.json")), "Ev0HOME0001", "Ev0HOME0002")
	h.event([]byte(again))
	other := slacktest.DirectMessage(slacktest.DMChannelID, "U0OTHER01", "中小企業向けの支援")
	h.api.SetUser(slacktest.User{ID: "U0OTHER01", TeamID: slacktest.TeamID, Name: "sam", Locale: "en-US"})
	h.event(other.Body())
	h.drain()
	views := h.api.Calls("views.publish")
	if len(views) != 2 {
		t.Fatalf("%d views.publish; want 2", len(views))
	}
	for _, v := range views {
		header := v.Blocks(t)[0].(map[string]any)["text"].(map[string]any)["text"]
		if header != wHomeTitle.en {
			t.Errorf("Home header %q; want English %q", header, wHomeTitle.en)
		}
	}
	infos := h.api.Calls("users.info")
	if len(infos) != 1 || infos[0].Form.Get("user") != slacktest.UserID || infos[0].Form.Get("include_locale") != "true" {
		t.Errorf("users.info calls %v; want one for %s with include_locale=true", infos, slacktest.UserID)
	}
	posts := h.api.Calls("chat.postMessage")
	if len(posts) != 1 || !strings.Contains(posts[0].Text(), "件") {
		t.Errorf("answer to a Japanese DM %v; want it in Japanese", posts)
	}
}

// TestSupportCommandInUsersLocale: a bare "/support" shows the help in
// the person's Slack language.
func TestSupportCommandInUsersLocale(t *testing.T) {
	h := newHarness(t, realBot(t))
	h.api.SetUser(slacktest.User{ID: slacktest.UserID, TeamID: slacktest.TeamID, Name: "alex", Locale: "en-GB"})
	w := h.command(slacktest.SlashCommand("/support", "", h.api.ResponseURL("bare")).Body())
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	_, text, _ := reply(t, w.Body.String())
	if !strings.HasPrefix(text, "How to ask") {
		t.Errorf("/support = %.60q; want the English help", text)
	}
}

// TestRateLimitNotice: a person over their rate limit is told so once,
// only to them, where they asked, in their language; the rest of the
// burst is counted only.
func TestRateLimitNotice(t *testing.T) {
	lim := ratelimit.New(0.0001, 1, 100, nil)
	h := newHarness(t, realBot(t), func(c *Config) { c.Limiter = lim })
	for i, text := range []string{"support for small businesses", "more", "menu"} {
		dm := slacktest.DirectMessage(slacktest.DMChannelID, slacktest.UserID, text)
		if w := h.event(dm.Body()); w.Code != http.StatusOK {
			t.Fatalf("message %d: status %d", i, w.Code)
		}
	}
	h.drain()
	if posts := h.api.Calls("chat.postMessage"); len(posts) != 1 {
		t.Errorf("%d posts; want 1 (the first question)", len(posts))
	}
	notices := h.api.Calls("chat.postEphemeral")
	if len(notices) != 1 {
		t.Fatalf("%d ephemeral notices; want 1 for the burst", len(notices))
	}
	n := notices[0]
	if n.Form.Get("channel") != slacktest.DMChannelID || n.Form.Get("user") != slacktest.UserID || !strings.Contains(n.Form.Get("text"), "faster than I can answer") {
		t.Errorf("notice %v; want an English notice to %s in %s", n.Form, slacktest.UserID, slacktest.DMChannelID)
	}
	if got := h.counter("supportbot_backpressure_total", map[string]string{"limit": "rate_limit"}); got != 2 {
		t.Errorf("backpressure{rate_limit} = %v; want 2", got)
	}
	if got := h.counter("supportbot_notices_total", map[string]string{"reason": "rate_limit"}); got != 1 {
		t.Errorf("notices{rate_limit} = %v; want 1", got)
	}
}

// TestOverloadAcknowledges: with the work queue full an event is still
// acknowledged with 200 (Slack turns off the subscriptions of an app that
// fails 95 % of deliveries in an hour): it waits in the overflow queue
// and is answered once the queue drains; past the overflow it is shed,
// counted, and the person is told, only to them, to ask again.
func TestOverloadAcknowledges(t *testing.T) {
	h := newHarness(t, nil)
	pool := work.New(1, 1, nil, work.Overflow(1))
	h.a.pool = pool
	release := make(chan struct{})
	started := make(chan struct{})
	var once sync.Once
	_ = pool.Submit(func(context.Context) { once.Do(func() { close(started) }); <-release })
	<-started
	_ = pool.Submit(func(context.Context) { <-release })

	waits := slacktest.Mention(slacktest.ChannelID, slacktest.UserID, "<@U0BOT0001> local seminars")
	shed := slacktest.Mention(slacktest.ChannelID, "U0OTHER01", "<@U0BOT0001> CTF")
	for _, c := range []slacktest.Callback{waits, shed} {
		if w := h.event(c.Body()); w.Code != http.StatusOK {
			t.Fatalf("status with a full queue = %d; want 200", w.Code)
		}
	}
	close(release)
	if err := pool.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.a.notify.wg.Wait()
	posts := h.api.Calls("chat.postMessage")
	if len(posts) != 1 || posts[0].Form.Get("thread_ts") != waits.Event.TS {
		t.Errorf("posts %v; want the deferred mention answered in its thread", posts)
	}
	notices := h.api.Calls("chat.postEphemeral")
	if len(notices) != 1 || notices[0].Form.Get("user") != "U0OTHER01" || notices[0].Form.Get("thread_ts") != shed.Event.TS {
		t.Fatalf("ephemeral notices %v; want one to the shed mention's author, in its thread", notices)
	}
	if text := notices[0].Form.Get("text"); !strings.Contains(text, wBusyLater.ja) || !strings.Contains(text, wBusyLater.en) {
		t.Errorf("busy notice %q; want both languages (the person's is not known)", text)
	}
	for name, want := range map[string]float64{"supportbot_deferred_total": 1, "supportbot_notices_total": 1} {
		if got := h.counter(name, nil); got != want {
			t.Errorf("%s = %v; want %v", name, got, want)
		}
	}
	if got := h.counter("supportbot_backpressure_total", map[string]string{"limit": "shed"}); got != 1 {
		t.Errorf("backpressure{shed} = %v; want 1", got)
	}
	// Shutting down still refuses, so Slack retries elsewhere.
	if w := h.event(slacktest.Mention(slacktest.ChannelID, slacktest.UserID, "<@U0BOT0001> again").Body()); w.Code != http.StatusServiceUnavailable {
		t.Errorf("status while shutting down = %d; want 503", w.Code)
	}
}

// TestRejectedBlocksFallBack: Slack refusing an answer's blocks gets the
// same answer as text alone, once, counted as a fallback, not a failure.
func TestRejectedBlocksFallBack(t *testing.T) {
	for _, code := range []string{"invalid_blocks", "msg_blocks_too_long"} {
		t.Run(code, func(t *testing.T) {
			h := newHarness(t, nil)
			h.api.RejectBlocks(code)
			h.event(h.fixture("events/app_mention.json"))
			h.drain()
			posts := h.api.Calls("chat.postMessage")
			if len(posts) != 2 {
				t.Fatalf("%d posts; want the rich one and the text fallback", len(posts))
			}
			first, plain := posts[0], posts[1]
			if plain.Form.Has("blocks") || plain.Text() != first.Text() || plain.Text() == "" || plain.Form.Get("thread_ts") != first.Form.Get("thread_ts") {
				t.Errorf("fallback %v; want the same text in the same thread, without blocks", plain.Form)
			}
			if got := h.counter("supportbot_outbound_calls_total", map[string]string{"op": "chat.postMessage", "outcome": "fallback"}); got != 1 {
				t.Errorf("outbound{fallback} = %v; want 1", got)
			}
			if got := h.counter("supportbot_outbound_failures_total", nil); got != 0 {
				t.Errorf("failures = %v; want 0", got)
			}
		})
	}
}

// TestBlocksTextBudget: an answer whose cards would pass Slack's
// undocumented limit of about 13,000 characters across a message's
// blocks keeps to 12,000, leaving cards out with a note; the fallback
// text still lists them all.
func TestBlocksTextBudget(t *testing.T) {
	a := sampleProgrammes()
	long := strings.Repeat("説明", 1400) // 2,800 characters, within a section's 3,000
	var cards []bot.Card
	for i := range 5 {
		c := a.Cards[0]
		c.ID, c.Title, c.Summary = "p"+string(rune('a'+i)), "Programme "+string(rune('A'+i)), long
		cards = append(cards, c)
	}
	a.Cards, a.Total = cards, 5
	m := render(a, renderOptions{})
	if n := blocksText(m.Blocks); n > maxBlocksText {
		t.Errorf("blocks carry %d characters; want at most %d", n, maxBlocksText)
	}
	if !strings.Contains(rawJSON(m.Blocks), "did not fit") && !strings.Contains(rawJSON(m.Blocks), "表示しきれません") {
		t.Error("no note that cards were left out")
	}
	for _, c := range cards {
		if !strings.Contains(m.Text, c.Title) {
			t.Errorf("fallback text lacks %q", c.Title)
		}
	}
}
