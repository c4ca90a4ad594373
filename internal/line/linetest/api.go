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
	PathPush    = "/v2/bot/message/push"
	PathLoading = "/v2/bot/chat/loading/start"
	// PathProfile is followed by the user id: GET /v2/bot/profile/{userId}.
	PathProfile = "/v2/bot/profile/"
)

// Messages LINE refuses calls with.
const (
	MsgInvalidReplyToken = "Invalid reply token"
	MsgRateLimited       = "The API rate limit has been exceeded. Try again later."
	MsgAuthFailed        = "Authentication failed. Confirm that the access token in the authorization header is valid."
	MsgNotFound          = "Not found"
	MsgServerError       = "Internal Server Error"
	// MsgInvalidBody is LINE's message for a request whose messages it
	// refuses; details name each property ("messages[1].contents…").
	MsgInvalidBody = "The request body has 1 error(s)"
	// A push whose X-Line-Retry-Key was accepted before (409).
	MsgRetryKeyAccepted = "The retry key is already accepted"
	// The channel's message quota is used up (429, not a rate limit).
	MsgMonthlyLimit = "You have reached your monthly limit."
	// A push LINE cannot deliver to the user id (400).
	MsgFailedToSend = "Failed to send messages"
)

// Profile is a user's profile as GET /v2/bot/profile/{userId} returns it
// (Messaging API reference, "Get profile"). Language is a BCP 47 tag,
// absent until the user consents to LINE's privacy policy.
type Profile struct {
	DisplayName   string `json:"displayName"`
	UserID        string `json:"userId"`
	PictureURL    string `json:"pictureUrl,omitempty"`
	StatusMessage string `json:"statusMessage,omitempty"`
	Language      string `json:"language,omitempty"`
}

// WriteInvalid answers as LINE refuses a request body it cannot accept:
// 400 with the message and one detail.
func WriteInvalid(w http.ResponseWriter, property, detail string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `{"message":%q,"details":[{"message":%q,"property":%q}]}`, MsgInvalidBody, detail, property)
}

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
	Push struct {
		To                   string            `json:"to"`
		Messages             []json.RawMessage `json:"messages"`
		NotificationDisabled bool              `json:"notificationDisabled"`
	}
	// RetryKey is the X-Line-Retry-Key header of a push.
	RetryKey string
	// Status is what the stand-in answered.
	Status int
}

// API stands in for api.line.me: point the adapter's API base URL at URL.
// It records every call and answers as LINE does when all goes well,
// unless a responder set with Respond answers instead. It is safe for
// concurrent use.
type API struct {
	srv *httptest.Server

	mu       sync.Mutex
	calls    []Call
	count    map[string]int // per path, since the start or Reset
	respond  func(w http.ResponseWriter, c Call, n int)
	profiles map[string]Profile
	used     map[string]bool // reply tokens LINE no longer takes
	// rejectFlex refuses replies with a Flex Message; consume makes the
	// refusal use up the token.
	rejectFlex, consume bool
	// accepted maps the retry keys of pushes accepted to their request
	// ids: LINE runs a request with a retry key once.
	accepted map[string]string
	// refuse answers pushes to a user with a status and message.
	refuse map[string]refusal
}

type refusal struct {
	status int
	msg    string
}

// NewAPI starts a stand-in, closed when the test ends.
func NewAPI(t testing.TB) *API {
	a := &API{count: map[string]int{}, profiles: map[string]Profile{}, used: map[string]bool{}, accepted: map[string]string{}, refuse: map[string]refusal{}}
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
	case PathPush:
		_ = json.Unmarshal(body, &c.Push)
		c.RetryKey = r.Header.Get("X-Line-Retry-Key")
	}
	a.mu.Lock()
	// Recorded before it is answered, so a test sees a call the
	// responder holds up; its status is filled in after.
	a.calls = append(a.calls, c)
	idx := len(a.calls) - 1
	a.count[r.URL.Path]++
	n, respond := a.count[r.URL.Path], a.respond
	profile, known := a.profiles[strings.TrimPrefix(r.URL.Path, PathProfile)]
	requestID := "req-" + strings.ReplaceAll(r.URL.Path, "/", "-")
	if c.Path == PathPush {
		requestID += "-" + strconv.Itoa(n)
	}
	first, seen := a.accepted[c.RetryKey]
	ref, refused := a.refuse[c.Push.To]
	if c.Path == PathPush && c.RetryKey != "" && !seen && !refused && respond == nil {
		// Accepted as it arrives: a retry racing this request gets 409.
		a.accepted[c.RetryKey] = requestID
	}
	a.mu.Unlock()
	w.Header().Set("X-Line-Request-Id", requestID)
	rec := &status{ResponseWriter: w}
	defer func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		code := rec.code
		if code == 0 {
			code = http.StatusOK
		}
		if idx < len(a.calls) {
			a.calls[idx].Status = code
		}
		if c.Path == PathPush && c.RetryKey != "" && code/100 == 2 {
			a.accepted[c.RetryKey] = requestID
		}
	}()
	switch {
	case c.Path == PathPush && c.RetryKey != "" && seen:
		// "Once the request is accepted, subsequent retried requests are
		// blocked and you'll get the status code 409."
		rec.Header().Set("X-Line-Accepted-Request-Id", first)
		WriteError(rec, http.StatusConflict, MsgRetryKeyAccepted)
		return
	case c.Path == PathPush && refused:
		WriteError(rec, ref.status, ref.msg)
		return
	case respond != nil:
		respond(rec, c, n)
		return
	}
	w = rec
	switch {
	case strings.HasPrefix(r.URL.Path, PathProfile):
		if r.Method != http.MethodGet || !known {
			// Not a friend, blocked, or no such user.
			WriteError(w, http.StatusNotFound, MsgNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(profile)
		return
	case r.URL.Path == PathReply:
		if refused := a.takeToken(c); refused != nil {
			refused(w)
			return
		}
	}
	switch r.URL.Path {
	case PathReply:
		ids := make([]string, len(c.Reply.Messages))
		for i := range ids {
			ids[i] = fmt.Sprintf("%d%03d", n, i)
		}
		WriteSent(w, ids...)
	case PathPush:
		ids := make([]string, len(c.Push.Messages))
		for i := range ids {
			ids[i] = fmt.Sprintf("9%d%03d", n, i)
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

// takeToken uses up a reply's token as LINE does: a token is taken once;
// a reply that reuses one, or carries a Flex Message while RejectFlex is
// on, is refused. It returns how to refuse, or nil to deliver.
func (a *API) takeToken(c Call) func(http.ResponseWriter) {
	a.mu.Lock()
	defer a.mu.Unlock()
	tok := c.Reply.ReplyToken
	if a.used[tok] {
		return func(w http.ResponseWriter) { WriteError(w, http.StatusBadRequest, MsgInvalidReplyToken) }
	}
	if a.rejectFlex {
		for i, m := range c.Reply.Messages {
			if strings.Contains(string(m), `"type":"flex"`) {
				if a.consume {
					a.used[tok] = true
				}
				prop := fmt.Sprintf("messages[%d].contents.contents[0].body.contents[0].text", i)
				return func(w http.ResponseWriter) { WriteInvalid(w, prop, "Length must be between 0 and 2000") }
			}
		}
	}
	a.used[tok] = true
	return nil
}

// SetProfile makes GET /v2/bot/profile/{p.UserID} answer p; users
// without one get 404, as people who are not friends of the bot do.
func (a *API) SetProfile(p Profile) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.profiles[p.UserID] = p
}

// RejectFlex makes the stand-in refuse replies that carry a Flex Message
// with 400, as LINE refuses a message it finds invalid. consume says
// whether the refusal uses up the reply token (LINE does not document
// which), so a second reply with it gets "Invalid reply token".
func (a *API) RejectFlex(consume bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rejectFlex, a.consume = true, consume
}

// Profiles returns the profile calls, in order.
func (a *API) Profiles() []Call {
	var out []Call
	for _, c := range a.All() {
		if strings.HasPrefix(c.Path, PathProfile) {
			out = append(out, c)
		}
	}
	return out
}

// status remembers the status a response was written with.
type status struct {
	http.ResponseWriter
	code int
}

func (s *status) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *status) Write(b []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Refuse makes every later push to user answer status with LINE's
// message msg (MsgMonthlyLimit with 429, MsgFailedToSend with 400); a
// status of 0 delivers again.
func (a *API) Refuse(user string, status int, msg string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if status == 0 {
		delete(a.refuse, user)
		return
	}
	a.refuse[user] = refusal{status, msg}
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

// Pushes returns the pushes LINE delivered (answered 2xx), in order: a
// push refused, or repeated with a retry key accepted before (409), is
// not among them.
func (a *API) Pushes() []Call {
	var out []Call
	for _, c := range a.Calls(PathPush) {
		if c.Status/100 == 2 {
			out = append(out, c)
		}
	}
	return out
}

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
	clear(a.used)
	clear(a.accepted)
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
