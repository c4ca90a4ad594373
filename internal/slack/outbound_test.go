package slack

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/metrics"
)

func TestRateLimitedCallHonoursRetryAfter(t *testing.T) {
	h := newHarness(t, nil)
	var mu sync.Mutex
	var at []time.Time
	h.api.FailWith(func(op string, n int) (int, http.Header, string) {
		mu.Lock()
		at = append(at, time.Now())
		mu.Unlock()
		if op == "chat.postMessage" && n == 1 {
			return http.StatusTooManyRequests, http.Header{"Retry-After": {"1"}}, `{"ok":false,"error":"ratelimited"}`
		}
		return 0, nil, ""
	})
	h.event(h.fixture("events/app_mention.json"))
	h.drain()
	if posts := h.api.Calls("chat.postMessage"); len(posts) != 2 {
		t.Fatalf("%d attempts; want 2 (one refused, one after Retry-After)", len(posts))
	}
	mu.Lock()
	gap := at[1].Sub(at[0])
	mu.Unlock()
	if gap < time.Second {
		t.Errorf("retried after %v; want at least the 1 s of Retry-After", gap)
	}
	if got := h.counter("supportbot_outbound_calls_total", map[string]string{"op": "chat.postMessage", "outcome": "retry"}); got != 1 {
		t.Errorf("outbound{retry} = %v; want 1", got)
	}
	if got := h.counter("supportbot_outbound_calls_total", map[string]string{"op": "chat.postMessage", "outcome": "ok"}); got != 1 {
		t.Errorf("outbound{ok} = %v; want 1", got)
	}
}

func TestRetryAfterTooLongIsGivenUp(t *testing.T) {
	h := newHarness(t, nil)
	h.api.FailWith(func(op string, n int) (int, http.Header, string) {
		return http.StatusTooManyRequests, http.Header{"Retry-After": {"3600"}}, ""
	})
	start := time.Now()
	h.event(h.fixture("events/app_mention.json"))
	h.drain()
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v; a worker must not wait an hour", took)
	}
	if got := h.counter("supportbot_outbound_failures_total", map[string]string{"reason": "rate_limited"}); got != 1 {
		t.Errorf("failures{rate_limited} = %v; want 1", got)
	}
}

func TestServerErrorsRetriedWithBackoff(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failures int
		attempts int
		failed   float64
	}{
		{"recovers", 2, 3, 0},
		{"gives up", 100, 4, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.api.FailWith(func(op string, n int) (int, http.Header, string) {
				if n <= tc.failures {
					return http.StatusBadGateway, nil, "<html>bad gateway</html>"
				}
				return 0, nil, ""
			})
			h.event(h.fixture("events/message_im.json"))
			h.drain()
			if n := len(h.api.Calls("chat.postMessage")); n != tc.attempts {
				t.Errorf("%d attempts; want %d", n, tc.attempts)
			}
			if got := h.counter("supportbot_outbound_failures_total", map[string]string{"reason": "server_error"}); got != tc.failed {
				t.Errorf("failures{server_error} = %v; want %v", got, tc.failed)
			}
		})
	}
}

func TestClientErrorsNotRetried(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		reason string
	}{
		{"ok false", http.StatusOK, `{"ok":false,"error":"channel_not_found"}`, string(metrics.ReasonRejected)},
		{"400", http.StatusBadRequest, "invalid_blocks", string(metrics.ReasonRejected)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.api.FailWith(func(op string, n int) (int, http.Header, string) {
				return tc.status, http.Header{"Content-Type": {"application/json"}}, tc.body
			})
			h.event(h.fixture("events/message_im.json"))
			h.drain()
			if n := len(h.api.Calls("chat.postMessage")); n != 1 {
				t.Errorf("%d attempts; want 1 (retrying cannot help)", n)
			}
			if got := h.counter("supportbot_outbound_failures_total", map[string]string{"reason": tc.reason}); got != 1 {
				t.Errorf("failures{%s} = %v; want 1", tc.reason, got)
			}
		})
	}
}

// TestSlowRetryDoesNotBlockOthers: while one reply waits out a 429, other
// people's answers are posted.
func TestSlowRetryDoesNotBlockOthers(t *testing.T) {
	h := newHarness(t, nil)
	h.api.FailWith(func(op string, n int) (int, http.Header, string) {
		if n == 1 {
			return http.StatusTooManyRequests, http.Header{"Retry-After": {"1"}}, ""
		}
		return 0, nil, ""
	})
	h.event(h.fixture("events/app_mention.json"))
	time.Sleep(50 * time.Millisecond) // the first post has been refused and is waiting
	start := time.Now()
	h.event(h.fixture("events/message_im.json"))
	posts := h.api.WaitFor(t, "chat.postMessage", 2)
	if took := time.Since(start); took > time.Second {
		t.Errorf("second person's answer took %v behind the first's Retry-After", took)
	}
	if got := posts[1].Form.Get("channel"); got != "D0DMCHAN1" {
		t.Errorf("second post went to %q; want the DM answered while the mention waits", got)
	}
}

func TestResponseURLRules(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	m := message{Text: "x"}
	u := h.api.ResponseURL("budget")
	for i := range responseURLUses {
		if err := h.a.respond(ctx, u, h.clock, m, respondEphemeral); err != nil {
			t.Fatalf("use %d: %v", i+1, err)
		}
	}
	if err := h.a.respond(ctx, u, h.clock, m, respondEphemeral); err == nil {
		t.Errorf("use %d of a response_url allowed; Slack allows %d", responseURLUses+1, responseURLUses)
	}
	if err := h.a.respond(ctx, h.api.ResponseURL("old"), h.clock.Add(-responseURLLife-time.Second), m, respondEphemeral); err == nil {
		t.Error("a response_url older than 30 minutes was used")
	}
	for _, bad := range []string{"https://evil.example/hooks/x", "http://hooks.slack.com/commands/x", "https://hooks.slack.com.evil.example/x"} {
		if err := h.a.respond(ctx, bad, h.clock, m, respondEphemeral); err == nil {
			t.Errorf("posted to %q", bad)
		}
	}
	if n := len(h.api.Calls("response_url")); n != responseURLUses {
		t.Errorf("%d posts reached the hooks; want %d", n, responseURLUses)
	}
	if !h.a.responseURLAllowed("https://hooks.slack.com/commands/T1/2/3") {
		t.Error("Slack's own hooks host refused")
	}
}

func TestResponseURLTableIsBounded(t *testing.T) {
	now := time.Now()
	r := newResponseURLs(func() time.Time { return now })
	for i := range maxTrackedURLs + 100 {
		if !r.take("https://hooks.slack.com/"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+time.Duration(i).String(), now) {
			t.Fatalf("take %d refused", i)
		}
	}
	if n := len(r.uses); n > maxTrackedURLs {
		t.Errorf("%d URLs tracked; max %d", n, maxTrackedURLs)
	}
}
