package admin

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/supportbot/supportbot/internal/ratelimit"
)

// MinTokenLen is the shortest ADMIN_TOKEN accepted: long enough that
// guessing it at the rate limit is hopeless (openssl rand -hex 32 gives
// 64 characters).
const MinTokenLen = 16

// Defaults of a zero Config.
const (
	// DefaultRate and DefaultBurst limit each client address: a person
	// clicking through the pages stays within them, a script guessing
	// the token gets one try a second.
	DefaultRate  = 1.0
	DefaultBurst = 30
	// DefaultSessionTTL is how long a login lasts.
	DefaultSessionTTL = 12 * time.Hour
	// clientKeys bounds the addresses the limiter tracks at once.
	clientKeys = 10_000
)

// Config configures the admin surface.
type Config struct {
	// Token is ADMIN_TOKEN: the Bearer token of scripts and the password
	// of the login form. It also keys the session cookies, so every
	// replica with the same token accepts them, and changing it ends
	// every session.
	Token string
	// Knowledge shows and reloads the knowledge base.
	Knowledge Knowledge
	// Insights summarises the question log for the page; nil: the
	// question log is off, and the page says so.
	Insights Insights
	// Logger receives logins, refusals and reloads; nil discards. Tokens
	// and cookies are never logged.
	Logger *slog.Logger
	// Rate (requests a second) and Burst limit each client address
	// (defaults DefaultRate, DefaultBurst).
	Rate  float64
	Burst int
	// SessionTTL is how long a login lasts (default DefaultSessionTTL).
	SessionTTL time.Duration
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
}

// Admin serves /admin.
type Admin struct {
	token    [sha256.Size]byte // SHA-256 of the token: compared in constant time
	key      []byte            // signs session cookies and CSRF tokens
	k        Knowledge
	insights Insights
	log      *slog.Logger
	limiter  *ratelimit.Limiter
	cop      *http.CrossOriginProtection
	ttl      time.Duration
	now      func() time.Time
	handler  http.Handler
}

// New checks the configuration and builds the handlers.
func New(cfg Config) (*Admin, error) {
	if len(cfg.Token) < MinTokenLen {
		return nil, fmt.Errorf("admin: the token must be at least %d characters", MinTokenLen)
	}
	if cfg.Knowledge == nil {
		return nil, errors.New("admin: no Knowledge")
	}
	a := &Admin{token: sha256.Sum256([]byte(cfg.Token)), k: cfg.Knowledge, insights: cfg.Insights, log: cfg.Logger, ttl: cfg.SessionTTL, now: cfg.Now}
	mac := hmac.New(sha256.New, []byte(cfg.Token))
	mac.Write([]byte("supportbot admin session"))
	a.key = mac.Sum(nil)
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.ttl <= 0 {
		a.ttl = DefaultSessionTTL
	}
	if a.now == nil {
		a.now = time.Now
	}
	rate, burst := cfg.Rate, cfg.Burst
	if rate <= 0 {
		rate = DefaultRate
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	a.limiter = ratelimit.New(rate, burst, clientKeys, a.now)
	// Browsers say where a request comes from (Sec-Fetch-Site, Origin):
	// a POST from another site is refused whatever cookie it carries.
	a.cop = http.NewCrossOriginProtection()
	a.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.log.WarnContext(r.Context(), "admin: cross-origin request refused", "client", clientAddr(r), "path", r.URL.Path)
		writeError(w, http.StatusForbidden, "cross-origin request refused")
	}))
	mux := http.NewServeMux()
	a.routes(mux)
	a.handler = mux
	return a, nil
}

// Handler serves every /admin path.
func (a *Admin) Handler() http.Handler { return a.handler }

// ErrNotReloadable is the error of Knowledge.Reload when there is nothing
// to reload from (no KNOWLEDGE_DIR: the embedded knowledge never changes).
var ErrNotReloadable = errors.New("admin: no knowledge directory to reload")

// Knowledge is the knowledge base as the admin surface sees it.
type Knowledge interface {
	// KnowledgeStatus describes the version answering now, the reloads
	// so far and the last one refused.
	KnowledgeStatus(ctx context.Context) KnowledgeStatus
	// Reload reads the knowledge directory again and puts it live if it
	// passes its checks. A refused version is a Reload with Result
	// "refused", not an error; the error is ErrNotReloadable when there
	// is no directory.
	Reload(ctx context.Context) (Reload, error)
}

// KnowledgeStatus is the body of GET /admin/knowledge.
type KnowledgeStatus struct {
	// Version is the content hash of the knowledge answering now.
	Version string `json:"version"`
	// Source is the directory it was read from, or "embedded".
	Source      string    `json:"source"`
	LoadedAt    time.Time `json:"loaded_at"`
	Trigger     string    `json:"trigger"` // start, watch, signal, admin
	Initiatives int       `json:"initiatives"`
	// Directory is KNOWLEDGE_DIR, and Poll how often it is looked at
	// ("" when not watched).
	Directory string `json:"directory,omitempty"`
	Poll      string `json:"poll,omitempty"`
	// Scores are the live version's on its regression files.
	Scores []FileScore `json:"scores"`
	// Reloads counts reloads since start-up by result.
	Reloads     map[string]int `json:"reloads"`
	LastReload  *Reload        `json:"last_reload,omitempty"`
	LastRefused *Reload        `json:"last_refused,omitempty"`
}

// FileScore is how the live version scored on one regression file.
type FileScore struct {
	File           string  `json:"file"`
	Questions      int     `json:"questions"`
	Hit1           float64 `json:"hit1"`
	Hit3           float64 `json:"hit3"`
	Rejection      float64 `json:"rejection"`
	FalseRejection float64 `json:"false_rejection"`
	Floor          string  `json:"floor"`
}

// Reload is the outcome of one reload: the body of POST /admin/reload.
type Reload struct {
	Result  string `json:"result"` // ok, unchanged, refused, canceled
	Trigger string `json:"trigger"`
	// Version is the content hash of the directory read; Running, the
	// version answering after the reload.
	Version string    `json:"version,omitempty"`
	Running string    `json:"running"`
	Check   string    `json:"check,omitempty"`  // refused: read, limits, lint, build, regression
	Reason  string    `json:"reason,omitempty"` // refused: why, for people
	At      time.Time `json:"at"`
	TookMS  int64     `json:"took_ms"`
}
