package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/tally"
)

// QuestionLog is bot.QuestionLog in the database.
type QuestionLog struct{ db *DB }

var _ bot.QuestionLog = (*QuestionLog)(nil)

// NewQuestionLog returns the question log kept in db.
func NewQuestionLog(db *DB) *QuestionLog { return &QuestionLog{db: db} }

// pruneChunk bounds the records one transaction of Prune deletes.
const pruneChunk = 10_000

// Write implements bot.QuestionLog. The records of a batch go to the
// server in one round trip (pgx.Batch); the hourly counts they and the
// votes change are added last, in key order (tally), so two replicas
// writing at once lock count rows in the same order and cannot deadlock.
func (l *QuestionLog) Write(ctx context.Context, b bot.LogBatch) (bot.LogWritten, error) {
	if err := l.db.Migrate(ctx); err != nil {
		return bot.LogWritten{}, err
	}
	var w bot.LogWritten
	err := pgx.BeginFunc(ctx, l.db.pool, func(tx pgx.Tx) error {
		w = bot.LogWritten{}
		var t tally.Tally
		if len(b.Records) > 0 {
			var batch pgx.Batch
			for _, r := range b.Records {
				batch.Queue(`INSERT INTO questions (answer_id, at, conversation, channel, lang, outcome, action, text, programmes, top_score)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (answer_id) DO NOTHING`,
					r.AnswerID, r.At.UnixMilli(), r.Conversation, r.Channel, string(r.Lang), string(r.Outcome),
					string(r.Action), r.Text, nonNil(r.Programmes), r.TopScore)
			}
			res := tx.SendBatch(ctx, &batch)
			for _, r := range b.Records {
				tag, err := res.Exec()
				if err != nil {
					res.Close()
					return err
				}
				if tag.RowsAffected() == 1 {
					t.Record(r)
					w.Records++
				}
			}
			if err := res.Close(); err != nil {
				return err
			}
		}
		for _, v := range b.Ballots {
			ok, err := vote(ctx, tx, v, &t)
			if err != nil {
				return err
			}
			if ok {
				w.Ballots++
			} else {
				w.Refused++
			}
		}
		return addTally(ctx, tx, &t)
	})
	if err != nil {
		return bot.LogWritten{}, fmt.Errorf("postgres: write question log: %w", err)
	}
	return w, nil
}

// vote records a ballot if its answer was given in its conversation, and
// reports whether it did. The row is locked until the transaction ends,
// so two replicas taking the same person's two taps count both in order.
func vote(ctx context.Context, tx pgx.Tx, b bot.Ballot, t *tally.Tally) (bool, error) {
	n, ok := tally.VoteValue(b.Vote)
	if !ok {
		return false, nil
	}
	var r bot.Record
	var id, at int64
	var old int16
	err := tx.QueryRow(ctx, `SELECT id, at, outcome, channel, lang, programmes, vote FROM questions
		WHERE answer_id = $1 AND conversation = $2 FOR UPDATE`, b.AnswerID, b.Conversation).
		Scan(&id, &at, &r.Outcome, &r.Channel, &r.Lang, &r.Programmes, &old)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r.At = time.UnixMilli(at)
	if _, err := tx.Exec(ctx, `UPDATE questions SET vote = $1, voted_at = $2 WHERE id = $3`, n, b.At.UnixMilli(), id); err != nil {
		return false, err
	}
	t.Vote(r, tally.VoteOf(int(old)), b.Vote)
	return true, nil
}

// addTally adds a batch's changes to the hourly counts, in one round trip.
func addTally(ctx context.Context, tx pgx.Tx, t *tally.Tally) error {
	var batch pgx.Batch
	for _, r := range t.Questions() {
		batch.Queue(`INSERT INTO question_hours AS h (hour, outcome, channel, lang, questions, up, down) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (hour, outcome, channel, lang) DO UPDATE SET
				questions = h.questions + excluded.questions, up = h.up + excluded.up, down = h.down + excluded.down`,
			r.Hour, string(r.Outcome), r.Channel, string(r.Lang), r.Questions, r.Up, r.Down)
	}
	for _, r := range t.Programmes() {
		batch.Queue(`INSERT INTO programme_hours AS h (hour, programme, shown, first, up, down) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (hour, programme) DO UPDATE SET
				shown = h.shown + excluded.shown, first = h.first + excluded.first, up = h.up + excluded.up, down = h.down + excluded.down`,
			r.Hour, r.Programme, r.Shown, r.First, r.Up, r.Down)
	}
	if batch.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, &batch).Close()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Counts implements bot.QuestionLog. The three queries run in one
// repeatable-read transaction, so they count the same rows.
func (l *QuestionLog) Counts(ctx context.Context, q bot.LogQuery) (bot.LogCounts, error) {
	if err := l.db.Migrate(ctx); err != nil {
		return bot.LogCounts{Query: q}, err
	}
	if q.Unanswered <= 0 {
		q.Unanswered = bot.DefaultUnanswered
	}
	c := bot.LogCounts{Query: q}
	from, to := q.Hours()
	zone := q.ZoneHours()
	err := pgx.BeginTxFunc(ctx, l.db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT min(hour), outcome, channel, lang, sum(questions)::int, sum(up)::int, sum(down)::int FROM question_hours
			WHERE hour >= $1 AND hour < $2 GROUP BY floor((hour + $3) / 24.0), outcome, channel, lang`, from, to, zone)
		if err != nil {
			return fmt.Errorf("counts per day: %w", err)
		}
		var hour int64
		var s bot.Slice
		_, err = pgx.ForEachRow(rows, []any{&hour, &s.Outcome, &s.Channel, &s.Lang, &s.Questions, &s.Up, &s.Down}, func() error {
			s.Day = tally.Day(hour, zone)
			c.Slices = append(c.Slices, s)
			return nil
		})
		if err != nil {
			return fmt.Errorf("counts per day: %w", err)
		}
		slices.SortFunc(c.Slices, func(a, b bot.Slice) int {
			return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Outcome, b.Outcome), cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Lang, b.Lang))
		})
		rows, err = tx.Query(ctx, `SELECT programme, sum(shown)::int, sum(first)::int, sum(up)::int, sum(down)::int FROM programme_hours
			WHERE hour >= $1 AND hour < $2 GROUP BY programme ORDER BY 2 DESC, programme COLLATE "C"`, from, to)
		if err != nil {
			return fmt.Errorf("counts per programme: %w", err)
		}
		var p bot.ProgrammeCount
		_, err = pgx.ForEachRow(rows, []any{&p.ID, &p.Shown, &p.First, &p.Up, &p.Down}, func() error {
			c.Programmes = append(c.Programmes, p)
			return nil
		})
		if err != nil {
			return fmt.Errorf("counts per programme: %w", err)
		}
		rows, err = tx.Query(ctx, `SELECT text, lang, count(*)::int AS n, max(at) AS last FROM questions
			WHERE outcome = 'no_match' AND at >= $1 AND at < $2 AND text <> ''
			GROUP BY text, lang ORDER BY n DESC, last DESC, text COLLATE "C" LIMIT $3`, from*3600_000, to*3600_000, q.Unanswered)
		if err != nil {
			return fmt.Errorf("unanswered: %w", err)
		}
		var u bot.TextCount
		var last int64
		_, err = pgx.ForEachRow(rows, []any{&u.Text, &u.Lang, &u.Count, &last}, func() error {
			u.Last = time.UnixMilli(last).UTC()
			c.Unanswered = append(c.Unanswered, u)
			return nil
		})
		if err != nil {
			return fmt.Errorf("unanswered: %w", err)
		}
		return nil
	})
	if err != nil {
		return bot.LogCounts{Query: q}, fmt.Errorf("postgres: %w", err)
	}
	return c, nil
}

// Records implements bot.QuestionLog.
func (l *QuestionLog) Records(ctx context.Context, q bot.RecordQuery) ([]bot.Record, error) {
	if err := l.db.Migrate(ctx); err != nil {
		return nil, err
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	until := int64(1<<63 - 1)
	if !q.Until.IsZero() {
		until = q.Until.UnixMilli()
	}
	rows, err := l.db.pool.Query(ctx, `SELECT answer_id, at, conversation, channel, lang, outcome, action, text, programmes, top_score, vote
		FROM questions WHERE at >= $1 AND at < $2 AND ($3 = '' OR outcome = $3)
		ORDER BY at DESC, id DESC LIMIT $4`, q.Since.UnixMilli(), until, string(q.Outcome), q.Limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: records: %w", err)
	}
	var out []bot.Record
	var r bot.Record
	var at int64
	var v int16
	_, err = pgx.ForEachRow(rows, []any{&r.AnswerID, &at, &r.Conversation, &r.Channel, &r.Lang, &r.Outcome, &r.Action, &r.Text, &r.Programmes, &r.TopScore, &v}, func() error {
		r.At = time.UnixMilli(at).UTC()
		r.Vote = tally.VoteOf(int(v))
		r.Programmes = slices.Clone(r.Programmes)
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: records: %w", err)
	}
	return out, nil
}

// Prune implements bot.QuestionLog. It deletes in chunks, each in its own
// transaction, so no replica's write waits long.
func (l *QuestionLog) Prune(ctx context.Context, before time.Time) (int64, error) {
	if err := l.db.Migrate(ctx); err != nil {
		return 0, err
	}
	hour := bot.HourOf(before)
	var total int64
	for {
		tag, err := l.db.pool.Exec(ctx, `DELETE FROM questions WHERE id IN (SELECT id FROM questions WHERE at < $1 ORDER BY at LIMIT $2)`,
			hour*3600_000, pruneChunk)
		if err != nil {
			return total, fmt.Errorf("postgres: prune question log: %w", err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < pruneChunk {
			break
		}
	}
	err := pgx.BeginFunc(ctx, l.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM question_hours WHERE hour < $1`, hour); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM programme_hours WHERE hour < $1`, hour)
		return err
	})
	if err != nil {
		return total, fmt.Errorf("postgres: prune question log counts: %w", err)
	}
	return total, nil
}
