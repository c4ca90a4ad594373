package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/postgres"
	"github.com/supportbot/supportbot/internal/postgres/pgtest"
	"github.com/supportbot/supportbot/internal/storetest"
)

// server and schemaURL are pgtest's: a reachable server or a skip, and a
// schema of its own for each test.
var (
	server    = pgtest.ServerURL
	schemaURL = pgtest.SchemaURL
)

func open(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), schemaURL(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestTickets(t *testing.T) {
	storetest.Tickets(t, func(t *testing.T) handoff.Store { return postgres.NewTickets(open(t)) })
}

func TestQuestionLog(t *testing.T) {
	storetest.QuestionLog(t, func(t *testing.T) bot.QuestionLog { return postgres.NewQuestionLog(open(t)) })
}

func TestSecrets(t *testing.T) {
	storetest.Secrets(t, func(t *testing.T) bot.Secrets { return open(t) })
}

func TestClaims(t *testing.T) {
	storetest.Claims(t, func(t *testing.T) bot.Claims { return open(t) })
}

// TestReplicasMigrateOnce starts several replicas on one empty database at
// once: each migration is applied once, and every replica comes up.
func TestReplicasMigrateOnce(t *testing.T) {
	u := schemaURL(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	dbs := make([]*postgres.DB, 6)
	for i := range dbs {
		wg.Go(func() { dbs[i], errs[i] = postgres.Open(context.Background(), u) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: Open: %v", i, err)
		}
		defer dbs[i].Close()
	}
	v, err := dbs[0].Version(context.Background())
	if err != nil || v < 1 {
		t.Fatalf("Version = %d, %v; want at least 1", v, err)
	}
	conn, err := pgx.Connect(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var rows, distinct int
	if err := conn.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != v || distinct != v {
		t.Errorf("schema_migrations holds %d rows of %d versions; want each of the %d once", rows, distinct, v)
	}
}

func TestOpenRefusesBadURL(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://user:hunter2@[::1:5432/db")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("Open(bad URL) = %v; want an error that does not repeat the password", err)
	}
}

func TestOpenDownFailsFast(t *testing.T) {
	start := time.Now()
	_, err := postgres.Open(context.Background(), "postgres://nobody:secret@127.0.0.1:1/db?connect_timeout=1")
	if err == nil {
		t.Fatal("Open(nothing listening) succeeded")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("Open error %q repeats the password", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Open(nothing listening) took %v", took)
	}
}

// TestListen: a message for the person added through one connection pool
// (one replica) is heard by another's Listen, as the key of its
// conversation, after Listen first says "*" (anyone may have missed
// something).
func TestListen(t *testing.T) {
	u := schemaURL(t)
	a, err := postgres.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := postgres.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	heard := make(chan string, 16)
	done := make(chan error, 1)
	go func() { done <- b.Listen(ctx, func(k string) { heard <- k }) }()
	defer func() { cancel(); <-done }()
	select {
	case k := <-heard:
		if k != "*" {
			t.Fatalf("first heard %q; want *", k)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Listen did not start")
	}
	s := postgres.NewTickets(a)
	tk, err := s.Open(context.Background(), handoff.Ticket{Conversation: "web:listener", Channel: "web", Lang: bot.Japanese, Opened: time.Now()},
		handoff.Message{Side: handoff.SideStaff, Kind: handoff.KindTicket, Source: "ticket", At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Add(context.Background(), handoff.Message{Ticket: tk.ID, Side: handoff.SidePerson, Kind: handoff.KindText, Text: "{}", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	select {
	case k := <-heard:
		if k != handoff.Key("web:listener") {
			t.Errorf("heard %q; want the conversation's key %q", k, handoff.Key("web:listener"))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the message was not heard")
	}
	select {
	case k := <-heard:
		t.Errorf("heard %q too: a message for the staff is not announced", k)
	case <-time.After(100 * time.Millisecond):
	}
}
