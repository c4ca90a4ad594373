package line

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
	"github.com/line/line-bot-sdk-go/v8/linebot/webhook"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/work"
)

// Config configures the LINE channel.
type Config struct {
	ChannelSecret string
	AccessToken   string
	APIBaseURL    string // "" = LINE's own (https://api.line.me)
	Bot           bot.Answerer
	Dedupe        bot.Deduper        // shared store (Redis in production); required
	Pool          *work.Pool         // answers + replies run here after the ack; required
	Limiter       *ratelimit.Limiter // per user; nil = unlimited
	Metrics       *metrics.Metrics   // nil ok
	Logger        *slog.Logger       // nil = discard
	HTTPClient    *http.Client       // outbound; nil = one with a 10 s timeout
}

// DefaultAPIBaseURL is where the Messaging API lives.
const DefaultAPIBaseURL = "https://api.line.me"

// outboundTimeout bounds one call to the LINE API when Config.HTTPClient
// is nil.
const outboundTimeout = 10 * time.Second

// Handler serves POST /line/webhook. It is safe for concurrent use.
type Handler struct {
	secret  string
	token   string
	apiOpts []messaging_api.MessagingApiAPIOption
	bot     bot.Answerer
	dedupe  bot.Deduper
	pool    *work.Pool
	limiter *ratelimit.Limiter
	metrics *metrics.Metrics
	log     *slog.Logger

	// Tuning, fixed by NewHandler; tests in this package shorten it.
	retry        retryPolicy
	loadingAfter time.Duration    // show the loading animation once an answer takes this long
	now          func() time.Time // the clock of the reply window
}

// NewHandler checks the configuration and builds the LINE API client.
func NewHandler(cfg Config) (*Handler, error) {
	var errs []error
	if cfg.ChannelSecret == "" {
		errs = append(errs, errors.New("no channel secret"))
	}
	if cfg.AccessToken == "" {
		errs = append(errs, errors.New("no channel access token"))
	}
	if cfg.Bot == nil {
		errs = append(errs, errors.New("no bot"))
	}
	if cfg.Dedupe == nil {
		errs = append(errs, errors.New("no de-duplication store"))
	}
	if cfg.Pool == nil {
		errs = append(errs, errors.New("no work pool"))
	}
	base := cfg.APIBaseURL
	if base == "" {
		base = DefaultAPIBaseURL
	}
	hc := cfg.HTTPClient
	if hc == nil {
		// The default transport keeps 2 idle connections per host; every
		// worker may be replying at once, so keep more and do not churn.
		hc = &http.Client{Timeout: outboundTimeout}
		if dt, ok := http.DefaultTransport.(*http.Transport); ok {
			tr := dt.Clone()
			tr.MaxIdleConnsPerHost = 32
			hc.Transport = tr
		}
	}
	opts := []messaging_api.MessagingApiAPIOption{
		messaging_api.WithEndpoint(base),
		messaging_api.WithHTTPClient(hc),
	}
	if len(errs) == 0 {
		// Built once here to fail early on a bad base URL; each reply gets
		// its own client (reply.go).
		if _, err := messaging_api.NewMessagingApiAPI(cfg.AccessToken, opts...); err != nil {
			errs = append(errs, fmt.Errorf("api base URL: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("line: %w", err)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{
		secret: cfg.ChannelSecret, token: cfg.AccessToken, apiOpts: opts,
		bot: cfg.Bot, dedupe: cfg.Dedupe, pool: cfg.Pool, limiter: cfg.Limiter,
		metrics: cfg.Metrics, log: log.With("channel", channel),
		retry:        defaultRetry,
		loadingAfter: loadingAfter,
		now:          time.Now,
	}, nil
}

// ServeHTTP verifies and parses a webhook, queues one job per event and
// acknowledges at once: LINE wants a quick 200, and answers are sent with
// the reply token from the work pool.
//
// Status codes: 200 accepted (also for the console's verification call
// with no events); 400 missing or wrong signature, or a body that is not
// a webhook; 405 not POST; 413 body over maxBody; 503 the work queue is
// full or shutting down. On 503 LINE redelivers the whole webhook (when
// webhook redelivery is on); events already queued are then recognised
// by their webhookEventId and not answered twice.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	received := h.now()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.metrics.Rejected(channel, "size")
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		h.metrics.Rejected(channel, "read")
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	// Nothing is parsed, logged or stored before the signature holds.
	sig := r.Header.Get("X-Line-Signature")
	if sig == "" || !webhook.ValidateSignature(h.secret, sig, body) {
		h.metrics.Rejected(channel, "signature")
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}
	var cb webhook.CallbackRequest
	if err := json.Unmarshal(body, &cb); err != nil {
		h.metrics.Rejected(channel, "malformed")
		h.log.WarnContext(r.Context(), "webhook not understood", "bytes", len(body))
		h.log.DebugContext(r.Context(), "webhook parse error", "err", err)
		http.Error(w, "malformed webhook", http.StatusBadRequest)
		return
	}
	for _, ev := range cb.Events {
		t, ok := taskFor(ev)
		if !ok {
			if ev != nil {
				h.log.DebugContext(r.Context(), "event ignored", "type", ev.GetType())
			}
			continue
		}
		if t.question != nil && !h.limiter.Allow(t.conv) {
			h.metrics.Backpressure(channel, "rate")
			h.log.InfoContext(r.Context(), "rate limited", "conv", bot.HashID(t.conv))
			continue
		}
		err := h.pool.Submit(func(ctx context.Context) { h.run(ctx, t, received) })
		if err != nil {
			limit := "queue"
			if errors.Is(err, work.ErrClosed) {
				limit = "shutdown"
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

// run carries out one event after the webhook was acknowledged: it
// claims the event id, asks the bot and replies. Nothing here may block
// longer than the reply window, and no failure escapes.
func (h *Handler) run(ctx context.Context, t task, received time.Time) {
	log := h.log.With("event", t.kind, "conv", bot.HashID(t.conv), "redelivered", t.redelivered)
	if t.eventID != "" {
		first, err := h.dedupe.FirstSeen(ctx, "line:event:"+t.eventID)
		switch {
		case err != nil:
			// Answering twice beats never answering.
			log.WarnContext(ctx, "de-duplication unavailable, answering anyway", "err", err)
		case !first:
			h.metrics.Duplicate(channel)
			log.DebugContext(ctx, "duplicate event skipped")
			return
		}
	}
	if t.forget {
		if err := h.bot.Forget(ctx, t.conv); err != nil {
			log.WarnContext(ctx, "conversation not forgotten", "err", err)
		}
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
		h.metrics.Failed(channel, "answer")
		log.ErrorContext(ctx, "no answer", "err", err)
		return
	}
	msgs := render(a)
	if len(msgs) == 0 {
		log.WarnContext(ctx, "empty answer, nothing sent", "kind", a.Kind)
		return
	}
	if err := h.reply(ctx, t.replyToken, msgs); err != nil {
		log.WarnContext(ctx, "reply not sent", "err", err, "kind", a.Kind)
		return
	}
	log.DebugContext(ctx, "replied", "kind", a.Kind, "messages", len(msgs), "took", h.now().Sub(received))
}
