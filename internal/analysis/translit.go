package analysis

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"
)

// Transliteration between kana and the Latin alphabet, so that a name
// written in the other script is still found: SECCON as 「せっこん」,
// SecHack365 as 「セックハック」, お助け隊 as "otasuketai", IPA as
// 「アイピーエー」. These are general rules of writing Japanese, not lists
// of spellings per name.
//
// Three pieces:
//   - Romaji turns kana into Hepburn romaji; LatinKana turns romaji back
//     into katakana (Hepburn, Kunrei and the way people type kana).
//   - SoundKey reduces Latin letters, whether an English spelling or
//     romaji, to a key that both meet in: c, k and q are one sound, l is
//     r, a vowel that katakana adds after a consonant (スプレッド,
//     s-u-p-u-r-e-d-d-o) goes, doubled letters are one. The matcher
//     compares the keys of Latin names with those of the kana a question
//     holds, with the typo tolerance of its fuzzy-name pass.
//   - Acronym reads katakana letter names (アイピーエー → ipa).

// Romaji returns the Hepburn romaji of the kana in s, lower case; other
// characters are dropped. A small っ doubles the next consonant, a
// long-vowel mark repeats the vowel before it.
func Romaji(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	rs := []rune(s)
	double := false
	for i := 0; i < len(rs); i++ {
		r := toKatakana(rs[i])
		if r == 'ッ' {
			double = true
			continue
		}
		if r == 'ー' {
			if last := lastVowel(b.String()); last != 0 {
				b.WriteByte(last)
			}
			continue
		}
		var syl string
		if i+1 < len(rs) {
			if d, ok := digraphs[string([]rune{r, toKatakana(rs[i+1])})]; ok {
				syl = d
				i++
			}
		}
		if syl == "" {
			syl = monographs[r]
		}
		if syl == "" {
			double = false
			continue
		}
		if double && syl[0] != 'a' && syl[0] != 'i' && syl[0] != 'u' && syl[0] != 'e' && syl[0] != 'o' && syl[0] != 'n' {
			b.WriteByte(syl[0])
		}
		double = false
		b.WriteString(syl)
	}
	return b.String()
}

func toKatakana(r rune) rune {
	if r >= 'ぁ' && r <= 'ゖ' {
		return r + ('ァ' - 'ぁ')
	}
	return r
}

func lastVowel(s string) byte {
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case 'a', 'i', 'u', 'e', 'o':
			return s[i]
		}
	}
	return 0
}

// LatinKana reads a lower-case Latin word as romaji and returns it in
// katakana, or false when the word is not romaji (English words mostly
// are not: "camp" has a p with no vowel, "security" a c).
func LatinKana(word string) (string, bool) {
	if word == "" || len(word) > 64 {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(word); {
		// A doubled consonant is a small ツ (kk, ss, tt, pp; tch as in
		// matcha).
		if i+1 < len(word) && word[i] == word[i+1] && isConsonant(word[i]) && word[i] != 'n' {
			b.WriteRune('ッ')
			i++
			continue
		}
		if strings.HasPrefix(word[i:], "tch") {
			b.WriteRune('ッ')
			i++
			continue
		}
		matched := false
		for n := min(4, len(word)-i); n >= 1; n-- {
			if k, ok := syllables[word[i:i+n]]; ok {
				// n before a vowel or y starts the next syllable (kani, konya
				// are カニ, コニャ); elsewhere it is ン.
				if word[i:i+n] == "n" && i+1 < len(word) && (isVowel(word[i+1]) || word[i+1] == 'y') {
					continue
				}
				b.WriteString(k)
				i += n
				matched = true
				break
			}
		}
		if !matched {
			return "", false
		}
	}
	return b.String(), true
}

func isVowel(c byte) bool { return c == 'a' || c == 'i' || c == 'u' || c == 'e' || c == 'o' }

func isConsonant(c byte) bool { return c >= 'a' && c <= 'z' && !isVowel(c) }

// SoundKey reduces Latin letters (an English spelling or romaji) to the
// key an English name and its katakana reading share: SECCON and
// せっこん (sekkon) both become "sekon", Grafsec and グラフセック
// (gurafusekku) "grafsek". Digits are kept; everything else is dropped.
func SoundKey(latin string) string {
	s := strings.ToLower(latin)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	s = b.String()
	// English spellings of one sound (ea, tion, ph, ck, th, sh), then c before
	// e, i or y is s and every other c is k. "ch" is left as k and h:
	// SecHack is sec-hack (セックハック), and chi of romaji meets it.
	s = soundReplacer.Replace(s)
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case 'c':
			if i+1 < len(s) && (s[i+1] == 'e' || s[i+1] == 'i' || s[i+1] == 'y') {
				c = 's'
			} else {
				c = 'k'
			}
		case 'q':
			c = 'k'
		case 'l':
			c = 'r'
		case 'v':
			c = 'b'
		case 'x':
			out = append(out, 'k')
			c = 's'
		case 'y':
			// y after a consonant (kyu, sekyuriti) or ending a word
			// (security) is a vowel sound, written i; elsewhere a glide.
			if i+1 == len(s) {
				c = 'i'
			} else if i > 0 && isConsonant(s[i-1]) {
				continue
			}
		}
		out = append(out, c)
	}
	out = dedup([]byte(rColoured(string(out))))
	// Vowels katakana adds after a consonant (ス-プ-レッ-ド for spread,
	// マッチ for match) where English has none: u after most consonants,
	// o after t and d, i after k-h and z (chi, ji), each between two
	// consonants or ending the word.
	key := out[:0:0]
	for i := 0; i < len(out); i++ {
		c := out[i]
		if i > 0 && len(out) > 3 && (i+1 == len(out) || isConsonant(out[i+1])) && epenthetic(c, out[:i]) {
			continue
		}
		key = append(key, c)
	}
	return string(dedup(key))
}

// rColoured writes an English er, ir or ur before a consonant or at the
// end of a word as katakana hears it, a long a (cert サート, server サーバー).
func rColoured(s string) string {
	b := []byte(s)
	out := b[:0:0]
	for i := 0; i < len(b); i++ {
		if (b[i] == 'e' || b[i] == 'i' || b[i] == 'u') && i+1 < len(b) && b[i+1] == 'r' && i > 0 && isConsonant(b[i-1]) &&
			(i+2 == len(b) || isConsonant(b[i+2]) && b[i+2] != 'r') {
			out = append(out, 'a')
			i++ // the r
			continue
		}
		out = append(out, b[i])
	}
	return string(out)
}

// epenthetic reports whether vowel c after the letters before is one
// katakana adds to an English consonant.
func epenthetic(c byte, before []byte) bool {
	p := before[len(before)-1]
	switch c {
	case 'u':
		return isConsonant(p) && p != 'n' && p != 'y'
	case 'o':
		return p == 't' || p == 'd'
	case 'i':
		return p == 'z' || p == 'h' && len(before) > 1 && before[len(before)-2] == 'k'
	}
	return false
}

// dedup makes doubled letters one (kk of sekkon, ee of a long vowel).
func dedup(b []byte) []byte {
	out := b[:0:0]
	for i, c := range b {
		if i > 0 && b[i-1] == c {
			continue
		}
		out = append(out, c)
	}
	return out
}

var soundReplacer = strings.NewReplacer("ea", "e", "tion", "son", "sion", "son", "ph", "f", "ck", "k", "cc", "k", "qu", "k", "th", "s", "sh", "s", "ts", "t", "dz", "z", "j", "z")

// letterNames are the katakana names of Latin letters, longest first
// where one is the start of another.
var letterNames = []struct {
	kana   string
	letter byte
}{
	{"ダブリュー", 'w'}, {"ダブリュ", 'w'}, {"エックス", 'x'}, {"エイチ", 'h'}, {"エッチ", 'h'},
	{"ジェー", 'j'}, {"ジェイ", 'j'}, {"ディー", 'd'}, {"ティー", 't'}, {"キュー", 'q'},
	{"ヴィー", 'v'}, {"アール", 'r'}, {"ゼット", 'z'}, {"ズィー", 'z'}, {"スィー", 'c'},
	{"エー", 'a'}, {"エイ", 'a'}, {"ビー", 'b'}, {"シー", 'c'}, {"デー", 'd'}, {"イー", 'e'},
	{"エフ", 'f'}, {"ジー", 'g'}, {"アイ", 'i'}, {"ケー", 'k'}, {"ケイ", 'k'}, {"エル", 'l'},
	{"エム", 'm'}, {"エヌ", 'n'}, {"オー", 'o'}, {"ピー", 'p'}, {"エス", 's'}, {"テー", 't'},
	{"ティ", 't'}, {"ユー", 'u'}, {"ブイ", 'v'}, {"ワイ", 'y'}, {"ビ", 'b'}, {"ピ", 'p'}, {"シ", 'c'},
}

// Acronym reads a run of katakana (or hiragana) as the names of Latin
// letters, from its start: 「アイピーエーの」 gives "ipa" and the 6 runes
// it read. It returns "" unless at least two letters were read.
func Acronym(kana string) (string, int) {
	var k strings.Builder
	for _, r := range kana {
		k.WriteRune(toKatakana(r))
	}
	s := k.String()
	var letters []byte
	runes := 0
	for s != "" {
		found := false
		for _, ln := range letterNames {
			// The folded key drops a long-vowel mark ending a word, so the
			// last letter may have lost it (アイピーエ for アイピーエー).
			name := ln.kana
			if !strings.HasPrefix(s, name) {
				name = strings.TrimSuffix(name, "ー")
				if name == ln.kana || s != name {
					continue
				}
			}
			letters = append(letters, ln.letter)
			s = s[len(name):]
			runes += utf8.RuneCountInString(name)
			found = true
			break
		}
		if !found {
			break
		}
	}
	if len(letters) < 2 {
		return "", 0
	}
	return string(letters), runes
}

// monographs are single kana, in katakana.
var monographs = map[rune]string{
	'ア': "a", 'イ': "i", 'ウ': "u", 'エ': "e", 'オ': "o",
	'ァ': "a", 'ィ': "i", 'ゥ': "u", 'ェ': "e", 'ォ': "o",
	'カ': "ka", 'キ': "ki", 'ク': "ku", 'ケ': "ke", 'コ': "ko",
	'ガ': "ga", 'ギ': "gi", 'グ': "gu", 'ゲ': "ge", 'ゴ': "go",
	'サ': "sa", 'シ': "shi", 'ス': "su", 'セ': "se", 'ソ': "so",
	'ザ': "za", 'ジ': "ji", 'ズ': "zu", 'ゼ': "ze", 'ゾ': "zo",
	'タ': "ta", 'チ': "chi", 'ツ': "tsu", 'テ': "te", 'ト': "to",
	'ダ': "da", 'ヂ': "ji", 'ヅ': "zu", 'デ': "de", 'ド': "do",
	'ナ': "na", 'ニ': "ni", 'ヌ': "nu", 'ネ': "ne", 'ノ': "no",
	'ハ': "ha", 'ヒ': "hi", 'フ': "fu", 'ヘ': "he", 'ホ': "ho",
	'バ': "ba", 'ビ': "bi", 'ブ': "bu", 'ベ': "be", 'ボ': "bo",
	'パ': "pa", 'ピ': "pi", 'プ': "pu", 'ペ': "pe", 'ポ': "po",
	'マ': "ma", 'ミ': "mi", 'ム': "mu", 'メ': "me", 'モ': "mo",
	'ヤ': "ya", 'ユ': "yu", 'ヨ': "yo", 'ャ': "ya", 'ュ': "yu", 'ョ': "yo",
	'ラ': "ra", 'リ': "ri", 'ル': "ru", 'レ': "re", 'ロ': "ro",
	'ワ': "wa", 'ヰ': "i", 'ヱ': "e", 'ヲ': "o", 'ン': "n", 'ヴ': "bu",
}

// digraphs are two kana read as one syllable, in katakana.
var digraphs = map[string]string{
	"キャ": "kya", "キュ": "kyu", "キョ": "kyo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo",
	"シャ": "sha", "シュ": "shu", "ショ": "sho", "シェ": "she", "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ジェ": "je",
	"チャ": "cha", "チュ": "chu", "チョ": "cho", "チェ": "che", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo",
	"ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ビャ": "bya", "ビュ": "byu", "ビョ": "byo",
	"ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo",
	"リャ": "rya", "リュ": "ryu", "リョ": "ryo",
	"ティ": "ti", "ディ": "di", "トゥ": "tu", "ドゥ": "du", "テュ": "tyu", "デュ": "dyu",
	"ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "フュ": "fyu",
	"ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo",
	"ツァ": "tsa", "ツィ": "tsi", "ツェ": "tse", "ツォ": "tso", "スィ": "si", "ズィ": "zi",
}

// syllables read romaji into katakana: Hepburn, Kunrei and the spellings
// people type (si, ti, tu, hu, zi, c for ch).
var syllables = func() map[string]string {
	m := map[string]string{}
	for r, l := range monographs {
		if strings.ContainsRune("ァィゥェォャュョヰヱヲヴヂヅ", r) {
			continue // small kana and old or rare ones: not how romaji is read back
		}
		m[l] = string(r)
	}
	for k, l := range digraphs {
		if _, ok := m[l]; !ok {
			m[l] = k
		}
	}
	for l, k := range map[string]string{
		"si": "シ", "ti": "チ", "tu": "ツ", "hu": "フ", "zi": "ジ", "di": "ディ", "du": "ドゥ",
		"sya": "シャ", "syu": "シュ", "syo": "ショ", "tya": "チャ", "tyu": "チュ", "tyo": "チョ",
		"zya": "ジャ", "zyu": "ジュ", "zyo": "ジョ", "jya": "ジャ", "jyu": "ジュ", "jyo": "ジョ",
		"wo": "ヲ", "va": "ヴァ", "vi": "ヴィ", "vu": "ヴ", "ve": "ヴェ", "vo": "ヴォ",
	} {
		m[l] = k
	}
	return m
}()

// LatinQuery is a query of Latin words only, as a lexicon reads them:
// an acronym read from kana, looked up among the names.
func LatinQuery(words ...string) Query {
	q := Query{Words: words, Stems: make([]string, len(words))}
	for i, w := range words {
		q.Stems[i] = Stem(w)
	}
	q.Text = strings.Join(words, " ")
	return q
}

// KanaQuery is a query of kana only: romaji read back into kana, looked
// up among the Japanese names.
func KanaQuery(kana string) Query {
	n := Normalize(kana)
	return Query{Text: n, Key: Fold(n)}
}

// Reader reads Japanese text aloud with the full IPA dictionary: the
// shrunk one the analyser loads leaves readings out (60 MB of heap less), so
// readings of the knowledge base's names are made once, ahead of time,
// into knowledge/readings.yaml, and a Reader is for that, not for
// questions.
type Reader struct{ tok *tokenizer.Tokenizer }

// NewReader loads the full dictionary (0.7 s and 88 MB of heap, measured
// here).
func NewReader() (*Reader, error) {
	tok, err := tokenizer.New(ipa.Dict(), tokenizer.OmitBosEos())
	if err != nil {
		return nil, fmt.Errorf("analysis: load the full dictionary: %w", err)
	}
	return &Reader{tok: tok}, nil
}

// Reading returns how Japanese text is read aloud, its kana in katakana:
// kanji by the dictionary's reading (インターネット安全教室 →
// インターネットアンゼンキョウシツ), kana as written, Latin letters and
// digits as they are (e-ネットキャラバン → eネットキャラバン). It returns
// false for text without kanji or kana, and when a word has no reading:
// a name the dictionary does not know is not guessed.
func (rd *Reader) Reading(text string) (string, bool) {
	n := Normalize(text)
	if !HasJapanese(n) {
		return "", false
	}
	var b strings.Builder
	for _, t := range rd.tok.Tokenize(n) {
		s := t.Surface
		switch {
		case t.Class == tokenizer.DUMMY || !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
			continue // a space, 「・」 or other punctuation
		case !strings.ContainsFunc(s, IsKanji):
			// Kana, Latin letters and digits as written; 「・」 and the
			// like go.
			for _, r := range s {
				switch {
				case isKana(r):
					b.WriteRune(toKatakana(r))
				case unicode.IsLetter(r) || unicode.IsDigit(r):
					b.WriteRune(r)
				}
			}
		default:
			r, ok := t.Reading()
			if !ok || r == "" || r == "*" {
				return "", false
			}
			b.WriteString(r)
		}
	}
	return b.String(), true
}

// IsKanji reports whether r is a kanji (or 々).
func IsKanji(r rune) bool { return unicode.Is(unicode.Han, r) || r == '々' }

// isKana reports whether r is hiragana, katakana or the long-vowel mark.
func isKana(r rune) bool { return r >= 'ぁ' && r <= 'ゖ' || IsKatakana(r) || r == 'ー' }

// ReadingKey is the sound key (SoundKey) of a reading or of romaji, with
// the long vowels romaji leaves unmarked folded: 教室 kyōshitsu is typed
// "kyoshitsu" as often as "kyoushitsu", 東京 "tokyo", "toukyou" or
// "tohkyoh", so ou, oh before a consonant and ei are one vowel (doubled
// vowels SoundKey makes one already). Kana in s are read as romaji
// first, so a reading (Reader.Reading) and a question's romaji or kana
// meet in one key.
func ReadingKey(s string) string {
	if HasJapanese(s) {
		var b strings.Builder
		var run []rune
		flush := func() {
			if len(run) > 0 {
				b.WriteString(Romaji(string(run)))
				run = run[:0]
			}
		}
		for _, r := range s {
			if isKana(r) {
				run = append(run, r)
				continue
			}
			flush()
			b.WriteRune(r)
		}
		flush()
		s = b.String()
	}
	s = macrons.Replace(strings.ToLower(s))
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		out = append(out, c)
		if i+1 < len(s) && (c == 'o' && (s[i+1] == 'u' || s[i+1] == 'h' && (i+2 == len(s) || isConsonant(s[i+2]))) || c == 'e' && s[i+1] == 'i') {
			i++ // the long vowel's second letter
		}
	}
	return SoundKey(string(out))
}
