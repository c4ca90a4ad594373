package admin

import "net/http"

// routes lists the whole admin surface. Every route is rate-limited per
// client address; all but the login need a token or a session, and a
// POST with a session cookie needs its CSRF token.
func (a *Admin) routes(mux *http.ServeMux) {
	mux.Handle("GET /admin/{$}", a.page(a.handleIndex()))
	mux.Handle("GET /admin/unanswered.jsonl", a.page(a.handleUnanswered()))
	mux.Handle("GET /admin/login", a.public(a.handleLoginForm()))
	mux.Handle("POST /admin/login", a.public(a.handleLogin()))
	mux.Handle("POST /admin/logout", a.private(a.handleLogout()))
	mux.Handle("GET /admin/knowledge", a.private(a.handleKnowledge()))
	mux.Handle("POST /admin/reload", a.private(a.handleReload()))
	// Anything else under /admin is 404, to those let in only.
	mux.Handle("/admin/", a.private(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not found")
	})))
}
