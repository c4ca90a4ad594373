package slacktest

import (
	"encoding/json"
	"fmt"
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

// OpResponseURL is the Op of a post to a response_url hook.
const OpResponseURL = "response_url"

// WriteOK answers a Web API call: 200 with body, a JSON object.
func WriteOK(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = io.WriteString(w, body)
}

// WriteError answers as the Web API refuses a call: 200 with
// {"ok":false,"error":code}.
func WriteError(w http.ResponseWriter, code string) {
	WriteOK(w, fmt.Sprintf(`{"ok":false,"error":%q}`, code))
}

// WriteRateLimited answers 429 with Retry-After in whole seconds (at
// least one), as Slack limits a method.
func WriteRateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(retryAfter.Round(time.Second)/time.Second))))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = io.WriteString(w, `{"ok":false,"error":"ratelimited"}`)
}

// WriteServerError answers a transient failure on Slack's side: status
// (5xx) with {"ok":false,"error":"internal_error"}.
func WriteServerError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"ok":false,"error":"internal_error"}`)
}

// Call is one request the stand-in received.
type Call struct {
	Op   string         // the Web API method ("chat.postMessage"), or OpResponseURL
	Path string         // the URL path
	Form url.Values     // the fields of the call: form-encoded, or the top level of a JSON body (jsonForm)
	JSON map[string]any // JSON calls
	Auth string         // the Authorization header
	At   time.Time      // when it arrived
	// TS is the ts the stand-in gave the message it posted.
	TS string
	// Failed marks a call the stand-in answered with a failure (FailWith).
	Failed bool
}

// Blocks returns the Block Kit blocks the call carried: the form's
// "blocks", or the JSON's "blocks" or "view.blocks".
func (c Call) Blocks(t testing.TB) []any {
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

// Text is the plain-text fallback the call carried.
func (c Call) Text() string {
	if c.Form != nil {
		return c.Form.Get("text")
	}
	s, _ := c.JSON["text"].(string)
	return s
}

// Failure is how the stand-in answers the n-th call (from 1) of op
// instead of its default: status 0 answers normally.
type Failure func(op string, n int) (status int, header http.Header, body string)

// API stands in for the Slack Web API under /api/ (point slack-go at
// APIURL) and for response_url hooks under /hooks/ (ResponseURL). It
// records every call and answers as Slack does when all goes well, unless
// a Failure set with FailWith answers instead. It is safe for concurrent
// use.
type API struct {
	srv *httptest.Server

	mu     sync.Mutex
	calls  []Call
	counts map[string]int // per op
	fail   Failure
	socket string // what apps.connections.open returns
	users  map[string]User
	reject string // ok:false code for chat.postMessage calls with blocks
}

// User is the part of a users.info user object the bot reads: the
// locale comes only with include_locale=true ("en-US", "ja-JP").
type User struct {
	ID     string `json:"id"`
	TeamID string `json:"team_id"`
	Name   string `json:"name"`
	Locale string `json:"locale,omitempty"`
	IsBot  bool   `json:"is_bot"`
}

// NewAPI starts a stand-in, closed when the test ends.
func NewAPI(t testing.TB) *API {
	a := &API{counts: map[string]int{}, users: map[string]User{}}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

// URL is the stand-in's base URL, no trailing slash.
func (a *API) URL() string { return a.srv.URL }

// APIURL is the Web API base to give slack-go (SLACK_API_URL).
func (a *API) APIURL() string { return a.srv.URL + "/api/" }

// ResponseURL is a response_url hook on the stand-in; name tells calls
// apart in failure messages.
func (a *API) ResponseURL(name string) string {
	return a.srv.URL + "/hooks/commands/" + TeamID + "/" + name
}

// Client is an HTTP client for the stand-in; closing the stand-in closes
// its idle connections.
func (a *API) Client() *http.Client { return a.srv.Client() }

// SetSocketURL sets the WebSocket URL apps.connections.open returns, for
// Socket Mode.
func (a *API) SetSocketURL(u string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.socket = u
}

// SetUser makes users.info know u; other users are user_not_found.
func (a *API) SetUser(u User) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.users[u.ID] = u
}

// RejectBlocks makes chat.postMessage refuse every message with blocks
// with ok:false and code (invalid_blocks, msg_blocks_too_long), as Slack
// refuses blocks it will not show; a message of text alone is posted.
func (a *API) RejectBlocks(code string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reject = code
}

// FailWith makes fail answer the calls it chooses; nil restores the
// default.
func (a *API) FailWith(fail Failure) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fail = fail
}

func (a *API) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c := Call{Path: r.URL.Path, Auth: r.Header.Get("Authorization"), At: time.Now()}
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		c.Op = strings.TrimPrefix(r.URL.Path, "/api/")
	case strings.HasPrefix(r.URL.Path, "/hooks/"):
		c.Op = OpResponseURL
	default:
		http.NotFound(w, r)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &c.JSON)
		c.Form = jsonForm(body)
	} else {
		c.Form, _ = url.ParseQuery(string(body))
	}
	a.mu.Lock()
	a.counts[c.Op]++
	n := a.counts[c.Op]
	if c.Op == "chat.postMessage" {
		c.TS = fmt.Sprintf("1761956000.%06d", 100+n)
	}
	a.calls = append(a.calls, c)
	idx := len(a.calls) - 1
	fail, socket, reject := a.fail, a.socket, a.reject
	a.mu.Unlock()

	if fail != nil {
		if status, h, b := fail(c.Op, n); status != 0 {
			a.mu.Lock()
			if idx < len(a.calls) {
				a.calls[idx].Failed = true
			}
			a.mu.Unlock()
			for k, v := range h {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			_, _ = io.WriteString(w, b)
			return
		}
	}
	switch c.Op {
	case OpResponseURL:
		_, _ = io.WriteString(w, "ok")
	case "chat.postMessage":
		if reject != "" && c.Form.Get("blocks") != "" && c.Form.Get("blocks") != "[]" {
			WriteError(w, reject)
			return
		}
		WriteOK(w, fmt.Sprintf(`{"ok":true,"channel":%q,"ts":%q}`, c.Form.Get("channel"), c.TS))
	case "chat.update":
		WriteOK(w, fmt.Sprintf(`{"ok":true,"channel":%q,"ts":%q,"text":%q}`, c.Form.Get("channel"), c.Form.Get("ts"), c.Form.Get("text")))
	case "chat.postEphemeral":
		WriteOK(w, fmt.Sprintf(`{"ok":true,"message_ts":"1761956000.000%d"}`, 100+n))
	case "users.info":
		a.mu.Lock()
		u, ok := a.users[c.Form.Get("user")]
		a.mu.Unlock()
		if !ok {
			WriteError(w, "user_not_found")
			return
		}
		if c.Form.Get("include_locale") != "true" {
			u.Locale = ""
		}
		b, _ := json.Marshal(struct {
			OK   bool `json:"ok"`
			User User `json:"user"`
		}{true, u})
		WriteOK(w, string(b))
	case "views.publish":
		WriteOK(w, `{"ok":true,"view":{"id":"V0HOME0001","type":"home"}}`)
	case "apps.connections.open":
		WriteOK(w, fmt.Sprintf(`{"ok":true,"url":%q}`, socket))
	default:
		WriteOK(w, `{"ok":true}`)
	}
}

// Calls returns the calls of op, in order.
func (a *API) Calls(op string) []Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []Call
	for _, c := range a.calls {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

// All returns every call, in order.
func (a *API) All() []Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Call(nil), a.calls...)
}

// Thread returns the messages posted in the thread ts (chat.postMessage
// with thread_ts), in order.
func (a *API) Thread(ts string) []Call {
	var out []Call
	for _, c := range a.Calls("chat.postMessage") {
		if c.Form.Get("thread_ts") == ts && !c.Failed {
			out = append(out, c)
		}
	}
	return out
}

// Posted returns the message the stand-in posted with ts.
func (a *API) Posted(ts string) (Call, bool) {
	for _, c := range a.Calls("chat.postMessage") {
		if c.TS == ts && !c.Failed {
			return c, true
		}
	}
	return Call{}, false
}

// Count is how many calls op has had.
func (a *API) Count(op string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.counts[op]
}

// WaitFor waits up to 10 s for n calls of op and returns them; the test
// fails if they do not come.
func (a *API) WaitFor(t testing.TB, op string, n int) []Call {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		cs := a.Calls(op)
		if len(cs) >= n {
			return cs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s called %d times within 10 s; want %d (calls: %v)", op, len(cs), n, Ops(a.All()))
			return nil
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Ops lists the ops of calls, for failure messages.
func Ops(calls []Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Op
	}
	return out
}

// jsonForm reads the top-level fields of a JSON body as a form would
// carry them: a string as its value, anything else (the blocks, a
// boolean) as its JSON text, so that a test reads a field the same
// whichever encoding the adapter posts.
func jsonForm(body []byte) url.Values {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return nil
	}
	form := url.Values{}
	for k, raw := range fields {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			form.Set(k, s)
		} else {
			form.Set(k, string(raw))
		}
	}
	return form
}
