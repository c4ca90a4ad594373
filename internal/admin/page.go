package admin

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates are parsed once; html/template escapes everything they show.
var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"pct": formatPct,
}).ParseFS(templateFS, "templates/*.html"))

// formatPct writes a score as a percentage: 0.953 → 95.3%, 1 → 100%.
func formatPct(f float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f*100), ".0") + "%"
}

// handleIndex serves GET /admin/: the knowledge status and the reload
// button. The insights page of the question log builds on it.
func (a *Admin) handleIndex() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.render(w, r, http.StatusOK, "index.html", struct {
			K    KnowledgeStatus
			CSRF string
		}{a.k.KnowledgeStatus(r.Context()), a.csrfToken(r)})
	})
}

func (a *Admin) renderLogin(w http.ResponseWriter, r *http.Request, code int, failed bool) {
	a.render(w, r, code, "login.html", struct{ Failed bool }{failed})
}

// render executes a template into a buffer first, so that a failure is a
// clean 500 rather than half a page.
func (a *Admin) render(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		a.log.ErrorContext(r.Context(), "admin: render", "template", name, "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(b.Bytes())
}
