package match

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/supportbot/supportbot/internal/catalog"
)

// results turns the scores into Results, best first. A programme for one
// kind of situation (focus) that the question does not touch is scaled
// down; a verified page and status break ties; a category answer holds
// the whole category, any other drops results under relativeCut of the
// best. In trouble now, the programmes that help the asker come first and
// help desks meant for others go, and Help lists the helpful ones.
func (rk *ranker) results() {
	// Trouble off the domain (a person's own Instagram taken over, which
	// the scope model knows from the labelled questions for no
	// programme's) is helped by the contact points alone: no help desk
	// of the plan is for it, and whoever asks is not one the plan's help
	// desks serve (outOfScope keeps those in the domain), so it is a
	// private person's.
	category, urgent := rk.r.Category, rk.r.Urgent && !rk.offDomain
	if rk.r.Urgent && rk.offDomain {
		rk.markPrivate()
	}
	whole := category != "" || rk.r.Listing // every programme of a group, not only those that scored
	// When something in the question decides (a programme has specific
	// evidence enough to be offered), evidence that only ranks (words of a
	// situation such as パソコン, domain words, stray shared words) may at
	// most double a programme's specific evidence: 「パソコンは全部私が
	// やってる」 is about having nobody for IT, not about a programme
	// that lists パソコン among its keywords.
	decisive := false
	for d := range rk.ix.docs {
		decisive = decisive || rk.spec[d] >= minSpecific
	}
	out := rk.out[:0]
	for d, doc := range rk.ix.docs {
		if category != "" && !doc.cats[category] {
			continue
		}
		if rk.r.Listing && !slices.Contains(rk.listed, d) {
			continue
		}
		if !whole && rk.score[d] <= 0 {
			continue
		}
		// A programme for one kind of situation leads only when the
		// question touches it.
		if len(doc.focus)+len(doc.focusRegions) > 0 && !rk.touchesFocus(&rk.ix.docs[d]) {
			rk.scale(d, FocusEvidence, wOffFocus)
		}
		if decisive && !whole {
			if extra := rk.score[d] - 2*rk.spec[d]; extra > 0 {
				rk.score[d] -= extra
				rk.ev[d] = append(rk.ev[d], Evidence{Kind: CapEvidence, Term: "ranks only", Weight: -math.Round(extra*shownPrecision) / shownPrecision})
			}
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
	rk.out = out
	if len(out) == 0 {
		out = nil // as when nothing was appended to a nil slice
	}
	slices.SortStableFunc(out, byScore)
	if !whole && len(out) > 0 {
		cut := out[0].Score * relativeCut
		kept := out[:0]
		for _, r := range out {
			if r.Score >= cut || urgent && rk.helps(r.Initiative) {
				kept = append(kept, r)
			}
		}
		out = kept
	}
	if urgent && rk.private() {
		rk.markPrivate()
		rk.r.Results = nil
		return
	}
	if urgent {
		// Trouble now: the programmes that help with it come first, however
		// well others match the words ("ransomware spreading in our
		// network" is not a question about networking events), a help
		// desk meant for others is no help at all, and nor is a contest
		// the question does not name ("my account was hacked" shares a
		// word with a hacking contest). Cross-validated over the 47
		// training files: first places 6,761 → 6,762, nothing else moved
		// but the lower places of 60-odd answers.
		named := rk.named || rk.transliterated
		out = slices.DeleteFunc(out, func(r Result) bool {
			return rk.ix.offersHelp(r.Initiative) && !rk.helps(r.Initiative) ||
				!named && rk.ix.noUseNow(r.Initiative)
		})
		rk.helpFirst(out)
		rk.r.Help = rk.help(out)
	}
	rk.r.Results = out
}

// private reports whether the question is a private person's trouble:
// it names no programme, and either names nobody but a private audience
// (個人です, 自宅のパソコン, "my own account") or names nobody and speaks
// of a service or device of private life (インスタ, gmail; whom the
// situations found concern does not count: a hijacked account is
// anyone's). The labelled questions answer such trouble with the contact
// points alone; a shop's Instagram is a business's. Cross-validated over
// the 59 files: 23 more turned away by the words of private life, 2 more
// by a private audience named, none lost in scope.
func (rk *ranker) private() bool {
	if rk.named || rk.transliterated {
		return false
	}
	if rk.askerGuessed || len(rk.asker) == 0 {
		return len(rk.personal) > 0
	}
	for a := range rk.asker {
		if !rk.ix.private[a] {
			return false
		}
	}
	return true
}

// markPrivate sets Ranking.Private: the words of private life the
// question holds, or else whom it names, or nothing to show but set.
func (rk *ranker) markPrivate() {
	words := make([]string, 0, max(len(rk.personal), len(rk.asker)))
	for _, h := range rk.personal {
		words = append(words, rk.spanText(h))
	}
	if len(words) == 0 && !rk.askerGuessed {
		for a := range rk.asker {
			words = append(words, a)
		}
		slices.Sort(words)
	}
	rk.r.Private = words
}

// helpFirst puts the programmes that help the asker in trouble now
// first, keeping the order within each part.
func (rk *ranker) helpFirst(results []Result) {
	slices.SortStableFunc(results, func(a, b Result) int {
		return boolInt(rk.helps(b.Initiative)) - boolInt(rk.helps(a.Initiative))
	})
}

// learned adds what the programme model of internal/learned says to the
// results of a confident answer that chose its programmes itself (not a
// category or a listing, whose order has its own rules), and sorts them
// again: each gets wLearned × the best score × the model's probability
// of it. The model reorders the programmes the evidence found; it adds
// none and never makes an answer confident. In trouble now the
// programmes that help the asker still lead (results), and the model
// orders the rest: a parent whose child is threatened online gets the
// programmes for parents in the order such questions were answered.
// Cross-validated over the 50 training files, against leaving answers
// to trouble now alone: 10 more first places right, 2 fewer (7,223 →
// 7,231).
func (rk *ranker) learned() {
	r := &rk.r
	if rk.ix.learned == nil || !r.Confident || r.Category != "" || r.Listing || len(r.Results) < 2 {
		return
	}
	post := rk.ix.learned.Posterior(rk.q, rk.ix.an.Concepts())
	best := r.Results[0].Score
	for i := range r.Results {
		res := &r.Results[i]
		p := post.Of(res.Initiative.Line())
		w := math.Round(wLearned*best*p*shownPrecision) / shownPrecision
		if w <= 0 {
			continue
		}
		res.Score = round(res.Score + w)
		res.Evidence = append(res.Evidence, Evidence{Kind: LearnedEvidence, Term: strconv.FormatFloat(p, 'f', 2, 64), Weight: w})
	}
	slices.SortStableFunc(r.Results, byScore)
	if r.Urgent {
		rk.helpFirst(r.Results)
	}
}

// confidence decides whether any programme is offered: none off the
// domain; with a category, its programmes; otherwise the best result
// needs minSpecific of specific evidence, so domain words and words
// shared by chance never offer a programme alone.
func (rk *ranker) confidence() {
	r := &rk.r
	if len(r.Results) > 0 && !rk.offDomain {
		r.Confident = r.Category != "" || r.Listing || r.Results[0].Specific >= minSpecific
	}
}

// clarify turns a ranking that offers nothing into best guesses and a
// question back when the question is on topic: it is anchored in the
// domain, describes a situation, names a facet, or speaks of the domain
// with no word the knowledge base never uses. Only a question outside
// the domain gets nothing. The bot asks who the question is for when no
// one is named, and whether trouble is happening now unless the question
// says so or says the person is preparing.
func (rk *ranker) clarify() {
	r := &rk.r
	if r.Confident || rk.offDomain || r.Private != nil {
		return
	}
	// The full text vouches for a question with more than one of its
	// words, or with one that is a subject of the domain (スマホ): one
	// stray word held ("going" of "how's it going", in "go on holding")
	// is a coincidence of wording.
	byFullText := rk.full.cover >= fullTextOnTopic && (rk.full.held >= fullTextMinWords || rk.subjects > 0)
	if !r.Anchored && !rk.situated && len(r.Facets) == 0 && !(r.OnTopic && len(r.Unknown) == 0) && !byFullText {
		return
	}
	// The guesses: what scored, the full-text score over the curated
	// fields included, so a programme whose text holds the question is
	// among them even when the vocabulary missed its words.
	guesses := rk.guesses[:0]
	for d, doc := range rk.ix.docs {
		if rk.score[d] <= 0 {
			continue
		}
		guesses = append(guesses, Result{Initiative: doc.in, Score: round(rk.score[d]), Specific: round(rk.spec[d]), Evidence: rk.ev[d]})
	}
	rk.guesses = guesses
	if len(guesses) == 0 {
		guesses = nil
	}
	// A guess rests on something that tells programmes apart, or on a
	// question the knowledge base understands whole (「スマホ」): domain
	// words beside words it never uses ("turn on two-factor
	// authentication") make every programme as good a guess as any, and
	// the person is better served by the categories.
	if len(r.Unknown) > 0 && !slices.ContainsFunc(guesses, func(g Result) bool { return g.Specific > 0 }) {
		return
	}
	slices.SortStableFunc(guesses, byScore)
	if len(guesses) > clarifyGuesses {
		guesses = guesses[:clarifyGuesses]
	}
	for i := range guesses {
		guesses[i].Evidence = append(guesses[i].Evidence, Evidence{Kind: ClarifyEvidence, Term: "guess"})
	}
	r.Results, r.Clarify, r.Confident = guesses, true, true
	r.AskWho = len(rk.asker) == 0
	r.AskWhen = !r.Urgent && !rk.learning && !rk.preparing
}

// byScore orders results best first, for a stable sort. (slices'
// sort, not sort.SliceStable, whose swaps through reflection were a
// third of the time of results.)
func byScore(a, b Result) int { return cmp.Compare(b.Score, a.Score) }

// touchesFocus reports whether the question has one of a programme's
// focus concepts or names one of its focus regions.
func (rk *ranker) touchesFocus(doc *doc) bool {
	if rk.touches(doc.focus) {
		return true
	}
	// A situation found that calls for the programme is its focus.
	for _, id := range rk.r.Situations {
		for _, s := range rk.ix.sit.list {
			if s.ID == id && slices.Contains(s.Programmes, doc.in.ID) {
				return true
			}
		}
	}
	for _, f := range rk.r.Facets {
		if (f.Type == ByRegion || f.Type == ByPlace) && f.ID != "" && slices.Contains(doc.focusRegions, f.ID) {
			return true
		}
	}
	return false
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
	out := rk.helping[:0]
	for _, r := range results {
		if rk.helps(r.Initiative) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		for _, doc := range rk.ix.docs {
			if rk.helps(doc.in) {
				out = append(out, Result{Initiative: doc.in})
			}
		}
	}
	rk.helping = out
	if len(out) == 0 {
		return nil // as when nothing was appended to a nil slice
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
