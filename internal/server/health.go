package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check is one condition of readiness.
type Check struct {
	// Name is shown in the /readyz body ("knowledge", "redis").
	Name string
	// Check returns nil when the dependency is usable. It must return
	// soon after ctx ends.
	Check func(ctx context.Context) error
}

// readyTimeout bounds all checks of one /readyz request; probes time out
// after a second or a few.
const readyTimeout = 2 * time.Second

// handleHealth answers while the process serves at all (liveness): it
// checks nothing else, so a Redis outage never gets the pod restarted.
func handleHealth() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

type readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// handleReady runs every check; any failure makes the answer 503 so a load
// balancer sends traffic elsewhere. Failure details go to the debug log,
// not to the public body.
func handleReady(log *slog.Logger, checks []Check) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		out := readiness{Status: "ready", Checks: map[string]string{}}
		code := http.StatusOK
		for _, c := range checks {
			if err := c.Check(ctx); err != nil {
				log.DebugContext(ctx, "not ready", "check", c.Name, "err", err)
				out.Checks[c.Name] = "down"
				out.Status, code = "not ready", http.StatusServiceUnavailable
				continue
			}
			out.Checks[c.Name] = "ok"
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, code, out)
	})
}

// handleMetrics serves the private registry in the Prometheus format.
func handleMetrics(g prometheus.Gatherer, log *slog.Logger) http.Handler {
	if g == nil {
		g = prometheus.NewRegistry()
	}
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{
		// Most of what promhttp reports is a scraper that went away
		// mid-response; a failed gather also fails the scrape, which
		// Prometheus alerts on. Neither is an error of this server.
		ErrorLog:            slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		MaxRequestsInFlight: 4,
		Timeout:             5 * time.Second,
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to do
}

func writeJSONError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
