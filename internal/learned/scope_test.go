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
	// Seen in one question only: speaks all the same.
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
		t.Errorf("a word seen in one question out of scope: %v, want over the prior %v", p, prior)
	}
}

// TestPhrasesLearned checks that an English question's phrases tell apart
// what its words alone do not: "security" is in both kinds of question,
// "security deposit" out of scope and "security training" in it.
func TestPhrasesLearned(t *testing.T) {
	ex := toy()
	for i := 0; i < 4; i++ {
		ex = append(ex,
			learned.Example{Features: []string{"t:secur", "t:deposit", learned.Phrase + "secur deposit"}, Out: true},
			learned.Example{Features: []string{"t:secur", "t:train", learned.Phrase + "secur train"}},
		)
	}
	m := learned.TrainScope(ex)
	base := m.Out([]string{"t:secur"})
	if p := m.Out([]string{"t:secur", learned.Phrase + "secur deposit"}); p <= base {
		t.Errorf("a phrase of questions out of scope: Out = %v, want over %v", p, base)
	}
	if p := m.Out([]string{"t:secur", learned.Phrase + "secur train"}); p >= base {
		t.Errorf("a phrase of questions in scope: Out = %v, want under %v", p, base)
	}
}

// TestValues checks that a feature's value weighs it in training: a
// feature worth a sixth of a question (a pair of characters of a long
// word) learns a weight six times as strong to say the same, so Out of
// it alone says more than Out of a feature worth a whole question.
func TestValues(t *testing.T) {
	var ex []learned.Example
	for i := 0; i < 6; i++ {
		ex = append(ex,
			learned.Example{Features: []string{"b:スマ", "t:x"}, Values: []float32{1.0 / 6, 1}, Out: true},
			learned.Example{Features: []string{"t:y"}, Values: []float32{1}},
			learned.Example{Features: []string{"b:ウイ", "t:x"}, Values: []float32{1, 1}},
		)
	}
	m := learned.TrainScope(ex)
	if a, b := m.Out([]string{"b:スマ"}), m.Out([]string{"b:ウイ"}); a <= 0.5 || b >= 0.5 {
		t.Errorf("Out(b:スマ) = %v, Out(b:ウイ) = %v: want them on either side of 0.5", a, b)
	}
}

func TestWord(t *testing.T) {
	m := learned.TrainScope(toy())
	for _, tt := range []struct {
		key  string
		lean int // -1 in scope, +1 out of it, 0 says nothing
		seen bool
	}{
		{"virus", -1, true},
		{"help", -1, true},
		{"price", 1, true},
		{"rare", 1, true},        // seen in one question, out of scope
		{"never-seen", 0, false}, // not in the model
	} {
		w, seen := m.Word(tt.key)
		if got := cmpZero(w); got != tt.lean || seen != tt.seen {
			t.Errorf("Word(%q) = %.3f, %v; want the sign %d, %v", tt.key, w, seen, tt.lean, tt.seen)
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
		{"ja", false, 0.8},
		{"ja", true, 0.8},
		{"", false, 0.8}, // the text does not tell: as for Japanese
		{"en", false, 0.55},
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
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "no header"},
		{"no header", "t:a\t1\n", "want the header"},
		{"header only", "#bias\t-0.5\n", "no header and features"},
		{"three fields", "#bias\t0\nt:a\t1\t0\n", "line 2"},
		{"one field", "#bias\t0\nt:a\n", "line 2"},
		{"not a weight", "#bias\t0\nt:a\tx\n", `weight "x"`},
		{"not a number", "#bias\t0\nt:a\tNaN\n", `weight "NaN"`},
		{"infinite", "#bias\t0\nt:a\t+Inf\n", `weight "+Inf"`},
		{"bias not a number", "#bias\tx\nt:a\t1\n", `line 1: weight "x"`},
		{"twice", "#bias\t0\nt:a\t1\nt:a\t2\n", "twice"},
		{"empty feature", "#bias\t0\n\t1\n", "line 2"},
		{"header again", "#bias\t0\nt:a\t1\n#bias\t1\n", "line 3: the header again"},
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
	// 0.14 0.98
	// [t:料金]
}
