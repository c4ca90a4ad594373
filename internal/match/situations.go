package match

import (
	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
)

// situationIndex finds the situations of the knowledge base
// (situations.yaml) in a question: one lexicon of every cue's own words,
// and for each concept the cues it satisfies.
type situationIndex struct {
	list      []catalog.Situation
	first     []int // situation → index of its first cue among all cues
	cues      int   // cues of all situations
	lex       *analysis.Lexicon
	termCue   [][2]int         // lexicon ref → situation, cue
	byConcept map[int][][2]int // concept index → situation, cue
	docs      [][]int          // situation → programme docs, best first
}

func newSituationIndex(cat *catalog.Catalog, docOf map[string]int) *situationIndex {
	si := &situationIndex{list: cat.Situations, lex: analysis.NewLexicon(cat.Vocabulary.Capitals...), byConcept: map[int][][2]int{}}
	concept := map[string]int{}
	for i, c := range cat.Vocabulary.Concepts {
		concept[c.ID] = i
	}
	for s, sit := range cat.Situations {
		si.first = append(si.first, si.cues)
		si.cues += len(sit.Cues)
		for c, cue := range sit.Cues {
			ref := len(si.termCue)
			si.termCue = append(si.termCue, [2]int{s, c})
			for _, t := range cue.JA {
				si.lex.Add(t, ref)
			}
			for _, t := range cue.EN {
				si.lex.Add(t, ref)
			}
			for _, id := range cue.Concepts {
				if ci, ok := concept[id]; ok {
					si.byConcept[ci] = append(si.byConcept[ci], [2]int{s, c})
				}
			}
		}
		var docs []int
		for _, id := range sit.Programmes {
			if d, ok := docOf[id]; ok {
				docs = append(docs, d)
			}
		}
		si.docs = append(si.docs, docs)
	}
	return si
}

// situations finds the situations whose every cue is in the question and
// scores the programmes each calls for, the first most (wSituation, then
// × situationDecay for each next one). A situation found puts the
// question in the domain, explains the words of its cues, says who is
// asking when the question names nobody, and may be trouble now (Now)
// with the contact topics it calls for. Someone who wants to learn or
// practise is not in trouble: urgency reads rk.learning after this pass.
func (rk *ranker) situations() {
	si := rk.ix.sit
	if len(si.list) == 0 {
		return
	}
	met := zeroed(rk.met, si.cues) // every cue of every situation, situation by situation
	rk.met = met
	modified := rk.modifiedCompounds()
	hits := si.find(rk.q, &rk.situationBuf)
	var spans map[int][]span // look-alike situation → the stretches its cues found
	lookalike := func(s int, h analysis.Hit) {
		if si.list[s].Outside {
			if spans == nil {
				spans = map[int][]span{}
			}
			spans[s] = append(spans[s], span{latin: h.Latin, start: h.Start, end: h.End})
		}
	}
	for _, h := range hits {
		if rk.otherKind(h, modified) {
			continue // 大会 in ゲートボール大会 is no gathering of the domain
		}
		sc := si.termCue[h.Ref]
		met[si.first[sc[0]]+sc[1]] = true
		lookalike(sc[0], h)
	}
	for _, h := range rk.q.Concepts {
		if rk.otherKind(h, modified) {
			continue
		}
		for _, sc := range si.byConcept[h.Ref] {
			met[si.first[sc[0]]+sc[1]] = true
			lookalike(sc[0], h)
		}
	}
	found := map[int]bool{}
	for s := range si.list {
		cues := met[si.first[s] : si.first[s]+len(si.list[s].Cues)]
		all := len(cues) > 0
		for _, ok := range cues {
			all = all && ok
		}
		if !all {
			continue
		}
		sit := si.list[s]
		if sit.Outside {
			// A look-alike: the need lies outside the domain (a device to
			// choose, an office's opening hours), whatever else it shares.
			// A word of the domain among its cues names the thing wanted
			// (セキュリティソフト to buy), not the domain (asksDomain).
			rk.outsideSituation = true
			rk.outsideIDs = append(rk.outsideIDs, sit.ID)
			rk.decisive = rk.decisive || sit.Decisive
			rk.lookalike = append(rk.lookalike, spans[s]...)
			continue
		}
		found[s] = true
		rk.r.Situations = append(rk.r.Situations, sit.ID)
		w := wSituation
		for _, d := range si.docs[s] {
			rk.add(d, SituationEvidence, sit.ID, w, true)
			w *= situationDecay
		}
		if sit.Now {
			rk.nowSituation = true
			rk.r.Contacts = append(rk.r.Contacts, sit.Contacts...)
		}
		for _, k := range sit.Kinds {
			rk.preparing = rk.preparing || rk.ix.learningKinds[k] && !sit.Now
		}
	}
	if len(found) == 0 {
		return
	}
	rk.situated = true
	// The words of the cues of the situations found are explained.
	for _, h := range hits {
		if found[si.termCue[h.Ref][0]] {
			rk.cover(h)
			rk.cues = append(rk.cues, span{latin: h.Latin, start: h.Start, end: h.End})
			rk.dom.known = append(rk.dom.known, h)
		}
	}
	// Who is asking, when the question names nobody: whom all the
	// situations found concern (an elderly relative and a fake warning:
	// the public, not a business), else whom any concerns.
	if len(rk.asker) == 0 {
		rk.askerGuessed = true
		count := map[string]int{}
		for s := range found {
			for _, a := range si.list[s].Who {
				count[a]++
			}
		}
		for a, n := range count {
			if n == len(found) {
				rk.asker[a] = true
			}
		}
		if len(rk.asker) == 0 {
			for a := range count {
				rk.asker[a] = true
			}
		}
	}
}

// situationScratch is memory find reuses from one call to the next (a
// ranker keeps one): its answer and its working lists.
type situationScratch struct {
	out, grouped []analysis.Hit
	taken        []bool
}

// find returns the cue words of the question, the longest where they
// overlap within one situation only: one situation's longer cue (外部講師
// of a school's outside speaker) does not hide another's shorter one
// (講師 of a parents' evening). The hits are buf's, good until the next
// call.
func (si *situationIndex) find(q *analysis.Query, buf *situationScratch) []analysis.Hit {
	all := si.lex.FindAll(q)
	// The hits of each group, in the order the groups are first hit,
	// laid end to end in one slice: a question has a few hits, and a map
	// of slices by group was most of the allocations of this pass.
	grouped := buf.grouped[:0]
	taken := zeroed(buf.taken, len(all))
	out := buf.out[:0]
	for i, h := range all {
		if taken[i] {
			continue
		}
		s, start := si.termCue[h.Ref][0], len(grouped)
		for j := i; j < len(all); j++ {
			if !taken[j] && si.termCue[all[j].Ref][0] == s {
				grouped = append(grouped, all[j])
				taken[j] = true
			}
		}
		out = append(out, analysis.Longest(grouped[start:])...)
	}
	buf.out, buf.grouped, buf.taken = out, grouped, taken
	return out
}
