package work

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestPoolRunsEveryAcceptedJob(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := New(4, 100, nil)
	var n atomic.Int64
	for range 100 {
		if err := p.Submit(func(context.Context) { n.Add(1) }); err != nil {
			t.Fatalf("Submit: %v", err)
		}
	}
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if n.Load() != 100 {
		t.Errorf("ran %d jobs; want 100", n.Load())
	}
	if err := p.Submit(func(context.Context) {}); !errors.Is(err, ErrClosed) {
		t.Errorf("Submit after Shutdown = %v; want ErrClosed", err)
	}
}

func TestPoolRefusesWhenFull(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := New(1, 1, nil)
	release := make(chan struct{})
	started := make(chan struct{})
	_ = p.Submit(func(context.Context) { close(started); <-release })
	<-started
	if err := p.Submit(func(context.Context) {}); err != nil {
		t.Fatalf("Submit into free queue slot: %v", err)
	}
	if err := p.Submit(func(context.Context) {}); !errors.Is(err, ErrFull) {
		t.Fatalf("Submit into full queue = %v; want ErrFull", err)
	}
	close(release)
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestPoolShutdownDeadlineCancelsJobs(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := New(1, 1, nil)
	cancelled := make(chan struct{})
	started := make(chan struct{})
	if err := p.Submit(func(ctx context.Context) { close(started); <-ctx.Done(); close(cancelled) }); err != nil {
		t.Fatal(err)
	}
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := p.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v; want DeadlineExceeded", err)
	}
	select {
	case <-cancelled:
	default:
		t.Error("running job's context was not cancelled at the deadline")
	}
}

func TestPoolSurvivesPanickingJob(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := New(1, 2, nil)
	var ran atomic.Bool
	_ = p.Submit(func(context.Context) { panic("boom") })
	_ = p.Submit(func(context.Context) { ran.Store(true) })
	_ = p.Shutdown(context.Background())
	if !ran.Load() {
		t.Error("job after a panicking job did not run")
	}
}
