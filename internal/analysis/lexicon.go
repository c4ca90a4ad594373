package analysis

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// Stem returns the Snowball stem of a lower-case English word, except that
// a person stays a person: Snowball takes "-er", "-ant", "-ist" off
// supporter, accountant and specialist, which would make them the same
// word as support, account and special; here only their plural goes.
//
// The suffixes are a rule of English word formation that patches the
// stemmer, not knowledge of the domain: they stay here, beside the
// stemmer, rather than in knowledge/ where an edit would change every
// stem of the index and the speller without the knowledge lint noticing.
func Stem(word string) string {
	if len(word) < 3 {
		return word
	}
	s := english.Stem(word, false)
	one := strings.TrimSuffix(strings.TrimSuffix(word, "'s"), "s")
	for _, suffix := range []string{"er", "or", "ant", "ist"} {
		if strings.HasSuffix(one, suffix) && !strings.HasSuffix(s, suffix) {
			return one
		}
	}
	return s
}

// Hit is a lexicon term found in a query.
type Hit struct {
	Ref   int    // what the term stands for, as given to Lexicon.Add
	Term  string // the term as written in the lexicon
	Latin bool   // matched as English words, not as a Japanese substring
	// Start and End delimit the match: runes of Query.Key for Japanese
	// terms, word indexes of Query.Words for Latin ones.
	Start, End int
}

// Len is the length of the match, in runes or words.
func (h Hit) Len() int { return h.End - h.Start }

type jaTerm struct {
	term  string
	ref   int
	runes int32 // runes in its key
	// short marks a term of at most shortKana runes written in katakana:
	// in hiragana it is as often the middle of a word (ママ in そのまま,
	// わがまま) as the word, so a hiragana run must begin with it.
	short bool
}

// shortKana is the longest katakana term found only where a hiragana run
// begins; longer ones (せきゅりてぃ for セキュリティ) are words whole.
const shortKana = 3

type enTerm struct {
	stems []string
	words []string // the words as written, for a term that counts only so (AddExact); nil: by stem
	upper []bool   // words that must be written in capitals (Vocabulary.Capitals); nil: none
	term  string
	ref   int
}

// Lexicon finds known terms in queries: Japanese (any term with kana or
// kanji) as substrings of the folded key, so inflection and spacing do not
// matter; Latin terms as whole stemmed word sequences. It is built once and
// then only read, so it is safe for concurrent use: Add must not run
// beside Find or FindAll.
//
// The terms are kept in the order added; the first search after an Add
// indexes them in a trie of their keys (lexIndex), which every rune of a
// question walks without hashing. Maps probed at every rune (terms by
// their first two runes) and every word (one-rune terms, first stems)
// were most of the engine's map probes under cmd/loadgen (matchH2,
// memeqbody, aeshashbody: 8–9 % of the server's CPU, flat).
type Lexicon struct {
	ja []jaTerm // terms of two runes or more
	// jaKeys are the keys of ja until they are indexed, nil after: the
	// index holds them, and indexing again after another Add makes them
	// again from the terms.
	jaKeys    []string
	single    []jaTerm // one-rune terms (娘, 母), found as whole words only
	singleKey []string
	en        []enTerm
	capitals  map[string]bool // lower-case words of Vocabulary.Capitals
	terms     int

	mu    sync.Mutex // held while indexing
	index atomic.Pointer[lexIndex]
}

// lexIndex is a lexicon's trie of its keys: Japanese keys of two runes or
// more (endJA), one-rune keys (endSingle) and the first stems of Latin
// terms (endEN). A Japanese key's list holds every term whose key begins
// it, its own included, so a walk from a rune of the question reports
// the terms of the deepest key it passes, in the order they were added,
// as the map of terms by their first two runes gave them.
type lexIndex struct {
	trie
	ja, single []jaTerm
	en         []enTerm
}

// NewLexicon returns an empty lexicon. Where a term writes one of
// capitals (Vocabulary.Capitals) in capitals, a question must too.
func NewLexicon(capitals ...string) *Lexicon {
	l := &Lexicon{capitals: map[string]bool{}}
	for _, c := range capitals {
		l.capitals[strings.ToLower(c)] = true
	}
	return l
}

// Len returns the number of terms added.
func (l *Lexicon) Len() int { return l.terms }

// Add registers a term standing for ref. A Japanese term of one character
// after folding (娘, 母) is found only as a whole word of the question, as
// the tokenizer cuts it: inside other words (息子, 父母会) it would mean
// something else. Empty terms are ignored.
func (l *Lexicon) Add(term string, ref int) { l.add(term, ref, false) }

// AddExact registers a term whose Latin words count only as written, not
// by their stem: "hacked" is found in "we got hacked" but not in "learn
// hacking", which Snowball stems alike. Japanese terms are added as by
// Add (they are found by substring, so a stem such as 乗っ取 already says
// which forms count).
func (l *Lexicon) AddExact(term string, ref int) { l.add(term, ref, true) }

func (l *Lexicon) add(term string, ref int, exact bool) {
	nfkc := norm.NFKC.String(term)
	n := lowerFields(nfkc)
	if HasJapanese(n) {
		key := Fold(n)
		switch utf8.RuneCountInString(key) {
		case 0:
			return
		case 1:
			l.single = append(l.single, jaTerm{term: term, ref: ref, runes: 1})
			l.singleKey = append(l.singleKey, key)
			l.terms++
			l.index.Store(nil)
			return
		}
		runes := utf8.RuneCountInString(key)
		short := runes <= shortKana && katakanaOnly(n)
		if len(l.jaKeys) == len(l.ja) {
			l.jaKeys = append(l.jaKeys, key)
		}
		l.ja = append(l.ja, jaTerm{term: term, ref: ref, runes: int32(runes), short: short})
		l.terms++
		l.index.Store(nil)
		return
	}
	words := latinWords(n)
	if len(words) == 0 {
		return
	}
	stems := make([]string, len(words))
	for i, w := range words {
		stems[i] = Stem(w)
	}
	var upper []bool
	if written := upperWords(nfkc); len(written) == len(words) {
		for i, w := range words {
			if written[i] && l.capitals[w] {
				if upper == nil {
					upper = make([]bool, len(words))
				}
				upper[i] = true
			}
		}
	}
	t := enTerm{stems: stems, upper: upper, term: term, ref: ref}
	if exact {
		t.words = words
	}
	l.en = append(l.en, t)
	l.terms++
	l.index.Store(nil)
}

// indexed returns the lexicon's index, indexing its terms the first time.
func (l *Lexicon) indexed() *lexIndex {
	if ix := l.index.Load(); ix != nil {
		return ix
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if ix := l.index.Load(); ix != nil {
		return ix
	}
	if len(l.jaKeys) != len(l.ja) {
		// Indexed before: the keys are made again, as add makes them.
		l.jaKeys = make([]string, len(l.ja))
		for i, t := range l.ja {
			l.jaKeys[i] = Fold(lowerFields(norm.NFKC.String(t.term)))
		}
	}
	ix := &lexIndex{ja: slices.Clip(l.ja), single: slices.Clip(l.single), en: slices.Clip(l.en)}
	var keys []trieKey
	byKey := map[string][]int32{}
	for i, k := range l.jaKeys {
		byKey[k] = append(byKey[k], int32(i))
	}
	for k, terms := range byKey {
		keys = append(keys, trieKey{endKey(k, endJA), terms})
	}
	byKey = map[string][]int32{}
	for i, k := range l.singleKey {
		byKey[k] = append(byKey[k], int32(i))
	}
	for k, terms := range byKey {
		keys = append(keys, trieKey{endKey(k, endSingle), terms})
	}
	byKey = map[string][]int32{}
	for i, t := range l.en {
		byKey[t.stems[0]] = append(byKey[t.stems[0]], int32(i))
	}
	for k, terms := range byKey {
		keys = append(keys, trieKey{endKey(k, endEN), terms})
	}
	// Each Japanese key lists the terms of every key beginning it.
	ix.trie = newTrie(keys, endJA)
	l.jaKeys = nil
	l.index.Store(ix)
	return ix
}

// decodeRune is utf8.DecodeRuneInString with the ASCII case inline.
func decodeRune(s string) (rune, int) {
	if s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRuneInString(s)
}

// Find returns the terms in q, longest first where they overlap: a hit
// lying inside a longer hit of the same script is dropped (情報 inside
// 情報モラル), so a phrase counts once.
func (l *Lexicon) Find(q *Query) []Hit {
	var buf [16]Hit
	return onHeap(keepLongest(l.scan(q, buf[:0])))
}

// FindAll returns every term in q, overlapping ones too, for a caller
// whose terms stand for things that do not exclude one another (the cues
// of different situations): it applies Longest within each group.
func (l *Lexicon) FindAll(q *Query) []Hit {
	var buf [16]Hit
	return onHeap(l.scan(q, buf[:0]))
}

// onHeap returns hits gathered in a buffer on the caller's stack in a
// slice of their own, nil for none.
func onHeap(hits []Hit) []Hit {
	if len(hits) == 0 {
		return nil
	}
	out := make([]Hit, len(hits))
	copy(out, hits)
	return out
}

// scan appends the terms in q to hits: Japanese terms by the rune of the
// key they begin at, each rune's in the order added; one-rune terms by
// word; Latin terms by the word they begin at.
func (l *Lexicon) scan(q *Query, hits []Hit) []Hit {
	ix := l.indexed()
	t := &ix.trie
	key := q.Key
	if len(ix.ja) > 0 && key != "" {
		for i, pos := 0, 0; ; pos++ {
			_, size := decodeRune(key[i:])
			if i+size >= len(key) {
				// A term has two runes or more.
				break
			}
			deepest := int32(-1)
			for s, j := int32(0), i; j < len(key); j++ {
				if s = t.child(s, key[j]); s < 0 {
					break
				}
				if t.nodes[s].base&hasJA != 0 {
					deepest = s
				}
			}
			if deepest >= 0 {
				for _, k := range t.ends(deepest, endJA) {
					if term := &ix.ja[k]; !(term.short && midHiragana(q.Scripts, pos)) {
						hits = append(hits, Hit{Ref: term.ref, Term: term.term, Start: pos, End: pos + int(term.runes)})
					}
				}
			}
			i += size
		}
	}
	if len(ix.single) > 0 {
		for _, tok := range q.Tokens {
			if tok.At < 0 || len(tok.Key) > utf8.UTFMax {
				continue
			}
			if s := t.walk(tok.Key); s >= 0 && t.nodes[s].base&hasSingle != 0 {
				for _, k := range t.ends(s, endSingle) {
					hits = append(hits, Hit{Ref: ix.single[k].ref, Term: ix.single[k].term, Start: tok.At, End: tok.At + 1})
				}
			}
		}
	}
	if len(ix.en) > 0 {
		for i, w := range q.Stems {
			s := t.walk(w)
			if s < 0 || t.nodes[s].base&hasEN == 0 {
				continue
			}
			for _, k := range t.ends(s, endEN) {
				e := &ix.en[k]
				if i+len(e.stems) <= len(q.Stems) && equalWords(q.Stems[i:i+len(e.stems)], e.stems) && capitalsAgree(e.upper, q.Upper, i) &&
					(e.words == nil || i+len(e.words) <= len(q.Words) && equalWords(q.Words[i:i+len(e.words)], e.words)) {
					hits = append(hits, Hit{Ref: e.ref, Term: e.term, Latin: true, Start: i, End: i + len(e.stems)})
				}
			}
		}
	}
	return hits
}

// katakanaOnly reports whether s is written in katakana alone.
func katakanaOnly(s string) bool {
	for _, r := range s {
		if !IsKatakana(r) && r != 'ー' {
			return false
		}
	}
	return s != ""
}

// midHiragana reports whether rune pos of the key was written in hiragana
// that goes on from the rune before it (そのまま at まま).
func midHiragana(scripts []Script, pos int) bool {
	return pos > 0 && pos < len(scripts) && scripts[pos]&Hiragana != 0 && scripts[pos]&Break == 0 && scripts[pos-1]&Hiragana != 0
}

// Longest drops the hits lying strictly inside a longer hit of the same
// script, as Find does; it reorders hits.
func Longest(hits []Hit) []Hit { return longest(hits) }

// capitalsAgree reports whether the question, from word i on, writes in
// capitals the words a term wants so (nil: none; a query without case
// information agrees).
func capitalsAgree(want, upper []bool, i int) bool {
	if want == nil || upper == nil {
		return true
	}
	for k, w := range want {
		if w && (i+k >= len(upper) || !upper[i+k]) {
			return false
		}
	}
	return true
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// longest drops hits strictly inside a longer hit of the same script.
func longest(hits []Hit) []Hit {
	if len(hits) < 2 {
		return hits
	}
	return dropInside(sortLongest(hits), nil)
}

// keepLongest is longest in place, for hits of the caller's own.
func keepLongest(hits []Hit) []Hit {
	if len(hits) < 2 {
		return hits
	}
	return dropInside(sortLongest(hits), hits[:0])
}

// sortLongest sorts hits Japanese first, then longest, then leftmost;
// slices' stable sort, not sort.SliceStable, whose swaps go through
// reflection.
func sortLongest(hits []Hit) []Hit {
	slices.SortStableFunc(hits, func(a, b Hit) int {
		if a.Latin != b.Latin {
			if !a.Latin {
				return -1
			}
			return 1
		}
		if a.Len() != b.Len() {
			return b.Len() - a.Len()
		}
		return a.Start - b.Start
	})
	return hits
}

// dropInside appends to out the hits, sorted by sortLongest, that lie in
// no longer hit of the same script kept before them. out may be hits[:0]:
// a hit is read before its place is written.
func dropInside(hits, out []Hit) []Hit {
	for _, h := range hits {
		inside := false
		for _, k := range out {
			if k.Latin == h.Latin && k.Len() > h.Len() && k.Start <= h.Start && h.End <= k.End {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, h)
		}
	}
	return out
}
