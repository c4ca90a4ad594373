package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/inmem"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
	"github.com/supportbot/supportbot/internal/work"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	testSecret   = "8f742231b10e8888abcd99yyyzzz85a5"
	testBotToken = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
	testAppToken = "xapp-1-A0APP0001-1234567890-0123456789abcdef"
)

// localOnly lets the adapter reach the fake Slack and nothing else: no
// test, and no fuzzed response_url, ever calls the real Slack.
type localOnly struct {
	base string
	next *http.Transport
}

func (l localOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(r.URL.String(), l.base+"/") {
		return nil, &url.Error{Op: r.Method, URL: r.URL.Redacted(), Err: errors.New("test: only the fake Slack may be called")}
	}
	return l.next.RoundTrip(r)
}

// fakeBot is a bot.Answerer with fixed answers, for the tests of transport
// (signatures, retries, delivery) that must not depend on the knowledge
// base someone else edits; realbot_test.go uses the real bot. It records
// the questions it was asked; answer, when set, replaces the fixed answers
// (to fail or to be slow).
type fakeBot struct {
	mu        sync.Mutex
	questions []bot.Question
	answer    func(ctx context.Context, q bot.Question) (bot.Answer, error)
}

func (b *fakeBot) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	b.mu.Lock()
	b.questions = append(b.questions, q)
	f := b.answer
	b.mu.Unlock()
	if f != nil {
		return f(ctx, q)
	}
	return fixedAnswer(q), nil
}

func (b *fakeBot) Forget(context.Context, string) error { return nil }

// take returns the questions asked so far and forgets them.
func (b *fakeBot) take() []bot.Question {
	b.mu.Lock()
	defer b.mu.Unlock()
	qs := b.questions
	b.questions = nil
	return qs
}

func (b *fakeBot) asked() []bot.Question {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]bot.Question(nil), b.questions...)
}

// fixedAnswer answers like the bot would, from the sample answers.
func fixedAnswer(q bot.Question) bot.Answer {
	if q.Action == nil {
		return sampleProgrammes()
	}
	switch q.Action.Kind {
	case bot.ActionHelp, bot.ActionMenu:
		return sampleHelp(q.Lang)
	case bot.ActionDetails:
		return sampleDetails()
	case bot.ActionLang:
		a := sampleHelp(bot.Lang(q.Action.Value))
		a.Kind = bot.KindLanguage
		return a
	}
	return sampleProgrammes()
}

// harness is an adapter wired to a fake Slack API, the real in-memory
// de-duplicator, a real pool and real metrics.
type harness struct {
	t      testing.TB
	api    *slacktest.API
	bot    *fakeBot
	a      *Adapter
	pool   *work.Pool
	dedupe *inmem.Deduper
	reg    *prometheus.Registry
	logs   *syncBuffer
	clock  time.Time
}

type harnessOption func(*Config)

func newHarness(t testing.TB, b bot.Answerer, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{t: t, api: slacktest.NewAPI(t), reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	h.clock = time.Now().Truncate(time.Second)
	if b == nil {
		h.bot = &fakeBot{}
		b = h.bot
	}
	m := metrics.New(h.reg)
	h.pool = work.New(4, 32, m)
	lo := localOnly{base: h.api.URL(), next: http.DefaultTransport.(*http.Transport).Clone()}
	t.Cleanup(lo.next.CloseIdleConnections) // no keep-alive goroutine outlives the test
	h.dedupe = inmem.NewDeduper(time.Hour, nil)
	cfg := Config{
		Credentials: Credentials{SigningSecret: testSecret, BotToken: testBotToken, APIURL: h.api.APIURL()},
		Deps: adapter.Deps{
			Bot: b, Dedupe: h.dedupe, Pool: h.pool, Metrics: m,
			Logger:     slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			HTTPClient: &http.Client{Timeout: 10 * time.Second, Transport: lo},
		},
		Now: func() time.Time { return h.clock },
	}
	for _, o := range opts {
		o(&cfg)
	}
	a, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.caller.Policy = adapter.Policy{Attempts: 4, Base: time.Millisecond, Max: 5 * time.Millisecond, MaxRetryAfter: 5 * time.Second}
	h.a = a
	t.Cleanup(func() { h.drain() })
	return h
}

// drain waits for every queued job: after it, the fake has seen every
// call the requests so far caused. The pool refuses work afterwards.
func (h *harness) drain() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := h.pool.Shutdown(ctx); err != nil {
		h.t.Errorf("pool shutdown: %v", err)
	}
}

// request builds a signed POST to path.
func (h *harness) request(path string, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	slacktest.Sign(r.Header, testSecret, h.clock, body)
	switch {
	case strings.HasSuffix(path, "/events"):
		r.Header.Set("Content-Type", "application/json")
	default:
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return r
}

// serve runs r through handler.
func serve(handler http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	return w
}

// event posts a signed Events API body.
func (h *harness) event(body []byte, header ...string) *httptest.ResponseRecorder {
	r := h.request("/slack/events", body)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return serve(h.a.Events(), r)
}

// command posts a signed slash command body.
func (h *harness) command(body []byte) *httptest.ResponseRecorder {
	return serve(h.a.Commands(), h.request("/slack/commands", body))
}

// interaction posts a signed interaction payload.
func (h *harness) interaction(payload []byte) *httptest.ResponseRecorder {
	return serve(h.a.Interactions(), h.request("/slack/interactions", slacktest.PayloadForm(payload)))
}

// fixture reads testdata/name, with {{RESPONSE_URL}} pointing at the fake.
func (h *harness) fixture(name string) []byte {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		h.t.Fatal(err)
	}
	ru := h.api.ResponseURL(strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
	if strings.HasSuffix(name, ".form") {
		ru = url.QueryEscape(ru)
	}
	return bytes.ReplaceAll(b, []byte("{{RESPONSE_URL}}"), []byte(ru))
}

// withForm returns a form body with key set to value.
func withForm(t testing.TB, body []byte, key, value string) []byte {
	t.Helper()
	v, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatal(err)
	}
	v.Set(key, value)
	return []byte(v.Encode())
}

// counter reads a counter of the registry by name and labels.
func (h *harness) counter(name string, labels map[string]string) float64 {
	h.t.Helper()
	n, err := metrics.Sum(h.reg, name, labels)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
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

// lines returns the log lines at level or above, decoded.
func (s *syncBuffer) lines(t testing.TB, level slog.Level) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		var l slog.Level
		if err := l.UnmarshalText([]byte(m["level"].(string))); err != nil {
			t.Fatal(err)
		}
		if l >= level {
			out = append(out, m)
		}
	}
	return out
}

// httpBody is a request body of b.
func httpBody(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

// rawJSON is v as JSON without HTML escaping, for searching.
func rawJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return b.String()
}
