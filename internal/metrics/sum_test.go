package metrics_test

import (
	"fmt"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot/internal/metrics"
)

func TestSum(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := metrics.New(reg)
	m.Outbound("line", "reply", "ok")
	m.Outbound("line", "reply", "ok")
	m.Outbound("line", "reply", "retry")
	m.Outbound("slack", "chat.postMessage", "ok")
	m.Inflight(3)
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"supportbot_outbound_calls_total", nil, 4},
		{"supportbot_outbound_calls_total", map[string]string{"platform": "line"}, 3},
		{"supportbot_outbound_calls_total", map[string]string{"platform": "line", "outcome": "ok"}, 2},
		{"supportbot_outbound_calls_total", map[string]string{"platform": "web"}, 0},
		{"supportbot_inflight_jobs", nil, 3},
		{"no_such_metric", nil, 0},
	} {
		got, err := metrics.Sum(reg, tc.name, tc.labels)
		if err != nil || got != tc.want {
			t.Errorf("Sum(%s, %v) = %v, %v; want %v", tc.name, tc.labels, got, err, tc.want)
		}
	}
}

func ExampleSum() {
	reg := prometheus.NewRegistry()
	m := metrics.New(reg)
	m.Outbound("slack", "chat.postMessage", "ok")
	m.Outbound("slack", "chat.postMessage", "retry")
	n, _ := metrics.Sum(reg, "supportbot_outbound_calls_total", map[string]string{"outcome": "retry"})
	fmt.Println(n)
	// Output: 1
}
