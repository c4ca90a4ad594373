package storetest

import (
	"testing"
	"time"
)

// timeline passes a store's time and tells how much of it has passed
// since a mark: the time passed by hand (a FakeClock) or on the wall (a
// store that keeps real time), whichever is more. On a busy machine a
// store that keeps real time can see more pass than the suite asked for.
type timeline struct {
	pass   func(time.Duration)
	passed time.Duration
}

// mark is a point on a timeline.
type mark struct {
	wall   time.Time
	passed time.Duration
}

func (tl *timeline) advance(d time.Duration) {
	tl.pass(d)
	tl.passed += d
}

func (tl *timeline) mark() mark { return mark{time.Now(), tl.passed} }

func (tl *timeline) since(m mark) time.Duration {
	return max(time.Since(m.wall), tl.passed-m.passed)
}

// attempts is how often an expiry check is tried before the suite gives
// up on a machine too busy to check it.
const attempts = 3

// checkExpiry runs check up to attempts times, each with a timeline of
// its own, until one is conclusive: check reports false when the machine
// stalled so long that a state the contract keeps may have expired
// meanwhile, and the attempt said nothing.
func checkExpiry(t *testing.T, pass func(time.Duration), check func(t *testing.T, attempt int, tl *timeline) bool) {
	t.Helper()
	for a := range attempts {
		if check(t, a, &timeline{pass: pass}) {
			return
		}
		t.Logf("attempt %d: the machine stalled past the TTL of %v; trying again", a+1, TTL)
	}
	t.Skipf("the machine stalled past the TTL of %v in %d attempts: expiry not checked", TTL, attempts)
}
