//go:build unix

package questionlog

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/sqlite"
)

// BenchmarkWriteBatch writes the question log as the server's writer
// does under cmd/loadgen at 1,500 events a second: records made as
// Answer makes them (a new answer id, the raw conversation, the time),
// taken in batches of 375 (250 ms of them) and written by writeOnce
// (conversations hashed, text cleaned, the store's Write) into a growing
// SQLite file. One op is one record, so ns/op, B/op and allocs/op are
// per record; cpu-ns/op is the process's CPU time (user and system) a
// record, which leaves out the waits for the disk that ns/op counts.
// Run it a fixed number of times, so every run writes the same table:
//
//	go test ./internal/questionlog -run '^$' -bench WriteBatch -benchtime 60000x -count 8
func BenchmarkWriteBatch(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), sqlite.FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	l, err := New(Config{Store: sqlite.NewQuestionLog(db), Secrets: db})
	if err != nil {
		b.Fatal(err)
	}
	if err := l.Ready(ctx); err != nil {
		b.Fatal(err)
	}
	const batchSize = 375
	questions := []string{
		"中小企業向けの支援", "従業員5人でIT担当いないんだけど何からやればいい？", "子どものスマホが心配", "CTFに参加したい",
		"学校で出前授業をしてほしい", "詐欺にあったかもしれない", "地域でセキュリティの勉強会を開きたい", "support for small businesses",
		"free security training for teachers at our school", "my kid got a scam message on their phone", "how can students join a security contest", "help",
	}
	outcomes := []bot.Outcome{bot.OutcomeProgrammes, bot.OutcomeProgrammes, bot.OutcomeProgrammes, bot.OutcomeCategory, bot.OutcomeNoMatch}
	channels, langs := []string{"line", "slack"}, []bot.Lang{bot.Japanese, bot.English}
	var programmes []string
	for i := range 30 {
		programmes = append(programmes, fmt.Sprintf("programme-%02d", i))
	}
	programmes = append(programmes, programmes[:2]...) // every window of three
	batch := make([]entry, 0, batchSize)
	write := func() {
		if len(batch) > 0 && !l.writeOnce(ctx, batch, retries) {
			b.Fatal("a batch was not written")
		}
		batch = batch[:0]
	}
	n := 0
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	for b.Loop() {
		n++
		at := time.Now()
		r := &bot.Record{
			AnswerID: newID(at), At: at, Conversation: fmt.Sprintf("line:U%031x", n%20000), Channel: channels[n%2],
			Lang: langs[n/2%2], Outcome: outcomes[n%len(outcomes)], Text: questions[n%len(questions)],
		}
		if r.Outcome == bot.OutcomeProgrammes {
			r.Programmes, r.TopScore = programmes[n%30:][:3], 43.16
		}
		batch = append(batch, entry{rec: r})
		if len(batch) == batchSize {
			write()
		}
	}
	write()
	b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
