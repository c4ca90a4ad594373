package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// Claim implements bot.Claims. The upsert takes the row only when it is
// free to take (new, the holder's own, or its lease has run out and it is
// not done); the write lock of the IMMEDIATE transaction makes racing
// claims take turns.
func (db *DB) Claim(ctx context.Context, name, holder string, now time.Time, lease time.Duration) (bot.Claim, error) {
	var (
		c     bot.Claim
		until int64
		done  sql.NullInt64
	)
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO claims (name, holder, lease_until, claimed_at) VALUES (?1, ?2, ?3, ?4)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until, claimed_at = excluded.claimed_at
			WHERE claims.done_at IS NULL AND (claims.holder = excluded.holder OR claims.lease_until <= ?4)`,
			name, holder, now.Add(lease).UnixMilli(), now.UnixMilli()); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT holder, lease_until, done_at FROM claims WHERE name = ?`, name).Scan(&c.Holder, &until, &done)
	})
	if err != nil {
		return bot.Claim{}, fmt.Errorf("sqlite: claim %s: %w", name, err)
	}
	c.Until, c.Done = time.UnixMilli(until).UTC(), done.Valid
	return c, nil
}

// Finish implements bot.Claims.
func (db *DB) Finish(ctx context.Context, name, holder string, now time.Time) error {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE claims SET done_at = ? WHERE name = ? AND holder = ? AND done_at IS NULL`,
			now.UnixMilli(), name, holder)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	switch {
	case err != nil:
		return fmt.Errorf("sqlite: finish %s: %w", name, err)
	case n == 0:
		return fmt.Errorf("sqlite: finish %s: %w", name, bot.ErrClaimLost)
	}
	return nil
}

var _ bot.Claims = (*DB)(nil)
