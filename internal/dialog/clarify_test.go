package dialog_test

import (
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/bot/bottest"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
)

// TestAskBackAndRefine: an unclear question on topic gets best guesses and
// a question back; a tapped choice refines that question and is answered
// without asking again.
func TestAskBackAndRefine(t *testing.T) {
	b := dialogtest.New(t)
	const conv = "test:askback"
	a := ask(t, b, conv, "スマホ")
	if a.Kind != bot.KindClarify || !a.Confident || len(a.Cards) == 0 || len(a.Cards) > 3 {
		t.Fatalf("Answer(スマホ) = kind %s confident %v with %d cards; want clarify with 1-3 guesses", a.Kind, a.Confident, len(a.Cards))
	}
	if p := bottest.Problems(a); len(p) > 0 {
		t.Fatalf("Answer(スマホ) is not well formed: %v", p)
	}
	var child *bot.Action
	for _, s := range a.Suggestions {
		if s.Action.Kind == bot.ActionRefine && s.Action.Value == "child" {
			child = &s.Action
		}
	}
	if child == nil {
		t.Fatalf("Answer(スマホ).Suggestions = %+v; want the choice child", a.Suggestions)
	}
	r := act(t, b, conv, *child)
	if r.Kind == bot.KindClarify || !r.Confident || len(r.Cards) == 0 {
		t.Fatalf("refine child = kind %s confident %v with %d cards; want programmes, not another question", r.Kind, r.Confident, len(r.Cards))
	}
	if !hasAudience(r.Cards[0], "保護者") && !hasAudience(r.Cards[0], "児童") {
		t.Errorf("refine child: first card %s is for %v; want parents or children", r.Cards[0].ID, r.Cards[0].Audiences)
	}
	// The question was answered: the same choice again has nothing to refine.
	if again := act(t, b, conv, *child); again.Kind != bot.KindHelp {
		t.Errorf("second refine = kind %s; want help (no question kept)", again.Kind)
	}
}

func TestAskBackNeedsATopic(t *testing.T) {
	b := dialogtest.New(t)
	for _, q := range []string{"weather in Osaka", "おすすめの映画", "補助金で店を改装したい", "which tablet should I buy for my daughter"} {
		if a := ask(t, b, "", q); a.Kind != bot.KindNoMatch || a.Confident {
			t.Errorf("Answer(%q) = kind %s confident %v; want nothing fits", q, a.Kind, a.Confident)
		}
	}
}

// TestFacetListing: a question naming facets gets their programmes with
// the count, a page at a time.
func TestFacetListing(t *testing.T) {
	b := dialogtest.New(t)
	const conv = "test:listing"
	a := ask(t, b, conv, "経産省の取り組みを教えて")
	if a.Kind != bot.KindCategory || a.Total != 9 || len(a.Cards) != 5 || !a.HasMore() {
		t.Fatalf("Answer(経産省の取り組み) = kind %s total %d cards %d; want a listing of 9, 5 shown", a.Kind, a.Total, len(a.Cards))
	}
	if !strings.Contains(a.Text, "経済産業省") || !strings.Contains(a.Text, "9") {
		t.Errorf("Answer(経産省の取り組み).Text = %q; want the ministry and the count", a.Text)
	}
	if more := ask(t, b, conv, "もっと"); len(more.Cards) != 4 || more.HasMore() {
		t.Errorf("more = %d cards, more %v; want the last 4", len(more.Cards), more.HasMore())
	}
	p := ask(t, b, "", "福岡県の取り組み")
	if p.Kind != bot.KindCategory || !strings.Contains(p.Text, "福岡県") || len(p.Cards) == 0 {
		t.Errorf("Answer(福岡県の取り組み) = kind %s %q; want the programmes that run anywhere, the place named", p.Kind, p.Text)
	}
	// A wider area holds a region: its programmes lead, with those that
	// run anywhere, and the text names both.
	k := ask(t, b, "", "anything in kyushu?")
	if k.Kind != bot.KindCategory || len(k.Cards) == 0 || k.Cards[0].ID != "sasebo-kosen-cyber-volunteers" || !strings.Contains(k.Text, "Kyushu") || !strings.Contains(k.Text, "Nagasaki") {
		t.Errorf("Answer(anything in kyushu?) = kind %s %q, first %v; want Nagasaki's programme first, Kyushu and Nagasaki named", k.Kind, k.Text, cardIDs(k.Cards))
	}
	e := ask(t, b, "", "police programmes for schools")
	if e.Kind != bot.KindCategory || e.Total != 2 || e.Lang != bot.English {
		t.Errorf("Answer(police programmes for schools) = kind %s total %d lang %s; want an English listing of 2", e.Kind, e.Total, e.Lang)
	}
}
