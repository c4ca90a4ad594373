package slack

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/slackevents"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

func TestURLVerification(t *testing.T) {
	h := newHarness(t, nil)
	w := h.event(h.fixture("events/url_verification.json"))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d", w.Code)
	}
	if got, want := w.Body.String(), "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"; got != want {
		t.Errorf("body = %q; want the challenge %q", got, want)
	}
}

func TestAppMentionAnsweredInThread(t *testing.T) {
	for _, tc := range []struct {
		fixture, thread, text string
	}{
		{"events/app_mention.json", "1761955200.000100", "local seminars"},       // a new thread on the mention
		{"events/app_mention_thread.json", "1761955000.000050", "中小企業向けのセミナーは？"}, // inside an existing thread
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			h := newHarness(t, nil)
			if w := h.event(h.fixture(tc.fixture)); w.Code != http.StatusOK {
				t.Fatalf("status = %d; want 200", w.Code)
			}
			h.drain()
			posts := h.api.Calls("chat.postMessage")
			if len(posts) != 1 {
				t.Fatalf("%d chat.postMessage calls; want 1", len(posts))
			}
			p := posts[0]
			if got := p.Form.Get("channel"); got != "C0CHAN001" {
				t.Errorf("channel = %q; want C0CHAN001", got)
			}
			if got := p.Form.Get("thread_ts"); got != tc.thread {
				t.Errorf("thread_ts = %q; want %q", got, tc.thread)
			}
			if p.Auth != "" && !strings.Contains(p.Auth, testBotToken) && p.Form.Get("token") != testBotToken {
				t.Error("chat.postMessage not made with the bot token")
			}
			if len(p.Blocks(t)) == 0 || p.Text() == "" {
				t.Error("no blocks or no fallback text")
			}
			qs := h.bot.asked()
			if len(qs) != 1 || qs[0].Text != tc.text {
				t.Fatalf("bot asked %+v; want one question %q (the mention removed)", qs, tc.text)
			}
			if want := "slack:T0TEAM001:U0USER001:C0CHAN001"; qs[0].Conversation != want || qs[0].Channel != "slack" {
				t.Errorf("question = %+v; want conversation %q, channel slack", qs[0], want)
			}
		})
	}
}

func TestDirectMessageAnsweredInDM(t *testing.T) {
	h := newHarness(t, nil)
	if w := h.event(h.fixture("events/message_im.json")); w.Code != http.StatusOK {
		t.Fatalf("status = %d", w.Code)
	}
	h.drain()
	posts := h.api.Calls("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("%d posts; want 1", len(posts))
	}
	if ch, th := posts[0].Form.Get("channel"), posts[0].Form.Get("thread_ts"); ch != "D0DMCHAN1" || th != "" {
		t.Errorf("posted to %q thread %q; want the DM D0DMCHAN1, no thread", ch, th)
	}
	if qs := h.bot.asked(); len(qs) != 1 || qs[0].Conversation != "slack:T0TEAM001:U0USER001" {
		t.Errorf("questions = %+v; want the person's own conversation (no channel in the key)", qs)
	}
}

func TestIgnoredEvents(t *testing.T) {
	for _, f := range []string{
		"events/bot_message.json",        // another bot
		"events/own_message.json",        // our own reply in the DM
		"events/message_changed.json",    // an edit
		"events/app_mention_edited.json", // an edited mention, answered when first sent
		"events/message_deleted.json",    // a deletion
		"events/unknown_event.json",      // an event type slack-go does not know
		"events/app_rate_limited.json",   // Slack telling us it rate-limits events
	} {
		t.Run(f, func(t *testing.T) {
			h := newHarness(t, nil)
			if w := h.event(h.fixture(f)); w.Code != http.StatusOK {
				t.Errorf("status = %d; want 200 (acknowledged, so Slack does not retry)", w.Code)
			}
			h.drain()
			if calls := h.api.All(); len(calls) != 0 {
				t.Errorf("calls to Slack: %v; want none", slacktest.Ops(calls))
			}
			if qs := h.bot.asked(); len(qs) != 0 {
				t.Errorf("bot asked %d questions; want none", len(qs))
			}
		})
	}
}

func TestMentionFromABotIgnored(t *testing.T) {
	h := newHarness(t, nil)
	body := strings.Replace(string(h.fixture("events/app_mention.json")), `"user": "U0USER001",`, `"user": "U0USER001", "bot_id": "B0OTHER01",`, 1)
	h.event([]byte(body))
	h.drain()
	if n := len(h.api.All()); n != 0 {
		t.Errorf("%d calls for a bot's mention; want 0", n)
	}
}

func TestRetriedEventAnsweredOnce(t *testing.T) {
	h := newHarness(t, nil)
	body := h.fixture("events/app_mention.json")
	if w := h.event(body); w.Code != http.StatusOK {
		t.Fatalf("first delivery: status %d", w.Code)
	}
	for n, reason := range []string{"http_timeout", "http_error"} {
		w := h.event(body, "X-Slack-Retry-Num", string(rune('1'+n)), "X-Slack-Retry-Reason", reason)
		if w.Code != http.StatusOK {
			t.Fatalf("retry %d: status %d; want 200", n+1, w.Code)
		}
	}
	h.drain()
	if posts := h.api.Calls("chat.postMessage"); len(posts) != 1 {
		t.Errorf("%d chat.postMessage calls for one event delivered three times; want 1", len(posts))
	}
	if got := h.counter("supportbot_duplicate_events_total", nil); got != 2 {
		t.Errorf("duplicates counted = %v; want 2", got)
	}
}

func TestAppHomeOpenedPublishesHome(t *testing.T) {
	h := newHarness(t, nil)
	if w := h.event(h.fixture("events/app_home_opened.json")); w.Code != http.StatusOK {
		t.Fatalf("status = %d", w.Code)
	}
	h.drain()
	pubs := h.api.Calls("views.publish")
	if len(pubs) != 1 {
		t.Fatalf("%d views.publish calls; want 1", len(pubs))
	}
	p := pubs[0]
	if p.JSON["user_id"] != "U0USER001" {
		t.Errorf("user_id = %v; want U0USER001", p.JSON["user_id"])
	}
	view, _ := p.JSON["view"].(map[string]any)
	if view["type"] != "home" {
		t.Errorf("view type = %v; want home", view["type"])
	}
	raw, _ := json.Marshal(view["blocks"])
	for _, want := range []string{"sb1:category:regional", "/support", "サイバーセキュリティ支援制度の案内"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("home view lacks %q", want)
		}
	}
	if !strings.HasPrefix(p.Auth, "Bearer "+testBotToken) {
		t.Error("views.publish not authorised with the bot token")
	}
	if qs := h.bot.asked(); len(qs) != 1 || qs[0].Action == nil || qs[0].Action.Kind != bot.ActionHelp {
		t.Errorf("bot asked %+v; want the help action", qs)
	}
}

func TestAnswerFailureIsLoggedNotPosted(t *testing.T) {
	h := newHarness(t, nil)
	h.bot.answer = func(ctx context.Context, q bot.Question) (bot.Answer, error) { return bot.Answer{}, context.Canceled }
	h.event(h.fixture("events/message_im.json"))
	h.drain()
	if n := len(h.api.All()); n != 0 {
		t.Errorf("%d calls after the bot failed; want 0", n)
	}
	if got := h.counter("supportbot_outbound_failures_total", map[string]string{"reason": "answer"}); got != 1 {
		t.Errorf("failures{answer} = %v; want 1", got)
	}
}

// TestLogsHoldNoIDsOrText runs the flows and reads every log line above
// debug: no raw Slack id, token, secret or message text may appear.
func TestLogsHoldNoIDsOrText(t *testing.T) {
	h := newHarness(t, nil)
	h.event(h.fixture("events/app_mention.json"))
	h.event(h.fixture("events/message_im.json"))
	h.event(h.fixture("events/app_mention.json"), "X-Slack-Retry-Num", "1")
	h.command(h.fixture("commands/support.form"))
	h.interaction(h.fixture("interactions/block_actions.json"))
	h.api.FailWith(func(op string, n int) (int, http.Header, string) { return http.StatusInternalServerError, nil, "" })
	h.event(h.fixture("events/app_home_opened.json"))
	h.drain()
	lines := h.logs.lines(t, slog.LevelInfo)
	if len(lines) == 0 {
		t.Fatal("no log lines at info or above")
	}
	for _, l := range lines {
		raw, _ := json.Marshal(l)
		for _, secret := range []string{
			"U0USER001", "U0USER002", "T0TEAM001", "C0CHAN001", "D0DMCHAN1", "U0BOT0001", "Ev0MENTION01",
			testBotToken, testSecret, "local seminars", "中小企業向けの支援", "助成金", "hooks/commands",
		} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("log line holds %q: %s", secret, raw)
			}
		}
	}
}

func TestPlanEvent(t *testing.T) {
	h := newHarness(t, nil)
	mention := string(h.fixture("events/app_mention.json"))
	for _, tc := range []struct {
		name string
		body string
		ok   bool
	}{
		{"mention", mention, true},
		{"mention in a DM (message.im answers it)", strings.Replace(mention, `"channel": "C0CHAN001"`, `"channel": "D0DMCHAN1"`, 1), false},
		{"mention by ourselves", strings.Replace(mention, `"user": "U0USER001"`, `"user": "U0BOT0001"`, 1), false},
		{"no team", strings.Replace(mention, `"team_id": "T0TEAM001",`, ``, 1), false},
		{"user that is not an id", strings.Replace(mention, `"user": "U0USER001"`, `"user": "U0USER001:C0"`, 1), false},
		{"home tab", string(h.fixture("events/app_home_opened.json")), true},
		{"messages tab opened", strings.Replace(string(h.fixture("events/app_home_opened.json")), `"tab": "home"`, `"tab": "messages"`, 1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := slackevents.ParseEvent([]byte(tc.body), slackevents.OptionNoVerifyToken())
			if err != nil {
				t.Fatal(err)
			}
			w, ok := planEvent(ev, "")
			if ok != tc.ok {
				t.Fatalf("planEvent ok = %v; want %v (%+v)", ok, tc.ok, w)
			}
			if ok && w.key != "slack:event:"+ev.Data.(*slackevents.EventsAPICallbackEvent).EventID {
				t.Errorf("key = %q; want the event_id", w.key)
			}
		})
	}
}

// TestEventAcknowledgedBeforeAnswer: a slow answer does not hold the
// acknowledgement Slack waits three seconds for.
func TestEventAcknowledgedBeforeAnswer(t *testing.T) {
	h := newHarness(t, nil)
	release := make(chan struct{})
	h.bot.answer = func(ctx context.Context, q bot.Question) (bot.Answer, error) {
		<-release
		return sampleProgrammes(), nil
	}
	start := time.Now()
	w := h.event(h.fixture("events/app_mention.json"))
	if took := time.Since(start); w.Code != http.StatusOK || took > ackDeadline/10 {
		t.Errorf("acknowledged %d after %v; want 200 at once", w.Code, took)
	}
	if n := len(h.api.All()); n != 0 {
		t.Errorf("%d calls before the answer was ready", n)
	}
	close(release)
	h.api.WaitFor(t, "chat.postMessage", 1)
}

// TestMessageSubtypes: the subtypes of a DM that are a person's words are
// answered (a file_share with its text, saying files are not read; a file
// alone gets the hint to write; a thread_broadcast in its thread); joins,
// edits, deletions and bots are not. Payloads are shaped like Slack's
// documentation of each subtype (api.slack.com/events/message/…).
func TestMessageSubtypes(t *testing.T) {
	for _, tc := range []struct {
		fixture     string
		answered    bool
		thread      string
		attachments int
		text        string
	}{
		{"events/message_im_file_share.json", true, "", 1, "このメール、フィッシングですか？"},
		{"events/message_im_file_only.json", true, "", 1, ""},
		{"events/message_im_thread_broadcast.json", true, "1761955300.000200", 0, "学校向けの出前講座はありますか"},
		{"events/message_channel_join.json", false, "", 0, ""},
		{"events/message_changed.json", false, "", 0, ""},
		{"events/message_deleted.json", false, "", 0, ""},
		{"events/bot_message.json", false, "", 0, ""},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			h := newHarness(t, nil)
			if w := h.event(h.fixture(tc.fixture)); w.Code != http.StatusOK {
				t.Fatalf("status = %d; want 200", w.Code)
			}
			h.drain()
			qs := h.bot.asked()
			if !tc.answered {
				if len(qs) != 0 || len(h.api.All()) != 0 {
					t.Errorf("asked %d questions, %d calls to Slack; want none", len(qs), len(h.api.All()))
				}
				return
			}
			if len(qs) != 1 || qs[0].Text != tc.text || qs[0].Attachments != tc.attachments {
				t.Fatalf("questions = %+v; want one with text %q and %d attachments", qs, tc.text, tc.attachments)
			}
			posts := h.api.Calls("chat.postMessage")
			if len(posts) != 1 || posts[0].Form.Get("thread_ts") != tc.thread {
				t.Errorf("posts = %v; want one in thread %q", slacktest.Ops(posts), tc.thread)
			}
		})
	}
}

// TestFileShareRealBot: the real bot answers the text of a DM with a
// screenshot, and says it does not read the file.
func TestFileShareRealBot(t *testing.T) {
	h := newHarness(t, realBot(t))
	h.event(h.fixture("events/message_im_file_share.json"))
	h.drain()
	posts := h.api.Calls("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("%d posts; want 1", len(posts))
	}
	if text := posts[0].Text(); !strings.Contains(text, "読めない") {
		t.Errorf("answer %q; want it to say the file is not read", text)
	}
	if len(posts[0].Blocks(t)) < 2 {
		t.Errorf("answer has %d blocks; want the answer to the text as well", len(posts[0].Blocks(t)))
	}
}

// TestUnreadablePayloads: a signed event or interaction that slack-go
// cannot read is acknowledged, counted and logged at WARN once a minute
// per type, without the message text.
func TestUnreadablePayloads(t *testing.T) {
	h := newHarness(t, nil)
	body := h.fixture("events/message_im_unreadable.json")
	for range 3 {
		if w := h.event(body); w.Code != http.StatusOK {
			t.Fatalf("status = %d; want 200 (acknowledged, so Slack does not retry)", w.Code)
		}
	}
	bad := []byte(`{"type":"block_actions","user":{"id":"U0USER001"},"actions":"not a list"}`)
	if w := h.interaction(bad); w.Code != http.StatusOK {
		t.Errorf("unreadable interaction: status = %d; want 200", w.Code)
	}
	h.drain()
	if n := h.counter("supportbot_unreadable_total", map[string]string{"kind": "event", "type": "message"}); n != 3 {
		t.Errorf("unreadable events counted = %v; want 3", n)
	}
	if n := h.counter("supportbot_unreadable_total", map[string]string{"kind": "interaction", "type": "block_actions"}); n != 1 {
		t.Errorf("unreadable interactions counted = %v; want 1", n)
	}
	logs := h.logs.String()
	if n := strings.Count(logs, `"type":"message"`); n != 1 {
		t.Errorf("%d log lines for the unreadable event type; want 1 (once a minute):\n%s", n, logs)
	}
	if !strings.Contains(logs, `"level":"WARN"`) || strings.Contains(logs, "中小企業") {
		t.Errorf("want a WARN line without the message text:\n%s", logs)
	}
	if calls := h.api.All(); len(calls) != 0 {
		t.Errorf("calls to Slack: %v; want none", slacktest.Ops(calls))
	}
}
