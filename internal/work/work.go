// Package work runs the jobs that outlive a webhook request (answering and
// replying after the platform has been acknowledged) with bounds: a fixed
// number of workers and a bounded queue. A full queue refuses new jobs with
// ErrFull, so adapters answer 503 and the platform redelivers later,
// instead of piling up goroutines. Shutdown stops intake and waits for
// queued and running jobs, so no accepted reply is lost on SIGTERM.
//
// A job that has done its computing and only waits on a platform API
// (the call itself, or the back-off before a retry) calls Detach: it goes
// on in its own goroutine and a new worker takes its place, so slow or
// failing platform calls do not stall the queue and turn into 503s.
//
// An optional overflow queue (Overflow, SubmitLater) holds work that can
// wait until the queue drains rather than be refused.
// Detached jobs are bounded too (MaxDetached); past the bound a job keeps
// its worker, and the queue fills as before.
package work

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/supportbot/supportbot/internal/metrics"
)

// Errors of Submit.
var (
	ErrFull   = errors.New("work: queue full")
	ErrClosed = errors.New("work: shutting down")
)

// Job is work to run; ctx is cancelled only when Shutdown's deadline
// passes.
type Job func(ctx context.Context)

// Pool is a bounded worker pool.
type Pool struct {
	jobs    chan Job
	later   chan Job // overflow (SubmitLater); nil when there is none
	metrics *metrics.Metrics

	maxDetached int64
	detached    atomic.Int64
	log         *slog.Logger

	// handoff passes a detaching worker's place to a spare: a goroutine
	// whose detached job has ended, kept because its stack has grown to
	// what the jobs need. A new goroutine starts with a few kilobytes of
	// stack and copies it as it grows through an answer (the Japanese
	// analyser, JSON); with most jobs detaching for their platform call,
	// that was a new goroutine an event. (Stack copying was 5 % of the
	// CPU at 1,500 events a second; the rest of it came from the
	// collector shrinking idle stacks, which GODEBUG=gcshrinkstackoff=1
	// stops: README, "Profiling under load".)
	handoff   chan struct{}
	spares    atomic.Int64
	maxSpares int64
	closing   chan struct{} // closed by Shutdown: spares end

	mu     sync.RWMutex
	closed bool

	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// Option tunes a pool.
type Option func(*Pool)

// MaxDetached bounds the jobs detached at once (see Detach); the default
// is the queue size, at least the number of workers.
func MaxDetached(n int) Option {
	return func(p *Pool) { p.maxDetached = int64(max(n, 0)) }
}

// Overflow gives the pool a second queue of n jobs (SubmitLater), which
// workers take from only when the first is empty: work that can wait for
// the queue to drain (a Slack answer has no deadline) instead of being
// refused.
func Overflow(n int) Option {
	return func(p *Pool) {
		if n > 0 {
			p.later = make(chan Job, n)
		}
	}
}

// Logger sets where a job that panics is reported (slog.Default() if
// unset).
func Logger(l *slog.Logger) Option {
	return func(p *Pool) {
		if l != nil {
			p.log = l
		}
	}
}

// New starts workers goroutines with a queue of queue jobs.
func New(workers, queue int, m *metrics.Metrics, opts ...Option) *Pool {
	if workers < 1 {
		workers = 1
	}
	if queue < 0 {
		queue = 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{jobs: make(chan Job, queue), metrics: m, ctx: ctx, cancel: cancel, maxDetached: int64(max(queue, workers)), log: slog.Default(),
		handoff: make(chan struct{}), maxSpares: int64(workers) * spareFactor, closing: make(chan struct{})}
	for _, o := range opts {
		o(p)
	}
	p.wg.Add(workers)
	for range workers {
		go p.work()
	}
	return p
}

// worker is one worker goroutine, found through the context of the job it
// runs.
type worker struct {
	pool     *Pool
	detached atomic.Bool
}

type workerKey struct{}

func (p *Pool) work() {
	defer p.wg.Done()
	w := &worker{pool: p}
	ctx := context.WithValue(p.ctx, workerKey{}, w)
	var idle *time.Timer // a spare's wait, made once a goroutine
	for {
		job, ok := p.next()
		if !ok {
			return
		}
		p.run(ctx, job)
		if w.detached.Load() {
			// Another worker took this one's place when its job detached:
			// wait, as a spare, to take the place of the next one that
			// detaches.
			p.detached.Add(-1)
			if idle == nil {
				idle = time.NewTimer(spareIdle)
			} else {
				idle.Reset(spareIdle)
			}
			if !p.spare(idle) {
				return
			}
			w.detached.Store(false)
		}
	}
}

// Spares: spareFactor per worker are kept, each for at most spareIdle
// without a place to take. Under load detached jobs end about as often
// as workers detach, so spares go round; when the load stops they end.
// The two rates only match on average: with one spare a worker, a
// detaching worker found none about once in five and started a new
// goroutine, whose stack then grew through an answer (stack copying 3.7 %
// of the server's CPU under cmd/loadgen at 1,000 events a second with
// faults; 1.7 % with sixteen, in the same run side by side). An idle
// spare costs its stack, some tens of kilobytes.
const (
	spareIdle   = 5 * time.Second
	spareFactor = 16
)

// spare waits for a detaching worker's place; false when the pool has
// enough spares, none was needed before idle fired, or the pool is
// closing. idle is the goroutine's own timer, set to spareIdle and
// stopped here (a timer a wait was two allocations an event).
func (p *Pool) spare(idle *time.Timer) bool {
	defer idle.Stop()
	if p.spares.Add(1) > p.maxSpares {
		p.spares.Add(-1)
		return false
	}
	defer p.spares.Add(-1)
	select {
	case <-p.handoff:
		return true
	case <-p.closing:
	case <-idle.C:
	}
	return false
}

// next is the next job: from the queue, else from the overflow; false
// once both are closed and empty.
func (p *Pool) next() (Job, bool) {
	jobs, later := p.jobs, p.later
	for jobs != nil || later != nil {
		select {
		case job, ok := <-jobs:
			if ok {
				return job, true
			}
			jobs = nil
			continue
		default:
		}
		select {
		case job, ok := <-jobs:
			if !ok {
				jobs = nil
				continue
			}
			return job, true
		case job, ok := <-later:
			if !ok {
				later = nil
				continue
			}
			return job, true
		}
	}
	return nil, false
}

func (p *Pool) run(ctx context.Context, job Job) {
	defer p.metrics.Inflight(-1)
	// One bad job never takes the process down, and never goes unseen:
	// the panic and its stack are logged (no message text is in them).
	defer func() {
		if v := recover(); v != nil {
			p.log.ErrorContext(ctx, "job panicked", slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
		}
	}()
	job(ctx)
}

// Detach tells the pool that the job running with ctx (or a context made
// with WithJob) now only waits: on a platform API, or before retrying one.
// The job goes on in its goroutine, which ends with it, and a new worker
// takes its place. It reports false, and the job keeps its worker, when
// ctx belongs to no job or MaxDetached jobs are detached already. Call it
// from the job's own goroutine; calling it again is harmless.
func Detach(ctx context.Context) bool {
	w, _ := ctx.Value(workerKey{}).(*worker)
	if w == nil {
		return false
	}
	if w.detached.Load() {
		return true
	}
	p := w.pool
	if p.detached.Add(1) > p.maxDetached {
		p.detached.Add(-1)
		return false
	}
	w.detached.Store(true)
	select {
	case p.handoff <- struct{}{}: // a spare takes the place
		return true
	default:
	}
	// The detaching worker has not returned, so the group's count is above
	// zero and Add may run alongside Shutdown's Wait. After Shutdown the
	// new worker finds the queue closed and ends at once.
	p.wg.Add(1)
	go p.work()
	return true
}

// WithJob returns ctx carrying the job of jobCtx (the context a Job was
// given), so that Detach works with contexts derived from ctx. Adapters
// that run a job under the request's context use it.
func WithJob(ctx, jobCtx context.Context) context.Context {
	if w := jobCtx.Value(workerKey{}); w != nil {
		return context.WithValue(ctx, workerKey{}, w)
	}
	return ctx
}

// Detached returns the number of jobs detached now.
func (p *Pool) Detached() int { return int(p.detached.Load()) }

// Submit queues a job, or returns ErrFull or ErrClosed at once.
func (p *Pool) Submit(job Job) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return ErrClosed
	}
	select {
	case p.jobs <- job:
		p.metrics.Inflight(1)
		return nil
	default:
		return ErrFull
	}
}

// SubmitLater queues a job on the overflow queue (Overflow), run once the
// queue is empty; ErrFull when the overflow is full or the pool has none,
// ErrClosed when shutting down.
func (p *Pool) SubmitLater(job Job) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return ErrClosed
	}
	select {
	case p.later <- job: // a nil channel never takes
		p.metrics.Inflight(1)
		return nil
	default:
		return ErrFull
	}
}

// Shutdown refuses new jobs and waits for queued and running ones. When
// ctx ends first, running jobs see their context cancelled and Shutdown
// returns ctx's error once they return.
func (p *Pool) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.closing)
		close(p.jobs)
		if p.later != nil {
			close(p.later)
		}
	}
	p.mu.Unlock()
	done := make(chan struct{})
	go func() { p.wg.Wait(); close(done) }()
	select {
	case <-done:
		p.cancel()
		return nil
	case <-ctx.Done():
		p.cancel()
		<-done
		return ctx.Err()
	}
}
