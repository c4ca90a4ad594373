package slack

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// apiCall is one request the fake Slack API received.
type apiCall struct {
	Op   string     // Web API method ("chat.postMessage"), or "response_url"
	Path string     // the URL path
	Form url.Values // form-encoded calls
	JSON map[string]any
	Auth string // the Authorization header
}

// blocks returns the Block Kit blocks the call carried.
func (c apiCall) blocks(t testing.TB) []any {
	t.Helper()
	switch {
	case c.Form != nil && c.Form.Get("blocks") != "":
		var b []any
		if err := json.Unmarshal([]byte(c.Form.Get("blocks")), &b); err != nil {
			t.Fatalf("%s blocks: %v", c.Op, err)
		}
		return b
	case c.JSON != nil:
		if v, ok := c.JSON["view"].(map[string]any); ok {
			b, _ := v["blocks"].([]any)
			return b
		}
		b, _ := c.JSON["blocks"].([]any)
		return b
	}
	return nil
}

// text is the plain-text fallback the call carried.
func (c apiCall) text() string {
	if c.Form != nil {
		return c.Form.Get("text")
	}
	s, _ := c.JSON["text"].(string)
	return s
}

// fakeSlack stands in for the Slack Web API and for response_url hooks.
// It records every call; fail injects failures.
type fakeSlack struct {
	srv *httptest.Server

	mu     sync.Mutex
	calls  []apiCall
	counts map[string]int
	// fail, when set, answers the n-th call (from 1) of op instead of the
	// default: return status 0 to answer normally.
	fail func(op string, n int) (status int, header http.Header, body string)
	// wsURL is what apps.connections.open returns.
	wsURL string
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{counts: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// apiURL is the base to give slack-go.
func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

// responseURL is a response_url on the fake.
func (f *fakeSlack) responseURL(name string) string {
	return f.srv.URL + "/hooks/commands/T0TEAM001/" + name
}

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c := apiCall{Path: r.URL.Path, Auth: r.Header.Get("Authorization")}
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		c.Op = strings.TrimPrefix(r.URL.Path, "/api/")
	case strings.HasPrefix(r.URL.Path, "/hooks/"):
		c.Op = "response_url"
	default:
		http.NotFound(w, r)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &c.JSON)
	} else {
		c.Form, _ = url.ParseQuery(string(body))
	}
	f.mu.Lock()
	f.counts[c.Op]++
	n := f.counts[c.Op]
	f.calls = append(f.calls, c)
	fail, ws := f.fail, f.wsURL
	f.mu.Unlock()

	if fail != nil {
		if status, h, b := fail(c.Op, n); status != 0 {
			for k, v := range h {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			_, _ = io.WriteString(w, b)
			return
		}
	}
	if c.Op == "response_url" {
		_, _ = io.WriteString(w, "ok")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch c.Op {
	case "chat.postMessage":
		ch := c.Form.Get("channel")
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "channel": ch, "ts": "1761956000.000" + strconv.Itoa(100+n)})
	case "views.publish":
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "view": map[string]any{"id": "V0HOME0001", "type": "home"}})
	case "apps.connections.open":
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "url": ws})
	default:
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true})
	}
}

// failWith sets fail.
func (f *fakeSlack) failWith(fail func(op string, n int) (status int, header http.Header, body string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = fail
}

// byOp returns the calls of op, in order.
func (f *fakeSlack) byOp(op string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

// all returns every call.
func (f *fakeSlack) all() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]apiCall(nil), f.calls...)
}

// waitFor polls until op has been called n times or the deadline passes.
func (f *fakeSlack) waitFor(t testing.TB, op string, n int) []apiCall {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cs := f.byOp(op); len(cs) >= n {
			return cs
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s called %d times within 10 s; want %d (calls: %v)", op, len(f.byOp(op)), n, ops(f.all()))
	return nil
}

func ops(cs []apiCall) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Op)
	}
	return out
}
