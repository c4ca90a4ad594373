package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeSocket is a local Socket Mode endpoint: the test drives the
// connection slack-go opens to it.
type fakeSocket struct {
	srv   *httptest.Server
	conns chan *websocket.Conn
}

func newFakeSocket(t *testing.T) *fakeSocket {
	f := &fakeSocket{conns: make(chan *websocket.Conn, 4)}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		f.conns <- c
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSocket) url() string {
	return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/link/?ticket=t1&app_id=A0APP0001"
}

// envelope wraps a payload as Socket Mode does.
func envelope(typ, id string, payload any, retry int) map[string]any {
	return map[string]any{
		"envelope_id": id, "type": typ, "payload": payload,
		"accepts_response_payload": typ != "events_api", "retry_attempt": retry, "retry_reason": map[bool]string{true: "timeout"}[retry > 0],
	}
}

// ack reads the next acknowledgement from the client.
func readAck(t *testing.T, c *websocket.Conn) map[string]any {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m map[string]any
	if err := c.ReadJSON(&m); err != nil {
		t.Fatalf("reading ack: %v", err)
	}
	return m
}

func TestSocketMode(t *testing.T) {
	sock := newFakeSocket(t)
	h := newHarness(t, nil, func(c *Config) { c.AppToken = testAppToken; c.SigningSecret = "" })
	h.api.SetSocketURL(sock.url())

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- h.a.RunSocketMode(ctx) }()

	var conn *websocket.Conn
	select {
	case conn = <-sock.conns:
	case <-time.After(10 * time.Second):
		t.Fatal("Socket Mode never connected")
	}
	defer conn.Close()
	opens := h.api.Calls("apps.connections.open")
	if len(opens) != 1 || opens[0].Auth != "Bearer "+testAppToken {
		t.Fatalf("apps.connections.open calls = %+v; want one with the app-level token", opens)
	}
	send := func(v any) {
		t.Helper()
		if err := conn.WriteJSON(v); err != nil {
			t.Fatal(err)
		}
	}
	send(map[string]any{"type": "hello", "num_connections": 1, "connection_info": map[string]any{"app_id": "A0APP0001"}})

	var mention map[string]any
	if err := json.Unmarshal(h.fixture("events/app_mention.json"), &mention); err != nil {
		t.Fatal(err)
	}

	t.Run("events_api acknowledged and answered in thread", func(t *testing.T) {
		send(envelope("events_api", "env-mention-1", mention, 0))
		if ack := readAck(t, conn); ack["envelope_id"] != "env-mention-1" {
			t.Fatalf("ack = %v", ack)
		}
		posts := h.api.WaitFor(t, "chat.postMessage", 1)
		if posts[0].Form.Get("thread_ts") != "1761955200.000100" || posts[0].Form.Get("channel") != "C0CHAN001" {
			t.Errorf("posted to %v", posts[0].Form)
		}
	})

	t.Run("redelivered envelope acknowledged, not answered again", func(t *testing.T) {
		send(envelope("events_api", "env-mention-2", mention, 1))
		if ack := readAck(t, conn); ack["envelope_id"] != "env-mention-2" {
			t.Fatalf("ack = %v", ack)
		}
	})

	t.Run("slash command answered in the acknowledgement", func(t *testing.T) {
		form, _ := url.ParseQuery(string(h.fixture("commands/support.form")))
		cmd := map[string]any{}
		for k := range form {
			cmd[k] = form.Get(k)
		}
		cmd["trigger_id"] = "socket-trigger-1"
		send(envelope("slash_commands", "env-cmd-1", cmd, 0))
		ack := readAck(t, conn)
		if ack["envelope_id"] != "env-cmd-1" {
			t.Fatalf("ack = %v", ack)
		}
		p, _ := ack["payload"].(map[string]any)
		if p["response_type"] != "ephemeral" || p["blocks"] == nil {
			t.Errorf("ack payload = %v; want the ephemeral answer", p)
		}
	})

	t.Run("interaction acknowledged and answered", func(t *testing.T) {
		var cb map[string]any
		if err := json.Unmarshal(h.fixture("interactions/block_actions.json"), &cb); err != nil {
			t.Fatal(err)
		}
		send(envelope("interactive", "env-act-1", cb, 0))
		if ack := readAck(t, conn); ack["envelope_id"] != "env-act-1" {
			t.Fatalf("ack = %v", ack)
		}
		h.api.WaitFor(t, "chat.postMessage", 2)
	})

	t.Run("unparsable envelope acknowledged", func(t *testing.T) {
		var future map[string]any
		_ = json.Unmarshal(h.fixture("events/unknown_event.json"), &future)
		send(envelope("events_api", "env-future-1", future, 0))
		if ack := readAck(t, conn); ack["envelope_id"] != "env-future-1" {
			t.Fatalf("ack = %v", ack)
		}
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("RunSocketMode = %v; want nil when ctx ends", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("RunSocketMode did not return after ctx ended")
	}
	h.drain()
	if n := len(h.api.Calls("chat.postMessage")); n != 2 {
		t.Errorf("%d posts; want 2 (the mention once, the button once)", n)
	}
}

func TestSocketModeNeedsAppToken(t *testing.T) {
	h := newHarness(t, nil)
	if err := h.a.RunSocketMode(context.Background()); err == nil {
		t.Error("RunSocketMode without an app token = nil")
	}
}

func TestSocketModeInvalidTokenReturns(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.AppToken = testAppToken })
	h.api.FailWith(func(op string, n int) (int, http.Header, string) {
		return http.StatusOK, http.Header{"Content-Type": {"application/json"}}, `{"ok":false,"error":"invalid_auth"}`
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.a.RunSocketMode(ctx); err == nil || ctx.Err() != nil {
		t.Errorf("RunSocketMode = %v (ctx %v); want an error at once for a refused token", err, ctx.Err())
	}
}
