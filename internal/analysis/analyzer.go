package analysis

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"
	"golang.org/x/text/unicode/norm"

	"github.com/supportbot/supportbot/internal/catalog"
)

// Token is a content word of a query or document.
type Token struct {
	Text string // normalised surface
	Key  string // Fold(Text) for Japanese, the stem for English
	Lang string // "ja" or "en"
	// Compound marks a run of nouns joined (中小+企業 → 中小企業); its parts
	// are tokens too.
	Compound bool
	// Unknown marks a word the dictionary does not know (a typo, a name,
	// hiragana where kanji is expected).
	Unknown bool
	// Word is the index in Query.Words of an English token, -1 otherwise.
	Word int
	// Verb marks a Japanese verb or adjective, or a noun used as one
	// (気軽, 最近), as opposed to a noun that names a thing.
	Verb bool
	// Parts are the folded keys of the nouns a compound joins.
	Parts []string
	// Action marks a compound whose last noun is a verbal noun (要求 of
	// 身代金要求, 発生 of 情報漏えい発生): it names something done, to or
	// with the nouns before it, not another thing they describe.
	Action bool
	// At is the rune offset of a Japanese word in Query.Key, -1 when not
	// known (English words, compounds).
	At int
}

// Query is an analysed message.
type Query struct {
	Text string // cleaned, cut, normalised
	Key  string // Fold(Text): the key Japanese terms are found in
	// Scripts tells, for each rune of Key, how the text wrote it
	// (FoldScript); nil when that is not known.
	Scripts []Script
	Words   []string // Latin words of Text, in order
	// Upper tells, for each of Words, whether the question wrote it in
	// capitals; nil when that is not known.
	Upper []bool
	Stems []string // stems of Words (stop words kept, for phrases)
	// Tokens are content words, Japanese and English, stop words removed.
	Tokens []Token
	// Concepts are the vocabulary terms in the message; Hit.Ref indexes
	// Analyzer.Concepts.
	Concepts []Hit
	// Lang is "ja" or "en" when the text tells, "" when it does not
	// (only names, acronyms, numbers or symbols).
	Lang string
	// Truncated reports that the message was cut at MaxRunes.
	Truncated bool
	// Corrected lists misspelt English words and what they were read as;
	// Fixed[i] marks Words[i] as such a correction.
	Corrected [][2]string
	Fixed     []bool
}

// Empty reports whether the message had nothing to analyse: no letters,
// digits, kana or kanji (only emoji, punctuation or space).
func (q *Query) Empty() bool { return q.Key == "" }

// HasConcept reports whether the concept with the given id was found.
func (q *Query) HasConcept(a *Analyzer, id string) bool {
	for _, h := range q.Concepts {
		if a.concepts[h.Ref].ID == id {
			return true
		}
	}
	return false
}

// Analyzer analyses text. Build one with New and share it: the tokenizer
// and lexicon are read-only after construction and safe for concurrent use.
type Analyzer struct {
	tok      *tokenizer.Tokenizer
	concepts []catalog.Concept
	lex      *Lexicon
	stopJA   map[string]bool
	stopEN   map[string]bool
	spell    *speller
}

// Option configures an Analyzer.
type Option func(*Analyzer)

// WithDictionary adds the terms of the knowledge base (programme names,
// aliases, keywords) to the words misspellings are corrected to; the
// vocabulary's own terms are always there.
func WithDictionary(terms ...string) Option {
	return func(a *Analyzer) {
		for _, t := range terms {
			for _, w := range latinWords(Normalize(t)) {
				a.spell.add(w)
			}
		}
	}
}

var (
	dictOnce sync.Once
	tokOnce  *tokenizer.Tokenizer
	tokErr   error
)

// sharedTokenizer loads the IPA dictionary once per process.
func sharedTokenizer() (*tokenizer.Tokenizer, error) {
	dictOnce.Do(func() {
		tokOnce, tokErr = tokenizer.New(ipa.DictShrink(), tokenizer.OmitBosEos())
	})
	return tokOnce, tokErr
}

// New builds an analyser for a vocabulary.
func New(v catalog.Vocabulary, opts ...Option) (*Analyzer, error) {
	tok, err := sharedTokenizer()
	if err != nil {
		return nil, fmt.Errorf("analysis: load dictionary: %w", err)
	}
	a := &Analyzer{tok: tok, concepts: v.Concepts, lex: NewLexicon(v.Capitals...), stopJA: map[string]bool{}, stopEN: map[string]bool{}, spell: newSpeller()}
	for i, c := range v.Concepts {
		for _, t := range c.JA {
			a.lex.Add(t, i)
		}
		for _, t := range c.EN {
			// Trouble counts as written: "hacked" is trouble now,
			// "hacking" a skill, though they share a stem.
			if c.Urgent {
				a.lex.AddExact(t, i)
			} else {
				a.lex.Add(t, i)
			}
		}
		for _, t := range c.Written {
			a.lex.AddExact(t, i)
		}
	}
	for _, w := range v.Stopwords.JA {
		a.stopJA[Fold(Normalize(w))] = true
	}
	for _, w := range v.Stopwords.EN {
		a.stopEN[Normalize(w)] = true
	}
	WithDictionary(v.Stopwords.EN...)(a)
	for _, c := range v.Concepts {
		WithDictionary(c.EN...)(a)
		WithDictionary(c.Written...)(a)
	}
	for _, opt := range opts {
		opt(a)
	}
	return a, nil
}

// Known reports whether a lower-case Latin word is one the knowledge base
// or the vocabulary uses: such a word is English, not romaji.
func (a *Analyzer) Known(word string) bool {
	if _, ok := a.spell.known[word]; ok {
		return true
	}
	return a.stopEN[word] || a.spell.stems[Stem(word)]
}

// Concepts returns the vocabulary's concepts; Hit.Ref indexes it.
func (a *Analyzer) Concepts() []catalog.Concept { return a.concepts }

// Stopword reports whether a folded Japanese key is a stop word.
func (a *Analyzer) Stopword(key string) bool { return a.stopJA[key] }

// Concept returns the concept a hit refers to.
func (a *Analyzer) Concept(h Hit) catalog.Concept { return a.concepts[h.Ref] }

// Analyze analyses a message of any size or encoding; it never fails.
func (a *Analyzer) Analyze(text string) Query {
	cleaned, cut := Clean(text, MaxRunes)
	q := a.analyze(cleaned, true)
	q.Truncated = q.Truncated || cut
	return q
}

// romajiSentence reads a normalised message written in romaji as the
// Japanese it is ("nihon no koukou ni kayotte imasu", "meeru ga
// nottorarete"): most of its words, and at least romajiMinWords, read as
// romaji and are no English word the knowledge base knows. It returns the
// message with those words in hiragana, each where it stood, spaces and
// all: the key (Fold) runs them together as Japanese is written, and the
// spaces mark where words begin, as a short term needs (すまほ in
// 「こども すまほ るーる」). English words, names that do not read as
// romaji and numbers stay as they are.
func (a *Analyzer) romajiSentence(n string) (string, bool) {
	if HasJapanese(n) {
		return "", false
	}
	read, others := 0, 0 // words read as romaji; words that are no particle
	for w, word := range LatinRuns(n) {
		if !word || romajiParticles[w] {
			continue
		}
		others++
		if _, ok := a.romajiKana(w); ok {
			read++
		}
	}
	if read < romajiMinWords || read*romajiShare < others*romajiShareOf {
		return "", false
	}
	var b strings.Builder
	gap := "" // what stood since the last word
	for run, word := range LatinRuns(n) {
		if !word {
			gap = run
			continue
		}
		k, ok := a.romajiKana(run)
		b.WriteString(gap)
		gap = ""
		if ok {
			b.WriteString(hiragana(k))
		} else {
			b.WriteString(run)
		}
	}
	b.WriteString(gap)
	return b.String(), true
}

// romajiKana returns a word of a message in romaji in katakana: a word
// that reads as romaji and is a particle (の, に, と: English words too)
// or no English word the knowledge base knows.
func (a *Analyzer) romajiKana(w string) (string, bool) {
	k, ok := LatinKana(w)
	if !ok || !romajiParticles[w] && a.Known(w) {
		return "", false
	}
	return k, true
}

// How much of a message must read as romaji for romajiSentence: at least
// romajiMinWords words, and romajiShareOf of every romajiShare words that
// are not particles.
const (
	romajiMinWords = 2
	romajiShare    = 4
	romajiShareOf  = 3
)

// romajiParticles are the particles romaji shares with English words
// (no, to, ni): in a message read as romaji they are particles, and they
// count neither for nor against reading it so.
var romajiParticles = map[string]bool{"no": true, "to": true, "ni": true, "wa": true, "ga": true, "wo": true, "de": true, "mo": true, "ka": true, "e": true, "ya": true}

// hiragana writes katakana as hiragana (the long-vowel mark stays).
func hiragana(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'ァ' && r <= 'ヶ' {
			return r - ('ァ' - 'ぁ')
		}
		return r
	}, s)
}

// Lang is the language Analyze would find for text ("ja", "en" or ""),
// without the rest of the analysis: for a reply that needs only that.
func (a *Analyzer) Lang(text string) string {
	cleaned, _ := Clean(text, MaxRunes)
	n, _ := Clean(lowerFields(norm.NFKC.String(cleaned)), MaxRunes)
	return a.guessLang(cleaned, n, latinWords(n))
}

// AnalyzeDocument analyses knowledge text (no length limit).
func (a *Analyzer) AnalyzeDocument(text string) Query {
	cleaned, _ := Clean(text, len(text)+1)
	return a.analyze(cleaned, false)
}

// analyze runs the pipeline; spelling is corrected in questions only, not
// in the knowledge base's own text.
func (a *Analyzer) analyze(cleaned string, correct bool) Query {
	nfkc := norm.NFKC.String(cleaned)
	n := lowerFields(nfkc)
	var cut bool
	if correct {
		// NFKC can lengthen a question cut at MaxRunes (㍿ becomes 株式会社,
		// a long run of combining marks gets U+034F inserted), so cut again.
		n, cut = Clean(n, MaxRunes)
		if kana, ok := a.romajiSentence(n); ok {
			nfkc, n = kana, kana
		}
	}
	key, scripts := FoldScript(n)
	q := Query{Text: n, Key: key, Scripts: scripts, Words: latinWords(n), Truncated: cut}
	if up := upperWords(nfkc); len(up) == len(q.Words) {
		q.Upper = up
	}
	q.Lang = a.guessLang(cleaned, n, q.Words)
	q.Stems = make([]string, len(q.Words))
	q.Fixed = make([]bool, len(q.Words))
	for i, w := range q.Words {
		if !correct {
			q.Stems[i] = a.spell.stem(w)
			continue
		}
		c, stem := a.spell.correct(w)
		if c != w {
			q.Corrected = append(q.Corrected, [2]string{w, c})
			q.Words[i] = c
			q.Fixed[i] = true
		}
		q.Stems[i] = stem
	}
	if HasJapanese(n) {
		q.Tokens = a.japaneseTokens(n)
		locate(q.Tokens, q.Key)
	}
	for i, w := range q.Words {
		// Latin words inside Japanese ("IT担当") are names, not English
		// function words, so stop words apply to English text only.
		if q.Lang != "ja" && a.stopEN[w] || len(w) < 2 && !isDigits(w) {
			continue
		}
		q.Tokens = append(q.Tokens, Token{Text: w, Key: q.Stems[i], Lang: "en", Word: i, At: -1})
	}
	q.Concepts = a.lex.Find(&q)
	return q
}

// guessLang: kana or kanji mean Japanese; a common English word, or a word
// written in lower or title case, means English; acronyms and names alone
// (CTF, SecHack365, SECURITY ACTION) do not tell.
func (a *Analyzer) guessLang(raw, n string, words []string) string {
	if HasJapanese(n) {
		return "ja"
	}
	for _, w := range words {
		if a.stopEN[w] {
			return "en"
		}
	}
	for _, w := range strings.FieldsFunc(raw, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		hasLower, hasDigit := false, false
		for _, r := range w {
			hasLower = hasLower || unicode.IsLower(r)
			hasDigit = hasDigit || unicode.IsDigit(r)
		}
		if hasLower && !hasDigit && len(w) >= 2 && isASCII(w) {
			return "en"
		}
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// isSuru reports whether a token is a form of the verb する (し, して,
// します …), which makes the verbal noun before it a verb. The shrunk
// dictionary keeps no base forms, so the forms are listed.
func isSuru(t tokenizer.Token) bool {
	pos := t.POS()
	if len(pos) == 0 || pos[0] != "動詞" {
		return false
	}
	switch t.Surface {
	case "し", "する", "す", "さ", "せ", "すれ", "しろ", "せよ", "しよ":
		return true
	}
	return false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// japaneseTokens returns the content words of Japanese text, with runs of
// nouns joined into compounds. Latin runs are left to the English path.
func (a *Analyzer) japaneseTokens(n string) []Token {
	var out []Token
	var run []string
	verbal := false       // the run's last noun is a verbal noun (サ変接続)
	var describing []int  // tokens of the run that are adjectival or adverbial nouns
	adverbialRun := false // the run is one adverbial noun so far
	flush := func() {
		if len(run) > 1 {
			// In a compound they name a thing with the rest (健康診断):
			// nouns after all.
			for _, i := range describing {
				out[i].Verb = false
			}
			text := strings.Join(run, "")
			parts := make([]string, len(run))
			for i, p := range run {
				parts[i] = Fold(p)
			}
			out = append(out, Token{Text: text, Key: Fold(text), Lang: "ja", Compound: true, Word: -1, Parts: parts, Action: verbal, At: -1})
		}
		run = run[:0]
		describing = describing[:0]
	}
	toks := a.tok.Tokenize(n)
	for i, t := range toks {
		if t.Class == tokenizer.DUMMY || strings.TrimSpace(t.Surface) == "" {
			flush()
			continue
		}
		if !HasJapanese(t.Surface) {
			flush()
			continue
		}
		pos := t.POS()
		p0, p1 := "", ""
		if len(pos) > 0 {
			p0 = pos[0]
		}
		if len(pos) > 1 {
			p1 = pos[1]
		}
		unknown := t.Class == tokenizer.UNKNOWN
		noun := p0 == "名詞" && p1 != "非自立" && p1 != "代名詞" && p1 != "数"
		if noun || unknown {
			// An adverbial noun opening a run (以降 in それ以降パソコンが,
			// 最近 in 最近スマホが) tells when, of the verb: the noun after
			// it starts a word of its own.
			if len(run) == 1 && adverbialRun {
				flush()
			}
			adverbialRun = len(run) == 0 && p1 == "副詞可能"
			run = append(run, t.Surface)
			verbal = noun && p1 == "サ変接続"
		} else {
			flush()
		}
		content := unknown || (noun && p1 != "接尾") || ((p0 == "動詞" || p0 == "形容詞") && p1 == "自立")
		key := Fold(t.Surface)
		if !content || key == "" || a.stopJA[key] {
			continue
		}
		// Adjectival and adverbial nouns standing alone (気軽に, 最近)
		// describe; they are no subject of the question.
		adjectival := noun && (p1 == "形容動詞語幹" || p1 == "副詞可能")
		// A verbal noun followed by する (紹介したい, 勉強して) is the
		// question's verb, not its subject: it names what the person
		// wants to do, as 紹介する would.
		if noun && p1 == "サ変接続" && len(run) == 1 && i+1 < len(toks) && isSuru(toks[i+1]) {
			adjectival = true
		}
		if adjectival {
			describing = append(describing, len(out))
		}
		out = append(out, Token{Text: t.Surface, Key: key, Lang: "ja", Unknown: unknown, Word: -1, Verb: !noun && !unknown || adjectival, At: -1})
	}
	flush()
	return out
}

// locate sets the offset in the key of each Japanese word that is not a
// compound, searching forward from the word before: the tokenizer's words
// come in order. Key and words are valid UTF-8 (folded), so a match of
// bytes is a match of runes.
func locate(tokens []Token, key string) {
	at, atByte := 0, 0 // in runes and in bytes
	for i := range tokens {
		t := &tokens[i]
		if t.Lang != "ja" || t.Compound || t.Key == "" {
			continue
		}
		if j := strings.Index(key[atByte:], t.Key); j >= 0 {
			t.At = at + utf8.RuneCountInString(key[atByte:atByte+j])
			at, atByte = t.At+utf8.RuneCountInString(t.Key), atByte+j+len(t.Key)
		}
	}
}
