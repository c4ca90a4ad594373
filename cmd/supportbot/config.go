package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/supportbot/supportbot/internal/admin"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/line"
	"github.com/supportbot/supportbot/internal/questionlog"
	"github.com/supportbot/supportbot/internal/slack"
	"github.com/supportbot/supportbot/internal/staff"
)

// config is what `supportbot serve` is configured with. Every field comes
// from one row of settings: an environment variable with a flag
// equivalent (the flag wins), and a default that works with nothing set.
type config struct {
	Addr          string
	KnowledgeDir  string
	KnowledgePoll time.Duration // 0: not watched
	LogLevel      slog.Level
	LogFormat     string // auto, text or json
	PprofAddr     string // host:port of the profiler, "" when off
	AdminToken    string

	RedisURL     string
	RedisTimeout time.Duration

	// The database and the question log.
	DataDir         string
	DatabaseURL     string
	LogHashKey      string
	QuestionLog     bool
	QuestionLogDays int

	// The channels' credentials: each adapter defines what "enabled" and
	// "half configured" mean for its own.
	LINE  line.Credentials
	Slack slack.Credentials

	// The staff's Slack channel and the weekly digest posted there.
	StaffChannel     string
	InsightsSchedule staff.Schedule // zero: no weekly digest
	// Handoff to the staff: on when HandoffChannel is set.
	HandoffChannel  string
	HandoffHours    handoff.Hours
	handoffSpec     string   // HANDOFF_HOURS as given, parsed with the holidays
	handoffHolidays []string // HANDOFF_HOLIDAYS
	HandoffRemind   time.Duration

	ShutdownTimeout time.Duration
	StateTTL        time.Duration
	DedupeTTL       time.Duration
	Workers         int
	QueueSize       int
	RateLimit       float64
	RateBurst       int
	WebInflight     int
	OutboundPending int
	MaxBody         int64
	OutboundTimeout time.Duration
}

// setting is one row of the configuration table.
type setting struct {
	Env, Flag, Default, Help string
	// Secret values are never printed, logged or shown as flag defaults.
	Secret bool
	set    func(c *config, v string) error
}

// settings is the configuration table; the README's table is generated
// from it (go test ./cmd/supportbot -run README -update).
var settings = []setting{
	{Env: "PORT", Flag: "addr", Default: ":8080",
		Help: "Port (PORT=8080) or address (--addr=127.0.0.1:8080) to listen on.",
		set: func(c *config, v string) error {
			if isDigits(v) {
				v = ":" + v
			}
			if !strings.Contains(v, ":") {
				return fmt.Errorf("%q is neither a port nor host:port", v)
			}
			c.Addr = v
			return nil
		}},
	{Env: "KNOWLEDGE_DIR", Flag: "knowledge", Default: "",
		Help: "Load the knowledge base from this directory instead of the one built in, and publish its changes without a restart (README: Publishing the knowledge).",
		set:  func(c *config, v string) error { c.KnowledgeDir = v; return nil }},
	{Env: "KNOWLEDGE_POLL", Flag: "knowledge-poll", Default: "2s",
		Help: "With KNOWLEDGE_DIR: how often to look for changes (names, sizes, times); a change is published once it has stayed the same for one more look and passed its checks. off: only SIGHUP and POST /admin/reload.",
		set: func(c *config, v string) error {
			if v == "off" || v == "0" {
				c.KnowledgePoll = 0
				return nil
			}
			return durationSetter(func(c *config) *time.Duration { return &c.KnowledgePoll })(c, v)
		}},
	{Env: "ADMIN_TOKEN", Flag: "admin-token", Default: "", Secret: true,
		Help: "Turns on /admin (the insights page, knowledge status and reload; a login form or Authorization: Bearer) for whoever has it; at least 16 characters (openssl rand -hex 32). Empty: every /admin path is 404.",
		set: func(c *config, v string) error {
			if v != "" && len(v) < admin.MinTokenLen {
				return plainError(fmt.Sprintf("shorter than %d characters", admin.MinTokenLen))
			}
			c.AdminToken = v
			return nil
		}},
	{Env: "LOG_LEVEL", Flag: "log-level", Default: "info",
		Help: "debug, info, warn or error. Message text is logged at debug only.",
		set:  func(c *config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) }},
	{Env: "LOG_FORMAT", Flag: "log-format", Default: "auto",
		Help: "auto, text or json. auto writes text lines on a terminal and JSON lines otherwise (a pipe, a file, a container's log).",
		set: func(c *config, v string) error {
			switch v {
			case "auto", "text", "json":
				c.LogFormat = v
				return nil
			}
			return fmt.Errorf("%q is not auto, text or json", v)
		}},
	{Env: "PPROF_ADDR", Flag: "pprof-addr", Default: "",
		Help: "Serve Go's profiler (/debug/pprof/) on this address, apart from the public port: a port alone (6060 or :6060) listens on 127.0.0.1 only. Empty: off. Profiles show code paths and memory, never message text, but keep it off the internet.",
		set: func(c *config, v string) error {
			addr, err := pprofAddr(v)
			c.PprofAddr = addr
			return err
		}},
	{Env: "REDIS_URL", Flag: "redis-url", Default: "", Secret: true,
		Help: "Share conversation state and event de-duplication between replicas (redis://[:password@]host:6379/0). Empty: in memory.",
		set:  func(c *config, v string) error { c.RedisURL = v; return nil }},
	{Env: "REDIS_TIMEOUT", Flag: "redis-timeout", Default: "500ms",
		Help: "Timeout of one Redis call.",
		set:  durationSetter(func(c *config) *time.Duration { return &c.RedisTimeout })},
	{Env: "DATA_DIR", Flag: "data-dir", Default: "./data",
		Help: "Directory of the embedded SQLite database (supportbot.db) that keeps the question log and the handoff tickets, when DATABASE_URL is unset. Created if missing.",
		set:  func(c *config, v string) error { c.DataDir = v; return nil }},
	{Env: "DATABASE_URL", Flag: "database-url", Default: "", Secret: true,
		Help: "PostgreSQL for the question log and the handoff tickets, shared by replicas (postgres://user:password@host:5432/db?sslmode=require). Empty: SQLite under DATA_DIR. A database that is down never stops answers.",
		set: func(c *config, v string) error {
			if v != "" && !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
				return errors.New("want a postgres:// URL")
			}
			c.DatabaseURL = v
			return nil
		}},
	{Env: "LOG_HASH_KEY", Flag: "log-hash-key", Default: "", Secret: true,
		Help: "Key of the HMAC-SHA256 that stands for conversations in the question log and signs the 👍/👎 buttons; at least 16 characters (openssl rand -hex 32). Empty: generated once and kept in the database.",
		set: func(c *config, v string) error {
			if v != "" && len(v) < questionlog.MinKey {
				return fmt.Errorf("shorter than %d characters", questionlog.MinKey)
			}
			c.LogHashKey = v
			return nil
		}},
	{Env: "QUESTION_LOG", Flag: "question-log", Default: "on",
		Help: "on: log every question (redacted) with its outcome, and ask for 👍/👎 on programme answers. off: log nothing, no 👍/👎, no database.",
		set: func(c *config, v string) error {
			switch v {
			case "on":
				c.QuestionLog = true
			case "off":
				c.QuestionLog = false
			default:
				return fmt.Errorf("%q is neither on nor off", v)
			}
			return nil
		}},
	{Env: "QUESTION_LOG_DAYS", Flag: "question-log-days", Default: "90",
		Help: "Questions and votes older than this many days are deleted, hourly.",
		set:  intSetter(func(c *config) *int { return &c.QuestionLogDays })},
	{Env: "LINE_CHANNEL_SECRET", Flag: "line-channel-secret", Default: "", Secret: true,
		Help: "LINE channel secret: verifies webhook signatures. With the access token, serves POST /line/webhook.",
		set:  func(c *config, v string) error { c.LINE.ChannelSecret = v; return nil }},
	{Env: "LINE_CHANNEL_ACCESS_TOKEN", Flag: "line-channel-access-token", Default: "", Secret: true,
		Help: "LINE channel access token (long-lived) for replies.",
		set:  func(c *config, v string) error { c.LINE.AccessToken = v; return nil }},
	{Env: "LINE_API_BASE_URL", Flag: "line-api-base-url", Default: "",
		Help: "LINE Messaging API base URL; empty: LINE's own. Tests point it at a stand-in.",
		set:  urlSetter(func(c *config) *string { return &c.LINE.APIBaseURL })},
	{Env: "SLACK_SIGNING_SECRET", Flag: "slack-signing-secret", Default: "", Secret: true,
		Help: "Slack signing secret: verifies requests. With the bot token, serves POST /slack/events, /slack/commands, /slack/interactions.",
		set:  func(c *config, v string) error { c.Slack.SigningSecret = v; return nil }},
	{Env: "SLACK_BOT_TOKEN", Flag: "slack-bot-token", Default: "", Secret: true,
		Help: "Slack bot token (xoxb-…) for replies.",
		set:  func(c *config, v string) error { c.Slack.BotToken = v; return nil }},
	{Env: "SLACK_APP_TOKEN", Flag: "slack-app-token", Default: "", Secret: true,
		Help: "Slack app-level token (xapp-…): receive events over Socket Mode instead of HTTP.",
		set:  func(c *config, v string) error { c.Slack.AppToken = v; return nil }},
	{Env: "SLACK_API_URL", Flag: "slack-api-url", Default: "",
		Help: "Slack Web API base URL; empty: Slack's own. Tests point it at a stand-in.",
		set:  urlSetter(func(c *config) *string { return &c.Slack.APIURL })},
	{Env: "SLACK_STAFF_CHANNEL", Flag: "slack-staff-channel", Default: "",
		Help: "Id (C…) of the staff's Slack channel, the bot invited to it: the weekly digest of the question log and every refused knowledge reload are posted there, and /support insights answers there only (README: For the staff).",
		set: func(c *config, v string) error {
			if v != "" && !slack.StaffChannelID(v) {
				return fmt.Errorf("%q is not a channel id such as C0123ABCDEF (a name such as #staff will not do)", v)
			}
			c.StaffChannel = v
			return nil
		}},
	{Env: "INSIGHTS_SCHEDULE", Flag: "insights-schedule", Default: "Mon 09:00 Asia/Tokyo",
		Help: "When the weekly digest of the seven days before goes to SLACK_STAFF_CHANNEL: weekday, time and time zone, such as Fri 17:30 Asia/Tokyo; once a week across replicas. off: no digest (refused reloads and /support insights stay).",
		set: func(c *config, v string) error {
			if v == "off" {
				c.InsightsSchedule = staff.Schedule{}
				return nil
			}
			s, err := staff.ParseSchedule(v)
			c.InsightsSchedule = s
			return err
		}},
	{Env: "SLACK_HANDOFF_CHANNEL", Flag: "slack-handoff-channel", Default: "",
		Help: "Slack channel id (C… or G…) where people who ask for a person are handed to the staff: tickets are posted there and replies in their threads reach the person on LINE or the web chat (README: Talking to a person). Needs Slack (bot token, and events over HTTP or Socket Mode) and the bot in the channel. Empty: no handoff.",
		set: func(c *config, v string) error {
			if v != "" && !slack.StaffChannelID(v) {
				return fmt.Errorf("%q is not a channel id such as C0123ABCD (the channel's details show it)", v)
			}
			c.HandoffChannel = v
			return nil
		}},
	{Env: "HANDOFF_HOURS", Flag: "handoff-hours", Default: "always",
		Help: "The staff's hours, e.g. \"Mon-Fri 09:00-17:00 Asia/Tokyo\" (rules separated by ;, the time zone last). Outside them a ticket is still opened and the person is told when to expect an answer.",
		set:  func(c *config, v string) error { c.handoffSpec = v; return nil }},
	{Env: "HANDOFF_HOLIDAYS", Flag: "handoff-holidays", Default: "",
		Help: "Dates the staff are off, comma-separated (2026-12-29,2026-12-30), in the zone of HANDOFF_HOURS.",
		set: func(c *config, v string) error {
			c.handoffHolidays = nil
			for _, d := range strings.Split(v, ",") {
				if d = strings.TrimSpace(d); d != "" {
					c.handoffHolidays = append(c.handoffHolidays, d)
				}
			}
			return nil
		}},
	{Env: "HANDOFF_REMIND", Flag: "handoff-remind", Default: "15m",
		Help: "A ticket nobody took is bumped in its thread after this much of the staff's hours, and again after each further interval (three times at most). off: never.",
		set: func(c *config, v string) error {
			if v == "off" || v == "0" {
				c.HandoffRemind = 0
				return nil
			}
			return durationSetter(func(c *config) *time.Duration { return &c.HandoffRemind })(c, v)
		}},
	{Env: "SHUTDOWN_TIMEOUT", Flag: "shutdown-timeout", Default: "20s",
		Help: "On SIGTERM, how long to finish in-flight requests and replies before giving up.",
		set:  durationSetter(func(c *config) *time.Duration { return &c.ShutdownTimeout })},
	{Env: "STATE_TTL", Flag: "state-ttl", Default: "30m",
		Help: "A conversation idle this long starts afresh (\"more\" and numbers refer to the last answer until then).",
		set:  durationSetter(func(c *config) *time.Duration { return &c.StateTTL })},
	{Env: "DEDUPE_TTL", Flag: "dedupe-ttl", Default: "20m",
		Help: "How long a LINE or Slack event id is remembered to ignore redeliveries (deploy/line/README.md says why not less than 20m).",
		set:  durationSetter(func(c *config) *time.Duration { return &c.DedupeTTL })},
	{Env: "WORKERS", Flag: "workers", Default: "auto",
		Help: "Workers computing answers to platform events after the webhook is acknowledged; auto is twice the CPUs the process may use (GOMAXPROCS). Replies are sent off the workers (OUTBOUND_PENDING); more workers than that only lengthen webhook acknowledgements.",
		set: func(c *config, v string) error {
			if v == "auto" {
				c.Workers = 2 * runtime.GOMAXPROCS(0)
				return nil
			}
			return intSetter(func(c *config) *int { return &c.Workers })(c, v)
		}},
	{Env: "QUEUE_SIZE", Flag: "queue-size", Default: "1024",
		Help: "Platform events waiting for a worker. Beyond it LINE webhooks get 503 and LINE redelivers; Slack events are still acknowledged and wait in an overflow queue of the same size, beyond which they are shed with a short busy notice.",
		set:  intSetter(func(c *config) *int { return &c.QueueSize })},
	{Env: "OUTBOUND_PENDING", Flag: "outbound-pending", Default: "1024",
		Help: "Replies to LINE and Slack being sent or waiting to retry, beside the workers; beyond it a worker holds on to its reply and the queue fills.",
		set:  intSetter(func(c *config) *int { return &c.OutboundPending })},
	{Env: "RATE_LIMIT", Flag: "rate-limit", Default: "1",
		Help: "Messages per second one conversation may send, after its burst.",
		set: func(c *config, v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 {
				return fmt.Errorf("%q is not a positive number", v)
			}
			c.RateLimit = f
			return nil
		}},
	{Env: "RATE_BURST", Flag: "rate-burst", Default: "10",
		Help: "Messages one conversation may send at once.",
		set:  intSetter(func(c *config) *int { return &c.RateBurst })},
	{Env: "WEB_INFLIGHT", Flag: "web-inflight", Default: "64",
		Help: "Web chat answers computed at once; more wait briefly, then get 503.",
		set:  intSetter(func(c *config) *int { return &c.WebInflight })},
	{Env: "MAX_BODY", Flag: "max-body", Default: "1048576",
		Help: "Largest request body in bytes (the web chat allows 64 KiB).",
		set: func(c *config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1024 {
				return fmt.Errorf("%q is not a byte count of at least 1024", v)
			}
			c.MaxBody = n
			return nil
		}},
	{Env: "OUTBOUND_TIMEOUT", Flag: "outbound-timeout", Default: "10s",
		Help: "Timeout of one call to the LINE or Slack API.",
		set:  durationSetter(func(c *config) *time.Duration { return &c.OutboundTimeout })},
}

// loadConfig reads the settings from flags, then the environment, then
// the defaults, and checks that each channel is configured whole or not
// at all.
func loadConfig(env *environment, name string, args []string) (config, error) {
	fl := flag.NewFlagSet(name, flag.ContinueOnError)
	fl.SetOutput(env.stderr)
	vals := make([]*string, len(settings))
	for i, s := range settings {
		help := fmt.Sprintf("%s (env %s", s.Help, s.Env)
		if s.Default != "" {
			help += ", default " + s.Default
		}
		vals[i] = fl.String(s.Flag, "", help+")")
	}
	fl.Usage = func() {
		fmt.Fprintf(env.stderr, "usage: supportbot %s [flags]\n\nEvery flag has an environment variable; the flag wins.\n\n", name)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config{}, err
		}
		return config{}, usageError{err.Error()}
	}
	if fl.NArg() > 0 {
		return config{}, usageError{fmt.Sprintf("%s: unexpected argument %q", name, fl.Arg(0))}
	}
	given := map[string]bool{}
	fl.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var c config
	var errs []error
	for i, s := range settings {
		v, from := s.Default, "default"
		if e := env.getenv(s.Env); e != "" {
			v, from = e, s.Env
		}
		if given[s.Flag] {
			v, from = *vals[i], "--"+s.Flag
		}
		if err := s.set(&c, v); err != nil {
			if s.Secret && !errors.As(err, new(plainError)) {
				errs = append(errs, fmt.Errorf("%s: invalid value", from))
			} else {
				errs = append(errs, fmt.Errorf("%s: %w", from, err))
			}
		}
	}
	errs = append(errs, c.checkChannels()...)
	errs = append(errs, c.checkHandoff()...)
	switch len(errs) {
	case 0:
		return c, nil
	case 1:
		return config{}, fmt.Errorf("configuration: %w", errs[0])
	}
	msgs := make([]string, len(errs))
	for i, err := range errs {
		msgs[i] = err.Error()
	}
	return config{}, fmt.Errorf("configuration: %d problems:\n  %s", len(errs), strings.Join(msgs, "\n  "))
}

// checkChannels refuses a channel that is configured in part: a secret
// without its token would otherwise start a server that silently ignores
// the channel, or verifies requests it can never answer.
func (c config) checkChannels() []error {
	var errs []error
	for _, err := range []error{c.LINE.Check(), c.Slack.Check()} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if c.StaffChannel != "" && !c.Slack.Enabled() {
		errs = append(errs, errors.New("SLACK_STAFF_CHANNEL is set but Slack is not: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN"))
	}
	return errs
}

// checkHandoff parses the staff's hours and refuses a handoff channel
// without the Slack app that would post its tickets and hear its replies.
func (c *config) checkHandoff() []error {
	var errs []error
	h, err := handoff.ParseHours(c.handoffSpec, c.handoffHolidays)
	if err != nil {
		errs = append(errs, fmt.Errorf("HANDOFF_HOURS: %w", err))
	}
	c.HandoffHours = h
	if c.HandoffChannel != "" && !(c.Slack.HTTP() || c.Slack.SocketMode()) {
		errs = append(errs, errors.New("SLACK_HANDOFF_CHANNEL is set but Slack is not: the staff's side needs SLACK_BOT_TOKEN, and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN to hear their replies"))
	}
	return errs
}

// LogValue describes the configuration for the start-up log without any
// secret: only whether each is set.
func (c config) LogValue() slog.Value {
	slack := "off"
	switch {
	case c.Slack.HTTP() && c.Slack.SocketMode():
		slack = "http+socket"
	case c.Slack.SocketMode():
		slack = "socket"
	case c.Slack.HTTP():
		slack = "http"
	}
	knowledge := "embedded"
	if c.KnowledgeDir != "" {
		knowledge = c.KnowledgeDir
	}
	database := "sqlite:" + c.DataDir
	switch {
	case !c.QuestionLog && c.HandoffChannel == "":
		database = "none"
	case c.DatabaseURL != "":
		database = "postgres"
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("knowledge", knowledge),
		slog.String("knowledge_poll", c.KnowledgePoll.String()),
		slog.Bool("admin", c.AdminToken != ""),
		slog.String("pprof", cmp.Or(c.PprofAddr, "off")),
		slog.Bool("redis", c.RedisURL != ""),
		slog.String("database", database),
		slog.Bool("question_log", c.QuestionLog),
		slog.Int("question_log_days", c.QuestionLogDays),
		slog.Bool("log_hash_key", c.LogHashKey != ""),
		slog.Bool("line", c.LINE.Enabled()),
		slog.String("slack", slack),
		slog.Bool("staff_channel", c.StaffChannel != ""),
		slog.String("insights_schedule", c.InsightsSchedule.String()),
		slog.Bool("handoff", c.HandoffChannel != ""),
		slog.String("handoff_hours", c.HandoffHours.String()),
		slog.Int("handoff_holidays", len(c.handoffHolidays)),
		slog.String("handoff_remind", c.HandoffRemind.String()),
		slog.String("shutdown_timeout", c.ShutdownTimeout.String()),
		slog.String("state_ttl", c.StateTTL.String()),
		slog.String("dedupe_ttl", c.DedupeTTL.String()),
		slog.Int("workers", c.Workers),
		slog.Int("queue_size", c.QueueSize),
		slog.Int("outbound_pending", c.OutboundPending),
		slog.Float64("rate_limit", c.RateLimit),
		slog.Int("rate_burst", c.RateBurst),
	)
}

// plainError is a setter's error that quotes nothing of the value, so
// that it can be shown for a secret too.
type plainError string

func (e plainError) Error() string { return string(e) }

func durationSetter(field func(*config) *time.Duration) func(*config, string) error {
	return func(c *config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("%q is not a positive duration such as 30s or 10m", v)
		}
		*field(c) = d
		return nil
	}
}

func intSetter(field func(*config) *int) func(*config, string) error {
	return func(c *config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a positive whole number", v)
		}
		*field(c) = n
		return nil
	}
}

func urlSetter(field func(*config) *string) func(*config, string) error {
	return func(c *config, v string) error {
		if v != "" {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("%q is not an http(s) URL", v)
			}
		}
		*field(c) = v
		return nil
	}
}

// pprofAddr reads PPROF_ADDR: "" (off), a port, or host:port. An
// address without a host listens on the loopback interface, so that
// turning the profiler on never exposes it by accident.
func pprofAddr(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if isDigits(v) {
		v = ":" + v
	}
	host, port, err := net.SplitHostPort(v)
	if err != nil || !isDigits(port) {
		return "", fmt.Errorf("%q is neither a port nor host:port", v)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
