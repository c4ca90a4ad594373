package analysis

import "unicode/utf8"

// speller corrects misspelt English words to the nearest word the
// knowledge base uses ("seminer" → "seminar", "sechak" → "sechack"); an
// ordinary English word (english.txt) is no misspelling, even near one.
// Japanese needs no speller: the folded key and the lexicon's substring
// search already absorb kana, width and long-vowel variants, and the
// matcher compares character bigrams of names.
type speller struct {
	// known maps the known words to their stems (Stem): most words of a
	// question are known, and Snowball was a fifth of the analysis.
	known  map[string]string
	stems  map[string]bool // stems of known words: an inflection is no typo
	byLen  map[int][]string
	maxLen int
}

func newSpeller() *speller {
	return &speller{known: map[string]string{}, stems: map[string]bool{}, byLen: map[int][]string{}}
}

func (s *speller) add(word string) {
	if _, ok := s.known[word]; ok || !isASCII(word) {
		return
	}
	stem := Stem(word)
	s.known[word] = stem
	s.stems[stem] = true
	n := len(word)
	s.byLen[n] = append(s.byLen[n], word)
	s.maxLen = max(s.maxLen, n)
}

// stem returns Stem(w), looked up for a known word.
func (s *speller) stem(w string) string {
	if stem, ok := s.known[w]; ok {
		return stem
	}
	return Stem(w)
}

// correct returns the known word nearest to w, or w, and the stem of
// what it returns. Short words and digits are left alone: at four
// letters one edit already turns most words into others.
func (s *speller) correct(w string) (string, string) {
	if stem, ok := s.known[w]; ok {
		return w, stem
	}
	stem := Stem(w)
	if c := s.nearest(w, stem); c != w {
		return c, s.known[c]
	}
	return w, stem
}

// nearest is correct for a word that is not known, with its stem.
func (s *speller) nearest(w, stem string) string {
	if len(s.known) == 0 || s.stems[stem] || len(w) < 5 || len(w) > 30 || !isASCII(w) || hasDigit(w) || isEnglish(w) {
		return w
	}
	limit := 1
	if len(w) >= 8 {
		limit = 2
	}
	best, bestD := w, limit+1
	for n := len(w) - limit; n <= len(w)+limit; n++ {
		for _, cand := range s.byLen[n] {
			if cand[0] != w[0] && (len(cand) < 2 || len(w) < 2 || cand[1] != w[1]) {
				continue // a typo rarely touches both of the first two letters
			}
			if derived(w, cand) {
				continue
			}
			if d := editDistance(w, cand, bestD); d < bestD {
				best, bestD = cand, d
			}
		}
	}
	return best
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// editDistance is the optimal-string-alignment distance (insertions,
// deletions, substitutions, transpositions), giving up past limit.
func editDistance(a, b string, limit int) int {
	if !utf8.ValidString(a) || !utf8.ValidString(b) {
		return limit + 1
	}
	la, lb := len(a), len(b)
	prev2 := make([]int, lb+1)
	prev := make([]int, lb+1)
	cur := make([]int, lb+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

// derived reports whether known word cand is w with an English ending
// added ("provide" → "provider"): w is then a word in its own right the
// knowledge base happens not to use, not a typo of cand.
func derived(w, cand string) bool {
	for _, suffix := range []string{"r", "s", "d", "er", "ed", "es", "ing", "ly"} {
		if cand == w+suffix {
			return true
		}
	}
	return false
}
