package dialog_test

import (
	"context"
	"testing"
	"unicode/utf16"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
)

// TestLocaleDecidesWhenNothingElseDoes: the platform's language answers a
// greeting or a tapped menu with no words to go by, and is looked up only
// then: a question in Japanese is answered in Japanese without a lookup,
// and a language the person chose outranks it.
func TestLocaleDecidesWhenNothingElseDoes(t *testing.T) {
	b := dialogtest.New(t)
	lookups := 0
	english := func(context.Context) bot.Lang { lookups++; return bot.English }
	greet := bot.Action{Kind: bot.ActionGreet}
	menu := bot.Action{Kind: bot.ActionCategory, Value: "sme"}
	tests := []struct {
		name        string
		conv        string
		q           bot.Question
		wantLang    bot.Lang
		wantLookups int
	}{
		{"follow", "line:U1", bot.Question{Action: &greet}, bot.English, 1},
		{"rich menu tap", "line:U2", bot.Question{Action: &menu}, bot.English, 1},
		{"a Japanese question", "line:U3", bot.Question{Text: "中小企業向けの支援"}, bot.Japanese, 0},
		{"words without a language", "line:U4", bot.Question{Text: "CTF"}, bot.English, 1},
		{"the conversation already has one", "line:U3", bot.Question{Action: &greet}, bot.Japanese, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lookups = 0
			q := tt.q
			q.Conversation, q.Locale = tt.conv, english
			a, err := b.Answer(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if a.Lang != tt.wantLang || lookups != tt.wantLookups {
				t.Errorf("Answer = %s after %d lookups; want %s after %d", a.Lang, lookups, tt.wantLang, tt.wantLookups)
			}
		})
	}
	// A chosen language wins over the platform's.
	ask(t, b, "line:U5", "日本語")
	lookups = 0
	a, _ := b.Answer(context.Background(), bot.Question{Conversation: "line:U5", Action: &greet, Locale: english})
	if a.Lang != bot.Japanese || lookups != 0 {
		t.Errorf("after 「日本語」: %s after %d lookups; want ja without a lookup", a.Lang, lookups)
	}
	// A platform that does not say leaves the default.
	a, _ = b.Answer(context.Background(), bot.Question{Conversation: "line:U6", Action: &greet, Locale: func(context.Context) bot.Lang { return "" }})
	if a.Lang != bot.Japanese {
		t.Errorf("unknown locale: %s; want ja", a.Lang)
	}
}

// TestShortLabelsFitLINE: every quick reply has a label of at most 20
// UTF-16 units for narrow buttons, in both languages, and the categories
// carry their short labels from the knowledge base.
func TestShortLabelsFitLINE(t *testing.T) {
	b := dialogtest.New(t)
	cat := dialogtest.Catalog(t)
	for _, l := range []bot.Lang{bot.Japanese, bot.English} {
		conv := "test:short:" + string(l)
		for _, a := range []bot.Answer{
			act(t, b, conv, bot.Action{Kind: bot.ActionLang, Value: string(l)}),
			act(t, b, conv, bot.Action{Kind: bot.ActionCategory, Value: "sme"}),
		} {
			if len(a.Suggestions) == 0 {
				t.Fatalf("%s %s: no suggestions", l, a.Kind)
			}
			for _, s := range a.Suggestions {
				if n := len(utf16.Encode([]rune(s.ShortLabel()))); n > 20 {
					t.Errorf("%s %s: ShortLabel %q is %d units; want at most 20", l, a.Kind, s.ShortLabel(), n)
				}
				if s.Action.Kind != bot.ActionCategory {
					continue
				}
				c, ok := cat.Category(s.Action.Value)
				if !ok {
					t.Fatalf("unknown category %q", s.Action.Value)
				}
				if want := c.Short.In(string(l)); s.ShortLabel() != want || s.Label != c.Label.In(string(l)) {
					t.Errorf("%s category %s = %q / short %q; want %q / %q", l, c.ID, s.Label, s.ShortLabel(), c.Label.In(string(l)), want)
				}
			}
		}
	}
}

func TestSlowDownNotice(t *testing.T) {
	b := dialogtest.New(t)
	ask(t, b, "test:slow", "English")
	a := act(t, b, "test:slow", bot.Action{Kind: bot.ActionSlowDown})
	if a.Kind != bot.KindSlowDown || a.Lang != bot.English || a.Text == "" || len(a.Suggestions) != 0 {
		t.Errorf("slow-down notice = %+v; want a short English notice without buttons", a)
	}
	a = act(t, b, "test:slow2", bot.Action{Kind: bot.ActionSlowDown})
	if a.Lang != bot.Japanese || a.Text == "" {
		t.Errorf("slow-down notice without history = %s %q; want Japanese", a.Lang, a.Text)
	}
}
