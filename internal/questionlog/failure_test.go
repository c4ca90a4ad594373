package questionlog_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/questionlog"
	"github.com/supportbot/supportbot/internal/sqlite"
)

// failingLog is a bot.QuestionLog whose writes fail or hang, for the
// failures a real database only shows now and then.
type failingLog struct {
	bot.QuestionLog
	write  func(ctx context.Context, b bot.LogBatch) (bot.LogWritten, error)
	writes atomic.Int64
}

func (f *failingLog) Write(ctx context.Context, b bot.LogBatch) (bot.LogWritten, error) {
	f.writes.Add(1)
	return f.write(ctx, b)
}

// answerWithin asks n questions and fails if any answer takes as long as
// limit: the log must never hold an answer up. limit is the least time an
// answer would take if it waited on the database (a retry's backoff, a
// write's timeout), far above an answer's own milliseconds, so that a
// loaded machine does not fail the test, a blocked answer does.
func answerWithin(t *testing.T, h *harness, n int, limit time.Duration) {
	t.Helper()
	var slowest time.Duration
	for i := range n {
		start := time.Now()
		a := h.ask(t, "web:fail-session-0001", []string{"子どものスマホが心配", "中小企業向けの支援", "大阪の天気"}[i%3])
		if a.Text == "" {
			t.Fatal("no answer")
		}
		slowest = max(slowest, time.Since(start))
	}
	if slowest > limit {
		t.Errorf("slowest of %d answers took %v; want under %v while the database fails", n, slowest, limit)
	}
}

// TestDatabaseClosed closes the database under the log: answers go on,
// every lost question is counted, and the failure is logged once, not
// once per batch.
func TestDatabaseClosed(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	h := newHarness(t, questionlog.Config{Store: sqlite.NewQuestionLog(db), Secrets: db, Timeout: 200 * time.Millisecond, Batch: 10})
	h.db = db
	h.ask(t, "web:before-closing-01", "中小企業向けの支援")
	h.records(t, 1)
	db.Close()
	answerWithin(t, h, 60, time.Second) // the writer's first retry waits 1 s
	// Three tries a batch, 1 s then 2 s apart: the first batches are lost
	// within about 3 s each.
	h.waitMetric(t, "supportbot_question_log_dropped_total", map[string]string{"kind": "record", "reason": "store"}, 10)
	if n := strings.Count(h.out.String(), "question log write failed"); n != 1 {
		t.Errorf("%d log lines about the failed writes; want 1 a minute:\n%s", n, h.out.String())
	}
}

// TestDatabaseHangs makes every write hang until its timeout: answers are
// as fast as ever, the small buffer fills, and what does not fit is
// counted as lost.
func TestDatabaseHangs(t *testing.T) {
	t.Parallel()
	hang := &failingLog{write: func(ctx context.Context, b bot.LogBatch) (bot.LogWritten, error) {
		<-ctx.Done()
		return bot.LogWritten{}, ctx.Err()
	}}
	h := newHarness(t, questionlog.Config{Store: hang, Key: []byte("0123456789abcdef0123"), Buffer: 20, Batch: 5, Timeout: 3 * time.Second})
	answerWithin(t, h, 100, 2*time.Second) // a write hangs for 3 s
	h.waitMetric(t, "supportbot_question_log_dropped_total", map[string]string{"kind": "record", "reason": "buffer_full"}, 50)
	if got := h.log.Pending(); got > 20 {
		t.Errorf("%d entries pending; the buffer holds 20", got)
	}
	// Hung writes and a full queue: one warning, not one per loss. The
	// first comes once a write has timed out (3 s); on a loaded machine
	// later, so wait for it, then make sure no second follows.
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(h.out.String(), "level=WARN") == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(3200 * time.Millisecond) // another failed write and the queue's turn
	if n := strings.Count(h.out.String(), "level=WARN"); n != 1 {
		t.Errorf("%d warnings; want 1 a minute:\n%s", n, h.out.String())
	}
}

// TestKeyUnavailable: with no LOG_HASH_KEY and a database that cannot
// give the kept key, answers go on without 👍/👎 and nothing is written.
func TestKeyUnavailable(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	db.Close()
	h := newHarness(t, questionlog.Config{Store: sqlite.NewQuestionLog(db), Secrets: db, Timeout: 100 * time.Millisecond, Batch: 1})
	a := h.ask(t, "web:no-key-session-01", "子どものスマホが心配")
	if a.Feedback != nil {
		t.Errorf("answer has 👍/👎 with no key to check them: %+v", a.Feedback)
	}
	h.waitMetric(t, "supportbot_question_log_dropped_total", map[string]string{"reason": "store"}, 1)
	if !strings.Contains(h.out.String(), "question log unavailable") {
		t.Errorf("no log line about the missing key:\n%s", h.out.String())
	}
}

// TestShutdownDrains stops the writer with questions queued: they are
// written before Run returns.
func TestShutdownDrains(t *testing.T) {
	db := openDB(t)
	l, err := questionlog.New(questionlog.Config{Store: sqlite.NewQuestionLog(db), Secrets: db, Flush: time.Hour, Batch: 1000})
	if err != nil {
		t.Fatal(err)
	}
	b := l.Wrap(staticBot{})
	for range 50 {
		if _, err := b.Answer(context.Background(), bot.Question{Conversation: "web:x", Text: "q", Channel: "web"}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- l.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	rs, err := sqlite.NewQuestionLog(db).Records(context.Background(), bot.RecordQuery{Since: time.Now().Add(-time.Hour), Limit: 100})
	if err != nil || len(rs) != 50 {
		t.Errorf("%d records after shutdown (%v); want the 50 queued", len(rs), err)
	}
	// After Run has returned, a question is counted as lost, not queued
	// for nobody.
	if a, _ := b.Answer(context.Background(), bot.Question{Conversation: "web:x", Text: "q", Channel: "web"}); a.ID != "" {
		t.Errorf("answer after shutdown has id %q; want none (not logged)", a.ID)
	}
}

// staticBot answers every question with one programme.
type staticBot struct{}

func (staticBot) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	return bot.Answer{Lang: bot.Japanese, Kind: bot.KindProgrammes, Confident: true, Total: 1, Text: "1件",
		Cards: []bot.Card{{ID: "sechack365", Title: "SecHack365", Score: 20, Sources: []bot.Source{{Line: 1}}}}}, nil
}

func (staticBot) Forget(context.Context, string) error { return nil }

var errDown = errors.New("database down")

// TestRecovers: writes fail for a while, then work; the log says so once.
func TestRecovers(t *testing.T) {
	t.Parallel()
	var down atomic.Bool
	down.Store(true)
	db := openDB(t)
	real := sqlite.NewQuestionLog(db)
	flaky := &failingLog{QuestionLog: real, write: func(ctx context.Context, b bot.LogBatch) (bot.LogWritten, error) {
		if down.Load() {
			return bot.LogWritten{}, errDown
		}
		return real.Write(ctx, b)
	}}
	h := newHarness(t, questionlog.Config{Store: flaky, Secrets: db, Batch: 1})
	h.db = db
	h.ask(t, "web:flaky-session-001", "中小企業向けの支援")
	for flaky.writes.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	down.Store(false)
	h.records(t, 1) // the retry got it through
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(h.out.String(), "question log writes again") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(h.out.String(), "question log writes again") {
		t.Errorf("no line saying writes work again:\n%s", h.out.String())
	}
}
