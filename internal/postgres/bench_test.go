package postgres_test

import (
	"context"
	"flag"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/postgres"
	"github.com/supportbot/supportbot/internal/storetest"
)

var benchRecords = flag.Int("records", 1_000_000, "records in the log BenchmarkCounts counts")

// BenchmarkCounts counts a month of -records generated questions (one
// million by default): the queries behind `supportbot insights --since
// 30d`. The data is generated once into the schema sbbench_<records>,
// kept between runs (drop it with DROP SCHEMA … CASCADE).
//
//	go test ./internal/postgres -run '^$' -bench Counts -benchtime 10x
func BenchmarkCounts(b *testing.B) {
	ctx := context.Background()
	base := server(b)
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	schema := "sbbench_" + strconv.Itoa(*benchRecords)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		b.Fatal(err)
	}
	conn.Close(ctx)
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	l := postgres.NewQuestionLog(db)
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	query := bot.LogQuery{Since: start, Until: start.Add(30 * 24 * time.Hour), Zone: 9 * time.Hour}
	count := func() int {
		c, err := l.Counts(ctx, query)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, s := range c.Slices {
			n += s.Questions
		}
		return n
	}
	if count() != *benchRecords {
		if _, err := l.Prune(ctx, start.Add(365*24*time.Hour)); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := storetest.Fill(ctx, l, *benchRecords, start, 30*24*time.Hour); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d records in %v", *benchRecords, time.Since(t0).Round(time.Millisecond))
	}
	b.ResetTimer()
	for b.Loop() {
		if n := count(); n != *benchRecords {
			b.Fatalf("counted %d questions; want %d", n, *benchRecords)
		}
	}
}
