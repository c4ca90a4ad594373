package adapter

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/work"
)

// Deps are what every adapter is built from, beside its platform's
// credentials. cmd/supportbot builds one set and hands it to each.
type Deps struct {
	// Bot answers; required.
	Bot bot.Answerer
	// Dedupe recognises redelivered platform events (Redis across
	// replicas); required by adapters of platforms that redeliver.
	Dedupe bot.Deduper
	// Pool runs answers and replies after a webhook is acknowledged;
	// required by webhook adapters.
	Pool *work.Pool
	// Limiter limits how fast one person may ask; nil allows everything.
	Limiter *ratelimit.Limiter
	// Metrics counts; nil counts nothing.
	Metrics *metrics.Metrics
	// Logger logs; nil discards.
	Logger *slog.Logger
	// HTTPClient calls the platform's API; nil is NewHTTPClient(DefaultTimeout).
	HTTPClient *http.Client
}

// Needs says which optional dependencies an adapter requires.
type Needs struct {
	Dedupe, Pool bool
}

// Check reports every missing dependency at once.
func (d Deps) Check(n Needs) error {
	var errs []error
	if d.Bot == nil {
		errs = append(errs, errors.New("no bot"))
	}
	if n.Dedupe && d.Dedupe == nil {
		errs = append(errs, errors.New("no de-duplication store"))
	}
	if n.Pool && d.Pool == nil {
		errs = append(errs, errors.New("no work pool"))
	}
	return errors.Join(errs...)
}

// WithDefaults fills what may be left nil: a logger that discards and an
// HTTP client with DefaultTimeout.
func (d Deps) WithDefaults() Deps {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.HTTPClient == nil {
		d.HTTPClient = NewHTTPClient(DefaultTimeout)
	}
	return d
}

// DefaultTimeout bounds one call to a platform API when no client is
// given (OUTBOUND_TIMEOUT in the server).
const DefaultTimeout = 10 * time.Second
