package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/ratelimit"
)

// Limits of the chat API.
const (
	// MaxBody caps a request body. A maximal message, every character
	// escaped as \uXXXX, still fits.
	MaxBody = 64 << 10
	// MaxText caps a message in characters, as LINE does.
	MaxText = 5000
	// DefaultInflight bounds answers computed at once; an answer takes a
	// millisecond or so, so this is plenty for two cores.
	DefaultInflight = 64
	// inflightWait is how long a request waits for a free slot before 503.
	inflightWait = 2 * time.Second
)

// Channel names the web chat in questions and metrics.
const Channel = "web"

// Config configures the web chat.
type Config struct {
	// Deps need only Bot; Limiter limits each session. The web chat
	// answers within the request, so it uses no pool, de-duplication or
	// outbound client.
	adapter.Deps
	// Inflight bounds concurrent answers (default DefaultInflight).
	Inflight int
	// Events, when set, serves the staff's replies to a conversation with
	// a ticket open (Stream); nil when handoff is off.
	Events Events
	// Streams bounds the streams open at once (default DefaultStreams).
	Streams int
	// Done ends every stream when it is closed (the server is stopping):
	// a stream would otherwise hold the graceful shutdown until its end.
	Done <-chan struct{}
}

// Adapter serves the web chat: the page, its assets and the chat API.
type Adapter struct {
	bot     bot.Answerer
	limiter *ratelimit.Limiter
	log     *slog.Logger
	metrics *metrics.Metrics
	slots   chan struct{} // one per answer being computed
	events  Events
	streams chan struct{} // one per open stream
	done    <-chan struct{}
}

// New checks the configuration.
func New(cfg Config) (*Adapter, error) {
	if err := cfg.Deps.Check(adapter.Needs{}); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	d := cfg.Deps.WithDefaults()
	if cfg.Inflight <= 0 {
		cfg.Inflight = DefaultInflight
	}
	if cfg.Streams <= 0 {
		cfg.Streams = DefaultStreams
	}
	return &Adapter{bot: d.Bot, limiter: d.Limiter, log: d.Logger, metrics: d.Metrics, slots: make(chan struct{}, cfg.Inflight),
		events: cfg.Events, streams: make(chan struct{}, cfg.Streams), done: cfg.Done}, nil
}

// Request is the body of POST /api/chat: text or action, not both.
type Request struct {
	// Session is the id from an earlier response; empty starts one.
	Session string `json:"session"`
	// Text is a message.
	Text *string `json:"text,omitempty"`
	// Action is a tapped button or quick reply.
	Action *bot.Action `json:"action,omitempty"`
	// Lang is the page's language, a hint for the first answer.
	Lang bot.Lang `json:"lang,omitempty"`
}

// Response is the body of a successful reply.
type Response struct {
	Session string     `json:"session"`
	Answer  bot.Answer `json:"answer"`
}

// Error is the body of every failed request.
type Error struct {
	Error string `json:"error"`
}

// Chat handles POST /api/chat.
func (a *Adapter) Chat() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		req, status, err := decode(w, r)
		if err != nil {
			writeError(w, status, err.Error())
			return
		}
		if req.Session == "" {
			req.Session = newSession()
		}
		conv := "web:" + req.Session
		if !a.limiter.Allow(conv) {
			a.metrics.Backpressure(Channel, metrics.ReasonRateLimit)
			w.Header().Set("Retry-After", "2")
			writeError(w, http.StatusTooManyRequests, "too many messages: wait a moment, then try again")
			return
		}
		release, ok := acquire(r.Context(), a.slots)
		if !ok {
			a.metrics.Backpressure(Channel, metrics.ReasonInflight)
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusServiceUnavailable, "the bot is busy: try again in a moment")
			return
		}
		defer release()
		q := bot.Question{Conversation: conv, Action: req.Action, Lang: req.Lang, Channel: Channel}
		if req.Text != nil {
			q.Text = *req.Text
		}
		ans, err := a.bot.Answer(r.Context(), q)
		if err != nil {
			a.log.WarnContext(r.Context(), "web chat: no answer", "conv", bot.HashID(conv), "err", err)
			writeError(w, http.StatusServiceUnavailable, "the bot could not answer: try again")
			return
		}
		a.log.DebugContext(r.Context(), "web chat", "conv", bot.HashID(conv), "text", q.Text, "kind", ans.Kind)
		writeJSON(w, http.StatusOK, Response{Session: req.Session, Answer: ans})
	})
}

// acquire takes a slot, waiting a little; ok is false when none came free.
func acquire(ctx context.Context, slots chan struct{}) (release func(), ok bool) {
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, true
	default:
	}
	t := time.NewTimer(inflightWait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

// decode reads and validates a request. Its errors are meant for the
// client: they say what is wrong.
func decode(w http.ResponseWriter, r *http.Request) (Request, int, error) {
	var req Request
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return req, http.StatusUnsupportedMediaType, fmt.Errorf("content type must be application/json, not %q", truncate(ct, 100))
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return req, http.StatusRequestEntityTooLarge, fmt.Errorf("request body is larger than %d bytes", MaxBody)
		}
		return req, http.StatusBadRequest, errors.New("could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return req, http.StatusBadRequest, errors.New(`empty body: want a JSON object such as {"text": "中小企業向けの支援"}`)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, http.StatusBadRequest, jsonError(err)
	}
	if dec.More() {
		return req, http.StatusBadRequest, errors.New("malformed JSON: more than one value in the body")
	}
	if _, err := dec.Token(); err != io.EOF {
		return req, http.StatusBadRequest, errors.New("malformed JSON: data after the object")
	}
	return req, http.StatusBadRequest, validate(&req)
}

// jsonError turns a decoding error into a message for the client without
// echoing their input back.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return errors.New("malformed request: want a JSON object")
		}
		return fmt.Errorf("field %q must be a %s, not a %s", typ.Field, jsonType(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("malformed JSON: the body ends too soon")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("unknown field %s: want session, text, action or lang", truncate(strings.TrimPrefix(err.Error(), "json: unknown field "), 80))
	}
	return errors.New("malformed JSON")
}

func jsonType(kind string) string {
	switch kind {
	case "ptr", "string":
		return "string"
	case "struct":
		return "object"
	}
	return kind
}

// validate checks the fields of a decoded request.
func validate(req *Request) error {
	if req.Session != "" && !validSession(req.Session) {
		return errors.New(`invalid "session": use the id from an earlier response, or leave it out to start a new one`)
	}
	switch {
	case req.Text == nil && req.Action == nil:
		return errors.New(`missing field: want "text" (a message) or "action" (a button)`)
	case req.Text != nil && req.Action != nil:
		return errors.New(`send "text" or "action", not both`)
	}
	if req.Text != nil {
		if !utf8.ValidString(*req.Text) {
			return errors.New(`"text" is not valid UTF-8`)
		}
		if n := utf8.RuneCountInString(*req.Text); n > MaxText {
			return fmt.Errorf(`"text" is %d characters long; the limit is %d`, n, MaxText)
		}
	}
	if a := req.Action; a != nil {
		if a.Kind == "" {
			return errors.New(`missing field "action.kind"`)
		}
		if len(a.Value) > bot.MaxPayload {
			return fmt.Errorf(`"action.value" is longer than %d bytes`, bot.MaxPayload)
		}
		parsed, err := bot.ParseAction(a.Payload())
		if err != nil {
			return fmt.Errorf(`unknown "action.kind" %q`, truncate(string(a.Kind), 40))
		}
		*a = parsed
	}
	if req.Lang != "" && !req.Lang.Valid() {
		return errors.New(`"lang" must be "ja" or "en"`)
	}
	return nil
}

// newSession returns 128 random bits, URL-safe: unguessable, so one
// person cannot continue another's conversation.
func newSession() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// validSession accepts ids the server made and similar client-kept ids:
// 16 to 64 characters of the URL-safe base64 alphabet.
func validSession(s string) bool {
	if len(s) < 16 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to do
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, Error{Error: msg})
}
