package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/server"
	"github.com/supportbot/supportbot/internal/web"
)

// events stands in for the desk: messages by conversation, and one signal
// channel per subscriber.
type events struct {
	mu   sync.Mutex
	msgs map[string][]handoff.Event
	subs map[string][]chan struct{}
}

func newEvents() *events {
	return &events{msgs: map[string][]handoff.Event{}, subs: map[string][]chan struct{}{}}
}

func (e *events) Events(_ context.Context, conv string, after int64, limit int) ([]handoff.Event, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []handoff.Event
	for _, m := range e.msgs[conv] {
		if m.ID > after && len(out) < limit {
			out = append(out, m)
		}
	}
	return out, nil
}

func (e *events) Subscribe(conv string) (<-chan struct{}, func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := make(chan struct{}, 1)
	e.subs[conv] = append(e.subs[conv], c)
	return c, func() {}
}

func (e *events) add(conv string, ev handoff.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.msgs[conv] = append(e.msgs[conv], ev)
	for _, c := range e.subs[conv] {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

func staffEvent(id int64, kind handoff.Kind, text string) handoff.Event {
	return handoff.Event{ID: id, Kind: kind, Answer: bot.Answer{Lang: bot.Japanese, Kind: bot.KindStaff, Text: text}}
}

// sse is one event as a client reads it.
type sse struct{ id, event, data string }

// readEvents reads n events from a stream, skipping comments and the
// retry field.
func readEvents(t *testing.T, r *bufio.Reader, n int) []sse {
	t.Helper()
	var out []sse
	var cur sse
	for len(out) < n {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read stream: %v (after %+v)", err, out)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if cur != (sse{}) {
				out = append(out, cur)
				cur = sse{}
			}
		case strings.HasPrefix(line, "id: "):
			cur.id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "event: "):
			cur.event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data = strings.TrimPrefix(line, "data: ")
		}
	}
	return out
}

const session = "AbCdEfGhIjKlMnOpQrStUv"

func TestStream(t *testing.T) {
	ev := newEvents()
	conv := "web:" + session
	ev.add(conv, staffEvent(3, handoff.KindTaken, "相談員が担当になりました。"))
	ev.add("web:someone-else-entirely", staffEvent(4, handoff.KindText, "not yours"))
	done := make(chan struct{})
	chat := newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}, Events: ev, Done: done})
	srv := httptest.NewServer(server.NewServer(server.Deps{Handlers: server.Handlers{Stream: chat.Stream()}}))
	defer srv.Close()

	open := func(query, lastID string) (*http.Response, *bufio.Reader) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+"/api/stream?"+query, nil)
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res, bufio.NewReader(res.Body)
	}
	res, r := open("session="+session, "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET /api/stream = %d %v", res.StatusCode, res.Header)
	}
	got := readEvents(t, r, 1)
	var a bot.Answer
	if json.Unmarshal([]byte(got[0].data), &a) != nil || got[0].id != "3" || got[0].event != "message" || a.Text != "相談員が担当になりました。" {
		t.Fatalf("first event %+v; want id 3, the staff's words", got[0])
	}
	// A reply that arrives while the stream is open is sent at once.
	ev.add(conv, staffEvent(7, handoff.KindText, "相談員より:\nこんにちは"))
	ev.add(conv, staffEvent(9, handoff.KindClosed, "相談員が対応を終了しました"))
	got = readEvents(t, r, 2)
	if got[0].id != "7" || got[1].id != "9" || got[1].event != "closed" {
		t.Errorf("events %+v; want 7, then 9 named closed", got)
	}
	// A reconnect resumes after the last event it saw: Last-Event-ID wins
	// over ?after.
	_, r2 := open("session="+session+"&after=0", "7")
	if got := readEvents(t, r2, 1); got[0].id != "9" {
		t.Errorf("resumed at %+v; want 9", got[0])
	}
	_, r3 := open("session="+session+"&after=3", "")
	if got := readEvents(t, r3, 1); got[0].id != "7" {
		t.Errorf("?after=3 resumed at %+v; want 7", got[0])
	}
	// Stopping the server ends every stream.
	close(done)
	deadline := time.Now().Add(5 * time.Second)
	for _, rd := range []*bufio.Reader{r, r2, r3} {
		for {
			if _, err := rd.ReadString('\n'); err != nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("a stream did not end when the server stopped")
			}
		}
	}
	for _, tc := range []struct{ query, last string }{
		{"", ""}, {"session=short", ""}, {"session=" + session + "&after=-1", ""}, {"session=" + session, "1e9"},
		{"session=" + session + "&after=1234567890123456789", ""},
	} {
		if res, _ := open(tc.query, tc.last); res.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /api/stream?%s (Last-Event-ID %q) = %d; want 400", tc.query, tc.last, res.StatusCode)
		}
	}
}

func TestStreamOffWithoutDesk(t *testing.T) {
	if h := newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}}).Stream(); h != nil {
		t.Error("Stream is served without a desk")
	}
}

func TestOutbox(t *testing.T) {
	var o web.Outbox
	if !o.Reaches("web:"+session) || o.Reaches("line:U4af4980629a0b1c2d3e4f5a6b7c8d9e0") {
		t.Error("Outbox reaches the wrong conversations")
	}
	if err := o.Deliver(context.Background(), "web:"+session, bot.Answer{}, "k"); err != nil {
		t.Errorf("Deliver = %v", err)
	}
}
