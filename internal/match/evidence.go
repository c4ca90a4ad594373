package match

import (
	"strings"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
)

// The passes that gather evidence, in the order Rank runs them.

// names scores the programme names and aliases written in the question,
// the strongest evidence: the person named what they want. A stretch of
// the question counts once per programme and a programme counts
// namesPerDoc names at most, so repeating a name adds nothing. A name
// anchors the question in the domain.
func (rk *ranker) names() {
	named := map[int]int{}
	seen := map[[3]int]bool{}
	for _, h := range rk.ix.names.Find(rk.q) {
		if rk.insideKatakanaWord(h) {
			continue
		}
		rk.cover(h)
		k := [3]int{h.Ref, h.Start, boolInt(h.Latin)}
		if seen[k] || named[h.Ref] >= namesPerDoc {
			continue
		}
		seen[k] = true
		named[h.Ref]++
		rk.dom.anchors = append(rk.dom.anchors, h)
		rk.dom.known = append(rk.dom.known, h)
		w := wName + wNameRune*float64(min(h.Len(), nameRunesMax))
		rk.add(h.Ref, NameEvidence, h.Term, rk.trust(h)*w, true)
	}
	rk.named = len(named) > 0
}

// insideKatakanaWord reports whether a Japanese hit written in katakana
// goes on into more katakana: the start of a longer loanword, not the
// name (スプレッド in スプレッドシート).
func (rk *ranker) insideKatakanaWord(h analysis.Hit) bool {
	if h.Latin || h.End >= len(rk.runes) || h.End == 0 {
		return false
	}
	if sc := rk.q.Scripts; len(sc) == len(rk.runes) && (sc[h.End]&(analysis.Hiragana|analysis.Break) != 0 || sc[h.End-1]&analysis.Hiragana != 0) {
		return false // written in hiragana (folded into the key as katakana), or a break between
	}
	last, next := rk.runes[h.End-1], rk.runes[h.End]
	return analysis.IsKatakana(last) && analysis.IsKatakana(next)
}

// fuzzyNames scores names written with typos (sechak365, セキュリティキャプ)
// by the share of the name the question holds. It runs only when no name
// was found as written: a question naming one programme correctly is not
// also naming another with typos. A name found so anchors the question.
func (rk *ranker) fuzzyNames() {
	if rk.named {
		return
	}
	best := map[int]fuzzyHit{}
	for _, key := range rk.fuzzyKeys() {
		for _, h := range rk.ix.fuzzy.find(key, &rk.fuzzyBuf) {
			if b, ok := best[h.doc]; !ok || h.share > b.share {
				best[h.doc] = h
			}
		}
	}
	for d := range rk.ix.docs {
		if h, ok := best[d]; ok {
			rk.add(h.doc, FuzzyEvidence, h.term, wFuzzy*h.share, true)
			rk.dom.fuzzy = true
		}
	}
}

// fuzzyKeys returns the stretches of the question a misspelt name may lie
// in: the folded text between the English words spelt right. A word the
// dictionary knows is no typo of a name, and the letters of several words
// run together are none either: "security" is not SECUNITY misspelt, nor
// "into … security at school" NITS. A question with Japanese in it is one
// stretch: its Latin words are names or parts of one (e-ネットキャラバン).
func (rk *ranker) fuzzyKeys() []string {
	if len(rk.q.Words) == 0 || analysis.HasJapanese(rk.q.Text) {
		return []string{rk.q.Key}
	}
	var keys []string
	var part strings.Builder
	flush := func() {
		if k := analysis.Fold(part.String()); utf8.RuneCountInString(k) >= fuzzyMinRunes {
			keys = append(keys, k)
		}
		part.Reset()
	}
	for run, word := range analysis.LatinRuns(rk.q.Text) {
		switch {
		case !word:
			part.WriteString(run)
		case rk.ix.an.Known(strings.ToLower(run)):
			flush()
		default:
			part.WriteString(run)
			part.WriteByte(' ')
		}
	}
	flush()
	return keys
}

// keywords scores the programmes' keywords found in the question, by how
// few programmes share each, in their keywords or, if more, in their
// curated text (a keyword naming an audience, 学校, is no rarer than
// the programmes for it). A stretch of the question counts once per
// programme even when several of its keywords match there (grant,
// grants). A Japanese keyword lying inside a longer concept of the
// question counts only in the same sense (sameSense); a keyword that only
// names a situation (東京, パソコン) ranks but does not make the programme
// fit, like the concept it is.
func (rk *ranker) keywords() {
	ix := rk.ix
	seen := map[kwKey]bool{}
	topicAt := map[kwKey]bool{}
	defer func() { rk.topics += len(topicAt); rk.topicKeywords = len(topicAt) }()
	situation := ix.contextSpans(rk.q)
	modified := rk.modifiedCompounds()
	for _, h := range ix.kw.Find(rk.q) {
		if rk.otherThing(h, modified) {
			// 全国大会 in ゲートボール全国大会, 募集 in 募集要項: as for
			// concepts, another thing's word.
			continue
		}
		rk.cover(h)
		d := ix.kwDoc[h.Ref]
		if !ix.sameSense(h, d, rk.q.Concepts) {
			// 個人 inside 個人でやってる (a small business): the longer
			// phrase says what is meant, and this programme's 個人 means
			// something else.
			continue
		}
		k := kwKey{d, h.Latin, h.Start}
		if seen[k] || rk.insideFacet(h) || rk.namesItsAudience(h, d) {
			continue
		}
		seen[k] = true
		if !rk.inFacet(h) && !within(h, situation) && !rk.inIntent(h) {
			topicAt[kwKey{-1, h.Latin, h.Start}] = true
		}
		rk.dom.known = append(rk.dom.known, h)
		rk.add(d, KeywordEvidence, h.Term, rk.trust(h)*wKeyword*ix.kwIDF[h.Ref], !within(h, situation))
	}
}

// namesItsAudience reports whether keyword hit h of programme d only says
// who the programme is for: it lies within a concept of the question
// naming audiences the programme has (学校, 小学生, parents), and the
// programme is a broad one, for broadAudiences kinds of people or more.
// The audience evidence counts those people once; as a keyword too, a
// broad programme that lists its audiences among its keywords would
// outweigh the ones made for them.
func (rk *ranker) namesItsAudience(h analysis.Hit, d int) bool {
	doc := &rk.ix.docs[d]
	if len(doc.aud) < broadAudiences {
		return false
	}
	for _, o := range rk.q.Concepts {
		if o.Latin != h.Latin || o.Start > h.Start || h.End > o.End {
			continue
		}
		for _, a := range rk.ix.an.Concept(o).Audiences {
			if doc.aud[a] {
				return true
			}
		}
	}
	return false
}

// otherThing reports whether a Japanese hit names another thing than the
// knowledge base means: it describes a compound's head the knowledge base
// never uses (防犯 in 防犯カメラ), or it is a kind of programme or event
// after such a noun (全国大会 in ゲートボール全国大会, 試験 in 簿記試験):
// a contest, an exam or a gathering is of its subject. A thing stays
// itself whatever kind it is (機械 in 工作機械, 名簿 in 顧客名簿).
func (rk *ranker) otherThing(h analysis.Hit, modified []compound) bool {
	return rk.describes(h, modified, false) || rk.otherKind(h, modified)
}

// otherKind reports whether a hit is a kind of programme or event after a
// noun the knowledge base never uses, in a question that speaks of
// nothing of the domain: 大会 of ゲートボール大会, 試験 of 簿記試験.
func (rk *ranker) otherKind(h analysis.Hit, modified []compound) bool {
	return rk.kindWord(h) && !rk.speaksOfDomain() && rk.modifies(h, modified)
}

// speaksOfDomain reports whether the question has a word of the domain's
// subjects: security, trouble, a device or the internet (anchor, urgent
// and situation concepts). Such a question's unknown nouns are more
// likely words of the domain the vocabulary lacks (標的型 in 標的型メール
// 訓練) than another subject.
func (rk *ranker) speaksOfDomain() bool {
	for _, h := range rk.q.Concepts {
		c := rk.ix.an.Concept(h)
		if c.Anchor || c.Urgent || c.Context && len(c.Audiences) == 0 {
			return true
		}
	}
	return false
}

// kindWord reports whether a hit lies inside a concept of the question
// that names a kind of programme (コンクール, 大会, 試験, 研修).
func (rk *ranker) kindWord(h analysis.Hit) bool {
	for _, o := range rk.q.Concepts {
		if o.Latin == h.Latin && o.Start <= h.Start && h.End <= o.End && len(rk.ix.an.Concept(o).Kinds) > 0 {
			return true
		}
	}
	return false
}

// kwKey is a keyword hit of a programme at a place in the question.
type kwKey struct {
	doc   int
	latin bool
	start int
}

// concepts scores the vocabulary concepts of the question and the intents
// they carry, and notes what later passes decide on: whether the person
// is in trouble now (an urgent concept not read from a misspelt word),
// whether they are preparing instead (a concept asking for a learning
// kind), the categories named, and whether the question is on topic. A
// domain word (generic) scores every programme a little by field weight
// and tells nothing apart; a situation (context) concept is not on topic
// by itself.
func (rk *ranker) concepts() {
	ix := rk.ix
	seen := map[int]bool{}
	modified := rk.modifiedCompounds()
	for _, h := range rk.q.Concepts {
		c := ix.an.Concept(h)
		if c.Outside {
			// A need this bot does not serve, even inside a compound
			// (太陽光パネル): it scores nothing and decides the question
			// unless a name, a situation or trouble now outweighs it
			// (decide). Its words stay foreign: 大会 of ゲートボール大会
			// is of that subject.
			if !rk.fixed(h) {
				rk.outside = append(rk.outside, h)
			}
			rk.covered = append(rk.covered, span{latin: h.Latin, start: h.Start, end: h.End, outside: true})
			rk.dom.known = append(rk.dom.known, h)
			continue
		}
		if c.Workplace {
			// Where the asker works: known words, and they make the
			// outside need beside them a workplace (needsOutside).
			rk.cover(h)
			rk.dom.known = append(rk.dom.known, h)
			rk.workplaces = append(rk.workplaces, h)
			continue
		}
		rk.cover(h)
		rk.dom.known = append(rk.dom.known, h)
		if c.Core && !rk.fixed(h) && !rk.insideFacet(h) && !rk.modifies(h, modified) && !rk.describes(h, modified, c.Urgent) {
			rk.core = append(rk.core, h)
		}
		if seen[h.Ref] || rk.insideFacet(h) || rk.modifies(h, modified) || rk.describes(h, modified, c.Urgent) {
			// Counted already; or part of a longer organisation name
			// (情報 in 情報処理推進機構); or a word that names another
			// thing in this compound (診断 in 健康診断).
			continue
		}
		seen[h.Ref] = true
		if c.Urgent && !rk.fixed(h) {
			rk.r.Urgent = true
			rk.troubleWords = append(rk.troubleWords, h)
		}
		if c.Personal && !rk.fixed(h) {
			rk.personal = append(rk.personal, h)
		}
		if !c.Urgent && (c.Anchor || c.Context && len(c.Audiences) == 0) {
			rk.domainWords++
		}
		rk.learning = rk.learning || c.Practice
		intents := len(c.Audiences) + len(c.Kinds) + len(c.Categories) + len(c.Regions)
		if !c.Generic && (c.Context || c.Anchor || c.Urgent || intents == 0) {
			// A subject of the domain: a situation's words (スマホ, e-mail),
			// a worry, trouble, a topic; not only who asks or what kind
			// of programme.
			rk.subjects++
		}
		rk.audienceNamed = rk.audienceNamed || len(c.Audiences) > 0 && !c.Context
		if !c.Generic && !c.Context && !rk.inFacet(h) && len(c.Audiences)+len(c.Categories) == 0 {
			// What the question is about beyond the facets it names and
			// the people it is for: a kind of programme not named as a
			// facet word (行く暇がない, 初心者), a topic, trouble.
			rk.topics++
		}
		if c.Anchor && !rk.fixed(h) {
			rk.dom.anchors = append(rk.dom.anchors, h)
		}
		if c.Generic {
			rk.r.OnTopic = true
			for _, p := range ix.conceptDocs[h.Ref] { // add skips a weight of 0
				rk.add(p.doc, GenericEvidence, c.ID, wGeneric*p.weight, false)
			}
			continue
		}
		rk.r.OnTopic = rk.r.OnTopic || !c.Context
		if len(c.Categories) > 0 {
			rk.catHits = append(rk.catHits, c.Categories...)
		} else {
			rk.specificConcepts++
		}
		rk.concept(h.Ref, c, rk.trust(h), !rk.fixed(h))
		// Asking for a learning kind (a seminar, material) is preparing;
		// a concept of who the asker is implies one without asking (no
		// IT staff: a handbook would suit them), and only where nothing
		// says trouble is happening now. A topic of the domain that
		// programmes teach (ウイルス対策) asks for nothing by itself:
		// 「ウイルス対策ソフトを入れていたのに感染した」 is trouble.
		for _, k := range c.Kinds {
			if c.Anchor && !c.Practice {
				break
			}
			if ix.learningKinds[k] && len(c.Audiences) == 0 {
				rk.learning = true
			} else if ix.learningKinds[k] {
				rk.preparing = true
			}
		}
	}
}

// concept scores the programmes that carry concept c or the intents it
// implies. A situation (context) concept ranks but never makes a
// programme fit on its own.
//
// A concept read from a misspelt word is never specific on its own:
// "throat" read as "threat" must not make a programme fit.
func (rk *ranker) concept(ref int, c catalog.Concept, trust float64, sure bool) {
	ix := rk.ix
	n := len(ix.docs)
	cidf := idf(n, ix.cdf[ref])
	specific := !c.Context && sure
	for _, a := range c.Audiences {
		rk.asker[a] = true
	}
	for _, p := range ix.conceptDocs[ref] {
		d := p.doc
		if w := p.weight; w > 0 {
			rk.add(d, ConceptEvidence, c.ID, trust*wConcept*w*cidf, specific)
		}
		if df := p.audDF; df > 0 {
			rk.add(d, AudienceEvidence, c.ID, trust*wAudience*idf(n, df), specific)
		}
		if df := p.kindDF; df > 0 {
			rk.add(d, KindEvidence, c.ID, trust*wKind*idf(n, df), specific)
		}
		if p.region {
			rk.add(d, RegionEvidence, c.ID, trust*wRegion, specific)
		}
		if p.category {
			rk.add(d, CategoryEvidence, c.ID, trust*wCategory, false)
		}
	}
}

// conceptDoc is what concept finds of one concept in one programme: the
// programme's field weight for it and the rarest of its intents the
// programme has (rarest; 0 or false: none). Index.conceptDocs holds them
// per concept for the programmes with any, in programme order, so that
// concept reads a short list instead of five maps of every programme for
// every concept of a question (5 % of the engine's time under load).
type conceptDoc struct {
	doc              int
	weight           float64
	audDF, kindDF    int
	region, category bool
}

// indexConcepts fills Index.conceptDocs once the programmes are indexed.
func (ix *Index) indexConcepts() {
	concepts := ix.an.Concepts()
	ix.conceptDocs = make([][]conceptDoc, len(concepts))
	for ref, c := range concepts {
		for d, doc := range ix.docs {
			p := conceptDoc{
				doc:      d,
				weight:   doc.concepts[ref],
				audDF:    rarest(c.Audiences, doc.aud, ix.audDF),
				kindDF:   rarest(c.Kinds, doc.kinds, ix.kindDF),
				region:   rarest(c.Regions, doc.regions, ix.regionDF) > 0,
				category: rarest(c.Categories, doc.cats, ix.catDF) > 0,
			}
			if p.weight > 0 || p.audDF > 0 || p.kindDF > 0 || p.region || p.category {
				ix.conceptDocs[ref] = append(ix.conceptDocs[ref], p)
			}
		}
	}
}

// urgency settles whether the person is in trouble now and, if so, scores
// the programmes that help them (helps). Someone who wants a talk or
// material about fraud or viruses is preparing, not in trouble now, even
// though the question names the trouble.
func (rk *ranker) urgency() {
	if rk.nowSituation {
		rk.r.Urgent = true
	}
	if rk.learning || rk.preparing && !rk.nowSituation {
		rk.r.Urgent = false
	}
	if !rk.r.Urgent {
		return
	}
	for d, doc := range rk.ix.docs {
		if rk.helps(doc.in) {
			rk.add(d, UrgentEvidence, "consultation", wUrgent, true)
		}
	}
}

// listAll finds the "all" words (全部, 一覧, list): they score nothing but
// are known terms, so they explain their part of the question, and with a
// category they ask for all of it (decide).
func (rk *ranker) listAll() {
	for _, h := range rk.ix.listAll.Find(rk.q) {
		rk.cover(h)
		rk.dom.known = append(rk.dom.known, h)
		rk.listAllHits++
	}
}

// words scores the content words no known term explained with BM25 over
// the programmes' text: they rank but never make a programme fit. It
// counts such words (uncovered: a question with them is more than a bare
// category) and keeps as Unknown the nouns and English words the
// knowledge base never uses: what a question off the domain is about
// (太陽光パネル, weather, ラーメン) — not words that only describe
// (気軽, specifically, intensive), which name no subject, nor words the
// labelled questions tie to the domain (domainWord).
func (rk *ranker) words() {
	ix, q := rk.ix, rk.q
	runes := rk.runes
	seen := map[string]bool{}
	for _, t := range q.Tokens {
		if rk.isCovered(t, runes) || seen[t.Key] {
			continue
		}
		seen[t.Key] = true
		df := ix.df[t.Key]
		if df == 0 && !t.Verb && !t.Compound && !isNumber(t.Key) && !(t.Lang == "en" && analysis.Describing(t.Text)) {
			if rk.domainWord(t.Key) {
				rk.r.Scope.Words = append(rk.r.Scope.Words, t.Text)
			} else {
				rk.r.Unknown = append(rk.r.Unknown, t.Text)
				if t.Lang == "ja" {
					rk.unknownNouns++ // the tokenizer says it is a noun
				}
			}
		}
		if df == 0 {
			rk.uncovered++
			continue
		}
		if !t.Compound {
			rk.uncovered++
		}
		widf := idf(len(ix.docs), df)
		for d, doc := range ix.docs {
			tf := doc.tf[t.Key]
			if tf == 0 {
				continue
			}
			bm := widf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*doc.length/ix.avgLen))
			rk.add(d, WordEvidence, t.Text, wWord*bm, false)
		}
	}
}

// contextSpans returns the stretches of the question that context
// concepts cover.
func (ix *Index) contextSpans(q *analysis.Query) []span {
	var out []span
	for _, h := range q.Concepts {
		if ix.an.Concept(h).Context {
			out = append(out, span{latin: h.Latin, start: h.Start, end: h.End})
		}
	}
	return out
}

// sameSense reports whether keyword hit h of programme d may count: a
// Japanese keyword lying strictly inside a longer concept of the question
// counts only when the programme itself carries that concept by name.
func (ix *Index) sameSense(h analysis.Hit, d int, concepts []analysis.Hit) bool {
	if h.Latin {
		return true
	}
	for _, o := range concepts {
		if !o.Latin && o.Len() > h.Len() && o.Start <= h.Start && h.End <= o.End && ix.docs[d].concepts[o.Ref] < fieldStrong {
			return false
		}
	}
	return true
}

// within reports whether a hit lies inside one of the spans.
func within(h analysis.Hit, spans []span) bool {
	for _, sp := range spans {
		if sp.latin == h.Latin && sp.start <= h.Start && h.End <= sp.end {
			return true
		}
	}
	return false
}

// rarest returns how many programmes share the rarest of ids that this
// programme has, or 0 when it has none of them.
func rarest(ids []string, has map[string]bool, df map[string]int) int {
	best := 0
	for _, id := range ids {
		if has[id] && (best == 0 || df[id] < best) {
			best = df[id]
		}
	}
	return best
}

func isNumber(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return false
		}
	}
	return s != ""
}

// isCovered reports whether a token lies in a stretch a known term
// explains.
func (rk *ranker) isCovered(t analysis.Token, key []rune) bool {
	for _, c := range rk.covered {
		if t.Lang == "en" {
			if c.latin && t.Word >= c.start && t.Word < c.end {
				return true
			}
			continue
		}
		if c.latin || c.end > len(key) {
			continue
		}
		// A word inside a known term, or a compound holding one
		// (中小企業向け holds 中小企業), is explained already.
		if part := string(key[c.start:c.end]); strings.Contains(part, t.Key) || strings.Contains(t.Key, part) {
			return true
		}
	}
	return false
}

// inIntent reports whether a hit lies inside a concept of the question
// that says who the question is for (an audience, a category): such a
// concept refines a listing rather than saying what it is about.
func (rk *ranker) inIntent(h analysis.Hit) bool {
	for _, o := range rk.q.Concepts {
		c := rk.ix.an.Concept(o)
		if o.Latin == h.Latin && o.Start <= h.Start && h.End <= o.End && !c.Anchor && !c.Urgent && len(c.Audiences)+len(c.Categories) > 0 {
			return true
		}
	}
	return false
}

// insideFacet reports whether a hit lies strictly inside a longer facet
// word of the question: "internal" in the Ministry of Internal Affairs is
// not a keyword of its own.
func (rk *ranker) insideFacet(h analysis.Hit) bool {
	for _, f := range rk.facetSpans {
		if f.latin == h.Latin && f.end-f.start > h.Len() && f.start <= h.Start && h.End <= f.end {
			return true
		}
	}
	return false
}
