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
	lines []int     // the programmes, by the seed line of their first bullet, ascending
	docs  []float64 // per programme: the questions it answers, weighted
	// Per feature that speaks (index[feature] = i), its weighted
	// questions for the programmes that have any: entries[start[i]:start[i+1]].
	index   map[string]int32 // only while the model is built: then look
	look    *lookup          // the features, programmesSide
	start   []int32
	entries []entry
	// Derived at build: log priors; the log likelihood of a feature for a
	// programme it was never seen with (unseen), and in each entry what
	// the feature's own count adds to that (delta). Most features are
	// seen with few programmes, so a question's likelihoods are the
	// unseen ones times its features, plus the few deltas.
	prior  []float64
	unseen []float64
}

// entry is one feature's count for one programme.
type entry struct {
	g     uint8   // the programme: index into lines
	count float32 // weighted questions (multiples of ½)
	delta float64 // log likelihood over the unseen one
}

// TrainProgrammes builds the model from the labelled questions in scope
// (the others only count towards how many questions hold a feature).
// A feature speaks when at least MinQuestions questions hold it, in
// scope or not, and one in scope does; phrases (Phrase) never do: they
// tell questions about something else apart, not one programme from
// another (cross-validated over the 47 training files, 6,756 first places
// with them, 6,761 without).
func TrainProgrammes(examples []Example) *Programmes {
	held := map[string]int{}
	lineSet := map[int]bool{}
	for _, e := range examples {
		for _, f := range e.Features {
			if !strings.HasPrefix(f, Phrase) {
				held[f]++
			}
		}
		for _, l := range e.Lines {
			lineSet[l] = true
		}
	}
	var lines []int
	for l := range lineSet {
		lines = append(lines, l)
	}
	slices.Sort(lines)
	if len(lines) > 256 {
		panic(fmt.Sprintf("learned: %d programmes, at most 256", len(lines)))
	}
	docs := make([]float64, len(lines))
	feats := map[string][]float64{}
	for _, e := range examples {
		if e.Out || len(e.Lines) == 0 {
			continue
		}
		for i, l := range e.Lines {
			w := otherWeight
			if i == 0 {
				w = firstWeight
			}
			g, _ := slices.BinarySearch(lines, l)
			docs[g] += w
			for _, f := range e.Features {
				if held[f] < MinQuestions {
					continue
				}
				c := feats[f]
				if c == nil {
					c = make([]float64, len(lines))
					feats[f] = c
				}
				c[g] += w
			}
		}
	}
	m := &Programmes{lines: lines, docs: docs, index: map[string]int32{}}
	for _, f := range sortedKeys(feats) {
		m.index[f] = int32(len(m.start))
		m.start = append(m.start, int32(len(m.entries)))
		for g, c := range feats[f] {
			if c > 0 {
				m.entries = append(m.entries, entry{g: uint8(g), count: float32(c)})
			}
		}
	}
	m.start = append(m.start, int32(len(m.entries)))
	m.derive()
	m.look, m.index = newLookup(nil, m.index), nil
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
	for _, e := range m.entries {
		total[e.g] += float64(e.count)
	}
	v := float64(len(m.index))
	m.prior = make([]float64, n)
	m.unseen = make([]float64, n)
	for g := range m.prior {
		m.prior[g] = math.Log(m.docs[g] / all)
		m.unseen[g] = math.Log(alpha / (total[g] + alpha*v))
	}
	for i := range m.entries {
		e := &m.entries[i]
		e.delta = math.Log((float64(e.count)+alpha)/(total[e.g]+alpha*v)) - m.unseen[e.g]
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
	n := speaking(q, concepts, m.look, programmesSide, func(i int32, _ int) {
		for _, e := range m.entries[m.start[i]:m.start[i+1]] {
			l[e.g] += e.delta
		}
	})
	for g := range l {
		l[g] += float64(n) * m.unseen[g]
	}
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
	for g, d := range m.docs {
		if g > 0 {
			bw.WriteByte(' ')
		}
		fmt.Fprintf(bw, "%d:%g", m.lines[g], d)
	}
	bw.WriteByte('\n')
	for _, f := range m.look.features(programmesSide) {
		i, _ := m.look.findString(f, programmesSide)
		bw.WriteString(f)
		bw.WriteByte('\t')
		for k, e := range m.entries[m.start[i]:m.start[i+1]] {
			if k > 0 {
				bw.WriteByte(' ')
			}
			fmt.Fprintf(bw, "%d:%g", m.lines[e.g], e.count)
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("learned: programmes: write model: %w", err)
	}
	return nil
}

// ReadProgrammes reads a model written by Write.
func ReadProgrammes(r io.Reader) (*Programmes, error) {
	m, err := read(r, parseProgrammes)
	if err != nil {
		return nil, err
	}
	m.look, m.index = newLookup(nil, m.index), nil
	return m, nil
}

// parseProgrammes parses a model file held in memory; the model's feature names
// are slices of text, so the file built into the binary is not copied.
// The caller gives it its lookup.
func parseProgrammes(text string) (*Programmes, error) {
	m := &Programmes{index: map[string]int32{}}
	for line, row := range rows(text) {
		name, list, ok := strings.Cut(row, "\t")
		if !ok || name == "" {
			return nil, fmt.Errorf("learned: programmes model line %d: want a name, a tab and line:count pairs", line)
		}
		if line == 1 && name != programmesHeader {
			return nil, fmt.Errorf("learned: programmes model line 1: want %q and the programmes' lines in order", programmesHeader)
		}
		if _, dup := m.index[name]; dup && line > 1 {
			return nil, fmt.Errorf("learned: programmes model line %d: feature %q twice", line, name)
		}
		if line > 1 {
			m.index[name] = int32(len(m.start))
			m.start = append(m.start, int32(len(m.entries)))
		}
		prev := -1
		for pair := range strings.FieldsSeq(list) {
			ls, cs, ok := strings.Cut(pair, ":")
			l, err1 := strconv.Atoi(ls)
			c, err2 := strconv.ParseFloat(cs, 64)
			if !ok || err1 != nil || err2 != nil || l <= 0 || c <= 0 {
				return nil, fmt.Errorf("learned: programmes model line %d: pair %q", line, pair)
			}
			if line == 1 {
				if l <= prev {
					return nil, fmt.Errorf("learned: programmes model line 1: want %q and the programmes' lines in order", programmesHeader)
				}
				prev = l
				m.lines = append(m.lines, l)
				m.docs = append(m.docs, c)
				continue
			}
			g, ok := slices.BinarySearch(m.lines, l)
			if !ok {
				return nil, fmt.Errorf("learned: programmes model line %d: line %d is no programme of the header", line, l)
			}
			m.entries = append(m.entries, entry{g: uint8(g), count: float32(c)})
		}
		if line == 1 && len(m.lines) == 0 {
			return nil, fmt.Errorf("learned: programmes model line 1: want %q and the programmes' lines in order", programmesHeader)
		}
	}
	if len(m.lines) == 0 {
		return nil, fmt.Errorf("learned: programmes model: no header")
	}
	if len(m.lines) > 256 {
		return nil, fmt.Errorf("learned: programmes model: %d programmes, at most 256", len(m.lines))
	}
	m.start = append(m.start, int32(len(m.entries)))
	m.derive()
	return m, nil
}

//go:embed programmes.tsv
var shippedProgrammesFile string

// ShippedProgrammes returns the model built into the binary
// (programmes.tsv), read once.
func ShippedProgrammes() (*Programmes, error) {
	s := shipped()
	return s.programmes, s.programmesErr
}
