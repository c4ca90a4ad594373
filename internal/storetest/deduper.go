package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// NewDeduper makes a de-duplicator for one subtest that remembers keys
// for window, and returns it with how to pass its time (as
// NewConversations).
type NewDeduper func(t *testing.T, window time.Duration) (d bot.Deduper, pass func(time.Duration))

// Deduper checks that de-duplicators made by newDeduper keep the contract
// of bot.Deduper:
//
//   - the first FirstSeen of a key is true, every repeat within the window
//     false, and keys are apart, even when one is a prefix of another;
//   - once the window has passed, the key is seen first again;
//   - among goroutines racing on one key, exactly one sees it first (run
//     it with -race);
//   - with a context already cancelled, FirstSeen answers as with a live
//     one, or fails with an error wrapping context.Canceled, reports
//     false and records nothing, so that the event is answered when it
//     comes again.
func Deduper(t *testing.T, newDeduper NewDeduper) {
	t.Helper()
	ctx := context.Background()

	t.Run("FirstThenRepeats", func(t *testing.T) {
		d, _ := newDeduper(t, TTL)
		keys := []string{"line:01J1", "line:01J10", "line:01j1", "slack:Ev1", "web:鍵 1/2?*"}
		for _, k := range keys {
			wantFirst(t, d, key(t, k), true)
		}
		for range 3 {
			for _, k := range keys {
				wantFirst(t, d, key(t, k), false)
			}
		}
	})

	t.Run("Window", func(t *testing.T) {
		d, pass := newDeduper(t, TTL)
		checkExpiry(t, pass, func(t *testing.T, attempt int, tl *timeline) bool {
			k := key(t, fmt.Sprint("event", attempt))
			seen := tl.mark()
			wantFirst(t, d, k, true)
			tl.advance(TTL / 2)
			first, err := d.FirstSeen(ctx, k)
			if tl.since(seen) >= TTL {
				return false
			}
			if first || err != nil {
				t.Errorf("FirstSeen(%q) within the window = %v, %v; want false, nil", k, first, err)
			}
			tl.advance(2 * TTL) // past the window even if the repeat restarted it
			wantFirst(t, d, k, true)
			return true
		})
	})

	t.Run("OneWinner", func(t *testing.T) {
		d, _ := newDeduper(t, TTL)
		const rounds, racers = 10, 16
		for r := range rounds {
			k := key(t, fmt.Sprint("event-", r))
			var firsts atomic.Int32
			var wg sync.WaitGroup
			for range racers {
				wg.Go(func() {
					first, err := d.FirstSeen(ctx, k)
					if err != nil {
						t.Errorf("FirstSeen = %v", err)
					}
					if first {
						firsts.Add(1)
					}
				})
			}
			wg.Wait()
			if n := firsts.Load(); n != 1 {
				t.Fatalf("round %d: %d of %d goroutines saw the key first; want exactly 1", r, n, racers)
			}
		}
	})

	t.Run("CancelledContext", func(t *testing.T) {
		d, _ := newDeduper(t, TTL)
		k := key(t, "event")
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		switch first, err := d.FirstSeen(cancelled, k); {
		case err == nil:
			if !first {
				t.Errorf("FirstSeen of a new key with a cancelled context = false, nil; want true, or an error")
			}
			wantFirst(t, d, k, false)
		case errors.Is(err, context.Canceled):
			if first {
				t.Errorf("FirstSeen with a cancelled context = true, %v; want false with an error", err)
			}
			// A failed call that recorded the key would drop the event's
			// redelivery as a duplicate: it would never be answered.
			wantFirst(t, d, k, true)
		default:
			t.Errorf("FirstSeen with a cancelled context = %v; want nil or an error wrapping context.Canceled", err)
		}
	})
}

// key is an event key of the calling subtest's own (see conversation).
func key(t *testing.T, name string) string { return conversation(t, name) }

func wantFirst(t *testing.T, d bot.Deduper, k string, want bool) {
	t.Helper()
	if got, err := d.FirstSeen(context.Background(), k); got != want || err != nil {
		t.Errorf("FirstSeen(%q) = %v, %v; want %v, nil", k, got, err, want)
	}
}
