package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/postgres"
)

// proxy forwards TCP connections to the test server and can be stopped
// and started again on the same port: the database going away and coming
// back, as a replica sees it.
type proxy struct {
	addr   string // host:port it listens on
	target func() (net.Conn, error)

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

func newProxy(t *testing.T, base string) *proxy {
	t.Helper()
	cfg, err := pgconn.ParseConfig(base)
	if err != nil {
		t.Fatal(err)
	}
	network, address := "tcp", net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port))
	if len(cfg.Host) > 0 && cfg.Host[0] == '/' {
		network, address = "unix", fmt.Sprintf("%s/.s.PGSQL.%d", cfg.Host, cfg.Port)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{addr: ln.Addr().String(), target: func() (net.Conn, error) { return net.Dial(network, address) }}
	ln.Close()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := p.target()
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
}

// stop closes the listener and cuts every connection.
func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// url is the test schema's URL through the proxy.
func (p *proxy) url(t *testing.T, schemaURL string) string {
	t.Helper()
	cfg, err := pgconn.ParseConfig(schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	u := &url.URL{Scheme: "postgres", User: url.UserPassword(cfg.User, cfg.Password), Host: p.addr, Path: "/" + cfg.Database}
	q := url.Values{"sslmode": {"disable"}, "connect_timeout": {"2"}}
	if sp := cfg.RuntimeParams["search_path"]; sp != "" {
		q.Set("search_path", sp)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// TestDatabaseDownAndBack: a replica starts while the database is down,
// fails its writes quickly instead of hanging, then migrates and writes
// once the database is back, and fails again when it goes away.
func TestDatabaseDownAndBack(t *testing.T) {
	schema := schemaURL(t)
	p := newProxy(t, server(t))
	db, err := postgres.New(p.url(t, schema))
	if err != nil {
		t.Fatalf("New while the database is down: %v", err)
	}
	defer db.Close()
	l := postgres.NewQuestionLog(db)
	batch := func(id string) bot.LogBatch {
		return bot.LogBatch{Records: []bot.Record{{AnswerID: id, At: time.Now(), Conversation: "c", Channel: "web", Lang: bot.Japanese, Outcome: bot.OutcomeMenu}}}
	}
	write := func(id string) (time.Duration, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		_, err := l.Write(ctx, batch(id))
		return time.Since(start), err
	}
	if took, err := write("down-1"); err == nil || took > 4*time.Second {
		t.Fatalf("Write while down = %v after %v; want an error within the connect timeout", err, took)
	}
	p.start(t)
	if _, err := write("up-1"); err != nil {
		t.Fatalf("Write once the database is back: %v", err)
	}
	p.stop()
	took, err := write("down-2")
	if err == nil || took > 4*time.Second {
		t.Fatalf("Write after the database went away = %v after %v; want an error, soon", err, took)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Logf("Write after the database went away timed out: %v", err)
	}
	p.start(t)
	if _, err := write("up-2"); err != nil {
		t.Fatalf("Write after the database came back again: %v", err)
	}
	rs, err := l.Records(context.Background(), bot.RecordQuery{Since: time.Now().Add(-time.Hour)})
	if err != nil || len(rs) != 2 {
		t.Errorf("Records = %d, %v; want up-1 and up-2", len(rs), err)
	}
}
