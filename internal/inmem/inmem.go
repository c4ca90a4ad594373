// Package inmem implements the bot's state contracts in process memory with
// expiry: the default for a single replica, and the store tests use instead
// of mocks. Expired entries are dropped lazily and by a sweep every few
// thousand writes, so the store needs no goroutine and cannot leak one.
package inmem

import (
	"context"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// sweepEvery is how many writes pass between sweeps of expired entries.
const sweepEvery = 1024

type entry[V any] struct {
	v       V
	expires time.Time
}

// table is a map with per-entry expiry.
type table[V any] struct {
	mu     sync.Mutex
	ttl    time.Duration
	now    func() time.Time
	m      map[string]entry[V]
	writes int
}

func newTable[V any](ttl time.Duration, now func() time.Time) *table[V] {
	if now == nil {
		now = time.Now
	}
	return &table[V]{ttl: ttl, now: now, m: map[string]entry[V]{}}
}

func (t *table[V]) get(k string) (V, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.m[k]
	if !ok || !t.now().Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put stores v; with onlyNew it keeps an unexpired entry and reports false.
func (t *table[V]) put(k string, v V, onlyNew bool) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if e, ok := t.m[k]; onlyNew && ok && now.Before(e.expires) {
		return false
	}
	t.m[k] = entry[V]{v: v, expires: now.Add(t.ttl)}
	if t.writes++; t.writes%sweepEvery == 0 {
		for key, e := range t.m {
			if !now.Before(e.expires) {
				delete(t.m, key)
			}
		}
	}
	return true
}

func (t *table[V]) del(k string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, k)
}

func (t *table[V]) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// Conversations is an in-memory bot.ConversationStore.
type Conversations struct{ t *table[bot.State] }

// NewConversations returns a store that forgets a conversation idle for ttl.
// now may be nil (time.Now); tests pass a fake clock.
func NewConversations(ttl time.Duration, now func() time.Time) *Conversations {
	return &Conversations{t: newTable[bot.State](ttl, now)}
}

// Load implements bot.ConversationStore.
func (c *Conversations) Load(_ context.Context, conversation string) (bot.State, error) {
	s, ok := c.t.get(conversation)
	if !ok {
		return bot.State{}, bot.ErrNoState
	}
	// Results is shared with the stored copy; callers get their own slice.
	s.Results = append([]string(nil), s.Results...)
	return s, nil
}

// Save implements bot.ConversationStore.
func (c *Conversations) Save(_ context.Context, conversation string, s bot.State) error {
	s.Results = append([]string(nil), s.Results...)
	c.t.put(conversation, s, false)
	return nil
}

// Delete implements bot.ConversationStore.
func (c *Conversations) Delete(_ context.Context, conversation string) error {
	c.t.del(conversation)
	return nil
}

// Len returns how many entries are held, expired ones not yet swept
// included (for leak tests and metrics).
func (c *Conversations) Len() int { return c.t.len() }

// Deduper is an in-memory bot.Deduper.
type Deduper struct{ t *table[struct{}] }

// NewDeduper returns a de-duplicator that remembers keys for window.
func NewDeduper(window time.Duration, now func() time.Time) *Deduper {
	return &Deduper{t: newTable[struct{}](window, now)}
}

// FirstSeen implements bot.Deduper.
func (d *Deduper) FirstSeen(_ context.Context, key string) (bool, error) {
	return d.t.put(key, struct{}{}, true), nil
}

// Len returns how many keys are held.
func (d *Deduper) Len() int { return d.t.len() }

var (
	_ bot.ConversationStore = (*Conversations)(nil)
	_ bot.Deduper           = (*Deduper)(nil)
)
