package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/work"
)

// Credentials are the Slack app's settings. The channel is on with the
// bot token; events arrive over HTTP (signing secret), Socket Mode (app
// token) or both.
type Credentials struct {
	// SigningSecret verifies HTTP requests from Slack. It may be empty
	// only with AppToken (Socket Mode alone).
	SigningSecret string
	BotToken      string // xoxb-…, for replies
	// AppToken is the app-level token (xapp-…) for Socket Mode; "" = none.
	AppToken string
	// APIURL is the Web API base ("" = Slack's own). Tests and proxies set
	// it; response_url posts are then also allowed to its origin.
	APIURL string
}

// Enabled reports whether Slack is configured at all.
func (c Credentials) Enabled() bool {
	return c.BotToken != "" || c.SigningSecret != "" || c.AppToken != ""
}

// HTTP reports whether events, commands and interactions arrive over HTTP.
func (c Credentials) HTTP() bool { return c.BotToken != "" && c.SigningSecret != "" }

// SocketMode reports whether events arrive over Socket Mode.
func (c Credentials) SocketMode() bool { return c.BotToken != "" && c.AppToken != "" }

// Check refuses an app configured in part: a secret without the bot token
// would verify requests it can never answer.
func (c Credentials) Check() error {
	half := func(set, missing, advice string) error {
		return fmt.Errorf("Slack is half configured: %s is set but %s is not (%s)", set, missing, advice)
	}
	switch {
	case c.BotToken == "" && c.SigningSecret != "":
		return half("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "set both to serve Slack, or neither")
	case c.BotToken == "" && c.AppToken != "":
		return half("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "Socket Mode needs the bot token to reply")
	case c.BotToken != "" && c.SigningSecret == "" && c.AppToken == "":
		return half("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET or SLACK_APP_TOKEN",
			"set the signing secret to receive events over HTTP, or the app token for Socket Mode")
	}
	return nil
}

// Config configures the Slack channel.
type Config struct {
	Credentials
	// Deps need Dedupe (Slack retries events) and Pool (answers and calls
	// run after the three-second acknowledgement).
	adapter.Deps
	// Handoff, when its Channel is set, passes the staff's replies in the
	// threads of that channel and the clicks on its tickets' buttons to
	// its Desk.
	Handoff Handoff
	// Now is the clock of the replay window and of response_url budgets;
	// nil = time.Now. slack-go's verifier also compares the timestamp with
	// the wall clock, so Now can narrow the window in tests, not move it.
	Now func() time.Time
	// StaffChannel is the id of the support-network staff's channel
	// (SLACK_STAFF_CHANNEL, StaffChannelID): the digest and refused
	// reloads are posted there, and /support insights answers there
	// only. "": none.
	StaffChannel string
	// Insights makes the digest of /support insights; nil: none.
	Insights Insights
}

// jobTimeout bounds one job: an answer and its delivery, retries included.
const jobTimeout = time.Minute

// channelName labels Slack in metrics, logs and bot.Question.Channel.
const channelName = "slack"

// Adapter serves Slack. It is safe for concurrent use.
type Adapter struct {
	secret    string
	appToken  string
	api       *slackapi.Client
	http      *http.Client
	apiOrigin string // scheme://host of Credentials.APIURL, or ""
	apiURL    string // Web API base, ending in "/"
	token     string // bot token, for the calls made without slack-go (post.go)
	bot       bot.Answerer
	dedupe    bot.Deduper
	pool      *work.Pool
	limiter   *ratelimit.Limiter
	metrics   *metrics.Metrics
	log       *slog.Logger
	now       func() time.Time
	urls      *responseURLs
	caller    adapter.Caller
	unread    *adapter.Throttle // log lines about payloads slack-go cannot read
	shedLog   *adapter.Throttle // log lines about events shed under overload
	locales   *adapter.Locales  // people's languages from users.info
	notices   *adapter.Throttle // rate-limit and busy notices, once a minute a person
	notify    *notifier         // busy notices sent beside a full pool
	cards     *cardMemo         // programme cards as rendered

	staffChannel string
	insights     Insights
	handoff      Handoff

	// Tuning, fixed by New; tests in this package shorten it.
	quick time.Duration // how long a slash command waits for its answer before acknowledging without it
}

// New checks the configuration and builds the Web API client. It makes no
// network call.
func New(cfg Config) (*Adapter, error) {
	var errs []error
	if cfg.BotToken == "" {
		errs = append(errs, errors.New("no bot token"))
	}
	if cfg.SigningSecret == "" && cfg.AppToken == "" {
		errs = append(errs, errors.New("no signing secret (or app-level token for Socket Mode)"))
	}
	errs = append(errs, cfg.Deps.Check(adapter.Needs{Dedupe: true, Pool: true}))
	apiURL := cfg.APIURL
	if apiURL != "" && !strings.HasSuffix(apiURL, "/") {
		apiURL += "/" // slack-go joins method names onto it
	}
	var origin string
	if apiURL != "" {
		u, err := url.Parse(apiURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("API URL %q is not an absolute http(s) URL", cfg.APIURL))
		} else {
			origin = u.Scheme + "://" + u.Host
		}
	}
	if cfg.StaffChannel != "" && !StaffChannelID(cfg.StaffChannel) {
		errs = append(errs, fmt.Errorf("staff channel %q is not a channel id (C…)", cfg.StaffChannel))
	}
	if h := cfg.Handoff; h.Channel != "" && (!StaffChannelID(h.Channel) || h.Desk == nil) {
		errs = append(errs, fmt.Errorf("handoff channel %q: want a channel id (C… or G…) and a desk", h.Channel))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("slack: %w", err)
	}
	d := cfg.Deps.WithDefaults()
	log := d.Logger.With("channel", channelName)
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	opts := []slackapi.Option{
		slackapi.OptionHTTPClient(d.HTTPClient),
		slackapi.OptionLog(debugLog{log}),
	}
	if apiURL != "" {
		opts = append(opts, slackapi.OptionAPIURL(apiURL))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slackapi.OptionAppLevelToken(cfg.AppToken))
	}
	return &Adapter{
		secret: cfg.SigningSecret, appToken: cfg.AppToken,
		api: slackapi.New(cfg.BotToken, opts...), http: d.HTTPClient, apiOrigin: origin,
		apiURL: cmp.Or(apiURL, slackapi.APIURL), token: cfg.BotToken,
		bot: d.Bot, dedupe: d.Dedupe, pool: d.Pool, limiter: d.Limiter,
		metrics: d.Metrics, log: log, now: now,
		urls:    newResponseURLs(now),
		caller:  adapter.Caller{Platform: channelName, Policy: adapter.DefaultPolicy, Metrics: d.Metrics, Now: now},
		unread:  adapter.NewThrottle(time.Minute, now),
		shedLog: adapter.NewThrottle(time.Minute, now),
		locales: adapter.NewLocales(channelName, d.Metrics, now),
		notices: adapter.NewThrottleSize(noticeEvery, maxNoticeKeys, now),
		notify:  newNotifier(),
		cards:   newCardMemo(),
		quick:   quickReply,

		staffChannel: cfg.StaffChannel, insights: cfg.Insights, handoff: cfg.Handoff,
	}, nil
}

// debugLog passes slack-go's own log lines to slog at debug level.
type debugLog struct{ l *slog.Logger }

func (d debugLog) Output(_ int, s string) error {
	d.l.Debug("slack-go", "msg", s)
	return nil
}

// Errors the transports turn into a status or a missing acknowledgement.
var (
	// errBusy: the work pool refused the job; Slack should try again.
	errBusy = errors.New("slack: busy")
	// errShed: both work queues were full; the event is acknowledged
	// and not answered (a busy notice may say so).
	errShed = errors.New("slack: overloaded, event shed")
)

// slackID reports whether s looks like one of Slack's ids (users, teams,
// channels): 1 to 32 of [A-Z0-9], safe to put in a key or a <@…>
// mention. (A loop: it is called a few times an event, and a regular
// expression cost a microsecond each time.)
func slackID(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// conversation keys a person's dialog state. In a channel the state is the
// person's own in that channel ("more" follows what they asked there); in
// a DM, the App Home and anywhere without a channel it is the person's.
func conversation(team, user, channel string) string {
	key := "slack:" + team + ":" + user
	if channel != "" && !isDM(channel) {
		key += ":" + channel
	}
	return key
}

// person keys the rate limiter: one budget per person, wherever they ask.
func person(team, user string) string { return "slack:" + team + ":" + user }

// isDM reports whether a channel id is a direct message with the bot.
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// logKey is the context key of a request's logger.
type logKey struct{}

// withLogger returns ctx carrying l for the request's log lines.
func withLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, logKey{}, l)
}

// logger is the request's logger: the adapter's, with the request's
// attributes (Socket Mode adds its envelope id; over HTTP the server's
// handler adds the request id from the context).
func (a *Adapter) logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(logKey{}).(*slog.Logger); ok {
		return l
	}
	return a.log
}

// submit queues a job that outlives the request. The job's context keeps
// the request's values (its request id) but not its cancellation: it ends
// at jobTimeout or when the pool's shutdown deadline passes. It also
// carries the pool's job, so that call can detach it (work.Detach).
func (a *Adapter) submit(ctx context.Context, job func(ctx context.Context)) error {
	err := a.pool.Submit(a.jobFunc(ctx, job))
	if err != nil {
		a.metrics.Backpressure(channelName, metrics.ReasonQueue)
		a.logger(ctx).WarnContext(ctx, "work queue refused a job", "err", err)
		return errBusy
	}
	return nil
}

// jobFunc wraps job for the pool: its context keeps ctx's values (the
// request id) but not its cancellation, ends at jobTimeout or when the
// pool's shutdown deadline passes, and carries the pool's job for
// work.Detach.
func (a *Adapter) jobFunc(ctx context.Context, job func(ctx context.Context)) work.Job {
	values := context.WithoutCancel(ctx)
	return func(poolCtx context.Context) {
		ctx, cancel := context.WithTimeout(work.WithJob(values, poolCtx), jobTimeout)
		defer cancel()
		stop := context.AfterFunc(poolCtx, cancel)
		defer stop()
		job(ctx)
	}
}

// firstSeen reports whether key is new to the shared de-duplication store.
// A store that fails lets the job run: answering twice is better than
// never.
func (a *Adapter) firstSeen(ctx context.Context, key string) bool {
	first, err := a.dedupe.FirstSeen(ctx, key)
	if err != nil {
		a.logger(ctx).WarnContext(ctx, "de-duplication store unavailable", "err", err)
		return true
	}
	if !first {
		a.metrics.Duplicate(channelName)
		a.logger(ctx).InfoContext(ctx, "duplicate delivery skipped", "key", bot.HashID(key))
	}
	return first
}

// allow takes a token from the person's rate limit.
func (a *Adapter) allow(ctx context.Context, team, user string) bool {
	if a.limiter.Allow(person(team, user)) {
		return true
	}
	a.metrics.Backpressure(channelName, metrics.ReasonRateLimit)
	a.logger(ctx).InfoContext(ctx, "rate limited", "user", bot.HashID(user))
	return false
}

// answer asks the bot, logging a failure; ok is false when there is no
// answer to send.
func (a *Adapter) answer(ctx context.Context, q bot.Question) (bot.Answer, bool) {
	q.Channel = channelName
	ans, err := a.bot.Answer(ctx, q)
	if err != nil {
		a.metrics.Failed(channelName, metrics.ReasonAnswer)
		a.logger(ctx).ErrorContext(ctx, "no answer", "conv", bot.HashID(q.Conversation), "err", err)
		return bot.Answer{}, false
	}
	return ans, true
}
