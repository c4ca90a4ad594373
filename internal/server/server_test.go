package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/server"
	"github.com/supportbot/supportbot/internal/web"
)

func newBot(t testing.TB) *dialog.Engine {
	t.Helper()
	return dialogtest.New(t)
}

// syncBuffer is a log destination safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// lines decodes the JSON log lines.
func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

type fixture struct {
	url  string
	logs *syncBuffer
}

// start serves d with the web chat answering through b (the real bot when
// nil).
func start(t *testing.T, d server.Deps, b bot.Answerer) fixture {
	t.Helper()
	logs := &syncBuffer{}
	if d.Logger == nil {
		d.Logger = server.NewLogger(logs, slog.LevelInfo)
	}
	if b == nil {
		b = newBot(t)
	}
	chat, err := web.New(web.Config{Deps: adapter.Deps{Bot: b, Logger: d.Logger, Metrics: d.Metrics}})
	if err != nil {
		t.Fatal(err)
	}
	d.Handlers.Page, d.Handlers.Static, d.Handlers.Chat = chat.Page(), chat.Static(), chat.Chat()
	srv := httptest.NewServer(server.NewServer(d))
	t.Cleanup(srv.Close)
	return fixture{url: srv.URL, logs: logs}
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func chat(t *testing.T, url, body string) (int, string) {
	t.Helper()
	res, err := http.Post(url+"/api/chat", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestHealthAndReadiness(t *testing.T) {
	redisDown := errors.New("dial tcp: connection refused")
	var fail bool
	var mu sync.Mutex
	f := start(t, server.Deps{Checks: []server.Check{
		{Name: "knowledge", Check: func(context.Context) error { return nil }},
		{Name: "redis", Check: func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			if fail {
				return redisDown
			}
			return nil
		}},
	}}, nil)
	if code, body, _ := get(t, f.url+"/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("GET /healthz = %d %s; want 200 ok", code, body)
	}
	if code, body, _ := get(t, f.url+"/readyz"); code != 200 || !strings.Contains(body, `"redis":"ok"`) {
		t.Errorf("GET /readyz = %d %s; want 200 with redis ok", code, body)
	}
	mu.Lock()
	fail = true
	mu.Unlock()
	code, body, _ := get(t, f.url+"/readyz")
	if code != 503 || !strings.Contains(body, `"redis":"down"`) || !strings.Contains(body, `"knowledge":"ok"`) {
		t.Errorf("GET /readyz with Redis down = %d %s; want 503 naming redis", code, body)
	}
	if strings.Contains(body, "refused") {
		t.Errorf("GET /readyz = %s; leaks the error to the public", body)
	}
	if code, _, _ := get(t, f.url+"/healthz"); code != 200 {
		t.Errorf("GET /healthz with Redis down = %d; want 200 (liveness ignores dependencies)", code)
	}
}

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := metrics.New(reg)
	f := start(t, server.Deps{Metrics: m, Gatherer: reg}, adapter.Measure(newBot(t), m))
	chat(t, f.url, `{"text":"SecHack365に応募したい"}`)
	chat(t, f.url, `{"text":"今日の天気は？"}`)
	chat(t, f.url, `{"text":`)
	get(t, f.url+"/nope")
	code, body, _ := get(t, f.url+"/metrics")
	if code != 200 {
		t.Fatalf("GET /metrics = %d", code)
	}
	for _, want := range []string{
		`supportbot_http_requests_total{route="POST /api/chat",status="200"} 2`,
		`supportbot_http_requests_total{route="POST /api/chat",status="400"} 1`,
		`supportbot_http_requests_total{route="unmatched",status="404"} 1`,
		`supportbot_http_request_duration_seconds_count{route="POST /api/chat"} 3`,
		`supportbot_answers_total{channel="web",confident="true",kind="programmes"} 1`,
		`supportbot_no_match_total{channel="web"} 1`,
		`supportbot_answer_duration_seconds_count{channel="web"} 2`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestRequestIDAndAccessLog(t *testing.T) {
	f := start(t, server.Deps{}, nil)
	const session = "secretsessionid0123456789"
	const text = "従業員5人の会社で何から始めればいい"
	req, _ := http.NewRequest("POST", f.url+"/api/chat", strings.NewReader(`{"session":"`+session+`","text":"`+text+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "lb-abc.123")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body) // to the end: the access line is written by then
	res.Body.Close()
	if got := res.Header.Get("X-Request-Id"); got != "lb-abc.123" {
		t.Errorf("X-Request-Id = %q; want the load balancer's id kept", got)
	}
	_, _, h := get(t, f.url+"/healthz")
	if id := h.Get("X-Request-Id"); len(id) != 16 {
		t.Errorf("generated X-Request-Id = %q; want 16 hex digits", id)
	}
	req, _ = http.NewRequest("GET", f.url+"/healthz", nil)
	req.Header.Set("X-Request-Id", `bad id {"x":1}`)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if id := res.Header.Get("X-Request-Id"); strings.Contains(id, " ") {
		t.Errorf("X-Request-Id = %q; want an unsafe id replaced", id)
	}
	var access int
	for _, l := range f.logs.lines(t) {
		if l["request_id"] == nil {
			t.Errorf("log line without request_id: %v", l)
		}
		if l["msg"] == "request" && l["route"] == "POST /api/chat" {
			access++
			if l["request_id"] != "lb-abc.123" || l["status"] != 200.0 || l["level"] != "INFO" {
				t.Errorf("access line %v; want request_id, status 200 at INFO", l)
			}
		}
	}
	if access != 1 {
		t.Errorf("%d access lines for POST /api/chat; want 1", access)
	}
	if s := f.logs.String(); strings.Contains(s, session) || strings.Contains(s, text) {
		t.Errorf("logs contain the raw session id or message text:\n%s", s)
	}
}

type panicky struct{ bot.Answerer }

func (panicky) Answer(context.Context, bot.Question) (bot.Answer, error) { panic("boom") }

func TestPanicRecovery(t *testing.T) {
	f := start(t, server.Deps{}, panicky{})
	code, body := chat(t, f.url, `{"text":"hello"}`)
	if code != 500 || !strings.Contains(body, `"error":"internal error"`) {
		t.Errorf("panicking handler: %d %s; want 500 with a JSON error", code, body)
	}
	if !strings.Contains(f.logs.String(), `"msg":"panic serving request"`) {
		t.Error("the panic was not logged")
	}
	if code, _, _ := get(t, f.url+"/healthz"); code != 200 {
		t.Errorf("after a panic GET /healthz = %d; want the server still up", code)
	}
}

func TestBodyLimit(t *testing.T) {
	f := start(t, server.Deps{MaxBody: 2048}, nil)
	code, body := chat(t, f.url, `{"text":"`+strings.Repeat("a", 4096)+`"}`)
	if code != 413 || !strings.Contains(body, `"error"`) {
		t.Errorf("oversized body: %d %s; want 413 with a JSON error", code, body)
	}
}

func TestRoutes(t *testing.T) {
	f := start(t, server.Deps{}, nil)
	tests := []struct {
		method, path string
		code         int
	}{
		{"GET", "/", 200},
		{"GET", "/static/app.js", 200},
		{"GET", "/api/chat", 405},
		{"GET", "/nowhere", 404},
		// Channels without settings mount nothing.
		{"POST", "/line/webhook", 404},
		{"POST", "/slack/events", 404},
		{"POST", "/slack/commands", 404},
		{"POST", "/slack/interactions", 404},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, f.url+tt.path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.code {
			t.Errorf("%s %s = %d; want %d", tt.method, tt.path, res.StatusCode, tt.code)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s lacks X-Content-Type-Options: nosniff", tt.method, tt.path)
		}
	}
}

// TestAdminMount: without an admin handler (no ADMIN_TOKEN) every /admin
// path is 404; with one, it serves all of them, and metrics name its own
// routes.
func TestAdminMount(t *testing.T) {
	off := start(t, server.Deps{}, nil)
	for _, path := range []string{"/admin", "/admin/", "/admin/knowledge", "/admin/login"} {
		if code, _, _ := get(t, off.url+path); code != 404 {
			t.Errorf("GET %s without ADMIN_TOKEN = %d; want 404", path, code)
		}
	}
	res, err := http.Post(off.url+"/admin/reload", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("POST /admin/reload without ADMIN_TOKEN = %d; want 404", res.StatusCode)
	}

	inner := http.NewServeMux()
	inner.HandleFunc("GET /admin/knowledge", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"version":"v"}`)) })
	inner.HandleFunc("GET /admin/{$}", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("page")) })
	reg := prometheus.NewRegistry()
	on := start(t, server.Deps{Handlers: server.Handlers{Admin: inner}, Metrics: metrics.New(reg), Gatherer: reg}, nil)
	if code, body, _ := get(t, on.url+"/admin/knowledge"); code != 200 || body != `{"version":"v"}` {
		t.Errorf("GET /admin/knowledge = %d %s; want the admin handler's answer", code, body)
	}
	if code, body, _ := get(t, on.url+"/admin"); code != 200 || body != "page" {
		t.Errorf("GET /admin = %d %s; want the admin page after a redirect", code, body)
	}
	_, body, _ := get(t, on.url+"/metrics")
	if !strings.Contains(body, `supportbot_http_requests_total{route="GET /admin/knowledge",status="200"} 1`) {
		t.Error("/metrics does not name the admin route GET /admin/knowledge")
	}
}
