package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/tally"
)

// QuestionLog is bot.QuestionLog in the database.
type QuestionLog struct {
	db *DB
	// inserts are the INSERT statements of insertRecords by number of
	// rows, prepared once on the writer: a batch is full chunks of
	// insertRows and one shorter, and preparing the statement for every
	// chunk cost 0.6 % of the server's CPU under cmd/loadgen.
	mu      sync.Mutex
	inserts map[int]*sql.Stmt
	// tally are the upserts of addTally, prepared once on the writer in
	// the same way: prepared for every row of every batch, they were a
	// fifth of the question log's CPU.
	tally [2]*sql.Stmt
}

var _ bot.QuestionLog = (*QuestionLog)(nil)

// NewQuestionLog returns the question log kept in db.
func NewQuestionLog(db *DB) *QuestionLog { return &QuestionLog{db: db, inserts: map[int]*sql.Stmt{}} }

// insert returns the INSERT statement of n rows (1 ≤ n ≤ insertRows),
// prepared on the writer. It must not be called within a transaction of
// the writer, which holds its one connection.
func (l *QuestionLog) insert(ctx context.Context, n int) (*sql.Stmt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if st, ok := l.inserts[n]; ok {
		return st, nil
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO questions (answer_id, at, conversation, channel, lang, outcome, action, text, programmes, top_score) VALUES `)
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
	}
	q.WriteString(" ON CONFLICT (answer_id) DO NOTHING RETURNING answer_id")
	st, err := l.db.w.PrepareContext(ctx, q.String())
	if err != nil {
		return nil, err
	}
	l.inserts[n] = st
	return st, nil
}

// The upserts of the hourly counts (addTally).
const (
	upsertQuestionHour = `INSERT INTO question_hours (hour, outcome, channel, lang, questions, up, down) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (hour, outcome, channel, lang) DO UPDATE SET
				questions = questions + excluded.questions, up = up + excluded.up, down = down + excluded.down`
	upsertProgrammeHour = `INSERT INTO programme_hours (hour, programme, shown, first, up, down) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (hour, programme) DO UPDATE SET
				shown = shown + excluded.shown, first = first + excluded.first, up = up + excluded.up, down = down + excluded.down`
)

// tallyStmts returns the upserts of addTally, prepared on the writer
// like insert's.
func (l *QuestionLog) tallyStmts(ctx context.Context) ([2]*sql.Stmt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tally[0] != nil {
		return l.tally, nil
	}
	var sts [2]*sql.Stmt
	for i, q := range [2]string{upsertQuestionHour, upsertProgrammeHour} {
		st, err := l.db.w.PrepareContext(ctx, q)
		if err != nil {
			for _, p := range sts[:i] {
				p.Close()
			}
			return sts, err
		}
		sts[i] = st
	}
	l.tally = sts
	return sts, nil
}

const (
	// insertRows is how many records one INSERT statement writes: one
	// statement per record cost most of a batch's time.
	insertRows = 100
	// pruneChunk bounds the records one transaction of Prune deletes, so a
	// large deletion never holds the write lock for long.
	pruneChunk = 5000
)

// Write implements bot.QuestionLog. Records go in by the hundred; the
// hourly counts they and the votes change are added at the end, in key
// order (tally).
func (l *QuestionLog) Write(ctx context.Context, b bot.LogBatch) (bot.LogWritten, error) {
	var w bot.LogWritten
	// The statements are prepared before the transaction takes the
	// writer's one connection.
	inserts := map[int]*sql.Stmt{}
	for rs := range slices.Chunk(b.Records, insertRows) {
		if inserts[len(rs)] == nil {
			st, err := l.insert(ctx, len(rs))
			if err != nil {
				return bot.LogWritten{}, fmt.Errorf("sqlite: write question log: %w", err)
			}
			inserts[len(rs)] = st
		}
	}
	upserts, err := l.tallyStmts(ctx)
	if err != nil {
		return bot.LogWritten{}, fmt.Errorf("sqlite: write question log: %w", err)
	}
	err = l.db.write(ctx, func(tx *sql.Tx) error {
		w = bot.LogWritten{}
		var t tally.Tally
		for rs := range slices.Chunk(b.Records, insertRows) {
			n, err := insertRecords(ctx, tx, inserts[len(rs)], rs, &t)
			if err != nil {
				return err
			}
			w.Records += n
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
		return addTally(ctx, tx, upserts, &t)
	})
	if err != nil {
		return bot.LogWritten{}, fmt.Errorf("sqlite: write question log: %w", err)
	}
	return w, nil
}

// insertRecords writes records with st, the INSERT of len(rs) rows, and
// tallies those that were new.
func insertRecords(ctx context.Context, tx *sql.Tx, st *sql.Stmt, rs []bot.Record, t *tally.Tally) (int, error) {
	args := make([]any, 0, len(rs)*10)
	byID := make(map[string]int, len(rs))
	for i, r := range rs {
		progs, err := json.Marshal(nonNil(r.Programmes))
		if err != nil {
			return 0, err
		}
		args = append(args, r.AnswerID, r.At.UnixMilli(), r.Conversation, r.Channel, string(r.Lang), string(r.Outcome),
			string(r.Action), r.Text, string(progs), r.TopScore)
		byID[r.AnswerID] = i
	}
	txst := tx.StmtContext(ctx, st)
	defer txst.Close()
	rows, err := txst.QueryContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		t.Record(rs[byID[id]])
		n++
	}
	return n, rows.Err()
}

// vote records a ballot if its answer was given in its conversation, and
// reports whether it did.
func vote(ctx context.Context, tx *sql.Tx, b bot.Ballot, t *tally.Tally) (bool, error) {
	n, ok := tally.VoteValue(b.Vote)
	if !ok {
		return false, nil
	}
	var r bot.Record
	var id, at int64
	var progs string
	var old int
	err := tx.QueryRowContext(ctx, `SELECT id, at, outcome, channel, lang, programmes, vote FROM questions WHERE answer_id = ? AND conversation = ?`,
		b.AnswerID, b.Conversation).Scan(&id, &at, &r.Outcome, &r.Channel, &r.Lang, &progs, &old)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r.At = time.UnixMilli(at)
	if err := json.Unmarshal([]byte(progs), &r.Programmes); err != nil {
		return false, fmt.Errorf("programmes of %s: %w", b.AnswerID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE questions SET vote = ?, voted_at = ? WHERE id = ?`, n, b.At.UnixMilli(), id); err != nil {
		return false, err
	}
	t.Vote(r, tally.VoteOf(old), b.Vote)
	return true, nil
}

// addTally adds a batch's changes to the hourly counts.
// upserts are tallyStmts' statements.
func addTally(ctx context.Context, tx *sql.Tx, upserts [2]*sql.Stmt, t *tally.Tally) error {
	if qs := t.Questions(); len(qs) > 0 {
		st := tx.StmtContext(ctx, upserts[0])
		defer st.Close()
		for _, r := range qs {
			if _, err := st.ExecContext(ctx, r.Hour, string(r.Outcome), r.Channel, string(r.Lang), r.Questions, r.Up, r.Down); err != nil {
				return err
			}
		}
	}
	if ps := t.Programmes(); len(ps) > 0 {
		st := tx.StmtContext(ctx, upserts[1])
		defer st.Close()
		for _, r := range ps {
			if _, err := st.ExecContext(ctx, r.Hour, r.Programme, r.Shown, r.First, r.Up, r.Down); err != nil {
				return err
			}
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Counts implements bot.QuestionLog. The three queries run in one read
// transaction, so they count the same rows.
func (l *QuestionLog) Counts(ctx context.Context, q bot.LogQuery) (bot.LogCounts, error) {
	if q.Unanswered <= 0 {
		q.Unanswered = bot.DefaultUnanswered
	}
	c := bot.LogCounts{Query: q}
	from, to := q.Hours()
	zone := q.ZoneHours()
	tx, err := l.db.r.BeginTx(ctx, nil)
	if err != nil {
		return c, fmt.Errorf("sqlite: counts: %w", err)
	}
	defer tx.Rollback()
	err = each(ctx, tx, func(rows *sql.Rows) error {
		var s bot.Slice
		var hour int64
		if err := rows.Scan(&hour, &s.Outcome, &s.Channel, &s.Lang, &s.Questions, &s.Up, &s.Down); err != nil {
			return err
		}
		s.Day = tally.Day(hour, zone)
		c.Slices = append(c.Slices, s)
		return nil
	}, `SELECT min(hour), outcome, channel, lang, sum(questions), sum(up), sum(down) FROM question_hours
		WHERE hour >= ? AND hour < ? GROUP BY (hour + ?) / 24, outcome, channel, lang`, from, to, zone)
	if err != nil {
		return c, fmt.Errorf("sqlite: counts per day: %w", err)
	}
	sortSlices(c.Slices)
	err = each(ctx, tx, func(rows *sql.Rows) error {
		var p bot.ProgrammeCount
		if err := rows.Scan(&p.ID, &p.Shown, &p.First, &p.Up, &p.Down); err != nil {
			return err
		}
		c.Programmes = append(c.Programmes, p)
		return nil
	}, `SELECT programme, sum(shown), sum(first), sum(up), sum(down) FROM programme_hours
		WHERE hour >= ? AND hour < ? GROUP BY programme ORDER BY 2 DESC, 1`, from, to)
	if err != nil {
		return c, fmt.Errorf("sqlite: counts per programme: %w", err)
	}
	// The partial index questions_unanswered holds only no-match rows, in
	// text order: the groups come straight off it (67 ms over a million
	// questions, against 4.7 s through questions_at, which the planner
	// picks unless told). 'no_match' is written out, not bound: SQLite uses
	// a partial index only where it can see the query implies it.
	err = each(ctx, tx, func(rows *sql.Rows) error {
		var t bot.TextCount
		var last int64
		if err := rows.Scan(&t.Text, &t.Lang, &t.Count, &last); err != nil {
			return err
		}
		t.Last = time.UnixMilli(last).UTC()
		c.Unanswered = append(c.Unanswered, t)
		return nil
	}, `SELECT text, lang, count(*) AS n, max(at) AS last FROM questions INDEXED BY questions_unanswered
		WHERE outcome = 'no_match' AND at >= ? AND at < ? AND text <> ''
		GROUP BY text, lang ORDER BY n DESC, last DESC, text LIMIT ?`, from*3600_000, to*3600_000, q.Unanswered)
	if err != nil {
		return c, fmt.Errorf("sqlite: unanswered: %w", err)
	}
	return c, nil
}

// sortSlices orders slices by day, outcome, channel and language.
func sortSlices(s []bot.Slice) {
	slices.SortFunc(s, func(a, b bot.Slice) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Outcome, b.Outcome), cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Lang, b.Lang))
	})
}

// Records implements bot.QuestionLog.
func (l *QuestionLog) Records(ctx context.Context, q bot.RecordQuery) ([]bot.Record, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	until := int64(1<<63 - 1)
	if !q.Until.IsZero() {
		until = q.Until.UnixMilli()
	}
	var out []bot.Record
	err := each(ctx, l.db.r, func(rows *sql.Rows) error {
		var r bot.Record
		var at int64
		var vote int
		var progs string
		if err := rows.Scan(&r.AnswerID, &at, &r.Conversation, &r.Channel, &r.Lang, &r.Outcome, &r.Action, &r.Text, &progs, &r.TopScore, &vote); err != nil {
			return err
		}
		r.At = time.UnixMilli(at).UTC()
		r.Vote = tally.VoteOf(vote)
		if err := json.Unmarshal([]byte(progs), &r.Programmes); err != nil {
			return fmt.Errorf("programmes of %s: %w", r.AnswerID, err)
		}
		out = append(out, r)
		return nil
	}, `SELECT answer_id, at, conversation, channel, lang, outcome, action, text, programmes, top_score, vote
		FROM questions WHERE at >= ? AND at < ? AND (? = '' OR outcome = ?)
		ORDER BY at DESC, id DESC LIMIT ?`,
		q.Since.UnixMilli(), until, string(q.Outcome), string(q.Outcome), q.Limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: records: %w", err)
	}
	return out, nil
}

// Prune implements bot.QuestionLog. It deletes in chunks, each in its own
// transaction, so the writer never waits long.
func (l *QuestionLog) Prune(ctx context.Context, before time.Time) (int64, error) {
	hour := bot.HourOf(before)
	var total int64
	for {
		var n int64
		err := l.db.write(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM questions WHERE id IN (SELECT id FROM questions WHERE at < ? ORDER BY at LIMIT ?)`,
				hour*3600_000, pruneChunk)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("sqlite: prune question log: %w", err)
		}
		total += n
		if n < pruneChunk {
			break
		}
	}
	err := l.db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM question_hours WHERE hour < ?`, hour); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM programme_hours WHERE hour < ?`, hour)
		return err
	})
	if err != nil {
		return total, fmt.Errorf("sqlite: prune question log counts: %w", err)
	}
	return total, nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// each runs a query and calls f for every row.
func each(ctx context.Context, q querier, f func(*sql.Rows) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
