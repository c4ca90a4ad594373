package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/tally"
)

// Tickets is handoff.Store in the database, shared by replicas. A message
// for the person is announced with NOTIFY when its transaction commits
// (Listen), so that a web chat stream on another replica hears of it.
type Tickets struct{ db *DB }

var _ handoff.Store = (*Tickets)(nil)

// NewTickets returns the handoff tickets kept in db.
func NewTickets(db *DB) *Tickets { return &Tickets{db: db} }

// currentWhere picks a conversation's open ticket (Open, Current).
const currentWhere = `WHERE conversation = $1 AND state <> 'closed'`

const ticketColumns = `id, conversation, channel, lang, state, opened_at, opens_at, taken_by, taken_at,
	closed_at, closed_by, closer, rating, recent, thread, reminders`

const messageColumns = `id, ticket, side, kind, source, body, by_whom, files, at, state, attempts, retry_key`

// notifyChannel names the channel of this schema's announcements: each
// schema (a deployment, or a test) hears only its own.
const notifyChannel = `'supportbot_handoff.' || current_schema()`

// uniqueViolation is PostgreSQL's SQLSTATE for a duplicate key.
const uniqueViolation = "23505"

// Open implements handoff.Store. Two replicas opening for one person at
// once both pass the first look; the unique index lets one insert, and
// the other returns the winner's ticket with handoff.ErrOpen.
func (s *Tickets) Open(ctx context.Context, t handoff.Ticket, msgs ...handoff.Message) (handoff.Ticket, error) {
	if err := s.db.Migrate(ctx); err != nil {
		return handoff.Ticket{}, err
	}
	recent, err := handoff.EncodeRecent(t.Recent)
	if err != nil {
		return handoff.Ticket{}, fmt.Errorf("postgres: open ticket: %w", err)
	}
	var out handoff.Ticket
	err = pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		cur, err := scanTicket(tx.QueryRow(ctx, `SELECT `+ticketColumns+` FROM handoff_tickets `+currentWhere, t.Conversation))
		if err == nil {
			out = cur
			return handoff.ErrOpen
		}
		if !errors.Is(err, handoff.ErrNotFound) {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO handoff_tickets (conversation, channel, lang, state, opened_at, opens_at, recent)
			VALUES ($1, $2, $3, 'open', $4, $5, $6) RETURNING id`,
			t.Conversation, t.Channel, string(t.Lang), handoff.Millis(t.Opened), handoff.Millis(t.Opens), string(recent)).Scan(&id); err != nil {
			return err
		}
		if err := addMessages(ctx, tx, id, t.Conversation, msgs); err != nil {
			return err
		}
		out, err = scanTicket(tx.QueryRow(ctx, `SELECT `+ticketColumns+` FROM handoff_tickets WHERE id = $1`, id))
		return err
	})
	var pe *pgconn.PgError
	switch {
	case errors.Is(err, handoff.ErrOpen):
		return out, handoff.ErrOpen
	case errors.As(err, &pe) && pe.Code == uniqueViolation:
		cur, cerr := s.Current(ctx, t.Conversation)
		if cerr != nil {
			return handoff.Ticket{}, fmt.Errorf("postgres: open ticket: %w", cerr)
		}
		return cur, handoff.ErrOpen
	case err != nil:
		return handoff.Ticket{}, fmt.Errorf("postgres: open ticket: %w", err)
	}
	return out, nil
}

// Current implements handoff.Store.
func (s *Tickets) Current(ctx context.Context, conversation string) (handoff.Ticket, error) {
	return s.one(ctx, "current ticket", currentWhere, conversation)
}

// Get implements handoff.Store.
func (s *Tickets) Get(ctx context.Context, id int64) (handoff.Ticket, error) {
	return s.one(ctx, "ticket", `WHERE id = $1`, id)
}

// ByThread implements handoff.Store.
func (s *Tickets) ByThread(ctx context.Context, thread string) (handoff.Ticket, error) {
	if thread == "" {
		return handoff.Ticket{}, handoff.ErrNotFound
	}
	return s.one(ctx, "ticket by thread", `WHERE thread = $1`, thread)
}

func (s *Tickets) one(ctx context.Context, what, where string, arg any) (handoff.Ticket, error) {
	if err := s.db.Migrate(ctx); err != nil {
		return handoff.Ticket{}, err
	}
	t, err := scanTicket(s.db.pool.QueryRow(ctx, `SELECT `+ticketColumns+` FROM handoff_tickets `+where, arg))
	if err != nil && !errors.Is(err, handoff.ErrNotFound) {
		return handoff.Ticket{}, fmt.Errorf("postgres: %s: %w", what, err)
	}
	return t, err
}

// Take implements handoff.Store.
func (s *Tickets) Take(ctx context.Context, id int64, staff string, at time.Time, msgs ...handoff.Message) (handoff.Ticket, bool, error) {
	return s.transition(ctx, "take ticket", id, msgs,
		`UPDATE handoff_tickets SET state = 'taken', taken_by = $1, taken_at = $2 WHERE id = $3 AND state = 'open'`, staff, handoff.Millis(at), id)
}

// Close implements handoff.Store.
func (s *Tickets) Close(ctx context.Context, id int64, by handoff.Closer, who string, at time.Time, msgs ...handoff.Message) (handoff.Ticket, bool, error) {
	return s.transition(ctx, "close ticket", id, msgs,
		`UPDATE handoff_tickets SET state = 'closed', closed_at = $1, closed_by = $2, closer = $3 WHERE id = $4 AND state <> 'closed'`, handoff.Millis(at), string(by), who, id)
}

// transition runs an UPDATE of one ticket and, when it changed the
// ticket, adds msgs; it returns the ticket as it is after.
func (s *Tickets) transition(ctx context.Context, what string, id int64, msgs []handoff.Message, update string, args ...any) (handoff.Ticket, bool, error) {
	if err := s.db.Migrate(ctx); err != nil {
		return handoff.Ticket{}, false, err
	}
	var (
		t       handoff.Ticket
		changed bool
	)
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, update, args...)
		if err != nil {
			return err
		}
		t, err = scanTicket(tx.QueryRow(ctx, `SELECT `+ticketColumns+` FROM handoff_tickets WHERE id = $1`, id))
		if err != nil {
			return err
		}
		if changed = tag.RowsAffected() == 1; changed {
			return addMessages(ctx, tx, id, t.Conversation, msgs)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, handoff.ErrNotFound) {
			return handoff.Ticket{}, false, err
		}
		return handoff.Ticket{}, false, fmt.Errorf("postgres: %s %d: %w", what, id, err)
	}
	return t, changed, nil
}

// Rate implements handoff.Store.
func (s *Tickets) Rate(ctx context.Context, id int64, conversation string, v bot.Vote, msgs ...handoff.Message) (bool, error) {
	if !v.Valid() {
		return false, nil
	}
	_, changed, err := s.transition(ctx, "rate ticket", id, msgs,
		`UPDATE handoff_tickets SET rating = $1 WHERE id = $2 AND conversation = $3 AND state = 'closed' AND rating = 0`, tally.VoteColumn(v), id, conversation)
	if errors.Is(err, handoff.ErrNotFound) {
		return false, nil
	}
	return changed, err
}

// Remind implements handoff.Store.
func (s *Tickets) Remind(ctx context.Context, id int64, n int, at time.Time, msgs ...handoff.Message) (bool, error) {
	_, changed, err := s.transition(ctx, "remind of ticket", id, msgs,
		`UPDATE handoff_tickets SET reminders = $1, reminded_at = $2 WHERE id = $3 AND state = 'open' AND reminders = $4`, n, handoff.Millis(at), id, n-1)
	if errors.Is(err, handoff.ErrNotFound) {
		return false, nil
	}
	return changed, err
}

// Add implements handoff.Store.
func (s *Tickets) Add(ctx context.Context, m handoff.Message) (handoff.Message, bool, error) {
	if err := s.db.Migrate(ctx); err != nil {
		return handoff.Message{}, false, err
	}
	var (
		out   handoff.Message
		added bool
	)
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		var conv string
		if m.Side == handoff.SidePerson {
			if err := tx.QueryRow(ctx, `SELECT conversation FROM handoff_tickets WHERE id = $1`, m.Ticket).Scan(&conv); err != nil {
				return err
			}
		}
		var err error
		out, added, err = addMessage(ctx, tx, m, conv)
		return err
	})
	if err != nil {
		return handoff.Message{}, false, fmt.Errorf("postgres: add message to ticket %d: %w", m.Ticket, err)
	}
	return out, added, nil
}

// addMessages adds the messages of a transition to ticket id of
// conversation.
func addMessages(ctx context.Context, tx pgx.Tx, id int64, conversation string, msgs []handoff.Message) error {
	for _, m := range msgs {
		m.Ticket = id
		if _, _, err := addMessage(ctx, tx, m, conversation); err != nil {
			return err
		}
	}
	return nil
}

// addMessage adds one message and, for the person, announces it on
// commit.
func addMessage(ctx context.Context, tx pgx.Tx, m handoff.Message, conversation string) (handoff.Message, bool, error) {
	if m.Source == "" {
		m.Source = handoff.NewSource()
	}
	if m.Key == "" {
		m.Key = handoff.NewSource()
	}
	out, err := scanMessage(tx.QueryRow(ctx, `INSERT INTO handoff_messages (ticket, side, kind, source, body, by_whom, files, at, state, retry_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9) ON CONFLICT (ticket, side, source) DO NOTHING RETURNING `+messageColumns,
		m.Ticket, string(m.Side), string(m.Kind), m.Source, m.Text, m.By, m.Files, handoff.Millis(m.At), m.Key))
	if err == nil {
		if m.Side == handoff.SidePerson {
			if _, err := tx.Exec(ctx, `SELECT pg_notify(`+notifyChannel+`, $1)`, handoff.Key(conversation)); err != nil {
				return handoff.Message{}, false, err
			}
		}
		return out, true, nil
	}
	if !errors.Is(err, handoff.ErrNotFound) {
		return handoff.Message{}, false, err
	}
	out, err = scanMessage(tx.QueryRow(ctx, `SELECT `+messageColumns+` FROM handoff_messages WHERE ticket = $1 AND side = $2 AND source = $3`,
		m.Ticket, string(m.Side), m.Source))
	return out, false, err
}

// Claim implements handoff.Store. Two replicas claiming at once both pick
// the first pending message; the second waits for the first's row lock,
// then finds it claimed (due_at moved on) and updates nothing.
func (s *Tickets) Claim(ctx context.Context, ticket int64, side handoff.Side, now, until time.Time) (handoff.Message, error) {
	if err := s.db.Migrate(ctx); err != nil {
		return handoff.Message{}, err
	}
	m, err := scanMessage(s.db.pool.QueryRow(ctx, `UPDATE handoff_messages SET due_at = $1, attempts = attempts + 1
		WHERE id = (SELECT id FROM handoff_messages WHERE ticket = $2 AND side = $3 AND state = 'pending' ORDER BY id LIMIT 1)
		AND due_at <= $4 AND state = 'pending' RETURNING `+messageColumns, handoff.Millis(until), ticket, string(side), handoff.Millis(now)))
	if err != nil && !errors.Is(err, handoff.ErrNotFound) {
		return handoff.Message{}, fmt.Errorf("postgres: claim message of ticket %d: %w", ticket, err)
	}
	return m, err
}

// Sent implements handoff.Store.
func (s *Tickets) Sent(ctx context.Context, id int64, at time.Time, thread string) error {
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE handoff_messages SET state = 'sent', done_at = $1 WHERE id = $2`, handoff.Millis(at), id); err != nil {
			return err
		}
		if thread == "" {
			return nil
		}
		_, err := tx.Exec(ctx, `UPDATE handoff_tickets SET thread = $1 WHERE id = (SELECT ticket FROM handoff_messages WHERE id = $2)`, thread, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: message %d sent: %w", id, err)
	}
	return nil
}

// Retry implements handoff.Store.
func (s *Tickets) Retry(ctx context.Context, id int64, retry time.Time) error {
	return s.exec(ctx, "retry message", `UPDATE handoff_messages SET due_at = $1 WHERE id = $2 AND state = 'pending'`, handoff.Millis(retry), id)
}

// Fail implements handoff.Store.
func (s *Tickets) Fail(ctx context.Context, id int64, at time.Time) error {
	return s.exec(ctx, "fail message", `UPDATE handoff_messages SET state = 'failed', done_at = $1 WHERE id = $2`, handoff.Millis(at), id)
}

func (s *Tickets) exec(ctx context.Context, what, query string, args ...any) error {
	if _, err := s.db.pool.Exec(ctx, query, args...); err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	return nil
}

// Due implements handoff.Store.
func (s *Tickets) Due(ctx context.Context, now time.Time, limit int) ([]handoff.Due, error) {
	if err := s.db.Migrate(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, `SELECT DISTINCT ticket, side FROM handoff_messages WHERE state = 'pending' AND due_at <= $1 LIMIT $2`, handoff.Millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: due messages: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (handoff.Due, error) {
		var d handoff.Due
		var side string
		err := r.Scan(&d.Ticket, &side)
		d.Side = handoff.Side(side)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: due messages: %w", err)
	}
	return out, nil
}

// Waiting implements handoff.Store.
func (s *Tickets) Waiting(ctx context.Context, limit int) ([]handoff.Ticket, error) {
	if err := s.db.Migrate(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, `SELECT `+ticketColumns+` FROM handoff_tickets WHERE state = 'open' AND thread <> '' ORDER BY opened_at, id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: waiting tickets: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (handoff.Ticket, error) { return scanTicket(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: waiting tickets: %w", err)
	}
	return out, nil
}

// Stream implements handoff.Store.
func (s *Tickets) Stream(ctx context.Context, conversation string, after int64, limit int) ([]handoff.Message, error) {
	if err := s.db.Migrate(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, `SELECT m.id, m.ticket, m.side, m.kind, m.source, m.body, m.by_whom, m.files, m.at, m.state, m.attempts, m.retry_key
		FROM handoff_messages m JOIN handoff_tickets t ON t.id = m.ticket
		WHERE t.conversation = $1 AND m.side = 'person' AND m.id > $2 ORDER BY m.id LIMIT $3`, conversation, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: stream: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (handoff.Message, error) { return scanMessage(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: stream: %w", err)
	}
	return out, nil
}

// Listen calls heard with the key (handoff.Key) of every conversation
// that gets a message for its person, from any replica, until ctx ends.
// It holds a connection of its own and connects again after a failure,
// calling heard("*") each time it (re)starts listening: what was
// announced while it was not may concern anyone.
func (db *DB) Listen(ctx context.Context, heard func(key string)) error {
	wait := time.Second
	for {
		started, err := db.listen(ctx, heard)
		if ctx.Err() != nil {
			return nil
		}
		if started {
			wait = time.Second
		}
		_ = err // the desk's streams poll meanwhile; the next attempt says more
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
			wait = min(2*wait, 30*time.Second)
		}
	}
}

func (db *DB) listen(ctx context.Context, heard func(string)) (started bool, err error) {
	if err := db.Migrate(ctx); err != nil {
		return false, err
	}
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return false, fmt.Errorf("postgres: listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var channel string
	if err := conn.QueryRow(ctx, `SELECT `+notifyChannel).Scan(&channel); err != nil {
		return false, fmt.Errorf("postgres: listen: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return false, fmt.Errorf("postgres: listen: %w", err)
	}
	heard("*")
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, fmt.Errorf("postgres: listen: %w", err)
		}
		heard(n.Payload)
	}
}

// row is a pgx.Row or pgx.Rows.
type row interface{ Scan(dest ...any) error }

func scanTicket(r row) (handoff.Ticket, error) {
	var (
		t                             handoff.Ticket
		lang, state, closedBy, recent string
		opened, opens, taken, closed  int64
		rating                        int32
		reminders                     int32
	)
	err := r.Scan(&t.ID, &t.Conversation, &t.Channel, &lang, &state, &opened, &opens, &t.TakenBy, &taken,
		&closed, &closedBy, &t.Closer, &rating, &recent, &t.Thread, &reminders)
	if errors.Is(err, pgx.ErrNoRows) {
		return handoff.Ticket{}, handoff.ErrNotFound
	}
	if err != nil {
		return handoff.Ticket{}, err
	}
	t.Lang, t.State, t.ClosedBy, t.Reminders = bot.Lang(lang), handoff.State(state), handoff.Closer(closedBy), int(reminders)
	t.Opened, t.Opens, t.Taken, t.Closed = handoff.FromMillis(opened), handoff.FromMillis(opens), handoff.FromMillis(taken), handoff.FromMillis(closed)
	t.Rating = tally.VoteOf(int(rating))
	t.Recent, err = handoff.DecodeRecent([]byte(recent))
	if err != nil {
		return handoff.Ticket{}, err
	}
	return t, nil
}

func scanMessage(r row) (handoff.Message, error) {
	var (
		m                 handoff.Message
		side, kind, state string
		at                int64
		files, attempts   int32
	)
	err := r.Scan(&m.ID, &m.Ticket, &side, &kind, &m.Source, &m.Text, &m.By, &files, &at, &state, &attempts, &m.Key)
	if errors.Is(err, pgx.ErrNoRows) {
		return handoff.Message{}, handoff.ErrNotFound
	}
	if err != nil {
		return handoff.Message{}, err
	}
	m.Side, m.Kind, m.State, m.At = handoff.Side(side), handoff.Kind(kind), handoff.Delivery(state), handoff.FromMillis(at)
	m.Files, m.Attempts = int(files), int(attempts)
	return m, nil
}
