package match

import (
	"math"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
)

// EvidenceKind says what a piece of evidence rests on.
type EvidenceKind string

// The kinds of evidence, in the order the passes of Rank add them. Their
// weights are in weights.go.
const (
	NameEvidence      EvidenceKind = "name"      // a programme's name or alias in the question
	FuzzyEvidence     EvidenceKind = "fuzzy"     // a name found despite typos
	KeywordEvidence   EvidenceKind = "keyword"   // one of the programme's keywords
	ConceptEvidence   EvidenceKind = "concept"   // a vocabulary concept the programme's fields carry
	AudienceEvidence  EvidenceKind = "audience"  // who the question's concept says is asking
	KindEvidence      EvidenceKind = "kind"      // what the question's concept says they need
	RegionEvidence    EvidenceKind = "region"    // a region the programme is specific to
	FacetEvidence     EvidenceKind = "facet"     // an organisation or place the question names (taxonomy)
	SituationEvidence EvidenceKind = "situation" // a situation of situations.yaml that calls for the programme
	TranslitEvidence  EvidenceKind = "translit"  // a name written in the other script (せっこん, otasuketai)
	CategoryEvidence  EvidenceKind = "category"  // the programme's category named
	GenericEvidence   EvidenceKind = "generic"   // a word of the domain itself (security, 対策)
	WordEvidence      EvidenceKind = "word"      // a word outside every known term, by BM25
	UrgentEvidence    EvidenceKind = "urgent"    // consultation when trouble happens now
	FocusEvidence     EvidenceKind = "focus"     // a cut: the question misses the programme's focus
	CapEvidence       EvidenceKind = "cap"       // a cut: evidence that only ranks, beyond twice the specific evidence
	VerifiedEvidence  EvidenceKind = "verified"  // a verified page or status
	ClarifyEvidence   EvidenceKind = "clarify"   // a best guess of an answer that asks back
	FullTextEvidence  EvidenceKind = "fulltext"  // BM25 over the curated fields, for the guesses of an answer that asks back
	LearnedEvidence   EvidenceKind = "learned"   // the programme model's probability (internal/learned): reorders a confident answer's programmes
)

// Evidence is one reason an initiative scored.
type Evidence struct {
	Kind   EvidenceKind `json:"kind"`
	Term   string       `json:"term"`
	Weight float64      `json:"weight"`
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
	// Facets are the organisations, places, kinds, audiences and
	// categories the question names, firmest first.
	Facets []Facet
	// Listing is set when the question asks for what its facets hold
	// (「経産省の中小企業向け」, "certifications", 「大阪で何かある？」):
	// Results are then every programme in all of Listed, ranked by the
	// rest of the question.
	Listing bool
	Listed  []Facet
	// Private is set (not nil) when Urgent trouble is a private person's,
	// one who names no business, school, child or region, or trouble the
	// scope model takes out of the domain: no programme of the plan is for
	// them, so Help is empty, no result is offered and the contact points
	// (none only for organisations) are the answer. It holds the words of
	// private life that said so (インスタ, gmail), or else the private
	// audiences named, if any.
	Private []string
	// Situations are the ids of the situations found (situations.yaml).
	Situations []string
	// Outside, when the rules took the question out of the domain, are
	// what said so: look-alike situations (other-contest) and concepts of
	// needs outside it (buy-product), sorted.
	Outside []string
	// Contacts are the contact topics the situations found call for.
	Contacts []string
	// Clarify is set when the question is on topic but too unclear to
	// answer: Results are then best guesses, and the bot asks back who
	// the question is for (AskWho) and whether trouble is happening now
	// (AskWhen).
	Clarify         bool
	AskWho, AskWhen bool
	// FullText is what BM25 over the curated fields says: its best
	// programme and the share of the question that programme's text holds.
	FullText struct {
		Best  string
		Cover float64
	}
	// Scope is set when the scope model took the question out of the
	// domain (internal/learned): its probability that the question is
	// about something else, and the features that said so most.
	// Vouched is set, with its probability, when the model was sure the
	// question is in scope against a need outside the domain the rules
	// found; Words are the words no programme's text uses that the
	// labelled questions hold and the model does not take for the
	// subject of a question about something else (not Unknown for that:
	// learned.DomainLean).
	Scope struct {
		Out     float64
		Telling []string
		Vouched bool
		In      float64
		Words   []string
	}
}

// Rank ranks the initiatives for q. It runs the passes below in order;
// each adds evidence or decides part of the Ranking, and later passes
// read what earlier ones found (the stretches of the question known terms
// explain, whether a name was found, the concepts' intents).
func (ix *Index) Rank(q analysis.Query) Ranking {
	return ix.rank(q, false, true)
}

// RankRefined ranks a question the bot asked back about, with the choice
// the person tapped added to it (「スマホ」 and 子ども): the bot judged the
// question on topic when it asked, and the words it added are its own,
// so the scope model is not asked whether the whole is about something
// else (a question about the choice's words alone, 「スマホ 子ども」, could
// read so).
func (ix *Index) RankRefined(q analysis.Query) Ranking {
	return ix.rank(q, true, true)
}

// RankBare is Rank, or RankRefined when refined, without the evidence:
// every Result's Evidence is nil. The dialog reads none of it, and
// copying it out of the pooled ranker (detach) was the largest
// allocation of the server under cmd/loadgen (7.6 % of the bytes).
func (ix *Index) RankBare(q analysis.Query, refined bool) Ranking {
	return ix.rank(q, refined, false)
}

func (ix *Index) rank(q analysis.Query, refined, evidence bool) Ranking {
	rk, _ := ix.rankers.Get().(*ranker)
	if rk == nil {
		rk = &ranker{}
	}
	rk.reset(ix, &q)
	rk.refined = refined
	rk.names()
	rk.fuzzyNames()
	rk.facets()
	rk.keywords()
	rk.concepts()
	rk.situations()
	rk.translit()
	rk.urgency()
	rk.listAll()
	rk.words()
	rk.fulltext()
	rk.decide()
	rk.results()
	rk.confidence()
	rk.learned()
	rk.clarify()
	r := rk.r
	r.detach(evidence)
	rk.release()
	ix.rankers.Put(rk)
	return r
}

// ranker is the state of one Rank call, shared by its passes. Rankers
// are pooled per Index (Index.rankers) and reset for each question: the
// per-programme arrays and the evidence were the largest allocation of
// the whole server under load (13 % of the bytes). A Ranking returned to
// the caller holds none of a ranker's memory (detach).
type ranker struct {
	ix      *Index
	q       *analysis.Query // &query
	runes   []rune          // the question's key, rune by rune: Japanese hits index it
	r       Ranking         // what the passes decided so far
	refined bool            // a question asked back about, with the choice added (RankRefined)
	// query is Rank's copy of the question, here so that it needs no
	// allocation of its own.
	query analysis.Query

	// Per programme (doc index): the score, its specific part and the
	// evidence behind it.
	score []float64
	spec  []float64
	ev    [][]Evidence

	covered   []span          // parts of the query a known term explains
	lookalike []span          // stretches the cues of a look-alike situation found (situations)
	asker     map[string]bool // audiences the question's concepts name (parent, sme-owner …)
	// askerGuessed is set when the question names nobody and asker holds
	// whom the situations found concern (situations).
	askerGuessed bool
	dom          domain // what anchors the question in the domain

	named            bool           // a programme name was found as written (names)
	transliterated   bool           // a programme name was found in the other script (translit)
	learning         bool           // a concept asks for a kind that means preparing, or to practise (concepts)
	topics           int            // concepts and keywords outside facet words that say what the question is about (keywords, concepts)
	subjects         int            // concepts of the question that are subjects of the domain, not only intents (concepts)
	topicKeywords    int            // keywords of the question outside facet words and intents (keywords)
	unknownNouns     int            // Japanese nouns of the question the knowledge base never uses (words)
	audienceNamed    bool           // a concept says who asks or for whom (concepts)
	outside          []analysis.Hit // concepts naming a need outside the domain (concepts)
	outsideIDs       []string       // the look-alike situations found (situations)
	troubleWords     []analysis.Hit // concepts of trouble happening now (concepts)
	personal         []analysis.Hit // concepts of services and devices of private life (concepts)
	workplaces       []analysis.Hit // words saying where the asker works (concepts)
	core             []analysis.Hit // words naming the domain itself, not of another thing's compound (concepts)
	domainWords      int            // concepts of the domain's subjects besides trouble: security, a device, the internet (concepts)
	outsideSituation bool           // a look-alike situation was found (situations)
	decisive         bool           // … and it is one nothing else in the question outweighs
	facetSpans       []span         // stretches of the question facet words cover (facets)
	situated         bool           // a situation was found (situations)
	cues             []span         // … and the stretches its cues' own words cover
	nowSituation     bool           // … and one of them is trouble now
	preparing        bool           // … or one is a preparation calling for a learning kind; or a concept of who asks implies one (concepts)
	catHits          []string       // categories the concepts name (concepts)
	specificConcepts int            // concepts that name no category (concepts)
	listAllHits      int            // "all" words found (listAll)
	uncovered        int            // content words no known term explains (words)
	offDomain        bool           // the question is about something else (decide)
	scopeP           float64        // the scope model's verdict on the question, once asked (scopeOut)
	scopeAsked       bool
	listed           []int         // the programmes of a listing (decide)
	full             fullTextScore // BM25 over the curated fields (fulltext)

	// Memory the passes reuse from one question to the next, cleared
	// where they start using it.
	out, guesses, helping []Result         // results, clarify, help
	met                   []bool           // the cues found (situations)
	fuzzyBuf              fuzzyScratch     // fuzzyNames.find
	situationBuf          situationScratch // situationIndex.find
}

// span is a stretch of the question: runes of Query.Key, or word indexes
// of Query.Words when latin.
type span struct {
	latin      bool
	start, end int
	outside    bool // a word of a need outside the domain: known, but no word of the domain (partCovered)
}

// reset readies a ranker, new or from the pool, for question q of ix:
// every field starts from its zero value, as in a new ranker, but the
// memory of the per-programme arrays, the evidence and the passes' lists
// is kept and cleared, not allocated again.
func (rk *ranker) reset(ix *Index, q *analysis.Query) {
	n := len(ix.docs)
	ev := rk.ev
	if len(ev) != n {
		// Every programme's evidence starts in one shared block,
		// evidenceRoom pieces each (capped, so a programme with more
		// grows on its own and never into the next one's): one
		// allocation instead of a few per programme that has evidence.
		// A programme's slice that grew keeps its room for the next
		// question.
		block := make([]Evidence, n*evidenceRoom)
		ev = make([][]Evidence, n)
		for d := range ev {
			ev[d] = block[d*evidenceRoom : d*evidenceRoom : (d+1)*evidenceRoom]
		}
	}
	for d := range ev {
		ev[d] = ev[d][:0]
	}
	asker := rk.asker
	if asker == nil {
		asker = map[string]bool{}
	}
	clear(asker)
	*rk = ranker{
		ix: ix, query: *q,
		runes: appendRunes(rk.runes[:0], q.Key),
		score: zeroed(rk.score, n), spec: zeroed(rk.spec, n), ev: ev,
		covered: rk.covered[:0], lookalike: rk.lookalike[:0], asker: asker,
		dom:     domain{anchors: rk.dom.anchors[:0], known: rk.dom.known[:0]},
		outside: rk.outside[:0], outsideIDs: rk.outsideIDs[:0], troubleWords: rk.troubleWords[:0], personal: rk.personal[:0], workplaces: rk.workplaces[:0], core: rk.core[:0],
		facetSpans: rk.facetSpans[:0], cues: rk.cues[:0], catHits: rk.catHits[:0],
		full: fullTextScore{score: rk.full.score[:0]},
		out:  rk.out[:0], guesses: rk.guesses[:0], helping: rk.helping[:0],
		met: rk.met[:0], fuzzyBuf: rk.fuzzyBuf, situationBuf: rk.situationBuf,
	}
	rk.q = &rk.query
}

// release lets go of what the last question referred to, so that a ranker
// in the pool keeps no query or ranking alive.
func (rk *ranker) release() {
	rk.q, rk.query, rk.r = nil, analysis.Query{}, Ranking{}
}

// detach copies the results and help of a ranking, and their evidence
// unless evidence is false (then each Result's Evidence is nil), out of
// the ranker's memory, which goes back to the pool: two allocations for
// the few results kept instead of the ranker's arrays for every
// programme. Every slice keeps its length, and whether it is nil;
// capacities end at the length, so appending to one never writes into
// the next.
func (r *Ranking) detach(evidence bool) {
	n := 0
	if evidence {
		for _, res := range r.Results {
			n += len(res.Evidence)
		}
		for _, res := range r.Help {
			n += len(res.Evidence)
		}
	}
	ev := make([]Evidence, 0, n)
	results := make([]Result, 0, len(r.Results)+len(r.Help))
	own := func(rs []Result) []Result {
		if rs == nil {
			return nil
		}
		start := len(results)
		for _, res := range rs {
			if !evidence {
				res.Evidence = nil
			} else if res.Evidence != nil {
				at := len(ev)
				ev = append(ev, res.Evidence...)
				res.Evidence = ev[at:len(ev):len(ev)]
			}
			results = append(results, res)
		}
		return results[start:len(results):len(results)]
	}
	r.Results = own(r.Results)
	r.Help = own(r.Help)
}

// zeroed returns s with length n, every element zero; it allocates only
// when s has too little room.
func zeroed[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// appendRunes appends the runes of s to buf, as []rune(s) would make them.
func appendRunes(buf []rune, s string) []rune {
	for _, r := range s {
		buf = append(buf, r)
	}
	return buf
}

// evidenceRoom is the pieces of evidence each programme has room for
// before its own slice grows.
const evidenceRoom = 6

// add records evidence for programme d; specific evidence also counts
// towards whether anything is offered at all.
func (rk *ranker) add(d int, kind EvidenceKind, term string, w float64, specific bool) {
	if w <= 0 {
		return
	}
	rk.score[d] += w
	if specific {
		rk.spec[d] += w
	}
	rk.ev[d] = append(rk.ev[d], Evidence{Kind: kind, Term: term, Weight: math.Round(w*shownPrecision) / shownPrecision})
}

// scale multiplies a programme's score (not its specific evidence, which
// decides whether anything is offered at all) and records why.
func (rk *ranker) scale(d int, why EvidenceKind, f float64) {
	cut := rk.score[d] * (1 - f)
	rk.score[d] -= cut
	rk.ev[d] = append(rk.ev[d], Evidence{Kind: why, Term: "off focus", Weight: -math.Round(cut*shownPrecision) / shownPrecision})
}

// fixed reports whether a hit rests on a word the speller corrected: such
// evidence is weaker ("throat" read as "threat" must not raise an alarm).
func (rk *ranker) fixed(h analysis.Hit) bool {
	if !h.Latin {
		return false
	}
	for i := h.Start; i < h.End && i < len(rk.q.Fixed); i++ {
		if rk.q.Fixed[i] {
			return true
		}
	}
	return false
}

// trust is the weight factor of a hit: corrected words count for less.
func (rk *ranker) trust(h analysis.Hit) float64 {
	if rk.fixed(h) {
		return wCorrected
	}
	return 1
}

// cover marks the stretch of a hit as explained by a known term.
func (rk *ranker) cover(h analysis.Hit) {
	rk.covered = append(rk.covered, span{latin: h.Latin, start: h.Start, end: h.End})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func round(f float64) float64 { return math.Round(f*scorePrecision) / scorePrecision }
