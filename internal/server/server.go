package server

import (
	"io"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/ratelimit"
)

// DefaultMaxBody caps a request body when Deps.MaxBody is 0. Platform
// webhooks are a few kilobytes; LINE batches stay well under this.
const DefaultMaxBody = 1 << 20

// Deps is what the server is built from.
type Deps struct {
	Logger  *slog.Logger
	Metrics *metrics.Metrics
	// Gatherer is served at /metrics: a private registry, not the global
	// one, so tests and several servers in one process do not collide.
	Gatherer prometheus.Gatherer
	// Bot answers the web chat; pass it through Measure first so answers
	// are counted.
	Bot bot.Answerer
	// Limiter limits how fast one conversation may ask.
	Limiter *ratelimit.Limiter
	// Checks decide readiness.
	Checks []Check
	// Channels are the configured platform adapters.
	Channels Channels
	// MaxBody caps any request body (default DefaultMaxBody).
	MaxBody int64
	// WebInflight bounds web chat answers computed at once (0: the web
	// package's default).
	WebInflight int
}

// NewServer returns supportbot's whole HTTP surface with its middleware.
func NewServer(d Deps) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if d.MaxBody <= 0 {
		d.MaxBody = DefaultMaxBody
	}
	mux := http.NewServeMux()
	addRoutes(mux, d)
	var h http.Handler = mux
	h = limitBody(d.MaxBody, h)
	h = securityHeaders(h)
	h = recoverPanics(d.Logger, h)
	h = observe(d.Logger, d.Metrics, h)
	return h
}
