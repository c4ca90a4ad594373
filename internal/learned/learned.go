// Package learned holds what the bot learns from labelled questions — the
// evaluation files of internal/evaluate but the held-out ones, and the
// training files of testdata/, written blind for it by other sessions:
// two models over the same features of a question, its words, the
// vocabulary's concepts in it and its pairs of Japanese characters.
//
// The matcher decides from evidence it can name: programmes, situations,
// look-alike situations, the domain's own words. Those reach the needs
// someone wrote down and their neighbours. The models learn from the
// questions themselves which words go with which answer, so they speak
// for the needs between the ones written down:
//
//   - Scope tells a question for this bot from one about something else
//     that shares its words (「スマホの料金プラン」, "which tablet should I
//     buy"): match asks it only about a question that names no programme
//     and reports no trouble, and takes its word only when it is sure.
//   - Programmes says which programmes questions with these words were
//     answered with: match adds it as evidence to the programmes its
//     rules already found, so it reorders them and never adds one.
//
// Scope is a logistic regression, shipped as a weight per feature
// (scope.tsv); Programmes a naive Bayes model, shipped as counts per
// feature (programmes.tsv);
// TestShipped retrains them and fails when a file is stale (after a
// change of the vocabulary, the analyser or a training file), `-update`
// rewrites them, and TestCrossValidation measures them against each file
// with models trained without it.
package learned

import (
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
)

// MinQuestions is how many training questions must hold a feature for it
// to speak: a word seen once or twice is the wording of those questions,
// not a sign of a class. Measured by cross-validation on the evaluation
// files: keeping every feature turned away 9 questions out of scope for 5
// in scope lost, 3 turned away 7 for 2, 5 turned away 4 for 1.
const MinQuestions = 3

// Phrase begins the features of an English question's pairs of
// adjacent content words: "security deposit", "food safety" and "job
// security" are about something else, "security training" is not, and
// an English question has no pairs of characters to tell them apart.
// Only the scope model reads them (in the programme model they cost
// first places, cross-validated).
const Phrase = "p:"

// Example is one labelled question: its features, whether it is out of
// scope, and the programmes that answer it (their seed lines, best first).
type Example struct {
	Features []string
	// Values are the features' values for the scope model
	// (FeatureValues), Features[i]'s at i; nil when each is 1.
	Values []float32
	Out    bool
	Lines  []int
}

// Features returns what the model reads of a question, each once: its
// content words ("t:" and the folded word or English stem), the
// phrases of an English question (Phrase: "p:" and two adjacent content
// words' stems, "secur deposit", "food safeti"), the vocabulary's
// concepts in it ("c:" and the concept's id) and every pair of adjacent
// characters of its key where one is Japanese ("b:"), which carry meaning
// across the tokenizer's cuts and inflections (料金, 買い).
// concepts is what Hit.Ref of q.Concepts indexes (Analyzer.Concepts).
func Features(q *analysis.Query, concepts []catalog.Concept) []string {
	seen := map[string]bool{}
	var out []string
	walk(q, concepts, func(f []byte) {
		if !seen[string(f)] {
			seen[string(f)] = true
			out = append(out, string(f))
		}
	})
	return out
}

// FeatureValues returns Features with each one's value as the scope
// model reads it (Scope.Judge): 1, but for a pair of characters inside
// one Japanese word, 1/n where n is the pairs of that word, so a word
// votes once however long it is.
func FeatureValues(q *analysis.Query, concepts []catalog.Concept) ([]string, []float32) {
	var fs []string
	var words []int
	seen := map[string]bool{}
	walkWords(q, concepts, func(f []byte, word int) {
		if seen[string(f)] {
			return
		}
		seen[string(f)] = true
		fs, words = append(fs, string(f)), append(words, word)
	})
	pairs := map[int]int{} // word → its pairs
	for _, w := range words {
		if w >= 0 {
			pairs[w]++
		}
	}
	vs := make([]float32, len(fs))
	for i, w := range words {
		vs[i] = 1
		if w >= 0 {
			vs[i] = 1 / float32(pairs[w])
		}
	}
	return fs, vs
}

// walk calls fn with each feature of the question, in a buffer it
// reuses, repeats included.
func walk(q *analysis.Query, concepts []catalog.Concept, fn func([]byte)) {
	walkWords(q, concepts, func(f []byte, _ int) { fn(f) })
}

// walkWords is walk telling, for a pair of characters both inside one
// Japanese word of the question, the index of that word in q.Tokens
// (-1 for every other feature): the pairs of one word (スマ マー ート トフ
// フォ ォン of スマートフォン) say what the word says, once.
func walkWords(q *analysis.Query, concepts []catalog.Concept, fn func(f []byte, word int)) {
	var buf [64]byte
	for _, t := range q.Tokens {
		if t.Key != "" {
			fn(append(append(buf[:0], "t:"...), t.Key...), -1)
		}
	}
	// A Japanese question has its pairs of characters for the words that
	// go together; an English one has its pairs of words.
	if q.Lang == "en" {
		prev := ""
		for _, t := range q.Tokens {
			if t.Lang != "en" || t.Key == "" {
				continue
			}
			if prev != "" {
				fn(append(append(append(append(buf[:0], Phrase...), prev...), ' '), t.Key...), -1)
			}
			prev = t.Key
		}
	}
	for _, h := range q.Concepts {
		if h.Ref >= 0 && h.Ref < len(concepts) {
			fn(append(append(buf[:0], "c:"...), concepts[h.Ref].ID...), -1)
		}
	}
	// The Japanese words that are not compounds lie in the key in order
	// (analysis locates them so): w walks them along the pairs.
	w, at, end := nextWord(q, 0)
	var prev rune = -1
	j := -1 // the rune's index in the key
	for _, r := range q.Key {
		j++
		for w >= 0 && j >= end {
			w, at, end = nextWord(q, w+1)
		}
		if prev >= 0 && (wide(prev) || wide(r)) {
			word := -1
			if w >= 0 && j-1 >= at && j < end {
				word = w
			}
			fn(utf8.AppendRune(utf8.AppendRune(append(buf[:0], "b:"...), prev), r), word)
		}
		prev = r
	}
}

// nextWord returns the first Japanese word of q.Tokens from index i that
// is located in the key and is no compound, with the span of runes it
// covers; -1 when there is none.
func nextWord(q *analysis.Query, i int) (word, start, end int) {
	for ; i < len(q.Tokens); i++ {
		t := &q.Tokens[i]
		if t.Lang == "ja" && !t.Compound && t.At >= 0 {
			return i, t.At, t.At + utf8.RuneCountInString(t.Key)
		}
	}
	return -1, 0, 0
}

// speaking calls fn once with the index of each distinct feature of the
// question that the model on side of look holds (its features that speak) and the
// word its pair of characters lies in (walkWords), and returns how many
// there were: Judge and Posterior read a question so, without building
// its features.
func speaking(q *analysis.Query, concepts []catalog.Concept, look *lookup, side int, fn func(i int32, word int)) int {
	// A question has a few dozen features: a small slice, looked through,
	// beats a set.
	var seenBuf [64]int32
	seen := seenBuf[:0]
	walkWords(q, concepts, func(f []byte, word int) {
		i, ok := look.find(f, side)
		if !ok || slices.Contains(seen, i) {
			return
		}
		seen = append(seen, i)
		fn(i, word)
	})
	return len(seen)
}

// rows yields the rows of a model file with their 1-based numbers.
func rows(text string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for n, rest := 1, text; rest != ""; n++ {
			var row string
			row, rest, _ = strings.Cut(rest, "\n")
			if !yield(n, row) {
				return
			}
		}
	}
}

// read reads a model file whole and parses it; parse keeps slices of the
// text, which a file built into the binary is parsed from in place.
func read[M any](r io.Reader, parse func(text string) (M, error)) (M, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		var zero M
		return zero, fmt.Errorf("learned: read model: %w", err)
	}
	return parse(string(b))
}

// wide reports whether r is Japanese (kana, kanji, their punctuation):
// the characters whose pairs are features.
func wide(r rune) bool { return r >= 0x3000 }
