package handoff_test

import (
	"context"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/handoff"
)

// BenchmarkAnswer is what the desk adds to an answer on SQLite: the look
// for the conversation's open ticket (none here), and the offer.
//
//	go test ./internal/handoff -run '^$' -bench Answer -count 6 > desk.txt; benchstat desk.txt
func BenchmarkAnswer(b *testing.B) {
	k := newKit(b, handoff.Config{})
	q := bot.Question{Conversation: conv, Channel: "line", Text: "中小企業向けのセミナー"}
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		a    bot.Answerer
	}{{"bare", k.engine}, {"desk", k.desk}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := bc.a.Answer(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
