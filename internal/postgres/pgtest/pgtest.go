// Package pgtest finds a PostgreSQL server for tests and gives each test
// a schema of its own: the store's tests and the end-to-end tests of
// cmd/supportbot use one way to reach it and to skip without it.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names a database the tests may create schemas in. CI (.ci/run)
// sets it; without it the tests try Debian's local cluster over its Unix
// socket as the postgres role, and skip when nothing answers.
const EnvURL = "SUPPORTBOT_TEST_DATABASE_URL"

var localURLs = []string{
	"postgres:///postgres?host=/var/run/postgresql&user=postgres",
	"postgres:///postgres?host=/var/run/postgresql",
}

var (
	serverOnce sync.Once
	serverURL  string
	serverWhy  string
)

// ServerURL returns the URL of a reachable PostgreSQL, or skips the test
// (fails it when EnvURL is set but does not answer).
func ServerURL(t testing.TB) string {
	t.Helper()
	serverOnce.Do(func() {
		candidates := localURLs
		if u := os.Getenv(EnvURL); u != "" {
			candidates = []string{u}
		}
		var errs []string
		for _, u := range candidates {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			conn, err := pgx.Connect(ctx, u)
			cancel()
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			conn.Close(context.Background())
			serverURL = u
			return
		}
		serverWhy = strings.Join(errs, "; ")
	})
	if serverURL == "" {
		if os.Getenv(EnvURL) != "" {
			t.Fatalf("%s is set but the database does not answer: %s", EnvURL, serverWhy)
		}
		t.Skipf("no PostgreSQL reachable (%s): set %s=postgres://user:password@host/db, or start Debian's cluster (pg_ctlcluster 15 main start) with a role for this user; .ci/run shows how", serverWhy, EnvURL)
	}
	return serverURL
}

// SchemaURL creates a schema of its own for one test, dropped at its end,
// and returns the server's URL with the schema as its search path.
func SchemaURL(t testing.TB) string {
	t.Helper()
	base := ServerURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "sbtest_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
