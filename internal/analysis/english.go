package analysis

import (
	_ "embed"
	"slices"
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

// englishStarts are the offsets in englishText of its words, in the
// file's order, which is byte order (TestEnglishSorted): a word is looked
// up by binary search in the embedded text itself. A set of the 28,000
// words held 1.2 MB of the heap for good, more than the scope model's
// 55,000 features.
var englishStarts = sync.OnceValue(func() []uint32 {
	var starts []uint32
	for at := 0; at < len(englishText); {
		line := englishLine(uint32(at))
		if line != "" && line[0] != '#' {
			starts = append(starts, uint32(at))
		}
		at += len(line) + 1
	}
	return slices.Clip(starts)
})

// englishLine returns the line of englishText that begins at offset at.
func englishLine(at uint32) string {
	line := englishText[at:]
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return line
}

// isEnglish reports whether a lower-case word is an ordinary English word.
// The speller leaves such words alone: "colleague" is not a typo of
// "college", nor "provide" of "provider", though the knowledge base uses
// only the second of each. The list is read once per process.
func isEnglish(w string) bool {
	_, found := slices.BinarySearchFunc(englishStarts(), w, func(at uint32, w string) int {
		return strings.Compare(englishLine(at), w)
	})
	return found
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
