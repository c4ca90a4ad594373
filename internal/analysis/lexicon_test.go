package analysis

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// refLexicon is the lexicon as it was before its trie: maps of the terms
// by their first two runes, of one-rune terms and of first stems, probed
// at every rune and word. The trie must find exactly what it finds, in
// the same order.
type refLexicon struct {
	ja       map[[2]rune][]refTerm
	single   map[string][]refTerm
	en       map[string][]enTerm
	capitals map[string]bool
}

type refTerm struct {
	key, term string
	ref       int
	runes     int
	short     bool
}

func newRefLexicon(capitals ...string) *refLexicon {
	l := &refLexicon{ja: map[[2]rune][]refTerm{}, single: map[string][]refTerm{}, en: map[string][]enTerm{}, capitals: map[string]bool{}}
	for _, c := range capitals {
		l.capitals[strings.ToLower(c)] = true
	}
	return l
}

func (l *refLexicon) add(term string, ref int, exact bool) {
	nfkc := norm.NFKC.String(term)
	n := lowerFields(nfkc)
	if HasJapanese(n) {
		key := Fold(n)
		switch utf8.RuneCountInString(key) {
		case 0:
			return
		case 1:
			l.single[key] = append(l.single[key], refTerm{key: key, term: term, ref: ref})
			return
		}
		r0, a := utf8.DecodeRuneInString(key)
		r1, _ := utf8.DecodeRuneInString(key[a:])
		runes := utf8.RuneCountInString(key)
		short := runes <= shortKana && katakanaOnly(n)
		p := [2]rune{r0, r1}
		l.ja[p] = append(l.ja[p], refTerm{key: key, term: term, ref: ref, runes: runes, short: short})
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
}

func (l *refLexicon) findAll(q *Query) []Hit {
	var hits []Hit
	key := q.Key
	if len(l.ja) > 0 && key != "" {
		r0, size := utf8.DecodeRuneInString(key)
		for i, pos := 0, 0; i+size < len(key); pos++ {
			r1, next := utf8.DecodeRuneInString(key[i+size:])
			for _, t := range l.ja[[2]rune{r0, r1}] {
				if strings.HasPrefix(key[i:], t.key) && !(t.short && midHiragana(q.Scripts, pos)) {
					hits = append(hits, Hit{Ref: t.ref, Term: t.term, Start: pos, End: pos + t.runes})
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

// lexiconPair is a lexicon and its reference, built by the same calls.
type lexiconPair struct {
	name string
	lex  *Lexicon
	ref  *refLexicon
}

func newLexiconPair(name string, capitals ...string) *lexiconPair {
	return &lexiconPair{name, NewLexicon(capitals...), newRefLexicon(capitals...)}
}

func (p *lexiconPair) add(term string, ref int, exact bool) {
	if exact {
		p.lex.AddExact(term, ref)
	} else {
		p.lex.Add(term, ref)
	}
	p.ref.add(term, ref, exact)
}

// check compares FindAll and Find with the reference's on q.
func (p *lexiconPair) check(t *testing.T, what string, q *Query) {
	t.Helper()
	want := p.ref.findAll(q)
	if got := p.lex.FindAll(q); !sameHits(got, want) {
		t.Fatalf("%s: FindAll(%.80q) =\n%v\nwant\n%v", p.name, what, got, want)
	}
	want = longest(want)
	if got := p.lex.Find(q); !sameHits(got, want) {
		t.Fatalf("%s: Find(%.80q) =\n%v\nwant\n%v", p.name, what, got, want)
	}
}

// sameHits compares hits in order, nil apart from empty.
func sameHits(a, b []Hit) bool { return (a == nil) == (b == nil) && reflect.DeepEqual(a, b) }

// shippedPairs are the lexicons of the shipped knowledge with their
// references: the vocabulary's as New builds it, and the matcher's terms.
func shippedPairs(tb testing.TB) []*lexiconPair {
	tb.Helper()
	cat := shippedCatalog(tb)
	vocab := newLexiconPair("vocabulary", cat.Vocabulary.Capitals...)
	for i, c := range cat.Vocabulary.Concepts {
		for _, t := range c.JA {
			vocab.add(t, i, false)
		}
		for _, t := range c.EN {
			vocab.add(t, i, c.Urgent)
		}
		for _, t := range c.Written {
			vocab.add(t, i, true)
		}
	}
	terms := newLexiconPair("catalog", cat.Vocabulary.Capitals...)
	ref := 0
	add := func(exact bool, ts ...string) {
		for _, t := range ts {
			terms.add(t, ref, exact)
			ref++
		}
	}
	for _, in := range cat.Initiatives {
		add(false, in.Name.JA, in.Name.EN)
		add(false, in.Aliases.All()...)
		add(false, in.Keywords.All()...)
	}
	for _, s := range cat.Situations {
		for _, c := range s.Cues {
			add(false, c.JA...)
			add(false, c.EN...)
		}
	}
	for i := range cat.Taxonomy.Organizations {
		add(true, cat.Taxonomy.Organizations[i].Names()...)
	}
	for _, a := range cat.Taxonomy.Audiences {
		add(true, a.Terms.All()...)
	}
	for _, k := range cat.Taxonomy.Kinds {
		add(true, k.Terms.All()...)
	}
	return []*lexiconPair{vocab, terms}
}

// TestFindAllReference holds the trie to the maps it replaced over every
// question of the evaluation and training files, with the shipped
// knowledge's lexicons and the analyser's own.
func TestFindAllReference(t *testing.T) {
	a := shippedAnalyzer(t)
	pairs := shippedPairs(t)
	own := &lexiconPair{"analyzer", a.lex, pairs[0].ref}
	pairs = append(pairs, own)
	var qs []string
	qs = append(qs, questions(t, "../evaluate/testdata/*.jsonl")...)
	qs = append(qs, questions(t, "../learned/testdata/*.jsonl")...)
	if len(qs) < 10000 {
		t.Fatalf("read %d questions; want the evaluation and training files", len(qs))
	}
	found := 0
	for _, s := range qs {
		q := a.Analyze(s)
		checkStems(t, &q)
		for _, p := range pairs {
			p.check(t, s, &q)
		}
		found += len(q.Concepts)
		// The matcher's queries of letters and of kana read from romaji.
		lq, kq := LatinQuery(q.Words...), KanaQuery(s)
		for _, p := range pairs {
			p.check(t, s, &lq)
			p.check(t, s, &kq)
		}
	}
	if found < len(qs) {
		t.Errorf("%d concepts in %d questions; the vocabulary finds more", found, len(qs))
	}
}

// checkStems holds the stems the speller looks up for known words to
// Stem.
func checkStems(t *testing.T, q *Query) {
	t.Helper()
	for i, w := range q.Words {
		if q.Stems[i] != Stem(w) {
			t.Fatalf("Analyze(%.80q).Stems[%d] = %q; want Stem(%q) = %q", q.Text, i, q.Stems[i], w, Stem(w))
		}
	}
}

// TestLexiconAddAfterFind adds terms to a lexicon already searched: the
// next search indexes them too.
func TestLexiconAddAfterFind(t *testing.T) {
	a := newTestAnalyzer(t)
	p := newLexiconPair("late")
	terms := []string{"情報", "情報モラル", "スマホ", "娘", "small business", "security camp", "ママ", "乗っ取", "情報", "business"}
	q := a.Analyze("情報モラルの授業で娘のスマホが乗っ取られた small business security camp, ママ")
	for i, term := range terms {
		p.add(term, i, i%3 == 0)
		p.check(t, q.Text, &q)
	}
}

// FuzzFindAll holds the trie to the maps it replaced on any terms and any
// text: analysed, and taken as a query's key and words as they are
// (invalid UTF-8 included), with terms added before and after a search.
func FuzzFindAll(f *testing.F) {
	a := newTestAnalyzer(f)
	for _, s := range [][2]string{
		{"情報\n情報モラル\nママ\n娘\nsmall business\nSPREAD", "情報モラルとそのままの娘、small business SPREAD"},
		{"セキュリティ・キャンプ\nせきゅりてぃ\nhacked\nIT", "せきゅりてぃきゃんぷ we got hacked IT"},
		{"\xff\xfe\n中\xffa", "中\xff\xfeab \xfd"},
		{"", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, terms, text string) {
		if len(terms) > 2048 || len(text) > 2048 {
			// Longer says nothing more, and slows the search down
			// (FuzzAnalyze holds analysis to its bounds).
			return
		}
		p := newLexiconPair("fuzz", "spread", "it")
		q := a.Analyze(text)
		checkStems(t, &q)
		words := strings.Fields(text)
		raw := Query{Key: text, Words: words, Stems: words}
		for i, w := range words {
			raw.Tokens = append(raw.Tokens, Token{Key: w, At: i})
		}
		list := strings.Split(terms, "\n")
		for i, term := range list {
			p.add(term, i, i%2 == 1)
			if i == len(list)/2 {
				p.check(t, text, &q)
			}
		}
		p.check(t, text, &q)
		p.check(t, text, &raw)
	})
}

// TestIsJapanese holds isJapanese's shortcuts to the Unicode tables, for
// every rune.
func TestIsJapanese(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) || r == 'ー' || r == '々'
		if got := isJapanese(r); got != want {
			t.Fatalf("isJapanese(%U) = %v; want %v", r, got, want)
		}
	}
}

// refLocate is locate as it was, over runes.
func refLocate(tokens []Token, key string) {
	runes := []rune(key)
	at := 0
	for i := range tokens {
		t := &tokens[i]
		if t.Lang != "ja" || t.Compound || t.Key == "" {
			continue
		}
		k := []rune(t.Key)
		for j := at; j+len(k) <= len(runes); j++ {
			if string(runes[j:j+len(k)]) == t.Key {
				t.At, at = j, j+len(k)
				break
			}
		}
	}
}

// TestLocateReference holds locate, over bytes, to the search over runes
// it replaced, for the words of every evaluation and training question.
func TestLocateReference(t *testing.T) {
	a := shippedAnalyzer(t)
	var qs []string
	qs = append(qs, questions(t, "../evaluate/testdata/*.jsonl")...)
	qs = append(qs, questions(t, "../learned/testdata/*.jsonl")...)
	for _, s := range qs {
		q := a.Analyze(s)
		if !HasJapanese(q.Text) {
			continue
		}
		got := a.japaneseTokens(q.Text)
		want := slices.Clone(got)
		locate(got, q.Key)
		refLocate(want, q.Key)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("locate in %q =\n%+v\nwant\n%+v", q.Key, got, want)
		}
	}
}
