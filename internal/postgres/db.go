package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is a database: a pool of connections, made at first use. It is
// safe for concurrent use.
type DB struct {
	pool *pgxpool.Pool

	mu       sync.Mutex // held while migrating
	migrated bool
}

// connectTimeout bounds connecting, so a database that is down fails fast
// instead of holding up start-up or a write.
const connectTimeout = 5 * time.Second

// New makes a pool for the database at url
// (postgres://user:password@host/db) without connecting: a database that
// is down does not stop a replica from starting. The schema is brought up
// to date by Migrate, or by the first call that needs it.
func New(url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return nil, errors.New("postgres: DATABASE_URL is not a PostgreSQL URL (postgres://user:password@host:5432/db)")
	}
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > connectTimeout {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	cfg.MaxConns = max(cfg.MaxConns, 4)
	cfg.MinConns = 0 // connect at first use
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &DB{pool: pool}, nil
}

// Open is New, then Migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	db, err := New(url)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Migrate brings the schema up to date, once: after it has succeeded it
// returns nil at once.
func (db *DB) Migrate(ctx context.Context) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.migrated {
		return nil
	}
	if err := migrate(ctx, db.pool); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	db.migrated = true
	return nil
}

// Close closes the pool, waiting for connections in use.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

// Secret implements bot.Secrets.
func (db *DB) Secret(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	var v []byte
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO secrets (name, value, created) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
			name, fresh, time.Now().UnixMilli()); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT value FROM secrets WHERE name = $1`, name).Scan(&v)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: secret %s: %w", name, err)
	}
	return v, nil
}
