package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// lease is the suite's lease. Times are the suite's own (Claims takes the
// time from its caller), so nothing sleeps.
const lease = 10 * time.Minute

// Claims checks that a bot.Claims keeps its contract; open as for
// QuestionLog. The contract:
//
//   - the first claim of a job wins; another holder's claim while the
//     lease runs gets the job as it stands (the winner, its lease);
//   - the holder's own claim extends its lease;
//   - once a lease has run out before the job was done, the next claim
//     takes the job over, and the old holder can no longer finish it
//     (ErrClaimLost);
//   - a finished job is never handed out again, to anyone, however late;
//   - among goroutines racing for one job, exactly one gets it;
//   - jobs are independent of each other;
//   - a cancelled context fails with an error and hands nothing out.
func Claims(t *testing.T, open func(t *testing.T) bot.Claims) {
	ctx := context.Background()
	t0 := day0.Add(9 * time.Hour)

	t.Run("FirstWins", func(t *testing.T) {
		c := open(t)
		got := claim(t, c, "digest:2026-W49", "a", t0)
		if !got.Held("a") || !got.Until.Equal(t0.Add(lease)) {
			t.Fatalf("first Claim = %+v; want a's, until %v", got, t0.Add(lease))
		}
		got = claim(t, c, "digest:2026-W49", "b", t0.Add(time.Minute))
		if got.Held("b") || got.Holder != "a" || !got.Until.Equal(t0.Add(lease)) || got.Done {
			t.Errorf("b's Claim during a's lease = %+v; want a's claim, until %v", got, t0.Add(lease))
		}
		if err := c.Finish(ctx, "digest:2026-W49", "b", t0.Add(time.Minute)); !errors.Is(err, bot.ErrClaimLost) {
			t.Errorf("b's Finish of a's job = %v; want ErrClaimLost", err)
		}
	})

	t.Run("HolderExtends", func(t *testing.T) {
		c := open(t)
		claim(t, c, "job", "a", t0)
		got := claim(t, c, "job", "a", t0.Add(lease-time.Second))
		if !got.Held("a") || !got.Until.Equal(t0.Add(2*lease-time.Second)) {
			t.Errorf("a's second Claim = %+v; want a's, extended to %v", got, t0.Add(2*lease-time.Second))
		}
		if got := claim(t, c, "job", "b", t0.Add(lease+time.Second)); got.Held("b") {
			t.Errorf("b's Claim within the extended lease = %+v; want a's", got)
		}
	})

	t.Run("ExpiredTakenOver", func(t *testing.T) {
		c := open(t)
		claim(t, c, "job", "a", t0)
		// a crashed: its lease runs out at t0+lease exactly.
		got := claim(t, c, "job", "b", t0.Add(lease))
		if !got.Held("b") || !got.Until.Equal(t0.Add(2*lease)) {
			t.Fatalf("b's Claim after a's lease = %+v; want b's", got)
		}
		if err := c.Finish(ctx, "job", "a", t0.Add(lease+time.Second)); !errors.Is(err, bot.ErrClaimLost) {
			t.Errorf("a's Finish after the takeover = %v; want ErrClaimLost", err)
		}
		if got := claim(t, c, "job", "a", t0.Add(lease+2*time.Second)); got.Held("a") || got.Holder != "b" {
			t.Errorf("a's Claim during b's lease = %+v; want b's", got)
		}
		if err := c.Finish(ctx, "job", "b", t0.Add(lease+3*time.Second)); err != nil {
			t.Errorf("b's Finish = %v", err)
		}
	})

	t.Run("FinishedNeverAgain", func(t *testing.T) {
		c := open(t)
		claim(t, c, "job", "a", t0)
		if err := c.Finish(ctx, "job", "a", t0.Add(time.Minute)); err != nil {
			t.Fatalf("Finish = %v", err)
		}
		for _, at := range []time.Duration{time.Minute, lease + time.Minute, 400 * 24 * time.Hour} {
			for _, h := range []string{"a", "b"} {
				got := claim(t, c, "job", h, t0.Add(at))
				if got.Held(h) || !got.Done || got.Holder != "a" {
					t.Errorf("%s's Claim of a finished job at +%v = %+v; want it done by a", h, at, got)
				}
			}
		}
		if err := c.Finish(ctx, "job", "a", t0.Add(2*time.Minute)); !errors.Is(err, bot.ErrClaimLost) {
			t.Errorf("a second Finish = %v; want ErrClaimLost", err)
		}
		if err := c.Finish(ctx, "never-claimed", "a", t0); !errors.Is(err, bot.ErrClaimLost) {
			t.Errorf("Finish of a job never claimed = %v; want ErrClaimLost", err)
		}
	})

	t.Run("Race", func(t *testing.T) {
		c := open(t)
		const n = 8
		for round := range 3 {
			name := fmt.Sprint("race-", round)
			var wg sync.WaitGroup
			got := make([]bot.Claim, n)
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() { got[i], errs[i] = c.Claim(ctx, name, fmt.Sprint("h", i), t0, lease) })
			}
			wg.Wait()
			winners := 0
			for i := range n {
				if errs[i] != nil {
					t.Fatalf("racing Claim #%d: %v", i, errs[i])
				}
				if got[i].Held(fmt.Sprint("h", i)) {
					winners++
				}
				if got[i].Holder != got[0].Holder {
					t.Errorf("racing Claim #%d sees %q hold it; #0 sees %q", i, got[i].Holder, got[0].Holder)
				}
			}
			if winners != 1 {
				t.Errorf("round %d: %d holders got the job; want exactly 1", round, winners)
			}
		}
	})

	t.Run("Independent", func(t *testing.T) {
		c := open(t)
		claim(t, c, "digest:2026-W49", "a", t0)
		if got := claim(t, c, "digest:2026-W50", "b", t0); !got.Held("b") {
			t.Errorf("b's Claim of another job = %+v; want b's", got)
		}
		if got := claim(t, c, "refused:abc", "b", t0); !got.Held("b") {
			t.Errorf("b's Claim of a third job = %+v; want b's", got)
		}
	})

	t.Run("Canceled", func(t *testing.T) {
		c := open(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := c.Claim(cctx, "job", "a", t0, lease); err == nil {
			t.Error("Claim with a cancelled context succeeded")
		}
		if got := claim(t, c, "job", "b", t0); !got.Held("b") {
			t.Errorf("Claim after a cancelled one = %+v; want b's: the cancelled claim took nothing", got)
		}
	})
}

func claim(t *testing.T, c bot.Claims, name, holder string, now time.Time) bot.Claim {
	t.Helper()
	got, err := c.Claim(context.Background(), name, holder, now, lease)
	if err != nil {
		t.Fatalf("Claim(%s, %s): %v", name, holder, err)
	}
	return got
}
