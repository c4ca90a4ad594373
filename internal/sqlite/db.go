package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	msqlite "modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// FileName is the database's file name under the data directory.
const FileName = "supportbot.db"

// busyTimeout is how long a statement waits for another process's write
// lock before it fails.
const busyTimeout = 10 * time.Second

// DB is an open database. It is safe for concurrent use.
type DB struct {
	path string
	w    *sql.DB // one connection, IMMEDIATE transactions
	r    *sql.DB // readers
}

// Open opens (creating it if need be) the database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	dsn := func(txlock string) string {
		q := url.Values{}
		q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_pragma", "foreign_keys(1)")
		if txlock != "" {
			q.Set("_txlock", txlock)
			// The writer's statement journal (the pages an INSERT of a
			// hundred rows changes, kept until it ends) in memory, not
			// spilled past 64 KB into a temporary file: the question log's
			// random answer ids change pages all over its index, and the
			// spill's writes were a third of the writer's system calls
			// (go test ./internal/sqlite -bench Write: −20 % time).
			// Readers keep the default, for the sorts of large insights.
			q.Add("_pragma", "temp_store(MEMORY)")
		}
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn("immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", dsn(""))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	db := &DB{path: path, w: w, r: r}
	if err := migrateRetrying(ctx, w); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return db, nil
}

// migrateRetrying migrates, trying again while the file is busy. SQLite
// waits for a lock (busy_timeout) except where waiting could deadlock,
// which happens when processes open a new file at once: one switches it
// to the write-ahead log (which needs the file to itself) while another
// holds the write lock to migrate; one of them gets SQLITE_BUSY at once.
// Trying again a little later settles it (TestProcessesMigrateOnce).
func migrateRetrying(ctx context.Context, w *sql.DB) error {
	deadline := time.Now().Add(busyTimeout)
	wait := 10 * time.Millisecond
	for {
		err := migrate(ctx, w)
		if !busy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-time.After(wait):
			wait = min(2*wait, 200*time.Millisecond)
		case <-ctx.Done():
			return err
		}
	}
}

// busy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func busy(err error) bool {
	var se *msqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// Close closes the database; calls after it fail.
func (db *DB) Close() error {
	return errors.Join(db.w.Close(), db.r.Close())
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.r.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// Secret implements bot.Secrets.
func (db *DB) Secret(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	var v []byte
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO secrets (name, value, created) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
			name, fresh, time.Now().UnixMilli()); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&v)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: secret %s: %w", name, err)
	}
	return v, nil
}

// write runs f in an IMMEDIATE transaction and commits it if f succeeds.
func (db *DB) write(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
