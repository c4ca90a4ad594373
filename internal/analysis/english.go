package analysis

import (
	_ "embed"
	"strings"
	"sync"
)

// englishText is a list of English words (english.txt): the test
// vocabulary of the Snowball stemmer, words of four letters or more. It
// was made from github.com/kljensen/snowball v0.10.0 (MIT; the vocabulary
// is the Snowball project's, BSD) with
//
//	grep -o '{"[a-z]\{4,\}",' english_vocab/vocab_test.go | cut -d'"' -f2 | sort -u
//
//go:embed english.txt
var englishText string

var (
	englishOnce  sync.Once
	englishWords map[string]bool
)

// isEnglish reports whether a lower-case word is an ordinary English word.
// The speller leaves such words alone: "colleague" is not a typo of
// "college", nor "provide" of "provider", though the knowledge base uses
// only the second of each. The list is read once per process.
func isEnglish(w string) bool {
	englishOnce.Do(func() {
		lines := strings.Split(englishText, "\n")
		englishWords = make(map[string]bool, len(lines))
		for _, l := range lines {
			if l != "" && l[0] != '#' {
				englishWords[l] = true
			}
		}
	})
	return englishWords[w]
}

// Describing reports whether an English word has the ending of an adverb,
// an adjective or a participle (specifically, famous, useful, affordable,
// practical): such a word qualifies a noun or a verb and
// names no subject of its own, as the tokenizer's adjectival and
// adverbial nouns do in Japanese. The endings are a rule of English word
// formation, kept beside the stemmer like Stem's.
func Describing(w string) bool {
	// Endings that nouns share (-ic of clinic and traffic, -ive of
	// archive, -ed of need, -est of forest) are left out.
	for _, suffix := range []string{"ly", "ous", "ful", "less", "able", "ible", "ical"} {
		if len(w) > len(suffix)+2 && strings.HasSuffix(w, suffix) {
			return true
		}
	}
	return false
}
