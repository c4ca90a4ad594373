package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/supportbot/supportbot/internal/bot"
)

// Key names a conversation where processes tell each other of new
// messages (PostgreSQL's NOTIFY): a hash, never the conversation's id.
func Key(conversation string) string { return bot.HashID(conversation) }

// Event is a message for the person as the web chat's stream sends it:
// its id (the stream's event id) and the answer to show.
type Event struct {
	ID     int64
	Kind   Kind
	Answer bot.Answer
}

// MaxEvents bounds the events one call of Events returns.
const MaxEvents = 100

// Events returns the messages for the person of a conversation's tickets
// after the event after, oldest first, at most limit (at most
// MaxEvents): what a web chat stream sends, and sends again from its
// Last-Event-ID when it reconnects.
func (d *Desk) Events(ctx context.Context, conversation string, after int64, limit int) ([]Event, error) {
	if limit <= 0 || limit > MaxEvents {
		limit = MaxEvents
	}
	ms, err := d.store.Stream(ctx, conversation, after, limit)
	if err != nil {
		return nil, fmt.Errorf("handoff: events: %w", err)
	}
	out := make([]Event, 0, len(ms))
	for _, m := range ms {
		e := Event{ID: m.ID, Kind: m.Kind}
		if err := json.Unmarshal([]byte(m.Text), &e.Answer); err != nil {
			continue // written by this package; cannot happen short of an edit by hand
		}
		out = append(out, e)
	}
	return out, nil
}

// Subscribe returns a channel that receives a signal when the
// conversation may have new events, here or (with Config.Listen) on
// another replica, and a function to call when done. Signals are not
// queued: after one, read Events until it returns none.
func (d *Desk) Subscribe(conversation string) (<-chan struct{}, func()) {
	return d.hub.subscribe(Key(conversation))
}

// hub fans signals out to the subscribers of a key.
type hub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]bool
}

func (h *hub) subscribe(key string) (<-chan struct{}, func()) {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[key] == nil {
		h.subs[key] = map[chan struct{}]bool{}
	}
	h.subs[key][c] = true
	h.mu.Unlock()
	var once sync.Once
	return c, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.subs[key], c)
			if len(h.subs[key]) == 0 {
				delete(h.subs, key)
			}
		})
	}
}

// signal wakes the subscribers of key; "*" wakes every subscriber (a
// listener that reconnected may have missed anyone's announcement).
func (h *hub) signal(key string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	wake := func(subs map[chan struct{}]bool) {
		for c := range subs {
			select {
			case c <- struct{}{}:
			default: // one signal waiting is enough
			}
		}
	}
	if key != "*" {
		wake(h.subs[key])
		return
	}
	for _, subs := range h.subs {
		wake(subs)
	}
}
