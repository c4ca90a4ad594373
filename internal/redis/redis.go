// Package redis implements the bot's state contracts on Redis, so several
// replicas behind a load balancer share conversations and recognise a
// platform event another replica already answered. Every call has its own
// timeout. Breaker wraps the stores so an outage degrades instead of
// failing: conversations go on without follow-up state and
// de-duplication falls back to the replica's own memory.
//
// Keys are "supportbot:conv:" and "supportbot:seen:" followed by the
// SHA-256 of the conversation or event key, so no platform user id is
// stored in clear in a key.
package redis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/supportbot/supportbot/internal/bot"
)

// DefaultTimeout bounds one Redis call when none is given. State is
// small; a healthy Redis answers in well under a millisecond.
const DefaultTimeout = 500 * time.Millisecond

// NewClient connects lazily to the Redis at rawURL
// (redis://[user:password@]host:port[/db], or rediss:// for TLS) with
// timeouts fitting calls that sit in the path of an answer.
func NewClient(rawURL string, timeout time.Duration) (*goredis.Client, error) {
	opt, err := goredis.ParseURL(rawURL)
	if err != nil {
		// The parser's message may quote the URL, password included.
		return nil, errors.New("redis: REDIS_URL is not a valid URL: want redis://[user:password@]host:port[/db] or rediss://…")
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	opt.DialTimeout = 2 * timeout
	opt.ReadTimeout = timeout
	opt.WriteTimeout = timeout
	opt.ContextTimeoutEnabled = true
	opt.MaxRetries = 1
	opt.DialerRetries = 1
	opt.PoolTimeout = timeout
	// Values are a few hundred bytes; the default 32 KiB buffers per
	// connection would dominate memory.
	opt.ReadBufferSize = 4 << 10
	opt.WriteBufferSize = 4 << 10
	return goredis.NewClient(opt), nil
}

// key returns a fixed-length key that does not reveal id.
func key(kind, id string) string {
	sum := sha256.Sum256([]byte(id))
	return "supportbot:" + kind + ":" + hex.EncodeToString(sum[:])
}

// Conversations is a bot.ConversationStore on Redis: JSON values that
// expire ttl after the last save.
type Conversations struct {
	c       goredis.Cmdable
	ttl     time.Duration
	timeout time.Duration
}

// NewConversations returns a store on c; timeout bounds each call.
func NewConversations(c goredis.Cmdable, ttl, timeout time.Duration) *Conversations {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Conversations{c: c, ttl: ttl, timeout: timeout}
}

// Load implements bot.ConversationStore. A value that does not decode
// (written by another version) counts as no state.
func (s *Conversations) Load(ctx context.Context, conversation string) (bot.State, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	b, err := s.c.Get(ctx, key("conv", conversation)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return bot.State{}, bot.ErrNoState
	}
	if err != nil {
		return bot.State{}, fmt.Errorf("redis: load conversation: %w", err)
	}
	var st bot.State
	if err := json.Unmarshal(b, &st); err != nil {
		return bot.State{}, fmt.Errorf("%w: stored value does not decode", bot.ErrNoState)
	}
	return st, nil
}

// Save implements bot.ConversationStore.
func (s *Conversations) Save(ctx context.Context, conversation string, st bot.State) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("redis: encode conversation: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.c.Set(ctx, key("conv", conversation), b, s.ttl).Err(); err != nil {
		return fmt.Errorf("redis: save conversation: %w", err)
	}
	return nil
}

// Delete implements bot.ConversationStore.
func (s *Conversations) Delete(ctx context.Context, conversation string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.c.Del(ctx, key("conv", conversation)).Err(); err != nil {
		return fmt.Errorf("redis: delete conversation: %w", err)
	}
	return nil
}

// Deduper is a bot.Deduper on Redis: SET NX with expiry, atomic across
// replicas, so exactly one of them sees an event first.
type Deduper struct {
	c       goredis.Cmdable
	window  time.Duration
	timeout time.Duration
}

// NewDeduper remembers keys for window; timeout bounds each call.
func NewDeduper(c goredis.Cmdable, window, timeout time.Duration) *Deduper {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Deduper{c: c, window: window, timeout: timeout}
}

// FirstSeen implements bot.Deduper.
func (d *Deduper) FirstSeen(ctx context.Context, k string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	ok, err := d.c.SetNX(ctx, key("seen", k), 1, d.window).Result()
	if err != nil {
		return false, fmt.Errorf("redis: record event: %w", err)
	}
	return ok, nil
}

var (
	_ bot.ConversationStore = (*Conversations)(nil)
	_ bot.Deduper           = (*Deduper)(nil)
)
