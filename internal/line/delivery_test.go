package line

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/work"
)

// TestRedelivery: an event LINE sends again (isRedelivery, same
// webhookEventId) is answered once, one after the other or at once.
func TestRedelivery(t *testing.T) {
	t.Run("sequential", func(t *testing.T) {
		b, _, _ := realBot(t)
		e := newEnv(t, b)
		e.post(fixture(t, "text"), "sign")
		e.settle(t)
		redelivery := withEvent(t, fixture(t, "redelivery"), "01JGQ6Z0TDDPYRVKNK77XKC3ZR", "", "", true)
		if rec := e.post(redelivery, "sign"); rec.Code != http.StatusOK {
			t.Fatalf("redelivery: status %d; want 200", rec.Code)
		}
		e.settle(t)
		if n := len(e.api.Replies()); n != 1 {
			t.Errorf("%d replies; want 1", n)
		}
		if got := e.metric(t, "supportbot_duplicate_events_total", nil); got != 1 {
			t.Errorf("duplicates = %v; want 1", got)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		e := newEnv(t, echo)
		body := fixture(t, "text")
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				e.post(withEvent(t, body, "01JGQ6Z0TDDPYRVKNK77XKC3ZR", "", "", i > 0), "sign")
			})
		}
		wg.Wait()
		e.settle(t)
		if n := len(e.api.Replies()); n != 1 {
			t.Errorf("%d replies to 8 deliveries of one event; want 1", n)
		}
	})
}

// gate is a bot that waits for release before answering, to hold a
// worker busy.
type gate struct {
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func newGate() *gate { return &gate{entered: make(chan struct{}, 64), release: make(chan struct{})} }

func (g *gate) bot() answerFunc {
	return answerFunc{answer: func(ctx context.Context, q bot.Question) (bot.Answer, error) {
		g.entered <- struct{}{}
		select {
		case <-g.release:
		case <-ctx.Done():
		}
		return echo.answer(ctx, q)
	}}
}

func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

// TestBackpressure: when the work queue is full the webhook gets 503 and
// nothing of it is remembered, so LINE's redelivery is answered; events
// queued before the refusal are answered once, not again on redelivery.
func TestBackpressure(t *testing.T) {
	g := newGate()
	// One worker and room for one job waiting.
	e := newEnv(t, g.bot(), func(c *Config) { c.Pool = work.New(1, 1, c.Metrics) })
	t.Cleanup(g.open)

	a := withEvent(t, fixture(t, "text"), "01JGQ70000000000000000000A", "token-a", "", false)
	if rec := e.post(a, "sign"); rec.Code != http.StatusOK {
		t.Fatalf("first webhook: %d", rec.Code)
	}
	<-g.entered // the only worker is busy
	batch := fixture(t, "batch")
	if rec := e.post(batch, "sign"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("webhook to a full queue: status %d; want 503", rec.Code)
	}
	if got := e.metric(t, "supportbot_backpressure_total", map[string]string{"platform": "line", "limit": "queue"}); got != 1 {
		t.Errorf("backpressure{limit=queue} = %v; want 1", got)
	}
	g.open()
	e.settle(t)
	// LINE redelivers the whole webhook.
	if rec := e.post(fresh(t, bytes.ReplaceAll(batch, []byte(`"isRedelivery": false`), []byte(`"isRedelivery": true`))), "sign"); rec.Code != http.StatusOK {
		t.Fatalf("redelivered webhook: status %d; want 200", rec.Code)
	}
	e.settle(t)
	var tokens []string
	for _, r := range e.api.Replies() {
		tokens = append(tokens, r.Reply.ReplyToken)
	}
	slices.Sort(tokens)
	want := []string{"e4d0c9c6f5a74b2c6d3e0f9a8b7c6d5e", "f5e1d0d7a6b84c3d7e4f1a0b9c8d7e6f", "token-a"}
	if !slices.Equal(tokens, want) {
		t.Errorf("replies %v; want each of %v once", tokens, want)
	}
}

func TestShutdownRefuses(t *testing.T) {
	e := newEnv(t, echo)
	e.shutdown(t)
	if rec := e.post(fixture(t, "text"), "sign"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("webhook while shutting down: status %d; want 503", rec.Code)
	}
	if got := e.metric(t, "supportbot_backpressure_total", map[string]string{"limit": "shutdown"}); got != 1 {
		t.Errorf("backpressure{limit=shutdown} = %v; want 1", got)
	}
}

// TestRateLimit: a person over their rate limit is told so once, with
// the reply token of the message that went over, in their language; the
// rest of the burst is only counted; other people are answered.
func TestRateLimit(t *testing.T) {
	lim := ratelimit.New(0.001, 1, 100, nil)
	b, _, _ := realBot(t)
	e := newEnv(t, b, func(c *Config) { c.Limiter = lim })
	body := fixture(t, "text")
	e.post(withEvent(t, body, "01JGQ71000000000000000000A", "token-1", "", false), "sign")
	e.settle(t)
	e.post(withEvent(t, body, "01JGQ71000000000000000000B", "token-2", "", false), "sign")
	e.post(withEvent(t, body, "01JGQ71000000000000000000C", "token-3", "U99999999999999999999999999999999", false), "sign")
	e.post(withEvent(t, body, "01JGQ71000000000000000000D", "token-4", "", false), "sign")
	e.settle(t)
	byToken := map[string][]message{}
	for _, r := range e.api.Replies() {
		byToken[r.Reply.ReplyToken] = decodeMessages(t, r.Reply.Messages)
	}
	if len(byToken) != 3 || byToken["token-4"] != nil {
		t.Fatalf("replied to %v; want token-1, token-2 (the notice) and token-3, not token-4 (the same burst)", slices.Sorted(maps.Keys(byToken)))
	}
	notice := byToken["token-2"]
	if len(notice) != 1 || notice[0]["type"] != "text" || !strings.Contains(notice[0]["text"].(string), "少しの間") || notice[0]["quickReply"] != nil {
		t.Errorf("notice = %v; want one Japanese text without quick replies", notice)
	}
	if len(byToken["token-3"]) < 2 {
		t.Errorf("another user's answer = %v; want the full answer", byToken["token-3"])
	}
	if got := e.metric(t, "supportbot_backpressure_total", map[string]string{"limit": string(metrics.ReasonRateLimit)}); got != 2 {
		t.Errorf("backpressure{limit=rate_limit} = %v; want 2", got)
	}
	if got := e.metric(t, "supportbot_notices_total", map[string]string{"platform": "line", "reason": string(metrics.ReasonRateLimit)}); got != 1 {
		t.Errorf("notices{reason=rate_limit} = %v; want 1", got)
	}
}

func TestUnfollowForgets(t *testing.T) {
	b, _, store := realBot(t)
	e := newEnv(t, b)
	e.post(fixture(t, "text"), "sign")
	e.settle(t)
	conv := "line:" + fixtureUser
	if _, err := store.Load(context.Background(), conv); err != nil {
		t.Fatalf("no state after a question: %v", err)
	}
	e.post(fixture(t, "unfollow"), "sign")
	e.settle(t)
	if _, err := store.Load(context.Background(), conv); !errors.Is(err, bot.ErrNoState) {
		t.Errorf("state after unfollow: %v; want ErrNoState", err)
	}
	if n := len(e.api.Replies()); n != 1 {
		t.Errorf("%d replies; want 1 (unfollow is not answered)", n)
	}
}

// TestConcurrency answers many users at once on the real bot and the
// shared stores; run with -race.
func TestConcurrency(t *testing.T) {
	b, _, _ := realBot(t)
	e := newEnv(t, b)
	texts := []string{"子どものスマホが心配", "中小企業向けの支援", "CTFに参加したい", "もっと", "2", "English", "学校で出前授業"}
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body := fixture(t, "text")
			body = bytes.Replace(body, []byte("子どものスマホが心配"), []byte(texts[i%len(texts)]), 1)
			user := "U" + strings.Repeat(string(rune('a'+i%26)), 16) + strings.Repeat(string(rune('0'+i%10)), 16)
			body = withEvent(t, body, "01JGQ72"+strings.Repeat(string(rune('A'+i%26)), 10)+strings.Repeat(string(rune('0'+i/26)), 9), "token-"+string(rune('A'+i%26))+string(rune('0'+i/26)), user, false)
			if rec := e.post(body, "sign"); rec.Code != http.StatusOK {
				t.Errorf("status %d", rec.Code)
			}
		})
	}
	wg.Wait()
	e.settle(t)
	seen := map[string]int{}
	for _, r := range e.api.Replies() {
		seen[r.Reply.ReplyToken]++
		checkMessages(t, decodeMessages(t, r.Reply.Messages))
	}
	if len(seen) != n {
		t.Errorf("%d distinct reply tokens used; want %d", len(seen), n)
	}
	for tok, c := range seen {
		if c != 1 {
			t.Errorf("token %s used %d times", tok, c)
		}
	}
}

// TestNoSecretsInLogs runs a conversation with debug logging and checks
// that no user id, reply token, access token, secret or message text
// appears in any log line.
func TestNoSecretsInLogs(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	h := slog.NewTextHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug})
	e := newEnv(t, echo, func(c *Config) { c.Logger = slog.New(h) })
	e.api.Respond(func(w http.ResponseWriter, _ linetest.Call, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Write([]byte(`{}`))
	})
	for _, f := range []string{"text", "group_mention", "follow", "sticker", "unfollow"} {
		e.post(fixture(t, f), "sign")
	}
	e.settle(t)
	mu.Lock()
	defer mu.Unlock()
	out := logs.String()
	if !strings.Contains(out, "retrying") {
		t.Fatalf("expected log lines about retries; got:\n%s", out)
	}
	for _, secret := range []string{fixtureUser, fixtureGroup, "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA", "test-access-token", testSecret, "子どものスマホ", "中小企業向けのセミナー"} {
		if strings.Contains(out, secret) {
			t.Errorf("logs contain %q:\n%s", secret, out)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestBotPanics: a job whose answer panics takes nothing down; the pool
// recovers it, the loading timer is stopped, and the next user is
// answered.
func TestBotPanics(t *testing.T) {
	e := newEnv(t, answerFunc{answer: func(ctx context.Context, q bot.Question) (bot.Answer, error) {
		if q.Text == "子どものスマホが心配" {
			panic("boom")
		}
		return echo.answer(ctx, q)
	}})
	e.h.loadingAfter = time.Hour
	e.post(fixture(t, "text"), "sign")
	e.post(fixture(t, "follow"), "sign")
	e.settle(t)
	if n := len(e.api.Replies()); n != 1 {
		t.Errorf("%d replies; want 1 (the follow)", n)
	}
}

// failingDeduper is a de-duplication store that is down.
type failingDeduper struct{}

func (failingDeduper) FirstSeen(context.Context, string) (bool, error) {
	return false, errors.New("redis: connection refused")
}

// TestDedupeUnavailable: with the shared store down, events are answered
// (possibly twice on redelivery) rather than never.
func TestDedupeUnavailable(t *testing.T) {
	e := newEnv(t, echo, func(c *Config) { c.Dedupe = failingDeduper{} })
	e.post(fixture(t, "text"), "sign")
	e.settle(t)
	if n := len(e.api.Replies()); n != 1 {
		t.Errorf("%d replies; want 1", n)
	}
}
