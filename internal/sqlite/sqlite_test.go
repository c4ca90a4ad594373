package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/sqlite"
	"github.com/supportbot/supportbot/internal/storetest"
)

func open(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestQuestionLog(t *testing.T) {
	storetest.QuestionLog(t, func(t *testing.T) bot.QuestionLog { return sqlite.NewQuestionLog(open(t)) })
}

func TestTickets(t *testing.T) {
	storetest.Tickets(t, func(t *testing.T) handoff.Store { return sqlite.NewTickets(open(t)) })
}

func TestSecrets(t *testing.T) {
	storetest.Secrets(t, func(t *testing.T) bot.Secrets { return open(t) })
}

// TestProcessesMigrateOnce opens one new file from several goroutines at
// once, each with connections of its own as a process would have: each
// migration is applied once and every opener comes up.
func TestProcessesMigrateOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	var wg sync.WaitGroup
	dbs := make([]*sqlite.DB, 6)
	errs := make([]error, len(dbs))
	for i := range dbs {
		wg.Go(func() { dbs[i], errs[i] = sqlite.Open(context.Background(), path) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("opener %d: %v", i, err)
		}
		defer dbs[i].Close()
	}
	v, err := dbs[0].Version(context.Background())
	if err != nil || v < 1 {
		t.Fatalf("Version = %d, %v; want at least 1", v, err)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var rows, distinct int
	if err := raw.QueryRow(`SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != v || distinct != v {
		t.Errorf("schema_migrations holds %d rows of %d versions; want each of the %d once", rows, distinct, v)
	}
}

// TestWriteKnownRecords writes a batch of several INSERT chunks again
// with new records and votes among them: only the new records are
// stored and counted, the votes count, and every column reads back as
// written.
func TestWriteKnownRecords(t *testing.T) {
	ctx := context.Background()
	l := sqlite.NewQuestionLog(open(t))
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	var rs []bot.Record
	for i := range 300 {
		r := bot.Record{
			AnswerID: fmt.Sprintf("id-%03d", i), At: t0.Add(time.Duration(i) * time.Second), Conversation: fmt.Sprintf("conv-%d", i%7),
			Channel: "line", Lang: bot.Japanese, Outcome: bot.OutcomeProgrammes, Action: bot.ActionAsk, Text: fmt.Sprintf("質問 <%d> \"quoted\"", i),
			Programmes: []string{"p1", fmt.Sprintf("p%d", 2+i%3)}, TopScore: float64(i) + 0.25,
		}
		if i%5 == 0 {
			r.Outcome, r.Action, r.Programmes, r.TopScore = bot.OutcomeNoMatch, "", nil, 0
		}
		rs = append(rs, r)
	}
	if w, err := l.Write(ctx, bot.LogBatch{Records: rs[:200]}); err != nil || w.Records != 200 {
		t.Fatalf("Write(200 new) = %+v, %v; want 200 records", w, err)
	}
	// The known ones among the new, and a new one twice.
	again := append(append(append([]bot.Record{}, rs[150:]...), rs[:10]...), rs[299])
	ballots := []bot.Ballot{{AnswerID: rs[250].AnswerID, Conversation: rs[250].Conversation, Vote: bot.VoteUp, At: t0.Add(time.Hour)}}
	if w, err := l.Write(ctx, bot.LogBatch{Records: again, Ballots: ballots}); err != nil || w.Records != 100 || w.Ballots != 1 {
		t.Fatalf("Write(100 new, 60 known, one twice, a vote) = %+v, %v; want 100 records and 1 ballot", w, err)
	}
	got, err := l.Records(ctx, bot.RecordQuery{Since: t0, Limit: 1000})
	if err != nil || len(got) != len(rs) {
		t.Fatalf("Records = %d, %v; want %d", len(got), err, len(rs))
	}
	for i, r := range got {
		want := rs[len(rs)-1-i] // newest first
		if want.Programmes == nil {
			want.Programmes = []string{}
		}
		if want.AnswerID == rs[250].AnswerID {
			want.Vote = bot.VoteUp
		}
		if !reflect.DeepEqual(r, want) {
			t.Errorf("record %d = %+v; want %+v", i, r, want)
		}
	}
	c, err := l.Counts(ctx, bot.LogQuery{Since: t0, Until: t0.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	questions, up := 0, 0
	for _, s := range c.Slices {
		questions += s.Questions
		up += s.Up
	}
	if questions != len(rs) || up != 1 {
		t.Errorf("Counts: %d questions, %d up; want %d and 1", questions, up, len(rs))
	}
	for _, p := range c.Programmes {
		if p.ID == "p1" && (p.Shown != 240 || p.First != 240) {
			t.Errorf("p1 shown %d, first %d; want 240 and 240", p.Shown, p.First)
		}
	}
}

// TestClosed checks that a closed database fails with an error, the way
// the question log sees a database that went away.
func TestClosed(t *testing.T) {
	db := open(t)
	l := sqlite.NewQuestionLog(db)
	db.Close()
	if _, err := l.Write(context.Background(), bot.LogBatch{Records: []bot.Record{{AnswerID: "x", At: time.Now()}}}); err == nil {
		t.Error("Write on a closed database succeeded")
	}
	if err := db.Ping(context.Background()); err == nil {
		t.Error("Ping on a closed database succeeded")
	}
}

func TestOpenUnwritable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// A data directory that is a file cannot hold the database.
	if _, err := sqlite.Open(context.Background(), filepath.Join(file, sqlite.FileName)); err == nil {
		t.Error("Open under a file succeeded")
	}
}

func TestClaims(t *testing.T) {
	storetest.Claims(t, func(t *testing.T) bot.Claims { return open(t) })
}

// TestClaimsAcrossProcesses races claims from several openers of one
// file, each with connections of its own as a process would have: the
// file lock, not the one writer connection of a DB, decides.
func TestClaimsAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	dbs := make([]*sqlite.DB, 4)
	for i := range dbs {
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for round := range 5 {
		name := fmt.Sprint("digest-", round)
		var wg sync.WaitGroup
		held := make([]bool, len(dbs))
		for i, db := range dbs {
			wg.Go(func() {
				holder := fmt.Sprint("replica-", i)
				c, err := db.Claim(context.Background(), name, holder, now, time.Minute)
				if err != nil {
					t.Errorf("replica %d: %v", i, err)
				}
				held[i] = c.Held(holder)
			})
		}
		wg.Wait()
		if n := count(held); n != 1 {
			t.Errorf("round %d: %d replicas got the job; want 1", round, n)
		}
	}
}

func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
