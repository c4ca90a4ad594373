package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/ratelimit"
)

// reply decodes a slash command's immediate response.
func reply(t *testing.T, body string) (typ, text string, blocks []map[string]any) {
	t.Helper()
	var r struct {
		ResponseType string           `json:"response_type"`
		Text         string           `json:"text"`
		Blocks       []map[string]any `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("response %q: %v", body, err)
	}
	return r.ResponseType, r.Text, r.Blocks
}

func TestCommandQuickAnswerIsEphemeralWithShare(t *testing.T) {
	h := newHarness(t, nil)
	w := h.command(h.fixture("commands/support.form"))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	typ, text, blocks := reply(t, w.Body.String())
	if typ != "ephemeral" || text == "" || len(blocks) == 0 {
		t.Fatalf("reply = %q %q %d blocks; want an ephemeral answer with blocks and text", typ, text, len(blocks))
	}
	for _, p := range checkJSONBlocks(blocks, maxMessageBlocks) {
		t.Error(p)
	}
	raw, _ := json.Marshal(blocks)
	if !strings.Contains(string(raw), `"sbshare1:sb1:ask:助成金"`) {
		t.Errorf("no share button asking 助成金 again in %s", raw)
	}
	qs := h.bot.asked()
	if len(qs) != 1 || qs[0].Text != "助成金" || qs[0].Conversation != "slack:T0TEAM001:U0USER001:C0CHAN001" {
		t.Errorf("questions = %+v", qs)
	}
	h.drain()
	if n := len(h.api.All()); n != 0 {
		t.Errorf("%d calls to Slack; the answer was in the response", n)
	}
}

func TestCommandHelpShowsCategories(t *testing.T) {
	for _, text := range []string{"help", "", "ヘルプ", "HELP"} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t, nil)
			w := h.command(withForm(t, h.fixture("commands/support_help.form"), "text", text))
			typ, _, blocks := reply(t, w.Body.String())
			if typ != "ephemeral" {
				t.Errorf("response_type = %q", typ)
			}
			raw, _ := json.Marshal(blocks)
			for _, c := range []string{"sme", "youth", "talent", "regional"} {
				if !strings.Contains(string(raw), "sb1:category:"+c) {
					t.Errorf("no button for category %s", c)
				}
			}
			if strings.Contains(string(raw), "sbshare1:") {
				t.Error("help offers to share itself")
			}
			qs := h.bot.asked()
			if len(qs) != 1 || qs[0].Action == nil || qs[0].Action.Kind != bot.ActionHelp {
				t.Errorf("questions = %+v; want the help action", qs)
			}
		})
	}
}

func TestCommandSlowAnswerGoesToResponseURL(t *testing.T) {
	h := newHarness(t, nil)
	h.a.quick = 20 * time.Millisecond
	release := make(chan struct{})
	h.bot.answer = func(ctx context.Context, q bot.Question) (bot.Answer, error) {
		<-release
		return sampleProgrammes(), nil
	}
	start := time.Now()
	w := h.command(h.fixture("commands/support.form"))
	if took := time.Since(start); took > time.Second {
		t.Errorf("acknowledged after %v; want about the quick-reply budget", took)
	}
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("ack = %d %q; want an empty 200", w.Code, w.Body)
	}
	close(release)
	h.drain()
	hooks := h.api.Calls("response_url")
	if len(hooks) != 1 {
		t.Fatalf("%d response_url posts; want 1", len(hooks))
	}
	c := hooks[0]
	if c.Path != "/hooks/commands/T0TEAM001/support" {
		t.Errorf("posted to %q", c.Path)
	}
	if c.JSON["response_type"] != "ephemeral" || c.JSON["replace_original"] != false {
		t.Errorf("response_type = %v, replace_original = %v; want a new ephemeral message", c.JSON["response_type"], c.JSON["replace_original"])
	}
	if len(c.Blocks(t)) == 0 || c.Text() == "" {
		t.Error("no blocks or text")
	}
}

func TestCommandBusyAndRateLimited(t *testing.T) {
	h := newHarness(t, nil)
	h.drain() // a closed pool refuses every job
	w := h.command(h.fixture("commands/support.form"))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d; want 200 with a message, not an error the person cannot read", w.Code)
	}
	if typ, text, _ := reply(t, w.Body.String()); typ != "ephemeral" || !strings.Contains(text, "混み合って") {
		t.Errorf("reply = %q %q; want the busy message", typ, text)
	}

	h = newHarness(t, nil, func(c *Config) { c.Limiter = ratelimit.New(0.0001, 1, 10, nil) })
	h.command(h.fixture("commands/support.form"))
	w = h.command(withForm(t, h.fixture("commands/support.form"), "trigger_id", "another.trigger"))
	if typ, text, _ := reply(t, w.Body.String()); typ != "ephemeral" || !strings.Contains(text, "wait a moment") {
		t.Errorf("reply = %q %q; want the slow-down message", typ, text)
	}
	if n := len(h.bot.asked()); n != 1 {
		t.Errorf("bot asked %d times; want 1", n)
	}
}

func TestCommandRepeatedTriggerAnsweredOnce(t *testing.T) {
	h := newHarness(t, nil)
	body := h.fixture("commands/support.form")
	first := h.command(body)
	second := h.command(body)
	if first.Body.Len() == 0 {
		t.Error("first request got no answer")
	}
	if second.Code != http.StatusOK || second.Body.Len() != 0 {
		t.Errorf("replayed request = %d %q; want an empty 200", second.Code, second.Body)
	}
	if n := len(h.bot.asked()); n != 1 {
		t.Errorf("bot asked %d times; want 1", n)
	}
}

func TestCommandSSLCheck(t *testing.T) {
	h := newHarness(t, nil)
	w := h.command(h.fixture("commands/ssl_check.form"))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Errorf("ssl_check = %d %q; want an empty 200", w.Code, w.Body)
	}
	if n := len(h.bot.asked()); n != 0 {
		t.Errorf("ssl_check asked the bot %d times", n)
	}
}

func TestHandoffSettlesOnce(t *testing.T) {
	h := newHandoff()
	if m, ok := h.await(time.Millisecond); ok {
		t.Fatalf("await before any answer = %v, true", m)
	}
	if h.offer(message{Text: "late"}) {
		t.Error("offer after the deadline was taken; want it sent to the response_url")
	}
	h = newHandoff()
	if !h.offer(message{Text: "quick"}) {
		t.Fatal("offer before the deadline refused")
	}
	if m, ok := h.await(time.Second); !ok || m.Text != "quick" {
		t.Errorf("await = %v, %v; want the quick answer", m, ok)
	}
	h = newHandoff()
	h.abandon()
	start := time.Now()
	if _, ok := h.await(time.Minute); ok || time.Since(start) > time.Second {
		t.Error("await did not return at once after abandon")
	}
}
