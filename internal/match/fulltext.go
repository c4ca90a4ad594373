package match

import (
	"math"

	"github.com/supportbot/supportbot/internal/catalog"
)

// fullText is a plain BM25 index over the curated fields of each
// programme: names, aliases, keywords, summaries, the seed text, example
// questions, next step, and the names of its organisations, audiences
// and kinds. It never refuses, and where the other evidence is too thin
// to answer it often still holds the right programme: it is one more
// piece of evidence for the decision between answering, asking back and
// saying nothing fits, and it ranks (never decides): wFullText relative
// to the best programme's score, set on the development files.
type fullText struct {
	tf []map[string]float64 // doc → token key → count
	// postings are, per token key, the programmes holding it in doc
	// order with its count: a question's word is looked up once, not in
	// every programme's tf.
	postings map[string][]posting
	length   []float64
	avg      float64
	df       map[string]int
	n        int
}

func (ix *Index) newFullText(cat *catalog.Catalog) *fullText {
	ft := &fullText{df: map[string]int{}, n: len(cat.Initiatives)}
	for _, in := range cat.Initiatives {
		texts := []string{in.Name.JA, in.Name.EN, in.Summary.JA, in.Summary.EN, in.TextJA, in.NextStep.JA, in.NextStep.EN}
		texts = append(texts, in.Aliases.All()...)
		texts = append(texts, in.Keywords.All()...)
		texts = append(texts, in.Examples.All()...)
		for _, id := range in.Organizations {
			if o, ok := cat.Organization(id); ok {
				texts = append(texts, o.Names()...)
			}
		}
		for _, id := range in.Audiences {
			l := cat.Audience(id)
			texts = append(texts, l.JA, l.EN)
		}
		for _, id := range in.Kinds {
			l := cat.Kind(id)
			texts = append(texts, l.JA, l.EN)
		}
		tf := map[string]float64{}
		length := 0.0
		for _, t := range texts {
			if t == "" {
				continue
			}
			q := ix.analyzed(t)
			for _, tok := range q.Tokens {
				if tok.Compound {
					continue
				}
				tf[tok.Key]++
				length++
			}
		}
		for k := range tf {
			ft.df[k]++
		}
		ft.tf = append(ft.tf, tf)
		ft.length = append(ft.length, length)
		ft.avg += length
	}
	if ft.n > 0 {
		ft.avg /= float64(ft.n)
	}
	ft.postings = map[string][]posting{}
	for d, tf := range ft.tf {
		for k, f := range tf {
			if f != 0 {
				ft.postings[k] = append(ft.postings[k], posting{doc: d, f: f})
			}
		}
	}
	return ft
}

// posting is a programme holding a word f times.
type posting struct {
	doc int
	f   float64
}

// fullTextScore is what the full-text index says of a question: the BM25
// score of each programme, and how much of the question (its content
// words weighted by rarity, a word no programme has weighing most) the
// best of them holds.
type fullTextScore struct {
	score []float64
	best  int // -1 when no programme holds any word
	cover float64
	held  int // the question's distinct content words the best programme holds
}

// fulltext scores every programme by BM25 over its curated fields, for
// the content words of the question.
func (rk *ranker) fulltext() {
	ft := rk.ix.full
	fs := fullTextScore{score: zeroed(rk.full.score, ft.n), best: -1}
	seen := map[string]bool{}
	var keys []string
	var weights []float64
	total := 0.0
	for _, t := range rk.q.Tokens {
		if t.Compound || seen[t.Key] || isNumber(t.Key) {
			continue
		}
		seen[t.Key] = true
		w := math.Log(1 + float64(ft.n)/math.Max(float64(ft.df[t.Key]), fullTextUnseenDF))
		keys = append(keys, t.Key)
		weights = append(weights, w)
		total += w
		if ft.df[t.Key] == 0 {
			continue
		}
		for _, p := range ft.postings[t.Key] {
			d, f := p.doc, p.f
			fs.score[d] += w * f * (fullTextK1 + 1) / (f + fullTextK1*(1-fullTextB+fullTextB*ft.length[d]/ft.avg))
		}
	}
	for d, s := range fs.score {
		if s > 0 && (fs.best < 0 || s > fs.score[fs.best]) {
			fs.best = d
		}
	}
	if fs.best >= 0 && total > 0 {
		held := 0.0
		for i, k := range keys {
			if ft.tf[fs.best][k] > 0 {
				held += weights[i]
				fs.held++
			}
		}
		fs.cover = held / total
	}
	rk.full = fs
	if fs.best >= 0 {
		rk.r.FullText.Best = rk.ix.docs[fs.best].in.ID
		rk.r.FullText.Cover = math.Round(fs.cover*shownPrecision) / shownPrecision
		// It ranks, never decides: a programme whose curated text holds
		// the question moves up among those the other evidence offers.
		for d, sc := range fs.score {
			if rel := sc / fs.score[fs.best]; rel >= fullTextFloor {
				rk.add(d, FullTextEvidence, "bm25", wFullText*rel, false)
			}
		}
	}
}
