package match

import (
	"slices"
	"strings"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
)

// FacetType is a way a question can group the programmes: by who runs
// them, where, what they are, whom they are for, or a menu category.
type FacetType string

// The facet types, in the order a listing gives them up when together
// they leave no programme (the last named first: an audience is the
// loosest word, an organisation the firmest).
const (
	ByOrganization FacetType = "organization" // 経産省, METI, police
	ByRegion       FacetType = "region"       // a place inside a region of the knowledge base: 大阪 → kansai
	ByPlace        FacetType = "place"        // a place in Japan no programme is specific to (福岡; ID ""), or a wider area holding a region (九州; ID the region)
	ByCategory     FacetType = "category"     // a menu category named alone (中小企業, youth)
	ByKind         FacetType = "kind"         // コンクール, certifications
	ByAudience     FacetType = "audience"     // 金融機関, volunteers
)

// dropOrder is the order in which facets are let go when their
// intersection is empty.
var dropOrder = []FacetType{ByAudience, ByKind, ByCategory, ByPlace, ByRegion, ByOrganization}

// Facet is one facet a question names.
type Facet struct {
	Type FacetType `json:"type"`
	ID   string    `json:"id"` // the taxonomy id; empty for a place
	Term string    `json:"term"`
}

// facetRef is what a facet term stands for: one or more ids of one type
// (警察 names the national and the prefectural police).
type facetRef struct {
	typ FacetType
	id  string
}

// facetIndex holds the facet vocabulary of the taxonomy.
type facetIndex struct {
	lex    *analysis.Lexicon
	refs   []facetRef      // Lexicon ref → facet
	anchor map[string]bool // organisations whose name puts a question in the domain
}

func newFacetIndex(cat *catalog.Catalog) *facetIndex {
	fi := &facetIndex{lex: analysis.NewLexicon(cat.Vocabulary.Capitals...), anchor: map[string]bool{}}
	add := func(typ FacetType, id string, terms ...string) {
		ref := len(fi.refs)
		fi.refs = append(fi.refs, facetRef{typ, id})
		for _, t := range terms {
			// Facet words count as written: "train" is not training.
			if strings.TrimSpace(t) != "" {
				fi.lex.AddExact(t, ref)
			}
		}
	}
	for i := range cat.Taxonomy.Organizations {
		o := &cat.Taxonomy.Organizations[i]
		add(ByOrganization, o.ID, o.Names()...)
		fi.anchor[o.ID] = o.Anchor
	}
	for _, a := range cat.Taxonomy.Audiences {
		add(ByAudience, a.ID, a.Terms.All()...)
	}
	for _, k := range cat.Taxonomy.Kinds {
		add(ByKind, k.ID, k.Terms.All()...)
	}
	for _, r := range cat.Taxonomy.Regions {
		add(ByRegion, r.ID, r.Terms.All()...)
	}
	add(ByPlace, "", cat.Taxonomy.Places.All()...)
	for _, a := range cat.Taxonomy.Areas {
		for _, id := range a.Holds {
			add(ByPlace, id, a.Terms.All()...)
		}
	}
	return fi
}

// facets finds the organisations, places, kinds and audiences the
// question names. A place ranks the programmes of its region; an
// organisation ranks its programmes as a preference the person stated.
// Facet words explain their part of the question (they are known terms)
// but do not anchor it in the domain: 「経産省の採用情報」 is about jobs.
// An audience word inside a concept that names a category (保護者 →
// youth) is left to the category, which lists the same people's
// programmes.
func (rk *ranker) facets() {
	ix := rk.ix
	type key struct {
		typ FacetType
		id  string
	}
	seen := map[key]bool{}
	scored := map[[3]int]bool{}
	modified := rk.modifiedCompounds()
	for _, h := range ix.facet.lex.Find(rk.q) {
		ref := ix.facet.refs[h.Ref]
		if ref.typ == ByAudience && rk.inCategoryConcept(h) || rk.insideLonger(h) {
			continue
		}
		if (ref.typ == ByKind || ref.typ == ByAudience) && (rk.modifies(h, modified) || rk.describes(h, modified, false)) {
			continue // another kind of contest or seminar: ピアノコンクール, 接客研修
		}
		rk.cover(h)
		rk.facetSpans = append(rk.facetSpans, span{latin: h.Latin, start: h.Start, end: h.End})
		rk.dom.known = append(rk.dom.known, h)
		if ref.typ == ByOrganization && ix.facet.anchor[ref.id] {
			rk.dom.anchors = append(rk.dom.anchors, h)
		}
		k := key{ref.typ, ref.id}
		if seen[k] {
			continue
		}
		seen[k] = true
		rk.r.Facets = append(rk.r.Facets, Facet{Type: ref.typ, ID: ref.id, Term: h.Term})
		for d := range ix.docs {
			if !ix.member(d, Facet{Type: ref.typ, ID: ref.id}) {
				continue
			}
			// One word counts once per programme, whichever of its
			// organisations it names (警察: national and prefectural).
			at := [3]int{d, h.Start, boolInt(h.Latin)}
			if scored[at] {
				continue
			}
			switch ref.typ {
			case ByOrganization:
				rk.add(d, FacetEvidence, h.Term, wFacetOrg, true)
				scored[at] = true
			case ByRegion:
				rk.add(d, FacetEvidence, h.Term, wRegion, false)
				scored[at] = true
			case ByPlace:
				// A wider area: the programmes of the region it holds
				// come first.
				if ref.id != "" && ix.docs[d].regions[ref.id] {
					rk.add(d, FacetEvidence, h.Term, wRegion, false)
					scored[at] = true
				}
			}
		}
	}
	slices.SortStableFunc(rk.r.Facets, func(a, b Facet) int { return facetRank(a.Type) - facetRank(b.Type) })
}

func facetRank(t FacetType) int { return len(dropOrder) - slices.Index(dropOrder, t) }

// inCategoryConcept reports whether a hit lies inside a concept of the
// question that names a category.
func (rk *ranker) inCategoryConcept(h analysis.Hit) bool {
	for _, c := range rk.q.Concepts {
		if c.Latin == h.Latin && c.Start <= h.Start && h.End <= c.End && len(rk.ix.an.Concept(c).Categories) > 0 {
			return true
		}
	}
	return false
}

// insideLonger reports whether a facet word lies strictly inside a longer
// concept or programme name of the question, which says what is meant:
// 補助金 in IT導入補助金 is that subsidy, not a grant of this bot's.
func (rk *ranker) insideLonger(h analysis.Hit) bool {
	for _, c := range rk.q.Concepts {
		if c.Latin == h.Latin && c.Len() > h.Len() && c.Start <= h.Start && h.End <= c.End {
			return true
		}
	}
	for _, s := range rk.covered {
		if s.latin == h.Latin && s.end-s.start > h.Len() && s.start <= h.Start && h.End <= s.end {
			return true
		}
	}
	return false
}

// inFacet reports whether a hit lies inside a facet word of the question.
func (rk *ranker) inFacet(h analysis.Hit) bool { return within(h, rk.facetSpans) }

// member reports whether programme d belongs to a facet. A place outside
// every region holds the programmes that run in any region: those of the
// seed's regional section that are specific to no region; a wider area
// holds those and the programmes of the region it holds.
func (ix *Index) member(d int, f Facet) bool {
	doc := &ix.docs[d]
	switch f.Type {
	case ByOrganization:
		return slices.Contains(doc.in.Organizations, f.ID)
	case ByRegion:
		return doc.regions[f.ID]
	case ByPlace:
		return len(doc.regions) == 0 && doc.in.InSection(catalog.SectionRegional) || f.ID != "" && doc.regions[f.ID]
	case ByKind:
		return doc.kinds[f.ID]
	case ByAudience:
		return doc.aud[f.ID]
	case ByCategory:
		return doc.cats[f.ID]
	}
	return false
}

// listing returns the programmes the facets name together: those in
// every type named (within a type, in any of its ids). When together they
// leave none, the loosest type goes first (dropOrder), so "関西の中小企業向け
// セミナー" lists Kansai's seminars rather than nothing; before them, the
// facet inferred (not nil: the category of who asks, which the question
// did not name as a facet). It returns the facets it kept.
func (ix *Index) listing(facets []Facet, inferred *Facet) ([]int, []Facet) {
	kept := slices.Clone(facets)
	for {
		if len(kept) == 0 {
			return nil, nil
		}
		var docs []int
		for d := range ix.docs {
			if ix.inAll(d, kept) {
				docs = append(docs, d)
			}
		}
		if len(docs) > 0 {
			return docs, kept
		}
		if inferred != nil {
			kept = slices.DeleteFunc(kept, func(f Facet) bool { return f == *inferred })
			inferred = nil
			continue
		}
		dropped := false
		for _, t := range dropOrder {
			if slices.ContainsFunc(kept, func(f Facet) bool { return f.Type == t }) {
				kept = slices.DeleteFunc(kept, func(f Facet) bool { return f.Type == t })
				dropped = true
				break
			}
		}
		if !dropped {
			return nil, nil
		}
	}
}

// inAll reports whether programme d is in every facet type of facets.
func (ix *Index) inAll(d int, facets []Facet) bool {
	byType := map[FacetType]bool{}
	for _, f := range facets {
		byType[f.Type] = byType[f.Type] || ix.member(d, f)
	}
	for _, ok := range byType {
		if !ok {
			return false
		}
	}
	return true
}
