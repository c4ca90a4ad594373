package admin

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"net"
	"net/http"
	"strings"
	"time"
)

// CookieName is the session cookie. It is scoped to /admin, HttpOnly,
// Secure and SameSite=Strict.
const CookieName = "supportbot_admin"

// CSRFHeader carries the CSRF token of a script-free POST made with a
// session cookie (fetch); a form sends it as the field csrf.
const CSRFHeader = "X-CSRF-Token"

// how a request was let in
type access int

const (
	denied  access = iota
	bearer         // Authorization: Bearer: a script; browsers never add it by themselves
	session        // the session cookie: a person in a browser
)

// checkToken compares a presented token with ADMIN_TOKEN in constant time:
// both are hashed to 32 bytes first, so neither the content nor the
// length of the token shows in the time taken.
func (a *Admin) checkToken(presented string) bool {
	h := sha256.Sum256([]byte(presented))
	return subtle.ConstantTimeCompare(h[:], a.token[:]) == 1
}

// authenticate says how r is let in, and for a refusal the status and
// message: 401 when it brings no credentials (or an expired session), 403
// when it brings a wrong token.
func (a *Admin) authenticate(r *http.Request) (access, int, string) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || !a.checkToken(strings.TrimSpace(tok)) {
			return denied, http.StatusForbidden, "wrong admin token"
		}
		return bearer, 0, ""
	}
	if c, err := r.Cookie(CookieName); err == nil {
		if a.validSession(c.Value) {
			return session, 0, ""
		}
		return denied, http.StatusUnauthorized, "session expired: log in again"
	}
	return denied, http.StatusUnauthorized, "admin token required (Authorization: Bearer, or log in at /admin/login)"
}

// limit refuses a client address over its rate with 429.
func (a *Admin) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w)
		if !a.limiter.Allow(clientAddr(r)) {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, "too many requests: wait a moment")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// public is for the login form: rate-limited and safe from cross-origin
// posts, open to all.
func (a *Admin) public(next http.Handler) http.Handler {
	return a.limit(a.cop.Handler(next))
}

// private lets in a Bearer token or a session; a POST with a session must
// also come from this site and carry its CSRF token.
func (a *Admin) private(next http.Handler) http.Handler {
	return a.limit(a.cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		how, code, msg := a.authenticate(r)
		if how == denied {
			a.refuse(w, r, code, msg)
			return
		}
		if how == session && !safeMethod(r.Method) && !a.validCSRF(r) {
			a.log.WarnContext(r.Context(), "admin: CSRF token missing or wrong", "client", clientAddr(r), "path", r.URL.Path)
			writeError(w, http.StatusForbidden, "missing or wrong CSRF token: reload the page")
			return
		}
		next.ServeHTTP(w, r)
	})))
}

// page is a private HTML page: a browser without a session is sent to the
// login form instead of getting a 401.
func (a *Admin) page(next http.Handler) http.Handler {
	return a.limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if how, code, msg := a.authenticate(r); how == denied {
			if code == http.StatusForbidden {
				a.refuse(w, r, code, msg)
				return
			}
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	}))
}

func (a *Admin) refuse(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if code == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="supportbot admin"`)
	} else {
		a.log.WarnContext(r.Context(), "admin: wrong token", "client", clientAddr(r), "path", r.URL.Path)
	}
	writeError(w, code, msg)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// Sessions are signed, not stored: the cookie holds its expiry and a
// random nonce with their HMAC under a key derived from the token. Every
// replica with the same token accepts it, with no shared store; a new
// token ends every session.
const (
	sessionPayload = 8 + 16 // expiry (Unix seconds) and nonce
	macLen         = sha256.Size
)

var b64 = base64.RawURLEncoding

// newSession returns a cookie value valid until the session TTL from now.
func (a *Admin) newSession() string {
	p := make([]byte, sessionPayload, sessionPayload+macLen)
	binary.BigEndian.PutUint64(p, uint64(a.now().Add(a.ttl).Unix()))
	_, _ = rand.Read(p[8:]) // never fails
	return b64.EncodeToString(append(p, a.mac("session", p)...))
}

// validSession checks a cookie value's signature, then its expiry.
func (a *Admin) validSession(v string) bool {
	raw, err := b64.DecodeString(v)
	if err != nil || len(raw) != sessionPayload+macLen {
		return false
	}
	p, sig := raw[:sessionPayload], raw[sessionPayload:]
	if !hmac.Equal(sig, a.mac("session", p)) {
		return false
	}
	return a.now().Before(time.Unix(int64(binary.BigEndian.Uint64(p)), 0))
}

// csrfToken is the CSRF token of the session in r (empty without one):
// bound to the session, so a token of another session or an old one is
// worthless.
func (a *Admin) csrfToken(r *http.Request) string {
	c, err := r.Cookie(CookieName)
	if err != nil {
		return ""
	}
	return b64.EncodeToString(a.mac("csrf", []byte(c.Value)))
}

// validCSRF checks the CSRF token of a POST made with a session cookie,
// from the X-CSRF-Token header or the form field csrf.
func (a *Admin) validCSRF(r *http.Request) bool {
	want := a.csrfToken(r)
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return want != "" && hmac.Equal([]byte(got), []byte(want))
}

func (a *Admin) mac(purpose string, data []byte) []byte {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(data)
	return m.Sum(nil)
}

func (a *Admin) setSession(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: value, Path: "/admin", MaxAge: maxAge,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode,
	})
}

// maxLoginForm bounds the login form's body: a token and a field name.
const maxLoginForm = 4 << 10

func (a *Admin) handleLogin() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
		tok := r.PostFormValue("token")
		if !a.checkToken(tok) {
			a.log.WarnContext(r.Context(), "admin: login refused", "client", clientAddr(r))
			a.renderLogin(w, r, http.StatusForbidden, true)
			return
		}
		a.setSession(w, a.newSession(), int(a.ttl/time.Second))
		a.log.InfoContext(r.Context(), "admin: login", "client", clientAddr(r))
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	})
}

func (a *Admin) handleLoginForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if how, _, _ := a.authenticate(r); how == session {
			http.Redirect(w, r, "/admin/", http.StatusSeeOther)
			return
		}
		a.renderLogin(w, r, http.StatusOK, false)
	})
}

func (a *Admin) handleLogout() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.setSession(w, "", -1)
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	})
}

// clientAddr is the address the connection comes from, the key of the
// rate limit. Behind a proxy that is the proxy's: every client then
// shares one limit, which still bounds guessing; X-Forwarded-For is not
// trusted because anyone can send it.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// setHeaders marks every admin response private and unframeable.
func setHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
}
