package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/match"
)

// Config configures a Bot.
type Config struct {
	Catalog *catalog.Catalog
	// Store keeps conversation state; nil makes every turn stand alone
	// (follow-ups such as "more" then find nothing to follow).
	Store ConversationStore
	// Logger receives debug lines per answer; nil discards.
	Logger *slog.Logger
	// PageSize is how many programme cards one answer shows (default 5).
	PageSize int
}

// keepResults bounds the ranking remembered for "more".
const keepResults = 20

// Bot answers questions. It is safe for concurrent use.
type Bot struct {
	cat      *catalog.Catalog
	an       *analysis.Analyzer
	ix       *match.Index
	store    ConversationStore
	log      *slog.Logger
	pageSize int
	phrases  map[string]intent // folded whole message → dialog intent
}

type intent int

const (
	intentNone intent = iota
	intentGreeting
	intentThanks
	intentHelp
	intentMenu
	intentMore
	intentDetails
	intentEnglish
	intentJapanese
)

// New builds a bot: it loads the Japanese dictionary (once per process)
// and indexes the catalog.
func New(cfg Config) (*Bot, error) {
	if cfg.Catalog == nil {
		return nil, errors.New("bot: no catalog")
	}
	an, err := analysis.New(cfg.Catalog.Vocabulary, analysis.WithDictionary(knownTerms(cfg.Catalog)...))
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	b := &Bot{
		cat: cfg.Catalog, an: an, ix: match.New(cfg.Catalog, an),
		store: cfg.Store, log: cfg.Logger, pageSize: cfg.PageSize,
		phrases: map[string]intent{},
	}
	if b.log == nil {
		b.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if b.pageSize <= 0 {
		b.pageSize = 5
	}
	d := cfg.Catalog.Vocabulary.Dialog
	for in, terms := range map[intent]catalog.Terms{
		intentGreeting: d.Greeting, intentThanks: d.Thanks, intentHelp: d.Help, intentMenu: d.Menu,
		intentMore: d.More, intentDetails: d.Details, intentEnglish: d.English, intentJapanese: d.Japanese,
	} {
		for _, t := range terms.All() {
			if k := analysis.Fold(analysis.Normalize(t)); k != "" {
				b.phrases[k] = in
			}
		}
	}
	return b, nil
}

// knownTerms are the words misspellings are corrected to: every name,
// alias and keyword of the knowledge base.
func knownTerms(c *catalog.Catalog) []string {
	var out []string
	for _, in := range c.Initiatives {
		out = append(out, in.Name.EN)
		out = append(out, in.Aliases.All()...)
		out = append(out, in.Keywords.All()...)
	}
	for _, o := range c.Taxonomy.Organizations {
		out = append(out, o.Name.EN, o.Short.EN)
		out = append(out, o.Aliases.EN...) // former names stay known words
	}
	return out
}

// HashID returns a short, stable, non-reversible form of a platform id for
// logs and metrics: raw user ids never appear in a log line.
func HashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:6])
}

// Rank exposes the matcher's ranking of a question, with its evidence, for
// the command line and evaluation.
func (b *Bot) Rank(text string) (analysis.Query, match.Ranking) {
	q := b.an.Analyze(text)
	return q, b.ix.Rank(q)
}

// Forget implements Answerer.
func (b *Bot) Forget(ctx context.Context, conversation string) error {
	if b.store == nil {
		return nil
	}
	if err := b.store.Delete(ctx, conversation); err != nil {
		return fmt.Errorf("bot: forget conversation: %w", err)
	}
	return nil
}

// Answer implements Answerer. It fails only when ctx is done; a state
// store that fails is logged and the answer is given without follow-up
// state.
func (b *Bot) Answer(ctx context.Context, q Question) (Answer, error) {
	if err := ctx.Err(); err != nil {
		return Answer{}, fmt.Errorf("bot: %w", err)
	}
	start := time.Now()
	st := b.load(ctx, q.Conversation)
	before := st
	var a Answer
	if q.Action != nil {
		a = b.act(&st, q)
	} else {
		a = b.text(&st, q)
	}
	st.Lang = a.Lang
	if b.store != nil && q.Conversation != "" && !sameState(before, st) {
		if err := b.store.Save(ctx, q.Conversation, st); err != nil {
			b.log.WarnContext(ctx, "conversation state not saved", "conv", HashID(q.Conversation), "err", err)
		}
	}
	b.log.DebugContext(ctx, "answer", "conv", HashID(q.Conversation), "channel", q.Channel,
		"kind", a.Kind, "lang", a.Lang, "confident", a.Confident, "cards", len(a.Cards), "took", time.Since(start))
	return a, nil
}

func sameState(a, b State) bool {
	if a.Lang != b.Lang || a.LangChosen != b.LangChosen || a.Shown != b.Shown || a.Offset != b.Offset || a.Last != b.Last || len(a.Results) != len(b.Results) {
		return false
	}
	for i := range a.Results {
		if a.Results[i] != b.Results[i] {
			return false
		}
	}
	return true
}

func (b *Bot) load(ctx context.Context, conv string) State {
	if b.store == nil || conv == "" {
		return State{}
	}
	st, err := b.store.Load(ctx, conv)
	if err != nil && !errors.Is(err, ErrNoState) {
		b.log.WarnContext(ctx, "conversation state unavailable", "conv", HashID(conv), "err", err)
	}
	if err != nil {
		return State{}
	}
	return st
}

// lang picks the reply language: an explicit choice, then the text, then
// the conversation so far, then the platform's hint, then Japanese.
func (b *Bot) lang(st *State, q Question, detected string) Lang {
	switch {
	case st.LangChosen && st.Lang.Valid():
		return st.Lang
	case Lang(detected).Valid():
		return Lang(detected)
	case st.Lang.Valid():
		return st.Lang
	case q.Lang.Valid():
		return q.Lang
	}
	return Japanese
}

// act answers a tapped button or platform event.
func (b *Bot) act(st *State, q Question) Answer {
	l := b.lang(st, q, "")
	act := *q.Action
	switch act.Kind {
	case ActionLang:
		return b.switchLang(st, Lang(act.Value))
	case ActionGreet:
		return b.menu(l, KindGreeting, msgGreeting)
	case ActionIntro:
		return b.menu(l, KindIntro, msgIntro)
	case ActionHelp:
		return b.menu(l, KindHelp, msgHelp)
	case ActionMenu:
		return b.menu(l, KindHelp, msgGreeting)
	case ActionUnsupported:
		return b.menu(l, KindUnsupported, msgUnsupported)
	case ActionMore:
		return b.more(st, l)
	case ActionDetails:
		return b.details(st, l, act.Value)
	case ActionCategory:
		return b.categoryAnswer(st, l, act.Value, nil)
	case ActionTrouble:
		return b.urgent(st, l, nil, match.Ranking{Urgent: true})
	case ActionAsk:
		return b.text(st, Question{Conversation: q.Conversation, Text: act.Value, Lang: l, Channel: q.Channel})
	}
	return b.menu(l, KindHelp, msgHelp)
}

// text answers a message.
func (b *Bot) text(st *State, q Question) Answer {
	qa := b.an.Analyze(q.Text)
	l := b.lang(st, q, qa.Lang)
	if qa.Empty() {
		return b.menu(l, KindHelp, msgEmpty)
	}
	switch b.phrases[qa.Key] {
	case intentEnglish:
		return b.switchLang(st, English)
	case intentJapanese:
		return b.switchLang(st, Japanese)
	case intentGreeting:
		return b.menu(l, KindGreeting, msgGreeting)
	case intentThanks:
		return b.menu(l, KindThanks, msgThanks)
	case intentHelp:
		return b.menu(l, KindHelp, msgHelp)
	case intentMenu:
		return b.menu(l, KindHelp, msgGreeting)
	case intentMore:
		return b.more(st, l)
	case intentDetails:
		return b.details(st, l, "")
	}
	if n, ok := selection(qa.Key); ok {
		return b.pick(st, l, n)
	}
	r := b.ix.Rank(qa)
	switch {
	case r.Urgent:
		return b.urgent(st, l, &qa, r)
	case r.Category != "":
		return b.categoryAnswer(st, l, r.Category, r.Results)
	case r.Confident:
		return b.programmes(st, l, r.Results)
	}
	return b.noMatch(l, r.OnTopic)
}

// selection reads a card number: 2, ②, 2番, 2番目, No.2, #2.
func selection(key string) (int, bool) {
	for _, p := range []string{"no", "番号"} {
		key = strings.TrimPrefix(key, p)
	}
	for _, s := range []string{"を詳しく", "詳しく", "の詳細", "について", "番目", "件目", "つ目", "番"} {
		key = strings.TrimSuffix(key, analysis.Fold(s))
	}
	n, err := strconv.Atoi(key)
	if err != nil || n < 1 || n > keepResults {
		return 0, false
	}
	return n, true
}

func (b *Bot) switchLang(st *State, l Lang) Answer {
	if !l.Valid() {
		l = Japanese
	}
	st.Lang, st.LangChosen = l, true
	return b.menu(l, KindLanguage, msgLanguage)
}

// menu is an answer made of a message and the category menu.
func (b *Bot) menu(l Lang, kind Kind, m msg) Answer {
	return Answer{Lang: l, Kind: kind, Text: m.in(l), Suggestions: b.menuSuggestions(l)}
}

func (b *Bot) menuSuggestions(l Lang) []Suggestion {
	var s []Suggestion
	for _, c := range b.cat.Taxonomy.Categories {
		s = append(s, Suggestion{Label: c.Label.In(string(l)), Action: Action{Kind: ActionCategory, Value: c.ID}})
	}
	s = append(s,
		Suggestion{Label: b.labels().Trouble.In(string(l)), Action: Action{Kind: ActionTrouble}},
		Suggestion{Label: b.labels().Help.In(string(l)), Action: Action{Kind: ActionHelp}},
		b.langSuggestion(l),
	)
	return s
}

func (b *Bot) langSuggestion(l Lang) Suggestion {
	other := English
	if l == English {
		other = Japanese
	}
	return Suggestion{Label: b.labels().Language.In(string(l)), Action: Action{Kind: ActionLang, Value: string(other)}}
}

// followUps are the quick replies under a list of programmes.
func (b *Bot) followUps(l Lang, more bool) []Suggestion {
	var s []Suggestion
	if more {
		s = append(s, Suggestion{Label: b.labels().More.In(string(l)), Action: Action{Kind: ActionMore}})
	}
	for _, c := range b.cat.Taxonomy.Categories {
		s = append(s, Suggestion{Label: c.Label.In(string(l)), Action: Action{Kind: ActionCategory, Value: c.ID}})
	}
	return append(s,
		Suggestion{Label: b.labels().Menu.In(string(l)), Action: Action{Kind: ActionMenu}},
		b.langSuggestion(l),
	)
}

// remember stores a ranking for follow-ups and returns its first page.
func (b *Bot) remember(st *State, ids []string) []string {
	if len(ids) > keepResults {
		ids = ids[:keepResults]
	}
	st.Results = ids
	st.Offset = 0
	st.Shown = min(len(ids), b.pageSize)
	st.Last = ""
	return ids[:st.Shown]
}

func (b *Bot) cards(l Lang, ids []string, scores map[string]float64) []Card {
	out := make([]Card, 0, len(ids))
	for _, id := range ids {
		if in, ok := b.cat.Initiative(id); ok {
			out = append(out, b.card(in, l, scores[id]))
		}
	}
	return out
}

func (b *Bot) programmes(st *State, l Lang, results []match.Result) Answer {
	ids, scores := idsOf(results)
	page := b.remember(st, ids)
	a := Answer{Lang: l, Kind: KindProgrammes, Confident: true, Total: len(st.Results), Footer: b.footer(l)}
	a.Cards = b.cards(l, page, scores)
	switch {
	case a.Total == 1:
		a.Text = msgFoundOne.in(l)
	case a.HasMore():
		a.Text = msgFoundPage.f(l, a.Total, len(a.Cards))
	default:
		a.Text = msgFound.f(l, a.Total)
	}
	a.Suggestions = b.followUps(l, a.HasMore())
	return a
}

func idsOf(results []match.Result) ([]string, map[string]float64) {
	ids := make([]string, len(results))
	scores := make(map[string]float64, len(results))
	for i, r := range results {
		ids[i] = r.Initiative.ID
		scores[r.Initiative.ID] = r.Score
	}
	return ids, scores
}

// categoryAnswer lists a category: ranked by the question when there is
// one, in the seed's order when it was picked from the menu.
func (b *Bot) categoryAnswer(st *State, l Lang, id string, ranked []match.Result) Answer {
	cat, ok := b.cat.Category(id)
	if !ok {
		return b.menu(l, KindHelp, msgUnknownID)
	}
	var ids []string
	scores := map[string]float64{}
	if ranked != nil {
		ids, scores = idsOf(ranked)
	} else {
		for _, in := range b.cat.InCategory(id) {
			ids = append(ids, in.ID)
		}
	}
	page := b.remember(st, ids)
	a := Answer{Lang: l, Kind: KindCategory, Confident: len(ids) > 0, Total: len(st.Results), Footer: b.footer(l)}
	a.Cards = b.cards(l, page, scores)
	label := cat.Label.In(string(l))
	if a.HasMore() {
		a.Text = msgCatPage.f(l, label, a.Total, len(a.Cards))
	} else {
		a.Text = msgCategory.f(l, label, a.Total)
	}
	a.Suggestions = b.followUps(l, a.HasMore())
	return a
}

func (b *Bot) more(st *State, l Lang) Answer {
	if st.Shown >= len(st.Results) {
		a := b.menu(l, KindHelp, msgNoMore)
		return a
	}
	start := st.Shown
	end := min(len(st.Results), start+b.pageSize)
	st.Offset, st.Shown, st.Last = start, end, ""
	a := Answer{Lang: l, Kind: KindProgrammes, Confident: true, Total: len(st.Results), Offset: start, Footer: b.footer(l)}
	a.Cards = b.cards(l, st.Results[start:end], nil)
	a.Text = msgMore.f(l, len(a.Cards), start+1, end, a.Total)
	if l == Japanese {
		a.Text = msgMore.f(l, len(a.Cards), a.Total, start+1, end)
	}
	a.Suggestions = b.followUps(l, a.HasMore())
	return a
}

// pick opens the n-th card of the last page.
func (b *Bot) pick(st *State, l Lang, n int) Answer {
	i := st.Offset + n - 1
	if i >= st.Shown || i >= len(st.Results) {
		return b.menu(l, KindHelp, msgNoSelection)
	}
	return b.details(st, l, st.Results[i])
}

// details opens one programme; with no id, the one the conversation is
// about (the last opened, else the first card shown).
func (b *Bot) details(st *State, l Lang, id string) Answer {
	if id == "" {
		switch {
		case st.Last != "":
			id = st.Last
		case st.Offset < len(st.Results):
			id = st.Results[st.Offset]
		default:
			return b.menu(l, KindHelp, msgNoSelection)
		}
	}
	in, ok := b.cat.Initiative(id)
	if !ok {
		return b.menu(l, KindHelp, msgUnknownID)
	}
	st.Last = id
	a := Answer{Lang: l, Kind: KindDetails, Confident: true, Text: msgDetails.f(l, in.Name.In(string(l))), Footer: b.footer(l)}
	a.Cards = []Card{b.detail(in, l)}
	a.Suggestions = b.followUps(l, st.Shown < len(st.Results))
	return a
}

// urgent leads with contact points, then the programmes that help when an
// incident happens.
func (b *Bot) urgent(st *State, l Lang, q *analysis.Query, r match.Ranking) Answer {
	topics := map[string]bool{"police": true, "individual": true, "company": true}
	if q != nil {
		for _, h := range q.Concepts {
			for _, t := range b.an.Concept(h).Contacts {
				topics[t] = true
			}
		}
	}
	a := Answer{Lang: l, Kind: KindUrgent, Text: msgUrgent.in(l), Contacts: b.contacts(l, topics), Footer: b.footer(l)}
	// The programmes that help with trouble and are meant for this
	// person. When none is (a parent: the SME help desks are not for
	// them), the contact points are the help, and the programmes that fit
	// the question otherwise follow, said to be just that.
	results, note := r.Help, msgUrgentCards
	if len(results) == 0 && r.Confident {
		results, note = r.Results, msgUrgentOther
	}
	ids, scores := idsOf(results)
	page := b.remember(st, ids)
	a.Cards = b.cards(l, page, scores)
	a.Confident = len(a.Cards) > 0
	a.Total = len(st.Results)
	if len(a.Cards) > 0 {
		a.Text += "\n" + note.in(l)
	}
	a.Suggestions = b.followUps(l, a.HasMore())
	return a
}

func (b *Bot) noMatch(l Lang, onTopic bool) Answer {
	m := msgOffTopic
	if onTopic {
		m = msgNoMatch
	}
	a := b.menu(l, KindNoMatch, m)
	a.Text += "\n" + msgNoMatchAid.in(l)
	a.Contacts = b.contacts(l, map[string]bool{"individual": true, "company": true})
	return a
}
