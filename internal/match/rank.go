package match

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
)

// Weights of the kinds of evidence. They were set on the development set
// and checked on held-out questions; change them with `supportbot eval`.
const (
	wName       = 12.0 // a programme's name or alias
	wFuzzy      = 6.0  // × share of a name found despite typos
	wKeyword    = 2.5  // × idf of the keyword
	wConcept    = 1.0  // × field weight × idf of the concept
	wAudience   = 2.0  // × idf of the audience
	wKind       = 2.0  // × idf of the kind
	wRegion     = 5.0  // a region the programme is specific to
	wCategory   = 0.8  // the programme's category named
	wGeneric    = 0.15 // × field weight: a domain word present
	wWord       = 0.6  // × BM25 of a word outside every known term
	wUrgent     = 5.0  // consultation when trouble happens now
	wCorrected  = 0.6  // × evidence resting on a misspelt word
	wVerified   = 0.3  // a verified official page, a verified current status
	wOffFocus   = 0.6  // × the score of a programme whose focus the question misses
	relativeCut = 0.2  // results under this share of the best are dropped
	minSpecific = 2.5  // specific evidence the best result needs to be offered
)

// Evidence is one reason an initiative scored.
type Evidence struct {
	Kind   string  `json:"kind"` // name, keyword, concept, audience, kind, region, category, generic, word, urgent
	Term   string  `json:"term"`
	Weight float64 `json:"weight"`
}

// Result is a ranked initiative.
type Result struct {
	Initiative *catalog.Initiative
	Score      float64
	// Specific is the part of Score from evidence that tells programmes
	// apart (everything but domain words and stray shared words).
	Specific float64
	Evidence []Evidence
}

// Ranking is the matcher's answer to a query.
type Ranking struct {
	// Results are the initiatives that fit, best first.
	Results []Result
	// Confident is false when the bot should offer no programme.
	Confident bool
	// Category is set when the question asks for a whole category
	// ("中小企業向けの支援を全部", "youth"); Results are then its initiatives.
	Category string
	// Urgent is set when the person is in trouble now (infected, hacked,
	// scammed): consultation comes first.
	Urgent bool
	// Help, when Urgent, are the consultation and incident-support
	// programmes meant for the people the question names (all of them when
	// it names nobody), best first; empty when none is for them (a parent
	// is not helped by an SME help desk).
	Help []Result
	// OnTopic is set when the question speaks of the domain (security,
	// 対策) even if no programme fits.
	OnTopic bool
	// Anchored is set when the question names a programme or uses a word
	// of the domain itself.
	Anchored bool
	// Unknown are the nouns of the question the knowledge base never uses.
	Unknown []string
}

// kwKey is a keyword hit of a programme at a place in the question.
type kwKey struct {
	doc   int
	latin bool
	start int
}

type scorer struct {
	ix      *Index
	q       *analysis.Query
	score   []float64
	spec    []float64
	ev      [][]Evidence
	covered []span          // parts of the query explained by a known term
	asker   map[string]bool // audiences the question's concepts name (parent, sme-owner …)
}

type span struct {
	latin      bool
	start, end int
}

func (s *scorer) add(d int, kind, term string, w float64, specific bool) {
	if w <= 0 {
		return
	}
	s.score[d] += w
	if specific {
		s.spec[d] += w
	}
	s.ev[d] = append(s.ev[d], Evidence{Kind: kind, Term: term, Weight: math.Round(w*100) / 100})
}

// fixed reports whether a hit rests on a word the speller corrected: such
// evidence is weaker ("throat" read as "threat" must not raise an alarm).
func (s *scorer) fixed(h analysis.Hit) bool {
	if !h.Latin {
		return false
	}
	for i := h.Start; i < h.End && i < len(s.q.Fixed); i++ {
		if s.q.Fixed[i] {
			return true
		}
	}
	return false
}

// trust is the weight factor of a hit: corrected words count for less.
func (s *scorer) trust(h analysis.Hit) float64 {
	if s.fixed(h) {
		return wCorrected
	}
	return 1
}

// touches reports whether the question has one of the concepts.
func (s *scorer) touches(concepts []int) bool {
	for _, h := range s.q.Concepts {
		for _, c := range concepts {
			if h.Ref == c {
				return true
			}
		}
	}
	return false
}

// scale multiplies a programme's score (not its specific evidence, which
// decides whether anything is offered at all) and records why.
func (s *scorer) scale(d int, why string, f float64) {
	cut := s.score[d] * (1 - f)
	s.score[d] -= cut
	s.ev[d] = append(s.ev[d], Evidence{Kind: why, Term: "off focus", Weight: -math.Round(cut*100) / 100})
}

func (s *scorer) cover(h analysis.Hit) {
	s.covered = append(s.covered, span{h.Latin, h.Start, h.End})
}

// Rank ranks the initiatives for q.
func (ix *Index) Rank(q analysis.Query) Ranking {
	n := len(ix.docs)
	s := &scorer{ix: ix, q: &q, score: make([]float64, n), spec: make([]float64, n), ev: make([][]Evidence, n), asker: map[string]bool{}}
	var r Ranking

	// Names and aliases: one per stretch of the question, two per
	// programme at most; names with typos where no name matched exactly.
	named := map[int]int{}
	var dom domain
	seenName := map[[3]int]bool{}
	for _, h := range ix.names.Find(&q) {
		s.cover(h)
		k := [3]int{h.Ref, h.Start, boolInt(h.Latin)}
		if seenName[k] || named[h.Ref] >= 2 {
			continue
		}
		seenName[k] = true
		named[h.Ref]++
		dom.anchors = append(dom.anchors, h)
		dom.known = append(dom.known, h)
		s.add(h.Ref, "name", h.Term, s.trust(h)*(wName+0.2*float64(min(h.Len(), 10))), true)
	}
	if len(named) == 0 {
		for _, h := range ix.fuzzy.find(q.Key) {
			s.add(h.doc, "fuzzy", h.term, wFuzzy*h.share, true)
			dom.fuzzy = true
		}
	}
	// Keywords: a stretch of the question counts once per programme, even
	// when several of its keywords match there (grant, grants).
	seenKW := map[kwKey]bool{}
	situation := ix.situations(&q)
	for _, h := range ix.kw.Find(&q) {
		s.cover(h)
		d := ix.kwDoc[h.Ref]
		if !ix.sameSense(h, d, q.Concepts) {
			// 個人 inside 個人でやってる (a small business): the longer
			// phrase says what is meant, and this programme's 個人 means
			// something else.
			continue
		}
		k := kwKey{d, h.Latin, h.Start}
		if seenKW[k] {
			continue
		}
		seenKW[k] = true
		dom.known = append(dom.known, h)
		// A keyword that only names a situation (東京, パソコン) ranks but
		// does not make the programme fit, like the concept it is.
		s.add(d, "keyword", h.Term, s.trust(h)*wKeyword*ix.kwIDF[h.Ref], !within(h, situation))
	}
	// Concepts and the intents they carry.
	seenC := map[int]bool{}
	learning := false
	var catHits []string
	specificConcepts := 0
	for _, h := range q.Concepts {
		s.cover(h)
		dom.known = append(dom.known, h)
		if seenC[h.Ref] {
			continue
		}
		seenC[h.Ref] = true
		c := ix.an.Concept(h)
		if c.Urgent && !s.fixed(h) {
			r.Urgent = true
		}
		if c.Anchor && !s.fixed(h) {
			dom.anchors = append(dom.anchors, h)
		}
		if c.Generic {
			r.OnTopic = true
			for d := range ix.docs {
				s.add(d, "generic", c.ID, wGeneric*ix.docs[d].concepts[h.Ref], false)
			}
			continue
		}
		r.OnTopic = r.OnTopic || !c.Context
		if len(c.Categories) > 0 {
			catHits = append(catHits, c.Categories...)
		} else {
			specificConcepts++
		}
		s.concept(h.Ref, c, s.trust(h), !s.fixed(h))
		for _, k := range c.Kinds {
			learning = learning || learningKinds[k]
		}
	}
	// Someone who wants a talk or material about fraud or viruses is
	// preparing, not in trouble now.
	if learning {
		r.Urgent = false
	}
	if r.Urgent {
		for d, doc := range ix.docs {
			if s.helps(doc.in) {
				s.add(d, "urgent", "consultation", wUrgent, true)
			}
		}
	}
	for _, h := range ix.listAll.Find(&q) {
		s.cover(h)
		dom.known = append(dom.known, h)
	}
	uncovered, unexplained := s.words()
	var offDomain bool
	r.Unknown = unexplained
	r.Anchored, offDomain = s.domain(dom, len(unexplained))
	if !offDomain {
		r.Category = ix.category(&q, catHits, specificConcepts, uncovered, len(named) > 0)
	}
	r.Results = s.results(r.Category, r.Urgent)
	if r.Urgent {
		r.Help = s.help(r.Results)
	}
	if len(r.Results) > 0 && !offDomain {
		r.Confident = r.Category != "" || r.Results[0].Specific >= minSpecific
	}
	return r
}

// concept scores the programmes that carry concept c or the intents it
// implies. A situation (context) concept ranks but never makes a
// programme fit on its own.
//
// A concept read from a misspelt word is never specific on its own:
// "throat" read as "threat" must not make a programme fit.
func (s *scorer) concept(ref int, c catalog.Concept, trust float64, sure bool) {
	ix := s.ix
	idf := ix.idf(ix.cdf[ref])
	specific := !c.Context && sure
	for _, a := range c.Audiences {
		s.asker[a] = true
	}
	for d, doc := range ix.docs {
		if w := doc.concepts[ref]; w > 0 {
			s.add(d, "concept", c.ID, trust*wConcept*w*idf, specific)
		}
		if df := rarest(c.Audiences, doc.aud, ix.audDF); df > 0 {
			s.add(d, "audience", c.ID, trust*wAudience*ix.idf(df), specific)
		}
		if df := rarest(c.Kinds, doc.kinds, ix.kindDF); df > 0 {
			s.add(d, "kind", c.ID, trust*wKind*ix.idf(df), specific)
		}
		if rarest(c.Regions, doc.regions, ix.regionDF) > 0 {
			s.add(d, "region", c.ID, trust*wRegion, specific)
		}
		if rarest(c.Categories, doc.cats, ix.catDF) > 0 {
			s.add(d, "category", c.ID, trust*wCategory, false)
		}
	}
}

// situations returns the stretches of the question that context concepts
// cover.
func (ix *Index) situations(q *analysis.Query) []span {
	var out []span
	for _, h := range q.Concepts {
		if ix.an.Concept(h).Context {
			out = append(out, span{h.Latin, h.Start, h.End})
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

// learningKinds are needs that mean preparing rather than trouble now.
var learningKinds = map[string]bool{"seminar": true, "onsite-lecture": true, "material": true, "training": true, "contest": true, "certification": true}

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

// words scores content words no known term explained with BM25 over the
// programmes' text. It returns how many such words the query has
// (uncovered), and how many of them are nouns or English words the
// knowledge base never uses (unexplained): what a question off the domain
// is about (太陽光パネル, weather, ラーメン).
func (s *scorer) words() (uncovered int, unexplained []string) {
	const k1, b = 1.2, 0.5
	ix, q := s.ix, s.q
	runes := []rune(q.Key)
	seen := map[string]bool{}
	for _, t := range q.Tokens {
		if s.isCovered(t, runes) || seen[t.Key] {
			continue
		}
		seen[t.Key] = true
		df := ix.df[t.Key]
		if df == 0 && !t.Verb && !t.Compound && !isNumber(t.Key) {
			unexplained = append(unexplained, t.Text)
		}
		if df == 0 {
			uncovered++
			continue
		}
		if !t.Compound {
			uncovered++
		}
		idf := ix.idf(df)
		for d, doc := range ix.docs {
			tf := doc.tf[t.Key]
			if tf == 0 {
				continue
			}
			bm := idf * tf * (k1 + 1) / (tf + k1*(1-b+b*doc.length/ix.avgLen))
			s.add(d, "word", t.Text, wWord*bm, false)
		}
	}
	return uncovered, unexplained
}

func isNumber(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return false
		}
	}
	return s != ""
}

func (s *scorer) isCovered(t analysis.Token, key []rune) bool {
	for _, c := range s.covered {
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

// category decides whether the question asks for a whole category: a
// "list all" word with a category, or a category alone ("youth",
// 中小企業向けの支援) with nothing more specific.
func (ix *Index) category(q *analysis.Query, cats []string, specificConcepts, uncovered int, named bool) string {
	if len(cats) == 0 || named {
		return ""
	}
	first := cats[0]
	for _, c := range cats[1:] {
		if c != first {
			return ""
		}
	}
	if len(ix.listAll.Find(q)) > 0 {
		return first
	}
	if specificConcepts == 0 && uncovered == 0 {
		return first
	}
	return ""
}

func (s *scorer) results(category string, urgent bool) []Result {
	var out []Result
	for d, doc := range s.ix.docs {
		if category != "" && !doc.cats[category] {
			continue
		}
		if category == "" && s.score[d] <= 0 {
			continue
		}
		// A programme for one kind of situation leads only when the
		// question touches it.
		if len(doc.focus) > 0 && !s.touches(doc.focus) {
			s.scale(d, "focus", wOffFocus)
		}
		// Between programmes the question tells apart no better, show first
		// those whose page and current status were verified: a person can
		// act on them today.
		// A related page (the organiser's site, a neighbouring scheme)
		// is not the programme's own and earns nothing here.
		if doc.in.URL != nil && !doc.in.URL.Related {
			s.add(d, "verified", "url", wVerified, false)
		}
		if doc.in.Status != nil {
			s.add(d, "verified", "status", wVerified, false)
		}
		out = append(out, Result{Initiative: doc.in, Score: round(s.score[d]), Specific: round(s.spec[d]), Evidence: s.ev[d]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if category == "" && len(out) > 0 {
		cut := out[0].Score * relativeCut
		kept := out[:0]
		for _, r := range out {
			if r.Score >= cut || urgent && s.helps(r.Initiative) {
				kept = append(kept, r)
			}
		}
		out = kept
	}
	if urgent {
		// Trouble now: the programmes that help with it come first, however
		// well others match the words ("ransomware spreading in our
		// network" is not a question about networking events), and a help
		// desk meant for others is no help at all.
		out = slices.DeleteFunc(out, func(r Result) bool {
			return offersHelp(r.Initiative) && !s.helps(r.Initiative)
		})
		slices.SortStableFunc(out, func(a, b Result) int {
			return boolInt(s.helps(b.Initiative)) - boolInt(s.helps(a.Initiative))
		})
	}
	return out
}

// offersHelp reports whether a programme offers consultation or incident
// support.
func offersHelp(in *catalog.Initiative) bool {
	return slices.Contains(in.Kinds, "consultation") || slices.Contains(in.Kinds, "incident-support")
}

// help returns the results that help the asker in trouble now or, when
// none of them does, every such programme of the catalog.
func (s *scorer) help(results []Result) []Result {
	var out []Result
	for _, r := range results {
		if s.helps(r.Initiative) {
			out = append(out, r)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, doc := range s.ix.docs {
		if s.helps(doc.in) {
			out = append(out, Result{Initiative: doc.in})
		}
	}
	return out
}

// helps reports whether a programme helps the asker in trouble now: it
// offers consultation or incident support, and is meant for the people
// the question names, if it names any (an SME help desk is no help to a
// parent whose child is bullied online).
func (s *scorer) helps(in *catalog.Initiative) bool {
	if !offersHelp(in) {
		return false
	}
	if len(s.asker) == 0 {
		return true
	}
	for _, a := range in.Audiences {
		if s.asker[a] {
			return true
		}
	}
	return false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func round(f float64) float64 { return math.Round(f*1000) / 1000 }
