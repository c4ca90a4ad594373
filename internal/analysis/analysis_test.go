package analysis

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/bounds"
	"github.com/supportbot/supportbot/internal/catalog"
)

func testVocabulary() catalog.Vocabulary {
	return catalog.Vocabulary{
		Concepts: []catalog.Concept{
			{ID: "sme", JA: []string{"中小企業", "小規模事業者"}, EN: []string{"small business", "sme"}},
			{ID: "camp", JA: []string{"セキュリティ・キャンプ"}, EN: []string{"security camp"}},
			{ID: "security", JA: []string{"セキュリティ", "情報"}, EN: []string{"security"}, Generic: true},
			{ID: "morals", JA: []string{"情報モラル"}},
			{ID: "hacked", JA: []string{"乗っ取"}, EN: []string{"hacked"}},
			{ID: "phone", JA: []string{"スマホ"}, EN: []string{"smartphone", "phone"}},
			{ID: "phone2", JA: []string{"ケータイ"}},
			{ID: "advice", EN: []string{"by phone"}},
			{ID: "talent", EN: []string{"talented"}, Written: []string{"gifted"}},
			{ID: "mum", JA: []string{"ママ"}},
		},
		Stopwords: catalog.Terms{JA: []string{"こと", "知り"}, EN: []string{"the", "my", "is", "what", "it", "where", "can", "i", "get"}},
	}
}

func newTestAnalyzer(t testing.TB) *Analyzer {
	t.Helper()
	a, err := New(testVocabulary())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func conceptIDs(a *Analyzer, q Query) []string {
	var ids []string
	for _, h := range q.Concepts {
		ids = append(ids, a.Concept(h).ID)
	}
	slices.Sort(ids)
	return ids
}

func TestNormalizeAndFold(t *testing.T) {
	tests := []struct{ in, norm, fold string }{
		{"ＣＴＦ", "ctf", "ctf"},
		{"ｾｷｭﾘﾃｨ", "セキュリティ", "セキュリティ"},
		{"せきゅりてぃきゃんぷ", "せきゅりてぃきゃんぷ", "セキュリティキャンプ"},
		{"セキュリティー・キャンプ", "セキュリティー・キャンプ", "セキュリティキャンプ"},
		{"  Security   Camp ", "security camp", "securitycamp"},
		{"SecHack３６５って何？", "sechack365って何?", "sechack365ッテ何"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.norm {
			t.Errorf("Normalize(%q) = %q; want %q", tt.in, got, tt.norm)
		}
		if got := Fold(Normalize(tt.in)); got != tt.fold {
			t.Errorf("Fold(Normalize(%q)) = %q; want %q", tt.in, got, tt.fold)
		}
	}
}

func TestCleanBoundsAndRepairs(t *testing.T) {
	long := strings.Repeat("あ", 5000)
	got, cut := Clean(long, MaxRunes)
	if !cut || utf8.RuneCountInString(got) != MaxRunes {
		t.Errorf("Clean(5000 runes) = %d runes, cut=%v; want %d, true", utf8.RuneCountInString(got), cut, MaxRunes)
	}
	got, cut = Clean("a\xffb\x00c\u200b", MaxRunes)
	if cut || !utf8.ValidString(got) || strings.ContainsRune(got, 0) {
		t.Errorf("Clean(invalid) = %q, %v; want valid UTF-8 without NUL", got, cut)
	}
}

func TestAnalyzeConcepts(t *testing.T) {
	a := newTestAnalyzer(t)
	tests := []struct {
		q    string
		want []string
	}{
		{"中小企業向けの支援", []string{"sme"}},
		{"うちは小規模事業者です", []string{"sme"}},
		{"Support for small businesses?", []string{"sme"}},
		{"せきゅりてぃきゃんぷ", []string{"camp"}},                        // hiragana for katakana
		{"セキュリティー キャンプに行きたい", []string{"camp"}},                 // long vowel ending a word; "セキュリティ" inside the longer hit drops
		{"ケータイで", []string{"phone2"}},                           // a long vowel inside a word stays
		{"パネルつけたい", nil},                                        // so ケータイ is not found in ツケタイ
		{"情報モラルの授業", []string{"morals"}},                        // 情報 inside 情報モラル drops
		{"パソコンが乗っ取られたかも", []string{"hacked"}},                   // a stem finds the inflected verb
		{"where can I get advice by phone", []string{"advice"}}, // "phone" inside "by phone" drops
		{"my daughter's smartphone", []string{"phone"}},
		{"おすすめの映画", nil},
		{"ママです", []string{"mum"}},                           // a short katakana term as written
		{"ままです", []string{"mum"}},                           // … or in hiragana beginning a run
		{"そのまま使える", nil},                                    // … but not inside a hiragana word
		{"せきゅりてぃきゃんぷのせきゅりてぃ", []string{"camp", "security"}}, // a longer one stays whole
		{"gifted pupils", []string{"talent"}},               // a written term as written
		{"Gifted pupils", []string{"talent"}},               // … in any case
		{"a gift card", nil},                                // not by its stem
		{"talented and gifting", []string{"talent"}},        // other terms still by stem; "gifting" is not "gifted"
	}
	for _, tt := range tests {
		q := a.Analyze(tt.q)
		if got := conceptIDs(a, q); !slices.Equal(got, tt.want) {
			t.Errorf("Analyze(%q) concepts = %v; want %v", tt.q, got, tt.want)
		}
	}
}

func TestAnalyzeLanguage(t *testing.T) {
	a := newTestAnalyzer(t)
	tests := []struct{ q, want string }{
		{"子どものスマホが心配", "ja"},
		{"ＣＴＦ", ""},
		{"SecHack365", ""},
		{"SECURITY ACTION", ""},
		{"security camp", "en"},
		{"What is it", "en"},
		{"hello", "en"},
		{"SECURITY ACTIONとは何ですか", "ja"},
		{"🙂🙂", ""},
	}
	for _, tt := range tests {
		if got := a.Analyze(tt.q).Lang; got != tt.want {
			t.Errorf("Analyze(%q).Lang = %q; want %q", tt.q, got, tt.want)
		}
		if got := a.Lang(tt.q); got != tt.want {
			t.Errorf("Lang(%q) = %q; want %q", tt.q, got, tt.want)
		}
	}
}

func TestAnalyzeTokens(t *testing.T) {
	a := newTestAnalyzer(t)
	q := a.Analyze("中小企業でもできるセキュリティ対策を知りたい")
	var keys []string
	for _, tok := range q.Tokens {
		keys = append(keys, tok.Text)
	}
	for _, want := range []string{"中小企業", "対策"} {
		if !slices.Contains(keys, want) {
			t.Errorf("Analyze tokens = %v; want %q among them (noun compound)", keys, want)
		}
	}
	if slices.Contains(keys, "知り") {
		t.Errorf("Analyze tokens = %v; stop word 知り kept", keys)
	}
	// An adverbial noun opening a run of nouns tells when, of the verb:
	// no compound with the noun after it.
	for q, bad := range map[string]string{"それ以降パソコンの動きが変です": "以降パソコン", "最近スマホが遅い": "最近スマホ"} {
		for _, tok := range a.Analyze(q).Tokens {
			if tok.Text == bad {
				t.Errorf("Analyze(%q) has the compound %q; want none", q, bad)
			}
		}
	}
	// A verbal noun followed by する is the question's verb; one that is
	// not (簿記の勉強を, 紹介が) names a thing.
	for _, tt := range []struct {
		q, word string
		verb    bool
	}{
		{"伸ばせる場を紹介したい", "紹介", true},
		{"社員に徹底させたい", "徹底", true},
		{"講師を紹介してもらえる？", "紹介", true},
		{"紹介が欲しい", "紹介", false},
		{"簿記の勉強をしたい", "勉強", false},
		{"簿記の勉強をしたい", "簿記", false},
	} {
		found := false
		for _, tok := range a.Analyze(tt.q).Tokens {
			if tok.Text == tt.word {
				found = true
				if tok.Verb != tt.verb {
					t.Errorf("Analyze(%q): %s Verb = %v, want %v", tt.q, tt.word, tok.Verb, tt.verb)
				}
			}
		}
		if !found {
			t.Errorf("Analyze(%q) has no token %q", tt.q, tt.word)
		}
	}
	q = a.Analyze("What is the security camp")
	keys = keys[:0]
	for _, tok := range q.Tokens {
		keys = append(keys, tok.Key)
	}
	if !slices.Equal(keys, []string{"secur", "camp"}) {
		t.Errorf("Analyze English token keys = %v; want [secur camp]", keys)
	}
}

func TestAnalyzeEmpty(t *testing.T) {
	a := newTestAnalyzer(t)
	for _, s := range []string{"", "   ", "🙂🙂🙂", "！？…", "\x00\x01"} {
		if q := a.Analyze(s); !q.Empty() {
			t.Errorf("Analyze(%q).Empty() = false; key %q", s, q.Key)
		}
	}
}

func TestAnalyzeConcurrent(t *testing.T) {
	a := newTestAnalyzer(t)
	want := conceptIDs(a, a.Analyze("中小企業のスマホ"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if got := conceptIDs(a, a.Analyze("中小企業のスマホ")); !slices.Equal(got, want) {
					t.Errorf("concurrent Analyze = %v; want %v", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzAnalyze(f *testing.F) {
	a := newTestAnalyzer(f)
	for _, s := range []string{"中小企業向けの支援", "my daughter's smartphone", "せきゅりてぃきゃんぷ", "\xff\xfe", "🙂", strings.Repeat("あ", 2000), "ＣＴＦ\x00"} {
		f.Add(s)
	}
	// The seeds above and testdata/fuzz/FuzzAnalyze (hostile text: 100 KB,
	// invalid UTF-8, controls, bidi and zero-width marks, combining marks).
	// Failures quote the first 80 characters of the input.
	f.Fuzz(func(t *testing.T, s string) {
		var q Query
		if err := bounds.Within("Analyze", func() { q = a.Analyze(s) }); err != nil {
			t.Fatalf("%v for %d bytes %.80q", err, len(s), s)
		}
		if !utf8.ValidString(q.Text) || !utf8.ValidString(q.Key) {
			t.Fatalf("Analyze(%.80q) produced invalid UTF-8", s)
		}
		if n := utf8.RuneCountInString(q.Text); n > MaxRunes {
			t.Fatalf("Analyze(%.80q).Text has %d runes; want at most %d", s, n, MaxRunes)
		}
		for _, h := range q.Concepts {
			if h.Ref < 0 || h.Ref >= len(a.Concepts()) || h.Start > h.End {
				t.Fatalf("Analyze(%.80q) bad hit %+v", s, h)
			}
		}
		checkTranslit(t, q.Text)
	})
}

// checkTranslit holds the transliterator to its contracts on any text:
// romaji and sound keys are lower-case ASCII, romaji read back is
// katakana, an acronym is letters read from the start of the text, and
// nothing takes long (the text is cut at MaxRunes before).
func checkTranslit(t *testing.T, s string) {
	t.Helper()
	var r, key string
	var kana []string
	var letters string
	var n int
	if err := bounds.Within("transliterate", func() {
		r = Romaji(s)
		key = SoundKey(r + " " + s)
		for _, w := range latinWords(Normalize(s)) {
			if k, ok := LatinKana(w); ok {
				kana = append(kana, k)
			}
		}
		letters, n = Acronym(s)
	}); err != nil {
		t.Fatalf("%v for %.80q", err, s)
	}
	for _, out := range []string{r, key} {
		for _, c := range out {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				t.Fatalf("Romaji/SoundKey(%.80q) = %q, %q; want lower-case ASCII letters and digits", s, r, key)
			}
		}
	}
	for _, k := range kana {
		for _, c := range k {
			if !IsKatakana(c) {
				t.Fatalf("LatinKana of a word of %.80q = %q; want katakana only", s, k)
			}
		}
	}
	if letters != "" && (len(letters) < 2 || n > utf8.RuneCountInString(s)) {
		t.Fatalf("Acronym(%.80q) = %q, %d; want two letters or more read from the text", s, letters, n)
	}
}

func TestSpellingCorrection(t *testing.T) {
	a, err := New(testVocabulary(), WithDictionary("seminar", "SecHack365 hackathon", "certification", "workshop"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"seminer", "seminar"},
		{"hackaton", "hackathon"},
		{"certifcation", "certification"},
		{"wokrshop", "workshop"},
		{"restaurant", "restaurant"}, // nothing near: left alone
		{"time", "time"},             // too short to correct
	}
	for _, tt := range tests {
		q := a.Analyze(tt.in)
		if len(q.Words) != 1 || q.Words[0] != tt.want {
			t.Errorf("Analyze(%q).Words = %v; want [%s]", tt.in, q.Words, tt.want)
		}
	}
	if d := a.AnalyzeDocument("seminer"); d.Words[0] != "seminer" {
		t.Errorf("AnalyzeDocument corrected %q to %q; documents are left as written", "seminer", d.Words[0])
	}
}

// TestCapitals: a name that is also an everyday word (Vocabulary.Capitals)
// is found only where the question writes it in capitals; other terms
// ignore case.
func TestCapitals(t *testing.T) {
	v := testVocabulary()
	v.Capitals = []string{"SPREAD", "IT"}
	v.Concepts = append(v.Concepts,
		catalog.Concept{ID: "spread", JA: []string{"SPREAD"}, EN: []string{"SPREAD exam"}},
		catalog.Concept{ID: "it", EN: []string{"IT", "it staff"}},
	)
	a, err := New(v)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"malware is spreading on our PCs", nil},
		{"how do I stop it from spreading", nil},
		{"what is SPREAD?", []string{"spread"}},
		{"SPREAD exam dates", []string{"spread"}},
		{"ＳＰＲＥＡＤの検定", []string{"spread"}}, // full width, in Japanese
		{"spread exam dates", nil},
		{"our IT person left", []string{"it"}},
		{"is it safe", nil},
		{"our it staff", []string{"it"}}, // "it staff" is not written in capitals
	}
	for _, tt := range tests {
		var got []string
		for _, id := range conceptIDs(a, a.Analyze(tt.q)) {
			if id == "spread" || id == "it" {
				got = append(got, id)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Analyze(%q) capital concepts = %v; want %v", tt.q, got, tt.want)
		}
	}
}
