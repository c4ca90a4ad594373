package bot_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/bounds"
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
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	b := newBot(f)
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
			if problems := checkAnswer(a); len(problems) > 0 {
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

// checkAnswer lists what is wrong with an answer: every string valid
// UTF-8, a language and a kind, a leading text, cards only when the bot is
// confident, every card citing its sources, totals that add up, and every
// button and suggestion a payload that fits bot.MaxPayload and parses
// back to the same action.
func checkAnswer(a bot.Answer) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	walkStrings(reflect.ValueOf(a), "answer", func(path, s string) {
		if !utf8.ValidString(s) {
			bad("%s = %q is not valid UTF-8", path, s)
		}
	})
	if !a.Lang.Valid() {
		bad("lang %q", a.Lang)
	}
	if a.Kind == "" {
		bad("no kind")
	}
	if a.Text == "" {
		bad("empty text")
	}
	if len(a.Cards) > 0 && !a.Confident {
		bad("%d cards but not confident", len(a.Cards))
	}
	if a.Offset < 0 || a.Total < a.Offset+len(a.Cards) && a.Kind != bot.KindDetails {
		bad("total %d, offset %d and %d cards do not add up", a.Total, a.Offset, len(a.Cards))
	}
	checkAction := func(where string, act bot.Action) {
		p := act.Payload()
		if len(p) > bot.MaxPayload {
			bad("%s: payload of %d bytes; the limit is %d", where, len(p), bot.MaxPayload)
		}
		if got, err := bot.ParseAction(p); err != nil || got != act {
			bad("%s: ParseAction(%q) = %+v, %v; want %+v", where, p, got, err, act)
		}
	}
	for i, c := range a.Cards {
		if c.ID == "" || c.Title == "" {
			bad("card %d without an id or title", i)
		}
		if len(c.Sources) == 0 {
			bad("card %d (%s) cites no source", i, c.ID)
		}
		for j, btn := range c.Buttons {
			switch {
			case btn.Label == "":
				bad("card %d button %d without a label", i, j)
			case (btn.Action == nil) == (btn.URL == ""):
				bad("card %d button %d: want an action or a URL", i, j)
			case btn.Action != nil:
				checkAction(fmt.Sprintf("card %d button %d", i, j), *btn.Action)
			}
		}
	}
	for i, s := range a.Suggestions {
		if s.Label == "" {
			bad("suggestion %d without a label", i)
		}
		checkAction(fmt.Sprintf("suggestion %d", i), s.Action)
	}
	return problems
}

// walkStrings calls fn with every string reachable from v.
func walkStrings(v reflect.Value, path string, fn func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		fn(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			walkStrings(v.Field(i), path+"."+v.Type().Field(i).Name, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	}
}

// describe names a question in a failure without printing 100 KB.
func describe(q bot.Question) string {
	if q.Action != nil {
		return fmt.Sprintf("action %.80q", q.Action.Payload())
	}
	return fmt.Sprintf("text of %d bytes %.80q", len(q.Text), q.Text)
}
