package server

import (
	"io"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot/internal/metrics"
)

// DefaultMaxBody caps a request body when Deps.MaxBody is 0. Platform
// webhooks are a few kilobytes; LINE batches stay well under this.
const DefaultMaxBody = 1 << 20

// Handlers are the channels' HTTP surface, built by their adapters; a nil
// handler is not mounted and its path answers 404 (a channel without its
// settings).
type Handlers struct {
	Page   http.Handler // GET /: the web chat page
	Static http.Handler // GET /static/: its assets
	Chat   http.Handler // POST /api/chat: the web chat API
	Stream http.Handler // GET /api/stream: the staff's replies to the web chat (handoff)

	LINE http.Handler // POST /line/webhook

	SlackEvents       http.Handler // POST /slack/events
	SlackCommands     http.Handler // POST /slack/commands
	SlackInteractions http.Handler // POST /slack/interactions

	// Admin serves every path under /admin/ (internal/admin); nil, when
	// ADMIN_TOKEN is unset, makes them all 404. Its own mux sets the
	// route that metrics and access logs name (GET /admin/knowledge).
	Admin http.Handler
}

// Deps is what the server is built from.
type Deps struct {
	Logger  *slog.Logger
	Metrics *metrics.Metrics
	// Gatherer is served at /metrics: a private registry, not the global
	// one, so tests and several servers in one process do not collide.
	Gatherer prometheus.Gatherer
	// Checks decide readiness.
	Checks []Check
	// Handlers serve the channels.
	Handlers Handlers
	// MaxBody caps any request body (default DefaultMaxBody).
	MaxBody int64
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
