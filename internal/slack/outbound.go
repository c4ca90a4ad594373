package slack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
)

// call runs fn, the outbound call op, through the adapters' one retry
// loop (adapter.Caller): 429 after its Retry-After, 5xx and failed dials
// with exponential backoff and jitter. The request's logger (with its id)
// logs each retry and a call given up.
func (a *Adapter) call(ctx context.Context, op string, fn func(ctx context.Context) error) error {
	return a.caller.Call(ctx, a.logger(ctx), op, func(ctx context.Context) (adapter.Outcome, error) {
		err := fn(ctx)
		if err == nil {
			return adapter.Outcome{}, nil
		}
		return classify(err), err
	})
}

// classify reads the error of a call: whether it is worth retrying, how
// long Slack asked to wait, and a reason for metrics.
func classify(err error) adapter.Outcome {
	if rl, ok := errors.AsType[*slackapi.RateLimitedError](err); ok {
		return adapter.Outcome{Retry: true, Reason: metrics.ReasonRateLimited, Wait: max(rl.RetryAfter, 100*time.Millisecond)}
	}
	if sc, ok := errors.AsType[slackapi.StatusCodeError](err); ok {
		if sc.Code >= 500 {
			return adapter.Outcome{Retry: true, Reason: metrics.ReasonServerError, Attrs: []any{"status", sc.Code}}
		}
		return adapter.Outcome{Reason: metrics.ReasonRejected, Attrs: []any{"status", sc.Code}}
	}
	if op, ok := errors.AsType[*net.OpError](err); ok && op.Op == "dial" {
		// Nothing reached Slack, so trying again cannot post twice.
		return adapter.Outcome{Retry: true, Reason: metrics.ReasonNetwork}
	}
	if _, ok := errors.AsType[slackapi.SlackErrorResponse](err); ok {
		return adapter.Outcome{Reason: metrics.ReasonRejected} // ok:false (channel_not_found, not_in_channel …)
	}
	if errors.Is(err, errResponseURLSpent) || errors.Is(err, errResponseURLHost) {
		return adapter.Outcome{Reason: metrics.ReasonResponseURL}
	}
	if errors.Is(err, context.Canceled) {
		return adapter.Outcome{Reason: metrics.ReasonCanceled}
	}
	return adapter.Outcome{Reason: metrics.ReasonUnknown}
}

// postMessage posts m to a channel, in a thread when threadTS is set
// (chat.postMessage; see post.go for why not through slack-go).
func (a *Adapter) postMessage(ctx context.Context, channel, threadTS string, m message) error {
	_, err := a.sendMessage(ctx, "chat.postMessage", channel, threadTS, "", m)
	return err
}

// sendMessage posts m (chat.postMessage), in a thread when threadTS is
// set, or replaces message ts with it (chat.update), and returns the
// message's ts. extra fields follow the message's own.
func (a *Adapter) sendMessage(ctx context.Context, method, channel, threadTS, ts string, m message, extra ...field) (string, error) {
	if m.Blocks == nil {
		m.Blocks = []slackapi.Block{} // "[]", as slack-go sends no blocks
	}
	blocks := blockBuffers.Get().(*bytes.Buffer)
	blocks.Reset()
	defer blockBuffers.Put(blocks)
	if raw, ok := a.cards.appendBlocks(blocks.AvailableBuffer(), m.Blocks); ok {
		blocks.Write(raw)
	} else if err := json.NewEncoder(blocks).Encode(m.Blocks); err != nil {
		a.metrics.Failed(channelName, metrics.ReasonRender)
		return "", fmt.Errorf("slack: %s: %w", method, err)
	}
	fields := []field{
		{name: "channel", value: channel}, {name: "text", value: m.Text},
		{name: "blocks", raw: bytes.TrimSuffix(blocks.Bytes(), []byte("\n"))},
	}
	if method == "chat.postMessage" {
		fields = append(fields, field{name: "unfurl_links", raw: []byte("false")})
	}
	if threadTS != "" {
		fields = append(fields, field{name: "thread_ts", value: threadTS})
	}
	if ts != "" {
		fields = append(fields, field{name: "ts", value: ts})
	}
	fields = append(fields, extra...)
	var posted string
	fellBack := false
	err := a.caller.Call(ctx, a.logger(ctx), method, func(ctx context.Context) (adapter.Outcome, error) {
		var err error
		posted, err = a.postJSON(ctx, method, fields)
		if err == nil {
			return adapter.Outcome{}, nil
		}
		o := classify(err)
		if e, ok := errors.AsType[slackapi.SlackErrorResponse](err); ok && blocksRefused[e.Err] && !fellBack && len(m.Blocks) > 0 {
			// Slack refused the blocks: send the same message as its
			// plain-text fallback (the text field), once.
			fellBack = true
			fields = slices.DeleteFunc(fields, func(f field) bool { return f.name == "blocks" })
			o.Retry, o.Fallback = true, true
			o.Attrs = append(o.Attrs, "slack_error", e.Err)
		}
		return o, err
	})
	return posted, err
}

// blocksRefused are chat.postMessage's errors for blocks Slack will not
// show (docs.slack.dev, chat.postMessage "Errors"; msg_blocks_too_long
// comes at about 13,000 characters across blocks, undocumented:
// slackapi/bolt-js#2509). The text alone is then sent.
var blocksRefused = map[string]bool{"invalid_blocks": true, "invalid_blocks_format": true, "msg_blocks_too_long": true, "too_many_blocks": true}

// publishHome publishes the Home tab of a user.
func (a *Adapter) publishHome(ctx context.Context, user string, blocks []slackapi.Block) error {
	req := slackapi.PublishViewContextRequest{
		UserID: user,
		View:   slackapi.HomeTabViewRequest{Type: slackapi.VTHomeTab, Blocks: slackapi.Blocks{BlockSet: blocks}},
	}
	return a.call(ctx, "views.publish", func(ctx context.Context) error {
		_, err := a.api.PublishViewContext(ctx, req)
		return err
	})
}

// How a response_url post treats the message it came from.
type respondMode int

const (
	respondEphemeral respondMode = iota // a new message only the person sees
	respondReplace                      // replace the (ephemeral) message the button was on
	respondInChannel                    // a new message everyone in the channel sees
	respondDelete                       // delete the message the button was on
)

// respond posts to a response_url within its rules: only to Slack's hooks
// host (or the configured API's origin), at most responseURLUses times and
// within responseURLLife of issued.
func (a *Adapter) respond(ctx context.Context, responseURL string, issued time.Time, m message, mode respondMode) error {
	if !a.responseURLAllowed(responseURL) {
		a.metrics.Failed(channelName, metrics.ReasonResponseURL)
		a.logger(ctx).ErrorContext(ctx, "response_url refused", "err", errResponseURLHost)
		return errResponseURLHost
	}
	msg := &slackapi.WebhookMessage{}
	switch mode {
	case respondDelete:
		msg.DeleteOriginal = true
	default:
		msg.Text = m.Text
		msg.Blocks = &slackapi.Blocks{BlockSet: m.Blocks}
		msg.ResponseType = slackapi.ResponseTypeEphemeral
		msg.ReplaceOriginal = mode == respondReplace
		if mode == respondInChannel {
			msg.ResponseType = slackapi.ResponseTypeInChannel
		}
	}
	return a.call(ctx, "response_url", func(ctx context.Context) error {
		if !a.urls.take(responseURL, issued) {
			return errResponseURLSpent
		}
		return slackapi.PostWebhookCustomHTTPContext(ctx, responseURL, a.http, msg)
	})
}

// Errors of respond.
var (
	errResponseURLSpent = errors.New("slack: response_url used up or expired")
	errResponseURLHost  = errors.New("slack: response_url not on Slack's hooks host")
)

// responseURLAllowed reports whether u is a response_url we may post to:
// https on Slack's hooks hosts, or on the configured API's origin (tests,
// proxies). A signed request can only carry Slack's own, but the check
// keeps a leaked signing secret from turning us into a proxy.
func (a *Adapter) responseURLAllowed(u string) bool {
	for _, host := range []string{"https://hooks.slack.com/", "https://hooks.slack-gov.com/"} {
		if strings.HasPrefix(u, host) {
			return true
		}
	}
	return a.apiOrigin != "" && strings.HasPrefix(u, a.apiOrigin+"/")
}

// responseURLs counts the uses of each response_url. It is per process:
// the requests that carry one URL are handled by the replica they reach,
// and our flows use a URL at most twice, so the count is a guard against
// loops rather than shared bookkeeping.
type responseURLs struct {
	mu   sync.Mutex
	now  func() time.Time
	uses map[[32]byte]*urlUse
}

type urlUse struct {
	issued time.Time
	n      int
}

// maxTrackedURLs bounds the table; expired entries are swept when it is
// full, and past it URLs are used without counting.
const maxTrackedURLs = 10_000

func newResponseURLs(now func() time.Time) *responseURLs {
	return &responseURLs{now: now, uses: map[[32]byte]*urlUse{}}
}

// take records one use of u, issued at issued, and reports whether the
// rules allow it.
func (r *responseURLs) take(u string, issued time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if now.Sub(issued) > responseURLLife {
		return false
	}
	k := sha256.Sum256([]byte(u))
	e, ok := r.uses[k]
	if !ok {
		if len(r.uses) >= maxTrackedURLs {
			for key, e := range r.uses {
				if now.Sub(e.issued) > responseURLLife {
					delete(r.uses, key)
				}
			}
		}
		if len(r.uses) >= maxTrackedURLs {
			return true
		}
		e = &urlUse{issued: issued}
		r.uses[k] = e
	}
	if e.n >= responseURLUses {
		return false
	}
	e.n++
	return true
}

// destination is where an answer goes: a channel (and thread) through
// chat.postMessage, or a response_url.
type destination struct {
	channel  string // post with chat.postMessage to this channel …
	threadTS string // … in this thread
	// or respond through this response_url
	responseURL string
	issued      time.Time
	mode        respondMode
}

// deliver sends m to its destination.
func (a *Adapter) deliver(ctx context.Context, to destination, m message) error {
	if to.responseURL != "" {
		return a.respond(ctx, to.responseURL, to.issued, m, to.mode)
	}
	if to.channel == "" {
		return errors.New("slack: nowhere to deliver")
	}
	return a.postMessage(ctx, to.channel, to.threadTS, m)
}

// logAnswer logs an answer without text or ids: at warn when it was not
// delivered, at debug when it was (as LINE's replies are: the access line
// and supportbot_answers_total already record every answer, and a line
// per answer was a tenth of the log's cost under load).
func (a *Adapter) logAnswer(ctx context.Context, what string, ans bot.Answer, err error) {
	log := a.logger(ctx)
	if err != nil {
		log.WarnContext(ctx, what+" not delivered", "kind", ans.Kind, "err", err)
		return
	}
	log.DebugContext(ctx, what+" delivered", "kind", ans.Kind, "lang", ans.Lang, "cards", len(ans.Cards))
}
