package learned_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/learned"
)

// toy is a small training set: questions in scope speak of viruses and
// passwords, questions out of it of prices and plans.
func toy() []learned.Example {
	var ex []learned.Example
	for i := 0; i < 4; i++ {
		ex = append(ex,
			learned.Example{Features: []string{"t:virus", "t:pc", "t:help"}},
			learned.Example{Features: []string{"t:password", "t:stolen", "t:help"}},
			learned.Example{Features: []string{"t:price", "t:plan", "t:cheap"}, Out: true},
		)
	}
	// Seen in one question only: speaks all the same (ScopeMinQuestions).
	ex = append(ex, learned.Example{Features: []string{"t:rare", "t:price"}, Out: true})
	return ex
}

func TestOut(t *testing.T) {
	m := learned.TrainScope(toy())
	tests := []struct {
		name     string
		features []string
		in, out  bool // want under 0.5, over the surer threshold (Japanese)
	}{
		{"words of questions in scope", []string{"t:virus", "t:pc"}, true, false},
		{"words of questions out of scope", []string{"t:price", "t:plan"}, false, true},
		{"unseen words leave the prior", []string{"t:never-seen"}, true, false},
		{"a word of one question out of scope leans out", []string{"t:rare"}, false, false},
	}
	prior := m.Out(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := m.Out(tt.features)
			if p < 0 || p > 1 {
				t.Fatalf("Out = %v, not a probability", p)
			}
			if tt.in && p >= 0.5 {
				t.Errorf("Out = %.3f, want under 0.5", p)
			}
			if th := learned.Threshold("ja", false); tt.out && p < th {
				t.Errorf("Out = %.3f, want at least %.2f", p, th)
			}
		})
	}
	if p := m.Out([]string{"t:rare"}); p <= prior {
		t.Errorf("a word seen in one question out of scope: %v, want over the prior %v (ScopeMinQuestions %d)", p, prior, learned.ScopeMinQuestions)
	}
}

// TestPhrasesApart checks that an English question's phrases are weighed
// apart from the other features: trained with phrases or without, a
// question without any gets the same verdict (a Japanese question has
// none), and a phrase of questions
// out of scope leans out.
func TestPhrasesApart(t *testing.T) {
	ex := toy()
	for i := 0; i < 4; i++ {
		ex = append(ex,
			learned.Example{Features: []string{"t:secur", "t:deposit", learned.Phrase + "secur deposit"}, Out: true},
			learned.Example{Features: []string{"t:secur", "t:train", learned.Phrase + "secur train"}},
		)
	}
	with := learned.TrainScope(ex)
	phraseless := learned.TrainScope(stripPhrases(ex))
	for _, f := range [][]string{nil, {"t:virus"}, {"t:price", "t:plan"}, {"t:secur", "t:help"}} {
		if a, b := with.Out(f), phraseless.Out(f); a != b {
			t.Errorf("Out(%q) = %v with phrases learned, %v without: phrases moved a question that has none", f, a, b)
		}
	}
	base := with.Out([]string{"t:secur"})
	if p := with.Out([]string{"t:secur", learned.Phrase + "secur deposit"}); p <= base {
		t.Errorf("a phrase of questions out of scope: Out = %v, want over %v", p, base)
	}
	if p := with.Out([]string{"t:secur", learned.Phrase + "secur train"}); p >= base {
		t.Errorf("a phrase of questions in scope: Out = %v, want under %v", p, base)
	}
}

// stripPhrases returns the examples without their phrases.
func stripPhrases(ex []learned.Example) []learned.Example {
	out := make([]learned.Example, len(ex))
	for i, e := range ex {
		out[i] = e
		out[i].Features = nil
		for _, f := range e.Features {
			if !strings.HasPrefix(f, learned.Phrase) {
				out[i].Features = append(out[i].Features, f)
			}
		}
	}
	return out
}

func TestWord(t *testing.T) {
	m := learned.TrainScope(toy())
	for _, tt := range []struct {
		key  string
		lean int // -1 in scope, +1 out of it, 0 says nothing
	}{
		{"virus", -1},
		{"help", -1},
		{"price", 1},
		{"rare", 1},       // seen in one question, out of scope
		{"never-seen", 0}, // not in the model
	} {
		w := m.Word(tt.key)
		if got := cmpZero(w); got != tt.lean {
			t.Errorf("Word(%q) = %.3f, want the sign %d", tt.key, w, tt.lean)
		}
	}
}

func cmpZero(f float64) int {
	switch {
	case f < 0:
		return -1
	case f > 0:
		return 1
	}
	return 0
}

func TestThreshold(t *testing.T) {
	for _, tt := range []struct {
		lang     string
		situated bool
		want     float64
	}{
		{"ja", false, 0.7},
		{"ja", true, 0.7},
		{"", false, 0.7}, // the text does not tell: as for Japanese
		{"en", false, 0.4},
		{"en", true, 0.8}, // a situation of the domain found
	} {
		if got := learned.Threshold(tt.lang, tt.situated); got != tt.want {
			t.Errorf("Threshold(%q, %v) = %v, want %v", tt.lang, tt.situated, got, tt.want)
		}
	}
}

func TestTelling(t *testing.T) {
	m := learned.TrainScope(toy())
	got := m.Telling([]string{"t:virus", "t:price", "t:never-seen", "t:plan"}, 5)
	if len(got) != 2 || !(got[0] == "t:price" || got[0] == "t:plan") {
		t.Errorf("Telling = %q, want the two words of questions out of scope", got)
	}
	if got := m.Telling([]string{"t:price", "t:plan", "t:cheap"}, 1); len(got) != 1 {
		t.Errorf("Telling with n=1 gave %d features", len(got))
	}
}

// TestWriteRead checks that a model read back from its file answers as
// the model written.
func TestWriteRead(t *testing.T) {
	m := learned.TrainScope(toy())
	var b bytes.Buffer
	if err := m.Write(&b); err != nil {
		t.Fatal(err)
	}
	r, err := learned.ReadScope(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range [][]string{nil, {"t:virus"}, {"t:price", "t:help"}, {"t:rare", "t:plan"}} {
		if a, b := m.Out(f), r.Out(f); a != b {
			t.Errorf("Out(%q): written %v, read %v", f, a, b)
		}
	}
	var again bytes.Buffer
	if err := r.Write(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != b.String() {
		t.Error("a model read and written again is not the same file")
	}
}

func TestReadRejects(t *testing.T) {
	const rare = "#rare\t1\t1\t2\n#rare-phrases\t0\t1\t1\n"
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "no header"},
		{"no header", "t:a\t1\t0\n", "header"},
		{"one kind only", "#questions\t3\t0\n" + rare + "t:a\t1\t0\n", "both kinds"},
		{"two fields", "#questions\t3\t1\n" + rare + "t:a\t1\n", "line 4"},
		{"not a count", "#questions\t3\t1\n" + rare + "t:a\tx\t0\n", `count "x"`},
		{"negative", "#questions\t3\t1\n" + rare + "t:a\t-1\t0\n", "count"},
		{"twice", "#questions\t3\t1\n" + rare + "t:a\t1\t0\nt:a\t1\t0\n", "twice"},
		{"empty feature", "#questions\t3\t1\n" + rare + "\t1\t0\n", "line 4"},
		{"rare not counted", "#questions\t3\t1\n#rare\t1\t1\tx\n", `count "x"`},
		{"no rare", "#questions\t3\t1\nt:a\t1\t0\n", `line 2: want the header "#rare"`},
		{"no rare phrases", "#questions\t3\t1\n#rare\t1\t1\t2\nt:a\t1\t0\n", `line 3: want the header "#rare-phrases"`},
		{"rare elsewhere", "#questions\t3\t1\n" + rare + "t:a\t1\t0\n#rare\t1\t1\t2\n", "line 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := learned.ReadScope(strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read error = %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func ExampleTrainScope() {
	var examples []learned.Example
	for i := 0; i < 3; i++ {
		examples = append(examples,
			learned.Example{Features: []string{"t:ウイルス", "t:感染"}},
			learned.Example{Features: []string{"t:料金", "t:プラン"}, Out: true},
		)
	}
	m := learned.TrainScope(examples)
	fmt.Printf("%.2f %.2f\n", m.Out([]string{"t:ウイルス"}), m.Out([]string{"t:料金", "t:プラン"}))
	fmt.Println(m.Telling([]string{"t:ウイルス", "t:料金"}, 3))
	// Output:
	// 0.20 0.94
	// [t:料金]
}
