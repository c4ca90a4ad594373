package adapter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/work"
)

// Policy bounds the retries of one platform call. The job's deadline
// bounds them too: a retry that could only happen after it is not tried.
type Policy struct {
	Attempts int           // tries in all, the first included
	Base     time.Duration // wait before the second try without Retry-After; doubles after
	Max      time.Duration // longest wait without Retry-After
	// MaxRetryAfter gives up on a platform that asks to wait longer
	// (0: only the deadline bounds it).
	MaxRetryAfter time.Duration
}

// DefaultPolicy keeps one reply's retries within a few seconds, so a
// detached job does not linger and LINE's reply window is kept: four
// tries, 0.5, 1 and 2 s apart before jitter. LINE and Slack ask for a
// second or a few when they rate-limit (Slack's chat.postMessage allows
// about one message a second per channel); a longer Retry-After is not
// waited for.
var DefaultPolicy = Policy{Attempts: 4, Base: 500 * time.Millisecond, Max: 8 * time.Second, MaxRetryAfter: 20 * time.Second}

// Backoff is the wait before try n+1 without Retry-After: doubling from
// Base, capped at Max, with jitter (between half and all of it) so that
// replicas do not retry in step.
func (p Policy) Backoff(n int) time.Duration {
	d := p.Base << min(max(n-1, 0), 16)
	if d > p.Max || d <= 0 {
		d = p.Max
	}
	return d/2 + rand.N(d/2+1)
}

// Outcome is what a failed try came to.
type Outcome struct {
	// Retry marks a failure worth another try: 429, 5xx, a timeout, a
	// connection that failed.
	Retry bool
	// Reason names the failure for metrics when the call is given up.
	Reason metrics.Reason
	// Wait is the platform's Retry-After, if it sent one.
	Wait time.Duration
	// Fallback retries at once with another request: the platform refused
	// a rich message and the next try sends it as plain text (LINE's 400,
	// Slack's invalid_blocks). Counted as outcome "fallback".
	Fallback bool
	// Attrs are logged with the failure: status, the platform's request
	// id and error message. Never a person's text.
	Attrs []any
}

// Caller makes platform calls through one retry loop, counting every
// attempt (supportbot_outbound_calls_total) and every call given up
// (supportbot_outbound_failures_total), and logging both.
type Caller struct {
	Platform string
	Policy   Policy
	Metrics  *metrics.Metrics
	// Now is the clock the deadline is read against; nil is time.Now.
	Now func() time.Time
}

// Call runs try until it returns a nil error, fails for good, or the
// policy or ctx's deadline ends the retries. A try that fails returns its
// Outcome with the error.
//
// The caller's work is done when it calls: from here the job only waits
// on the platform (the call, the back-off before a retry), so Call hands
// the job's worker to the next event (work.Detach) and a slow or failing
// API does not stall the queue.
func (c Caller) Call(ctx context.Context, log *slog.Logger, op string, try func(ctx context.Context) (Outcome, error)) error {
	work.Detach(ctx)
	now := c.Now
	if now == nil {
		now = time.Now
	}
	for n := 1; ; n++ {
		o, err := try(ctx)
		if err == nil {
			c.Metrics.Outbound(c.Platform, op, "ok")
			return nil
		}
		attrs := append([]any{"op", op, "attempt", n, "reason", o.Reason, "err", err}, o.Attrs...)
		wait := o.Wait
		if wait == 0 && !o.Fallback {
			wait = c.Policy.Backoff(n)
		}
		deadline, hasDeadline := ctx.Deadline()
		switch {
		case !o.Retry, n >= c.Policy.Attempts:
		case c.Policy.MaxRetryAfter > 0 && o.Wait > c.Policy.MaxRetryAfter:
		case hasDeadline && now().Add(wait).After(deadline):
			o.Reason = metrics.ReasonExpired
		case o.Fallback:
			c.Metrics.Outbound(c.Platform, op, "fallback")
			log.WarnContext(ctx, "platform refused a rich message, sending plain text", attrs...)
			continue
		default:
			c.Metrics.Outbound(c.Platform, op, "retry")
			log.InfoContext(ctx, "platform call failed, retrying", append(attrs, "wait", wait)...)
			if serr := sleep(ctx, wait); serr == nil {
				continue
			} else if errors.Is(serr, context.Canceled) {
				o.Reason = metrics.ReasonCanceled
			} else {
				o.Reason = metrics.ReasonExpired
			}
		}
		c.Metrics.Outbound(c.Platform, op, "error")
		c.Metrics.Failed(c.Platform, o.Reason)
		attrs[5] = o.Reason
		log.ErrorContext(ctx, "platform call given up", attrs...)
		return fmt.Errorf("%s %s: %s after %d attempts: %w", c.Platform, op, o.Reason, n, err)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
