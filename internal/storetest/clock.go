package storetest

import (
	"sync"
	"time"
)

// FakeClock is a clock a test moves on by hand, for stores that take the
// time from a function (inmem's now). It is safe for concurrent use.
type FakeClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewFakeClock returns a clock at an arbitrary fixed instant.
func NewFakeClock() *FakeClock {
	return &FakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
}

// Now is the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
