package learned

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
)

// Weights of a question's programmes in training: the first answers it
// best, the others fit too.
const (
	firstWeight = 1.0
	otherWeight = 0.5
	// alpha is the smoothing of a programme's word counts: a feature
	// never seen with a programme is as if seen half a time.
	alpha = 0.5
)

// Programmes is the naive Bayes model of which programmes answer the
// questions in scope: for a question, the probability of each programme
// given its features. It is only read once built, so it is safe for
// concurrent use.
type Programmes struct {
	lines []int                // the programmes, by the seed line of their first bullet, ascending
	docs  []float64            // per programme: the questions it answers, weighted
	feats map[string][]float64 // per feature that speaks: its weighted questions per programme
	// Derived at build: log priors, and per feature the log likelihood
	// of each programme, smoothed (loglik[index[feature]][programme]),
	// with the likelihood of a feature never seen with it (unseen).
	prior  []float64
	index  map[string]int32
	loglik [][]float64
}

// TrainProgrammes builds the model from the labelled questions in scope
// (the others only count towards how many questions hold a feature).
// A feature speaks when at least MinQuestions questions hold it, in
// scope or not, and one in scope does.
func TrainProgrammes(examples []Example) *Programmes {
	held := map[string]int{}
	lineSet := map[int]bool{}
	for _, e := range examples {
		for _, f := range e.Features {
			held[f]++
		}
		for _, l := range e.Lines {
			lineSet[l] = true
		}
	}
	m := &Programmes{feats: map[string][]float64{}}
	for l := range lineSet {
		m.lines = append(m.lines, l)
	}
	slices.Sort(m.lines)
	m.docs = make([]float64, len(m.lines))
	for _, e := range examples {
		if e.Out || len(e.Lines) == 0 {
			continue
		}
		for i, l := range e.Lines {
			w := otherWeight
			if i == 0 {
				w = firstWeight
			}
			g, _ := slices.BinarySearch(m.lines, l)
			m.docs[g] += w
			for _, f := range e.Features {
				if held[f] < MinQuestions {
					continue
				}
				c := m.feats[f]
				if c == nil {
					c = make([]float64, len(m.lines))
					m.feats[f] = c
				}
				c[g] += w
			}
		}
	}
	m.derive()
	return m
}

// derive computes the log priors and likelihoods.
func (m *Programmes) derive() {
	n := len(m.lines)
	var all float64
	for _, d := range m.docs {
		all += d
	}
	total := make([]float64, n)
	for _, c := range m.feats {
		for g, v := range c {
			total[g] += v
		}
	}
	v := float64(len(m.feats))
	m.prior = make([]float64, n)
	for g := range m.prior {
		m.prior[g] = math.Log(m.docs[g] / all)
	}
	m.index = make(map[string]int32, len(m.feats))
	m.loglik = m.loglik[:0]
	for _, f := range sortedKeys(m.feats) {
		c := m.feats[f]
		row := make([]float64, n)
		for g := range row {
			row[g] = math.Log((c[g] + alpha) / (total[g] + alpha*v))
		}
		m.index[f] = int32(len(m.loglik))
		m.loglik = append(m.loglik, row)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Posterior is the probability of each programme for one question.
type Posterior struct {
	lines []int
	p     []float64
}

// Of returns the probability of the programme whose first bullet is on
// seed line line; 0 for a programme the model does not know.
func (p Posterior) Of(line int) float64 {
	if g, ok := slices.BinarySearch(p.lines, line); ok {
		return p.p[g]
	}
	return 0
}

// Posterior returns, for a question, the probability of each programme
// given its features (Features, read without building them).
func (m *Programmes) Posterior(q *analysis.Query, concepts []catalog.Concept) Posterior {
	l := slices.Clone(m.prior)
	var seenBuf [64]int32
	seen := seenBuf[:0]
	walk(q, concepts, func(f []byte) {
		i, ok := m.index[string(f)]
		if !ok || slices.Contains(seen, i) {
			return
		}
		seen = append(seen, i)
		for g, v := range m.loglik[i] {
			l[g] += v
		}
	})
	return Posterior{lines: m.lines, p: softmax(l)}
}

// softmax turns log scores into probabilities, in place.
func softmax(l []float64) []float64 {
	if len(l) == 0 {
		return l
	}
	mx := slices.Max(l)
	var z float64
	for g, v := range l {
		l[g] = math.Exp(v - mx)
		z += l[g]
	}
	for g := range l {
		l[g] /= z
	}
	return l
}

// programmesHeader begins a programmes file, before the programmes'
// lines and their weighted question counts.
const programmesHeader = "#programmes"

// Write writes the model as the shipped file holds it: a header line
// with each programme's line and weighted questions (line:count), then
// one line per feature that speaks, in byte order, with its counts for
// the programmes that have one ("feature\tline:count line:count").
func (m *Programmes) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(programmesHeader)
	bw.WriteByte('\t')
	writeCounts(bw, m.lines, m.docs)
	for _, f := range sortedKeys(m.feats) {
		bw.WriteString(f)
		bw.WriteByte('\t')
		writeCounts(bw, m.lines, m.feats[f])
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("learned: programmes: write model: %w", err)
	}
	return nil
}

func writeCounts(bw *bufio.Writer, lines []int, counts []float64) {
	first := true
	for g, c := range counts {
		if c == 0 {
			continue
		}
		if !first {
			bw.WriteByte(' ')
		}
		first = false
		fmt.Fprintf(bw, "%d:%g", lines[g], c)
	}
	bw.WriteByte('\n')
}

// ReadProgrammes reads a model written by Write.
func ReadProgrammes(r io.Reader) (*Programmes, error) {
	m := &Programmes{feats: map[string][]float64{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		name, list, ok := strings.Cut(sc.Text(), "\t")
		if !ok || name == "" {
			return nil, fmt.Errorf("learned: programmes model line %d: want a name, a tab and line:count pairs", line)
		}
		var lines []int
		var counts []float64
		for _, pair := range strings.Fields(list) {
			ls, cs, ok := strings.Cut(pair, ":")
			l, err1 := strconv.Atoi(ls)
			c, err2 := strconv.ParseFloat(cs, 64)
			if !ok || err1 != nil || err2 != nil || l <= 0 || c <= 0 {
				return nil, fmt.Errorf("learned: programmes model line %d: pair %q", line, pair)
			}
			lines = append(lines, l)
			counts = append(counts, c)
		}
		if line == 1 {
			if name != programmesHeader || len(lines) == 0 || !slices.IsSorted(lines) {
				return nil, fmt.Errorf("learned: programmes model line 1: want %q and the programmes' lines in order", programmesHeader)
			}
			m.lines, m.docs = lines, counts
			continue
		}
		if _, dup := m.feats[name]; dup {
			return nil, fmt.Errorf("learned: programmes model line %d: feature %q twice", line, name)
		}
		row := make([]float64, len(m.lines))
		for i, l := range lines {
			g, ok := slices.BinarySearch(m.lines, l)
			if !ok {
				return nil, fmt.Errorf("learned: programmes model line %d: line %d is no programme of the header", line, l)
			}
			row[g] = counts[i]
		}
		m.feats[name] = row
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("learned: programmes: read model: %w", err)
	}
	if len(m.lines) == 0 {
		return nil, fmt.Errorf("learned: programmes model: no header")
	}
	m.derive()
	return m, nil
}

//go:embed programmes.tsv
var shippedProgrammesFile string

// ShippedProgrammes returns the model built into the binary
// (programmes.tsv), read once.
var ShippedProgrammes = sync.OnceValues(func() (*Programmes, error) {
	return ReadProgrammes(strings.NewReader(shippedProgrammesFile))
})
