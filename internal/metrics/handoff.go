package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Handoff counts what the handoff desk does: tickets opened (or saved for
// later), taken, closed and rated, reminders, staff replies; and the
// delivery of each message to the staff and to the person, with how long
// it took from being written to being delivered. Every method is safe on
// a nil *Handoff.
type Handoff struct {
	events    *prometheus.CounterVec
	delivered *prometheus.CounterVec
	latency   *prometheus.HistogramVec
}

// NewHandoff registers the handoff collectors on reg.
func NewHandoff(reg prometheus.Registerer) *Handoff {
	h := &Handoff{
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_handoff_events_total",
			Help: "What the handoff desk did, by event: opened, queued (saved, the staff's channel not reachable), taken, closed_person, closed_staff, closed_unfollow, rated_up, rated_down, reminded, staff_reply.",
		}, []string{"event"}),
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_handoff_deliveries_total",
			Help: "Handoff messages by side (staff, person) and result: sent, retry (failed, tried again later), failed (given up; the staff are told).",
		}, []string{"side", "result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "supportbot_handoff_delivery_seconds",
			Help:    "From a handoff message being written to it being delivered, by side.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 60, 600},
		}, []string{"side"}),
	}
	reg.MustRegister(h.events, h.delivered, h.latency)
	return h
}

// Event counts something the desk did.
func (h *Handoff) Event(event string) {
	if h == nil {
		return
	}
	h.events.WithLabelValues(event).Inc()
}

// Delivery counts a delivery attempt's result; a sent message's latency
// is observed.
func (h *Handoff) Delivery(side, result string, d time.Duration) {
	if h == nil {
		return
	}
	h.delivered.WithLabelValues(side, result).Inc()
	if result == "sent" {
		h.latency.WithLabelValues(side).Observe(d.Seconds())
	}
}
