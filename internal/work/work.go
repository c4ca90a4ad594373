// Package work runs the jobs that outlive a webhook request (answering and
// replying after the platform has been acknowledged) with bounds: a fixed
// number of workers and a bounded queue. A full queue refuses new jobs with
// ErrFull, so adapters answer 503 and the platform redelivers later,
// instead of piling up goroutines. Shutdown stops intake and waits for
// queued and running jobs, so no accepted reply is lost on SIGTERM.
package work

import (
	"context"
	"errors"
	"sync"

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
	metrics *metrics.Metrics

	mu     sync.RWMutex
	closed bool

	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// New starts workers goroutines with a queue of queue jobs.
func New(workers, queue int, m *metrics.Metrics) *Pool {
	if workers < 1 {
		workers = 1
	}
	if queue < 0 {
		queue = 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{jobs: make(chan Job, queue), metrics: m, ctx: ctx, cancel: cancel}
	p.wg.Add(workers)
	for range workers {
		go p.work()
	}
	return p
}

func (p *Pool) work() {
	defer p.wg.Done()
	for job := range p.jobs {
		p.run(job)
	}
}

func (p *Pool) run(job Job) {
	defer p.metrics.Inflight(-1)
	defer func() { _ = recover() }() // one bad job never takes the process down
	job(p.ctx)
}

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

// Shutdown refuses new jobs and waits for queued and running ones. When
// ctx ends first, running jobs see their context cancelled and Shutdown
// returns ctx's error once they return.
func (p *Pool) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.jobs)
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
