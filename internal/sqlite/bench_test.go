package sqlite_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/sqlite"
	"github.com/supportbot/supportbot/internal/storetest"
)

var benchRecords = flag.Int("records", 1_000_000, "records in the log BenchmarkCounts counts")

// BenchmarkCounts counts a month of -records generated questions (one
// million by default): the queries behind `supportbot insights --since 30d`.
// The database is generated once per -records and kept in
// $TMPDIR/supportbot-bench/supportbot.db (3 minutes for a million rows on
// a busy 2-core machine), where `supportbot insights --data-dir` reads it
// too:
//
//	go test ./internal/sqlite -run '^$' -bench Counts -benchtime 10x
//	time supportbot insights --data-dir /tmp/supportbot-bench --since 2026-11-01 --until 2026-12-01 --json
func BenchmarkCounts(b *testing.B) {
	ctx := context.Background()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	path := filepath.Join(os.TempDir(), "supportbot-bench", sqlite.FileName)
	db := benchDB(b, path, *benchRecords, start)
	l := sqlite.NewQuestionLog(db)
	q := bot.LogQuery{Since: start, Until: start.Add(30 * 24 * time.Hour), Zone: 9 * time.Hour}
	b.ResetTimer()
	var c bot.LogCounts
	for b.Loop() {
		var err error
		if c, err = l.Counts(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n := 0
	for _, s := range c.Slices {
		n += s.Questions
	}
	if n != *benchRecords {
		b.Fatalf("counted %d questions; want %d", n, *benchRecords)
	}
	b.ReportMetric(float64(n), "questions")
}

// benchDB opens the generated database at path, filling it first when it
// does not hold n records.
func benchDB(b *testing.B, path string, n int, start time.Time) *sqlite.DB {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	rs, err := sqlite.NewQuestionLog(db).Records(ctx, bot.RecordQuery{Since: start, Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	var have int
	if len(rs) > 0 {
		c, err := sqlite.NewQuestionLog(db).Counts(ctx, bot.LogQuery{Since: start, Until: start.Add(31 * 24 * time.Hour)})
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range c.Slices {
			have += s.Questions
		}
	}
	if have == n {
		return db
	}
	db.Close()
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(f)
	}
	if db, err = sqlite.Open(ctx, path); err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	if err := storetest.Fill(ctx, sqlite.NewQuestionLog(db), n, start, 30*24*time.Hour); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d records in %v", n, time.Since(t0).Round(time.Millisecond))
	return db
}

// BenchmarkWrite writes the question log as the server does under
// cmd/loadgen: a batch of 400 records (200 ms at 2,000 events a second),
// each answered with programmes, into a growing table. Conversations are
// random, as the log's keyed hashes are; answer ids grow with the time,
// as questionlog makes them (random ids, before, put each record on a
// page of its own all over the unique index: twice the time); channels,
// languages, outcomes and programmes vary, so a batch adds to a few
// dozen hourly counts. The whole writer, answer ids, hashes and cleaning
// included: go test ./internal/questionlog -bench WriteBatch.
func BenchmarkWrite(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), sqlite.FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	l := sqlite.NewQuestionLog(db)
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	batch := make([]bot.Record, 400)
	channels, langs := []string{"line", "slack"}, []bot.Lang{"ja", "en"}
	outcomes := []bot.Outcome{bot.OutcomeProgrammes, bot.OutcomeCategory, bot.OutcomeClarification, bot.OutcomeUrgent, bot.OutcomeNoMatch}
	var programmes []string
	for i := range 30 {
		programmes = append(programmes, fmt.Sprintf("programme-%02d", i))
	}
	programmes = append(programmes, programmes[:2]...) // every window of three
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		for i := range batch {
			n++
			batch[i] = bot.Record{
				AnswerID: fmt.Sprintf("%012x%04x", at.Add(time.Duration(n)*time.Millisecond).UnixMilli(), uint64(n)*0x9E3779B97F4A7C15>>48), At: at.Add(time.Duration(n) * time.Millisecond),
				Conversation: fmt.Sprintf("%016x", uint64(n%20000)*0xBF58476D1CE4E5B9), Channel: channels[n%2], Lang: langs[n/2%2], Outcome: outcomes[n%len(outcomes)],
				Text: "従業員5人でIT担当いないんだけど何からやればいい？", Programmes: programmes[n%30:][:3], TopScore: 43.16,
			}
		}
		if _, err := l.Write(ctx, bot.LogBatch{Records: batch}); err != nil {
			b.Fatal(err)
		}
	}
}
