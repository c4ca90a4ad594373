package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"

	"github.com/supportbot/supportbot/internal/bot"
)

//go:embed static
var files embed.FS

// static is the directory the page and its assets are served from.
var static, _ = fs.Sub(files, "static") // "static" exists: it is embedded above

// version changes whenever an asset does; the page asks for assets with
// it so they can be cached for long.
var version = func() string {
	h := sha256.New()
	for _, name := range []string{"app.js", "app.css"} {
		b, _ := fs.ReadFile(static, name)
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

// page is index.html with the asset version and the bot's captions (the
// words of a card's fields, bot.Caption) filled in. json.Marshal escapes
// <, > and &, so the JSON cannot end its script element.
var page = func() []byte {
	b, _ := fs.ReadFile(static, "index.html")
	captions, _ := json.Marshal(map[bot.Lang]map[bot.Caption]string{
		bot.Japanese: bot.Captions(bot.Japanese), bot.English: bot.Captions(bot.English),
	}) // maps of strings always encode
	b = bytes.ReplaceAll(b, []byte("{{captions}}"), captions)
	return bytes.ReplaceAll(b, []byte("{{version}}"), []byte(version))
}()

// csp allows the page only its own script, style and API: the bot's text
// is rendered as text, and this makes an injected script inert anyway.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Page serves the chat page at GET /.
func (a *Adapter) Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", csp)
		h.Set("Cache-Control", "no-cache")
		_, _ = w.Write(page)
	})
}

// Static serves the page's assets under /static/.
func (a *Adapter) Static() http.Handler {
	fsrv := http.StripPrefix("/static/", http.FileServerFS(static))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if name == "" || name == "index.html" || strings.HasSuffix(name, "/") {
			http.NotFound(w, r) // no directory listings; the page lives at /
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		if r.URL.Query().Get("v") == version {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		fsrv.ServeHTTP(w, r)
	})
}
