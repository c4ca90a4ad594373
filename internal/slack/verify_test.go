package slack

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

func TestRequestsAreVerifiedBeforeAnythingElse(t *testing.T) {
	h := newHarness(t, nil)
	mention := h.fixture("events/app_mention.json")
	endpoints := []struct {
		name    string
		handler http.Handler
		body    []byte
	}{
		{"events", h.a.Events(), mention},
		{"commands", h.a.Commands(), h.fixture("commands/support.form")},
		{"interactions", h.a.Interactions(), []byte("payload=" + string(h.fixture("interactions/block_actions.json")))},
	}
	for _, ep := range endpoints {
		for _, tc := range []struct {
			name   string
			req    func() *http.Request
			status int
			reason string
		}{
			{"bad signature", func() *http.Request {
				r := h.request("/slack/"+ep.name, ep.body)
				r.Header.Set(headerSignature, "v0="+strings.Repeat("ab", 32))
				return r
			}, http.StatusUnauthorized, "signature"},
			{"signed with another secret", func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/slack/"+ep.name, bytes.NewReader(ep.body))
				slacktest.Sign(r.Header, "not-the-secret", h.clock, ep.body)
				return r
			}, http.StatusUnauthorized, "signature"},
			{"body changed after signing", func() *http.Request {
				r := h.request("/slack/"+ep.name, ep.body)
				r.Body = httpBody(append(bytes.Clone(ep.body), ' '))
				return r
			}, http.StatusUnauthorized, "signature"},
			{"stale timestamp (a replay)", func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/slack/"+ep.name, bytes.NewReader(ep.body))
				slacktest.Sign(r.Header, testSecret, h.clock.Add(-replayWindow-time.Second), ep.body)
				return r
			}, http.StatusUnauthorized, "stale"},
			{"timestamp from the future", func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/slack/"+ep.name, bytes.NewReader(ep.body))
				slacktest.Sign(r.Header, testSecret, h.clock.Add(replayWindow+time.Second), ep.body)
				return r
			}, http.StatusUnauthorized, "stale"},
			{"no signature headers", func() *http.Request {
				return httptest.NewRequest(http.MethodPost, "/slack/"+ep.name, bytes.NewReader(ep.body))
			}, http.StatusUnauthorized, "signature"},
			{"timestamp not a number", func() *http.Request {
				r := h.request("/slack/"+ep.name, ep.body)
				r.Header.Set(headerTimestamp, "yesterday")
				return r
			}, http.StatusUnauthorized, "signature"},
			{"signature not v0", func() *http.Request {
				r := h.request("/slack/"+ep.name, ep.body)
				r.Header.Set(headerSignature, strings.Replace(r.Header.Get(headerSignature), "v0=", "v1=", 1))
				return r
			}, http.StatusUnauthorized, "signature"},
			{"GET", func() *http.Request {
				return httptest.NewRequest(http.MethodGet, "/slack/"+ep.name, nil)
			}, http.StatusMethodNotAllowed, "method"},
			{"oversized body", func() *http.Request {
				big := bytes.Repeat([]byte("a"), maxBody+1)
				return h.request("/slack/"+ep.name, big)
			}, http.StatusRequestEntityTooLarge, "too_large"},
		} {
			t.Run(ep.name+"/"+tc.name, func(t *testing.T) {
				before := h.counter("supportbot_webhook_rejected_total", map[string]string{"reason": tc.reason})
				w := serve(ep.handler, tc.req())
				if w.Code != tc.status {
					t.Errorf("status = %d; want %d (%s)", w.Code, tc.status, w.Body)
				}
				if got := h.counter("supportbot_webhook_rejected_total", map[string]string{"reason": tc.reason}); got != before+1 {
					t.Errorf("rejected{reason=%q} went from %v to %v; want +1", tc.reason, before, got)
				}
			})
		}
	}
	h.drain()
	if calls := h.api.All(); len(calls) != 0 {
		t.Errorf("refused requests caused calls to Slack: %v", slacktest.Ops(calls))
	}
	if qs := h.bot.asked(); len(qs) != 0 {
		t.Errorf("refused requests reached the bot: %d questions", len(qs))
	}
}

func TestSignedAtTheEdgeOfTheWindowIsAccepted(t *testing.T) {
	h := newHarness(t, nil)
	body := h.fixture("events/url_verification.json")
	r := httptest.NewRequest(http.MethodPost, "/slack/events", bytes.NewReader(body))
	// Half a minute inside the edge: slack-go checks the timestamp against
	// the wall clock too, which moves on while a loaded machine runs the
	// test.
	slacktest.Sign(r.Header, testSecret, h.clock.Add(-replayWindow+30*time.Second), body)
	if w := serve(h.a.Events(), r); w.Code != http.StatusOK {
		t.Errorf("status = %d; want 200 for a timestamp inside the window", w.Code)
	}
}

func TestMalformedBodies(t *testing.T) {
	h := newHarness(t, nil)
	for _, tc := range []struct {
		name    string
		handler http.Handler
		path    string
		body    string
	}{
		{"events: not JSON", h.a.Events(), "/slack/events", "{not json"},
		{"events: JSON without a type", h.a.Events(), "/slack/events", `{"challenge":"x"}`},
		{"events: url_verification without challenge", h.a.Events(), "/slack/events", `{"type":"url_verification"}`},
		{"events: empty", h.a.Events(), "/slack/events", ""},
		{"commands: no command", h.a.Commands(), "/slack/commands", "team_id=T0TEAM001&user_id=U0USER001&text=x"},
		{"commands: bad form", h.a.Commands(), "/slack/commands", "%zz"},
		{"interactions: no payload", h.a.Interactions(), "/slack/interactions", "foo=bar"},
		{"interactions: payload not JSON", h.a.Interactions(), "/slack/interactions", "payload=%7Bnope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := serve(tc.handler, h.request(tc.path, []byte(tc.body)))
			if w.Code != http.StatusBadRequest {
				t.Errorf("status = %d; want 400", w.Code)
			}
			if tc.path == "/slack/events" && w.Header().Get("X-Slack-No-Retry") != "1" {
				t.Error("no X-Slack-No-Retry on a payload that will never parse")
			}
		})
	}
	h.drain()
	if calls := h.api.All(); len(calls) != 0 {
		t.Errorf("malformed requests caused calls to Slack: %v", slacktest.Ops(calls))
	}
}

func TestNoSigningSecretRefusesHTTP(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.SigningSecret = ""; c.AppToken = testAppToken })
	if w := h.event(h.fixture("events/url_verification.json")); w.Code != http.StatusUnauthorized {
		t.Errorf("status = %d; want 401 with no signing secret (Socket Mode only)", w.Code)
	}
}

func TestNewChecksConfig(t *testing.T) {
	h := newHarness(t, nil)
	ok := Config{Credentials: Credentials{SigningSecret: "s", BotToken: "t"}, Deps: adapter.Deps{Bot: h.bot, Dedupe: h.dedupe, Pool: h.pool}}
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"no bot token", func(c *Config) { c.BotToken = "" }, "no bot token"},
		{"no secret nor app token", func(c *Config) { c.SigningSecret = "" }, "no signing secret"},
		{"no bot", func(c *Config) { c.Bot = nil }, "no bot"},
		{"no dedupe", func(c *Config) { c.Dedupe = nil }, "de-duplication"},
		{"no pool", func(c *Config) { c.Pool = nil }, "work pool"},
		{"API URL relative", func(c *Config) { c.APIURL = "api/" }, "absolute"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			_, err := New(c)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New = %v; want an error mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := New(ok); err != nil {
		t.Errorf("New(valid) = %v", err)
	}
	noSlash := ok
	noSlash.APIURL = "http://127.0.0.1:1/api" // the slash slack-go needs is added
	if _, err := New(noSlash); err != nil {
		t.Errorf("New(API URL without a slash) = %v", err)
	}
	socketOnly := ok
	socketOnly.SigningSecret, socketOnly.AppToken = "", "xapp-1"
	if _, err := New(socketOnly); err != nil {
		t.Errorf("New(Socket Mode only) = %v", err)
	}
}

// BenchmarkEventAck is the request path Slack waits for: verify, parse,
// plan and queue (the pool is closed, so nothing runs after).
func BenchmarkEventAck(b *testing.B) {
	h := newHarness(b, nil, func(c *Config) { c.Logger = nil })
	h.drain()
	body := h.fixture("events/app_mention.json")
	for b.Loop() {
		serve(h.a.Events(), h.request("/slack/events", body))
	}
}
