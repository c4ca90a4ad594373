package server

import "net/http"

// The routes, as metrics and access logs name them.
const (
	routeHealth  = "GET /healthz"
	routeReady   = "GET /readyz"
	routeMetrics = "GET /metrics"
)

// addRoutes lists the whole HTTP surface. A channel whose settings are
// absent has no handler and mounts nothing: its paths answer 404.
func addRoutes(mux *http.ServeMux, d Deps) {
	h := d.Handlers
	mount(mux, "GET /{$}", h.Page)
	mount(mux, "GET /static/", h.Static)
	mount(mux, "POST /api/chat", h.Chat)
	mount(mux, "GET /api/stream", h.Stream)

	mux.Handle(routeHealth, handleHealth())
	mux.Handle(routeReady, handleReady(d.Logger, d.Checks))
	mux.Handle(routeMetrics, handleMetrics(d.Gatherer, d.Logger))

	mount(mux, "POST /line/webhook", h.LINE)
	mount(mux, "POST /slack/events", h.SlackEvents)
	mount(mux, "POST /slack/commands", h.SlackCommands)
	mount(mux, "POST /slack/interactions", h.SlackInteractions)
	// The staff's pages and API, listed in internal/admin's routes.go;
	// /admin redirects here. Without ADMIN_TOKEN, 404.
	mount(mux, "/admin/", h.Admin)
}

func mount(mux *http.ServeMux, pattern string, h http.Handler) {
	if h != nil {
		mux.Handle(pattern, h)
	}
}
