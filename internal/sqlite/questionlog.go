package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
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
	// rows, prepared once on the writer: a batch is cut into chunks of
	// insertRows and of falling powers of two (chunks), so a few
	// statements serve every size, and preparing the statement for every
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

// The INSERT of records: the columns, one row of values (recordArgs of
// them), and a record whose answer id is already in the log left as it
// is (a batch written again after a write that did commit).
const (
	insertInto       = `INSERT INTO questions (answer_id, at, conversation, channel, lang, outcome, action, text, programmes, top_score) VALUES `
	insertValues     = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	insertOnConflict = " ON CONFLICT (answer_id) DO NOTHING"
	recordArgs       = 10
)

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
	q.WriteString(insertInto)
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(insertValues)
	}
	q.WriteString(insertOnConflict)
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
	// insertRows is how many records one INSERT statement writes at most,
	// a power of two (chunks): one statement per record cost most of a
	// batch's time.
	insertRows = 64
	// pruneChunk bounds the records one transaction of Prune deletes, so a
	// large deletion never holds the write lock for long.
	pruneChunk = 5000
)

// chunks cuts rs into runs of insertRows records and then of falling
// powers of two (375 records: five of 64, then 32, 16, 4, 2, 1), so that
// batches of every size share at most log2(insertRows)+1 prepared
// statements. Larger statements were no faster (256 and 1,024 rows,
// BenchmarkWriteBatch) and their arguments took more memory.
func chunks(rs []bot.Record) iter.Seq[[]bot.Record] {
	return func(yield func([]bot.Record) bool) {
		for len(rs) > 0 {
			n := insertRows
			for n > len(rs) {
				n /= 2
			}
			if !yield(rs[:n]) {
				return
			}
			rs = rs[n:]
		}
	}
}

// errKnown says that a batch held a record already in the log: the
// batch is written again one record at a time (insertEach).
var errKnown = errors.New("a record already in the log")

// Write implements bot.QuestionLog. Records go in by the 64 (chunks); the
// hourly counts they and the votes change are added at the end, in key
// order (tally). A batch whose records are all new, as nearly all are, is
// counted from what its INSERTs changed: having each INSERT return the
// new rows' ids (RETURNING) and reading them back through database/sql
// was 12 % of BenchmarkWriteBatch's CPU. A batch that holds a record already logged is rolled back
// and written again a record at a time, so that only the new ones are
// counted.
func (l *QuestionLog) Write(ctx context.Context, b bot.LogBatch) (bot.LogWritten, error) {
	// The statements are prepared before the transaction takes the
	// writer's one connection.
	inserts := map[int]*sql.Stmt{}
	for rs := range chunks(b.Records) {
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
	w, err := l.writeBatch(ctx, b, inserts, upserts)
	if errors.Is(err, errKnown) {
		w, err = l.writeBatch(ctx, b, nil, upserts)
	}
	if err != nil {
		return bot.LogWritten{}, fmt.Errorf("sqlite: write question log: %w", err)
	}
	return w, nil
}

// writeBatch writes a batch in one transaction: its records with inserts
// (by number of rows), or with insertEach when inserts is nil; its
// ballots; its hourly counts.
func (l *QuestionLog) writeBatch(ctx context.Context, b bot.LogBatch, inserts map[int]*sql.Stmt, upserts [2]*sql.Stmt) (bot.LogWritten, error) {
	var w bot.LogWritten
	err := l.db.write(ctx, func(tx *sql.Tx) error {
		w = bot.LogWritten{}
		var t tally.Tally
		var err error
		if inserts == nil {
			w.Records, err = insertEach(ctx, tx, b.Records, &t)
		} else {
			w.Records, err = insertRecords(ctx, tx, inserts, b.Records, &t)
		}
		if err != nil {
			return err
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
	return w, err
}

// insertRecords writes records by chunks with inserts, the INSERTs by
// number of rows, and tallies them. It fails with errKnown if a record
// was already in the log, which leaves the transaction to be rolled back.
func insertRecords(ctx context.Context, tx *sql.Tx, inserts map[int]*sql.Stmt, rs []bot.Record, t *tally.Tally) (int, error) {
	args := make([]any, 0, min(len(rs), insertRows)*recordArgs)
	var progs []byte
	n := 0
	for c := range chunks(rs) {
		args = args[:0]
		for _, r := range c {
			progs = appendProgrammes(progs[:0], r.Programmes)
			args = appendRecord(args, r, string(progs))
		}
		st := tx.StmtContext(ctx, inserts[len(c)])
		res, err := st.ExecContext(ctx, args...)
		st.Close()
		if err != nil {
			return 0, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		if int(k) != len(c) {
			return 0, errKnown
		}
		n += len(c)
	}
	for _, r := range rs {
		t.Record(r)
	}
	return n, nil
}

// insertEach writes records one at a time, and tallies those that were
// new: the way of a batch that holds records already logged.
func insertEach(ctx context.Context, tx *sql.Tx, rs []bot.Record, t *tally.Tally) (int, error) {
	st, err := tx.PrepareContext(ctx, insertInto+insertValues+insertOnConflict)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	var progs []byte
	n := 0
	for _, r := range rs {
		progs = appendProgrammes(progs[:0], r.Programmes)
		res, err := st.ExecContext(ctx, appendRecord(nil, r, string(progs))...)
		if err != nil {
			return 0, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		if k == 1 {
			t.Record(r)
			n++
		}
	}
	return n, nil
}

// appendRecord appends the values of r's row in insertValues' order;
// progs is r.Programmes in JSON.
func appendRecord(args []any, r bot.Record, progs string) []any {
	return append(args, r.AnswerID, r.At.UnixMilli(), r.Conversation, r.Channel, string(r.Lang), string(r.Outcome),
		string(r.Action), r.Text, progs, r.TopScore)
}

// appendProgrammes appends ids as the JSON array json.Marshal makes of
// them ("[]" for none): written directly when every id is printable ASCII
// that JSON and json.Marshal's HTML escaping leave alone, as programme ids
// are, and by json.Marshal otherwise.
func appendProgrammes(b []byte, ids []string) []byte {
	for _, id := range ids {
		for i := 0; i < len(id); i++ {
			if c := id[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				j, _ := json.Marshal(ids) // a []string always marshals
				return append(b, j...)
			}
		}
	}
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, id...)
		b = append(b, '"')
	}
	return append(b, ']')
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
