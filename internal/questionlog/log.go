package questionlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
)

// Defaults of Config.
const (
	DefaultBuffer  = 10_000
	DefaultBatch   = 1000
	DefaultFlush   = 250 * time.Millisecond
	DefaultTimeout = 5 * time.Second
	// DefaultRetention is QUESTION_LOG_DAYS' default.
	DefaultRetention = 90 * 24 * time.Hour
)

// Config configures a Log.
type Config struct {
	// Store keeps the log; required.
	Store bot.QuestionLog
	// Key is LOG_HASH_KEY, at least MinKey bytes. Empty: a key generated
	// once and kept in Secrets, shared by every process of the store.
	Key []byte
	// Secrets keeps the generated key; required when Key is empty.
	Secrets bot.Secrets
	// Retention is how long records are kept (0: DefaultRetention).
	Retention time.Duration
	// Metrics counts what is written and lost; nil counts nothing.
	Metrics *metrics.Metrics
	// Logger logs failures (at most once a minute); nil discards.
	Logger *slog.Logger
	// Buffer bounds the questions and votes waiting to be written; beyond
	// it they are dropped and counted (0: DefaultBuffer, about 10 MB).
	Buffer int
	// Batch bounds one write (0: DefaultBatch); Flush is how long an entry
	// waits for its batch to fill (0: DefaultFlush).
	Batch int
	Flush time.Duration
	// Timeout bounds one write, and the last writes at shutdown
	// (0: DefaultTimeout).
	Timeout time.Duration
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Log is the question log's writer. It is safe for concurrent use.
type Log struct {
	store     bot.QuestionLog
	secrets   bot.Secrets
	keys      atomic.Pointer[keys]
	keyMu     sync.Mutex // one key load at a time
	retention time.Duration
	metrics   *metrics.Metrics
	log       *slog.Logger
	batch     int
	flush     time.Duration
	timeout   time.Duration
	now       func() time.Time

	queue chan entry
	// full wakes the writer when the queue holds a batch (enqueue); the
	// writer otherwise sleeps until a batch is due (Run).
	full   chan struct{}
	held   atomic.Int64 // entries the writer holds for its next batch
	closed atomic.Bool
	// overflow counts entries dropped on a full queue since the writer
	// last looked: the answer path only adds to it, the writer logs.
	overflow atomic.Int64
	fail     failures
}

// entry is a question or a vote waiting to be written. The conversation
// is the raw id until the writer hashes it.
type entry struct {
	rec    *bot.Record
	ballot *bot.Ballot
}

func (e entry) kind() string {
	if e.rec != nil {
		return "record"
	}
	return "vote"
}

// New checks the configuration. It does no I/O: the key is loaded by
// Ready or, failing that, by Run.
func New(cfg Config) (*Log, error) {
	var errs []error
	if cfg.Store == nil {
		errs = append(errs, errors.New("no store"))
	}
	if len(cfg.Key) == 0 && cfg.Secrets == nil {
		errs = append(errs, errors.New("no key and nowhere to keep one"))
	}
	if len(cfg.Key) > 0 && len(cfg.Key) < MinKey {
		errs = append(errs, fmt.Errorf("the key is %d bytes; want at least %d", len(cfg.Key), MinKey))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("questionlog: %w", err)
	}
	l := &Log{
		store: cfg.Store, secrets: cfg.Secrets, retention: cfg.Retention, metrics: cfg.Metrics, log: cfg.Logger,
		batch: cfg.Batch, flush: cfg.Flush, timeout: cfg.Timeout, now: cfg.Now,
	}
	if l.retention <= 0 {
		l.retention = DefaultRetention
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	l.log = l.log.With("component", "question_log")
	if l.batch <= 0 {
		l.batch = DefaultBatch
	}
	if l.flush <= 0 {
		l.flush = DefaultFlush
	}
	if l.timeout <= 0 {
		l.timeout = DefaultTimeout
	}
	if l.now == nil {
		l.now = time.Now
	}
	buffer := cfg.Buffer
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	l.queue = make(chan entry, buffer)
	l.full = make(chan struct{}, 1)
	if len(cfg.Key) > 0 {
		l.keys.Store(derive(cfg.Key))
	}
	return l, nil
}

// Ready loads the key if it is not loaded yet (generating and keeping it
// the first time). Until it is, answers carry no 👍/👎 and the writer
// keeps trying; serve calls Ready at start so the first answers have them.
func (l *Log) Ready(ctx context.Context) error {
	if l.keys.Load() != nil {
		return nil
	}
	l.keyMu.Lock()
	defer l.keyMu.Unlock()
	if l.keys.Load() != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	k, err := l.secrets.Secret(ctx, keyName, newKey())
	if err != nil {
		return fmt.Errorf("questionlog: key: %w", err)
	}
	if len(k) < MinKey {
		return fmt.Errorf("questionlog: the kept key is %d bytes; want at least %d", len(k), MinKey)
	}
	l.keys.Store(derive(k))
	return nil
}

// Pending is the number of questions and votes waiting to be written.
func (l *Log) Pending() int { return len(l.queue) }

// enqueue hands an entry to the writer without waiting, and reports
// whether it was taken.
func (l *Log) enqueue(e entry) bool {
	if l.closed.Load() {
		l.metrics.LogDropped(e.kind(), metrics.ReasonShutdown, 1)
		return false
	}
	select {
	case l.queue <- e:
		if len(l.queue)+int(l.held.Load()) >= l.batch {
			select {
			case l.full <- struct{}{}:
			default: // the writer is woken already
			}
		}
		return true
	default:
		l.metrics.LogDropped(e.kind(), metrics.ReasonBufferFull, 1)
		l.overflow.Add(1)
		return false
	}
}

// Run writes queued entries in batches until ctx ends, and deletes
// records past their retention every hour. When ctx ends it writes what
// is queued, within Timeout, and returns; entries queued after that are
// counted as lost.
func (l *Log) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	pruneCtx, stopPrune := context.WithCancel(ctx)
	defer stopPrune()
	wg.Go(func() { l.prunes(pruneCtx) })

	batch := make([]entry, 0, l.batch)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		// The first entry of a batch wakes the writer; the rest are taken
		// from the queue when the batch is due (Flush) or full. Waiting on
		// the queue itself woke the writer for every answer, two goroutine
		// switches an event.
		select {
		case e := <-l.queue:
			batch = append(batch, e)
		case <-ctx.Done():
			stopPrune()
			l.drain(batch)
			return nil
		}
		timer.Reset(l.flush)
		for due := false; ; {
			batch = l.take(batch)
			if len(batch) >= l.batch || due {
				break
			}
			l.held.Store(int64(len(batch)))
			select {
			case <-timer.C:
				due = true
			case <-l.full:
			case <-ctx.Done():
				timer.Stop()
				stopPrune()
				l.drain(batch)
				return nil
			}
		}
		timer.Stop()
		l.held.Store(0)
		l.write(ctx, batch)
		batch = batch[:0]
		if n := l.overflow.Swap(0); n > 0 {
			l.fail.note(l, "question log queue full: the database is not keeping up", nil, int(n))
		}
	}
}

// take adds what is queued to batch, up to a batch, without waiting.
func (l *Log) take(batch []entry) []entry {
	for len(batch) < l.batch {
		select {
		case e := <-l.queue:
			batch = append(batch, e)
		default:
			return batch
		}
	}
	return batch
}

// drain writes what is queued at shutdown, within one Timeout in all.
func (l *Log) drain(batch []entry) {
	l.closed.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
	defer cancel()
	for {
		batch = l.take(batch)
		if len(batch) == 0 {
			return
		}
		if ctx.Err() != nil {
			l.lose(batch, metrics.ReasonShutdown)
		} else {
			l.writeOnce(ctx, batch, 1)
		}
		batch = batch[:0]
	}
}

// retries is how often a failing batch is tried in all; backoff is the
// wait before the second try, doubling after. A database that is down
// fails every batch after three tries over about 3 s, while the queue
// holds what arrives meanwhile.
const (
	retries = 3
	backoff = time.Second
)

// write writes a batch, retrying a failure a few times, and counts what
// is written and lost.
func (l *Log) write(ctx context.Context, batch []entry) {
	wait := backoff
	for try := 1; ; try++ {
		if l.writeOnce(ctx, batch, try) || try == retries {
			return
		}
		select {
		case <-time.After(wait):
			wait *= 2
		case <-ctx.Done():
			l.drain(batch)
			return
		}
	}
}

// writeOnce makes one attempt; on the last one a failure loses the batch.
func (l *Log) writeOnce(ctx context.Context, batch []entry, try int) bool {
	last := try >= retries || l.closed.Load()
	if err := l.Ready(ctx); err != nil {
		if last {
			l.lose(batch, metrics.ReasonStore)
		}
		l.fail.note(l, "question log unavailable", err, 0)
		return false
	}
	b := l.prepare(batch)
	wctx, cancel := context.WithTimeout(ctx, l.timeout)
	start := time.Now()
	w, err := l.store.Write(wctx, b)
	cancel()
	l.metrics.LogBatch(time.Since(start))
	if err != nil {
		if last {
			l.lose(batch, metrics.ReasonStore)
		}
		l.fail.note(l, "question log write failed", err, 0)
		return false
	}
	l.metrics.LogWritten("record", w.Records)
	l.metrics.LogWritten("vote", w.Ballots)
	l.metrics.LogDropped("vote", metrics.ReasonUnknownAnswer, w.Refused)
	l.fail.recovered(l)
	return true
}

// prepare turns entries into a batch as stored: text cleaned and
// redacted, conversations hashed.
func (l *Log) prepare(batch []entry) bot.LogBatch {
	k := l.keys.Load()
	var b bot.LogBatch
	recs := 0
	for _, e := range batch {
		if e.rec != nil {
			recs++
		}
	}
	if recs > 0 {
		b.Records = make([]bot.Record, 0, recs)
	}
	for _, e := range batch {
		switch {
		case e.rec != nil:
			r := *e.rec
			r.Conversation = k.conversation(r.Conversation)
			r.Text = clean(r.Text)
			b.Records = append(b.Records, r)
		case e.ballot != nil:
			v := *e.ballot
			v.Conversation = k.conversation(v.Conversation)
			b.Ballots = append(b.Ballots, v)
		}
	}
	return b
}

func (l *Log) lose(batch []entry, reason metrics.Reason) {
	var recs, votes int
	for _, e := range batch {
		if e.rec != nil {
			recs++
		} else {
			votes++
		}
	}
	l.metrics.LogDropped("record", reason, recs)
	l.metrics.LogDropped("vote", reason, votes)
	l.fail.lost(recs + votes)
}

// Prune deletes the records older than the retention now.
func (l *Log) Prune(ctx context.Context) (int64, error) {
	return l.store.Prune(ctx, l.now().Add(-l.retention))
}

// pruneEvery is how often old records are deleted; the first time is a
// minute after start, so start-up is not slowed.
const (
	pruneEvery = time.Hour
	pruneFirst = time.Minute
)

func (l *Log) prunes(ctx context.Context) {
	t := time.NewTimer(pruneFirst)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := l.Prune(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			l.fail.note(l, "question log: old records not deleted", err, 0)
		case n > 0:
			l.log.InfoContext(ctx, "question log: old records deleted", "records", n, "retention_days", int(l.retention.Hours()/24))
		}
		t.Reset(pruneEvery)
	}
}

// failures logs trouble at most once a minute: the first failure at once,
// then one line a minute saying how many more there were and how much
// was lost, and one line when writes work again.
type failures struct {
	mu       sync.Mutex
	last     time.Time // when a line was last logged
	failing  bool
	since    int // failures since the last line
	lostRows int // entries lost since the last line
}

const logEvery = time.Minute

func (f *failures) note(l *Log, msg string, err error, lost int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing = true
	f.since++
	f.lostRows += lost
	now := l.now()
	if !f.last.IsZero() && now.Sub(f.last) < logEvery {
		return
	}
	attrs := []any{"failures", f.since, "lost", f.lostRows, "pending", len(l.queue)}
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	l.log.Warn(msg+"; answers go on", attrs...)
	f.last, f.since, f.lostRows = now, 0, 0
}

func (f *failures) lost(n int) {
	f.mu.Lock()
	f.lostRows += n
	f.mu.Unlock()
}

func (f *failures) recovered(l *Log) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.failing {
		return
	}
	f.failing = false
	l.log.Info("question log writes again", "failures", f.since, "lost", f.lostRows)
	f.last, f.since, f.lostRows = time.Time{}, 0, 0
}
