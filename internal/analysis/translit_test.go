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
		{"nihon no koukou ni kayotte imasu", "にほんのこうこうにかよっています"},
		{"Meeru ga nottorarete shimaimashita. Soudan dekiru?", "めえるがのっとられてしまいました.そうだんできる?"}, // no space between Japanese words
		{"sumaho wo kaitai, SME desu", "すまほをかいたい, sme です"},
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
