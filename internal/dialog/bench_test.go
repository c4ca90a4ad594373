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

// loadQuestions are cmd/loadgen's questions: what the engine answers,
// each asked by a new person, under load.
var loadQuestions = []string{
	"中小企業向けの支援",
	"従業員5人でIT担当いないんだけど何からやればいい？",
	"子どものスマホが心配",
	"CTFに参加したい",
	"学校で出前授業をしてほしい",
	"詐欺にあったかもしれない",
	"地域でセキュリティの勉強会を開きたい",
	"support for small businesses",
	"free security training for teachers at our school",
	"my kid got a scam message on their phone",
	"how can students join a security contest",
	"help",
}

// BenchmarkAnswerLoad answers the load generator's twelve questions, one
// iteration all twelve.
func BenchmarkAnswerLoad(b *testing.B) {
	bt := dialogtest.WithStore(b, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for _, text := range loadQuestions {
			if _, err := bt.Answer(ctx, bot.Question{Text: text, Channel: "bench"}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
