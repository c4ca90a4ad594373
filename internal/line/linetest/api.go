package linetest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Paths of the Messaging API the bot calls.
const (
	PathReply   = "/v2/bot/message/reply"
	PathLoading = "/v2/bot/chat/loading/start"
)

// Messages LINE refuses calls with.
const (
	MsgInvalidReplyToken = "Invalid reply token"
	MsgRateLimited       = "The API rate limit has been exceeded. Try again later."
	MsgAuthFailed        = "Authentication failed. Confirm that the access token in the authorization header is valid."
	MsgNotFound          = "Not found"
	MsgServerError       = "Internal Server Error"
)

// WriteError answers as the Messaging API refuses a call: status, and the
// reason in {"message": …}.
func WriteError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"message":%q}`, msg)
}

// WriteRateLimited answers 429 with Retry-After in whole seconds (at
// least one).
func WriteRateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(retryAfter.Round(time.Second)/time.Second))))
	WriteError(w, http.StatusTooManyRequests, MsgRateLimited)
}

// WriteSent answers a reply as delivered: one sent message per id.
func WriteSent(w http.ResponseWriter, ids ...string) {
	w.Header().Set("Content-Type", "application/json")
	var b strings.Builder
	b.WriteString(`{"sentMessages":[`)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%q,"quoteToken":"q%s"}`, id, id)
	}
	b.WriteString(`]}`)
	_, _ = io.WriteString(w, b.String())
}

// Call is one request the stand-in received, with the body of a reply or
// of a loading animation decoded.
type Call struct {
	Path  string
	Auth  string // the Authorization header
	Body  []byte
	At    time.Time
	Reply struct {
		ReplyToken string            `json:"replyToken"`
		Messages   []json.RawMessage `json:"messages"`
	}
	Loading struct {
		ChatID         string `json:"chatId"`
		LoadingSeconds int    `json:"loadingSeconds"`
	}
}

// API stands in for api.line.me: point the adapter's API base URL at URL.
// It records every call and answers as LINE does when all goes well,
// unless a responder set with Respond answers instead. It is safe for
// concurrent use.
type API struct {
	srv *httptest.Server

	mu      sync.Mutex
	calls   []Call
	count   map[string]int // per path, since the start or Reset
	respond func(w http.ResponseWriter, c Call, n int)
}

// NewAPI starts a stand-in, closed when the test ends.
func NewAPI(t testing.TB) *API {
	a := &API{count: map[string]int{}}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

// URL is the base URL (no trailing slash), LINE_API_BASE_URL.
func (a *API) URL() string { return a.srv.URL }

// Client is an HTTP client for the stand-in; closing the stand-in closes
// its idle connections.
func (a *API) Client() *http.Client { return a.srv.Client() }

func (a *API) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c := Call{Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: body, At: time.Now()}
	switch r.URL.Path {
	case PathReply:
		_ = json.Unmarshal(body, &c.Reply)
	case PathLoading:
		_ = json.Unmarshal(body, &c.Loading)
	}
	a.mu.Lock()
	a.calls = append(a.calls, c)
	a.count[r.URL.Path]++
	n, respond := a.count[r.URL.Path], a.respond
	a.mu.Unlock()
	w.Header().Set("X-Line-Request-Id", "req-"+strings.ReplaceAll(r.URL.Path, "/", "-"))
	if respond != nil {
		respond(w, c, n)
		return
	}
	switch r.URL.Path {
	case PathReply:
		ids := make([]string, len(c.Reply.Messages))
		for i := range ids {
			ids[i] = fmt.Sprintf("%d%03d", n, i)
		}
		WriteSent(w, ids...)
	case PathLoading:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{}`)
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{}`)
	}
}

// Respond makes fn answer every later call instead of the stand-in: c is
// the call, n its number on its path (from 1). nil restores the default.
func (a *API) Respond(fn func(w http.ResponseWriter, c Call, n int)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.respond = fn
}

// Calls returns the calls to path ("" for all), in order.
func (a *API) Calls(path string) []Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []Call
	for _, c := range a.calls {
		if path == "" || c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// All returns every call, in order.
func (a *API) All() []Call { return a.Calls("") }

// Replies returns the reply calls, in order.
func (a *API) Replies() []Call { return a.Calls(PathReply) }

// Loadings returns the loading-animation calls, in order.
func (a *API) Loadings() []Call { return a.Calls(PathLoading) }

// Count is how many calls path has had.
func (a *API) Count(path string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.count[path]
}

// Reset forgets the calls so far, so a long fuzzing run does not grow.
func (a *API) Reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = nil
	clear(a.count)
}

// WaitFor waits up to 10 s for n calls to path and returns them; the test
// fails if they do not come.
func (a *API) WaitFor(t testing.TB, path string, n int) []Call {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		cs := a.Calls(path)
		if len(cs) >= n {
			return cs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls to %s within 10 s; want %d (calls: %v)", len(cs), path, n, Paths(a.All()))
			return nil
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Paths lists the paths of calls, for failure messages.
func Paths(calls []Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Path
	}
	return out
}
