package dialog_test

import (
	"context"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

func benchAnswer(b *testing.B, text string) {
	bt := dialogtest.New(b)
	ctx := context.Background()
	q := bot.Question{Text: text, Channel: "bench"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bt.Answer(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnswerJapanese(b *testing.B) {
	benchAnswer(b, "従業員5人でIT担当いないんだけど何からやればいい？")
}

func BenchmarkAnswerEnglish(b *testing.B) {
	benchAnswer(b, "free security training for teachers at our school")
}

// BenchmarkStartup measures loading and validating the knowledge base and
// building the bot. The IPA dictionary itself loads once per process (the
// first iteration); `/usr/bin/time -v supportbot ask` measures it whole.
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		cat, err := catalog.Load(knowledge.FS, seeds.FS)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := dialog.New(dialog.Config{Catalog: cat}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnswerLoad answers the load generator's twelve questions, one
// iteration all twelve.
func BenchmarkAnswerLoad(b *testing.B) {
	bt := dialogtest.WithStore(b, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for _, text := range dialogtest.LoadQuestions {
			if _, err := bt.Answer(ctx, bot.Question{Text: text, Channel: "bench"}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
