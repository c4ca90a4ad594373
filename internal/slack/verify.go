package slack

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/metrics"
)

// Signature headers (Verifying requests from Slack).
const (
	headerSignature = "X-Slack-Signature"
	headerTimestamp = "X-Slack-Request-Timestamp"
)

// errStale: the request's timestamp is outside the replay window.
var errStale = errors.New("slack: request timestamp outside the replay window")

// verify checks a request's v0 signature over its raw body: the timestamp
// within the replay window of a.now, then slack-go's verifier (HMAC-SHA256
// of "v0:timestamp:body", compared in constant time). It returns errStale,
// or slack-go's ErrMissingHeaders, ErrInvalidSignature,
// ErrExpiredTimestamp or a parse error of the headers.
func (a *Adapter) verify(h http.Header, body []byte) error {
	if a.secret == "" {
		return slackapi.ErrInvalidConfiguration
	}
	ts := h.Get(headerTimestamp)
	if ts == "" || h.Get(headerSignature) == "" {
		return slackapi.ErrMissingHeaders
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return slackapi.ErrInvalidSignature
	}
	if d := a.now().Sub(time.Unix(sec, 0)).Abs(); d > replayWindow {
		return errStale
	}
	sv, err := slackapi.NewSecretsVerifier(h, a.secret)
	if err != nil {
		return err
	}
	if _, err := sv.Write(body); err != nil {
		return err
	}
	return sv.Ensure()
}

// readVerified reads a bounded body and verifies it, answering the request
// itself when it is refused: 405 for a method other than POST, 413 for a
// body over maxBody, 401 for a missing or wrong signature or a stale
// timestamp. Nothing of a refused request is parsed.
func (a *Adapter) readVerified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	ctx := r.Context()
	log := a.logger(ctx)
	if r.Method != http.MethodPost {
		a.metrics.Rejected(channelName, metrics.ReasonMethod)
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := adapter.ReadBody(w, r, maxBody)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			a.metrics.Rejected(channelName, metrics.ReasonTooLarge)
			log.WarnContext(ctx, "request body too large", "limit", maxBody)
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return nil, false
		}
		a.metrics.Rejected(channelName, metrics.ReasonRead)
		log.WarnContext(ctx, "request body unreadable", "err", err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return nil, false
	}
	if err := a.verify(r.Header, body); err != nil {
		reason := metrics.ReasonSignature
		if errors.Is(err, errStale) || errors.Is(err, slackapi.ErrExpiredTimestamp) {
			reason = metrics.ReasonStale
		}
		a.metrics.Rejected(channelName, reason)
		// Anyone can send these, as fast as they like: the counter is the
		// record; a line per request would let them flood the log.
		log.DebugContext(ctx, "request refused", "reason", reason, "err", err)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

// malformed answers a verified request whose content cannot be used.
// X-Slack-No-Retry asks Slack not to send it again: it would not parse
// the next time either.
func (a *Adapter) malformed(w http.ResponseWriter, r *http.Request, err error) {
	a.metrics.Rejected(channelName, metrics.ReasonMalformed)
	a.logger(r.Context()).WarnContext(r.Context(), "malformed request", "err", err)
	w.Header().Set("X-Slack-No-Retry", "1")
	http.Error(w, "malformed request", http.StatusBadRequest)
}
