package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/admin"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/inmem"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/publish"
	"github.com/supportbot/supportbot/internal/questionlog"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/redis"
	"github.com/supportbot/supportbot/internal/server"
	"github.com/supportbot/supportbot/internal/slack"
	"github.com/supportbot/supportbot/internal/work"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

// Server timeouts. Webhooks and chat messages are small and answered in
// milliseconds; these only cut off slow or stalled clients.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 90 * time.Second
	maxHeaderBytes    = 64 << 10
	// rateKeys bounds the conversations the rate limiter tracks at once.
	rateKeys = 100_000
	// logFlushEvery is how long a JSON log line may wait to be written
	// (warnings and errors are written at once).
	logFlushEvery = 200 * time.Millisecond
)

// runServe serves the web chat, the configured channels, health and
// metrics until ctx ends, then shuts down gracefully.
func runServe(env *environment, args []string) error {
	start := time.Now()
	cfg, err := loadConfig(env, "serve", args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	format := logFormat(cfg.LogFormat, env.stderr)
	out := env.stderr
	if format == server.LogJSON {
		// A collector reads JSON lines: they go in batches (a person at
		// a terminal sees each line at once).
		lb := server.NewLogBuffer(env.stderr, logFlushEvery)
		defer lb.Close()
		out = lb
	}
	log := server.NewLoggerFormat(out, cfg.LogLevel, format)
	log.Info("starting", "config", cfg)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := metrics.New(reg)

	checks := []server.Check{{Name: "knowledge", Check: func(context.Context) error { return nil }}}
	var (
		store  bot.ConversationStore
		dedupe bot.Deduper
	)
	local := inmem.NewDeduper(cfg.DedupeTTL, nil)
	stateGauge(reg, "dedupe", local.Len)
	if cfg.RedisURL == "" {
		conversations := inmem.NewConversations(cfg.StateTTL, nil)
		stateGauge(reg, "conversations", conversations.Len)
		store, dedupe = conversations, local
	} else {
		rc, err := redis.NewClient(cfg.RedisURL, cfg.RedisTimeout)
		if err != nil {
			return err
		}
		defer rc.Close()
		redis.SetLogger(log)
		br := redis.NewBreaker(log, 0)
		store = br.Conversations(redis.NewConversations(rc, cfg.StateTTL, cfg.RedisTimeout))
		dedupe = br.Deduper(redis.NewDeduper(rc, cfg.DedupeTTL, cfg.RedisTimeout), local)
		ping := br.Check(rc, cfg.RedisTimeout)
		checks = append(checks, server.Check{Name: "redis", Check: ping})
		// An unreachable Redis does not stop start-up: answers go on
		// without shared state and /readyz says why.
		if err := ping(env.ctx); err != nil {
			log.Warn("redis unreachable at start", "err", err)
		}
	}
	// The first version of the knowledge and the engine over it: this
	// loads the Japanese dictionary, the bulk of start-up time and memory.
	// Both are loaded before the port opens, so readiness needs no further
	// check of them. Later versions are swapped in by reloads.
	km := metrics.NewKnowledge(reg)
	// Every reload's outcome goes to these, in order, after the publisher
	// has recorded it: metrics now; a post to the staff's Slack channel
	// can join them.
	var reloadHooks []func(context.Context, publish.Attempt)
	pub, err := publish.Open(env.ctx, publish.Config{
		Dir: cfg.KnowledgeDir, Builtin: knowledge.FS, Seeds: seeds.FS,
		Engine: dialog.Config{Store: store, Logger: log},
		Poll:   cfg.KnowledgePoll, Logger: log,
		OnAttempt: func(ctx context.Context, a publish.Attempt) {
			for _, hook := range reloadHooks {
				hook(ctx, a)
			}
		},
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	reloadHooks = append(reloadHooks, knowledgeMetrics(km, pub))
	live := pub.Status().Live
	km.Live(live.ID, live.Source, live.Initiatives, live.LoadedAt)
	b := pub.Engine()
	if cat := b.Knowledge().Catalog(); cat != nil {
		if w, stale := cat.StaleFacts(time.Now(), catalog.DefaultMaxFactsAge); stale {
			// Answers still say "as of" this date; someone should check the facts.
			log.Warn("knowledge facts are old", "facts_checked", cat.Meta.FactsChecked, "problem", w.String())
		}
	}
	var answerer bot.Answerer = b
	var (
		qlog *questionlog.Log
		db   database
		// insights summarise the log for the admin page and the staff
		// channel, with the names of the knowledge answering now.
		insights *staffInsights
	)
	if cfg.QuestionLog || cfg.HandoffChannel != "" {
		db, err = openDatabase(env.ctx, cfg, log)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		defer db.close()
	}
	httpClient := adapter.NewHTTPClient(cfg.OutboundTimeout)
	// The handoff desk sits between the engine and the question log: the
	// log sees what the person asked, the desk what reaches the staff.
	var desk *handoff.Desk
	if cfg.HandoffChannel != "" {
		desk, err = newDesk(cfg, db, b, httpClient, metrics.NewHandoff(reg), m, log)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		answerer = desk
		log.Info("handoff on", "database", db.where, "hours", cfg.HandoffHours.String(), "remind", cfg.HandoffRemind.String())
	}
	if cfg.QuestionLog {
		d := db
		insights = &staffInsights{log: d.log, catalog: func() *catalog.Catalog { return b.Knowledge().Catalog() }}
		qlog, err = questionlog.New(questionlog.Config{
			Store: d.log, Secrets: d.secrets, Key: []byte(cfg.LogHashKey),
			Retention: time.Duration(cfg.QuestionLogDays) * 24 * time.Hour, Metrics: m, Logger: log,
		})
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		// The key is loaded before the port opens, so the first answers
		// carry 👍/👎; a database that does not answer leaves that to the
		// writer, and answers go on without them meanwhile.
		kctx, cancel := context.WithTimeout(env.ctx, migrateTimeout)
		if err := qlog.Ready(kctx); err != nil {
			log.Warn("question log key not loaded yet: no 👍/👎 until the database answers", "err", err)
		}
		cancel()
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "supportbot_question_log_pending",
			Help: "Questions and votes waiting to be written to the question log.",
		}, func() float64 { return float64(qlog.Pending()) }))
		answerer = qlog.Wrap(answerer)
		log.Info("question log on", "database", d.where, "retention_days", cfg.QuestionLogDays)
	}
	// Slack events wait in an overflow queue of the same size when the
	// queue is full: Slack must see them acknowledged (internal/slack).
	pool := work.New(cfg.Workers, cfg.QueueSize, m, work.MaxDetached(cfg.OutboundPending), work.Overflow(cfg.QueueSize), work.Logger(log))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "supportbot_outbound_pending",
		Help: "Replies to LINE and Slack being sent or waiting to retry, off the workers (at most OUTBOUND_PENDING).",
	}, func() float64 { return float64(pool.Detached()) }))
	limiter := ratelimit.New(cfg.RateLimit, cfg.RateBurst, rateKeys, nil)
	stateGauge(reg, "ratelimit", limiter.Len)

	var slackInsights slack.Insights
	if insights != nil {
		slackInsights = insights
	}
	channels, err := newChannels(cfg, adapter.Deps{
		Bot: adapter.Measure(answerer, m), Dedupe: dedupe, Pool: pool, Limiter: limiter, Metrics: m, Logger: log,
		HTTPClient: httpClient,
	}, slackInsights, desk, env.ctx.Done())
	if err != nil {
		_ = pool.Shutdown(context.Background())
		return fmt.Errorf("serve: %w", err)
	}
	var staffBackground []func(context.Context) error
	if cfg.StaffChannel != "" && channels.slack != nil {
		hook, bg := staffPosts(cfg, channels.slack, db.claims, insights, log)
		reloadHooks = append(reloadHooks, hook)
		staffBackground = bg
		log.Info("staff channel on", "insights_schedule", cfg.InsightsSchedule.String())
	}
	if cfg.AdminToken != "" {
		ac := admin.Config{Token: cfg.AdminToken, Knowledge: knowledgeAdmin{pub}, Logger: log}
		if insights != nil {
			ac.Insights = insights
		}
		a, err := admin.New(ac)
		if err != nil {
			_ = pool.Shutdown(context.Background())
			return fmt.Errorf("serve: %w", err)
		}
		channels.handlers.Admin = a.Handler()
	}
	handler := server.NewServer(server.Deps{
		Logger: log, Metrics: m, Gatherer: reg, Checks: checks, Handlers: channels.handlers, MaxBody: cfg.MaxBody,
	})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		_ = pool.Shutdown(context.Background())
		return fmt.Errorf("serve: %w", err)
	}
	svc := server.Service{
		Server: &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: readHeaderTimeout,
			ReadTimeout:       readTimeout,
			WriteTimeout:      writeTimeout,
			IdleTimeout:       idleTimeout,
			MaxHeaderBytes:    maxHeaderBytes,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
			// Request contexts do not derive from env.ctx: SIGTERM stops
			// intake, it does not cancel answers already being given.
		},
		Pool:            pool,
		ShutdownTimeout: cfg.ShutdownTimeout,
		Logger:          log,
	}
	svc.Background = append(svc.Background, channels.background...)
	svc.Background = append(svc.Background, staffBackground...)
	if qlog != nil {
		// The writer outlives the server: it stops after the last answer
		// and reply (svc.Serve drains them) and writes what they queued.
		logCtx, stopLog := context.WithCancel(context.WithoutCancel(env.ctx))
		logDone := make(chan struct{})
		go func() { defer close(logDone); _ = qlog.Run(logCtx) }()
		defer func() { stopLog(); <-logDone }()
	}
	if desk != nil {
		// Like the log's writer, the desk outlives the server: replies
		// being delivered finish, and what is left waits in the database
		// for the next start or another replica.
		deskCtx, stopDesk := context.WithCancel(context.WithoutCancel(env.ctx))
		deskDone := make(chan struct{})
		go func() { defer close(deskDone); _ = desk.Run(deskCtx) }()
		defer func() { stopDesk(); <-deskDone }()
	}
	// SIGHUP asks for a reload. Registered before the port answers, so a
	// signal sent once /healthz is up never meets the default action
	// (which ends the process).
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	svc.Background = append(svc.Background, pub.Watch, func(ctx context.Context) error {
		reloadOnSignal(ctx, hup, pub, log)
		return nil
	})
	if cfg.PprofAddr != "" {
		pln, err := net.Listen("tcp", cfg.PprofAddr)
		if err != nil {
			ln.Close()
			_ = pool.Shutdown(context.Background())
			return fmt.Errorf("serve: profiler: %w", err)
		}
		svc.Background = append(svc.Background, func(ctx context.Context) error { return server.ServeProfiler(ctx, pln, log) })
	}
	log.Info("ready", "url", chatURL(ln.Addr()), "initiatives", live.Initiatives, "knowledge", live.ID, "startup_ms", time.Since(start).Milliseconds())
	return svc.Serve(env.ctx, ln)
}

// stateGauge exports the size of an in-memory table as
// supportbot_state_entries{store}, so a soak can show that expired
// entries go and the table does not grow without bound.
func stateGauge(reg prometheus.Registerer, store string, size func() int) {
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "supportbot_state_entries",
		Help:        "Entries held in process memory by store (conversations, dedupe, ratelimit), expired ones not yet dropped included.",
		ConstLabels: prometheus.Labels{"store": store},
	}, func() float64 { return float64(size()) }))
}

// chatURL is where a person on this machine opens the web chat: the
// listening address, with localhost for an address that listens on every
// interface (":8080" gives http://localhost:8080).
func chatURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	host := tcp.IP.String()
	switch {
	case tcp.IP == nil, tcp.IP.IsUnspecified(), tcp.IP.IsLoopback() && tcp.IP.To4() == nil:
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}

// logFormat resolves LOG_FORMAT: auto is text when the log goes to a
// terminal, where a person reads it, and JSON otherwise, where a
// collector does.
func logFormat(setting string, w io.Writer) server.LogFormat {
	switch setting {
	case "text":
		return server.LogText
	case "json":
		return server.LogJSON
	}
	if isTerminal(w) {
		return server.LogText
	}
	return server.LogJSON
}

// isTerminal reports whether w is a character device: a terminal (or
// /dev/null, where the format does not matter). Pipes, files and
// sockets are not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
