package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/work"
)

// DefaultShutdownTimeout bounds a graceful shutdown when Service leaves it 0.
// Kubernetes waits 30 s after SIGTERM before SIGKILL; this leaves margin.
const DefaultShutdownTimeout = 20 * time.Second

// Service runs the HTTP server and the work that outlives requests.
type Service struct {
	// Server has its Handler and timeouts set. Its BaseContext must not
	// derive from the context that ends the service: in-flight requests
	// finish after SIGTERM instead of being cancelled.
	Server *http.Server
	// Pool holds answers and platform replies that outlive their request;
	// it is drained after the server stops accepting.
	Pool *work.Pool
	// Background tasks (Slack Socket Mode) run until shutdown; their
	// context ends first, so they stop taking new events. One that fails
	// before then stops the service with its error.
	Background []func(ctx context.Context) error
	// ShutdownTimeout bounds the whole drain.
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
}

// Serve serves on ln until ctx ends, then stops accepting, waits for
// in-flight requests and background tasks, and drains the pool, all within
// ShutdownTimeout. It returns nil after a clean drain.
func (s Service) Serve(ctx context.Context, ln net.Listener) error {
	log := s.Logger
	if log == nil {
		log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	timeout := s.ShutdownTimeout
	if timeout <= 0 {
		timeout = DefaultShutdownTimeout
	}
	bgCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBackground()

	errc := make(chan error, 1+len(s.Background))
	go func() {
		if err := s.Server.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("serve: %w", err)
		}
	}()
	var bg sync.WaitGroup
	for _, task := range s.Background {
		bg.Go(func() {
			if err := task(bgCtx); err != nil && bgCtx.Err() == nil {
				errc <- fmt.Errorf("serve: background: %w", err)
			}
		})
	}
	log.Info("serving", "addr", ln.Addr().String())

	var failure error
	select {
	case <-ctx.Done():
		log.Info("shutting down", "timeout", timeout.String())
	case failure = <-errc:
		log.Error("stopping", "err", failure)
	}

	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	stopBackground()
	var errs []error
	if err := s.Server.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("shutdown: http: %w", err))
	}
	done := make(chan struct{})
	go func() { bg.Wait(); close(done) }()
	select {
	case <-done:
	case <-sctx.Done():
		errs = append(errs, fmt.Errorf("shutdown: background tasks: %w", sctx.Err()))
	}
	if s.Pool != nil {
		if err := s.Pool.Shutdown(sctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: pending replies: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		log.Error("shutdown incomplete", "err", err, "took", time.Since(start).String())
		return errors.Join(failure, err)
	}
	log.Info("shut down", "took", time.Since(start).String())
	return failure
}
