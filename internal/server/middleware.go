package server

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/supportbot/supportbot/internal/metrics"
)

// quietRoutes are polled by probes and scrapers; their access lines are
// logged at debug so they do not drown the rest.
var quietRoutes = map[string]bool{routeHealth: true, routeReady: true, routeMetrics: true}

// observe gives the request an id (kept from X-Request-Id when it is a
// plain token, so a load balancer's id follows the request), writes one
// access line and counts the request by route. The route is the mux
// pattern, never the raw path, so neither logs nor metrics see ids or
// arbitrary strings.
func observe(log *slog.Logger, m *metrics.Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !plainToken(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(WithRequestID(r.Context(), id))
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		route := r.Pattern // set by the mux on this same *Request
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		m.Request(route, status, d)
		level := slog.LevelInfo
		if quietRoutes[route] {
			level = slog.LevelDebug
		}
		// One line for every request, made without boxing its numbers, and
		// handed to the handler as a record: the logger's methods look up
		// their caller's program counter (runtime.Callers) for a source
		// the handler never writes.
		ctx := r.Context()
		if h := log.Handler(); h.Enabled(ctx, level) {
			line := slog.NewRecord(time.Now(), level, "request", 0)
			line.AddAttrs(slog.String("method", r.Method), slog.String("route", route),
				slog.Int("status", status), slog.Int64("bytes", rec.bytes), slog.Float64("ms", float64(d.Microseconds())/1000))
			_ = h.Handle(ctx, line) // as the logger's methods, a failed write is not the request's
		}
	})
}

// plainToken reports whether s is 1 to 64 characters of [A-Za-z0-9._-].
func plainToken(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// recoverPanics turns a panicking handler into a 500 and an error log with
// the stack, so one bad request never takes the process down.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v) // the server's own signal to drop the connection
			}
			log.ErrorContext(r.Context(), "panic serving request", "panic", v, "stack", string(debug.Stack()))
			if rec, ok := w.(*recorder); !ok || rec.status == 0 {
				writeJSONError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody caps every request body; handlers that want less set their
// own limit too.
func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			writeJSONError(w, http.StatusRequestEntityTooLarge, "request body is too large")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets headers every response should carry.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush passes flushes through.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
