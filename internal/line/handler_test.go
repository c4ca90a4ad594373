package line

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/work"
)

// withEvent rewrites the first event of a fixture: a new webhookEventId,
// reply token and user, and redelivery flag, so one fixture can stand for
// many events.
func withEvent(t testing.TB, body []byte, id, token, user string, redelivered bool) []byte {
	t.Helper()
	var cb map[string]any
	if err := json.Unmarshal(body, &cb); err != nil {
		t.Fatal(err)
	}
	ev := cb["events"].([]any)[0].(map[string]any)
	ev["webhookEventId"] = id
	if token != "" {
		ev["replyToken"] = token
	}
	if user != "" {
		ev["source"].(map[string]any)["userId"] = user
	}
	ev["deliveryContext"] = map[string]any{"isRedelivery": redelivered}
	ev["timestamp"] = time.Now().UnixMilli() // a redelivery within its token's life
	out, err := json.Marshal(cb)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fresh sets every event's timestamp to now, as LINE stamps an event
// redelivered within its token's life.
func fresh(t testing.TB, body []byte) []byte {
	t.Helper()
	var cb map[string]any
	if err := json.Unmarshal(body, &cb); err != nil {
		t.Fatal(err)
	}
	for _, ev := range cb["events"].([]any) {
		ev.(map[string]any)["timestamp"] = time.Now().UnixMilli()
	}
	out, err := json.Marshal(cb)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestNewChecksConfig(t *testing.T) {
	pool := work.New(1, 1, nil)
	defer pool.Shutdown(context.Background())
	ok := Config{Credentials: Credentials{ChannelSecret: "s", AccessToken: "t"}, Deps: adapter.Deps{Bot: echo, Dedupe: newDeduper(), Pool: pool}}
	if _, err := New(ok); err != nil {
		t.Fatalf("New(valid) = %v", err)
	}
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no secret", func(c *Config) { c.ChannelSecret = "" }, "no channel secret"},
		{"no token", func(c *Config) { c.AccessToken = "" }, "no channel access token"},
		{"no bot", func(c *Config) { c.Bot = nil }, "no bot"},
		{"no dedupe", func(c *Config) { c.Dedupe = nil }, "no de-duplication store"},
		{"no pool", func(c *Config) { c.Pool = nil }, "no work pool"},
		{"bad base URL", func(c *Config) { c.APIBaseURL = "not a url" }, "api base URL"},
	}
	for _, tt := range tests {
		c := ok
		tt.edit(&c)
		_, err := New(c)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: NewHandler = %v; want an error about %q", tt.name, err, tt.want)
		}
	}
}

// TestSignature: a webhook that is not signed with our channel secret is
// refused with 400 before anything is parsed, queued, stored or logged;
// only the counter sees it.
func TestSignature(t *testing.T) {
	body := fixture(t, "text")
	tampered := bytes.Replace(body, []byte("心配"), []byte("安心"), 1)
	tests := []struct {
		name string
		body []byte
		sig  string
	}{
		{"missing", body, ""},
		{"not base64", body, "%%%not-base64%%%"},
		{"empty HMAC", body, linetest.Signature("", body)},
		{"other channel's secret", body, linetest.Signature("another-channel-secret", body)},
		{"stale secret after reissue", body, linetest.Signature(testSecret+"-old", body)},
		{"tampered body", tampered, linetest.Signature(testSecret, body)},
	}
	var logs bytes.Buffer
	e := newEnv(t, echo, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	for _, tt := range tests {
		if rec := e.post(tt.body, tt.sig); rec.Code != http.StatusBadRequest {
			t.Errorf("%s signature: status %d; want 400", tt.name, rec.Code)
		}
	}
	e.settle(t)
	if n := len(e.api.All()); n != 0 {
		t.Errorf("%d calls to LINE after refused webhooks; want none", n)
	}
	if n := e.dedup.Len(); n != 0 {
		t.Errorf("%d event ids recorded after refused webhooks; want none", n)
	}
	if logs.Len() != 0 {
		t.Errorf("refused webhooks were logged:\n%s", logs.String())
	}
	if got := e.metric(t, "supportbot_webhook_rejected_total", map[string]string{"platform": "line", "reason": "signature"}); got != float64(len(tests)) {
		t.Errorf("rejected{reason=signature} = %v; want %d", got, len(tests))
	}
}

func TestBodies(t *testing.T) {
	e := newEnv(t, echo)
	huge := append([]byte(`{"destination":"U0","events":[],"pad":"`), bytes.Repeat([]byte("a"), maxBody)...)
	huge = append(huge, `"}`...)
	tests := []struct {
		name   string
		method string
		body   []byte
		want   int
		reason string // rejection counted, if any
	}{
		{"console verification (no events)", "POST", fixture(t, "verify"), http.StatusOK, ""},
		{"events null", "POST", []byte(`{"destination":"U0","events":null}`), http.StatusOK, ""},
		{"oversized", "POST", huge, http.StatusRequestEntityTooLarge, string(metrics.ReasonTooLarge)},
		{"not JSON", "POST", []byte(`{"destination":`), http.StatusBadRequest, "malformed"},
		{"events not a list", "POST", []byte(`{"destination":"U0","events":{}}`), http.StatusBadRequest, "malformed"},
		{"event without type (left alone, as an unknown type)", "POST", []byte(`{"destination":"U0","events":[{"replyToken":"x"}]}`), http.StatusOK, ""},
		{"a list", "POST", []byte(`[]`), http.StatusBadRequest, "malformed"},
		{"unknown event type", "POST", []byte(`{"destination":"U0","events":[{"type":"somethingNew","mode":"active"}]}`), http.StatusOK, ""},
		{"GET", "GET", nil, http.StatusMethodNotAllowed, ""},
	}
	for _, tt := range tests {
		req := newRequest(tt.method, tt.body)
		rec := recorder()
		e.h.Webhook().ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("%s: status %d; want %d", tt.name, rec.Code, tt.want)
		}
		if tt.reason != "" {
			if got := e.metric(t, "supportbot_webhook_rejected_total", map[string]string{"reason": tt.reason}); got == 0 {
				t.Errorf("%s: rejected{reason=%s} not counted", tt.name, tt.reason)
			}
		}
	}
	e.settle(t)
	if n := len(e.api.All()); n != 0 {
		t.Errorf("%d calls to LINE; want none", n)
	}
}

// TestFixtures posts every fixture to a handler on the real bot and checks
// what reaches LINE: exactly the rendering of the bot's answer to the
// question the event stands for, with the event's reply token, or nothing.
func TestFixtures(t *testing.T) {
	tests := []struct {
		fixture string
		tokens  []string // reply tokens used, in any order; none: no reply
		flex    string   // container of the second message, if any
	}{
		{"verify", nil, ""},
		{"text", []string{"nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"}, "carousel"},
		{"redelivery", nil, ""}, // redelivered long after its reply token died: counted, not answered
		{"postback", []string{"b60d432864f44d079f6d8efe86cf404c"}, "bubble"},
		{"postback_foreign", []string{"b60d432864f44d079f6d8efe86cf404d"}, ""},
		{"follow", []string{"85cbe770fa8b4f45bbe077b1d4be4a36"}, ""},
		{"unfollow", nil, ""},
		{"join", []string{"0f3779fba3b349968c5d07db31eab56f"}, ""},
		{"sticker", []string{"6b2c1a8d7e9f4a3b8c5d2e1f0a9b8c7d"}, ""},
		{"image", []string{"7c3d2b9e8f0a4b5c9d6e3f2a1b0c9d8e"}, ""},
		{"location", []string{"8d4e3c0f9a1b4c6d0e7f4a3b2c1d0e9f"}, ""},
		{"group_mention", []string{"9e5f4d1a0b2c4d7e1f8a5b4c3d2e1f0a"}, "carousel"},
		{"group_other_mention", nil, ""},
		{"group_sticker", nil, ""},
		{"room_mention", []string{"c2b8a7a4d3e54f0a4b1c8d7e6f5a4b3c"}, ""},
		{"standby", nil, ""},
		{"leave", nil, ""},
		{"unsend", nil, ""},
		{"batch", []string{"e4d0c9c6f5a74b2c6d3e0f9a8b7c6d5e", "f5e1d0d7a6b84c3d7e4f1a0b9c8d7e6f"}, ""},
	}
	// One bot serves every fixture, as in production; ref is a second bot
	// asked the same questions in the same order, so its state and answers
	// match, and gives the expected messages.
	b, _, _ := realBot(t)
	ref, _, _ := realBot(t)
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			e := newEnv(t, b)
			body := fixture(t, tt.fixture)
			if rec := e.post(body, "sign"); rec.Code != http.StatusOK {
				t.Fatalf("status %d; want 200", rec.Code)
			}
			e.settle(t)
			replies := e.api.Replies()
			var got []string
			for _, r := range replies {
				got = append(got, r.Reply.ReplyToken)
				msgs := decodeMessages(t, r.Reply.Messages)
				checkMessages(t, msgs)
				if tt.flex != "" && len(replies) == 1 {
					if len(msgs) < 2 || msgs[1]["type"] != "flex" || msgs[1]["contents"].(map[string]any)["type"] != tt.flex {
						t.Errorf("second message is not a flex %s", tt.flex)
					}
				}
				if r.Auth != "Bearer test-access-token" {
					t.Errorf("Authorization %q", r.Auth)
				}
			}
			slices.Sort(got)
			want := slices.Clone(tt.tokens)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("reply tokens %v; want %v", got, want)
			}
			// The messages are the rendering of the bot's own answer.
			cb, err := decodeWebhook(body)
			if err != nil {
				t.Fatal(err)
			}
			for i := range cb.Events {
				tk, ok := taskFor(&cb.Events[i])
				if ok && tk.redelivered {
					continue // stale: not answered, so not asked of ref either
				}
				if ok && tk.forget {
					_ = ref.Forget(context.Background(), tk.conv)
				}
				if !ok || tk.question == nil {
					continue
				}
				a, err := ref.Answer(context.Background(), *tk.question)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := json.Marshal(render(a, tk.quoteToken))
				for _, r := range replies {
					if r.Reply.ReplyToken == tk.replyToken {
						got, _ := json.Marshal(r.Reply.Messages)
						if !bytes.Equal(compact(t, got), compact(t, want)) {
							t.Errorf("event %s: sent\n%s\nwant the rendering of the bot's answer\n%s", tk.eventID, got, want)
						}
					}
				}
			}
		})
	}
}

func compact(t testing.TB, b []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestDoneWhen is the acceptance check: a signed text webhook for
// 「子どものスマホが心配」 makes exactly one reply call carrying a valid Flex
// carousel whose first bubble is a programme for parents.
func TestDoneWhen(t *testing.T) {
	b, cat, _ := realBot(t)
	e := newEnv(t, b)
	if rec := e.post(fixture(t, "text"), "sign"); rec.Code != http.StatusOK {
		t.Fatalf("status %d; want 200", rec.Code)
	}
	e.settle(t)
	if calls := e.api.All(); len(calls) != 1 || calls[0].Path != "/v2/bot/message/reply" {
		t.Fatalf("calls to LINE: %d (%v); want exactly one reply", len(calls), calls)
	}
	r := e.api.Replies()[0]
	if r.Reply.ReplyToken != "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA" {
		t.Errorf("reply token %q", r.Reply.ReplyToken)
	}
	msgs := decodeMessages(t, r.Reply.Messages)
	checkMessages(t, msgs)
	var carousel map[string]any
	for _, m := range msgs {
		if m["type"] == "flex" {
			carousel, _ = m["contents"].(map[string]any)
		}
	}
	if carousel == nil || carousel["type"] != "carousel" {
		t.Fatalf("no Flex carousel in %v", msgs)
	}
	first := carousel["contents"].([]any)[0].(map[string]any)
	var id string
	for _, c := range first["footer"].(map[string]any)["contents"].([]any) {
		act := c.(map[string]any)["action"].(map[string]any)
		if act["type"] == "postback" {
			a, err := bot.ParseAction(act["data"].(string))
			if err != nil || a.Kind != bot.ActionDetails {
				t.Fatalf("first bubble's postback %v: %v", act["data"], err)
			}
			id = a.Value
		}
	}
	in, ok := cat.Initiative(id)
	if !ok {
		t.Fatalf("first bubble names %q, not an initiative", id)
	}
	t.Logf("first bubble: %s %v", id, in.Audiences)
	if !slices.Contains(in.Audiences, "parent") {
		t.Errorf("first bubble is %s for %v; want a programme for parents", id, in.Audiences)
	}
}
