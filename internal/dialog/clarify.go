package dialog

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/match"
)

// clarify answers a question that is on topic but unclear: the matcher's
// best guesses as cards, and a short question back with the choices of
// the vocabulary (dialog.clarify) as quick replies: who the question is
// for when it names nobody, whether trouble is happening now unless it
// says. The question is kept (State.Asked) so that a tapped choice can
// refine it.
func (b turn) clarify(st *bot.State, l bot.Lang, text string, r match.Ranking) bot.Answer {
	ids, scores := idsOf(r.Results)
	page := b.remember(st, ids)
	st.Asked = cut(text, bot.MaxAsked)
	a := bot.Answer{Lang: l, Kind: bot.KindClarify, Confident: len(page) > 0, Total: len(st.Results), Footer: b.footer(l)}
	a.Cards = b.cards(l, page, scores)
	who, when := r.AskWho, r.AskWhen
	if !who && !when {
		who = true
	}
	var ask []string
	if who {
		ask = append(ask, msgAskWho.in(l))
	}
	if when {
		ask = append(ask, msgAskWhen.in(l))
	}
	a.Text = msgClarify.in(l) + "\n" + strings.Join(ask, "\n")
	for _, c := range b.cat.Vocabulary.Dialog.Clarify {
		if c.Who && who || !c.Who && when {
			a.Suggestions = append(a.Suggestions, bot.Suggestion{Label: c.Label.In(string(l)), Action: bot.Action{Kind: bot.ActionRefine, Value: c.ID}})
		}
	}
	a.Suggestions = append(a.Suggestions,
		bot.Suggestion{Label: b.labels().Menu.In(string(l)), Action: bot.Action{Kind: bot.ActionMenu}},
		b.langSuggestion(l),
	)
	return a
}

// refine answers a tapped choice of an answer that asked back: the
// question asked then, with the choice's words added, is answered again
// and not asked back about a second time. With no question kept (the
// conversation expired, or another answer came between), it says so and
// offers the menu.
func (b turn) refine(ctx context.Context, st *bot.State, q bot.Question, l bot.Lang, id string) bot.Answer {
	choice, ok := b.choice(id)
	if !ok || st.Asked == "" {
		return b.menu(l, bot.KindHelp, msgNoQuestion)
	}
	text := st.Asked + "\n" + choice.Adds.In(string(l))
	return b.answerText(ctx, st, bot.Question{Conversation: q.Conversation, Text: text, Lang: l, Channel: q.Channel}, true)
}

func (b turn) choice(id string) (catalog.Choice, bool) {
	for _, c := range b.cat.Vocabulary.Dialog.Clarify {
		if c.ID == id {
			return c, true
		}
	}
	return catalog.Choice{}, false
}

// listing answers a question that asks for what its facets hold
// (「経産省の中小企業向け」, "certifications", 「大阪で何かある？」): every
// programme in them, ranked by the rest of the question, with its count
// and "more". A place no programme is specific to says so.
func (b turn) listing(st *bot.State, l bot.Lang, facets []match.Facet, results []match.Result) bot.Answer {
	ids, scores := idsOf(results)
	page := b.remember(st, ids)
	a := bot.Answer{Lang: l, Kind: bot.KindCategory, Confident: len(page) > 0, Total: len(st.Results), Footer: b.footer(l)}
	a.Cards = b.cards(l, page, scores)
	label, place, held := b.facetLabel(l, facets)
	where := msgPlace.f(l, place, a.Total)
	if held != "" {
		where = msgArea.f(l, place, held, a.Total)
	}
	switch {
	case place != "" && label == "":
		a.Text = where
	case place != "":
		a.Text = where + "\n" + msgCategory.f(l, label, a.Total)
	default:
		a.Text = msgCategory.f(l, label, a.Total)
	}
	if a.HasMore() {
		a.Text += msgShowing.f(l, len(a.Cards))
	}
	a.Suggestions = b.followUps(l, a.HasMore())
	return a
}

// facetLabel names facets for a listing's text: their labels joined
// ("経済産業省・中小企業向け"), and apart the place no programme is
// specific to, if one was named, with the regions it holds when it is a
// wider area (九州: 長崎県).
func (b turn) facetLabel(l bot.Lang, facets []match.Facet) (label, place, held string) {
	var regions []string
	lang := string(l)
	var parts []string
	for _, f := range facets {
		switch f.Type {
		case match.ByOrganization:
			if o, ok := b.cat.Organization(f.ID); ok {
				parts = append(parts, o.Display(lang))
			}
		case match.ByRegion:
			parts = append(parts, b.cat.Region(f.ID).In(lang))
		case match.ByKind:
			parts = append(parts, b.cat.Kind(f.ID).In(lang))
		case match.ByAudience:
			parts = append(parts, b.cat.Audience(f.ID).In(lang))
		case match.ByCategory:
			if c, ok := b.cat.Category(f.ID); ok {
				parts = append(parts, c.Label.In(lang))
			}
		case match.ByPlace:
			place = placeName(f.Term)
			if f.ID != "" {
				regions = append(regions, b.cat.Region(f.ID).In(lang))
			}
		}
	}
	sep := "・"
	if l == bot.English {
		sep = ", "
	}
	return strings.Join(parts, sep), place, strings.Join(regions, sep)
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// placeName writes a place as a name: the taxonomy lists Latin places in
// lower case, as questions are matched ("fukuoka" → "Fukuoka").
func placeName(term string) string {
	words := strings.Fields(term)
	for i, w := range words {
		if w != "" && w[0] >= 'a' && w[0] <= 'z' {
			words[i] = string(w[0]-'a'+'A') + w[1:]
		}
	}
	if len(words) == 0 {
		return term
	}
	return strings.Join(words, " ")
}
