package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/supportbot/supportbot/internal/bot"
)

// DefaultCooldown is how long a Breaker skips Redis after a failure
// before it tries again.
const DefaultCooldown = 5 * time.Second

// Breaker watches Redis calls. After a failure it marks Redis down and,
// for a cooldown, skips it altogether, so an outage costs each answer
// nothing instead of a timeout; then one call tries again. It logs each
// change of state once, not every failed call.
type Breaker struct {
	log      *slog.Logger
	cooldown time.Duration
	now      func() time.Time

	mu      sync.Mutex
	down    bool
	retryAt time.Time
}

// NewBreaker returns a breaker in the up state. log may be nil; cooldown
// 0 means DefaultCooldown.
func NewBreaker(log *slog.Logger, cooldown time.Duration) *Breaker {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cooldown <= 0 {
		cooldown = DefaultCooldown
	}
	return &Breaker{log: log, cooldown: cooldown, now: time.Now}
}

// Up reports whether Redis answered the last call.
func (b *Breaker) Up() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.down
}

// allow reports whether to call Redis now.
func (b *Breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.down {
		return true
	}
	if now := b.now(); !now.Before(b.retryAt) {
		b.retryAt = now.Add(b.cooldown) // one probe per cooldown
		return true
	}
	return false
}

// record notes the outcome of a call made with ctx. A call the caller
// gave up on says nothing about Redis.
func (b *Breaker) record(ctx context.Context, err error) {
	if err != nil && ctx.Err() != nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case err == nil && b.down:
		b.down = false
		b.log.InfoContext(ctx, "redis is back: sharing conversation state and de-duplication again")
	case err != nil && !b.down:
		b.down = true
		b.retryAt = b.now().Add(b.cooldown)
		b.log.WarnContext(ctx, "redis unavailable: answering without follow-up state, de-duplicating locally", "err", err)
	case err != nil:
		b.retryAt = b.now().Add(b.cooldown)
	}
}

// Check returns a readiness check that pings Redis; a successful ping
// also ends an outage at once.
func (b *Breaker) Check(c goredis.Cmdable, timeout time.Duration) func(ctx context.Context) error {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return func(ctx context.Context) error {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		err := c.Ping(cctx).Err()
		b.record(ctx, err)
		if err != nil {
			return fmt.Errorf("redis: ping: %w", err)
		}
		return nil
	}
}

// Conversations wraps s so that while Redis is down every conversation
// behaves as new (Load finds nothing, Save and Delete do nothing) and no
// error reaches the bot.
func (b *Breaker) Conversations(s bot.ConversationStore) bot.ConversationStore {
	return guardedConversations{s: s, b: b}
}

type guardedConversations struct {
	s bot.ConversationStore
	b *Breaker
}

func (g guardedConversations) Load(ctx context.Context, conversation string) (bot.State, error) {
	if !g.b.allow() {
		return bot.State{}, bot.ErrNoState
	}
	st, err := g.s.Load(ctx, conversation)
	if errors.Is(err, bot.ErrNoState) {
		g.b.record(ctx, nil)
		return st, err
	}
	g.b.record(ctx, err)
	if err != nil && ctx.Err() == nil {
		return bot.State{}, bot.ErrNoState
	}
	return st, err
}

func (g guardedConversations) Save(ctx context.Context, conversation string, st bot.State) error {
	if !g.b.allow() {
		return nil
	}
	err := g.s.Save(ctx, conversation, st)
	g.b.record(ctx, err)
	if ctx.Err() != nil {
		return err
	}
	return nil
}

func (g guardedConversations) Delete(ctx context.Context, conversation string) error {
	if !g.b.allow() {
		return nil
	}
	err := g.s.Delete(ctx, conversation)
	g.b.record(ctx, err)
	if ctx.Err() != nil {
		return err
	}
	return nil
}

// Deduper wraps remote so that while Redis is down local answers instead.
// Each replica then de-duplicates only what it saw itself: a platform's
// redelivery to another replica during the outage may be answered twice,
// which beats answering nothing.
func (b *Breaker) Deduper(remote, local bot.Deduper) bot.Deduper {
	return guardedDeduper{remote: remote, local: local, b: b}
}

type guardedDeduper struct {
	remote, local bot.Deduper
	b             *Breaker
}

func (g guardedDeduper) FirstSeen(ctx context.Context, key string) (bool, error) {
	if g.b.allow() {
		first, err := g.remote.FirstSeen(ctx, key)
		g.b.record(ctx, err)
		if err == nil {
			// Remember it locally too, so a repeat during a later outage
			// is still caught on this replica.
			_, _ = g.local.FirstSeen(ctx, key)
			return first, nil
		}
	}
	return g.local.FirstSeen(ctx, key)
}

// SetLogger sends go-redis's own messages (dial failures, pool events) to
// log at debug level instead of plain text on stderr: the Breaker already
// reports an outage once, at warn. go-redis keeps one logger per process,
// so only the program's main wiring should call this.
func SetLogger(log *slog.Logger) {
	goredis.SetLogger(clientLogger{log})
}

type clientLogger struct{ log *slog.Logger }

func (l clientLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis client: "+fmt.Sprintf(format, v...))
}
