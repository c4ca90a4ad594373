package analysis

import (
	"slices"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/catalog"
	"golang.org/x/text/unicode/norm"
)

func TestRomaji(t *testing.T) {
	tests := []struct{ in, want string }{
		{"せっこん", "sekkon"},
		{"セックハック", "sekkuhakku"},
		{"セキュリティー", "sekyuritii"},
		{"スプレッド", "supureddo"},
		{"ティーサイス", "tiisaisu"},
		{"おたすけたい", "otasuketai"},
		{"ファイル", "fairu"},
		{"しんちゃん", "shinchan"},
		{"中小企業", ""}, // kanji: not kana
	}
	for _, tt := range tests {
		if got := Romaji(tt.in); got != tt.want {
			t.Errorf("Romaji(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestLatinKana(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"otasuketai", "オタスケタイ", true},
		{"kyanpu", "キャンプ", true},
		{"soudan", "ソウダン", true},
		{"matcha", "マッチャ", true},
		{"konnichiwa", "コンニチワ", true},
		{"shitai", "シタイ", true},
		{"camp", "", false},     // p with no vowel: English
		{"security", "", false}, // c: English
	}
	for _, tt := range tests {
		got, ok := LatinKana(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LatinKana(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestSoundKey: a Latin name and its katakana reading meet in one key.
func TestSoundKey(t *testing.T) {
	tests := []struct{ latin, kana string }{
		{"seccon", "せっこん"},
		{"seccon", "セクコン"},
		{"sechack", "セックハック"},
		{"grafsec", "グラフセック"},
		{"spread", "スプレッド"},
		{"nisc", "ニスク"},
		{"kosen", "コーセン"},
		{"security", "セキュリティ"},
		{"stopthinkconnect", "ストップシンクコネクト"},
		{"security action", "セキュリティアクション"}, // a key per word, as the matcher joins them
		{"server", "サーバー"},
	}
	for _, tt := range tests {
		a := ""
		for _, w := range strings.Fields(tt.latin) {
			a += SoundKey(w)
		}
		if b := SoundKey(Romaji(tt.kana)); a != b {
			t.Errorf("SoundKey(%q) = %q, SoundKey(Romaji(%q)) = %q; want them equal", tt.latin, a, tt.kana, b)
		}
	}
	if a, b := SoundKey("seccon"), SoundKey(Romaji("せっかく")); a == b {
		t.Errorf("SoundKey(seccon) = SoundKey(せっかく) = %q; want them apart", a)
	}
}

func TestAcronym(t *testing.T) {
	tests := []struct {
		in      string
		letters string
		runes   int
	}{
		{"アイピーエーの", "ipa", 6},
		{"アイピーエ", "ipa", 5}, // the fold dropped the last long-vowel mark
		{"ジェイエヌエスエー", "jnsa", 9},
		{"シーティーエフ", "ctf", 7},
		{"えすぴーあーるいーえーでぃー", "spread", 14}, // letter names in hiragana
		{"アイ", "", 0},                    // one letter: a word, not an acronym
		{"ケーキ", "", 0},
	}
	for _, tt := range tests {
		letters, n := Acronym(tt.in)
		if letters != tt.letters || n != tt.runes {
			t.Errorf("Acronym(%q) = %q, %d; want %q, %d", tt.in, letters, n, tt.letters, tt.runes)
		}
	}
}

func TestFoldScript(t *testing.T) {
	text := "せっこんのセキュリティー、ミニ"
	key, marks := FoldScript(text)
	if key != Fold(text) {
		t.Fatalf("FoldScript key = %q; want Fold's %q", key, Fold(text))
	}
	H, B := Hiragana, Break
	want := []Script{H, H, H, H, H, 0, 0, 0, 0, 0, 0, B, 0}
	if len(marks) != len(want) {
		t.Fatalf("FoldScript(%q) marks = %v; want %v", text, marks, want)
	}
	for i := range want {
		if marks[i] != want[i] {
			t.Fatalf("FoldScript(%q) marks = %v; want %v", text, marks, want)
		}
	}
}

// TestTermsAsWritten: a one-character Japanese term is found as a whole
// word only, and the English terms of trouble only as written.
func TestTermsAsWritten(t *testing.T) {
	v := testVocabulary()
	v.Concepts = append(v.Concepts,
		catalog.Concept{ID: "daughter", JA: []string{"娘"}},
		catalog.Concept{ID: "trouble", EN: []string{"hacked", "attacked"}, Urgent: true},
	)
	a, err := New(v)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    string
		want string // concept id found, or ""
	}{
		{"娘がスマホで心配", "daughter"},
		{"娘のこと", "daughter"},
		{"we got hacked", "trouble"},
		{"we were attacked yesterday", "trouble"},
		{"I want to learn hacking", ""},
		{"worried about attacks", ""},
	}
	for _, tt := range tests {
		q := a.Analyze(tt.q)
		got := ""
		for _, h := range q.Concepts {
			if id := a.Concept(h).ID; id == "daughter" || id == "trouble" {
				got = id
			}
		}
		if got != tt.want {
			t.Errorf("Analyze(%q) found %q; want %q", tt.q, got, tt.want)
		}
	}
}

// TestRomajiSentence: a message written in romaji is read as the Japanese
// it is; an English message with a Japanese name or two is not.
func TestRomajiSentence(t *testing.T) {
	a := newTestAnalyzer(t)
	tests := []struct {
		in, want string // want "" when the message stays as it is
	}{
		// Words keep their spaces: a word's start is where a short term may
		// begin (すまほ in すまほのるーる, not in そのまま).
		{"nihon no koukou ni kayotte imasu", "にほん の こうこう に かよって います"},
		{"Meeru ga nottorarete shimaimashita. Soudan dekiru?", "めえる が のっとられて しまいました. そうだん できる?"},
		{"sumaho wo kaitai, SME desu", "すまほ を かいたい, sme です"},
		{"kodomo sumaho ruuru", "こども すまほ るうる"},
		{"Is otasuketai free for my company?", ""},
		{"sechak365 how to apply", ""},
		{"security camp", ""},
		{"セキュリティ kyanpu", ""},
	}
	for _, tt := range tests {
		got, ok := a.romajiSentence(lowerFields(norm.NFKC.String(tt.in))) // normalised, as analyze passes it
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("romajiSentence(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	q := a.Analyze("nottorareta kamo, sumaho")
	if got := conceptIDs(a, q); !slices.Contains(got, "phone") && !slices.Contains(got, "hacked") {
		t.Errorf("Analyze(romaji) concepts = %v; want the Japanese terms found", got)
	}
}

func TestLatinRuns(t *testing.T) {
	tests := []struct {
		in   string
		want []string // runs, words marked with a leading "+"
	}{
		{"", nil},
		{"ctfに参加", []string{"+ctf", "に参加"}},
		{"Is SecHack365 free?", []string{"+Is", " ", "+SecHack365", " ", "+free", "?"}},
		{"e-ネット", []string{"+e", "-ネット"}},
		{"セキュリティ", []string{"セキュリティ"}},
	}
	for _, tt := range tests {
		var got []string
		for run, word := range LatinRuns(tt.in) {
			if word {
				run = "+" + run
			}
			got = append(got, run)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("LatinRuns(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestReadingKey: a reading and the ways people write it in romaji or
// kana meet in one key, long vowels marked or not; other words do not.
func TestReadingKey(t *testing.T) {
	same := []struct {
		reading string
		written []string
	}{
		{"インターネットアンゼンキョウシツ", []string{"いんたーねっとあんぜんきょうしつ", "intaanetto anzen kyoushitsu", "intânetto anzen kyōshitsu"}},
		{"アンゼンキョウシツ", []string{"anzen kyoshitsu", "anzen kyoushitsu", "anzenkyōshitsu", "あんぜんきょうしつ"}},
		{"ケイサツ", []string{"keisatsu", "kesatsu", "けいさつ"}},
		{"チュウショウキギョウ", []string{"chusho kigyo", "chuushou kigyou", "chuusyou kigyou"}},
		{"eネットキャラバン", []string{"e-netto kyaraban", "eネットキャラバン"}},
		{"セキュリティキャンプ", []string{"sekyuriti kyanpu", "せきゅりてぃきゃんぷ"}},
		{"ソウムショウ", []string{"soumushou", "somusho", "soumushō"}},
	}
	for _, tt := range same {
		want := ReadingKey(tt.reading)
		for _, w := range tt.written {
			if got := ReadingKey(Normalize(w)); got != want {
				t.Errorf("ReadingKey(%q) = %q; want %q, the key of %s", w, got, want, tt.reading)
			}
		}
	}
	apart := [][2]string{
		{"ケイサツ", "kensatsu"},
		{"アンシンキョウ", "shinkansen"},
		{"ソウムショウ", "somosomo"},
	}
	for _, p := range apart {
		if a, b := ReadingKey(p[0]), ReadingKey(p[1]); a == b {
			t.Errorf("ReadingKey(%q) = ReadingKey(%q) = %q", p[0], p[1], a)
		}
	}
}

// TestReader reads names with the full dictionary: kanji by reading, kana
// and Latin letters as written, punctuation dropped, an unknown word not
// guessed.
func TestReader(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the full dictionary")
	}
	rd, err := NewReader()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"インターネット安全教室", "インターネットアンゼンキョウシツ", true},
		{"e-ネットキャラバン", "eネットキャラバン", true},
		{"セキュリティ・キャンプ", "セキュリティキャンプ", true},
		{"警察庁", "ケイサツチョウ", true},
		{"SECURITY ACTION", "", false}, // nothing Japanese to read
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := rd.Reading(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Reading(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
