package slack

import (
	"context"
	"errors"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/work"
)

// withLocale lets the engine ask Slack for the person's language
// (users.info with include_locale, scope users:read) when nothing else
// says which to answer in: the Home tab, "/support", a first message
// without words of either language.
func (a *Adapter) withLocale(q bot.Question, team, user string) bot.Question {
	if slackID(team) && slackID(user) {
		q.Locale = func(ctx context.Context) bot.Lang { // built only when the engine asks
			return a.locales.Lookup(person(team, user), a.userLang(user))(ctx)
		}
	}
	return q
}

// userLang reads a person's locale ("en-US", "ja-JP") with users.info.
// A user Slack does not show us is an answer without a language, not a
// failure.
func (a *Adapter) userLang(user string) adapter.Fetch {
	return func(ctx context.Context) (bot.Lang, error) {
		u, err := a.api.GetUserInfoContext(ctx, user)
		if err != nil {
			if e, ok := errors.AsType[slackapi.SlackErrorResponse](err); ok && (e.Err == "user_not_found" || e.Err == "user_not_visible") {
				return "", nil
			}
			a.log.DebugContext(ctx, "users.info failed", "err", err)
			return "", err
		}
		return adapter.LangOf(u.Locale), nil
	}
}

// The person's rate limit and the server's overload are told, not kept
// silent: once a minute a person at most, and busy notices at most
// busyRate a second for everyone (chat.postEphemeral is rate-limited per
// workspace), from at most busyInflight goroutines.
const (
	noticeEvery   = time.Minute
	maxNoticeKeys = 100_000
	busyRate      = 10
	busyBurst     = 20
	busyInflight  = 16
)

// slowDown queues the answer to a person over their rate limit: once a
// minute, a short notice in their language (that of text, the words that
// went over the limit, else their conversation's or locale's), only they
// see (chat.postEphemeral), where they asked.
func (a *Adapter) slowDown(ctx context.Context, team, user string, to destination, text string) {
	if to.channel == "" || !a.notices.Allow(person(team, user)) {
		return
	}
	q := a.withLocale(bot.Question{Conversation: conversation(team, user, to.channel), Text: text, Action: &bot.Action{Kind: bot.ActionSlowDown}}, team, user)
	err := a.submit(ctx, func(ctx context.Context) {
		ans, ok := a.answer(ctx, q)
		if !ok {
			return
		}
		a.metrics.Notice(channelName, metrics.ReasonRateLimit)
		err := a.postEphemeral(ctx, to.channel, user, to.threadTS, ans.Text)
		a.logAnswer(ctx, "rate-limit notice", ans, err)
	})
	if err != nil {
		a.logger(ctx).InfoContext(ctx, "rate-limit notice not queued", "err", err)
	}
}

// postEphemeral posts text that only user sees in channel (in a thread
// when threadTS is set).
func (a *Adapter) postEphemeral(ctx context.Context, channel, user, threadTS, text string) error {
	opts := []slackapi.MsgOption{slackapi.MsgOptionText(text, false)}
	if threadTS != "" {
		opts = append(opts, slackapi.MsgOptionTS(threadTS))
	}
	return a.call(ctx, "chat.postEphemeral", func(ctx context.Context) error {
		_, err := a.api.PostEphemeralContext(ctx, channel, user, opts...)
		return err
	})
}

// submitEvent queues an event's job, or, when the work queue is full,
// puts it on the overflow queue to be answered when the queue drains:
// Slack has no reply deadline, and it disables the event subscriptions
// of an app that acknowledges fewer than 5 % of deliveries in an hour,
// so events are acknowledged under overload rather than refused with
// 503. errShed when both queues are full, errBusy when the server is
// stopping.
func (a *Adapter) submitEvent(ctx context.Context, job func(ctx context.Context)) error {
	wrapped := a.jobFunc(ctx, job)
	err := a.pool.Submit(wrapped)
	if errors.Is(err, work.ErrFull) {
		if err = a.pool.SubmitLater(wrapped); err == nil {
			a.metrics.Deferred(channelName)
			return nil
		}
	}
	if err != nil {
		reason := metrics.ReasonShed
		if errors.Is(err, work.ErrClosed) {
			reason = metrics.ReasonShutdown
		}
		a.metrics.Backpressure(channelName, reason)
		if a.shedLog.Allow(string(reason)) {
			a.logger(ctx).WarnContext(ctx, "work queues full: event acknowledged, not answered", "reason", reason,
				"note", "logged once a minute; see supportbot_backpressure_total")
		}
		if reason == metrics.ReasonShutdown {
			return errBusy
		}
		return errShed
	}
	return nil
}

// notifier sends the short "busy, try again" notices of an overloaded
// server itself, beside the full work pool: few at once, few a second,
// once a minute a person. Its goroutines are waited for on shutdown
// (Background).
type notifier struct {
	wg    sync.WaitGroup
	slots chan struct{}
	rate  *ratelimit.Limiter
}

func newNotifier() *notifier {
	return &notifier{slots: make(chan struct{}, busyInflight), rate: ratelimit.New(busyRate, busyBurst, 1, nil)}
}

// busy tells a person whose question was shed that the bot is busy, in
// their language when it is known (bilingual otherwise), or counts it
// only when the notices are at their limit.
func (a *Adapter) busy(ctx context.Context, team, user string, to destination) {
	if to.channel == "" || !a.notices.Allow(person(team, user)) || !a.notify.rate.Allow("busy") {
		return
	}
	select {
	case a.notify.slots <- struct{}{}:
	default:
		return
	}
	text := bilingual(wBusyLater)
	if l := a.locales.Peek(person(team, user)); l.Valid() {
		text = wBusyLater.in(l)
	}
	log := a.logger(ctx)
	values := context.WithoutCancel(ctx)
	a.notify.wg.Go(func() {
		defer func() { <-a.notify.slots }()
		ctx, cancel := context.WithTimeout(values, jobTimeout)
		defer cancel()
		a.metrics.Notice(channelName, metrics.ReasonQueue)
		if err := a.postEphemeral(ctx, to.channel, user, to.threadTS, text); err != nil {
			log.InfoContext(ctx, "busy notice not delivered", "err", err)
		}
	})
}

// Background is the adapter's part of a graceful shutdown: it waits, once
// ctx ends, for the busy notices under way. cmd/supportbot runs it beside
// the server.
func (a *Adapter) Background(ctx context.Context) error {
	<-ctx.Done()
	a.notify.wg.Wait()
	return nil
}
