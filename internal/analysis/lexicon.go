package analysis

import (
	"slices"
	"strings"
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
	key   string
	term  string
	ref   int
	runes int // runes in key
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
// then only read, so it is safe for concurrent use.
type Lexicon struct {
	ja map[uint64][]jaTerm // first two runes of key (pairKey) → terms
	// pairs has the bit pairBit set for the first two runes of every
	// term of ja. FindAll tries every rune of a question, and most begin
	// no term: the bit turns them away without a map lookup (the lookup
	// per rune, keyed by a string, was 3.7 % of the server's CPU under
	// cmd/loadgen).
	pairs    [pairBits / 64]uint64
	single   map[string][]jaTerm // one-rune terms (娘, 母), found as whole words only
	en       map[string][]enTerm // first stem → terms
	capitals map[string]bool     // lower-case words of Vocabulary.Capitals
	terms    int
}

// NewLexicon returns an empty lexicon. Where a term writes one of
// capitals (Vocabulary.Capitals) in capitals, a question must too.
func NewLexicon(capitals ...string) *Lexicon {
	l := &Lexicon{ja: map[uint64][]jaTerm{}, single: map[string][]jaTerm{}, en: map[string][]enTerm{}, capitals: map[string]bool{}}
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
			l.single[key] = append(l.single[key], jaTerm{key: key, term: term, ref: ref})
			l.terms++
			return
		}
		r0, a := utf8.DecodeRuneInString(key)
		r1, _ := utf8.DecodeRuneInString(key[a:])
		p := pairKey(r0, r1)
		runes := utf8.RuneCountInString(key)
		short := runes <= shortKana && katakanaOnly(n)
		l.ja[p] = append(l.ja[p], jaTerm{key: key, term: term, ref: ref, runes: runes, short: short})
		l.pairs[pairBit(p)/64] |= 1 << (pairBit(p) % 64)
		l.terms++
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
	l.en[stems[0]] = append(l.en[stems[0]], t)
	l.terms++
}

// pairKey is the key in Lexicon.ja of a term beginning with runes a, b.
func pairKey(a, b rune) uint64 { return uint64(a)<<32 | uint64(uint32(b)) }

// pairBits is the size of Lexicon.pairs: a few thousand terms set few
// enough of 2^16 bits that nearly every rune without a term is turned
// away.
const pairBits = 1 << 16

// pairBit is the bit of Lexicon.pairs for a pair key.
func pairBit(p uint64) uint32 {
	return uint32((p*0x9E3779B97F4A7C15)>>48) % pairBits
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
func (l *Lexicon) Find(q *Query) []Hit { return longest(l.FindAll(q)) }

// FindAll returns every term in q, overlapping ones too, for a caller
// whose terms stand for things that do not exclude one another (the cues
// of different situations): it applies Longest within each group.
func (l *Lexicon) FindAll(q *Query) []Hit {
	var hits []Hit
	key := q.Key
	if len(l.ja) > 0 && key != "" {
		r0, size := decodeRune(key)
		for i, pos := 0, 0; i+size < len(key); pos++ {
			r1, next := decodeRune(key[i+size:])
			if p := pairKey(r0, r1); l.pairs[pairBit(p)/64]&(1<<(pairBit(p)%64)) != 0 {
				for _, t := range l.ja[p] {
					if strings.HasPrefix(key[i:], t.key) && !(t.short && midHiragana(q.Scripts, pos)) {
						hits = append(hits, Hit{Ref: t.ref, Term: t.term, Start: pos, End: pos + t.runes})
					}
				}
			}
			i += size
			r0, size = r1, next
		}
	}
	for _, t := range q.Tokens {
		if t.At < 0 {
			continue
		}
		for _, s := range l.single[t.Key] {
			hits = append(hits, Hit{Ref: s.ref, Term: s.term, Start: t.At, End: t.At + 1})
		}
	}
	for i, w := range q.Stems {
		for _, t := range l.en[w] {
			if i+len(t.stems) <= len(q.Stems) && equalWords(q.Stems[i:i+len(t.stems)], t.stems) && capitalsAgree(t.upper, q.Upper, i) &&
				(t.words == nil || i+len(t.words) <= len(q.Words) && equalWords(q.Words[i:i+len(t.words)], t.words)) {
				hits = append(hits, Hit{Ref: t.ref, Term: t.term, Latin: true, Start: i, End: i + len(t.stems)})
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
	// Japanese first, then longest, then leftmost; slices' stable sort,
	// not sort.SliceStable, whose swaps go through reflection.
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
	out := hits[:0:0]
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
