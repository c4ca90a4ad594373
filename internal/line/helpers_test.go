package line

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/inmem"
	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/work"
)

// TestMain fails the package if any test leaves a goroutine behind: every
// pool is shut down, every stand-in server closed, every loading-animation
// timer stopped or waited for.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const testSecret = "test-channel-secret"

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "webhook", name+".json"))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return b
}

// env is a handler wired to the stand-in API, the in-memory stores and a
// real work pool, with its own metrics registry.
type env struct {
	h     *Adapter
	api   *linetest.API
	pool  *work.Pool
	dedup *inmem.Deduper
	reg   *prometheus.Registry
}

type envOption func(*Config)

// newEnv builds the handler. Its cleanup shuts the pool down, so no job
// outlives the test.
func newEnv(t testing.TB, b bot.Answerer, opts ...envOption) *env {
	t.Helper()
	e := &env{api: linetest.NewAPI(t), reg: prometheus.NewRegistry(), dedup: inmem.NewDeduper(10*time.Minute, nil)}
	m := metrics.New(e.reg)
	cfg := Config{
		Credentials: Credentials{ChannelSecret: testSecret, AccessToken: "test-access-token", APIBaseURL: e.api.URL()},
		Deps:        adapter.Deps{Bot: b, Dedupe: e.dedup, Metrics: m, HTTPClient: e.api.Client()},
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.Pool == nil {
		cfg.Pool = work.New(4, 64, m)
	}
	e.pool = cfg.Pool
	h, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.caller.Policy = adapter.Policy{Attempts: 3, Base: 5 * time.Millisecond, Max: 20 * time.Millisecond}
	e.h = h
	t.Cleanup(func() { e.shutdown(t) })
	return e
}

func (e *env) shutdown(t testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.pool.Shutdown(ctx); err != nil {
		t.Errorf("pool shutdown: %v", err)
	}
}

// post sends body signed with sig (sign it with testSecret when sig is
// "sign").
func (e *env) post(body []byte, sig string) *httptest.ResponseRecorder {
	if sig == "sign" {
		sig = linetest.Signature(testSecret, body)
	}
	req := httptest.NewRequest(http.MethodPost, "/line/webhook", bytes.NewReader(body))
	if sig != "" {
		req.Header.Set(linetest.SignatureHeader, sig)
	}
	rec := httptest.NewRecorder()
	e.h.Webhook().ServeHTTP(rec, req)
	return rec
}

func newRequest(method string, body []byte) *http.Request {
	req := httptest.NewRequest(method, "/line/webhook", bytes.NewReader(body))
	linetest.Sign(req.Header, testSecret, body)
	return req
}

func recorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func newDeduper() *inmem.Deduper { return inmem.NewDeduper(10*time.Minute, nil) }

// settle waits until no job is queued or running.
func (e *env) settle(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for e.metric(t, "supportbot_inflight_jobs", nil) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("jobs still running after 15 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// metric reads a counter or gauge; labels select the series (nil: sum of
// all series).
func (e *env) metric(t testing.TB, name string, labels map[string]string) float64 {
	t.Helper()
	n, err := metrics.Sum(e.reg, name, labels)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// answerFunc is a function-field fake of the bot, only to inject
// failures and delays; everything else runs on the real bot.
type answerFunc struct {
	answer func(ctx context.Context, q bot.Question) (bot.Answer, error)
	forget func(ctx context.Context, conv string) error
}

func (f answerFunc) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	return f.answer(ctx, q)
}

func (f answerFunc) Forget(ctx context.Context, conv string) error {
	if f.forget == nil {
		return nil
	}
	return f.forget(ctx, conv)
}

// echo answers every question with one text, for tests about transport
// rather than answers.
var echo = answerFunc{answer: func(_ context.Context, q bot.Question) (bot.Answer, error) {
	return bot.Answer{Lang: bot.Japanese, Kind: bot.KindHelp, Text: "ok: " + q.Text}, nil
}}

// realBot is the bot as shipped, over the embedded knowledge, with its
// own in-memory conversation store.
func realBot(t testing.TB) (*dialog.Engine, *catalog.Catalog, *inmem.Conversations) {
	t.Helper()
	store := inmem.NewConversations(time.Hour, nil)
	return dialogtest.WithStore(t, store), dialogtest.Catalog(t), store
}

// message is a decoded outgoing message, loose enough to inspect any kind.
type message map[string]any

func decodeMessages(t testing.TB, raw []json.RawMessage) []message {
	t.Helper()
	out := make([]message, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	return out
}
