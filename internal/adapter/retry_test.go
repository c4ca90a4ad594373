package adapter_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/metrics"
)

var errTry = errors.New("try failed")

func TestCall(t *testing.T) {
	fast := adapter.Policy{Attempts: 3, Base: time.Millisecond, Max: 2 * time.Millisecond, MaxRetryAfter: time.Second}
	tests := []struct {
		name     string
		outcomes []adapter.Outcome // one per failed try; a try past the list succeeds
		deadline time.Duration     // 0: none
		wantTry  int
		reason   metrics.Reason // "" when the call succeeds
	}{
		{"first try", nil, 0, 1, ""},
		{"retried then ok", []adapter.Outcome{{Retry: true, Reason: metrics.ReasonServerError}}, 0, 2, ""},
		{"not worth retrying", []adapter.Outcome{{Reason: metrics.ReasonRejected}}, 0, 1, metrics.ReasonRejected},
		{"plain-text fallback", []adapter.Outcome{{Retry: true, Fallback: true, Reason: metrics.ReasonRejected}}, 0, 2, ""},
		{"fallback refused too", []adapter.Outcome{{Retry: true, Fallback: true, Reason: metrics.ReasonRejected}, {Reason: metrics.ReasonRejected}}, 0, 2, metrics.ReasonRejected},
		{"attempts used up", []adapter.Outcome{
			{Retry: true, Reason: metrics.ReasonServerError}, {Retry: true, Reason: metrics.ReasonServerError}, {Retry: true, Reason: metrics.ReasonTimeout},
		}, 0, 3, metrics.ReasonTimeout},
		{"retry-after too long", []adapter.Outcome{{Retry: true, Reason: metrics.ReasonRateLimited, Wait: time.Minute}}, 0, 1, metrics.ReasonRateLimited},
		{"retry after the deadline", []adapter.Outcome{{Retry: true, Reason: metrics.ReasonRateLimited, Wait: 500 * time.Millisecond}}, 100 * time.Millisecond, 1, metrics.ReasonExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			var logs bytes.Buffer
			c := adapter.Caller{Platform: "test", Policy: fast, Metrics: metrics.New(reg)}
			ctx := context.Background()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			tries := 0
			err := c.Call(ctx, slog.New(slog.NewTextHandler(&logs, nil)), "op", func(context.Context) (adapter.Outcome, error) {
				tries++
				if tries <= len(tt.outcomes) {
					return tt.outcomes[tries-1], errTry
				}
				return adapter.Outcome{}, nil
			})
			if tries != tt.wantTry {
				t.Errorf("%d tries; want %d", tries, tt.wantTry)
			}
			failed, serr := metrics.Sum(reg, "supportbot_outbound_failures_total", map[string]string{"reason": string(tt.reason)})
			if serr != nil {
				t.Fatal(serr)
			}
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Call = %v; want nil", err)
				}
				return
			}
			if !errors.Is(err, errTry) || !strings.Contains(err.Error(), string(tt.reason)) {
				t.Errorf("Call = %v; want the try's error, naming %s", err, tt.reason)
			}
			if failed != 1 {
				t.Errorf("failures with reason %s = %v; want 1", tt.reason, failed)
			}
			if !strings.Contains(logs.String(), "platform call given up") {
				t.Errorf("no give-up line logged:\n%s", logs.String())
			}
		})
	}
}

func TestCallCanceled(t *testing.T) {
	c := adapter.Caller{Platform: "test", Policy: adapter.Policy{Attempts: 5, Base: time.Hour, Max: time.Hour}}
	ctx, cancel := context.WithCancel(context.Background())
	err := c.Call(ctx, slog.New(slog.DiscardHandler), "op", func(context.Context) (adapter.Outcome, error) {
		cancel()
		return adapter.Outcome{Retry: true, Reason: metrics.ReasonNetwork}, errTry
	})
	if err == nil || !strings.Contains(err.Error(), string(metrics.ReasonCanceled)) {
		t.Errorf("Call = %v; want it given up as canceled", err)
	}
}

func TestBackoff(t *testing.T) {
	p := adapter.Policy{Base: 100 * time.Millisecond, Max: time.Second}
	for n, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 5: time.Second, 40: time.Second} {
		for range 20 {
			if got := p.Backoff(n); got < want/2 || got > want {
				t.Fatalf("Backoff(%d) = %v; want between %v and %v", n, got, want/2, want)
			}
		}
	}
}
