package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Knowledge counts reloads of the knowledge base and describes the live
// version, so that a dashboard shows every replica's version (count by
// version of supportbot_knowledge_info) and an alert can fire on refused
// reloads. Every method is safe on a nil *Knowledge.
type Knowledge struct {
	reloads     *prometheus.CounterVec
	info        *prometheus.GaugeVec
	loaded      prometheus.Gauge
	initiatives prometheus.Gauge
}

// NewKnowledge registers the knowledge collectors on reg.
func NewKnowledge(reg prometheus.Registerer) *Knowledge {
	k := &Knowledge{
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportbot_knowledge_reloads_total",
			Help: "Reloads of the knowledge directory by result (ok, unchanged, refused, canceled) and, when refused, the check that refused it.",
		}, []string{"result", "check"}),
		info: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "supportbot_knowledge_info",
			Help: "1 for the knowledge version answering now (content hash) and where it was read from.",
		}, []string{"version", "source"}),
		loaded: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "supportbot_knowledge_loaded_timestamp_seconds",
			Help: "When the knowledge version answering now went live (Unix time).",
		}),
		initiatives: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "supportbot_knowledge_initiatives",
			Help: "Initiatives in the knowledge version answering now.",
		}),
	}
	reg.MustRegister(k.reloads, k.info, k.loaded, k.initiatives)
	// Every result appears from the start, so that rate() and alerts see
	// the first refusal as a change from 0.
	for _, r := range []string{"ok", "unchanged", "canceled"} {
		k.reloads.WithLabelValues(r, "")
	}
	return k
}

// Reload counts a reload; check is empty unless it was refused.
func (k *Knowledge) Reload(result, check string) {
	if k == nil {
		return
	}
	k.reloads.WithLabelValues(result, check).Inc()
}

// Live describes the version that answers now.
func (k *Knowledge) Live(version, source string, initiatives int, at time.Time) {
	if k == nil {
		return
	}
	k.info.Reset()
	k.info.WithLabelValues(version, source).Set(1)
	k.loaded.Set(float64(at.Unix()))
	k.initiatives.Set(float64(initiatives))
}
