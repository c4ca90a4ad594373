package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// handleKnowledge serves GET /admin/knowledge: the knowledge status as
// JSON.
func (a *Admin) handleKnowledge() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, a.k.KnowledgeStatus(r.Context()))
	})
}

// reloadStatus maps a reload's result to the response status: a refused
// version is 422, so that `curl --fail` fails on it.
var reloadStatus = map[string]int{
	"ok":        http.StatusOK,
	"unchanged": http.StatusOK,
	"refused":   http.StatusUnprocessableEntity,
	"canceled":  http.StatusServiceUnavailable,
}

// handleReload serves POST /admin/reload. The reload runs to its end even
// if the client goes away: half a reload helps no one, and its outcome is
// in the status either way. A form posted from the admin page is sent
// back to the page, which shows the outcome; anything else gets it as
// JSON.
func (a *Admin) handleReload() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithoutCancel(r.Context())
		res, err := a.k.Reload(ctx)
		switch {
		case errors.Is(err, ErrNotReloadable):
			writeError(w, http.StatusConflict, "no KNOWLEDGE_DIR: the embedded knowledge cannot be reloaded")
			return
		case err != nil:
			a.log.ErrorContext(ctx, "admin: reload failed", "err", err)
			writeError(w, http.StatusInternalServerError, "reload failed")
			return
		}
		a.log.InfoContext(ctx, "admin: reload", "client", clientAddr(r), "result", res.Result, "version", res.Version)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			// Back to the page in its language and period, which the
			// form's address carries; the page shows the outcome.
			http.Redirect(w, r, pageURL(langOf(r), periodOf(r)), http.StatusSeeOther)
			return
		}
		code, ok := reloadStatus[res.Result]
		if !ok {
			code = http.StatusOK
		}
		writeJSON(w, code, res)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v) // the client went away; nothing to do
}

// writeError writes the body every failed admin request gets.
func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
