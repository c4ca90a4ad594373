package match

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/analysis"
)

// fuzzyNames finds programme names in a question despite typos
// ("sechak365", "セキュリティキャプ"): each name or alias is a set of
// character bigrams of its folded key, weighted by how rare each bigram is
// among all names, so the shared セキュリティ of many names counts little
// and a name's own characters count much. A name matches when the question
// holds enough of its weight.
type fuzzyNames struct {
	post   map[string][]int // bigram → names holding it
	doc    []int            // name → programme
	term   []string         // name as written
	key    []string         // name folded
	grams  [][]string
	runes  []int     // length of each name's key
	total  []float64 // weight of each name's bigrams
	weight map[string]float64
	want   []map[string]bool // each name's bigrams as a set, for window
	// sound marks an index of sound keys (names written in kana), where a
	// name held whole is found here and nowhere else.
	sound bool
}

func bigrams(key string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(key); {
		_, a := utf8.DecodeRuneInString(key[i:])
		if i+a >= len(key) {
			break
		}
		_, b := utf8.DecodeRuneInString(key[i+a:])
		g := key[i : i+a+b]
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
		i += a
	}
	return out
}

func newFuzzyNames() *fuzzyNames {
	return &fuzzyNames{post: map[string][]int{}, weight: map[string]float64{}}
}

// add registers a name of programme doc. Names shorter than fuzzyMinRunes
// characters are left to exact matching: a typo there is another word.
//
// English names of several words are left out too: the speller already
// mends their words one by one, and a phrase such as "NITS training"
// would otherwise be found in any question about training.
func (f *fuzzyNames) add(name string, doc int) {
	n := analysis.Normalize(name)
	if !analysis.HasJapanese(n) && strings.ContainsAny(n, " -") {
		return
	}
	f.addKey(analysis.Fold(n), name, doc)
}

// addKey registers a name by a key of its own (a sound key, for names
// written in kana) rather than its folded form.
func (f *fuzzyNames) addKey(key, name string, doc int) {
	if utf8.RuneCountInString(key) < fuzzyMinRunes {
		return
	}
	g := bigrams(key)
	id := len(f.doc)
	f.doc = append(f.doc, doc)
	f.term = append(f.term, name)
	f.key = append(f.key, key)
	f.grams = append(f.grams, g)
	f.runes = append(f.runes, utf8.RuneCountInString(key))
	for _, x := range g {
		f.post[x] = append(f.post[x], id)
	}
}

// finish computes the bigram weights once every name is added.
func (f *fuzzyNames) finish() {
	for g, ids := range f.post {
		f.weight[g] = idf(len(f.doc), len(ids))
	}
	f.total = make([]float64, len(f.doc))
	f.want = make([]map[string]bool, len(f.doc))
	for id, gs := range f.grams {
		f.want[id] = make(map[string]bool, len(gs))
		for _, g := range gs {
			f.total[id] += f.weight[g]
			f.want[id][g] = true
		}
	}
}

type fuzzyHit struct {
	doc   int
	name  int // which name of the programme: the first added wins a tie
	term  string
	share float64
}

// fuzzyScratch is memory find reuses from one call to the next: a
// ranker keeps one (a slice of every name's weight for every key was
// most of what the matcher allocated besides the ranker itself).
type fuzzyScratch struct {
	shared []float64
	grams  []string
}

// find returns, per programme, its best name held by the question with at
// least fuzzyMin of its weight within one stretch about as long as the
// name (so a long question cannot collect a name's bigrams here and there).
func (f *fuzzyNames) find(key string, buf *fuzzyScratch) []fuzzyHit {
	grams := appendBigramsAt(buf.grams[:0], key)
	shared := zeroed(buf.shared, len(f.doc))
	buf.grams, buf.shared = grams, shared
	var seen map[string]bool // for long questions; short ones look back
	if len(grams) > 32 {
		seen = make(map[string]bool, len(grams))
	}
	for i, g := range grams {
		if seen != nil && seen[g] || seen == nil && slices.Contains(grams[:i], g) {
			continue // counted once, as a set
		}
		if seen != nil {
			seen[g] = true
		}
		ids := f.post[g]
		if len(ids) == 0 {
			continue
		}
		w := f.weight[g]
		for _, id := range ids {
			shared[id] += w
		}
	}
	var best map[int]fuzzyHit
	for id, w := range shared {
		if w == 0 || w/f.total[id] < fuzzyMin {
			continue
		}
		share := f.window(id, grams)
		if share < fuzzyMin || f.truncated(id, key) {
			continue
		}
		// Two names of one programme held equally well (セキュリティ・キャンプ
		// and its reading) give the same weight; the first one named wins,
		// so the explanation does not change from run to run.
		d := f.doc[id]
		if best == nil {
			best = map[int]fuzzyHit{}
		}
		if b, ok := best[d]; !ok || share > b.share || share == b.share && id < b.name {
			best[d] = fuzzyHit{doc: d, name: id, term: f.term[id], share: share}
		}
	}
	out := make([]fuzzyHit, 0, len(best))
	for _, h := range best {
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b fuzzyHit) int { return a.doc - b.doc })
	return out
}

// appendBigramsAt appends the bigram starting at each rune of key, in
// order, to out.
func appendBigramsAt(out []string, key string) []string {
	for i := 0; i < len(key); {
		_, a := utf8.DecodeRuneInString(key[i:])
		if i+a >= len(key) {
			break
		}
		_, b := utf8.DecodeRuneInString(key[i+a:])
		out = append(out, key[i:i+a+b])
		i += a
	}
	return out
}

// window returns the best weighted share of name id's bigrams found in a
// stretch of the question fuzzySlack characters longer than the name: a
// sliding sum over the question's bigrams (grams[i] starts at rune i).
// The stretch must hold the name's first or second bigram: a typo rarely
// touches both of a name's first two letters, as the speller assumes, and
// "coding camp" holds the end of seccamp, not a misspelling of it.
func (f *fuzzyNames) window(id int, grams []string) float64 {
	want := f.want[id]
	opening := f.grams[id][:min(2, len(f.grams[id]))]
	size := max(1, f.runes[id]+fuzzySlack-1) // bigrams in a stretch of runes+fuzzySlack runes
	sum, best := 0.0, 0.0
	opens := 0 // opening bigrams in the stretch
	for i, g := range grams {
		if want[g] {
			sum += f.weight[g]
		}
		if slices.Contains(opening, g) {
			opens++
		}
		if i >= size {
			if want[grams[i-size]] {
				sum -= f.weight[grams[i-size]]
			}
			if slices.Contains(opening, grams[i-size]) {
				opens--
			}
		}
		if opens > 0 {
			best = max(best, sum)
		}
	}
	return min(1, best/f.total[id])
}

// truncated reports whether the question holds name id only without its
// first one to fuzzyCutMax characters, fuzzyCutRest at least remaining
// (ボランティア for 防犯ボランティア): another word, not a misspelt name.
func (f *fuzzyNames) truncated(id int, key string) bool {
	if strings.Contains(key, f.key[id]) {
		// The whole name is there. As written, exact matching decides (a
		// name in capitals must be written so: "spreading" is not
		// SPREAD); a sound key (SECCON in せっこん) counts.
		return !f.sound
	}
	name := []rune(f.key[id])
	for cut := 1; cut <= fuzzyCutMax && len(name)-cut >= fuzzyCutRest; cut++ {
		if strings.Contains(key, string(name[cut:])) {
			return true
		}
	}
	return false
}
