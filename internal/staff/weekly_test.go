package staff_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/sqlite"
	"github.com/supportbot/supportbot/internal/staff"
	"github.com/supportbot/supportbot/internal/storetest"
)

// The schedule of these tests: Monday 09:00 in Tokyo. due is one such
// Monday, week is its key.
var (
	due  = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) // 09:00 in Tokyo
	week = "2026-W49"
)

// database is one SQLite file opened by each replica as a process would:
// the claims the replicas share.
func database(t *testing.T) func() bot.Claims {
	t.Helper()
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	return func() bot.Claims {
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
}

// posts records the digests posted, by replica.
type posts struct {
	mu   sync.Mutex
	by   []string
	span [][2]time.Time
	fail func(n int) error // the n-th attempt (from 1) fails with this, if set
	n    int
}

func (p *posts) post(replica string) func(ctx context.Context, since, until time.Time) error {
	return func(ctx context.Context, since, until time.Time) error {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.n++
		if p.fail != nil {
			if err := p.fail(p.n); err != nil {
				return err
			}
		}
		p.by = append(p.by, replica)
		p.span = append(p.span, [2]time.Time{since, until})
		return nil
	}
}

func (p *posts) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.by)
}

func replica(t *testing.T, name string, claims bot.Claims, clock *storetest.FakeClock, p *posts) *staff.Weekly {
	t.Helper()
	w := &staff.Weekly{Schedule: mustParse(t, "Mon 09:00 Asia/Tokyo"), Claims: claims, Holder: name, Post: p.post(name), Now: clock.Now}
	if err := w.Check(); err != nil {
		t.Fatal(err)
	}
	return w
}

func clockAt(t time.Time) *storetest.FakeClock {
	c := storetest.NewFakeClock()
	c.Advance(t.Sub(c.Now()))
	return c
}

// TestWeeklyOncePerWeek: three replicas look at 09:00, again a minute
// later and after the lease: one digest, of the seven days before 09:00,
// and each replica then sleeps until next Monday.
func TestWeeklyOncePerWeek(t *testing.T) {
	open := database(t)
	clock := clockAt(due)
	p := &posts{}
	rs := []*staff.Weekly{replica(t, "a", open(), clock, p), replica(t, "b", open(), clock, p), replica(t, "c", open(), clock, p)}
	next := due.Add(7 * 24 * time.Hour)
	for round, after := range []time.Duration{0, time.Minute, staff.DefaultLease + time.Minute} {
		clock.Advance(after)
		var wg sync.WaitGroup
		for _, r := range rs {
			wg.Go(func() {
				got := r.Step(context.Background())
				// At once, those that lost the race look again at the
				// end of the winner's lease; later, all know it is done.
				if !got.Equal(next) && (round > 0 || !got.Equal(due.Add(staff.DefaultLease+time.Second))) {
					t.Errorf("round %d: %s: Step = %v; want the next Monday, %v", round, r.Holder, got, next)
				}
			})
		}
		wg.Wait()
	}
	if p.count() != 1 {
		t.Fatalf("%d digests posted (%v); want 1", p.count(), p.by)
	}
	if want := [2]time.Time{due.Add(-7 * 24 * time.Hour), due}; !p.span[0][0].Equal(want[0]) || !p.span[0][1].Equal(want[1]) {
		t.Errorf("digest of %v; want %v", p.span[0], want)
	}
	// Next Monday: one more.
	clock.Advance(next.Sub(clock.Now()))
	for _, r := range rs {
		r.Step(context.Background())
	}
	if p.count() != 2 {
		t.Errorf("%d digests after the second Monday; want 2", p.count())
	}
}

// TestWeeklyTakenOverAfterCrash: a replica claims the week and dies
// before posting; the others wait for its lease, then one of them posts.
func TestWeeklyTakenOverAfterCrash(t *testing.T) {
	open := database(t)
	clock := clockAt(due.Add(time.Second))
	dead := open()
	c, err := dead.Claim(context.Background(), "digest:"+week, "dead", clock.Now(), staff.DefaultLease)
	if err != nil || !c.Held("dead") {
		t.Fatalf("dead replica's claim = %+v, %v", c, err)
	}
	p := &posts{}
	b := replica(t, "b", open(), clock, p)
	wake := b.Step(context.Background())
	if want := c.Until.Add(time.Second); !wake.Equal(want) || p.count() != 0 {
		t.Fatalf("Step during the dead replica's lease = %v with %d posts; want to look again at %v, nothing posted", wake, p.count(), want)
	}
	clock.Advance(wake.Sub(clock.Now()))
	b.Step(context.Background())
	if p.count() != 1 || p.by[0] != "b" {
		t.Errorf("after the lease: posts by %v; want one by b", p.by)
	}
	if err := dead.Finish(context.Background(), "digest:"+week, "dead", clock.Now()); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("the dead replica's Finish = %v; want ErrClaimLost", err)
	}
}

// TestWeeklyRetriesWithBackoff: a digest that cannot be posted is tried
// again after 1, 2, 4 minutes … by the replica holding the week; the
// others leave it alone while it does.
func TestWeeklyRetriesWithBackoff(t *testing.T) {
	open := database(t)
	clock := clockAt(due)
	p := &posts{fail: func(n int) error {
		if n <= 3 {
			return errors.New("slack: not_in_channel")
		}
		return nil
	}}
	a, b := replica(t, "a", open(), clock, p), replica(t, "b", open(), clock, p)
	var waits []time.Duration
	for p.count() == 0 && len(waits) < 10 {
		wake := a.Step(context.Background())
		if other := b.Step(context.Background()); other.Before(clock.Now()) {
			t.Fatalf("b looks again in the past: %v", other)
		}
		waits = append(waits, wake.Sub(clock.Now()))
		clock.Advance(wake.Sub(clock.Now()))
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 7*24*time.Hour - 7*time.Minute}
	if len(waits) != len(want) {
		t.Fatalf("waits %v; want %v", waits, want)
	}
	for i := range want {
		if waits[i] != want[i] {
			t.Errorf("wait %d = %v; want %v (all: %v)", i, waits[i], want[i], waits)
		}
	}
	if p.count() != 1 || p.by[0] != "a" {
		t.Errorf("posts by %v; want one by a", p.by)
	}
}

// TestWeeklyCatchUp: a replica that comes up the same day posts the
// week's digest; one that comes up the day after does not.
func TestWeeklyCatchUp(t *testing.T) {
	for _, tt := range []struct {
		late  time.Duration
		posts int
	}{{0, 1}, {23 * time.Hour, 1}, {staff.DefaultCatchUp, 0}, {3 * 24 * time.Hour, 0}} {
		open := database(t)
		clock := clockAt(due.Add(tt.late))
		p := &posts{}
		r := replica(t, "a", open(), clock, p)
		if got := r.Step(context.Background()); !got.Equal(due.Add(7 * 24 * time.Hour)) {
			t.Errorf("%v late: Step = %v; want next Monday", tt.late, got)
		}
		if p.count() != tt.posts {
			t.Errorf("%v late: %d posts; want %d", tt.late, p.count(), tt.posts)
		}
	}
}

// failingFinish is a Claims whose Finish fails a number of times.
type failingFinish struct {
	bot.Claims
	mu    sync.Mutex
	fails int
}

func (f *failingFinish) Finish(ctx context.Context, name, holder string, now time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return errors.New("database is locked")
	}
	return f.Claims.Finish(ctx, name, holder, now)
}

// TestWeeklyFinishRetriedNotPost: a digest posted but not marked done is
// not posted again: only the marking is retried.
func TestWeeklyFinishRetriedNotPost(t *testing.T) {
	open := database(t)
	clock := clockAt(due)
	p := &posts{}
	r := replica(t, "a", &failingFinish{Claims: open(), fails: 2}, clock, p)
	for range 4 {
		clock.Advance(r.Step(context.Background()).Sub(clock.Now()))
		if clock.Now().After(due.Add(time.Hour)) {
			break
		}
	}
	if p.count() != 1 {
		t.Errorf("%d posts; want 1", p.count())
	}
	c, err := open().Claim(context.Background(), "digest:"+week, "b", clock.Now(), time.Minute)
	if err != nil || !c.Done {
		t.Errorf("the week = %+v, %v; want it done", c, err)
	}
}

// TestWeeklyRun runs the loop on the real clock with a schedule a minute
// back: it posts at once, and stops with its context.
func TestWeeklyRun(t *testing.T) {
	open := database(t)
	now := time.Now().In(time.UTC).Add(-time.Minute)
	s := staff.Schedule{Weekday: now.Weekday(), Hour: now.Hour(), Minute: now.Minute(), Loc: time.UTC}
	done := make(chan struct{}, 1)
	w := &staff.Weekly{Schedule: s, Claims: open(), Holder: staff.Holder(), Post: func(context.Context, time.Time, time.Time) error {
		done <- struct{}{}
		return nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- w.Run(ctx) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run posted nothing within 10 s")
	}
	cancel()
	if err := <-ran; err != nil {
		t.Errorf("Run = %v; want nil", err)
	}
	if err := (&staff.Weekly{}).Run(context.Background()); err == nil {
		t.Error("Run of an empty Weekly = nil; want the problems")
	}
}
