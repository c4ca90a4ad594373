package line

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
	"github.com/line/line-bot-sdk-go/v8/linebot/webhook"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/work"
)

// Credentials are the LINE channel's settings. The channel is on when
// they are set; half of them is a mistake Check reports.
type Credentials struct {
	ChannelSecret string // verifies webhook signatures
	AccessToken   string // long-lived channel access token, for replies
	APIBaseURL    string // "" = LINE's own (DefaultAPIBaseURL)
}

// Enabled reports whether LINE is configured: its secret is set.
func (c Credentials) Enabled() bool { return c.ChannelSecret != "" || c.AccessToken != "" }

// Check refuses a channel configured in part: a secret without its token
// would verify webhooks it can never answer.
func (c Credentials) Check() error {
	switch {
	case c.ChannelSecret != "" && c.AccessToken == "":
		return errors.New("LINE is half configured: LINE_CHANNEL_SECRET is set but LINE_CHANNEL_ACCESS_TOKEN is not (set both to serve LINE, or neither)")
	case c.ChannelSecret == "" && c.AccessToken != "":
		return errors.New("LINE is half configured: LINE_CHANNEL_ACCESS_TOKEN is set but LINE_CHANNEL_SECRET is not (set both to serve LINE, or neither)")
	}
	return nil
}

// Config configures the LINE channel.
type Config struct {
	Credentials
	// Deps need Dedupe (LINE redelivers webhooks) and Pool (answers and
	// replies run after the acknowledgement).
	adapter.Deps
}

// DefaultAPIBaseURL is where the Messaging API lives.
const DefaultAPIBaseURL = "https://api.line.me"

// Adapter serves LINE. It is safe for concurrent use.
type Adapter struct {
	secret  string
	token   string
	apiOpts []messaging_api.MessagingApiAPIOption
	bot     bot.Answerer
	dedupe  bot.Deduper
	pool    *work.Pool
	limiter *ratelimit.Limiter
	metrics *metrics.Metrics
	log     *slog.Logger
	caller  adapter.Caller    // retries of replies, bounded by the reply window
	locales *adapter.Locales  // people's languages from their profiles
	notices *adapter.Throttle // rate-limit notices, once a minute a person
	groups  *members          // who asked in which group, to forget on leave
	loading *ratelimit.Limiter
	cards   *cardMemo // the programme cards of carousels, made once

	// Tuning, fixed by New; tests in this package shorten it.
	loadingAfter time.Duration    // show the loading animation once an answer takes this long
	now          func() time.Time // the clock of the reply window
}

// New checks the configuration and builds the LINE API client. It makes
// no network call.
func New(cfg Config) (*Adapter, error) {
	var errs []error
	if cfg.ChannelSecret == "" {
		errs = append(errs, errors.New("no channel secret"))
	}
	if cfg.AccessToken == "" {
		errs = append(errs, errors.New("no channel access token"))
	}
	errs = append(errs, cfg.Deps.Check(adapter.Needs{Dedupe: true, Pool: true}))
	d := cfg.Deps.WithDefaults()
	base := cfg.APIBaseURL
	if base == "" {
		base = DefaultAPIBaseURL
	}
	opts := []messaging_api.MessagingApiAPIOption{
		messaging_api.WithEndpoint(base),
		messaging_api.WithHTTPClient(d.HTTPClient),
	}
	if errors.Join(errs...) == nil {
		// Built once here to fail early on a bad base URL; each reply gets
		// its own client (reply.go).
		if _, err := messaging_api.NewMessagingApiAPI(cfg.AccessToken, opts...); err != nil {
			errs = append(errs, fmt.Errorf("api base URL: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("line: %w", err)
	}
	a := &Adapter{
		secret: cfg.ChannelSecret, token: cfg.AccessToken, apiOpts: opts,
		bot: d.Bot, dedupe: d.Dedupe, pool: d.Pool, limiter: d.Limiter,
		metrics: d.Metrics, log: d.Logger.With("channel", channel),
		loadingAfter: loadingAfter,
		now:          time.Now,
		locales:      adapter.NewLocales(channel, d.Metrics, nil),
		notices:      adapter.NewThrottleSize(noticeEvery, maxNoticeKeys, nil),
		groups:       newMembers(maxGroups, maxGroupMembers),
		loading:      ratelimit.New(loadingRate, loadingBurst, 1, nil),
		cards:        newCardMemo(),
	}
	a.caller = adapter.Caller{Platform: channel, Policy: adapter.DefaultPolicy, Metrics: d.Metrics, Now: func() time.Time { return a.now() }}
	return a, nil
}

// Webhook serves POST /line/webhook.
func (h *Adapter) Webhook() http.Handler { return http.HandlerFunc(h.serveWebhook) }

// serveWebhook verifies and parses a webhook, queues one job per event and
// acknowledges at once: LINE wants a quick 200, and answers are sent with
// the reply token from the work pool.
//
// Status codes: 200 accepted (also for the console's verification call
// with no events); 400 missing or wrong signature, or a body that is not
// a webhook; 405 not POST; 413 body over maxBody; 503 the work queue is
// full or shutting down. On 503 LINE redelivers the whole webhook (when
// webhook redelivery is on); events already queued are then recognised
// by their webhookEventId and not answered twice.
func (h *Adapter) serveWebhook(w http.ResponseWriter, r *http.Request) {
	received := h.now()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := adapter.ReadBody(w, r, maxBody)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.metrics.Rejected(channel, metrics.ReasonTooLarge)
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		h.metrics.Rejected(channel, metrics.ReasonRead)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	// Nothing is parsed, logged or stored before the signature holds.
	sig := r.Header.Get("X-Line-Signature")
	if sig == "" || !webhook.ValidateSignature(h.secret, sig, body) {
		h.metrics.Rejected(channel, metrics.ReasonSignature)
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}
	cb, err := decodeWebhook(body)
	if err != nil {
		h.metrics.Rejected(channel, metrics.ReasonMalformed)
		h.log.WarnContext(r.Context(), "webhook not understood", "bytes", len(body))
		h.log.DebugContext(r.Context(), "webhook parse error", "err", err)
		http.Error(w, "malformed webhook", http.StatusBadRequest)
		return
	}
	for i := range cb.Events {
		t, ok := taskFor(&cb.Events[i])
		if !ok {
			h.log.DebugContext(r.Context(), "event ignored", "type", cb.Events[i].Type)
			continue
		}
		if t.question != nil {
			if !h.prepare(r.Context(), &t, received) {
				continue
			}
		}
		err := h.pool.Submit(func(ctx context.Context) { h.run(ctx, t, received) })
		if err != nil {
			limit := metrics.ReasonQueue
			if errors.Is(err, work.ErrClosed) {
				limit = metrics.ReasonShutdown
			}
			h.metrics.Backpressure(channel, limit)
			h.log.WarnContext(r.Context(), "webhook refused, LINE will redeliver", "reason", limit, "events", len(cb.Events))
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// prepare readies a task that asks the bot, while the webhook is being
// acknowledged; false drops it. A redelivery older than its reply
// token's life is counted and logged, not answered; a person over their
// rate limit gets, once a minute, a short notice with the reply token
// instead of an answer (the rest is counted only).
func (h *Adapter) prepare(ctx context.Context, t *task, received time.Time) bool {
	if t.redelivered && received.Sub(t.at) > redeliveredTokenLife {
		h.metrics.Failed(channel, metrics.ReasonStaleEvent)
		h.log.WarnContext(ctx, "redelivered event too old to answer", "event", t.kind, "conv", bot.HashID(t.conv),
			"age", received.Sub(t.at).Round(time.Second).String(), "limit", redeliveredTokenLife.String())
		return false
	}
	if userID(t.user) {
		user := t.user
		t.question.Locale = func(ctx context.Context) bot.Lang { // built only when the engine asks
			return h.locales.Lookup(channel+":"+user, h.profileLang(user))(ctx)
		}
	}
	if t.group != "" {
		h.groups.add(t.group, t.conv)
	}
	if h.limiter.Allow(t.conv) {
		return true
	}
	h.metrics.Backpressure(channel, metrics.ReasonRateLimit)
	h.log.InfoContext(ctx, "rate limited", "conv", bot.HashID(t.conv))
	if !h.notices.Allow(t.conv) {
		return false
	}
	// The words that went over the limit tell the notice's language.
	t.question = &bot.Question{Conversation: t.conv, Channel: channel, Text: t.question.Text, Action: &bot.Action{Kind: bot.ActionSlowDown}, Locale: t.question.Locale}
	t.notice, t.chatID = true, "" // no loading animation for a notice
	return true
}

// run carries out one event after the webhook was acknowledged: it
// claims the event id, asks the bot and replies. Nothing here may block
// longer than the reply window, and no failure escapes.
func (h *Adapter) run(ctx context.Context, t task, received time.Time) {
	log := &eventLogger{base: h.log, t: &t}
	if t.eventID != "" {
		first, err := h.dedupe.FirstSeen(ctx, "line:event:"+t.eventID)
		switch {
		case err != nil:
			// Answering twice beats never answering.
			log.log(ctx, slog.LevelWarn, "de-duplication unavailable, answering anyway", "err", err)
		case !first:
			h.metrics.Duplicate(channel)
			log.log(ctx, slog.LevelDebug, "duplicate event skipped")
			return
		}
	}
	if t.forget {
		if err := h.bot.Forget(ctx, t.conv); err != nil {
			log.log(ctx, slog.LevelWarn, "conversation not forgotten", "err", err)
		}
		return
	}
	if t.forgetGroup {
		h.forgetGroup(ctx, log, t)
		return
	}
	deadline := received.Add(replyWindow)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	stopLoading := h.startLoading(ctx, t, received)
	defer stopLoading() // also when the bot panics (the pool recovers)
	a, err := h.bot.Answer(ctx, *t.question)
	stopLoading()
	if err != nil {
		h.metrics.Failed(channel, metrics.ReasonAnswer)
		log.log(ctx, slog.LevelError, "no answer", "err", err)
		return
	}
	if a.Silent() {
		// Relayed to the staff (handoff): the bot says nothing.
		log.log(ctx, slog.LevelDebug, "relayed to the staff, no reply", "took", h.now().Sub(received))
		return
	}
	msgs := renderCards(a, t.quoteToken, h.cards)
	if len(msgs) == 0 {
		log.log(ctx, slog.LevelWarn, "empty answer, nothing sent", "kind", a.Kind)
		return
	}
	if t.notice {
		h.metrics.Notice(channel, metrics.ReasonRateLimit)
	}
	if err := h.reply(ctx, t.replyToken, msgs, func() []messaging_api.MessageInterface { return renderPlain(a, t.quoteToken) }); err != nil {
		log.log(ctx, slog.LevelWarn, "reply not sent", "err", err, "kind", a.Kind)
		return
	}
	log.log(ctx, slog.LevelDebug, "replied", "kind", a.Kind, "messages", len(msgs), "took", h.now().Sub(received))
}

// forgetGroup drops what the bot remembers of a group or room it left:
// the state of everyone who asked there (as far as this replica saw
// them; another replica's expire with STATE_TTL) and the group's own.
func (h *Adapter) forgetGroup(ctx context.Context, log *eventLogger, t task) {
	convs := append(h.groups.take(t.group), t.conv)
	var failed int
	for _, c := range convs {
		if err := h.bot.Forget(ctx, c); err != nil {
			failed++
			log.log(ctx, slog.LevelWarn, "conversation not forgotten", "err", err)
		}
	}
	log.log(ctx, slog.LevelInfo, "left a group; its conversations forgotten", "conversations", len(convs), "failed", failed)
}

// eventLogger logs about one event, with its kind, hashed conversation
// and redelivery, made only when a line is written: most events write
// none above debug, and hashing the conversation and formatting the
// attributes for every event was a measurable share of the CPU.
type eventLogger struct {
	base *slog.Logger
	t    *task
	l    *slog.Logger
}

func (e *eventLogger) log(ctx context.Context, level slog.Level, msg string, args ...any) {
	if !e.base.Enabled(ctx, level) {
		return
	}
	if e.l == nil {
		e.l = e.base.With("event", e.t.kind, "conv", bot.HashID(e.t.conv), "redelivered", e.t.redelivered)
	}
	e.l.Log(ctx, level, msg, args...)
}
