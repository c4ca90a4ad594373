package server

import (
	"net/http"

	"github.com/supportbot/supportbot/internal/web"
)

// The routes, as metrics and access logs name them.
const (
	routeHealth  = "GET /healthz"
	routeReady   = "GET /readyz"
	routeMetrics = "GET /metrics"
)

// addRoutes lists the whole HTTP surface. A channel whose settings are
// absent mounts nothing: its paths answer 404.
func addRoutes(mux *http.ServeMux, d Deps) {
	mux.Handle("GET /{$}", web.Page())
	mux.Handle("GET /static/", web.Static())
	mux.Handle("POST /api/chat", web.Chat(web.Config{
		Bot: d.Bot, Limiter: d.Limiter, Logger: d.Logger, Metrics: d.Metrics, Inflight: d.WebInflight,
	}))

	mux.Handle(routeHealth, handleHealth())
	mux.Handle(routeReady, handleReady(d.Logger, d.Checks))
	mux.Handle(routeMetrics, handleMetrics(d.Gatherer, d.Logger))

	if c := d.Channels; c.Line != nil {
		mux.Handle("POST /line/webhook", c.Line)
	}
	if c := d.Channels; c.SlackEvents != nil {
		mux.Handle("POST /slack/events", c.SlackEvents)
		mux.Handle("POST /slack/commands", c.SlackCommands)
		mux.Handle("POST /slack/interactions", c.SlackInteractions)
	}
}
