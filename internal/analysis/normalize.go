package analysis

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxRunes is where a message is cut before analysis. Questions are short;
// a 100 KB paste is answered from its beginning in bounded time.
const MaxRunes = 1000

// Clean makes arbitrary input safe to analyse: invalid UTF-8 becomes U+FFFD,
// control and format characters become spaces, and the text is cut to
// maxRunes runes. It reports whether anything was cut.
func Clean(s string, maxRunes int) (string, bool) {
	var b strings.Builder
	b.Grow(min(len(s), maxRunes*3))
	n, cut := 0, false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if n == maxRunes {
			cut = true
			break
		}
		switch {
		case r == utf8.RuneError && size <= 1:
			r = unicode.ReplacementChar
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return b.String(), cut
}

// Normalize applies NFKC (full-width Latin and digits to ASCII, half-width
// katakana to full width) and lower case, and collapses white space.
func Normalize(s string) string {
	return lowerFields(norm.NFKC.String(s))
}

// lowerFields is Normalize after NFKC: lower case, white space
// collapsed, the long vowels of Hepburn romaji (Tōkyō, kyôshitsu) as
// their vowel, as romaji is mostly typed (Tokyo, kyoshitsu).
func lowerFields(nfkc string) string {
	s := strings.ToLower(nfkc)
	if strings.ContainsAny(s, longVowelMarked) {
		s = macrons.Replace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// longVowelMarked are the vowels Hepburn romaji marks long, with a
// macron or a circumflex; macrons writes them plain.
const longVowelMarked = "āīūēōâîûêô"

var macrons = strings.NewReplacer("ā", "a", "ī", "i", "ū", "u", "ē", "e", "ō", "o", "â", "a", "î", "i", "û", "u", "ê", "e", "ô", "o")

// Fold returns the matching key of normalised text: katakana as hiragana
// are the same, long-vowel marks and separators (spaces, ・, -, punctuation)
// vanish, so spelling variants of a name meet.
func Fold(s string) string { return fold(s, nil) }

// Script tells how the text wrote a rune of the key (FoldScript).
type Script uint8

// The marks of a rune of the key.
const (
	Hiragana Script = 1 << iota // written in hiragana (folded to katakana in the key)
	Break                       // a separator (space, punctuation) stood before it in the text
)

// FoldScript is Fold that also reports, for each rune of the key, whether
// the text wrote it in hiragana and whether a separator stood before it:
// a name in kana is written in one script without a break, and the
// particles around it (の, に) in hiragana.
func FoldScript(s string) (string, []Script) {
	var marks []Script
	k := fold(s, &marks)
	return k, marks
}

func fold(s string, marks *[]Script) string {
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	write := func(r rune, h bool) {
		b.WriteRune(r)
		if marks != nil {
			var m Script
			if h {
				m |= Hiragana
			}
			if sep {
				m |= Break
			}
			*marks = append(*marks, m)
		}
		sep = false
	}
	for i, r := range s {
		switch {
		case r >= 'ぁ' && r <= 'ゖ':
			write(r+('ァ'-'ぁ'), true)
		case r == 'ー' || r == 'ｰ':
			// A long-vowel mark ending a word is a spelling variant
			// (セキュリティー = セキュリティ, サーバー = サーバ) and goes;
			// inside a word it is part of it (ケータイ must not become
			// ケタイ, found in ツケタイ).
			if next, ok := nextRune(s, i); ok && IsKatakana(next) {
				write(r, false)
			}
		case r == '〜' || r == '~':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			write(r, false)
		default:
			sep = true
		}
	}
	return b.String()
}

func nextRune(s string, i int) (rune, bool) {
	_, size := utf8.DecodeRuneInString(s[i:])
	if i+size >= len(s) {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(s[i+size:])
	return r, true
}

// IsKatakana reports whether r is a katakana letter (the long-vowel mark
// is not one).
func IsKatakana(r rune) bool { return r >= 'ァ' && r <= 'ヺ' }

// isJapanese reports whether r is kana or a CJK ideograph. Nothing below
// U+2E80 (CJK radicals) is, and the common kana and ideographs are
// answered without the tables: HasJapanese reads every rune of every
// question, English ones too.
func isJapanese(r rune) bool {
	switch {
	case r < 0x2E80:
		return false
	case r >= 'ぁ' && r <= 'ゖ', r >= 'ァ' && r <= 'ヺ', r >= 0x4E00 && r <= 0x9FFF:
		return true
	}
	return unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) || r == 'ー' || r == '々'
}

// HasJapanese reports whether s contains kana or kanji.
func HasJapanese(s string) bool {
	for _, r := range s {
		if isJapanese(r) {
			return true
		}
	}
	return false
}

// latinWords splits normalised text into runs of ASCII letters and digits.
func latinWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

// LatinRuns yields text in order as its English words (runs of ASCII
// letters and digits, the words latinWords splits out of normalised
// text), each with true, and the stretches between them, each with
// false.
func LatinRuns(text string) iter.Seq2[string, bool] {
	return func(yield func(string, bool) bool) {
		for len(text) > 0 {
			word := isLatinWordRune(rune(text[0]))
			n := 0
			for n < len(text) {
				r, size := utf8.DecodeRuneInString(text[n:])
				if isLatinWordRune(r) != word {
					break
				}
				n += size
			}
			if !yield(text[:n], word) {
				return
			}
			text = text[n:]
		}
	}
}

// isLatinWordRune reports whether r belongs to an English word.
func isLatinWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// upperWords reports, for each Latin word of NFKC text as latinWords
// splits its normalised form, whether it is written in capitals (at least
// two letters, no lower case: "SPREAD", "IT", "US"). Its length differs
// from the word count when case folding changed the split; callers then
// treat the case as unknown.
func upperWords(nfkc string) []bool {
	words := strings.FieldsFunc(nfkc, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	out := make([]bool, len(words))
	for i, w := range words {
		letters := 0
		upper := true
		for _, r := range w {
			switch {
			case r >= 'A' && r <= 'Z':
				letters++
			case r >= 'a' && r <= 'z':
				upper = false
			}
		}
		out[i] = upper && letters >= 2
	}
	return out
}
