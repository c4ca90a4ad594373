package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/supportbot/supportbot/internal/bot"
)

// Claim implements bot.Claims. The upsert takes the row only when it is
// free to take (new, the holder's own, or its lease has run out and it is
// not done). Racing upserts of one name queue on its row lock, and each
// checks the WHERE against the row the one before committed, so exactly
// one of them takes a free job.
func (db *DB) Claim(ctx context.Context, name, holder string, now time.Time, lease time.Duration) (bot.Claim, error) {
	if err := db.Migrate(ctx); err != nil {
		return bot.Claim{}, err
	}
	var (
		c     bot.Claim
		until int64
		done  *int64
	)
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO claims (name, holder, lease_until, claimed_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until, claimed_at = excluded.claimed_at
			WHERE claims.done_at IS NULL AND (claims.holder = excluded.holder OR claims.lease_until <= $4)`,
			name, holder, now.Add(lease).UnixMilli(), now.UnixMilli()); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT holder, lease_until, done_at FROM claims WHERE name = $1`, name).Scan(&c.Holder, &until, &done)
	})
	if err != nil {
		return bot.Claim{}, fmt.Errorf("postgres: claim %s: %w", name, err)
	}
	c.Until, c.Done = time.UnixMilli(until).UTC(), done != nil
	return c, nil
}

// Finish implements bot.Claims.
func (db *DB) Finish(ctx context.Context, name, holder string, now time.Time) error {
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	tag, err := db.pool.Exec(ctx, `UPDATE claims SET done_at = $1 WHERE name = $2 AND holder = $3 AND done_at IS NULL`,
		now.UnixMilli(), name, holder)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: finish %s: %w", name, err)
	case tag.RowsAffected() == 0:
		return fmt.Errorf("postgres: finish %s: %w", name, bot.ErrClaimLost)
	}
	return nil
}

var _ bot.Claims = (*DB)(nil)
