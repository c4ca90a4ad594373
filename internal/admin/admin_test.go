package admin_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/admin"
)

const token = "correct-horse-battery-staple-42"

// knowledge is an in-memory admin.Knowledge: a status, and reloads that
// return what the test sets.
type knowledge struct {
	mu      sync.Mutex
	status  admin.KnowledgeStatus
	next    admin.Reload
	err     error
	reloads int
}

func (k *knowledge) KnowledgeStatus(context.Context) admin.KnowledgeStatus {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.status
}

func (k *knowledge) Reload(context.Context) (admin.Reload, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.reloads++
	if k.err != nil {
		return admin.Reload{}, k.err
	}
	if k.next.Result == "refused" {
		r := k.next
		k.status.LastRefused = &r
	}
	return k.next, nil
}

func newKnowledge() *knowledge {
	return &knowledge{
		status: admin.KnowledgeStatus{Version: "0123456789abcdef", Source: "/knowledge", Initiatives: 28, Trigger: "start",
			LoadedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Directory: "/knowledge", Poll: "2s",
			Scores:  []admin.FileScore{{File: "dev (built in)", Questions: 64, Hit1: 0.953, Hit3: 1, Rejection: 1}},
			Reloads: map[string]int{}},
		next: admin.Reload{Result: "ok", Trigger: "admin", Version: "fedcba9876543210", Running: "fedcba9876543210"},
	}
}

// clock is a settable time for sessions and the rate limit.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	h     http.Handler
	k     *knowledge
	clock *clock
}

func newFixture(t *testing.T, cfg admin.Config) fixture {
	t.Helper()
	f := fixture{k: newKnowledge(), clock: &clock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}}
	if cfg.Token == "" {
		cfg.Token = token
	}
	cfg.Knowledge, cfg.Now = f.k, f.clock.now
	if cfg.Burst == 0 {
		cfg.Burst = 1000
	}
	a, err := admin.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.h = a.Handler()
	return f
}

// request is one request to the admin handler.
type request struct {
	method, path string
	header       map[string]string
	form         url.Values
	cookie       *http.Cookie
	from         string // client address (default 192.0.2.1)
}

func (f fixture) do(t *testing.T, req request) *http.Response {
	t.Helper()
	var body io.Reader
	if req.form != nil {
		body = strings.NewReader(req.form.Encode())
	}
	r := httptest.NewRequest(req.method, "https://bot.example"+req.path, body)
	if req.form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range req.header {
		r.Header.Set(k, v)
	}
	if req.cookie != nil {
		r.AddCookie(req.cookie)
	}
	r.RemoteAddr = "192.0.2.1:4242"
	if req.from != "" {
		r.RemoteAddr = req.from + ":4242"
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w.Result()
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

func TestAccess(t *testing.T) {
	f := newFixture(t, admin.Config{})
	tests := []struct {
		name   string
		req    request
		status int
	}{
		{"no credentials", request{method: "GET", path: "/admin/knowledge"}, 401},
		{"wrong token", request{method: "GET", path: "/admin/knowledge", header: bearer("wrong-token-of-some-length")}, 403},
		{"token with one more character", request{method: "GET", path: "/admin/knowledge", header: bearer(token + "x")}, 403},
		{"token's prefix", request{method: "GET", path: "/admin/knowledge", header: bearer(token[:len(token)-1])}, 403},
		{"empty bearer", request{method: "GET", path: "/admin/knowledge", header: bearer("")}, 403},
		{"basic scheme", request{method: "GET", path: "/admin/knowledge", header: map[string]string{"Authorization": "Basic " + token}}, 403},
		{"right token", request{method: "GET", path: "/admin/knowledge", header: bearer(token)}, 200},
		{"scheme in lower case", request{method: "GET", path: "/admin/knowledge", header: map[string]string{"Authorization": "bearer " + token}}, 200},
		{"reload without credentials", request{method: "POST", path: "/admin/reload"}, 401},
		{"reload with a wrong token", request{method: "POST", path: "/admin/reload", header: bearer("wrong-token-of-some-length")}, 403},
		{"reload", request{method: "POST", path: "/admin/reload", header: bearer(token)}, 200},
		{"reload by GET", request{method: "GET", path: "/admin/reload", header: bearer(token)}, 404},
		{"unknown path, let in", request{method: "GET", path: "/admin/nope", header: bearer(token)}, 404},
		{"unknown path, not let in", request{method: "GET", path: "/admin/nope"}, 401},
		{"page without a session", request{method: "GET", path: "/admin/"}, 303},
		{"page with a wrong token", request{method: "GET", path: "/admin/", header: bearer("wrong-token-of-some-length")}, 403},
		{"page with the token", request{method: "GET", path: "/admin/", header: bearer(token)}, 200},
		{"login form", request{method: "GET", path: "/admin/login"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(t, tt.req)
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Fatalf("%s %s = %d %s; want %d", tt.req.method, tt.req.path, res.StatusCode, body, tt.status)
			}
			if res.StatusCode == 401 && res.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q; want no-store", res.Header.Get("Cache-Control"))
			}
			if strings.Contains(string(body), token) {
				t.Error("the response shows the token")
			}
		})
	}
}

func TestKnowledgeJSON(t *testing.T) {
	f := newFixture(t, admin.Config{})
	res := f.do(t, request{method: "GET", path: "/admin/knowledge", header: bearer(token)})
	var got map[string]any
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"version", "source", "loaded_at", "trigger", "initiatives", "directory", "poll", "scores", "reloads"} {
		if _, ok := got[key]; !ok {
			t.Errorf("GET /admin/knowledge lacks %q: %v", key, got)
		}
	}
	if got["version"] != "0123456789abcdef" || got["initiatives"] != float64(28) {
		t.Errorf("GET /admin/knowledge = %v", got)
	}
}

func TestReloadOutcomes(t *testing.T) {
	tests := []struct {
		name   string
		next   admin.Reload
		err    error
		status int
		want   string
	}{
		{"ok", admin.Reload{Result: "ok"}, nil, 200, `"result":"ok"`},
		{"unchanged", admin.Reload{Result: "unchanged"}, nil, 200, `"result":"unchanged"`},
		{"refused", admin.Reload{Result: "refused", Check: "lint", Reason: "initiatives/x.yaml:3: missing translation: name.en"}, nil, 422, `"check":"lint"`},
		{"no directory", admin.Reload{}, admin.ErrNotReloadable, 409, "no KNOWLEDGE_DIR"},
		{"failure", admin.Reload{}, errors.New("disk on fire at /secret/path"), 500, `"reload failed"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, admin.Config{})
			f.k.next, f.k.err = tt.next, tt.err
			res := f.do(t, request{method: "POST", path: "/admin/reload", header: bearer(token)})
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Errorf("POST /admin/reload = %d %s; want %d with %s", res.StatusCode, body, tt.status, tt.want)
			}
			if strings.Contains(string(body), "/secret/path") {
				t.Error("the response shows the internal error")
			}
		})
	}
}

// login posts the token to the login form and returns the session cookie.
func login(t *testing.T, f fixture) *http.Cookie {
	t.Helper()
	res := f.do(t, request{method: "POST", path: "/admin/login", form: url.Values{"token": {token}},
		header: map[string]string{"Origin": "https://bot.example", "Sec-Fetch-Site": "same-origin"}})
	if res.StatusCode != 303 || res.Header.Get("Location") != "/admin/" {
		t.Fatalf("POST /admin/login = %d to %q; want 303 to /admin/", res.StatusCode, res.Header.Get("Location"))
	}
	for _, c := range res.Cookies() {
		if c.Name == admin.CookieName {
			return c
		}
	}
	t.Fatal("login set no session cookie")
	return nil
}

// csrfOf reads the CSRF token from the admin page's reload form.
func csrfOf(t *testing.T, f fixture, c *http.Cookie) string {
	t.Helper()
	res := f.do(t, request{method: "GET", path: "/admin/", cookie: c})
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET /admin/ with the session = %d", res.StatusCode)
	}
	_, rest, ok := strings.Cut(string(body), `name="csrf" value="`)
	if !ok {
		t.Fatalf("the page has no CSRF token:\n%s", body)
	}
	tok, _, _ := strings.Cut(rest, `"`)
	return tok
}

func TestLoginSessionAndCSRF(t *testing.T) {
	f := newFixture(t, admin.Config{SessionTTL: time.Hour})
	res := f.do(t, request{method: "POST", path: "/admin/login", form: url.Values{"token": {"wrong-token-of-some-length"}}})
	if res.StatusCode != 403 || len(res.Cookies()) != 0 {
		t.Errorf("login with a wrong token = %d, cookies %v; want 403 and none", res.StatusCode, res.Cookies())
	}
	c := login(t, f)
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/admin" || c.MaxAge != 3600 {
		t.Errorf("session cookie %+v; want HttpOnly, Secure, SameSite=Strict, Path=/admin, an hour", c)
	}
	if strings.Contains(c.Value, token) {
		t.Error("the cookie holds the token")
	}
	csrf := csrfOf(t, f, c)
	same := map[string]string{"Sec-Fetch-Site": "same-origin"}
	tests := []struct {
		name   string
		req    request
		status int
	}{
		{"status with the session", request{method: "GET", path: "/admin/knowledge", cookie: c}, 200},
		{"reload without the CSRF token", request{method: "POST", path: "/admin/reload", cookie: c, header: same}, 403},
		{"reload with a wrong CSRF token", request{method: "POST", path: "/admin/reload", cookie: c, header: map[string]string{admin.CSRFHeader: "x" + csrf}}, 403},
		{"reload with the CSRF header", request{method: "POST", path: "/admin/reload", cookie: c, header: map[string]string{admin.CSRFHeader: csrf}}, 200},
		{"reload from the page's form", request{method: "POST", path: "/admin/reload", cookie: c, header: same, form: url.Values{"csrf": {csrf}}}, 303},
		{"reload from another site", request{method: "POST", path: "/admin/reload", cookie: c,
			header: map[string]string{admin.CSRFHeader: csrf, "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}}, 403},
		{"login posted from another site", request{method: "POST", path: "/admin/login", form: url.Values{"token": {token}},
			header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}}, 403},
		{"forged cookie", request{method: "GET", path: "/admin/knowledge", cookie: &http.Cookie{Name: admin.CookieName, Value: strings.Repeat("A", 75)}}, 401},
		{"login form with a session", request{method: "GET", path: "/admin/login", cookie: c}, 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(t, tt.req)
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Errorf("%s %s = %d %s; want %d", tt.req.method, tt.req.path, res.StatusCode, body, tt.status)
			}
		})
	}
	if f.k.reloads != 2 {
		t.Errorf("%d reloads ran; want 2 (the ones with a valid CSRF token from this site)", f.k.reloads)
	}

	other := newFixture(t, admin.Config{Token: "another-token-of-some-length"})
	if res := other.do(t, request{method: "GET", path: "/admin/knowledge", cookie: c}); res.StatusCode != 401 {
		t.Errorf("a session of another token = %d; want 401", res.StatusCode)
	}
	res = f.do(t, request{method: "POST", path: "/admin/logout", cookie: c, form: url.Values{"csrf": {csrf}}})
	if res.StatusCode != 303 || len(res.Cookies()) != 1 || res.Cookies()[0].MaxAge >= 0 {
		t.Errorf("logout = %d, cookies %v; want 303 and the cookie cleared", res.StatusCode, res.Cookies())
	}
	f.clock.advance(time.Hour + time.Second)
	if res := f.do(t, request{method: "GET", path: "/admin/knowledge", cookie: c}); res.StatusCode != 401 {
		t.Errorf("an expired session = %d; want 401", res.StatusCode)
	}
	if res := f.do(t, request{method: "GET", path: "/admin/", cookie: c}); res.StatusCode != 303 {
		t.Errorf("the page with an expired session = %d; want 303 to the login form", res.StatusCode)
	}
}

func TestRateLimitPerClient(t *testing.T) {
	f := newFixture(t, admin.Config{Rate: 1, Burst: 5})
	for i := range 5 {
		if res := f.do(t, request{method: "GET", path: "/admin/knowledge", header: bearer("wrong-token-of-some-length")}); res.StatusCode != 403 {
			t.Fatalf("request %d = %d; want 403 within the burst", i+1, res.StatusCode)
		}
	}
	res := f.do(t, request{method: "GET", path: "/admin/knowledge", header: bearer(token)})
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Errorf("request past the burst = %d (Retry-After %q); want 429 with Retry-After, even with the right token", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if res := f.do(t, request{method: "POST", path: "/admin/login", form: url.Values{"token": {token}}}); res.StatusCode != 429 {
		t.Errorf("login past the burst = %d; want 429", res.StatusCode)
	}
	if res := f.do(t, request{method: "GET", path: "/admin/knowledge", header: bearer(token), from: "198.51.100.7"}); res.StatusCode != 200 {
		t.Errorf("another address = %d; want 200: the limit is per client", res.StatusCode)
	}
	f.clock.advance(time.Second)
	if res := f.do(t, request{method: "GET", path: "/admin/knowledge", header: bearer(token)}); res.StatusCode != 200 {
		t.Errorf("a second later = %d; want 200", res.StatusCode)
	}
}

// TestPageEscapes: a refusal reason is shown as text, never as markup (it
// quotes files the staff wrote).
func TestPageEscapes(t *testing.T) {
	f := newFixture(t, admin.Config{})
	f.k.status.LastRefused = &admin.Reload{Result: "refused", Check: "lint", Reason: `initiatives/x.yaml:1: <script>alert("x")</script>`}
	res := f.do(t, request{method: "GET", path: "/admin/", header: bearer(token)})
	body, _ := io.ReadAll(res.Body)
	if strings.Contains(string(body), "<script>") || !strings.Contains(string(body), "&lt;script&gt;") {
		t.Errorf("the page shows the reason unescaped:\n%s", body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q; want default-src 'none'", csp)
	}
}

func TestNewRefusesAShortToken(t *testing.T) {
	for _, tok := range []string{"", "short"} {
		if _, err := admin.New(admin.Config{Token: tok, Knowledge: newKnowledge()}); err == nil {
			t.Errorf("New with token %q = nil error; want a refusal", tok)
		}
	}
}
