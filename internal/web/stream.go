package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/metrics"
)

// The web chat's side of a conversation with the staff (internal/handoff).
// The staff's replies wait in the desk's store; a page whose conversation
// has a ticket open listens to GET /api/stream, a Server-Sent Events
// stream of them. Every event carries its id (the message's, increasing),
// so a page that loses the connection — or reloads, or reaches another
// replica — asks again from the last id it showed (the browser's
// Last-Event-ID, or ?after=) and misses nothing, and shows nothing twice.

// Events is the handoff desk as the stream reads it (handoff.Desk).
type Events interface {
	// Events returns the messages for the person of a conversation after
	// the message after, oldest first, at most limit.
	Events(ctx context.Context, conversation string, after int64, limit int) ([]handoff.Event, error)
	// Subscribe signals when the conversation may have new messages, from
	// this replica or another.
	Subscribe(conversation string) (<-chan struct{}, func())
}

// Outbox is the web chat's outbox for the handoff desk (handoff.Outbox):
// a web conversation always can be reached, since its messages wait in
// the store until its stream sends them; the desk wakes the streams.
type Outbox struct{}

var _ handoff.Outbox = Outbox{}

// Reaches implements handoff.Outbox.
func (Outbox) Reaches(conversation string) bool { return strings.HasPrefix(conversation, "web:") }

// Deliver implements handoff.Outbox: nothing to send; the stream reads it.
func (Outbox) Deliver(context.Context, string, bot.Answer, string) error { return nil }

// Tuning of the stream.
const (
	// DefaultStreams bounds the streams open at once.
	DefaultStreams = 1000
	// streamPoll is how often an open stream looks for messages without a
	// signal (a notification lost while another replica's listener
	// reconnected) and sends a comment to keep proxies from closing it.
	streamPoll = 15 * time.Second
	// streamLife ends a stream after a while; the browser reconnects from
	// its last id, perhaps to another replica.
	streamLife = 10 * time.Minute
	// streamRetry is the reconnection delay the page is asked to use.
	streamRetry = 3 * time.Second
	// streamWrite bounds one write to a client that stopped reading.
	streamWrite = 10 * time.Second
)

// Stream serves GET /api/stream?session=…[&after=N]: the staff's replies
// to this session's conversation as Server-Sent Events (id: the message
// id, event: "message", or "closed" for the end of a ticket, data: the
// answer as JSON). Last-Event-ID, when the browser sends it, wins over
// after. 400 for a missing or malformed session or id, 429 past the
// session's rate limit, 503 when too many streams are open or the server
// is stopping. Nil when the web chat has no desk.
func (a *Adapter) Stream() http.Handler {
	if a.events == nil {
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		session := r.URL.Query().Get("session")
		if !validSession(session) {
			writeError(w, http.StatusBadRequest, `invalid "session": use the id from an earlier response`)
			return
		}
		after, ok := eventID(r.Header.Get("Last-Event-ID"))
		if r.Header.Get("Last-Event-ID") == "" {
			after, ok = eventID(r.URL.Query().Get("after"))
		}
		if !ok {
			writeError(w, http.StatusBadRequest, "invalid event id: want the id of the last event shown")
			return
		}
		conv := "web:" + session
		if !a.limiter.Allow(conv) {
			a.metrics.Backpressure(Channel, metrics.ReasonRateLimit)
			w.Header().Set("Retry-After", "2")
			writeError(w, http.StatusTooManyRequests, "too many requests: wait a moment, then try again")
			return
		}
		select {
		case a.streams <- struct{}{}:
			defer func() { <-a.streams }()
		default:
			a.metrics.Backpressure(Channel, metrics.ReasonInflight)
			w.Header().Set("Retry-After", "5")
			writeError(w, http.StatusServiceUnavailable, "too many open streams: try again in a moment")
			return
		}
		a.stream(w, r, conv, after)
	})
}

// eventID reads an event id: "" is 0, else 1 to 18 digits.
func eventID(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	if len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func (a *Adapter) stream(w http.ResponseWriter, r *http.Request, conv string, last int64) {
	ctx := r.Context()
	rc := http.NewResponseController(w)
	// The server's read and write timeouts are for requests; a stream
	// lives longer, and each write has its own deadline.
	_ = rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no") // proxies that buffer (nginx) pass events at once
	w.WriteHeader(http.StatusOK)
	signal, stop := a.events.Subscribe(conv)
	defer stop()
	write := func(b []byte) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(streamWrite))
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !write(fmt.Appendf(nil, "retry: %d\n\n", streamRetry.Milliseconds())) {
		return
	}
	poll := time.NewTicker(streamPoll)
	defer poll.Stop()
	life := time.NewTimer(streamLife)
	defer life.Stop()
	var buf bytes.Buffer
	for {
		evs, err := a.events.Events(ctx, conv, last, handoff.MaxEvents)
		if err != nil && ctx.Err() == nil {
			a.log.WarnContext(ctx, "web stream: events not read; trying again", "conv", bot.HashID(conv), "err", err)
		}
		buf.Reset()
		for _, e := range evs {
			data, err := json.Marshal(e.Answer)
			if err != nil {
				continue
			}
			name := "message"
			if e.Kind == handoff.KindClosed {
				name = "closed"
			}
			// JSON has no raw line breaks: one data line.
			fmt.Fprintf(&buf, "id: %d\nevent: %s\ndata: %s\n\n", e.ID, name, data)
			last = e.ID
		}
		if buf.Len() > 0 {
			if !write(buf.Bytes()) {
				return
			}
			if len(evs) == handoff.MaxEvents {
				continue // more waiting
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-a.done:
			return // the server is stopping: the page reconnects elsewhere
		case <-life.C:
			return
		case <-signal:
		case <-poll.C:
			if !write([]byte(": keep-alive\n\n")) {
				return
			}
		}
	}
}
