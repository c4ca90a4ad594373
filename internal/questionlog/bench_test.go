package questionlog_test

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/questionlog"
	"github.com/supportbot/supportbot/internal/sqlite"
)

var (
	sustain = flag.Duration("sustain", time.Second, "how long TestSustainedRate feeds the log")
	rate    = flag.Int("rate", 2000, "questions a second TestSustainedRate feeds the log")
)

// benchQuestions mix programme answers, categories, no match and urgent.
var benchQuestions = []string{
	"中小企業向けの支援", "子どものスマホが心配", "security camp for students", "大阪の天気",
	"ウイルスに感染したかも", "中小企業向けの支援を全部", "補助金で太陽光パネル", "セキュリティの講習を学校で",
}

// BenchmarkAnswer compares answers alone with answers through the
// question log on SQLite, its writer running beside them: with the real
// engine, and with an answerer that does nothing (static), which leaves
// only what logging adds.
//
//	go test ./internal/questionlog -run '^$' -bench Answer -count 10 > log.txt; benchstat log.txt
func BenchmarkAnswer(b *testing.B) {
	engine := dialogtest.New(b)
	for _, inner := range []struct {
		name string
		a    bot.Answerer
	}{{"engine", engine}, {"static", textBot{}}} {
		b.Run(inner.name+"/bare", func(b *testing.B) { benchAnswers(b, inner.a) })
		b.Run(inner.name+"/logged", func(b *testing.B) {
			db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), sqlite.FileName))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			reg := prometheus.NewRegistry()
			l, err := questionlog.New(questionlog.Config{Store: sqlite.NewQuestionLog(db), Secrets: db, Metrics: metrics.New(reg)})
			if err != nil {
				b.Fatal(err)
			}
			if err := l.Ready(context.Background()); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); _ = l.Run(ctx) }()
			benchAnswers(b, l.Wrap(inner.a))
			b.StopTimer()
			cancel()
			<-done
			lost, _ := metrics.Sum(reg, "supportbot_question_log_dropped_total", nil)
			b.ReportMetric(lost, "lost")
		})
	}
}

func benchAnswers(b *testing.B, a bot.Answerer) {
	i := 0
	for b.Loop() {
		q := bot.Question{Conversation: fmt.Sprintf("web:bench-%d", i%1000), Text: benchQuestions[i%len(benchQuestions)], Channel: "web"}
		if _, err := a.Answer(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// TestSustainedRate feeds the log -rate questions a second for -sustain,
// as answers arrive, and checks that the writer keeps up: everything is
// written, nothing is lost, and the queue stays short. The full figure:
//
//	go test ./internal/questionlog -run SustainedRate -sustain 60s -rate 2000 -v
func TestSustainedRate(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	db := openDB(t)
	reg := prometheus.NewRegistry()
	l, err := questionlog.New(questionlog.Config{Store: sqlite.NewQuestionLog(db), Secrets: db, Metrics: metrics.New(reg)})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Ready(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = l.Run(ctx) }()
	b := l.Wrap(textBot{})

	// Questions leave in steps of 10 ms, at their time whatever the log
	// is doing (open loop).
	const step = 10 * time.Millisecond
	perStep := *rate * int(step) / int(time.Second)
	start := time.Now()
	sent, maxPending := 0, 0
	for tick := time.Duration(0); tick < *sustain; tick += step {
		time.Sleep(time.Until(start.Add(tick)))
		for range perStep {
			q := bot.Question{Conversation: fmt.Sprintf("line:U%d", sent%5000), Text: benchQuestions[sent%len(benchQuestions)] + " 090-1234-5678", Channel: "line"}
			if _, err := b.Answer(context.Background(), q); err != nil {
				t.Fatal(err)
			}
			sent++
		}
		maxPending = max(maxPending, l.Pending())
	}
	fed := time.Since(start)
	// The writer catches up within a second of the last question.
	deadline := time.Now().Add(5 * time.Second)
	for {
		written, _ := metrics.Sum(reg, "supportbot_question_log_written_total", map[string]string{"kind": "record"})
		if int(written) == sent || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	behind := time.Since(start) - fed
	cancel()
	<-done
	written, _ := metrics.Sum(reg, "supportbot_question_log_written_total", map[string]string{"kind": "record"})
	lost, _ := metrics.Sum(reg, "supportbot_question_log_dropped_total", nil)
	t.Logf("%d questions in %v (%.0f/s), %v written, %v lost; at most %d waiting; caught up %v after the last",
		sent, fed.Round(time.Millisecond), float64(sent)/fed.Seconds(), written, lost, maxPending, behind.Round(time.Millisecond))
	if int(written) != sent || lost != 0 {
		t.Errorf("%v of %d questions written, %v lost; want all written", written, sent, lost)
	}
	if maxPending > questionlog.DefaultBuffer/2 {
		t.Errorf("up to %d questions waited; the writer is not keeping up", maxPending)
	}
}

// textBot answers at once with three programmes, so the feed measures the
// log, not the engine.
type textBot struct{}

func (textBot) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	cards := []bot.Card{{ID: "sechack365", Score: 21}, {ID: "security-camp"}, {ID: "e-net-caravan"}}
	return bot.Answer{Lang: bot.Japanese, Kind: bot.KindProgrammes, Confident: true, Total: 3, Text: "3件", Cards: cards}, nil
}

func (textBot) Forget(context.Context, string) error { return nil }
