// Package inmem implements the bot's state contracts in process memory with
// expiry: the default for a single replica, and the store tests use instead
// of mocks. Entries live in two generations, each as long as the TTL: when
// the current one is a TTL old it becomes the previous one and the previous
// one, every entry of it expired by then, is dropped whole. Nothing scans
// the table, the store needs no goroutine and cannot leak one, and it holds
// at most two TTLs of writes.
package inmem

import (
	"context"
	"hash/maphash"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

type entry[V any] struct {
	v       V
	expires int64 // Unix nanoseconds
}

// table is a map with per-entry expiry.
type table[K comparable, V any] struct {
	mu        sync.Mutex
	ttl       time.Duration
	now       func() time.Time
	cur, prev map[K]entry[V]
	started   time.Time // when cur began
}

func newTable[K comparable, V any](ttl time.Duration, now func() time.Time) *table[K, V] {
	if now == nil {
		now = time.Now
	}
	return &table[K, V]{ttl: ttl, now: now, cur: map[K]entry[V]{}, started: now()}
}

// rotate starts a new generation when the current one is a TTL old, and
// returns the time as Unix nanoseconds. Every entry of the previous
// generation was written more than a TTL ago by then.
func (t *table[K, V]) rotate() int64 {
	now := t.now()
	if age := now.Sub(t.started); age >= t.ttl {
		t.prev = t.cur
		if age >= 2*t.ttl {
			t.prev = nil // the current one has expired as well
		}
		t.cur = make(map[K]entry[V], len(t.prev))
		t.started = now
	}
	return now.UnixNano()
}

// lookup returns the unexpired entry for k. The caller holds mu.
func (t *table[K, V]) lookup(k K, now int64) (V, bool) {
	if e, ok := t.cur[k]; ok && now < e.expires {
		return e.v, true
	}
	if e, ok := t.prev[k]; ok && now < e.expires {
		return e.v, true
	}
	var zero V
	return zero, false
}

func (t *table[K, V]) get(k K) (V, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lookup(k, t.rotate())
}

// put stores v; with onlyNew it keeps an unexpired entry and reports false.
func (t *table[K, V]) put(k K, v V, onlyNew bool) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.rotate()
	if onlyNew {
		if _, ok := t.lookup(k, now); ok {
			return false
		}
	}
	t.cur[k] = entry[V]{v: v, expires: now + int64(t.ttl)}
	return true
}

func (t *table[K, V]) del(k K) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.cur, k)
	delete(t.prev, k)
}

// len counts the entries held, expired ones of the previous generation
// included (a key written in both generations counts twice).
func (t *table[K, V]) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rotate()
	return len(t.cur) + len(t.prev)
}

// Conversations is an in-memory bot.ConversationStore.
type Conversations struct{ t *table[string, bot.State] }

// NewConversations returns a store that forgets a conversation idle for ttl.
// now may be nil (time.Now); tests pass a fake clock.
func NewConversations(ttl time.Duration, now func() time.Time) *Conversations {
	return &Conversations{t: newTable[string, bot.State](ttl, now)}
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

// Len returns how many entries are held, expired ones not yet dropped
// included (for leak tests and metrics).
func (c *Conversations) Len() int { return c.t.len() }

// Deduper is an in-memory bot.Deduper. It keeps a 128-bit keyed hash of
// each key, not the key: at 2,000 events a second a window of 20 minutes
// holds 2.4 million of them, and a table of strings is one the garbage
// collector walks, pointer by pointer, on every cycle; a table of numbers
// it skips. Two keys share a hash with a chance of about 2⁻¹²⁸ per pair:
// an event taken for its own redelivery is dropped, so the hash is as
// wide as that chance needs to be negligible over years of events.
type Deduper struct {
	t    *table[[2]uint64, struct{}]
	seed [2]maphash.Seed
}

// NewDeduper returns a de-duplicator that remembers keys for window.
func NewDeduper(window time.Duration, now func() time.Time) *Deduper {
	return &Deduper{t: newTable[[2]uint64, struct{}](window, now), seed: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// FirstSeen implements bot.Deduper.
func (d *Deduper) FirstSeen(_ context.Context, key string) (bool, error) {
	h := [2]uint64{maphash.String(d.seed[0], key), maphash.String(d.seed[1], key)}
	return d.t.put(h, struct{}{}, true), nil
}

// Len returns how many keys are held, expired ones not yet dropped
// included.
func (d *Deduper) Len() int { return d.t.len() }

var (
	_ bot.ConversationStore = (*Conversations)(nil)
	_ bot.Deduper           = (*Deduper)(nil)
)
