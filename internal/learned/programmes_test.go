package learned_test

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/learned"
)

// toyProgrammes: questions on exams answered by line 20, on camps by 49
// (then 50), and one question out of scope.
func toyProgrammes() []learned.Example {
	var ex []learned.Example
	for i := 0; i < 3; i++ {
		ex = append(ex,
			learned.Example{Features: []string{"t:exam", "t:supporter"}, Lines: []int{20}},
			learned.Example{Features: []string{"t:camp", "t:summer", "t:student"}, Lines: []int{49, 50}},
			learned.Example{Features: []string{"t:price", "t:student"}, Out: true},
		)
	}
	return ex
}

// query is a question as the analyser would give it, with English words
// only (Features reads its tokens).
func query(words ...string) *analysis.Query {
	q := &analysis.Query{}
	for i, w := range words {
		q.Tokens = append(q.Tokens, analysis.Token{Text: w, Key: w, Lang: "en", Word: i, At: -1})
	}
	return q
}

func TestPosterior(t *testing.T) {
	m := learned.TrainProgrammes(toyProgrammes())
	tests := []struct {
		words []string
		best  int
	}{
		{[]string{"exam"}, 20},
		{[]string{"camp", "summer"}, 49},
		{[]string{"supporter", "exam", "never-seen"}, 20},
	}
	for _, tt := range tests {
		p := m.Posterior(query(tt.words...), nil)
		var sum float64
		for _, l := range []int{20, 49, 50} {
			sum += p.Of(l)
			if l != tt.best && p.Of(l) >= p.Of(tt.best) {
				t.Errorf("%q: line %d (%.3f) is not under line %d (%.3f)", tt.words, l, p.Of(l), tt.best, p.Of(tt.best))
			}
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("%q: probabilities sum to %v", tt.words, sum)
		}
		if p.Of(11) != 0 {
			t.Errorf("%q: a programme the model does not know has %v", tt.words, p.Of(11))
		}
	}
	// A second programme of a question counts less than its first.
	p := m.Posterior(query("camp"), nil)
	if p.Of(50) >= p.Of(49) {
		t.Errorf("camp: line 50 (%.3f), every question's second programme, is not under line 49 (%.3f)", p.Of(50), p.Of(49))
	}
}

func TestProgrammesWriteRead(t *testing.T) {
	m := learned.TrainProgrammes(toyProgrammes())
	var b bytes.Buffer
	if err := m.Write(&b); err != nil {
		t.Fatal(err)
	}
	r, err := learned.ReadProgrammes(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, words := range [][]string{nil, {"exam"}, {"camp", "student"}} {
		a, c := m.Posterior(query(words...), nil), r.Posterior(query(words...), nil)
		for _, l := range []int{20, 49, 50} {
			if a.Of(l) != c.Of(l) {
				t.Errorf("%q line %d: written %v, read %v", words, l, a.Of(l), c.Of(l))
			}
		}
	}
	var again bytes.Buffer
	if err := r.Write(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != b.String() {
		t.Errorf("a model read and written again is not the same file:\n%s\n%s", b.String(), again.String())
	}
}

func TestReadProgrammesRejects(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "no header"},
		{"no header", "t:a\t20:1\n", "want \"#programmes\""},
		{"header out of order", "#programmes\t49:3 20:3\n", "in order"},
		{"no tab", "#programmes\t20:3\nt:a 20:1\n", "line 2"},
		{"bad pair", "#programmes\t20:3\nt:a\t20-1\n", `pair "20-1"`},
		{"zero count", "#programmes\t20:3\nt:a\t20:0\n", "pair"},
		{"unknown line", "#programmes\t20:3\nt:a\t21:1\n", "no programme of the header"},
		{"twice", "#programmes\t20:3\nt:a\t20:1\nt:a\t20:1\n", "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := learned.ReadProgrammes(strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadProgrammes error = %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func ExampleTrainProgrammes() {
	m := learned.TrainProgrammes([]learned.Example{
		{Features: []string{"t:exam"}, Lines: []int{20}},
		{Features: []string{"t:exam"}, Lines: []int{20}},
		{Features: []string{"t:exam", "t:camp"}, Lines: []int{49}},
		{Features: []string{"t:camp"}, Lines: []int{49}},
		{Features: []string{"t:camp"}, Lines: []int{49}},
	})
	q := &analysis.Query{Tokens: []analysis.Token{{Key: "camp", Lang: "en", At: -1}}}
	p := m.Posterior(q, nil)
	fmt.Printf("line 20: %.2f, line 49: %.2f\n", p.Of(20), p.Of(49))
	// Output:
	// line 20: 0.14, line 49: 0.86
}
