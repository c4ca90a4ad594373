package line

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/work"
)

// TestProfileLanguage: a person whose LINE is in English is greeted in
// English when they add the bot, from their profile, which is read once;
// a message that shows its language needs no profile; a slow profile API
// holds the greeting up by at most the lookup's wait, and it comes in
// Japanese as before.
func TestProfileLanguage(t *testing.T) {
	t.Run("English profile", func(t *testing.T) {
		b, _, _ := realBot(t)
		e := newEnv(t, b)
		e.api.SetProfile(linetest.Profile{DisplayName: "Alex", UserID: linetest.UserID, Language: "en"})
		e.post(linetest.Body(linetest.Follow(linetest.UserID)), "sign")
		e.settle(t)
		msgs := decodeMessages(t, e.api.WaitFor(t, linetest.PathReply, 1)[0].Reply.Messages)
		if text := msgs[0]["text"].(string); !strings.HasPrefix(text, "Hello") {
			t.Errorf("greeting = %.40q; want English", text)
		}
		if n := len(e.api.Profiles()); n != 1 || e.api.Profiles()[0].Path != linetest.PathProfile+linetest.UserID {
			t.Errorf("profile calls %v; want one GET %s%s", linetest.Paths(e.api.Profiles()), linetest.PathProfile, linetest.UserID)
		}
		// A postback later: the conversation has its language now.
		e.post(linetest.Body(linetest.Postback(linetest.UserID, "sb1:menu")), "sign")
		e.settle(t)
		if n := len(e.api.Profiles()); n != 1 {
			t.Errorf("%d profile calls after a second event; want 1", n)
		}
	})
	t.Run("a Japanese question needs no profile", func(t *testing.T) {
		b, _, _ := realBot(t)
		e := newEnv(t, b)
		e.api.SetProfile(linetest.Profile{DisplayName: "Alex", UserID: linetest.UserID, Language: "en"})
		e.post(linetest.Body(linetest.Text(linetest.UserID, "子どものスマホが心配")), "sign")
		e.settle(t)
		if n := len(e.api.Profiles()); n != 0 {
			t.Errorf("%d profile calls; want none", n)
		}
	})
	t.Run("no profile: Japanese, as before", func(t *testing.T) {
		b, _, _ := realBot(t)
		e := newEnv(t, b) // the stand-in answers 404: not a friend
		e.post(linetest.Body(linetest.Follow(linetest.UserID)), "sign")
		e.settle(t)
		msgs := decodeMessages(t, e.api.WaitFor(t, linetest.PathReply, 1)[0].Reply.Messages)
		if text := msgs[0]["text"].(string); !strings.HasPrefix(text, "こんにちは") {
			t.Errorf("greeting = %.40q; want Japanese", text)
		}
		if got := e.metric(t, "supportbot_outbound_calls_total", map[string]string{"op": "locale", "outcome": "ok"}); got != 1 {
			t.Errorf("outbound{op=locale,outcome=ok} = %v; want 1 (a 404 is an answer)", got)
		}
	})
	t.Run("slow profile", func(t *testing.T) {
		b, _, _ := realBot(t)
		e := newEnv(t, b)
		e.h.locales.SetWait(100 * time.Millisecond)
		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		e.api.Respond(func(w http.ResponseWriter, c linetest.Call, n int) {
			if strings.HasPrefix(c.Path, linetest.PathProfile) {
				select {
				case <-release:
				case <-time.After(5 * time.Second):
				}
				return
			}
			linetest.WriteSent(w, "1")
		})
		start := time.Now()
		e.post(linetest.Body(linetest.Follow(linetest.UserID)), "sign")
		replies := e.api.WaitFor(t, linetest.PathReply, 1)
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("greeting after %v; want about the lookup's wait (100ms)", took)
		}
		if text := decodeMessages(t, replies[0].Reply.Messages)[0]["text"].(string); !strings.HasPrefix(text, "こんにちは") {
			t.Errorf("greeting = %.40q; want Japanese", text)
		}
	})
}

// TestGroupAnswersQuote: in a group the answer quotes the message it
// answers; in a one-to-one chat it does not.
func TestGroupAnswersQuote(t *testing.T) {
	e := newEnv(t, echo)
	group := linetest.GroupMention(linetest.GroupID, linetest.UserID, "サポートボット", "セミナーはある？")
	e.post(linetest.Body(group), "sign")
	one := linetest.Text(linetest.UserID, "セミナーはある？")
	e.post(linetest.Body(one), "sign")
	e.settle(t)
	for _, r := range e.api.Replies() {
		first := decodeMessages(t, r.Reply.Messages)[0]
		want := ""
		if r.Reply.ReplyToken == group.ReplyToken {
			want = group.Message.QuoteToken
		}
		if got, _ := first["quoteToken"].(string); got != want {
			t.Errorf("reply to %s: quoteToken %q; want %q", r.Reply.ReplyToken, got, want)
		}
	}
}

// TestLeaveForgetsTheGroup: when the bot leaves a group, what everyone
// asked there is forgotten; a one-to-one conversation is not.
func TestLeaveForgetsTheGroup(t *testing.T) {
	b, _, store := realBot(t)
	e := newEnv(t, b)
	const other = "U0123456789abcdef0123456789abcdef"
	e.post(linetest.Body(
		linetest.GroupMention(linetest.GroupID, linetest.UserID, "サポートボット", "中小企業向けの支援"),
		linetest.GroupMention(linetest.GroupID, other, "サポートボット", "CTFに参加したい"),
		linetest.Text(linetest.UserID, "中小企業向けの支援"),
	), "sign")
	e.settle(t)
	ctx := context.Background()
	group := []string{"line:group:" + linetest.GroupID + ":" + linetest.UserID, "line:group:" + linetest.GroupID + ":" + other}
	for _, c := range append(group, "line:"+linetest.UserID) {
		if _, err := store.Load(ctx, c); err != nil {
			t.Fatalf("no state for %s before leaving: %v", c, err)
		}
	}
	e.post(linetest.Body(linetest.Leave(linetest.GroupID)), "sign")
	e.settle(t)
	for _, c := range group {
		if _, err := store.Load(ctx, c); !errors.Is(err, bot.ErrNoState) {
			t.Errorf("state of %s after leaving: %v; want ErrNoState", c, err)
		}
	}
	if _, err := store.Load(ctx, "line:"+linetest.UserID); err != nil {
		t.Errorf("one-to-one state after leaving a group: %v; want kept", err)
	}
	if n := len(e.api.Replies()); n != 3 {
		t.Errorf("%d replies; want 3 (leave is not answered)", n)
	}
}

// TestStaleRedelivery: an event LINE redelivers after its reply token's
// life is counted and logged, not answered with a dead token; one
// redelivered within it is answered.
func TestStaleRedelivery(t *testing.T) {
	var logs syncBuffer
	e := newEnv(t, echo, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	stale := linetest.Text(linetest.UserID, "子どものスマホが心配")
	stale.DeliveryContext.IsRedelivery = true
	stale.Timestamp = time.Now().Add(-redeliveredTokenLife - time.Minute).UnixMilli()
	recent := linetest.Text(linetest.UserID, "子どものスマホが心配")
	recent.DeliveryContext.IsRedelivery = true
	recent.Timestamp = time.Now().Add(-5 * time.Minute).UnixMilli()
	if rec := e.post(linetest.Body(stale, recent), "sign"); rec.Code != http.StatusOK {
		t.Fatalf("status %d; want 200", rec.Code)
	}
	e.settle(t)
	replies := e.api.Replies()
	if len(replies) != 1 || replies[0].Reply.ReplyToken != recent.ReplyToken {
		t.Errorf("replies %v; want only the recent redelivery's", replies)
	}
	if got := e.metric(t, "supportbot_outbound_failures_total", map[string]string{"platform": "line", "reason": string(metrics.ReasonStaleEvent)}); got != 1 {
		t.Errorf("failures{reason=stale_event} = %v; want 1", got)
	}
	if !strings.Contains(logs.String(), "redelivered event too old to answer") {
		t.Errorf("no WARN line for the stale redelivery:\n%s", logs.String())
	}
}

// TestLoadingNeverDelaysAReply: a loading-animation call that takes
// seconds does not hold up the reply behind it.
func TestLoadingNeverDelaysAReply(t *testing.T) {
	slow := answerFunc{answer: func(ctx context.Context, q bot.Question) (bot.Answer, error) {
		time.Sleep(50 * time.Millisecond)
		return echo.answer(ctx, q)
	}}
	e := newEnv(t, slow)
	e.h.loadingAfter = 0
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	e.api.Respond(func(w http.ResponseWriter, c linetest.Call, n int) {
		if c.Path == linetest.PathLoading {
			select {
			case <-release:
			case <-time.After(3 * time.Second):
			}
			w.WriteHeader(http.StatusAccepted)
			return
		}
		linetest.WriteSent(w, "1")
	})
	start := time.Now()
	e.post(linetest.Body(linetest.Text(linetest.UserID, "子どものスマホが心配")), "sign")
	e.api.WaitFor(t, linetest.PathReply, 1)
	if took := time.Since(start); took > time.Second {
		t.Errorf("reply after %v behind a slow loading call; want about the answer's 50ms", took)
	}
	if n := len(e.api.Loadings()); n != 1 {
		t.Errorf("%d loading calls; want 1", n)
	}
	e.settle(t)
}

// TestLoadingIsCapped: when the queue backs up and every answer is late,
// the loading endpoint is called no faster than its cap, far below
// LINE's 100 a second, and every event is still answered.
func TestLoadingIsCapped(t *testing.T) {
	const events = 3 * loadingBurst
	slow := answerFunc{answer: func(ctx context.Context, q bot.Question) (bot.Answer, error) {
		time.Sleep(10 * time.Millisecond) // every answer late: each asks for the animation
		return echo.answer(ctx, q)
	}}
	e := newEnv(t, slow, func(c *Config) { c.Pool = work.New(4, events, c.Metrics) })
	e.h.loadingAfter = 0
	var body bytes.Buffer
	var evs []linetest.Event
	for i := range events {
		evs = append(evs, linetest.Text(fmt.Sprintf("U%032x", i), "こんにちは"))
	}
	body.Write(linetest.Body(evs...))
	start := time.Now()
	e.post(body.Bytes(), "sign")
	e.settle(t)
	took := time.Since(start).Seconds()
	if n := len(e.api.Replies()); n != events {
		t.Fatalf("%d replies; want %d", n, events)
	}
	if n, limit := len(e.api.Loadings()), loadingBurst+int(took*loadingRate)+1; n > limit {
		t.Errorf("%d loading calls in %.2fs; want at most %d (burst %d, %d a second)", n, took, limit, loadingBurst, loadingRate)
	}
}

// TestRejectedFlexFallsBack: LINE refusing the rich reply (400 on the
// Flex Message) gets the same answer as plain text with the same token,
// once. Whether LINE keeps the token after a 400 is not documented: when
// it does, the person gets the plain answer; when it does not, the
// fallback is refused as "Invalid reply token", counted once and logged.
func TestRejectedFlexFallsBack(t *testing.T) {
	for _, consume := range []bool{false, true} {
		t.Run(fmt.Sprintf("token used up by the refusal: %v", consume), func(t *testing.T) {
			var logs syncBuffer
			b, _, _ := realBot(t)
			e := newEnv(t, b, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
			e.api.RejectFlex(consume)
			ev := linetest.Text(linetest.UserID, "子どものスマホが心配")
			e.post(linetest.Body(ev), "sign")
			e.settle(t)
			replies := e.api.Replies()
			if len(replies) != 2 {
				t.Fatalf("%d reply calls; want the rich one and one plain fallback", len(replies))
			}
			plain := decodeMessages(t, replies[1].Reply.Messages)
			if replies[1].Reply.ReplyToken != ev.ReplyToken || len(plain) == 0 {
				t.Fatalf("fallback %+v; want text with the same token", replies[1].Reply)
			}
			for _, m := range plain {
				if m["type"] != "text" || m["quickReply"] != nil {
					t.Errorf("fallback message %v; want plain text", m)
				}
			}
			if !strings.Contains(plain[0]["text"].(string), "1. ") {
				t.Errorf("fallback %.80q; want the programmes listed", plain[0]["text"])
			}
			if got := e.metric(t, "supportbot_outbound_calls_total", map[string]string{"op": "reply", "outcome": "fallback"}); got != 1 {
				t.Errorf("outbound{op=reply,outcome=fallback} = %v; want 1", got)
			}
			failed := e.metric(t, "supportbot_outbound_failures_total", map[string]string{"platform": "line", "reason": string(metrics.ReasonRejected)})
			if want := map[bool]float64{false: 0, true: 1}[consume]; failed != want {
				t.Errorf("failures{reason=rejected} = %v; want %v", failed, want)
			}
			if !strings.Contains(logs.String(), "platform refused a rich message, sending plain text") || !strings.Contains(logs.String(), linetest.MsgInvalidBody) {
				t.Errorf("the refusal is not logged with LINE's message:\n%s", logs.String())
			}
		})
	}
}

// syncBuffer collects log lines written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
