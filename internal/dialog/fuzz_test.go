package dialog_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/bot/bottest"
	"github.com/supportbot/supportbot/internal/bounds"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
)

// FuzzAnswer runs the whole bot — the real catalog, analysis, matching
// and dialog over an in-memory store — on arbitrary text, then on an
// arbitrary action, then on the buttons its own answers offer, in one
// conversation. Every answer must come within the time and memory budget
// (internal/bounds) and be well formed (checkAnswer). The seeds below
// walk every kind of answer; testdata/fuzz/FuzzAnswer adds hostile text
// (100 KB, invalid UTF-8, control characters, zero-width and RTL marks,
// combining marks, mixed scripts and emoji) as text and as action values.
//
//	go test ./internal/bot -run '^$' -fuzz '^FuzzAnswer$' -fuzztime 60s
func FuzzAnswer(f *testing.F) {
	for _, seed := range [][4]string{
		{"中小企業向けの支援", "more", "", ""},
		{"security camp", "details", "sechack365", "en"},
		{"中小企業向けの支援を全部", "ask", "2番", ""},
		{"ランサムやられた　どうしよう", "trouble", "", ""},
		{"こんにちは", "category", "sme", "ja"},
		{"recommend a good restaurant", "lang", "en", "en"},
		{"ありがとう", "details", "no-such-initiative", ""},
		{"English", "menu", "", ""},
		{"詳しく", "help", "", "en"},
		{"スマホ", "refine", "child", ""},
		{"security", "refine", "now", "en"},
		{"経産省の取り組み", "more", "", ""},
		{"せっこんに出たい", "refine", "no-such-choice", ""},
		{"internet anzen kyōshitsu near me", "more", "", "en"},
		{"けいさつのとりくみ いーねっときゃらばん", "details", "e-net-caravan", ""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	b := dialogtest.New(f)
	const conv = "fuzz:conversation"
	f.Fuzz(func(t *testing.T, text, kind, value, lang string) {
		ctx := context.Background()
		// One conversation, forgotten before and after: what an input
		// does never depends on the inputs before it.
		_ = b.Forget(ctx, conv)
		defer func() { _ = b.Forget(ctx, conv) }()
		ask := func(q bot.Question) bot.Answer {
			t.Helper()
			q.Conversation, q.Lang, q.Channel = conv, bot.Lang(lang), "fuzz"
			var a bot.Answer
			var err error
			if err := bounds.Within("Answer", func() { a, err = b.Answer(ctx, q) }); err != nil {
				t.Fatalf("%v for %s", err, describe(q))
			}
			if err != nil {
				t.Fatalf("Answer(%s) = %v; want an answer", describe(q), err)
			}
			if problems := bottest.Problems(a); len(problems) > 0 {
				t.Fatalf("Answer(%s) is not well formed: %v", describe(q), problems)
			}
			return a
		}
		a := ask(bot.Question{Text: text})
		a = ask(bot.Question{Action: &bot.Action{Kind: bot.ActionKind(kind), Value: value}})
		// Follow what the bot offered, as a person tapping would: a card's
		// first action button, then a suggestion picked by the input.
		for _, c := range a.Cards {
			if len(c.Buttons) > 0 && c.Buttons[0].Action != nil {
				a = ask(bot.Question{Action: c.Buttons[0].Action})
				break
			}
		}
		if n := len(a.Suggestions); n > 0 {
			s := a.Suggestions[len(text)%n]
			ask(bot.Question{Action: &s.Action})
		}
	})
}

// describe names a question in a failure without printing 100 KB.
func describe(q bot.Question) string {
	if q.Action != nil {
		return fmt.Sprintf("action %.80q", q.Action.Payload())
	}
	return fmt.Sprintf("text of %d bytes %.80q", len(q.Text), q.Text)
}
