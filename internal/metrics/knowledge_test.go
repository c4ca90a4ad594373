package metrics_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot/internal/metrics"
)

func TestKnowledge(t *testing.T) {
	reg := prometheus.NewRegistry()
	k := metrics.NewKnowledge(reg)
	k.Live("aaaa", "embedded", 28, time.Unix(100, 0))
	k.Reload("ok", "")
	k.Reload("refused", "lint")
	k.Reload("refused", "limits")
	k.Live("bbbb", "/knowledge", 29, time.Unix(200, 0))
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"supportbot_knowledge_reloads_total", nil, 3},
		{"supportbot_knowledge_reloads_total", map[string]string{"result": "refused"}, 2},
		{"supportbot_knowledge_reloads_total", map[string]string{"result": "refused", "check": "lint"}, 1},
		{"supportbot_knowledge_info", nil, 1}, // only the live version
		{"supportbot_knowledge_info", map[string]string{"version": "bbbb", "source": "/knowledge"}, 1},
		{"supportbot_knowledge_loaded_timestamp_seconds", nil, 200},
		{"supportbot_knowledge_initiatives", nil, 29},
	} {
		got, err := metrics.Sum(reg, tc.name, tc.labels)
		if err != nil || got != tc.want {
			t.Errorf("Sum(%s, %v) = %v, %v; want %v", tc.name, tc.labels, got, err, tc.want)
		}
	}
	var nilK *metrics.Knowledge
	nilK.Reload("ok", "")
	nilK.Live("x", "y", 1, time.Now())
}
