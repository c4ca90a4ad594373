package line

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/metrics"
)

// Push is LINE's outbox for the handoff desk (handoff.Outbox): it pushes
// the staff's replies and notices to a person in a one-to-one chat with
// the bot, outside any reply window. Every push carries the message's
// retry key (X-Line-Retry-Key): LINE runs a request with a key once and
// answers a repeat with 409, so a push retried after a timeout, by the
// retry loop or by the desk on another replica, reaches the person once.
type Push struct {
	token   string
	apiOpts []messaging_api.MessagingApiAPIOption
	caller  adapter.Caller
	metrics *metrics.Metrics
	log     *slog.Logger
}

var _ handoff.Outbox = (*Push)(nil)

// PathPush is the Messaging API's push endpoint.
const PathPush = "/v2/bot/message/push"

// NewPush builds the outbox from the channel's credentials; of deps it
// uses the HTTP client, metrics and logger. It makes no network call.
func NewPush(c Credentials, deps adapter.Deps) (*Push, error) {
	if c.AccessToken == "" {
		return nil, errors.New("line: push: no channel access token")
	}
	d := deps.WithDefaults()
	base := c.APIBaseURL
	if base == "" {
		base = DefaultAPIBaseURL
	}
	opts := []messaging_api.MessagingApiAPIOption{messaging_api.WithEndpoint(base), messaging_api.WithHTTPClient(d.HTTPClient)}
	if _, err := messaging_api.NewMessagingApiAPI(c.AccessToken, opts...); err != nil {
		return nil, fmt.Errorf("line: push: api base URL: %w", err)
	}
	return &Push{
		token: c.AccessToken, apiOpts: opts,
		caller:  adapter.Caller{Platform: channel, Policy: adapter.DefaultPolicy, Metrics: d.Metrics},
		metrics: d.Metrics, log: d.Logger.With("channel", channel),
	}, nil
}

// Reaches implements handoff.Outbox: a one-to-one chat ("line:U…"). In a
// group the bot would push to everyone.
func (p *Push) Reaches(conversation string) bool {
	id, ok := strings.CutPrefix(conversation, "line:")
	return ok && lineUserID(id)
}

// lineUserID reports whether s is a LINE user id: U and 32 hex digits.
func lineUserID(s string) bool {
	if len(s) != 33 || s[0] != 'U' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// monthlyLimit is how LINE says the channel's message quota is used up
// (429, unlike a rate limit, which passes).
const monthlyLimit = "You have reached your monthly limit."

// Deliver implements handoff.Outbox. 429 (rate limit) and 5xx responses,
// timeouts and network errors are retried within the retry policy, with
// the same key; 409 means LINE accepted this key before: delivered. A
// refusal that sending again cannot change — the quota used up, a user id
// LINE does not know, or one who blocked the bot (400, 403, 404) — wraps
// handoff.ErrRefused, and the desk tells the staff.
func (p *Push) Deliver(ctx context.Context, conversation string, a bot.Answer, key string) error {
	to, ok := strings.CutPrefix(conversation, "line:")
	if !ok || !lineUserID(to) {
		return fmt.Errorf("line: push: %w: not a one-to-one chat", handoff.ErrRefused)
	}
	msgs := render(a, "") // a push quotes nothing
	if len(msgs) == 0 {
		return fmt.Errorf("line: push: %w: nothing to send", handoff.ErrRefused)
	}
	body, err := json.Marshal(struct {
		To                   string                           `json:"to"`
		Messages             []messaging_api.MessageInterface `json:"messages"`
		NotificationDisabled bool                             `json:"notificationDisabled"`
	}{To: to, Messages: msgs})
	if err != nil {
		p.metrics.Failed(channel, metrics.ReasonRender)
		return fmt.Errorf("line: push: %w: %w", handoff.ErrRefused, err)
	}
	log := p.log.With("conv", bot.HashID(conversation))
	var refused bool
	err = p.caller.Call(ctx, log, "push", func(ctx context.Context) (adapter.Outcome, error) {
		api, err := newClient(ctx, p.token, p.apiOpts)
		if err != nil {
			return adapter.Outcome{Reason: metrics.ReasonClient}, err
		}
		res, err := post(api, PathPush, body, key)
		o := classify(res, err)
		if res != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
			res.Body.Close()
		}
		switch {
		case o.ok:
			return adapter.Outcome{}, nil
		case o.status == http.StatusConflict:
			// "Once the request is accepted, subsequent retried requests
			// are blocked and you'll get the status code 409."
			log.InfoContext(ctx, "push accepted before (409 for its retry key): not sent again",
				"line_request_id", o.requestID, "accepted_request_id", res.Header.Get("X-Line-Accepted-Request-Id"))
			return adapter.Outcome{}, nil
		case o.status == http.StatusTooManyRequests && strings.Contains(o.message, monthlyLimit):
			o.retry, refused = false, true
		case o.status == http.StatusBadRequest || o.status == http.StatusForbidden || o.status == http.StatusNotFound:
			refused = true
		}
		if err == nil {
			err = errors.New(http.StatusText(o.status))
		}
		return o.failure(), err
	})
	switch {
	case err == nil:
		return nil
	case refused:
		return fmt.Errorf("line: push: %w: %w", handoff.ErrRefused, err)
	}
	return fmt.Errorf("line: push: %w", err)
}
