package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// Profiler serves Go's profiles under /debug/pprof/ on a mux of its own,
// for PPROF_ADDR: CPU (?seconds=N), heap, allocations, goroutines, mutex
// and block profiles and execution traces of the running server, taken
// under real load (see the README's "Profiling under load").
//
// Importing net/http/pprof also registers these handlers on
// http.DefaultServeMux; supportbot never serves that mux.
func Profiler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index) // heap, allocs, goroutine … by name
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// maxProfile bounds a CPU profile or trace a client may ask for: the
// write timeout must outlast it.
const maxProfile = 2 * time.Minute

// ServeProfiler serves Profiler on ln until ctx ends, then closes it; it
// is a Service background task. Requests get a short header timeout and a
// write timeout long enough for a CPU profile of up to two minutes.
func ServeProfiler(ctx context.Context, ln net.Listener, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           Profiler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      maxProfile + 10*time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.InfoContext(ctx, "profiler serving", "addr", ln.Addr().String(), "path", "/debug/pprof/")
	select {
	case err := <-errc:
		return fmt.Errorf("profiler: %w", err)
	case <-ctx.Done():
	}
	// A profile under way is cut short: it would hold up the shutdown.
	if err := srv.Close(); err != nil {
		return fmt.Errorf("profiler: close: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("profiler: %w", err)
	}
	return nil
}
