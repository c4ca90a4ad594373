package match

import (
	"slices"
	"sort"

	"github.com/supportbot/supportbot/internal/catalog"
)

// results turns the scores into Results, best first. A programme for one
// kind of situation (focus) that the question does not touch is scaled
// down; a verified page and status break ties; a category answer holds
// the whole category, any other drops results under relativeCut of the
// best. In trouble now, the programmes that help the asker come first and
// help desks meant for others go, and Help lists the helpful ones.
func (rk *ranker) results() {
	category, urgent := rk.r.Category, rk.r.Urgent
	var out []Result
	for d, doc := range rk.ix.docs {
		if category != "" && !doc.cats[category] {
			continue
		}
		if category == "" && rk.score[d] <= 0 {
			continue
		}
		// A programme for one kind of situation leads only when the
		// question touches it.
		if len(doc.focus) > 0 && !rk.touches(doc.focus) {
			rk.scale(d, FocusEvidence, wOffFocus)
		}
		// Between programmes the question tells apart no better, show first
		// those whose page and current status were verified: a person can
		// act on them today.
		if doc.in.URL != nil {
			rk.add(d, VerifiedEvidence, "url", wVerified, false)
		}
		if doc.in.Status != nil {
			rk.add(d, VerifiedEvidence, "status", wVerified, false)
		}
		out = append(out, Result{Initiative: doc.in, Score: round(rk.score[d]), Specific: round(rk.spec[d]), Evidence: rk.ev[d]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if category == "" && len(out) > 0 {
		cut := out[0].Score * relativeCut
		kept := out[:0]
		for _, r := range out {
			if r.Score >= cut || urgent && rk.helps(r.Initiative) {
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
			return rk.ix.offersHelp(r.Initiative) && !rk.helps(r.Initiative)
		})
		slices.SortStableFunc(out, func(a, b Result) int {
			return boolInt(rk.helps(b.Initiative)) - boolInt(rk.helps(a.Initiative))
		})
		rk.r.Help = rk.help(out)
	}
	rk.r.Results = out
}

// confidence decides whether any programme is offered: none off the
// domain; with a category, its programmes; otherwise the best result
// needs minSpecific of specific evidence, so domain words and words
// shared by chance never offer a programme alone.
func (rk *ranker) confidence() {
	r := &rk.r
	if len(r.Results) > 0 && !rk.offDomain {
		r.Confident = r.Category != "" || r.Results[0].Specific >= minSpecific
	}
}

// touches reports whether the question has one of the concepts.
func (rk *ranker) touches(concepts []int) bool {
	for _, h := range rk.q.Concepts {
		for _, c := range concepts {
			if h.Ref == c {
				return true
			}
		}
	}
	return false
}

// help returns the results that help the asker in trouble now or, when
// none of them does, every such programme of the catalog.
func (rk *ranker) help(results []Result) []Result {
	var out []Result
	for _, r := range results {
		if rk.helps(r.Initiative) {
			out = append(out, r)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, doc := range rk.ix.docs {
		if rk.helps(doc.in) {
			out = append(out, Result{Initiative: doc.in})
		}
	}
	return out
}

// helps reports whether a programme helps the asker in trouble now: it is
// of a kind that helps (taxonomy.yaml, help: true: consultation, incident
// support), and is meant for the people the question names, if it names
// any (an SME help desk is no help to a parent whose child is bullied
// online).
func (rk *ranker) helps(in *catalog.Initiative) bool {
	if !rk.ix.offersHelp(in) {
		return false
	}
	if len(rk.asker) == 0 {
		return true
	}
	for _, a := range in.Audiences {
		if rk.asker[a] {
			return true
		}
	}
	return false
}
