package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/tally"
)

// Tickets is handoff.Store in the database. An SQLite file serves one
// process: with several replicas, keep the tickets in PostgreSQL.
type Tickets struct {
	db *DB
	// current is Current's statement, prepared once: the desk asks it
	// of every question on LINE and the web chat.
	prepare sync.Once
	current *sql.Stmt
	prepErr error
}

var _ handoff.Store = (*Tickets)(nil)

// NewTickets returns the handoff tickets kept in db.
func NewTickets(db *DB) *Tickets { return &Tickets{db: db} }

// currentWhere picks a conversation's open ticket; currentQuery reads it.
const (
	currentWhere = `WHERE conversation = ? AND state <> 'closed'`
	currentQuery = `SELECT ` + ticketColumns + ` FROM handoff_tickets ` + currentWhere
)

const ticketColumns = `id, conversation, channel, lang, state, opened_at, opens_at, taken_by, taken_at,
	closed_at, closed_by, closer, rating, recent, thread, reminders`

const messageColumns = `id, ticket, side, kind, source, body, by_whom, files, at, state, attempts, retry_key`

// Open implements handoff.Store.
func (s *Tickets) Open(ctx context.Context, t handoff.Ticket, msgs ...handoff.Message) (handoff.Ticket, error) {
	recent, err := handoff.EncodeRecent(t.Recent)
	if err != nil {
		return handoff.Ticket{}, fmt.Errorf("sqlite: ticket: %w", err)
	}
	var out handoff.Ticket
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		cur, err := scanTicket(tx.QueryRowContext(ctx, currentQuery, t.Conversation))
		if err == nil {
			out = cur
			return handoff.ErrOpen
		}
		if !errors.Is(err, handoff.ErrNotFound) {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO handoff_tickets (conversation, channel, lang, state, opened_at, opens_at, recent)
			VALUES (?, ?, ?, 'open', ?, ?, ?) RETURNING id`,
			t.Conversation, t.Channel, string(t.Lang), handoff.Millis(t.Opened), handoff.Millis(t.Opens), string(recent)).Scan(&id); err != nil {
			return err
		}
		if err := addMessages(ctx, tx, id, msgs); err != nil {
			return err
		}
		out, err = scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM handoff_tickets WHERE id = ?`, id))
		return err
	})
	if errors.Is(err, handoff.ErrOpen) {
		return out, handoff.ErrOpen
	}
	if err != nil {
		return handoff.Ticket{}, fmt.Errorf("sqlite: open ticket: %w", err)
	}
	return out, nil
}

// Current implements handoff.Store.
func (s *Tickets) Current(ctx context.Context, conversation string) (handoff.Ticket, error) {
	s.prepare.Do(func() { s.current, s.prepErr = s.db.r.PrepareContext(context.WithoutCancel(ctx), currentQuery) })
	if s.prepErr != nil {
		return s.one(ctx, "current ticket", currentWhere, conversation)
	}
	t, err := scanTicket(s.current.QueryRowContext(ctx, conversation))
	if err != nil && !errors.Is(err, handoff.ErrNotFound) {
		return handoff.Ticket{}, fmt.Errorf("sqlite: current ticket: %w", err)
	}
	return t, err
}

// Get implements handoff.Store.
func (s *Tickets) Get(ctx context.Context, id int64) (handoff.Ticket, error) {
	return s.one(ctx, "ticket", `WHERE id = ?`, id)
}

// ByThread implements handoff.Store.
func (s *Tickets) ByThread(ctx context.Context, thread string) (handoff.Ticket, error) {
	if thread == "" {
		return handoff.Ticket{}, handoff.ErrNotFound
	}
	return s.one(ctx, "ticket by thread", `WHERE thread = ?`, thread)
}

func (s *Tickets) one(ctx context.Context, what, where string, arg any) (handoff.Ticket, error) {
	t, err := scanTicket(s.db.r.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM handoff_tickets `+where, arg))
	if err != nil && !errors.Is(err, handoff.ErrNotFound) {
		return handoff.Ticket{}, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return t, err
}

// Take implements handoff.Store.
func (s *Tickets) Take(ctx context.Context, id int64, staff string, at time.Time, msgs ...handoff.Message) (handoff.Ticket, bool, error) {
	return s.transition(ctx, "take ticket", id, msgs,
		`UPDATE handoff_tickets SET state = 'taken', taken_by = ?, taken_at = ? WHERE id = ? AND state = 'open'`, staff, handoff.Millis(at), id)
}

// Close implements handoff.Store.
func (s *Tickets) Close(ctx context.Context, id int64, by handoff.Closer, who string, at time.Time, msgs ...handoff.Message) (handoff.Ticket, bool, error) {
	return s.transition(ctx, "close ticket", id, msgs,
		`UPDATE handoff_tickets SET state = 'closed', closed_at = ?, closed_by = ?, closer = ? WHERE id = ? AND state <> 'closed'`, handoff.Millis(at), string(by), who, id)
}

// transition runs an UPDATE of one ticket and, when it changed the
// ticket, adds msgs; it returns the ticket as it is after.
func (s *Tickets) transition(ctx context.Context, what string, id int64, msgs []handoff.Message, update string, args ...any) (handoff.Ticket, bool, error) {
	var (
		t       handoff.Ticket
		changed bool
	)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, update, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if changed = n == 1; changed {
			if err := addMessages(ctx, tx, id, msgs); err != nil {
				return err
			}
		}
		t, err = scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM handoff_tickets WHERE id = ?`, id))
		return err
	})
	if err != nil {
		if errors.Is(err, handoff.ErrNotFound) {
			return handoff.Ticket{}, false, err
		}
		return handoff.Ticket{}, false, fmt.Errorf("sqlite: %s %d: %w", what, id, err)
	}
	return t, changed, nil
}

// Rate implements handoff.Store.
func (s *Tickets) Rate(ctx context.Context, id int64, conversation string, v bot.Vote, msgs ...handoff.Message) (bool, error) {
	if !v.Valid() {
		return false, nil
	}
	_, changed, err := s.transition(ctx, "rate ticket", id, msgs,
		`UPDATE handoff_tickets SET rating = ? WHERE id = ? AND conversation = ? AND state = 'closed' AND rating = 0`, tally.VoteColumn(v), id, conversation)
	if errors.Is(err, handoff.ErrNotFound) {
		return false, nil
	}
	return changed, err
}

// Remind implements handoff.Store.
func (s *Tickets) Remind(ctx context.Context, id int64, n int, at time.Time, msgs ...handoff.Message) (bool, error) {
	_, changed, err := s.transition(ctx, "remind of ticket", id, msgs,
		`UPDATE handoff_tickets SET reminders = ?, reminded_at = ? WHERE id = ? AND state = 'open' AND reminders = ?`, n, handoff.Millis(at), id, n-1)
	if errors.Is(err, handoff.ErrNotFound) {
		return false, nil
	}
	return changed, err
}

// Add implements handoff.Store.
func (s *Tickets) Add(ctx context.Context, m handoff.Message) (handoff.Message, bool, error) {
	var (
		out   handoff.Message
		added bool
	)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, added, err = addMessage(ctx, tx, m)
		return err
	})
	if err != nil {
		return handoff.Message{}, false, fmt.Errorf("sqlite: add message to ticket %d: %w", m.Ticket, err)
	}
	return out, added, nil
}

// addMessages adds the messages of a transition to ticket id.
func addMessages(ctx context.Context, tx *sql.Tx, id int64, msgs []handoff.Message) error {
	for _, m := range msgs {
		m.Ticket = id
		if _, _, err := addMessage(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}

func addMessage(ctx context.Context, tx *sql.Tx, m handoff.Message) (handoff.Message, bool, error) {
	if m.Source == "" {
		m.Source = handoff.NewSource()
	}
	if m.Key == "" {
		m.Key = handoff.NewSource()
	}
	row := tx.QueryRowContext(ctx, `INSERT INTO handoff_messages (ticket, side, kind, source, body, by_whom, files, at, state, retry_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (ticket, side, source) DO NOTHING RETURNING `+messageColumns,
		m.Ticket, string(m.Side), string(m.Kind), m.Source, m.Text, m.By, m.Files, handoff.Millis(m.At), m.Key)
	out, err := scanMessage(row)
	if err == nil {
		return out, true, nil
	}
	if !errors.Is(err, handoff.ErrNotFound) {
		return handoff.Message{}, false, err
	}
	out, err = scanMessage(tx.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM handoff_messages WHERE ticket = ? AND side = ? AND source = ?`,
		m.Ticket, string(m.Side), m.Source))
	return out, false, err
}

// Claim implements handoff.Store.
func (s *Tickets) Claim(ctx context.Context, ticket int64, side handoff.Side, now, until time.Time) (handoff.Message, error) {
	var m handoff.Message
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		var err error
		m, err = scanMessage(tx.QueryRowContext(ctx, `UPDATE handoff_messages SET due_at = ?, attempts = attempts + 1
			WHERE id = (SELECT id FROM handoff_messages WHERE ticket = ? AND side = ? AND state = 'pending' ORDER BY id LIMIT 1)
			AND due_at <= ? RETURNING `+messageColumns, handoff.Millis(until), ticket, string(side), handoff.Millis(now)))
		return err
	})
	if err != nil && !errors.Is(err, handoff.ErrNotFound) {
		return handoff.Message{}, fmt.Errorf("sqlite: claim message of ticket %d: %w", ticket, err)
	}
	return m, err
}

// Sent implements handoff.Store.
func (s *Tickets) Sent(ctx context.Context, id int64, at time.Time, thread string) error {
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE handoff_messages SET state = 'sent', done_at = ? WHERE id = ?`, handoff.Millis(at), id); err != nil {
			return err
		}
		if thread == "" {
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE handoff_tickets SET thread = ? WHERE id = (SELECT ticket FROM handoff_messages WHERE id = ?)`, thread, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: message %d sent: %w", id, err)
	}
	return nil
}

// Retry implements handoff.Store.
func (s *Tickets) Retry(ctx context.Context, id int64, retry time.Time) error {
	return s.exec(ctx, "retry message", `UPDATE handoff_messages SET due_at = ? WHERE id = ? AND state = 'pending'`, handoff.Millis(retry), id)
}

// Fail implements handoff.Store.
func (s *Tickets) Fail(ctx context.Context, id int64, at time.Time) error {
	return s.exec(ctx, "fail message", `UPDATE handoff_messages SET state = 'failed', done_at = ? WHERE id = ?`, handoff.Millis(at), id)
}

func (s *Tickets) exec(ctx context.Context, what, query string, args ...any) error {
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return nil
}

// Due implements handoff.Store.
func (s *Tickets) Due(ctx context.Context, now time.Time, limit int) ([]handoff.Due, error) {
	rows, err := s.db.r.QueryContext(ctx, `SELECT DISTINCT ticket, side FROM handoff_messages WHERE state = 'pending' AND due_at <= ? LIMIT ?`, handoff.Millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: due messages: %w", err)
	}
	defer rows.Close()
	var out []handoff.Due
	for rows.Next() {
		var d handoff.Due
		var side string
		if err := rows.Scan(&d.Ticket, &side); err != nil {
			return nil, fmt.Errorf("sqlite: due messages: %w", err)
		}
		d.Side = handoff.Side(side)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: due messages: %w", err)
	}
	return out, nil
}

// Waiting implements handoff.Store.
func (s *Tickets) Waiting(ctx context.Context, limit int) ([]handoff.Ticket, error) {
	rows, err := s.db.r.QueryContext(ctx, `SELECT `+ticketColumns+` FROM handoff_tickets WHERE state = 'open' AND thread <> '' ORDER BY opened_at, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: waiting tickets: %w", err)
	}
	defer rows.Close()
	var out []handoff.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: waiting tickets: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: waiting tickets: %w", err)
	}
	return out, nil
}

// Stream implements handoff.Store.
func (s *Tickets) Stream(ctx context.Context, conversation string, after int64, limit int) ([]handoff.Message, error) {
	rows, err := s.db.r.QueryContext(ctx, `SELECT m.id, m.ticket, m.side, m.kind, m.source, m.body, m.by_whom, m.files, m.at, m.state, m.attempts, m.retry_key
		FROM handoff_messages m JOIN handoff_tickets t ON t.id = m.ticket
		WHERE t.conversation = ? AND m.side = 'person' AND m.id > ? ORDER BY m.id LIMIT ?`, conversation, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stream: %w", err)
	}
	defer rows.Close()
	var out []handoff.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: stream: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: stream: %w", err)
	}
	return out, nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanTicket(r scanner) (handoff.Ticket, error) {
	var (
		t                                    handoff.Ticket
		lang, state, closedBy, recent        string
		opened, opens, taken, closed, rating int64
	)
	err := r.Scan(&t.ID, &t.Conversation, &t.Channel, &lang, &state, &opened, &opens, &t.TakenBy, &taken,
		&closed, &closedBy, &t.Closer, &rating, &recent, &t.Thread, &t.Reminders)
	if errors.Is(err, sql.ErrNoRows) {
		return handoff.Ticket{}, handoff.ErrNotFound
	}
	if err != nil {
		return handoff.Ticket{}, err
	}
	t.Lang, t.State, t.ClosedBy = bot.Lang(lang), handoff.State(state), handoff.Closer(closedBy)
	t.Opened, t.Opens, t.Taken, t.Closed = handoff.FromMillis(opened), handoff.FromMillis(opens), handoff.FromMillis(taken), handoff.FromMillis(closed)
	t.Rating = tally.VoteOf(int(rating))
	t.Recent, err = handoff.DecodeRecent([]byte(recent))
	return t, err
}

func scanMessage(r scanner) (handoff.Message, error) {
	var (
		m                 handoff.Message
		side, kind, state string
		at                int64
	)
	err := r.Scan(&m.ID, &m.Ticket, &side, &kind, &m.Source, &m.Text, &m.By, &m.Files, &at, &state, &m.Attempts, &m.Key)
	if errors.Is(err, sql.ErrNoRows) {
		return handoff.Message{}, handoff.ErrNotFound
	}
	if err != nil {
		return handoff.Message{}, err
	}
	m.Side, m.Kind, m.State, m.At = handoff.Side(side), handoff.Kind(kind), handoff.Delivery(state), handoff.FromMillis(at)
	return m, nil
}
