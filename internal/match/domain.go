package match

import (
	"slices"
	"strings"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/learned"
)

// decide settles what the question is: anchored in the domain or not,
// off the domain (then nothing is offered and no category asked for),
// and whether it asks for a whole category.
//
// A situation found puts the question in the domain. A need outside the
// domain (buying a device, tax, tuition) takes it out again unless the
// question names a programme, reports trouble now or describes a
// situation of the domain (buying a first phone and setting rules for
// it): 「補助金で店を改装したい」 shares 補助金 with a grant but wants a
// renovation. So does a look-alike situation (choosing a device, a
// drawing contest): "a competition for comics whose theme is online
// safety" is a pupils' entry (cross-validated: two more right, none
// lost). A decisive one (a keylogger to write, another country's scheme)
// is outside whatever else the question holds, unless it names a
// programme.
//
// The scope model vouches against a need outside the domain when it is
// sure the question is in scope (vouched): 「年金暮らしです」 names who
// asks, not a pension to claim, and "I do the bookkeeping for 20 shops
// and one got ransomware" asks about the ransomware.
//
// A question that names facets and nothing more specific (no programme,
// situation, trouble now or topic beyond them; or an "all" word) asks for
// their listing: every programme in all of them, with the category its
// concepts name. A category alone keeps its own rule (category).
func (rk *ranker) decide() {
	rk.r.Anchored, rk.offDomain = rk.domain(rk.dom, len(rk.r.Unknown))
	if rk.situated {
		rk.r.Anchored, rk.offDomain = true, false
	}
	// Trouble words outweigh a need outside the domain only beside
	// something of the domain: 「ウイルスに感染したパソコンの修理」 is
	// trouble, "caught a flu virus" and 「自転車を盗まれた」 are not.
	//
	// Trouble words among the words a look-alike was found by name the
	// product wanted (ウイルスバスター to choose), not trouble.
	trouble := rk.r.Urgent && (rk.domainWords > 0 || rk.nowSituation) &&
		(rk.nowSituation || slices.ContainsFunc(rk.troubleWords, func(h analysis.Hit) bool { return !within(h, rk.lookalike) }))
	// A word naming the domain itself outweighs a need outside it too:
	// 「補助金でレジを入れるのにセキュリティの何かが要るらしい」 asks
	// about security; "crowd security" and "security camera" do not.
	//
	// A situation outweighs a need outside the domain only beside a word
	// of the domain, or as trouble now: 「ピアノ教室の生徒をコンクールに
	// 出したい」 is pupils and a contest, but of the piano.
	situated := rk.situated && (rk.speaksOfDomain() || rk.nowSituation)
	if rk.decisive && !rk.named && !rk.transliterated ||
		(rk.needsOutside() || rk.outsideSituation) && !situated && !rk.asksDomain() && !rk.named && !rk.transliterated && !trouble && !rk.vouched() {
		rk.offDomain = true
		rk.r.Urgent = false // its trouble words meant something else
		rk.r.Outside = rk.outsideReasons()
	}
	if !rk.offDomain && rk.outOfScope() {
		rk.offDomain = true
	}
	if rk.offDomain {
		return
	}
	category := rk.category()
	facets := slices.Clone(rk.r.Facets)
	pure := !rk.named && !rk.transliterated && !rk.situated && !rk.r.Urgent && (rk.listAllHits > 0 || rk.topics == 0)
	if len(facets) > 0 && pure {
		// The category of who asks narrows the listing, but gives way
		// first: 「学生です。ボランティアとして関われるものは？」 asks for
		// volunteering, not for the programmes for students.
		var inferred *Facet
		if c := rk.unanimousCategory(); c != "" && !slices.ContainsFunc(facets, func(f Facet) bool { return f.Type == ByCategory && f.ID == c }) {
			facets = append(facets, Facet{Type: ByCategory, ID: c})
			inferred = &facets[len(facets)-1]
		}
		if docs, kept := rk.ix.listing(facets, inferred); len(docs) > 0 {
			rk.r.Listing, rk.r.Listed, rk.listed = true, kept, docs
			return
		}
	}
	rk.r.Category = category
}

// outsideReasons names what took the question out of the domain: the
// look-alike situations found and the concepts of needs outside it.
func (rk *ranker) outsideReasons() []string {
	out := slices.Clone(rk.outsideIDs)
	for _, h := range rk.outside {
		out = append(out, rk.ix.an.Concept(h).ID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// outOfScope asks the scope model about a question, but one the bot
// asked back about (RankRefined), and takes the model's word only when it
// is sure (learned.Threshold: surer of a Japanese question, or of one
// describing a situation of the domain, than of an English one without),
// and then records its reasons in the ranking. A question the rules
// would answer whatever the model said — one naming a programme (as
// written, misspelt or in the other script), reporting trouble now, or
// with the domain's own words at its head — it turns away only when the
// model is surer still (learned.Sure: 佐世保高専の入試倍率, "flu virus
// prevention"); so too a question whose every content word the
// knowledge base explains, so that a keyword staff add for a question
// counts for more than the model's doubts (cross-validated: 4 more kept
// in scope for 6 more answered out of it).
func (rk *ranker) outOfScope() bool {
	if rk.ix.scope == nil || rk.refined {
		return false
	}
	threshold := learned.Threshold(rk.q.Lang, rk.situated)
	switch {
	case rk.r.Urgent && rk.helpsNamedAsker():
		// Trouble now for someone a help desk of the plan is for, named
		// as such (a shop's Instagram taken over, a mail server of a
		// company of 50 sending spam), is the plan's whatever the words
		// around it: the model reads 「インスタ乗っ取られた」 as a
		// private person's.
		return false
	case rk.named || rk.transliterated || rk.dom.fuzzy || rk.r.Urgent || rk.asksDomain() || rk.topics > 0 && rk.uncovered == 0:
		threshold = learned.Sure
	case len(rk.r.Facets) > 0 && rk.topics == 0 && rk.uncovered == 0:
		// Facets alone (補助金, "certifications", 経産省) ask for their
		// listing: the model has nothing to read beyond words that name
		// programmes' kinds, organisations and places.
		return false
	}
	p := rk.scopeOut()
	if p < threshold {
		return false
	}
	rk.r.Scope.Out = p
	rk.r.Scope.Telling = rk.ix.scope.Telling(learned.Features(rk.q, rk.ix.an.Concepts()), scopeTelling)
	return true
}

// helpsNamedAsker reports whether the question names who asks (a
// concept's audience, not whom a situation found concerns) and a help
// desk of the plan is meant for them.
func (rk *ranker) helpsNamedAsker() bool {
	if len(rk.asker) == 0 || rk.askerGuessed {
		return false
	}
	for d := range rk.ix.docs {
		if rk.helps(rk.ix.docs[d].in) {
			return true
		}
	}
	return false
}

// vouched reports whether the scope model is sure the question is in
// scope (learned.Vouch), and records it in the ranking: it is asked only
// where its word decides.
func (rk *ranker) vouched() bool {
	if rk.ix.scope == nil {
		return false
	}
	p := rk.scopeOut()
	if p >= learned.Vouch {
		return false
	}
	rk.r.Scope.Vouched, rk.r.Scope.In = true, p
	return true
}

// scopeOut is the scope model's probability that the question is about
// something else, asked once: vouched and outOfScope may both need it.
func (rk *ranker) scopeOut() float64 {
	if !rk.scopeAsked {
		rk.scopeP, rk.scopeAsked = rk.ix.scope.Judge(rk.q, rk.ix.an.Concepts()), true
	}
	return rk.scopeP
}

// domainWord reports whether the labelled questions of internal/learned
// hold a word and the scope model does not take it for the subject of
// questions about something else (its weight under learned.DomainLean:
// ログイン, アカウント, 両方, 中高生, "login"): though no programme's text
// uses it, a question holding it is not taken out of the domain for it
// (domain). A word no labelled question holds is not the domain's.
func (rk *ranker) domainWord(key string) bool {
	if rk.ix.scope == nil {
		return false
	}
	w, seen := rk.ix.scope.Word(key)
	return seen && w < learned.DomainLean
}

// unanimousCategory returns the category the question's concepts all
// name, or "".
func (rk *ranker) unanimousCategory() string {
	if len(rk.catHits) == 0 {
		return ""
	}
	for _, c := range rk.catHits[1:] {
		if c != rk.catHits[0] {
			return ""
		}
	}
	return rk.catHits[0]
}

// category decides whether the question asks for a whole category: a
// "list all" word with a category, or a category alone ("youth",
// 中小企業向けの支援) with nothing more specific. A programme's name, or
// concepts naming different categories, ask for no category.
func (rk *ranker) category() string {
	cats := rk.catHits
	if len(cats) == 0 || rk.named || rk.transliterated || rk.situated || rk.r.Urgent {
		return ""
	}
	first := cats[0]
	for _, c := range cats[1:] {
		if c != first {
			return ""
		}
	}
	if rk.listAllHits > 0 {
		return first
	}
	if rk.specificConcepts == 0 && rk.uncovered == 0 {
		return first
	}
	return ""
}

// domain gathers what tells a question for this bot from one about
// something else that happens to share words with it (補助金 in
// 「補助金で太陽光パネル」, 保険 in 「介護保険の相談窓口」).
type domain struct {
	anchors []analysis.Hit // programme names and anchor concepts found
	known   []analysis.Hit // every term that counted
	fuzzy   bool           // a programme name found despite typos
}

// domain reports whether the question is anchored in the domain, and
// whether it is off the domain: not anchored, no situation found, and
// with at least as many nouns the knowledge base never uses as places
// known terms explain — or with such a noun and nothing of the domain
// but intents (who asks, what kind of programme), unless it names both
// someone and a subject of the domain.
//
// A known term that a foreign noun modifies, in a compound where the
// foreign noun comes first (保険 in 介護保険, 診断 in 健康診断), names
// another thing and explains nothing. Where the known term comes first
// (地銀 in 地銀勤務) it still tells who is asking.
func (rk *ranker) domain(d domain, unexplained int) (anchored, off bool) {
	modified := rk.modifiedCompounds()
	inside := func(h analysis.Hit) bool { return rk.modifies(h, modified) }
	describes := func(h analysis.Hit) bool { return rk.describes(h, modified, false) }
	anchored = d.fuzzy
	for _, h := range d.anchors {
		if !inside(h) && !describes(h) {
			anchored = true
		}
	}
	type at struct {
		latin bool
		start int
	}
	places := map[at]bool{}
	for _, h := range d.known {
		if !inside(h) {
			places[at{h.Latin, h.Start}] = true
		}
	}
	if anchored || unexplained == 0 || rk.situated {
		return anchored, false
	}
	// Someone and a subject of the domain (a son and a game, a company and
	// e-mail): everyday words around them do not make the question about
	// something else.
	if rk.audienceNamed && rk.subjects > 0 {
		return false, false
	}
	// Only who asks and what kind of programme (a seminar, an exam) with a
	// noun the knowledge base never uses: that noun is the subject, and it
	// is another (簿記の検定, 接客の研修). Only Japanese says for sure which
	// unknown word is a noun (the tokenizer); an English one may be a verb.
	return false, unexplained >= len(places) || rk.unknownNouns > 0 && rk.subjects == 0 && rk.topicKeywords == 0
}

// modifies reports whether a known term lies in a compound after a noun
// the knowledge base never uses, which makes it another thing (保険 in
// 介護保険, 診断 in 健康診断).
func (rk *ranker) modifies(h analysis.Hit, modified []compound) bool {
	if h.Latin {
		return false
	}
	text := rk.spanText(h)
	for _, c := range modified {
		at := strings.Index(c.key, text)
		if at < 0 || len(c.key) == len(text) {
			continue
		}
		for _, f := range c.foreign {
			if i := strings.Index(c.key, f); i >= 0 && i < at {
				return true
			}
		}
	}
	return false
}

// describes reports whether a known term only describes a compound's
// head the knowledge base never uses (防犯 in 防犯カメラ: a camera). A
// word of trouble (trouble) before a verbal noun names the trouble, not
// another thing: 身代金要求 is a ransom demanded (cross-validated: one
// more answered right, nothing else moved; every verbal noun so, 開業
// and 見学 too, answered 「ネットショップ開業の手順」 and 「工場見学 子供」).
func (rk *ranker) describes(h analysis.Hit, modified []compound, trouble bool) bool {
	if h.Latin {
		return false
	}
	text := rk.spanText(h)
	for _, c := range modified {
		head := c.parts[len(c.parts)-1]
		if strings.Contains(c.key, text) && !strings.Contains(text, head) && slices.Contains(c.foreign, head) && !(trouble && c.action) {
			return true
		}
	}
	return false
}

// compound is a noun compound of the question with the parts the
// knowledge base never uses.
type compound struct {
	key     string
	parts   []string
	foreign []string
	action  bool // its head is a verbal noun (analysis.Token.Action)
}

// modifiedCompounds returns the compounds that join a noun the knowledge
// base never uses with others.
func (rk *ranker) modifiedCompounds() []compound {
	var out []compound
	for _, t := range rk.q.Tokens {
		if !t.Compound {
			continue
		}
		c := compound{key: t.Key, parts: t.Parts, action: t.Action}
		for _, p := range t.Parts {
			if rk.ix.df[p] == 0 && !rk.ix.terms[p] && !rk.ix.an.Stopword(p) && !isNumber(p) && !rk.partCovered(p) {
				c.foreign = append(c.foreign, p)
			}
		}
		if len(c.foreign) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// partCovered reports whether a folded part lies inside a known term.
func (rk *ranker) partCovered(p string) bool {
	runes := rk.runes
	for _, c := range rk.covered {
		if !c.latin && !c.outside && c.end <= len(runes) && strings.Contains(string(runes[c.start:c.end]), p) {
			return true
		}
	}
	return false
}

// spanText returns the folded text a Japanese hit covers, or the words
// an English one does.
func (rk *ranker) spanText(h analysis.Hit) string {
	if h.Latin {
		if h.End > len(rk.q.Words) || h.Start > h.End {
			return ""
		}
		return strings.Join(rk.q.Words[h.Start:h.End], " ")
	}
	runes := rk.runes
	if h.End > len(runes) || h.Start > h.End {
		return ""
	}
	return string(runes[h.Start:h.End])
}

// asksDomain reports whether a word naming the domain itself (a core
// concept: セキュリティ, cyber) is what the question asks about rather
// than a need outside the domain. The need a question asks about is the
// head of the sentence: in Japanese it comes last (「補助金でレジを入れる
// のにセキュリティの何かが要る」 asks about security, 「セキュリティの
// 仕事に転職したい」 about a job), in English first ("I want a job in
// cyber security" asks about a job). A core word that is another
// thing's never counts: one a foreign noun modifies in a Japanese
// compound (concepts leaves those out), or one beside an English word of
// a need outside the domain or that the knowledge base never uses
// ("crowd security", "security deposit"), or one among the words a
// look-alike situation was found by (the antivirus to buy).
func (rk *ranker) asksDomain() bool {
	var outside []span
	for _, c := range rk.covered {
		if c.outside {
			outside = append(outside, c)
		}
	}
	for _, h := range rk.core {
		if h.Latin && (rk.otherWord(h.Start-1) || rk.otherWord(h.End)) {
			continue
		}
		if within(h, rk.lookalike) {
			continue // the product wanted: 一番安いセキュリティソフト
		}
		head := true
		for _, o := range outside {
			if o.latin != h.Latin {
				continue
			}
			if h.Latin && o.start < h.Start || !h.Latin && o.start > h.Start {
				head = false
			}
		}
		if head {
			return true
		}
	}
	return false
}

// otherWord reports whether English word i of the question is a content
// word of a need outside the domain or one the knowledge base never uses.
func (rk *ranker) otherWord(i int) bool {
	if i < 0 || i >= len(rk.q.Words) {
		return false
	}
	for _, c := range rk.covered {
		if c.latin && c.start <= i && i < c.end {
			return c.outside
		}
	}
	for _, t := range rk.q.Tokens {
		if t.Lang == "en" && t.Word == i {
			return rk.ix.df[t.Key] == 0 && !isNumber(t.Key)
		}
	}
	return false // a stop word
}

// needsOutside reports whether the question names a need outside the
// domain: a word of one that no cue of a situation found holds as its
// own (年金 in 年金生活 is a retiree's life, not a pension to claim) and
// that is not where the asker works (交番勤務, "I work at a daycare").
func (rk *ranker) needsOutside() bool {
	for _, h := range rk.outside {
		inCue := false
		for _, c := range rk.cues {
			inCue = inCue || c.latin == h.Latin && c.end-c.start >= h.Len() && c.start <= h.Start && h.End <= c.end
		}
		if !inCue && !rk.workplace(h) {
			return true
		}
	}
	return false
}

// workplace reports whether an outside need's word says where the asker
// works: a workplace word right after it in Japanese (交番勤務, 保育園で
// 働いています), right before it in English, an article between ("I work
// at a daycare").
func (rk *ranker) workplace(h analysis.Hit) bool {
	for _, w := range rk.workplaces {
		switch {
		case w.Latin != h.Latin:
		case !h.Latin && w.Start == h.End:
			return true
		case h.Latin && (w.End == h.Start || w.End+1 == h.Start && rk.article(w.End)):
			return true
		}
	}
	return false
}

// article reports whether English word i of the question is an article.
func (rk *ranker) article(i int) bool {
	if i < 0 || i >= len(rk.q.Words) {
		return false
	}
	switch rk.q.Words[i] {
	case "a", "an", "the", "our", "my":
		return true
	}
	return false
}
