package slack

import (
	"context"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
)

// loadAnswers are the real engine's answers to cmd/loadgen's questions
// (dialogtest.LoadQuestions), each asked by a new person, with the
// feedback the question log adds.
func loadAnswers(b *testing.B) []bot.Answer {
	b.Helper()
	e := dialogtest.WithStore(b, nil)
	var out []bot.Answer
	for _, q := range dialogtest.LoadQuestions {
		a, err := e.Answer(context.Background(), bot.Question{Text: q, Conversation: "slack:T1:U1"})
		if err != nil {
			b.Fatalf("Answer(%q): %v", q, err)
		}
		a.ID, a.Feedback = sampleID, bot.FeedbackFor(sampleID, sampleTag)
		out = append(out, a)
	}
	return out
}

// BenchmarkRenderLoad renders and encodes the body of chat.postMessage
// for each answer of the load generator, as deliver does.
func BenchmarkRenderLoad(b *testing.B) {
	answers := loadAnswers(b)
	memo := newCardMemo() // as the adapter renders
	blocks, body := make([]byte, 0, 64<<10), make([]byte, 0, 64<<10)
	b.ReportAllocs()
	for b.Loop() {
		for _, a := range answers {
			m := render(a, renderOptions{cards: memo})
			var ok bool
			if blocks, ok = memo.appendBlocks(blocks[:0], m.Blocks); !ok {
				b.Fatal("memo.appendBlocks: not ok")
			}
			body = appendJSONBody(body[:0], []field{
				{name: "channel", value: "C0CHANNEL"}, {name: "text", value: m.Text},
				{name: "blocks", raw: blocks}, {name: "unfurl_links", raw: []byte("false")},
			})
		}
	}
}
