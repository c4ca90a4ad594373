package dialog

import (
	"github.com/supportbot/supportbot/internal/bot"

	"strings"

	"github.com/supportbot/supportbot/internal/catalog"
)

// card is an initiative in a language, with the matcher's score. The
// cards of a knowledge version are made once (makeCards) and copied;
// their slices are shared, and read-only like the rest of a version.
func (b turn) card(in *catalog.Initiative, l bot.Lang, score float64) bot.Card {
	if cs, ok := b.cardsByID[in.ID]; ok {
		c := cs[langIndex(l)]
		c.Score = score
		return c
	}
	return b.makeCard(in, l, score)
}

// langIndex orders the languages of a card pair: Japanese, English.
func langIndex(l bot.Lang) int {
	if l == bot.English {
		return 1
	}
	return 0
}

// makeCards renders every initiative in both languages, for card.
func (k *Knowledge) makeCards() {
	t := turn{Knowledge: k}
	k.cardsByID = make(map[string][2]bot.Card, len(k.cat.Initiatives))
	for _, in := range k.cat.Initiatives {
		k.cardsByID[in.ID] = [2]bot.Card{t.makeCard(in, bot.Japanese, 0), t.makeCard(in, bot.English, 0)}
	}
}

// makeCard renders an initiative in a language.
func (b turn) makeCard(in *catalog.Initiative, l bot.Lang, score float64) bot.Card {
	lang := string(l)
	c := bot.Card{
		ID:       in.ID,
		Title:    in.Name.In(lang),
		Summary:  in.Summary.In(lang),
		NextStep: in.NextStep.In(lang),
		Score:    score,
	}
	for _, id := range in.Organizations {
		if o, ok := b.cat.Organization(id); ok {
			c.Organizations = append(c.Organizations, o.Display(lang))
		}
	}
	for _, id := range in.Audiences {
		c.Audiences = append(c.Audiences, b.cat.Audience(id).In(lang))
	}
	for _, id := range in.Kinds {
		c.Kinds = append(c.Kinds, b.cat.Kind(id).In(lang))
	}
	for _, id := range in.Regions {
		c.Regions = append(c.Regions, b.cat.Region(id).In(lang))
	}
	if in.URL != nil {
		c.URL = in.URL.URL
	}
	// The status speaks for now, with its date; without a verified one
	// the card says so rather than leave the plan to speak for today.
	c.Status = msgNoStatus.in(l)
	if in.Status != nil {
		c.Status = seenAt(l, in.Status.Text.In(lang), catalog.Month(in.Status.Seen, lang))
	}
	var lines []string
	for _, s := range in.Sources {
		c.Sources = append(c.Sources, bot.Source{File: s.File, Line: s.Line})
		if s.Relist {
			lines = append(lines, msgRelisted.f(l, s.Line))
		} else {
			lines = append(lines, msgLine.f(l, s.Line))
		}
	}
	sep := "、"
	if l == bot.English {
		sep = ", "
	}
	c.Citation = msgCitation.f(l, strings.Join(lines, sep))
	details := bot.Action{Kind: bot.ActionDetails, Value: in.ID}
	c.Buttons = append(c.Buttons, bot.Button{Label: b.labels().Details.In(lang), Action: &details})
	if c.URL != "" {
		site := b.labels().Site
		if in.URL.Related {
			site = b.labels().Related
		}
		c.Buttons = append(c.Buttons, bot.Button{Label: site.In(lang), URL: c.URL})
	}
	return c
}

// detail renders the full view of an initiative.
func (b turn) detail(in *catalog.Initiative, l bot.Lang) bot.Card {
	lang := string(l)
	c := b.card(in, l, 0)
	c.Buttons = c.Buttons[1:] // the card is already the details
	d := &bot.Detail{SeedText: in.TextJA, Owner: msgOwnerOther.in(l)}
	if in.Owner == catalog.OwnerMinistry {
		d.Owner = msgOwnerMin.in(l)
	}
	for _, s := range in.Sources {
		if s.Note != "" {
			d.Notes = append(d.Notes, msgNoteNew.f(l, s.Note))
		}
		if s.Relist {
			d.Notes = append(d.Notes, msgRelisted.f(l, s.Line))
		}
	}
	if in.Status != nil {
		d.Facts = append(d.Facts, bot.Fact{Text: in.Status.Text.In(lang), Source: in.Status.Source, Seen: in.Status.Seen})
	}
	for _, f := range in.Facts {
		d.Facts = append(d.Facts, bot.Fact{Text: f.Text.In(lang), Source: f.Source, Seen: f.Seen})
	}
	c.Detail = d
	return c
}

// contacts picks the general contact points for topics, in the order the
// knowledge base lists them; for a private person's trouble, none of the
// desks only for organisations.
func (b turn) contacts(l bot.Lang, topics map[string]bool, private bool) []bot.Contact {
	var out []bot.Contact
	for _, c := range b.cat.Contacts {
		if private && c.Organisations {
			continue
		}
		for _, t := range c.Topics {
			if topics[t] {
				out = append(out, bot.Contact{Name: c.Name.In(string(l)), What: c.What.In(string(l)), Phone: c.Phone, URL: c.URL})
				break
			}
		}
	}
	return out
}

// seenAt adds when a status was seen: "実施中。（2026-11時点）".
func seenAt(l bot.Lang, text, seen string) string {
	if l == bot.English {
		return text + " (" + bot.AsOf(l, seen) + ")"
	}
	return text + "（" + bot.AsOf(l, seen) + "）"
}
