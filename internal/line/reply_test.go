package line

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/line/linetest"
)

func TestAPIFaults(t *testing.T) {
	tests := []struct {
		name    string
		respond func(w http.ResponseWriter, c linetest.Call, n int)
		client  *http.Client // nil: the stand-in's own
		calls   int          // reply calls made
		sent    bool
		reason  string // Failed{reason}, when not sent
		minGap  time.Duration
	}{
		{
			name: "429 then OK, honouring Retry-After",
			respond: func(w http.ResponseWriter, _ linetest.Call, n int) {
				if n == 1 {
					w.Header().Set("Retry-After", "1")
					w.WriteHeader(http.StatusTooManyRequests)
					w.Write([]byte(`{"message":"The API rate limit has been exceeded. Try again later."}`))
					return
				}
				w.Write([]byte(`{"sentMessages":[{"id":"1"}]}`))
			},
			calls: 2, sent: true, minGap: time.Second,
		},
		{
			name: "500 then OK",
			respond: func(w http.ResponseWriter, _ linetest.Call, n int) {
				if n == 1 {
					w.WriteHeader(http.StatusInternalServerError)
					return
				}
				w.Write([]byte(`{}`))
			},
			calls: 2, sent: true,
		},
		{
			name:    "500 until the retries run out",
			respond: func(w http.ResponseWriter, _ linetest.Call, _ int) { w.WriteHeader(http.StatusBadGateway) },
			calls:   3, reason: "server_error",
		},
		{
			name: "400 invalid reply token is not retried",
			respond: func(w http.ResponseWriter, _ linetest.Call, _ int) {
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"message":"Invalid reply token"}`))
			},
			calls: 1, reason: "rejected",
		},
		{
			name: "Retry-After beyond the reply token's life",
			respond: func(w http.ResponseWriter, _ linetest.Call, _ int) {
				w.Header().Set("Retry-After", "120")
				w.WriteHeader(http.StatusTooManyRequests)
			},
			calls: 1, reason: "expired",
		},
		{
			name: "timeouts",
			respond: func(w http.ResponseWriter, _ linetest.Call, _ int) {
				time.Sleep(200 * time.Millisecond)
				w.Write([]byte(`{}`))
			},
			client: &http.Client{Timeout: 30 * time.Millisecond},
			calls:  3, reason: "timeout",
		},
		{
			name: "2xx with an empty body still counts as sent",
			respond: func(w http.ResponseWriter, _ linetest.Call, _ int) {
				w.WriteHeader(http.StatusOK)
			},
			calls: 1, sent: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			var mu sync.Mutex
			e := newEnv(t, echo, func(c *Config) {
				c.Logger = slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
				if tt.client != nil {
					c.HTTPClient = tt.client
				}
			})
			if tt.client != nil {
				t.Cleanup(tt.client.CloseIdleConnections)
			}
			e.api.Respond(tt.respond)
			if rec := e.post(fixture(t, "text"), "sign"); rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			e.settle(t)
			calls := e.api.Replies()
			if len(calls) != tt.calls {
				t.Errorf("%d reply calls; want %d", len(calls), tt.calls)
			}
			if tt.minGap > 0 && len(calls) >= 2 {
				if gap := calls[1].At.Sub(calls[0].At); gap < tt.minGap {
					t.Errorf("retried after %v; Retry-After asked for %v", gap, tt.minGap)
				}
			}
			ok := e.metric(t, "supportbot_outbound_calls_total", map[string]string{"op": "reply", "outcome": "ok"})
			if (ok == 1) != tt.sent {
				t.Errorf("outbound{outcome=ok} = %v; sent want %v", ok, tt.sent)
			}
			if tt.reason != "" {
				if got := e.metric(t, "supportbot_outbound_failures_total", map[string]string{"platform": "line", "reason": tt.reason}); got != 1 {
					t.Errorf("failures{reason=%s} = %v; want 1", tt.reason, got)
				}
			}
			mu.Lock()
			out := logs.String()
			mu.Unlock()
			if tt.reason == "rejected" && (!strings.Contains(out, "line_request_id=req--v2-bot-message-reply") || !strings.Contains(out, "Invalid reply token")) {
				t.Errorf("a refused reply is logged without LINE's request id or message:\n%s", out)
			}
		})
	}
}

// TestFailureDoesNotBlockOthers: while one user's reply fails and is
// retried, another user's reply goes out at once.
func TestFailureDoesNotBlockOthers(t *testing.T) {
	e := newEnv(t, echo)
	// A's retries wait 2 s each: B answered well before that was not kept
	// waiting behind them, however loaded the machine.
	e.h.caller.Policy = adapter.Policy{Attempts: 3, Base: 2 * time.Second, Max: 2 * time.Second}
	var mu sync.Mutex
	var bAt time.Time
	e.api.Respond(func(w http.ResponseWriter, c linetest.Call, _ int) {
		if c.Reply.ReplyToken == "token-a" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		bAt = time.Now()
		mu.Unlock()
		w.Write([]byte(`{}`))
	})
	body := fixture(t, "text")
	e.post(withEvent(t, body, "01JGQ73000000000000000000A", "token-a", "", false), "sign")
	for len(e.api.Replies()) == 0 {
		time.Sleep(time.Millisecond) // A's first try is under way
	}
	start := time.Now()
	e.post(withEvent(t, body, "01JGQ73000000000000000000B", "token-b", "U11111111111111111111111111111111", false), "sign")
	e.settle(t)
	mu.Lock()
	defer mu.Unlock()
	if bAt.IsZero() || bAt.Sub(start) > time.Second {
		t.Errorf("user B answered %v after asking while A was being retried; want at once", bAt.Sub(start))
	}
	if n := len(e.api.Replies()); n != 4 {
		t.Errorf("%d reply calls; want A's 3 tries and B's one", n)
	}
}

func TestLoadingAnimation(t *testing.T) {
	slow := answerFunc{answer: func(ctx context.Context, q bot.Question) (bot.Answer, error) {
		time.Sleep(80 * time.Millisecond)
		return echo.answer(ctx, q)
	}}
	t.Run("slow answer in a one-to-one chat", func(t *testing.T) {
		e := newEnv(t, slow)
		e.h.loadingAfter = 10 * time.Millisecond
		e.post(fixture(t, "text"), "sign")
		e.settle(t)
		calls := e.api.All()
		if len(calls) != 2 || calls[0].Path != "/v2/bot/chat/loading/start" || calls[1].Path != "/v2/bot/message/reply" {
			t.Fatalf("calls %v; want the loading animation, then the reply", linetest.Paths(calls))
		}
		if l := calls[0].Loading; l.ChatID != fixtureUser || l.LoadingSeconds%5 != 0 || l.LoadingSeconds < 5 || l.LoadingSeconds > 60 {
			t.Errorf("loading request %+v; want the user's chat and 5 to 60 seconds in steps of 5", l)
		}
	})
	t.Run("fast answer", func(t *testing.T) {
		e := newEnv(t, echo)
		e.post(fixture(t, "text"), "sign")
		e.settle(t)
		if n := len(e.api.Loadings()); n != 0 {
			t.Errorf("%d loading calls for a quick answer; want none", n)
		}
	})
	t.Run("group", func(t *testing.T) {
		e := newEnv(t, slow)
		e.h.loadingAfter = 0
		e.post(fixture(t, "group_mention"), "sign")
		e.settle(t)
		if n := len(e.api.Loadings()); n != 0 {
			t.Errorf("%d loading calls in a group; LINE shows it in one-to-one chats only", n)
		}
		if n := len(e.api.Replies()); n != 1 {
			t.Errorf("%d replies; want 1", n)
		}
	})
	t.Run("loading fails, the reply goes on", func(t *testing.T) {
		e := newEnv(t, slow)
		e.h.loadingAfter = 0
		e.api.Respond(func(w http.ResponseWriter, c linetest.Call, _ int) {
			if c.Path == "/v2/bot/chat/loading/start" {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			w.Write([]byte(`{}`))
		})
		e.post(fixture(t, "text"), "sign")
		e.settle(t)
		if n := len(e.api.Replies()); n != 1 {
			t.Errorf("%d replies; want 1", n)
		}
		if got := e.metric(t, "supportbot_outbound_calls_total", map[string]string{"op": "loading", "outcome": "error"}); got != 1 {
			t.Errorf("outbound{op=loading,outcome=error} = %v; want 1", got)
		}
	})
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{" 10 ", 10 * time.Second},
		{"-1", 0},
		{"soon", 0},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.in); got != tt.want {
			t.Errorf("retryAfter(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
	future := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	if got := retryAfter(future); got < 25*time.Second || got > 31*time.Second {
		t.Errorf("retryAfter(%q) = %v; want about 30s", future, got)
	}
}
