package dialog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/learned"
	"github.com/supportbot/supportbot/internal/match"
)

// Config configures an Engine.
type Config struct {
	Catalog *catalog.Catalog
	// Knowledge is a version already built from a catalog (NewKnowledge);
	// when set, Catalog is not used. A reload builds and checks a version
	// before any engine answers from it.
	Knowledge *Knowledge
	// Store keeps conversation state; nil makes every turn stand alone
	// (follow-ups such as "more" then find nothing to follow).
	Store bot.ConversationStore
	// Logger receives debug lines per answer; nil discards.
	Logger *slog.Logger
	// PageSize is how many programme cards one answer shows (default 5).
	PageSize int
}

// keepResults bounds the ranking remembered for "more".
const keepResults = 20

// Engine answers questions. It is safe for concurrent use, and its
// knowledge can be replaced while it answers (Swap): each answer uses the
// version it started with from start to end.
type Engine struct {
	k        atomic.Pointer[Knowledge]
	store    bot.ConversationStore
	log      *slog.Logger
	pageSize int
}

// Knowledge is one version of the knowledge base made ready to answer
// from: the catalog, its analyser and its index, and the dialog's phrases.
// It is read-only once built.
type Knowledge struct {
	cat     *catalog.Catalog
	an      *analysis.Analyzer
	ix      *match.Index
	phrases map[string]intent // folded whole message → dialog intent
	// numberAffixes are the folded words around a card number, prefixes
	// then suffixes (vocabulary dialog.number_prefixes, number_suffixes).
	numberAffixes [2][]string
	// greetings are the greeting phrases as a message may start with them:
	// English as words ("good", "morning"), Japanese folded (コンニチハ).
	greetWords [][]string
	greetKeys  []string
	greetWord  map[string]bool // every word of every greeting, as a token reads it
	// cardsByID are every initiative's card, Japanese then English: an
	// answer copies them instead of building them again.
	cardsByID map[string][2]bot.Card
	// endWords end a conversation with the staff while one is open
	// (vocabulary dialog.end), folded; apart from phrases, since "bye"
	// thanks the bot otherwise.
	endWords map[string]bool
	// noMatchTopics are the contact topics of "nothing fits" (contacts.yaml).
	noMatchTopics map[string]bool
}

// Catalog returns the knowledge base this version was built from.
func (k *Knowledge) Catalog() *catalog.Catalog { return k.cat }

// Analyzer returns the analyser questions are read with (the catalog's
// vocabulary, the dictionary with its terms).
func (k *Knowledge) Analyzer() *analysis.Analyzer { return k.an }

// WithLearned returns this version with other learned models (nil:
// none), for measuring models trained without some questions against
// them.
func (k *Knowledge) WithLearned(s *learned.Scope, p *learned.Programmes) *Knowledge {
	c := *k
	c.ix = k.ix.WithLearned(s, p)
	return &c
}

// turn is what one answer works with: one version of the knowledge and
// the engine's settings.
type turn struct {
	*Knowledge
	pageSize int
	// desk is where the conversation stands with the staff (handoff);
	// nil when no desk is in front of the engine.
	desk *bot.Desk
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

// New builds an engine over cfg.Knowledge, or else over cfg.Catalog: it
// loads the Japanese dictionary (once per process) and indexes the
// catalog.
func New(cfg Config) (*Engine, error) {
	k := cfg.Knowledge
	if k == nil {
		var err error
		if k, err = NewKnowledge(cfg.Catalog); err != nil {
			return nil, err
		}
	}
	e := &Engine{store: cfg.Store, log: cfg.Logger, pageSize: cfg.PageSize}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.pageSize <= 0 {
		e.pageSize = 5
	}
	e.k.Store(k)
	return e, nil
}

// NewKnowledge makes a catalog ready to answer from: its analyser (with
// the dictionary, loaded once per process) and its index. It takes about
// 0.1 s; build it before Swap, beside the version in use.
func NewKnowledge(cat *catalog.Catalog) (*Knowledge, error) {
	if cat == nil {
		return nil, errors.New("dialog: no catalog")
	}
	an, err := analysis.New(cat.Vocabulary, analysis.WithDictionary(knownTerms(cat)...))
	if err != nil {
		return nil, fmt.Errorf("dialog: %w", err)
	}
	k := &Knowledge{cat: cat, an: an, ix: match.New(cat, an), phrases: map[string]intent{}}
	d := cat.Vocabulary.Dialog
	for in, terms := range map[intent]catalog.Terms{
		intentGreeting: d.Greeting, intentThanks: d.Thanks, intentHelp: d.Help, intentMenu: d.Menu,
		intentMore: d.More, intentDetails: d.Details, intentEnglish: d.English, intentJapanese: d.Japanese,
	} {
		for _, t := range terms.All() {
			if key := analysis.Fold(analysis.Normalize(t)); key != "" {
				k.phrases[key] = in
			}
		}
	}
	k.endWords = map[string]bool{}
	for _, t := range d.End.All() {
		if key := analysis.Fold(analysis.Normalize(t)); key != "" {
			k.endWords[key] = true
		}
	}
	k.greetWord = map[string]bool{}
	for _, g := range d.Greeting.All() {
		for _, t := range an.AnalyzeDocument(g).Tokens {
			k.greetWord[t.Key] = true
		}
	}
	for _, g := range d.Greeting.EN {
		if w := strings.Fields(analysis.Normalize(g)); len(w) > 0 {
			k.greetWords = append(k.greetWords, w)
		}
	}
	for _, g := range d.Greeting.JA {
		if key := analysis.Fold(analysis.Normalize(g)); key != "" {
			k.greetKeys = append(k.greetKeys, key)
		}
	}
	k.noMatchTopics = set(cat.NoMatchTopics)
	for i, list := range [2][]string{d.NumberPrefixes, d.NumberSuffixes} {
		for _, w := range list {
			if key := analysis.Fold(analysis.Normalize(w)); key != "" {
				k.numberAffixes[i] = append(k.numberAffixes[i], key)
			}
		}
	}
	k.makeCards()
	return k, nil
}

// Knowledge returns the version answers start with now.
func (e *Engine) Knowledge() *Knowledge { return e.k.Load() }

// Swap makes k the version new answers use and returns the one it
// replaces; answers under way finish on the old one.
func (e *Engine) Swap(k *Knowledge) *Knowledge { return e.k.Swap(k) }

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

// Rank exposes the matcher's ranking of a question, with its evidence, for
// the command line and evaluation.
func (b *Engine) Rank(text string) (analysis.Query, match.Ranking) {
	k := b.k.Load()
	q := k.an.Analyze(text)
	return q, k.ix.Rank(q)
}

// Forget implements bot.Answerer.
func (b *Engine) Forget(ctx context.Context, conversation string) error {
	if b.store == nil {
		return nil
	}
	if err := b.store.Delete(ctx, conversation); err != nil {
		return fmt.Errorf("bot: forget conversation: %w", err)
	}
	return nil
}

// Answer implements bot.Answerer. It fails only when ctx is done; a state
// store that fails is logged and the answer is given without follow-up
// state.
func (b *Engine) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	if err := ctx.Err(); err != nil {
		return bot.Answer{}, fmt.Errorf("dialog: %w", err)
	}
	start := time.Now()
	st := b.load(ctx, q.Conversation)
	before := st
	t := turn{b.k.Load(), b.pageSize, q.Desk}
	open := q.Desk != nil && q.Desk.Ticket != 0
	var a bot.Answer
	switch {
	case open && (q.Action == nil || q.Action.Kind == bot.ActionUnsupported):
		// Talking with the staff: text is theirs, not the matcher's.
		a = t.handoffTurn(ctx, &st, q)
	case q.Action != nil:
		a = t.act(ctx, &st, q)
	case q.Attachments > 0 && strings.TrimSpace(q.Text) == "":
		a = t.act(ctx, &st, bot.Question{Action: &bot.Action{Kind: bot.ActionUnsupported}, Lang: q.Lang, Locale: q.Locale})
	default:
		a = t.text(ctx, &st, q)
		if q.Attachments > 0 {
			// Files are not read: say so, then answer the words.
			a.Text = msgAttachments.in(a.Lang) + "\n" + a.Text
		}
	}
	if !open {
		rememberTurn(&st, q, a)
	}
	st.Lang = a.Lang
	if b.store != nil && q.Conversation != "" && !sameState(before, st) {
		if err := b.store.Save(ctx, q.Conversation, st); err != nil {
			b.log.WarnContext(ctx, "conversation state not saved", "conv", bot.HashID(q.Conversation), "err", err)
		}
	}
	b.log.DebugContext(ctx, "answer", "conv", bot.HashID(q.Conversation), "channel", q.Channel,
		"kind", a.Kind, "lang", a.Lang, "confident", a.Confident, "cards", len(a.Cards), "took", time.Since(start))
	return a, nil
}

func sameState(a, b bot.State) bool {
	if a.Lang != b.Lang || a.LangChosen != b.LangChosen || a.Shown != b.Shown || a.Offset != b.Offset || a.Last != b.Last || a.Asked != b.Asked || a.Answered != b.Answered {
		return false
	}
	return slices.Equal(a.Results, b.Results) && slices.Equal(a.Recent, b.Recent)
}

func (b *Engine) load(ctx context.Context, conv string) bot.State {
	if b.store == nil || conv == "" {
		return bot.State{}
	}
	st, err := b.store.Load(ctx, conv)
	if err != nil && !errors.Is(err, bot.ErrNoState) {
		b.log.WarnContext(ctx, "conversation state unavailable", "conv", bot.HashID(conv), "err", err)
	}
	if err != nil {
		return bot.State{}
	}
	return st
}

// lang picks the reply language: an explicit choice, then the text, then
// the conversation so far, then the platform's hint, then the person's
// language on the platform (looked up only now, when nothing else says),
// then Japanese.
func (b turn) lang(ctx context.Context, st *bot.State, q bot.Question, detected string) bot.Lang {
	switch {
	case st.LangChosen && st.Lang.Valid():
		return st.Lang
	case bot.Lang(detected).Valid():
		return bot.Lang(detected)
	case st.Lang.Valid():
		return st.Lang
	case q.Lang.Valid():
		return q.Lang
	}
	if q.Locale != nil {
		if l := q.Locale(ctx); l.Valid() {
			return l
		}
	}
	return bot.Japanese
}

// act answers a tapped button or platform event.
func (b turn) act(ctx context.Context, st *bot.State, q bot.Question) bot.Answer {
	detected := ""
	if q.Text != "" && q.Action.Kind == bot.ActionSlowDown {
		// The notice speaks the language of the words it answers.
		detected = b.an.Lang(q.Text)
	}
	l := b.lang(ctx, st, q, detected)
	act := *q.Action
	switch act.Kind {
	case bot.ActionLang:
		return b.switchLang(st, bot.Lang(act.Value))
	case bot.ActionGreet:
		return b.menu(l, bot.KindGreeting, msgGreeting)
	case bot.ActionIntro:
		return b.menu(l, bot.KindIntro, msgIntro)
	case bot.ActionHelp:
		return b.menu(l, bot.KindHelp, msgHelp)
	case bot.ActionMenu:
		return b.menu(l, bot.KindHelp, msgGreeting)
	case bot.ActionUnsupported:
		return b.menu(l, bot.KindUnsupported, msgUnsupported)
	case bot.ActionSlowDown:
		// No buttons: a tap would only be refused again.
		return bot.Answer{Lang: l, Kind: bot.KindSlowDown, Text: msgSlowDown.in(l)}
	case bot.ActionMore:
		return b.more(st, l)
	case bot.ActionDetails:
		return b.details(st, l, act.Value)
	case bot.ActionCategory:
		return b.categoryAnswer(st, l, act.Value, nil)
	case bot.ActionTrouble:
		return b.urgent(st, l, nil, match.Ranking{Urgent: true})
	case bot.ActionAsk:
		return b.text(ctx, st, bot.Question{Conversation: q.Conversation, Text: act.Value, Lang: l, Channel: q.Channel})
	case bot.ActionRefine:
		return b.refine(ctx, st, q, l, act.Value)
	case bot.ActionFeedback:
		return b.feedback(l, bot.Vote(act.Value))
	case bot.ActionHandoff, bot.ActionConsent, bot.ActionDecline, bot.ActionEnd, bot.ActionRate:
		return b.handoffAct(st, q, l)
	}
	return b.menu(l, bot.KindHelp, msgHelp)
}

// text answers a message.
func (b turn) text(ctx context.Context, st *bot.State, q bot.Question) bot.Answer {
	return b.answerText(ctx, st, q, false)
}

// answerText answers a message; a refined question (the person tapped a
// choice of an answer that asked back) is not asked back about again.
func (b turn) answerText(ctx context.Context, st *bot.State, q bot.Question, refined bool) bot.Answer {
	st.Asked = ""
	qa := b.an.Analyze(q.Text)
	l := b.lang(ctx, st, q, qa.Lang)
	if qa.Empty() {
		return b.menu(l, bot.KindHelp, msgEmpty)
	}
	switch b.phrases[qa.Key] {
	case intentEnglish:
		return b.switchLang(st, bot.English)
	case intentJapanese:
		return b.switchLang(st, bot.Japanese)
	case intentGreeting:
		return b.menu(l, bot.KindGreeting, msgGreeting)
	case intentThanks:
		return b.menu(l, bot.KindThanks, msgThanks)
	case intentHelp:
		return b.menu(l, bot.KindHelp, msgHelp)
	case intentMenu:
		return b.menu(l, bot.KindHelp, msgGreeting)
	case intentMore:
		return b.more(st, l)
	case intentDetails:
		return b.details(st, l, "")
	}
	if n, ok := b.selection(qa.Key); ok {
		return b.pick(st, l, n)
	}
	r := b.ix.RankBare(qa, refined)
	switch {
	case r.Urgent:
		return b.urgent(st, l, &qa, r)
	case r.Listing:
		return b.listing(st, l, r.Listed, r.Results)
	case r.Category != "":
		return b.categoryAnswer(st, l, r.Category, r.Results)
	case r.Clarify && !refined:
		return b.clarify(st, l, q.Text, r)
	case r.Confident:
		return b.programmes(st, l, r.Results)
	case !r.OnTopic && !r.Anchored && len(qa.Concepts) == 0 && b.greets(qa) && b.asksNothing(qa):
		// "Hello, world", 「こんにちは、ボットさん」: a greeting and words
		// that ask for nothing are a greeting.
		return b.menu(l, bot.KindGreeting, msgGreeting)
	}
	return b.noMatch(l, r.OnTopic)
}

// asksNothing reports whether a message that starts with a greeting says
// at most one word besides it ("world", "bot", 「ボットさん」): a need
// would take more ("what's the weather in Osaka").
func (b turn) asksNothing(qa analysis.Query) bool {
	others := 0
	for _, t := range qa.Tokens {
		// A compound's parts are tokens too (ボット in ボットさん).
		if !t.Compound && !b.greetWord[t.Key] && !b.greetWord[t.Text] {
			others++
		}
	}
	return others <= 1
}

// greets reports whether a message starts with a greeting: its first
// English words are a greeting phrase, or its folded text starts with a
// Japanese one.
func (b turn) greets(qa analysis.Query) bool {
	for _, g := range b.greetWords {
		if len(qa.Words) >= len(g) && slices.Equal(qa.Words[:len(g)], g) && strings.HasPrefix(qa.Key, strings.Join(g, "")) {
			return true
		}
	}
	for _, g := range b.greetKeys {
		if strings.HasPrefix(qa.Key, g) {
			return true
		}
	}
	return false
}

// selection reads a card number: 2, ②, 2番, 2番目, No.2, #2.
func (b turn) selection(key string) (int, bool) {
	for _, p := range b.numberAffixes[0] {
		key = strings.TrimPrefix(key, p)
	}
	for _, s := range b.numberAffixes[1] {
		key = strings.TrimSuffix(key, s)
	}
	n, err := strconv.Atoi(key)
	if err != nil || n < 1 || n > keepResults {
		return 0, false
	}
	return n, true
}

func (b turn) switchLang(st *bot.State, l bot.Lang) bot.Answer {
	if !l.Valid() {
		l = bot.Japanese
	}
	st.Lang, st.LangChosen = l, true
	return b.menu(l, bot.KindLanguage, msgLanguage)
}

// menu is an answer made of a message and the category menu.
func (b turn) menu(l bot.Lang, kind bot.Kind, m msg) bot.Answer {
	a := bot.Answer{Lang: l, Kind: kind, Text: m.in(l), Suggestions: b.menuSuggestions(l)}
	if b.desk != nil && b.desk.Ticket != 0 {
		// The menu while talking with the staff: say so, and how to end.
		a.Text = msgHandoffMenu.f(l, b.desk.Ticket) + "\n" + a.Text
		a.Suggestions = append([]bot.Suggestion{{Label: b.labels().End.In(string(l)), Action: bot.Action{Kind: bot.ActionEnd}}}, a.Suggestions...)
	}
	return a
}

func (b turn) menuSuggestions(l bot.Lang) []bot.Suggestion {
	s := b.appendCategories(make([]bot.Suggestion, 0, len(b.cat.Taxonomy.Categories)+4), l)
	s = append(s,
		bot.Suggestion{Label: b.labels().Trouble.In(string(l)), Action: bot.Action{Kind: bot.ActionTrouble}},
		bot.Suggestion{Label: b.labels().Help.In(string(l)), Action: bot.Action{Kind: bot.ActionHelp}},
	)
	s = append(s, b.offerSuggestion(l)...)
	return append(s, b.langSuggestion(l))
}

// appendCategories appends the categories as quick replies, each with
// its short label for narrow buttons (the lint keeps it within LINE's 20
// characters). Callers make s with room for all they add: built apart
// and appended, the follow-ups grew their slice twice an answer (3.9 %
// of the bytes the server allocated under cmd/loadgen).
func (b turn) appendCategories(s []bot.Suggestion, l bot.Lang) []bot.Suggestion {
	for _, c := range b.cat.Taxonomy.Categories {
		sug := bot.Suggestion{Label: c.Label.In(string(l)), Action: bot.Action{Kind: bot.ActionCategory, Value: c.ID}}
		if short := c.Short.In(string(l)); short != sug.Label {
			sug.Short = short
		}
		s = append(s, sug)
	}
	return s
}

func (b turn) langSuggestion(l bot.Lang) bot.Suggestion {
	other := bot.English
	if l == bot.English {
		other = bot.Japanese
	}
	return bot.Suggestion{Label: b.labels().Language.In(string(l)), Action: bot.Action{Kind: bot.ActionLang, Value: string(other)}}
}

// followUps are the quick replies under a list of programmes.
func (b turn) followUps(l bot.Lang, more bool) []bot.Suggestion {
	s := make([]bot.Suggestion, 0, len(b.cat.Taxonomy.Categories)+3)
	if more {
		s = append(s, bot.Suggestion{Label: b.labels().More.In(string(l)), Action: bot.Action{Kind: bot.ActionMore}})
	}
	s = b.appendCategories(s, l)
	return append(s,
		bot.Suggestion{Label: b.labels().Menu.In(string(l)), Action: bot.Action{Kind: bot.ActionMenu}},
		b.langSuggestion(l),
	)
}

// remember stores a ranking for follow-ups and returns its first page.
func (b turn) remember(st *bot.State, ids []string) []string {
	if len(ids) > keepResults {
		ids = ids[:keepResults]
	}
	st.Results = ids
	st.Offset = 0
	st.Shown = min(len(ids), b.pageSize)
	st.Last = ""
	return ids[:st.Shown]
}

func (b turn) cards(l bot.Lang, ids []string, scores map[string]float64) []bot.Card {
	out := make([]bot.Card, 0, len(ids))
	for _, id := range ids {
		if in, ok := b.cat.Initiative(id); ok {
			out = append(out, b.card(in, l, scores[id]))
		}
	}
	return out
}

func (b turn) programmes(st *bot.State, l bot.Lang, results []match.Result) bot.Answer {
	ids, scores := idsOf(results)
	page := b.remember(st, ids)
	a := bot.Answer{Lang: l, Kind: bot.KindProgrammes, Confident: true, Total: len(st.Results), Footer: b.footer(l)}
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
func (b turn) categoryAnswer(st *bot.State, l bot.Lang, id string, ranked []match.Result) bot.Answer {
	cat, ok := b.cat.Category(id)
	if !ok {
		return b.menu(l, bot.KindHelp, msgUnknownID)
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
	a := bot.Answer{Lang: l, Kind: bot.KindCategory, Confident: len(ids) > 0, Total: len(st.Results), Footer: b.footer(l)}
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

func (b turn) more(st *bot.State, l bot.Lang) bot.Answer {
	if st.Shown >= len(st.Results) {
		a := b.menu(l, bot.KindHelp, msgNoMore)
		return a
	}
	start := st.Shown
	end := min(len(st.Results), start+b.pageSize)
	st.Offset, st.Shown, st.Last = start, end, ""
	a := bot.Answer{Lang: l, Kind: bot.KindProgrammes, Confident: true, Total: len(st.Results), Offset: start, Footer: b.footer(l)}
	a.Cards = b.cards(l, st.Results[start:end], nil)
	a.Text = msgMore.f(l, len(a.Cards), start+1, end, a.Total)
	if l == bot.Japanese {
		a.Text = msgMore.f(l, len(a.Cards), a.Total, start+1, end)
	}
	a.Suggestions = b.followUps(l, a.HasMore())
	return a
}

// pick opens card n of the last answer.
//
// Cards are numbered across the pages of one answer (the second page of
// five starts at 6), so n is the card labelled n, wherever it was shown.
func (b turn) pick(st *bot.State, l bot.Lang, n int) bot.Answer {
	shown := min(st.Shown, len(st.Results))
	switch {
	case shown == 0:
		return b.menu(l, bot.KindHelp, msgNoSelection)
	case n > shown:
		a := bot.Answer{Lang: l, Kind: bot.KindHelp, Text: msgNoCard.f(l, n, shown), Suggestions: b.followUps(l, shown < len(st.Results))}
		if shown < len(st.Results) {
			a.Text += "\n" + msgNoCardMore.in(l)
		}
		return a
	}
	return b.details(st, l, st.Results[n-1])
}

// details opens one programme; with no id, the one the conversation is
// about (the last opened, else the first card shown).
func (b turn) details(st *bot.State, l bot.Lang, id string) bot.Answer {
	if id == "" {
		switch {
		case st.Last != "":
			id = st.Last
		case st.Offset < len(st.Results):
			id = st.Results[st.Offset]
		default:
			return b.menu(l, bot.KindHelp, msgNoSelection)
		}
	}
	in, ok := b.cat.Initiative(id)
	if !ok {
		return b.menu(l, bot.KindHelp, msgUnknownID)
	}
	st.Last = id
	a := bot.Answer{Lang: l, Kind: bot.KindDetails, Confident: true, Text: msgDetails.f(l, in.Name.In(string(l))), Footer: b.footer(l)}
	a.Cards = []bot.Card{b.detail(in, l)}
	a.Suggestions = b.followUps(l, st.Shown < len(st.Results))
	return a
}

// urgent leads with contact points, then the programmes that help when an
// incident happens.
func (b turn) urgent(st *bot.State, l bot.Lang, q *analysis.Query, r match.Ranking) bot.Answer {
	topics := set(b.cat.UrgentTopics)
	if q != nil {
		for _, h := range q.Concepts {
			for _, t := range b.an.Concept(h).Contacts {
				topics[t] = true
			}
		}
	}
	for _, t := range r.Contacts { // the situations found
		topics[t] = true
	}
	a := bot.Answer{Lang: l, Kind: bot.KindUrgent, Text: msgUrgent.in(l), Contacts: b.contacts(l, topics, r.Private != nil), Footer: b.footer(l)}
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
	} else {
		// Trouble the plan has nothing for (a person's own account taken
		// over): said plainly, the contact points are the answer.
		a.Text += "\n" + msgUrgentNone.in(l)
	}
	a.Suggestions = b.followUps(l, a.HasMore())
	return b.withOffer(a)
}

func (b turn) noMatch(l bot.Lang, onTopic bool) bot.Answer {
	m := msgOffTopic
	if onTopic {
		m = msgNoMatch
	}
	a := b.menuWithContacts(l, bot.KindNoMatch, m)
	a.Text += "\n" + msgNoMatchAid.in(l)
	return b.withOffer(a)
}

// menuWithContacts is the menu with message m and the general contact
// points (contacts.yaml no_match_topics): where nothing else helps.
func (b turn) menuWithContacts(l bot.Lang, kind bot.Kind, m msg) bot.Answer {
	a := b.menu(l, kind, m)
	a.Contacts = b.contacts(l, b.noMatchTopics, false)
	return a
}

// feedback answers a 👍 or 👎 the question log has recorded: thanks for
// a 👍; for a 👎 the menu and the general contact points, so the person
// has somewhere to go. Any other value is a vote the log refused (another
// conversation's answer, a forged or stale button) or never saw.
func (b turn) feedback(l bot.Lang, v bot.Vote) bot.Answer {
	switch v {
	case bot.VoteUp:
		return b.menu(l, bot.KindFeedback, msgFeedbackUp)
	case bot.VoteDown:
		return b.withOffer(b.menuWithContacts(l, bot.KindFeedback, msgFeedbackDown))
	}
	return b.menu(l, bot.KindFeedback, msgFeedbackRefused)
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
