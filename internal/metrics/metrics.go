// Package metrics defines supportbot's Prometheus collectors in one place,
// so the server, the bot wrapper and the adapters count the same way. Every
// method is safe on a nil *Metrics (tests and tools that do not measure).
package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics holds the collectors.
type Metrics struct {
	requests       *prometheus.CounterVec
	requestLatency *prometheus.HistogramVec
	answers        *prometheus.CounterVec
	answerLatency  *prometheus.HistogramVec
	noMatch        *prometheus.CounterVec
	outbound       *prometheus.CounterVec
	outboundFail   *prometheus.CounterVec
	rejected       *prometheus.CounterVec
	dropped        *prometheus.CounterVec
	duplicates     *prometheus.CounterVec
	unreadable     *prometheus.CounterVec
	notices        *prometheus.CounterVec
	deferred       *prometheus.CounterVec
	inflight       prometheus.Gauge
	logWritten     *prometheus.CounterVec
	logDropped     *prometheus.CounterVec
	logBatch       prometheus.Histogram
	feedback       *prometheus.CounterVec
}

// New registers the collectors on reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "status"}),
		requestLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "supportbot_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_answers_total", Help: "Answers by channel, kind and whether a programme was offered.",
		}, []string{"channel", "kind", "confident"}),
		answerLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "supportbot_answer_duration_seconds", Help: "Time to compute an answer, by channel.",
			Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .05, .1},
		}, []string{"channel"}),
		noMatch: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_no_match_total", Help: "Questions for which no programme fitted, by channel.",
		}, []string{"channel"}),
		outbound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_outbound_calls_total", Help: "Calls to platform APIs by platform, operation and outcome.",
		}, []string{"platform", "op", "outcome"}),
		outboundFail: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_outbound_failures_total", Help: "Replies given up on after retries, by platform and reason.",
		}, []string{"platform", "reason"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_webhook_rejected_total", Help: "Platform requests refused before processing, by platform and reason.",
		}, []string{"platform", "reason"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_backpressure_total", Help: "Work refused because a limit was reached, by platform and limit.",
		}, []string{"platform", "limit"}),
		duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_duplicate_events_total", Help: "Redelivered or retried platform events not answered again.",
		}, []string{"platform"}),
		unreadable: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_unreadable_total",
			Help: "Signed platform events and interactions the SDK could not read, acknowledged and dropped, by platform, kind and type.",
		}, []string{"platform", "kind", "type"}),
		notices: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_notices_total",
			Help: "Short notices sent instead of an answer (rate_limit: the person writes too fast; queue: the server is overloaded), by platform and reason.",
		}, []string{"platform", "reason"}),
		deferred: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_deferred_total",
			Help: "Events acknowledged while the work queue was full and answered later from the overflow queue, by platform.",
		}, []string{"platform"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "supportbot_inflight_jobs", Help: "Answers and replies queued or running.",
		}),
		logWritten: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_question_log_written_total", Help: "Questions (kind=record) and votes (kind=vote) written to the question log.",
		}, []string{"kind"}),
		logDropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_question_log_dropped_total", Help: "Questions and votes the question log lost, by kind and reason (buffer_full, store, unknown_answer, shutdown).",
		}, []string{"kind", "reason"}),
		logBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "supportbot_question_log_write_seconds", Help: "Time to write one batch to the question log, failures included.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}),
		feedback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_feedback_total", Help: "Taps on 👍 (vote=up) and 👎 (vote=down): accepted, or refused (someone else's answer, a forged or stale button).",
		}, []string{"vote", "result"}),
	}
	reg.MustRegister(m.requests, m.requestLatency, m.answers, m.answerLatency, m.noMatch,
		m.outbound, m.outboundFail, m.rejected, m.dropped, m.duplicates, m.unreadable, m.notices, m.deferred, m.inflight,
		m.logWritten, m.logDropped, m.logBatch, m.feedback)
	return m
}

// Request counts an HTTP request.
func (m *Metrics) Request(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.requestLatency.WithLabelValues(route).Observe(d.Seconds())
}

// Answer counts an answer of the bot.
func (m *Metrics) Answer(channel, kind string, confident bool, d time.Duration) {
	if m == nil {
		return
	}
	m.answers.WithLabelValues(channel, kind, strconv.FormatBool(confident)).Inc()
	m.answerLatency.WithLabelValues(channel).Observe(d.Seconds())
	if kind == "no_match" {
		m.noMatch.WithLabelValues(channel).Inc()
	}
}

// Outbound counts a call to a platform API; outcome is "ok", "retry" (a
// transient failure that will be retried), or "error".
func (m *Metrics) Outbound(platform, op, outcome string) {
	if m == nil {
		return
	}
	m.outbound.WithLabelValues(platform, op, outcome).Inc()
}

// Failed counts a reply given up on.
func (m *Metrics) Failed(platform string, reason Reason) {
	if m == nil {
		return
	}
	m.outboundFail.WithLabelValues(platform, string(reason)).Inc()
}

// Rejected counts a platform request refused before processing
// (signature, stale timestamp, size, malformed).
func (m *Metrics) Rejected(platform string, reason Reason) {
	if m == nil {
		return
	}
	m.rejected.WithLabelValues(platform, string(reason)).Inc()
}

// Backpressure counts work refused at a limit (queue full, rate limit).
func (m *Metrics) Backpressure(platform string, limit Reason) {
	if m == nil {
		return
	}
	m.dropped.WithLabelValues(platform, string(limit)).Inc()
}

// Duplicate counts a redelivered event recognised and skipped.
func (m *Metrics) Duplicate(platform string) {
	if m == nil {
		return
	}
	m.duplicates.WithLabelValues(platform).Inc()
}

// Unreadable counts a signed event or interaction of a kind ("event",
// "interaction") and type the SDK could not read: a change on the
// platform's side that would otherwise drop people's messages unseen.
func (m *Metrics) Unreadable(platform, kind, typ string) {
	if m == nil {
		return
	}
	m.unreadable.WithLabelValues(platform, kind, typ).Inc()
}

// Notice counts a short notice about a limit (ReasonRateLimit,
// ReasonQueue) sent, or tried, instead of an answer.
func (m *Metrics) Notice(platform string, reason Reason) {
	if m == nil {
		return
	}
	m.notices.WithLabelValues(platform, string(reason)).Inc()
}

// Deferred counts an event acknowledged with the work queue full and
// queued to be answered later.
func (m *Metrics) Deferred(platform string) {
	if m == nil {
		return
	}
	m.deferred.WithLabelValues(platform).Inc()
}

// Inflight adds delta to the number of jobs queued or running.
func (m *Metrics) Inflight(delta int) {
	if m == nil {
		return
	}
	m.inflight.Add(float64(delta))
}

// LogWritten counts n questions (kind "record") or votes (kind "vote")
// written to the question log.
func (m *Metrics) LogWritten(kind string, n int) {
	if m == nil || n == 0 {
		return
	}
	m.logWritten.WithLabelValues(kind).Add(float64(n))
}

// LogDropped counts n questions or votes the question log lost.
func (m *Metrics) LogDropped(kind string, reason Reason, n int) {
	if m == nil || n == 0 {
		return
	}
	m.logDropped.WithLabelValues(kind, string(reason)).Add(float64(n))
}

// LogBatch observes the time one write to the question log took.
func (m *Metrics) LogBatch(d time.Duration) {
	if m == nil {
		return
	}
	m.logBatch.Observe(d.Seconds())
}

// Feedback counts a tap on 👍 or 👎; vote is "up", "down" or "" for a
// value that named no vote.
func (m *Metrics) Feedback(vote string, accepted bool) {
	if m == nil {
		return
	}
	if vote == "" {
		vote = "none"
	}
	result := "refused"
	if accepted {
		result = "accepted"
	}
	m.feedback.WithLabelValues(vote, result).Inc()
}
