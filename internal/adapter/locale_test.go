package adapter_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
)

func TestLocalesRemembers(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	c := adapter.NewLocales("test", nil, func() time.Time { return now })
	var calls atomic.Int32
	fetch := func(context.Context) (bot.Lang, error) { calls.Add(1); return bot.English, nil }
	ctx := context.Background()
	for range 3 {
		if got := c.Lookup("p1", fetch)(ctx); got != bot.English {
			t.Fatalf("Lookup = %q; want en", got)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("%d fetches for three lookups; want 1", calls.Load())
	}
	now = now.Add(adapter.LocaleTTL)
	c.Lookup("p1", fetch)(ctx)
	if calls.Load() != 2 {
		t.Errorf("%d fetches after the TTL; want 2", calls.Load())
	}
}

// TestLocalesNeverHoldUpAnAnswer: a slow platform costs one wait, then
// lookups pause for everyone; concurrent lookups of one person share one
// call.
func TestLocalesNeverHoldUpAnAnswer(t *testing.T) {
	c := adapter.NewLocales("test", nil, nil)
	// A wait long enough that "at once" below cannot be mistaken for it
	// on a loaded machine.
	c.SetWait(time.Second)
	var calls atomic.Int32
	slow := func(ctx context.Context) (bot.Lang, error) {
		calls.Add(1)
		<-ctx.Done()
		return "", ctx.Err()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if got := c.Lookup("p1", slow)(context.Background()); got != "" {
				t.Errorf("slow lookup = %q; want \"\"", got)
			}
		})
	}
	wg.Wait()
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("five lookups of a slow platform took %v; want about one wait (1s)", took)
	}
	if calls.Load() != 1 {
		t.Errorf("%d calls for five concurrent lookups; want 1", calls.Load())
	}
	// The platform failed: another person's lookup does not wait on it.
	start = time.Now()
	if got := c.Lookup("p2", slow)(context.Background()); got != "" || time.Since(start) > 500*time.Millisecond || calls.Load() != 1 {
		t.Errorf("lookup during the pause = %q after %v, %d calls; want \"\" at once, no call", got, time.Since(start), calls.Load())
	}
}

func TestLocalesError(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	c := adapter.NewLocales("test", nil, func() time.Time { return now })
	fail := func(context.Context) (bot.Lang, error) { return "", errors.New("503") }
	if got := c.Lookup("p1", fail)(context.Background()); got != "" {
		t.Errorf("failed lookup = %q", got)
	}
	ok := func(context.Context) (bot.Lang, error) { return bot.English, nil }
	if got := c.Lookup("p2", ok)(context.Background()); got != "" {
		t.Errorf("lookup during the pause = %q; want \"\"", got)
	}
	now = now.Add(adapter.LocalePause)
	if got := c.Lookup("p1", ok)(context.Background()); got != bot.English {
		t.Errorf("lookup after the pause = %q; want en", got)
	}
}

func TestLangOf(t *testing.T) {
	for tag, want := range map[string]bot.Lang{
		"": "", "ja": bot.Japanese, "ja-JP": bot.Japanese, "JA_jp": bot.Japanese,
		"en": bot.English, "en-US": bot.English, "zh-TW": bot.English, "th": bot.English,
	} {
		if got := adapter.LangOf(tag); got != want {
			t.Errorf("LangOf(%q) = %q; want %q", tag, got, want)
		}
	}
}
