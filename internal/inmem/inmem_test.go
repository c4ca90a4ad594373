package inmem

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestConversationsExpire(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Unix(0, 0)}
	s := NewConversations(time.Minute, clk.now)
	if _, err := s.Load(ctx, "a"); !errors.Is(err, bot.ErrNoState) {
		t.Fatalf("Load(unknown) err = %v; want ErrNoState", err)
	}
	want := bot.State{Lang: bot.English, Results: []string{"x", "y"}, Shown: 1}
	if err := s.Save(ctx, "a", want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx, "a")
	if err != nil || got.Lang != want.Lang || len(got.Results) != 2 || got.Shown != 1 {
		t.Fatalf("Load = %+v, %v; want %+v", got, err, want)
	}
	got.Results[0] = "changed"
	if again, _ := s.Load(ctx, "a"); again.Results[0] != "x" {
		t.Errorf("Load returned shared slice: stored state changed to %v", again.Results)
	}
	clk.add(59 * time.Second)
	if _, err := s.Load(ctx, "a"); err != nil {
		t.Errorf("Load before expiry: %v", err)
	}
	clk.add(time.Second)
	if _, err := s.Load(ctx, "a"); !errors.Is(err, bot.ErrNoState) {
		t.Errorf("Load after expiry err = %v; want ErrNoState", err)
	}
	_ = s.Save(ctx, "b", want)
	_ = s.Delete(ctx, "b")
	if _, err := s.Load(ctx, "b"); !errors.Is(err, bot.ErrNoState) {
		t.Errorf("Load after Delete err = %v; want ErrNoState", err)
	}
}

func TestDeduperWindowAndSweep(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Unix(0, 0)}
	d := NewDeduper(time.Minute, clk.now)
	if first, _ := d.FirstSeen(ctx, "e1"); !first {
		t.Fatal("FirstSeen(e1) = false on first sighting")
	}
	if first, _ := d.FirstSeen(ctx, "e1"); first {
		t.Fatal("FirstSeen(e1) = true on repeat")
	}
	clk.add(time.Minute)
	if first, _ := d.FirstSeen(ctx, "e1"); !first {
		t.Fatal("FirstSeen(e1) = false after the window")
	}
	for i := range 3 * sweepEvery {
		clk.add(time.Second)
		_, _ = d.FirstSeen(ctx, fmt.Sprint(i))
	}
	if n := d.Len(); n > 60+sweepEvery {
		t.Errorf("Len = %d after sweeps; want at most %d (expired keys are dropped)", n, 60+sweepEvery)
	}
}

func TestDeduperConcurrent(t *testing.T) {
	ctx := context.Background()
	d := NewDeduper(time.Minute, nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	firsts := 0
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, _ := d.FirstSeen(ctx, "same"); ok {
				mu.Lock()
				firsts++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firsts != 1 {
		t.Errorf("%d goroutines saw the key first; want 1", firsts)
	}
}
