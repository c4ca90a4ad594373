package adapter

import (
	"sync"
	"time"
)

// Throttle lets a kind of log line through at most once per period, so a
// problem that repeats with every request (a payload the SDK cannot read,
// a database that is down) is seen without flooding the log. The
// counters in /metrics keep the full count.
type Throttle struct {
	period time.Duration
	now    func() time.Time
	max    int

	mu   sync.Mutex
	last map[string]time.Time
}

// maxThrottleKeys bounds the kinds remembered; past it the oldest are
// forgotten (and may log again).
const maxThrottleKeys = 1024

// NewThrottle returns a throttle that allows each key once per period;
// now is the clock (nil: time.Now).
func NewThrottle(period time.Duration, now func() time.Time) *Throttle {
	return NewThrottleSize(period, maxThrottleKeys, now)
}

// NewThrottleSize is NewThrottle remembering up to max keys (one per
// person, for notices to people).
func NewThrottleSize(period time.Duration, max int, now func() time.Time) *Throttle {
	if now == nil {
		now = time.Now
	}
	return &Throttle{period: period, now: now, max: max, last: map[string]time.Time{}}
}

// Allow reports whether a line of kind key may be logged now, and if so
// starts its period.
func (t *Throttle) Allow(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if last, ok := t.last[key]; ok && now.Sub(last) < t.period {
		return false
	}
	if len(t.last) >= t.max {
		for k, at := range t.last {
			if now.Sub(at) >= t.period {
				delete(t.last, k)
			}
		}
		if len(t.last) >= t.max {
			clear(t.last)
		}
	}
	t.last[key] = now
	return true
}
