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

// TestGenerations: an entry written late in one generation lives its
// whole TTL in the next, and the table never holds more than two TTLs of
// writes, so a busy replica's memory stays bounded by its window.
func TestGenerations(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewFakeClock()
	s := NewConversations(time.Minute, clock.Now)
	d := NewDeduper(time.Minute, clock.Now)
	clock.Advance(50 * time.Second)
	_ = s.Save(ctx, "late", bot.State{Lang: bot.English})
	_, _ = d.FirstSeen(ctx, "late")
	clock.Advance(20 * time.Second) // a new generation begins at 1m10s
	_ = s.Save(ctx, "other", bot.State{})
	clock.Advance(39 * time.Second) // 1m49s: "late" is 59 s old
	if _, err := s.Load(ctx, "late"); err != nil {
		t.Errorf("Load of an entry of the previous generation before its expiry: %v", err)
	}
	if first, _ := d.FirstSeen(ctx, "late"); first {
		t.Error("FirstSeen of a key of the previous generation before its expiry = true")
	}
	clock.Advance(time.Second)
	if _, err := s.Load(ctx, "late"); !errors.Is(err, bot.ErrNoState) {
		t.Errorf("Load at expiry: %v; want ErrNoState", err)
	}
	if err := s.Delete(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, "other"); !errors.Is(err, bot.ErrNoState) {
		t.Errorf("Load after Delete: %v; want ErrNoState", err)
	}

	for i := range 600 {
		clock.Advance(time.Second)
		_, _ = d.FirstSeen(ctx, fmt.Sprint(i))
		if n := d.Len(); n > 2*60+1 {
			t.Fatalf("Len = %d after %d s of one write a second; want at most two minutes of writes", n, i+1)
		}
	}
	clock.Advance(2 * time.Minute)
	if n := d.Len(); n != 0 {
		t.Errorf("Len = %d two TTLs after the last write; want 0", n)
	}
}
