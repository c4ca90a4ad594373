package match

import (
	"strings"
	"sync"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/learned"
)

type doc struct {
	in       *catalog.Initiative
	concepts map[int]float64 // concept index → best field weight
	tf       map[string]float64
	length   float64
	aud      map[string]bool
	kinds    map[string]bool
	regions  map[string]bool
	cats     map[string]bool
	focus    []int // concepts one of which a question must touch to lead
	// focusRegions are regions that, named, also let it lead.
	focusRegions []string
}

// Index ranks initiatives. Build it with New.
type Index struct {
	cat     *catalog.Catalog
	an      *analysis.Analyzer
	docs    []doc
	names   *analysis.Lexicon // programme names and aliases → doc
	fuzzy   *fuzzyNames       // the same, for names with typos
	kw      *analysis.Lexicon // keywords → keyword entry
	kwDoc   []int             // keyword entry → doc
	kwIDF   []float64         // keyword entry → idf of its folded form
	listAll *analysis.Lexicon
	scope   *learned.Scope      // what tells a question for this bot from one about something else (decide)
	learned *learned.Programmes // which programmes answer questions with these words (learned)
	df      map[string]int      // token key → docs whose text has it
	// terms are the folded Japanese terms of the vocabulary and of the
	// situations' cues: words the knowledge base knows although no
	// programme's text uses them (顧客, 名簿), so never foreign. Words
	// of needs outside the domain (ゲートボール) are not among them.
	terms map[string]bool
	cdf   map[int]int // concept → docs that carry it
	// conceptDocs are, per concept, the programmes it scores (concept).
	conceptDocs [][]conceptDoc
	// Programmes per audience, kind, region and category id.
	audDF, kindDF, regionDF, catDF map[string]int
	avgLen                         float64
	// Kinds that mean preparing rather than trouble now, and kinds that
	// help in trouble now (taxonomy.yaml, learning: true and help: true).
	learningKinds, helpKinds, notNowKinds map[string]bool
	private                               map[string]bool // audiences that are private persons (taxonomy.yaml private)
	facet                                 *facetIndex     // the taxonomy's facet words
	sit                                   *situationIndex // situations.yaml
	sound                                 *soundIndex     // Latin names by sound key, for kana
	full                                  *fullText       // BM25 over the curated fields
	// rankers are the rankers of questions answered, for the next ones
	// (ranker.reset); a pointer, shared with the copies WithLearned makes.
	rankers *sync.Pool
	// memo holds the analysis of each text of the knowledge base while
	// the index is built: the same names, summaries and examples feed
	// concepts, BM25 words and the full text. Dropped once built.
	memo map[string]*analysis.Query
}

// New indexes a catalog with an analyser built from its vocabulary.
func New(cat *catalog.Catalog, an *analysis.Analyzer) *Index {
	ix := &Index{
		cat: cat, an: an,
		names: analysis.NewLexicon(cat.Vocabulary.Capitals...), fuzzy: newFuzzyNames(),
		kw: analysis.NewLexicon(cat.Vocabulary.Capitals...), listAll: analysis.NewLexicon(),
		df: map[string]int{}, cdf: map[int]int{},
		audDF: map[string]int{}, kindDF: map[string]int{}, regionDF: map[string]int{}, catDF: map[string]int{},
		learningKinds: map[string]bool{}, helpKinds: map[string]bool{}, notNowKinds: map[string]bool{},
		private: map[string]bool{},
		memo:    map[string]*analysis.Query{}, rankers: &sync.Pool{},
	}
	// The models are built into the binary and read by
	// internal/learned's tests: a bad one is a broken build.
	var err error
	if ix.scope, err = learned.ShippedScope(); err != nil {
		panic(err)
	}
	if ix.learned, err = learned.ShippedProgrammes(); err != nil {
		panic(err)
	}
	for _, k := range cat.Taxonomy.Kinds {
		ix.learningKinds[k.ID] = k.Learning
		ix.helpKinds[k.ID] = k.Help
		ix.notNowKinds[k.ID] = k.NotNow
	}
	for _, a := range cat.Taxonomy.Private {
		ix.private[a] = true
	}
	for _, t := range cat.Vocabulary.Dialog.ListAll.All() {
		ix.listAll.Add(t, 0)
	}
	kwSeen := map[string]map[int]bool{} // folded keyword → docs
	type kwEntry struct {
		key  string
		text string
		doc  int
	}
	var entries []kwEntry
	for i, in := range cat.Initiatives {
		d := doc{
			in: in, concepts: map[int]float64{}, tf: map[string]float64{},
			aud: set(in.Audiences), kinds: set(in.Kinds), regions: set(in.Regions), cats: map[string]bool{},
		}
		for _, id := range in.Focus {
			for ci, c := range cat.Vocabulary.Concepts {
				if c.ID == id {
					d.focus = append(d.focus, ci)
				}
			}
			for _, r := range cat.Taxonomy.Regions {
				if r.ID == id {
					d.focusRegions = append(d.focusRegions, id)
				}
			}
		}
		for _, c := range cat.Taxonomy.Categories {
			for _, s := range c.Sections {
				if in.InSection(s) {
					d.cats[c.ID] = true
				}
			}
		}
		for _, t := range append([]string{in.Name.JA, in.Name.EN}, in.Aliases.All()...) {
			ix.names.Add(t, i)
			ix.fuzzy.add(t, i)
		}
		for _, t := range in.Keywords.All() {
			key := analysis.Fold(analysis.Normalize(t))
			if kwSeen[key] == nil {
				kwSeen[key] = map[int]bool{}
			}
			kwSeen[key][i] = true
			entries = append(entries, kwEntry{key, t, i})
			ix.kw.Add(t, len(ix.kwDoc))
			ix.kwDoc = append(ix.kwDoc, i)
		}
		strong := []string{in.Name.JA, in.Name.EN}
		strong = append(strong, in.Aliases.All()...)
		strong = append(strong, in.Keywords.All()...)
		for _, id := range in.Organizations {
			if o, ok := cat.Organization(id); ok {
				strong = append(strong, o.Name.JA, o.Name.EN, o.Short.JA, o.Short.EN)
				strong = append(strong, o.Aliases.All()...)
			}
		}
		for _, id := range in.Regions {
			r := cat.Region(id)
			strong = append(strong, r.JA, r.EN)
		}
		ix.addConcepts(&d, fieldStrong, strong...)
		ix.addConcepts(&d, fieldExample, in.Examples.All()...)
		ix.addConcepts(&d, fieldWeak, in.Summary.JA, in.Summary.EN, in.TextJA)
		// Words for BM25: the seed text and summaries once, names and
		// keywords twice (they say what the programme is).
		for _, text := range []string{in.TextJA, in.Summary.JA, in.Summary.EN} {
			ix.addTokens(&d, tfText, text)
		}
		for _, text := range append(append([]string{in.Name.JA, in.Name.EN}, in.Keywords.All()...), in.Aliases.All()...) {
			ix.addTokens(&d, tfName, text)
		}
		for k := range d.tf {
			ix.df[k]++
		}
		for c := range d.concepts {
			ix.cdf[c]++
		}
		count(ix.audDF, d.aud)
		count(ix.kindDF, d.kinds)
		count(ix.regionDF, d.regions)
		count(ix.catDF, d.cats)
		ix.avgLen += d.length
		ix.docs = append(ix.docs, d)
	}
	if len(ix.docs) > 0 {
		ix.avgLen /= float64(len(ix.docs))
	}
	ix.fuzzy.finish()
	ix.indexConcepts()
	docOf := make(map[string]int, len(ix.docs))
	for d, doc := range ix.docs {
		docOf[doc.in.ID] = d
	}
	ix.terms = map[string]bool{}
	for _, c := range cat.Vocabulary.Concepts {
		if !c.Outside {
			ix.addTerms(c.JA...)
		}
	}
	for _, sit := range cat.Situations {
		for _, cue := range sit.Cues {
			ix.addTerms(cue.JA...)
		}
	}
	ix.facet = newFacetIndex(cat)
	ix.sit = newSituationIndex(cat, docOf)
	ix.sound = newSoundIndex(cat)
	ix.full = ix.newFullText(cat)
	// A keyword weighs by how rare its words are in the knowledge base,
	// not among keyword lists: 学校, 家庭, イベント and home are keywords
	// of one programme each but words of many, and a broad programme
	// listing its audiences as keywords must not outweigh the programmes
	// that are for those people too.
	ix.kwIDF = make([]float64, len(entries))
	for i, e := range entries {
		ix.kwIDF[i] = idf(len(ix.docs), max(len(kwSeen[e.key]), ix.holding(e.text)))
	}
	ix.memo = nil
	return ix
}

// holding returns how many programmes' curated text (fullText) holds
// every word of text.
func (ix *Index) holding(text string) int {
	var keys []string
	for _, t := range ix.analyzed(text).Tokens {
		if !t.Compound {
			keys = append(keys, t.Key)
		}
	}
	if len(keys) == 0 {
		return 0
	}
	n := 0
	for _, tf := range ix.full.tf {
		all := true
		for _, k := range keys {
			all = all && tf[k] > 0
		}
		if all {
			n++
		}
	}
	return n
}

// addTerms records Japanese terms by their folded key.
func (ix *Index) addTerms(terms ...string) {
	for _, t := range terms {
		if n := analysis.Normalize(t); analysis.HasJapanese(n) {
			ix.terms[analysis.Fold(n)] = true
		}
	}
}

func count(df map[string]int, ids map[string]bool) {
	for id := range ids {
		df[id]++
	}
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func (ix *Index) addConcepts(d *doc, weight float64, texts ...string) {
	for _, t := range texts {
		if strings.TrimSpace(t) == "" {
			continue
		}
		q := ix.analyzed(t)
		for _, h := range q.Concepts {
			if weight > d.concepts[h.Ref] {
				d.concepts[h.Ref] = weight
			}
		}
	}
}

func (ix *Index) addTokens(d *doc, weight float64, text string) {
	q := ix.analyzed(text)
	for _, t := range q.Tokens {
		d.tf[t.Key] += weight
		d.length += weight
	}
}

// offersHelp reports whether a programme is of a kind that helps in
// trouble now (consultation, incident support).
func (ix *Index) offersHelp(in *catalog.Initiative) bool {
	for _, k := range in.Kinds {
		if ix.helpKinds[k] {
			return true
		}
	}
	return false
}

// noUseNow reports whether a programme is of kinds only that are no use
// to a person in trouble now (a contest).
func (ix *Index) noUseNow(in *catalog.Initiative) bool {
	if len(in.Kinds) == 0 {
		return false
	}
	for _, k := range in.Kinds {
		if !ix.notNowKinds[k] {
			return false
		}
	}
	return true
}

// WithLearned returns the index with other learned models (nil: none),
// for measuring models trained without some questions against them. The
// two share everything else, which is only read once built.
func (ix *Index) WithLearned(s *learned.Scope, p *learned.Programmes) *Index {
	c := *ix
	c.scope, c.learned = s, p
	return &c
}

// analyzed analyses a text of the knowledge base once while the index is
// built.
func (ix *Index) analyzed(text string) *analysis.Query {
	if q, ok := ix.memo[text]; ok {
		return q
	}
	q := ix.an.AnalyzeDocument(text)
	if ix.memo != nil {
		ix.memo[text] = &q
	}
	return &q
}
