package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/web"
)

// newBot returns the real bot with in-memory state. The catalog (and the
// dictionary) load once per test binary.
func newBot(t testing.TB) *dialog.Engine {
	t.Helper()
	return dialogtest.New(t)
}

// newChat builds the web adapter.
func newChat(t testing.TB, cfg web.Config) *web.Adapter {
	t.Helper()
	a, err := web.New(cfg)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	return a
}

func post(t *testing.T, h http.Handler, contentType, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("POST", "/api/chat", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q; want application/json", ct)
	}
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("response %q: %v", w.Body.String(), err)
	}
	return v
}

func TestChatRejects(t *testing.T) {
	h := newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}}).Chat()
	const js = "application/json"
	tests := []struct {
		name, contentType, body string
		code                    int
		want                    string // in the error message
	}{
		{"malformed JSON", js, `{"text": "x"`, 400, "malformed JSON"},
		{"syntax error", js, `{"text": x}`, 400, "malformed JSON at byte"},
		{"not an object", js, `["x"]`, 400, "want a JSON object"},
		{"empty body", js, ``, 400, "empty body"},
		{"two values", js, `{"text":"a"}{"text":"b"}`, 400, "more than one value"},
		{"trailing garbage", js, `{"text":"a"} x`, 400, "malformed JSON"},
		{"missing field", js, `{"session":""}`, 400, `missing field: want "text"`},
		{"null text", js, `{"text":null}`, 400, "missing field"},
		{"unknown field", js, `{"text":"a","user":"U1"}`, 400, `unknown field "user"`},
		{"wrong type", js, `{"text":42}`, 400, `field "text" must be a string`},
		{"both", js, `{"text":"a","action":{"kind":"more"}}`, 400, "not both"},
		{"action without kind", js, `{"action":{"value":"x"}}`, 400, `missing field "action.kind"`},
		{"unknown action", js, `{"action":{"kind":"rm -rf"}}`, 400, `unknown "action.kind"`},
		{"long action value", js, `{"action":{"kind":"ask","value":"` + strings.Repeat("a", 400) + `"}}`, 400, "longer than"},
		{"bad session", js, `{"session":"../../etc","text":"a"}`, 400, `invalid "session"`},
		{"bad lang", js, `{"text":"a","lang":"fr"}`, 400, `"lang" must be`},
		{"long text", js, `{"text":"` + strings.Repeat("あ", web.MaxText+1) + `"}`, 400, "the limit is 5000"},
		{"oversized body", js, `{"text":"` + strings.Repeat("a", web.MaxBody) + `"}`, 413, "larger than 65536 bytes"},
		{"no content type", "", `{"text":"a"}`, 415, "must be application/json"},
		{"form", "application/x-www-form-urlencoded", `text=a`, 415, "must be application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := post(t, h, tt.contentType, tt.body)
			if w.Code != tt.code {
				t.Fatalf("status = %d; want %d (body %s)", w.Code, tt.code, w.Body)
			}
			e := decode[web.Error](t, w)
			if !strings.Contains(e.Error, tt.want) {
				t.Errorf("error = %q; want it to contain %q", e.Error, tt.want)
			}
		})
	}
}

func TestChatConversation(t *testing.T) {
	h := newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}}).Chat()
	w := post(t, h, "application/json; charset=utf-8", `{"text":"中小企業向けの支援"}`)
	if w.Code != 200 {
		t.Fatalf("status = %d; want 200 (%s)", w.Code, w.Body)
	}
	first := decode[web.Response](t, w)
	if len(first.Session) < 16 {
		t.Fatalf("session = %q; want a generated id", first.Session)
	}
	if len(first.Answer.Cards) == 0 || !first.Answer.Confident {
		t.Fatalf("answer = %s with %d cards; want programmes", first.Answer.Kind, len(first.Answer.Cards))
	}
	if !first.Answer.HasMore() {
		t.Fatalf("answer has no more results (total %d); the test needs a longer list", first.Answer.Total)
	}
	w = post(t, h, "application/json", `{"session":"`+first.Session+`","action":{"kind":"more"}}`)
	more := decode[web.Response](t, w)
	if more.Session != first.Session {
		t.Errorf("session = %q; want %q kept", more.Session, first.Session)
	}
	if more.Answer.Offset != len(first.Answer.Cards) || len(more.Answer.Cards) == 0 {
		t.Errorf("more: offset %d with %d cards; want offset %d", more.Answer.Offset, len(more.Answer.Cards), len(first.Answer.Cards))
	}
	// Another session does not see the first one's results.
	other := decode[web.Response](t, post(t, h, "application/json", `{"action":{"kind":"more"}}`))
	if other.Session == first.Session || len(other.Answer.Cards) != 0 {
		t.Errorf("new session %q got %d cards for more; want a fresh conversation", other.Session, len(other.Answer.Cards))
	}
}

func TestChatLangHint(t *testing.T) {
	h := newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}}).Chat()
	r := decode[web.Response](t, post(t, h, "application/json", `{"action":{"kind":"greet"},"lang":"en"}`))
	if r.Answer.Lang != bot.English || r.Answer.Kind != bot.KindGreeting {
		t.Errorf("greet with lang en = %s %s; want en greeting", r.Answer.Lang, r.Answer.Kind)
	}
}

func TestChatRateLimit(t *testing.T) {
	lim := ratelimit.New(0.001, 2, 100, nil)
	h := newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t), Limiter: lim}}).Chat()
	const body = `{"session":"ratelimitedsession01","text":"hello"}`
	for i := range 2 {
		if w := post(t, h, "application/json", body); w.Code != 200 {
			t.Fatalf("message %d: status %d; want 200", i+1, w.Code)
		}
	}
	w := post(t, h, "application/json", body)
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("third message: status %d; want 429", w.Code)
	}
	if e := decode[web.Error](t, w); !strings.Contains(e.Error, "too many") || w.Header().Get("Retry-After") == "" {
		t.Errorf("429 error %q, Retry-After %q; want a message and a Retry-After", e.Error, w.Header().Get("Retry-After"))
	}
	// Another session is not limited.
	if w := post(t, h, "application/json", `{"session":"anothersession0001","text":"hello"}`); w.Code != 200 {
		t.Errorf("other session: status %d; want 200", w.Code)
	}
}

func TestPage(t *testing.T) {
	w := httptest.NewRecorder()
	newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}}).Page().ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	body := w.Body.String()
	for _, want := range []string{`<html lang="ja">`, `name="viewport"`, `aria-live="polite"`, `<label for="q"`, `id="q"`, `<button type="submit"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "{{version}}") {
		t.Error("page still has the {{version}} placeholder")
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy = %q; want script-src 'self'", csp)
	}
	for _, name := range []string{"/static/app.js", "/static/app.css"} {
		w := httptest.NewRecorder()
		newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}}).Static().ServeHTTP(w, httptest.NewRequest("GET", name, nil))
		if w.Code != 200 || w.Body.Len() == 0 {
			t.Errorf("GET %s = %d with %d bytes; want the asset", name, w.Code, w.Body.Len())
		}
	}
	w = httptest.NewRecorder()
	newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}}).Static().ServeHTTP(w, httptest.NewRequest("GET", "/static/", nil))
	if w.Code != 404 {
		t.Errorf("GET /static/ = %d; want 404, no listing", w.Code)
	}
}

// TestPageNoHTMLInjection keeps the page's script from building markup
// out of the bot's words.
func TestPageNoHTMLInjection(t *testing.T) {
	w := httptest.NewRecorder()
	newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}}).Static().ServeHTTP(w, httptest.NewRequest("GET", "/static/app.js", nil))
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(w.Body.String(), bad) {
			t.Errorf("app.js uses %s", bad)
		}
	}
}
