package questionlog_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/bot/bottest"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/questionlog"
	"github.com/supportbot/supportbot/internal/sqlite"
)

// harness is a Log over a real SQLite file in front of the real engine,
// its writer running until the test ends.
type harness struct {
	db  *sqlite.DB
	log *questionlog.Log
	bot bot.Answerer
	reg *prometheus.Registry
	out *syncBuffer
}

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

func openDB(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newHarness(t testing.TB, cfg questionlog.Config) *harness {
	t.Helper()
	h := &harness{reg: prometheus.NewRegistry(), out: &syncBuffer{}}
	if cfg.Store == nil {
		h.db = openDB(t)
		cfg.Store, cfg.Secrets = sqlite.NewQuestionLog(h.db), h.db
	}
	if cfg.Flush == 0 {
		cfg.Flush = 5 * time.Millisecond
	}
	cfg.Metrics = metrics.New(h.reg)
	cfg.Logger = slog.New(slog.NewTextHandler(h.out, nil))
	l, err := questionlog.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Ready(context.Background()); err != nil && cfg.Secrets != nil {
		t.Logf("Ready: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = l.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	h.log, h.bot = l, l.Wrap(dialogtest.New(t))
	return h
}

func (h *harness) ask(t testing.TB, conv, text string) bot.Answer {
	t.Helper()
	a, err := h.bot.Answer(context.Background(), bot.Question{Conversation: conv, Text: text, Channel: "line"})
	if err != nil {
		t.Fatal(err)
	}
	if p := bottest.Problems(a); len(p) > 0 {
		t.Errorf("Answer(%q): %v", text, p)
	}
	return a
}

func (h *harness) tap(t testing.TB, conv string, act bot.Action) bot.Answer {
	t.Helper()
	a, err := h.bot.Answer(context.Background(), bot.Question{Conversation: conv, Action: &act, Channel: "line"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// records waits until the log holds n records and returns them, newest
// first.
func (h *harness) records(t testing.TB, n int) []bot.Record {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		rs, err := sqlite.NewQuestionLog(h.db).Records(context.Background(), bot.RecordQuery{Since: time.Now().Add(-time.Hour), Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) >= n || time.Now().After(deadline) {
			if len(rs) != n {
				t.Fatalf("%d records logged; want %d", len(rs), n)
			}
			return rs
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *harness) metric(t testing.TB, name string, labels map[string]string) float64 {
	t.Helper()
	v, err := metrics.Sum(h.reg, name, labels)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// waitMetric waits until a counter reaches want.
func (h *harness) waitMetric(t testing.TB, name string, labels map[string]string, want float64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.metric(t, name, labels) < want {
		if time.Now().After(deadline) {
			t.Fatalf("%s%v = %v; want %v", name, labels, h.metric(t, name, labels), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestQuestionsLogged(t *testing.T) {
	h := newHarness(t, questionlog.Config{})
	const conv = "line:U1234567890abcdef"
	prog := h.ask(t, conv, "子どものスマホが心配です。090-1234-5678 まで連絡ください")
	none := h.ask(t, conv, "大阪の天気 taro@example.jp")
	menu := h.tap(t, conv, bot.Action{Kind: bot.ActionCategory, Value: "sme"})
	h.tap(t, conv, bot.Action{Kind: bot.ActionGreet}) // a platform event: not a question
	if prog.ID == "" || prog.Feedback == nil || len(prog.Cards) == 0 {
		t.Fatalf("programme answer: id %q, feedback %v, %d cards; want an id and 👍/👎", prog.ID, prog.Feedback, len(prog.Cards))
	}
	if none.ID == "" || none.Feedback != nil {
		t.Errorf("no-match answer: id %q, feedback %v; want an id and no 👍/👎", none.ID, none.Feedback)
	}
	rs := h.records(t, 3)
	byID := map[string]bot.Record{}
	for _, r := range rs {
		byID[r.AnswerID] = r
		if _, err := hex.DecodeString(r.Conversation); err != nil || len(r.Conversation) != 32 || strings.Contains(r.Conversation, "U1234") {
			t.Errorf("stored conversation %q; want a 32-digit keyed hash, never the id", r.Conversation)
		}
		if r.Conversation != rs[0].Conversation {
			t.Errorf("one conversation hashed two ways: %q and %q", r.Conversation, rs[0].Conversation)
		}
	}
	p := byID[prog.ID]
	if p.Outcome != bot.OutcomeProgrammes || p.Channel != "line" || p.Lang != bot.Japanese || p.TopScore <= 0 ||
		len(p.Programmes) != len(prog.Cards) || p.Programmes[0] != prog.Cards[0].ID {
		t.Errorf("programme record = %+v; want programmes as shown, channel line, ja, a top score", p)
	}
	if want := "子どものスマホが心配です。[phone] まで連絡ください"; p.Text != want {
		t.Errorf("stored text %q; want %q", p.Text, want)
	}
	if n := byID[none.ID]; n.Outcome != bot.OutcomeNoMatch || n.Text != "大阪の天気 [email]" || len(n.Programmes) != 0 {
		t.Errorf("no-match record = %+v; want no_match, the address redacted", n)
	}
	if m := byID[menu.ID]; m.Outcome != bot.OutcomeCategory || m.Action != bot.ActionCategory || m.Text != "" {
		t.Errorf("category tap record = %+v; want category, the action, no text", m)
	}
	// The writer counts a batch once it is committed, so the records can
	// be read a moment before the counter moves: wait for it, then check
	// it stopped at three.
	h.waitMetric(t, "supportbot_question_log_written_total", map[string]string{"kind": "record"}, 3)
	if got := h.metric(t, "supportbot_question_log_written_total", map[string]string{"kind": "record"}); got != 3 {
		t.Errorf("written records = %v; want 3", got)
	}
}

// TestFeedback taps 👍 and 👎 on answers: one's own is recorded (a second
// tap changes the vote), someone else's or a made-up one is refused.
func TestFeedback(t *testing.T) {
	h := newHarness(t, questionlog.Config{})
	const mine, theirs = "web:mine-session-0001", "web:other-session-001"
	a := h.ask(t, mine, "子どものスマホが心配")
	other := h.ask(t, theirs, "中小企業向けの支援")
	_, _, tag, _ := bot.ParseBallot(a.Feedback.Up.Value)
	forged := func(v bot.Vote, id, tag string) bot.Action {
		return bot.Action{Kind: bot.ActionFeedback, Value: bot.BallotValue(v, id, tag)}
	}
	tests := []struct {
		name     string
		conv     string
		act      bot.Action
		accepted bool
		want     bot.Vote // the vote stored on a's answer afterwards
	}{
		{"my 👍", mine, a.Feedback.Up, true, bot.VoteUp},
		{"my 👎 changes it", mine, a.Feedback.Down, true, bot.VoteDown},
		{"my 👍 again", mine, a.Feedback.Up, true, bot.VoteUp},
		{"someone else taps my button", theirs, a.Feedback.Down, false, bot.VoteUp},
		{"I tap someone else's button", mine, other.Feedback.Down, false, bot.VoteUp},
		{"an answer id made up", mine, forged(bot.VoteDown, "AAAAAAAAAAAAAAAA", tag), false, bot.VoteUp},
		{"a tag made up", mine, forged(bot.VoteDown, a.ID, "AAAAAAAAAAAAAAAA"), false, bot.VoteUp},
		{"a bare vote", mine, bot.Action{Kind: bot.ActionFeedback, Value: "down"}, false, bot.VoteUp},
		{"garbage", mine, bot.Action{Kind: bot.ActionFeedback, Value: "<script>"}, false, bot.VoteUp},
	}
	accepted := 0.0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := h.tap(t, tt.conv, tt.act)
			refusal := strings.Contains(reply.Text, "受け付けられませんでした")
			if reply.Kind != bot.KindFeedback || refusal == tt.accepted {
				t.Errorf("reply = %s %q; want a feedback reply, accepted %v", reply.Kind, reply.Text, tt.accepted)
			}
			if tt.accepted {
				accepted++
			}
			if reply.ID != "" || reply.Feedback != nil {
				t.Errorf("the reply to a vote has id %q and feedback %v; want neither", reply.ID, reply.Feedback)
			}
			h.waitMetric(t, "supportbot_question_log_written_total", map[string]string{"kind": "vote"}, accepted)
			for _, r := range h.records(t, 2) {
				if r.AnswerID == a.ID && r.Vote != tt.want {
					t.Errorf("stored vote %q; want %q", r.Vote, tt.want)
				}
				if r.AnswerID == other.ID && r.Vote != "" {
					t.Errorf("the other answer got a vote: %q", r.Vote)
				}
			}
		})
	}
	if got := h.metric(t, "supportbot_feedback_total", map[string]string{"result": "refused"}); got != 6 {
		t.Errorf("refused taps counted %v; want 6", got)
	}
	// A 👎 is followed by the menu and the contact points.
	down := h.tap(t, mine, a.Feedback.Down)
	if len(down.Contacts) == 0 || len(down.Suggestions) == 0 {
		t.Errorf("reply to 👎 has %d contact points and %d suggestions; want both", len(down.Contacts), len(down.Suggestions))
	}
}

// TestVoteForPrunedAnswer: a genuine button of an answer the log no longer
// holds is counted as lost (unknown_answer), not stored.
func TestVoteForPrunedAnswer(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	h := newHarness(t, questionlog.Config{Retention: time.Hour, Now: func() time.Time { return clock() }})
	a := h.ask(t, "web:pruned-session-01", "子どものスマホが心配")
	h.records(t, 1)
	now = now.Add(3 * time.Hour)
	if n, err := h.log.Prune(context.Background()); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1", n, err)
	}
	h.tap(t, "web:pruned-session-01", a.Feedback.Up)
	h.waitMetric(t, "supportbot_question_log_dropped_total", map[string]string{"kind": "vote", "reason": "unknown_answer"}, 1)
}

func TestKeyKeptInStore(t *testing.T) {
	db := openDB(t)
	logged := 0
	hash := func(key []byte) string {
		h := newHarness(t, questionlog.Config{Store: sqlite.NewQuestionLog(db), Secrets: db, Key: key})
		h.db = db
		h.ask(t, "slack:T1:U1:C1", "hello")
		logged++
		return h.records(t, logged)[0].Conversation
	}
	first, second := hash(nil), hash(nil)
	if first != second {
		t.Errorf("two logs on one store hash a conversation as %q and %q; want the kept key shared", first, second)
	}
	if set := hash([]byte("a LOG_HASH_KEY of 32 characters!")); set == first {
		t.Errorf("LOG_HASH_KEY did not change the hash")
	}
	if _, err := questionlog.New(questionlog.Config{Store: sqlite.NewQuestionLog(db), Key: []byte("short")}); err == nil {
		t.Error("New accepted a 5-byte key")
	}
}
