package inmem

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/storetest"
)

func TestConversationsContract(t *testing.T) {
	storetest.Conversations(t, func(t *testing.T, ttl time.Duration) (bot.ConversationStore, func(time.Duration)) {
		clock := storetest.NewFakeClock()
		return NewConversations(ttl, clock.Now), clock.Advance
	})
}

func TestDeduperContract(t *testing.T) {
	storetest.Deduper(t, func(t *testing.T, window time.Duration) (bot.Deduper, func(time.Duration)) {
		clock := storetest.NewFakeClock()
		return NewDeduper(window, clock.Now), clock.Advance
	})
}

// TestExpiryIsExact: on its own clock the store is exact to the
// nanosecond, which the contract suite, written for stores that keep real
// time too, does not ask: an entry lives until the TTL has passed, not a
// moment longer.
func TestExpiryIsExact(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewFakeClock()
	s := NewConversations(time.Minute, clock.Now)
	d := NewDeduper(time.Minute, clock.Now)
	if err := s.Save(ctx, "a", bot.State{Lang: bot.English}); err != nil {
		t.Fatal(err)
	}
	if first, _ := d.FirstSeen(ctx, "e1"); !first {
		t.Fatal("FirstSeen(e1) = false on first sighting")
	}
	clock.Advance(time.Minute - time.Nanosecond)
	if _, err := s.Load(ctx, "a"); err != nil {
		t.Errorf("Load just before expiry: %v", err)
	}
	if first, _ := d.FirstSeen(ctx, "e1"); first {
		t.Error("FirstSeen(e1) = true just before the window ends")
	}
	clock.Advance(time.Nanosecond)
	if _, err := s.Load(ctx, "a"); !errors.Is(err, bot.ErrNoState) {
		t.Errorf("Load at expiry err = %v; want ErrNoState", err)
	}
	if first, _ := d.FirstSeen(ctx, "e1"); !first {
		t.Error("FirstSeen(e1) = false once the window has passed")
	}
}

// TestDeduperSweep: expired keys are dropped by the sweep, not only
// skipped, so a busy replica's memory stays bounded by its window.
func TestDeduperSweep(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewFakeClock()
	d := NewDeduper(time.Minute, clock.Now)
	for i := range 3 * sweepEvery {
		clock.Advance(time.Second)
		_, _ = d.FirstSeen(ctx, fmt.Sprint(i))
	}
	if n := d.Len(); n > 60+sweepEvery {
		t.Errorf("Len = %d after sweeps; want at most %d (expired keys are dropped)", n, 60+sweepEvery)
	}
}
