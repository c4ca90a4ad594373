package staff

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// Defaults of a Weekly.
const (
	// DefaultLease is how long a replica holds a week's digest before
	// another may take it over: far longer than counting a week and
	// posting it (milliseconds, and the Slack call's retries), far
	// shorter than the day the week waits for its digest.
	DefaultLease = 10 * time.Minute
	// DefaultCatchUp is how long after its time a digest is still
	// posted: replicas that were all down at 09:00 post it when one
	// comes up that day, but a deployment started on a Thursday does not
	// post the week before it existed.
	DefaultCatchUp = 24 * time.Hour
	// Retries of a failed digest back off from minRetry to maxRetry: a
	// channel the bot cannot post to fails every time, and a retry a
	// minute for a day would bury the log.
	minRetry = time.Minute
	maxRetry = 30 * time.Minute
	// postTimeout bounds one attempt; it stays well inside the lease.
	postTimeout = 2 * time.Minute
)

// Weekly posts the digest of each week once across replicas, at the
// schedule's time.
type Weekly struct {
	// Schedule says when; it must not be zero.
	Schedule Schedule
	// Claims decides which replica posts (required: the database the
	// question log is in).
	Claims bot.Claims
	// Holder names this replica in Claims (Holder()).
	Holder string
	// Post builds the digest of [since, until) and posts it, returning
	// once it is delivered: a week is marked done only after.
	Post func(ctx context.Context, since, until time.Time) error
	// Logger receives a line per digest posted or failed; nil discards.
	Logger *slog.Logger
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
	// Lease and CatchUp default to DefaultLease and DefaultCatchUp.
	Lease, CatchUp time.Duration

	settled  time.Time // the digest time last settled (posted by anyone, or given up)
	posted   time.Time // the digest time this replica posted but could not mark done
	failures int
}

// Check reports a Weekly that cannot run.
func (w *Weekly) Check() error {
	var errs []error
	if w.Schedule.IsZero() {
		errs = append(errs, errors.New("no schedule"))
	}
	if w.Claims == nil {
		errs = append(errs, errors.New("no Claims"))
	}
	if w.Holder == "" {
		errs = append(errs, errors.New("no Holder"))
	}
	if w.Post == nil {
		errs = append(errs, errors.New("no Post"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("staff: weekly: %w", err)
	}
	return nil
}

// Run posts the digests that fall due until ctx ends. It returns nil
// then, or the error of Check.
func (w *Weekly) Run(ctx context.Context) error {
	if err := w.Check(); err != nil {
		return err
	}
	w.log().InfoContext(ctx, "weekly digest scheduled", "schedule", w.Schedule.String(), "next", w.Schedule.Next(w.now()))
	for {
		next := w.Step(ctx)
		t := time.NewTimer(max(time.Until(next), 0))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// Step does what is due now: claims and posts the digest of the last
// scheduled time if no replica has done so yet, within the catch-up
// window. It returns when to look again: the next scheduled time, a
// retry after a failure, or the end of another replica's lease.
func (w *Weekly) Step(ctx context.Context) time.Time {
	now := w.now()
	due, next := w.Schedule.Last(now), w.Schedule.Next(now)
	if due.Equal(w.settled) {
		return next
	}
	log := w.log().With("week", w.Schedule.Week(due))
	if now.Sub(due) >= w.catchUp() {
		if w.failures > 0 {
			log.WarnContext(ctx, "weekly digest given up: not posted within the catch-up window", "failures", w.failures, "catch_up", w.catchUp().String())
		}
		w.settle(due)
		return next
	}
	key := "digest:" + w.Schedule.Week(due)
	c, err := w.Claims.Claim(ctx, key, w.Holder, now, w.lease())
	if err != nil {
		log.WarnContext(ctx, "weekly digest: claim failed", "err", err)
		return w.retry(now)
	}
	switch {
	case c.Done:
		if w.posted.Equal(due) {
			log.InfoContext(ctx, "weekly digest marked done")
		} else {
			log.DebugContext(ctx, "weekly digest already posted", "holder", c.Holder)
		}
		w.settle(due)
		return next
	case !c.Held(w.Holder):
		// Another replica is at it; look again when its lease ends, in
		// case it died.
		log.DebugContext(ctx, "weekly digest held by another replica", "holder", c.Holder, "until", c.Until)
		if end := c.Until.Add(time.Second); end.Before(next) {
			return end
		}
		return next
	}
	if !w.posted.Equal(due) {
		pctx, cancel := context.WithTimeout(ctx, postTimeout)
		err := w.Post(pctx, due.Add(-7*24*time.Hour), due)
		cancel()
		if err != nil {
			// The lease is kept: this replica tries again (its claim
			// extends it); if it dies, another takes over at its end.
			log.WarnContext(ctx, "weekly digest not posted: will try again", "err", err, "failures", w.failures+1)
			return w.retry(now)
		}
		w.posted = due
		log.InfoContext(ctx, "weekly digest posted", "since", due.Add(-7*24*time.Hour), "until", due)
	}
	switch err := w.Claims.Finish(ctx, key, w.Holder, w.now()); {
	case errors.Is(err, bot.ErrClaimLost):
		// Posting outlived the lease and another replica took the week
		// over: the staff may see it twice. Rare enough to say so only.
		log.WarnContext(ctx, "weekly digest posted after its lease ran out: another replica may post it again")
	case err != nil:
		// Posted, not marked: only the marking is tried again.
		log.WarnContext(ctx, "weekly digest posted but not marked done: will try again", "err", err)
		return w.retry(now)
	}
	w.settle(due)
	return next
}

func (w *Weekly) settle(due time.Time) {
	w.settled, w.failures = due, 0
}

// retry counts a failure and returns when to try again.
func (w *Weekly) retry(now time.Time) time.Time {
	d := minRetry << min(w.failures, 10)
	w.failures++
	return now.Add(min(d, maxRetry))
}

func (w *Weekly) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Weekly) lease() time.Duration {
	if w.Lease > 0 {
		return w.Lease
	}
	return DefaultLease
}

func (w *Weekly) catchUp() time.Duration {
	if w.CatchUp > 0 {
		return w.CatchUp
	}
	return DefaultCatchUp
}

func (w *Weekly) log() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Holder names this process in Claims: the host name (a pod's name),
// which says in the log who posted, and a random suffix, so that two
// processes on one host are told apart.
func Holder() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "supportbot"
	}
	var b [4]byte
	_, _ = rand.Read(b[:]) // never fails
	return host + "-" + hex.EncodeToString(b[:])
}
