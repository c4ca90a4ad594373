package line

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
)

// loadingAfter is how long an answer may take in a one-to-one chat before
// the loading animation is shown. The bot usually answers in
// milliseconds; the animation is for a busy queue or a slow store.
const loadingAfter = 700 * time.Millisecond

// loadingTimeout bounds the optional loading-animation call.
const loadingTimeout = 3 * time.Second

// errReply is wrapped by every error of reply.
var errReply = errors.New("line: reply")

// client returns a Messaging API client bound to ctx. The SDK keeps the
// context in the client (WithContext), so a shared one would race; a
// client is a small struct and cheap to make.
func (h *Adapter) client(ctx context.Context) (*messaging_api.MessagingApiAPI, error) {
	return newClient(ctx, h.token, h.apiOpts)
}

// newClient returns a Messaging API client with token and opts bound to
// ctx (see Adapter.client).
func newClient(ctx context.Context, token string, opts []messaging_api.MessagingApiAPIOption) (*messaging_api.MessagingApiAPI, error) {
	c, err := messaging_api.NewMessagingApiAPI(token, opts...)
	if err != nil {
		return nil, err
	}
	return c.WithContext(ctx), nil
}

// outcome is what one API call came to.
type outcome struct {
	ok        bool
	retry     bool           // worth another try
	reason    metrics.Reason // why it failed
	wait      time.Duration  // the server's Retry-After, if any
	status    int
	requestID string
	message   string // LINE's error message ("Invalid reply token")
}

// failure is the outcome as the retry loop reads it.
func (o outcome) failure() adapter.Outcome {
	f := adapter.Outcome{Retry: o.retry, Reason: o.reason, Wait: o.wait}
	if o.status != 0 {
		f.Attrs = append(f.Attrs, "status", o.status, "line_request_id", o.requestID)
	}
	if o.message != "" {
		f.Attrs = append(f.Attrs, "line_message", o.message)
	}
	return f
}

func classify(res *http.Response, err error) outcome {
	if res == nil {
		var ne net.Error
		switch {
		case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
			return outcome{retry: true, reason: metrics.ReasonTimeout}
		case errors.Is(err, context.Canceled):
			return outcome{reason: metrics.ReasonCanceled}
		}
		return outcome{retry: true, reason: metrics.ReasonNetwork}
	}
	o := outcome{status: res.StatusCode, requestID: res.Header.Get("X-Line-Request-Id")}
	if res.StatusCode/100 == 2 {
		o.ok = true // the SDK may fail to decode an empty 2xx body; the reply was sent
		return o
	}
	o.message = errorMessage(res)
	switch {
	case res.StatusCode == http.StatusTooManyRequests:
		o.retry, o.reason, o.wait = true, metrics.ReasonRateLimited, retryAfter(res.Header.Get("Retry-After"))
	case res.StatusCode >= 500:
		o.retry, o.reason, o.wait = true, metrics.ReasonServerError, retryAfter(res.Header.Get("Retry-After"))
	default:
		o.reason = metrics.ReasonRejected
	}
	return o
}

// msgInvalidReplyToken is LINE's message for a reply token that is
// unknown, used or expired.
const msgInvalidReplyToken = "Invalid reply token"

// errorMessage reads LINE's error response ({"message": …, "details":
// [{"message": …, "property": …}]}); it never holds the user's text.
func errorMessage(res *http.Response) string {
	if res.Body == nil {
		return ""
	}
	defer res.Body.Close()
	var e struct {
		Message string `json:"message"`
		Details []struct {
			Message  string `json:"message"`
			Property string `json:"property"`
		} `json:"details"`
	}
	if json.NewDecoder(io.LimitReader(res.Body, 64<<10)).Decode(&e) != nil {
		return ""
	}
	parts := []string{e.Message}
	for _, d := range e.Details {
		parts = append(parts, d.Property+": "+d.Message)
	}
	return cut(strings.Join(parts, "; "), 500)
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// reply sends msgs with the reply token. 429 and 5xx responses, timeouts
// and network errors are retried within the retry policy and the reply
// window of ctx's deadline; other 4xx (an expired or used token, a message
// LINE refuses) are logged with LINE's request id and not retried. Retrying
// is safe: a reply token is used at most once, so a reply that did arrive
// makes the retry fail instead of repeat.
//
// When LINE refuses the messages themselves (400 other than "Invalid
// reply token") and plain is not nil, the answer goes once more as plain
// text (plain()) with the same token. LINE does not document whether a
// refused reply uses up its token; a reply refused with 400 was not
// delivered, so the fallback cannot answer twice: if the token survived
// the person gets the plain answer, and if not LINE says "Invalid reply
// token" and the reply is counted as rejected and logged with both of
// LINE's messages.
func (h *Adapter) reply(ctx context.Context, token string, msgs []messaging_api.MessageInterface, plain func() []messaging_api.MessageInterface) error {
	body, err := newReplyBody(token, msgs)
	if err != nil {
		h.metrics.Failed(channel, metrics.ReasonRender)
		return fmt.Errorf("%w: %w", errReply, err)
	}
	defer func() { body.Release() }() // the body sent last
	err = h.caller.Call(ctx, h.log, "reply", func(ctx context.Context) (adapter.Outcome, error) {
		api, err := h.client(body.Context(ctx))
		if err != nil {
			return adapter.Outcome{Reason: metrics.ReasonClient}, err
		}
		res, err := post(api, "/v2/bot/message/reply", body.Bytes(), "")
		o := classify(res, err)
		if res != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // so the connection is reused
			res.Body.Close()
		}
		if o.ok {
			return adapter.Outcome{}, nil
		}
		if err == nil {
			err = errors.New(http.StatusText(o.status))
		}
		f := o.failure()
		if o.status == http.StatusBadRequest && o.message != msgInvalidReplyToken && plain != nil {
			if pb, perr := newReplyBody(token, plain()); perr == nil {
				body.Release() // its last Do has returned
				body, plain = pb, nil
				f.Retry, f.Fallback = true, true
			}
		}
		return f, err
	})
	if err != nil {
		return fmt.Errorf("%w: %w", errReply, err)
	}
	return nil
}

// replyBody is the JSON the SDK's ReplyMessageWithHttpInfo sends (the
// same fields in the same order), encoded once for all attempts. The SDK
// encodes through the MarshalJSON of each of its types, which re-encodes
// and copies a reply several times over; our message types (wire.go) are
// appended in one pass (encode.go), or encoded by encoding/json should a
// message of another type come.
//
// A reply is sent from a pooled buffer (newReplyBody, adapter.Body),
// kept for all attempts and given back when the call is over.
func replyBody(token string, msgs []messaging_api.MessageInterface) ([]byte, error) {
	return appendReplyBody(nil, token, msgs)
}

// newReplyBody is replyBody in a pooled body, which the caller releases.
func newReplyBody(token string, msgs []messaging_api.MessageInterface) (*adapter.Body, error) {
	b := adapter.NewBody()
	var err error
	b.Append(func(dst []byte) []byte {
		dst, err = appendReplyBody(dst, token, msgs)
		return dst
	})
	if err != nil {
		b.Release()
		return nil, err
	}
	return b, nil
}

// appendReplyBody appends replyBody to dst.
func appendReplyBody(dst []byte, token string, msgs []messaging_api.MessageInterface) ([]byte, error) {
	n := len(dst)
	b, ok := appendReply(dst, token, msgs)
	if ok {
		return b, nil
	}
	j, err := json.Marshal(struct {
		ReplyToken           string                           `json:"replyToken"`
		NotificationDisabled bool                             `json:"notificationDisabled"`
		Messages             []messaging_api.MessageInterface `json:"messages"`
	}{ReplyToken: token, Messages: msgs})
	if err != nil {
		return b[:n], err
	}
	return append(b[:n], j...), nil
}

// post sends a JSON body to the Messaging API through the SDK client,
// which sets the token, its User-Agent and the context; with a retry key
// (a push) as X-Line-Retry-Key. A response other than 2xx is returned
// with err nil, for classify.
func post(api *messaging_api.MessagingApiAPI, path string, body []byte, retryKey string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, api.Url(path), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	if retryKey != "" {
		req.Header.Set("X-Line-Retry-Key", retryKey)
	}
	return api.Do(req)
}

// startLoading shows LINE's loading animation in a one-to-one chat if the
// answer is not ready loadingAfter the webhook arrived, within the
// loading endpoint's rate (loadingRate). The returned stop must be called
// before replying (and may be called again): it cancels the animation not
// yet asked for, and a call under way, without waiting for it, so the
// animation never holds up a reply. A call cancelled in flight may still
// reach LINE after the reply; the animation then shows for at most
// loadingSeconds. The call is optional: its failure is logged and the
// reply goes on.
func (h *Adapter) startLoading(ctx context.Context, t task, received time.Time) (stop func()) {
	if t.chatID == "" {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	timer := time.AfterFunc(max(h.loadingAfter-h.now().Sub(received), 0), func() {
		defer cancel()
		if !h.loading.Allow("loading") {
			h.metrics.Outbound(channel, "loading", "skipped")
			return
		}
		h.showLoading(ctx, t)
	})
	var once sync.Once
	return func() {
		once.Do(func() {
			timer.Stop()
			cancel()
		})
	}
}

func (h *Adapter) showLoading(ctx context.Context, t task) {
	ctx, cancel := context.WithTimeout(ctx, loadingTimeout)
	defer cancel()
	api, err := h.client(ctx)
	if err != nil {
		return
	}
	res, _, err := api.ShowLoadingAnimationWithHttpInfo(&messaging_api.ShowLoadingAnimationRequest{
		ChatId: t.chatID, LoadingSeconds: loadingSeconds,
	})
	if o := classify(res, err); !o.ok {
		if o.reason == metrics.ReasonCanceled {
			h.metrics.Outbound(channel, "loading", "canceled") // the answer came first
			return
		}
		h.metrics.Outbound(channel, "loading", "error")
		h.log.InfoContext(ctx, "loading animation not shown", "conv", bot.HashID(t.conv),
			"status", o.status, "line_request_id", o.requestID, "reason", o.reason)
		return
	}
	h.metrics.Outbound(channel, "loading", "ok")
}

// userID reports whether id looks like a LINE user id ("U" and 32 hex
// digits), safe to put in an API path.
func userID(id string) bool {
	if len(id) < 2 || len(id) > 64 || id[0] != 'U' {
		return false
	}
	for _, c := range id[1:] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// profileLang looks up the language of user in their profile (GET
// /v2/bot/profile/{userId}, "language": a BCP 47 tag, absent until the
// user agrees to LINE's privacy policy). A 404 (not a friend, blocked) is
// an answer without a language, not a failure.
func (h *Adapter) profileLang(user string) adapter.Fetch {
	return func(ctx context.Context) (bot.Lang, error) {
		api, err := h.client(ctx)
		if err != nil {
			return "", err
		}
		res, p, err := api.GetProfileWithHttpInfo(user)
		o := classify(res, err)
		switch {
		case o.ok && p != nil:
			return adapter.LangOf(p.Language), nil
		case o.status == http.StatusNotFound:
			return "", nil
		case err == nil:
			err = errors.New(http.StatusText(o.status))
		}
		h.log.DebugContext(ctx, "profile not read", "status", o.status, "reason", o.reason, "line_request_id", o.requestID)
		return "", fmt.Errorf("line: profile: %w", err)
	}
}
