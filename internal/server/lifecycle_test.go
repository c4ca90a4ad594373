package server_test

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/server"
	"github.com/supportbot/supportbot/internal/work"
)

// TestServeDrains cancels the service while a request and a queued reply
// are in flight: both finish, then Serve returns nil.
func TestServeDrains(t *testing.T) {
	pool := work.New(1, 4, nil)
	var replied, answered atomic.Bool
	inHandler := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(inHandler)
		time.Sleep(300 * time.Millisecond)
		if r.Context().Err() != nil {
			t.Error("request context cancelled by shutdown")
		}
		answered.Store(true)
		w.Write([]byte("done"))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	bgStopped := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	svc := server.Service{
		Server: &http.Server{Handler: mux, ReadHeaderTimeout: time.Second},
		Pool:   pool,
		Background: []func(context.Context) error{func(ctx context.Context) error {
			<-ctx.Done()
			close(bgStopped)
			return nil
		}},
		ShutdownTimeout: 5 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- svc.Serve(ctx, ln) }()

	got := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		res.Body.Close()
		got <- res.Status
	}()
	<-inHandler
	if err := pool.Submit(func(ctx context.Context) {
		time.Sleep(400 * time.Millisecond)
		replied.Store(ctx.Err() == nil)
	}); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve = %v; want nil after a clean drain", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
	if s := <-got; s != "200 OK" {
		t.Errorf("in-flight request got %s; want 200 OK", s)
	}
	if !answered.Load() || !replied.Load() {
		t.Errorf("answered %v, replied %v; want both finished before Serve returned", answered.Load(), replied.Load())
	}
	select {
	case <-bgStopped:
	default:
		t.Error("background task still running after Serve returned")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("listener still accepts after shutdown")
	}
}

// TestServeDeadline: work that outlasts the shutdown timeout is cut off
// and Serve says so.
func TestServeDeadline(t *testing.T) {
	pool := work.New(1, 1, nil)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	svc := server.Service{Server: &http.Server{Handler: http.NotFoundHandler(), ReadHeaderTimeout: time.Second}, Pool: pool, ShutdownTimeout: 100 * time.Millisecond}
	served := make(chan error, 1)
	go func() { served <- svc.Serve(ctx, ln) }()
	pool.Submit(func(ctx context.Context) { <-ctx.Done() })
	cancel()
	select {
	case err := <-served:
		if err == nil {
			t.Error("Serve = nil; want an error for work cut off at the deadline")
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return after its deadline")
	}
}
