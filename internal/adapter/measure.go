package adapter

import (
	"context"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
)

// Measure wraps a bot so each answer is counted by channel, kind and
// confidence, with its latency, whichever adapter asked. The engine stays
// free of metrics.
func Measure(b bot.Answerer, m *metrics.Metrics) bot.Answerer {
	return measured{b, m}
}

type measured struct {
	bot.Answerer
	m *metrics.Metrics
}

func (b measured) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	start := time.Now()
	a, err := b.Answerer.Answer(ctx, q)
	if err == nil {
		b.m.Answer(q.Channel, string(a.Kind), a.Confident, time.Since(start))
	}
	return a, err
}
