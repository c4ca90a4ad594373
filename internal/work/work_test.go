package work

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
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
	var logged bytes.Buffer
	p := New(1, 2, nil, Logger(slog.New(slog.NewJSONHandler(&logged, nil))))
	var ran atomic.Bool
	_ = p.Submit(func(context.Context) { panic("boom") })
	_ = p.Submit(func(context.Context) { ran.Store(true) })
	_ = p.Shutdown(context.Background())
	if !ran.Load() {
		t.Error("job after a panicking job did not run")
	}
	var line struct{ Level, Msg, Panic, Stack string }
	if err := json.Unmarshal(logged.Bytes(), &line); err != nil {
		t.Fatalf("log %q: %v", logged.String(), err)
	}
	if line.Level != "ERROR" || line.Msg != "job panicked" || line.Panic != "boom" || !strings.Contains(line.Stack, "work_test.go") {
		t.Errorf("logged %+v; want an ERROR with the panic and its stack", line)
	}
}

// TestDetachFreesTheWorker: a job that detaches while it waits lets the
// next job run on a new worker, and both are waited for on shutdown.
func TestDetachFreesTheWorker(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := New(1, 1, nil)
	release := make(chan struct{})
	detached := make(chan bool)
	var waited atomic.Bool
	_ = p.Submit(func(ctx context.Context) {
		detached <- Detach(ctx)
		<-release
		waited.Store(true)
	})
	if !<-detached {
		t.Fatal("Detach = false; want true")
	}
	ran := make(chan struct{})
	if err := p.Submit(func(context.Context) { close(ran) }); err != nil {
		t.Fatalf("Submit: %v", err)
	}
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("the next job did not run while the first was detached")
	}
	if n := p.Detached(); n != 1 {
		t.Errorf("Detached() = %d; want 1", n)
	}
	close(release)
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !waited.Load() {
		t.Error("Shutdown returned before the detached job finished")
	}
	if n := p.Detached(); n != 0 {
		t.Errorf("Detached() after shutdown = %d; want 0", n)
	}
}

// TestDetachIsBounded: past MaxDetached a job keeps its worker, so
// waiting jobs cannot grow the goroutines without bound.
func TestDetachIsBounded(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := New(2, 4, nil, MaxDetached(1))
	release := make(chan struct{})
	results := make(chan bool, 2)
	for range 2 {
		_ = p.Submit(func(ctx context.Context) {
			results <- Detach(ctx)
			<-release
		})
	}
	got := []bool{<-results, <-results}
	if got[0] == got[1] {
		t.Errorf("Detach results %v; want one true and one false with MaxDetached(1)", got)
	}
	close(release)
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestDetachOutsideAJob(t *testing.T) {
	if Detach(context.Background()) {
		t.Error("Detach(context.Background()) = true; want false")
	}
	p := New(1, 1, nil)
	defer p.Shutdown(context.Background())
	done := make(chan bool)
	_ = p.Submit(func(jobCtx context.Context) {
		ctx, cancel := context.WithCancel(WithJob(context.Background(), jobCtx))
		defer cancel()
		done <- Detach(ctx)
	})
	if !<-done {
		t.Error("Detach through WithJob = false; want true")
	}
}

// TestOverflowWaitsForTheQueue: a job submitted later runs once the queue
// is empty, after the jobs queued before it; a full overflow refuses; a
// pool without one refuses at once; shutdown runs both queues dry.
func TestOverflowWaitsForTheQueue(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := New(1, 2, nil, Overflow(2))
	release := make(chan struct{})
	started := make(chan struct{})
	var order []string
	record := func(s string) Job { return func(context.Context) { order = append(order, s) } }
	_ = p.Submit(func(context.Context) { close(started); <-release })
	<-started
	if err := p.SubmitLater(record("later1")); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"queued1", "queued2"} {
		if err := p.Submit(record(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.SubmitLater(record("later2")); err != nil {
		t.Fatal(err)
	}
	if err := p.SubmitLater(record("later3")); !errors.Is(err, ErrFull) {
		t.Errorf("SubmitLater into a full overflow = %v; want ErrFull", err)
	}
	close(release)
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, " "); got != "queued1 queued2 later1 later2" {
		t.Errorf("ran %s; want the queue first, then the overflow in order", got)
	}
	if err := p.SubmitLater(record("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("SubmitLater after Shutdown = %v; want ErrClosed", err)
	}
	q := New(1, 1, nil)
	defer q.Shutdown(context.Background())
	if err := q.SubmitLater(record("x")); !errors.Is(err, ErrFull) {
		t.Errorf("SubmitLater without an overflow = %v; want ErrFull", err)
	}
}

// TestDetachReusesSpares: a goroutine whose detached job ended waits as a
// spare and takes the place of the next worker that detaches, instead of
// a new goroutine starting with a small stack.
func TestDetachReusesSpares(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := New(1, 4, nil)
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(time.Millisecond)
		}
	}
	release := make(chan struct{})
	_ = p.Submit(func(ctx context.Context) { Detach(ctx); <-release })
	waitFor("the first job to detach", func() bool { return p.Detached() == 1 })
	close(release)
	waitFor("a spare", func() bool { return p.spares.Load() == 1 })
	hold := make(chan struct{})
	_ = p.Submit(func(ctx context.Context) { Detach(ctx); <-hold })
	waitFor("the spare to take the detaching worker's place", func() bool { return p.spares.Load() == 0 && p.Detached() == 1 })
	ran := make(chan struct{})
	_ = p.Submit(func(context.Context) { close(ran) })
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("no worker ran the next job")
	}
	close(hold)
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}
