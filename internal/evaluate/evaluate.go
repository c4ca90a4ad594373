// Package evaluate measures the bot's answers against a gold file: JSON
// Lines of {"id","lang","class","q","gold":[seed line numbers]}, where an
// empty gold list marks an out-of-scope question that must get no
// programme. The optional class names the kind of question (situation,
// facet, name, kana, multi, oos); figures are given per class as well as
// per language, so a whole class can be improved and watched without
// reading the questions of a held-back file one by one.
package evaluate

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/supportbot/supportbot/internal/bot"
)

// Item is one gold question.
type Item struct {
	ID    string `json:"id"`
	Lang  string `json:"lang"`
	Class string `json:"class,omitempty"`
	Q     string `json:"q"`
	Gold  []int  `json:"gold"`
}

// ReadGold reads a gold file, naming the line of any malformed entry.
func ReadGold(r io.Reader) ([]Item, error) {
	var items []Item
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var it Item
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if it.Q == "" {
			return nil, fmt.Errorf("line %d: no question (q)", n)
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	return items, nil
}

// Outcome is the bot's answer to one gold question.
type Outcome struct {
	Item      Item
	Confident bool
	Lines     []int // seed line of each offered programme, best first (top 5)
	IDs       []string
}

// Rank returns the 1-based rank of the first gold programme in the top k,
// or 0.
func (o Outcome) Rank(k int) int {
	for i, l := range o.Lines {
		if i == k {
			break
		}
		if slices.Contains(o.Item.Gold, l) {
			return i + 1
		}
	}
	return 0
}

// Scores are the figures for a set of questions.
type Scores struct {
	InScope, OutOfScope int
	Hit1, Hit3, MRR5    float64 // over in-scope questions
	Recall5             float64 // share of each gold set in the top 5, averaged
	Rejection           float64 // out-of-scope questions given no programme
	FalseRejection      float64 // in-scope questions given no programme
}

// Report is an evaluation.
type Report struct {
	Outcomes []Outcome
	All      Scores
	ByLang   map[string]Scores
	// ByClass holds the figures per Item.Class; empty when no item has a
	// class.
	ByClass map[string]Scores
}

// Run asks every question as a fresh conversation.
func Run(ctx context.Context, b bot.Answerer, items []Item) (*Report, error) {
	rep := &Report{ByLang: map[string]Scores{}, ByClass: map[string]Scores{}}
	for _, it := range items {
		a, err := b.Answer(ctx, bot.Question{Text: it.Q, Channel: "eval"})
		if err != nil {
			return nil, fmt.Errorf("evaluate %s: %w", it.ID, err)
		}
		o := Outcome{Item: it, Confident: a.Confident && len(a.Cards) > 0}
		if o.Confident {
			for i, c := range a.Cards {
				if i == 5 {
					break
				}
				line := 0
				if len(c.Sources) > 0 {
					line = c.Sources[0].Line
				}
				o.Lines = append(o.Lines, line)
				o.IDs = append(o.IDs, c.ID)
			}
		}
		rep.Outcomes = append(rep.Outcomes, o)
	}
	rep.All = score(rep.Outcomes)
	langs := map[string][]Outcome{}
	classes := map[string][]Outcome{}
	for _, o := range rep.Outcomes {
		langs[o.Item.Lang] = append(langs[o.Item.Lang], o)
		if o.Item.Class != "" {
			classes[o.Item.Class] = append(classes[o.Item.Class], o)
		}
	}
	for l, os := range langs {
		rep.ByLang[l] = score(os)
	}
	for c, os := range classes {
		rep.ByClass[c] = score(os)
	}
	return rep, nil
}

func score(outcomes []Outcome) Scores {
	var s Scores
	rejected, falseRej := 0, 0
	for _, o := range outcomes {
		if len(o.Item.Gold) == 0 {
			s.OutOfScope++
			if !o.Confident {
				rejected++
			}
			continue
		}
		s.InScope++
		if !o.Confident {
			falseRej++
			continue
		}
		if o.Rank(1) == 1 {
			s.Hit1++
		}
		if o.Rank(3) > 0 {
			s.Hit3++
		}
		if r := o.Rank(5); r > 0 {
			s.MRR5 += 1 / float64(r)
		}
		found := 0
		for _, g := range o.Item.Gold {
			if slices.Contains(o.Lines, g) {
				found++
			}
		}
		s.Recall5 += float64(found) / float64(len(o.Item.Gold))
	}
	if s.InScope > 0 {
		n := float64(s.InScope)
		s.Hit1 /= n
		s.Hit3 /= n
		s.MRR5 /= n
		s.Recall5 /= n
		s.FalseRejection = float64(falseRej) / n
	}
	if s.OutOfScope > 0 {
		s.Rejection = float64(rejected) / float64(s.OutOfScope)
	}
	return s
}

// Misses are in-scope questions whose first programme is not gold, and
// out-of-scope questions that got a programme.
func (r *Report) Misses() []Outcome {
	var out []Outcome
	for _, o := range r.Outcomes {
		if len(o.Item.Gold) == 0 && o.Confident || len(o.Item.Gold) > 0 && o.Rank(1) != 1 {
			out = append(out, o)
		}
	}
	return out
}

// Write prints the figures and the misses.
func (r *Report) Write(w io.Writer) {
	r.WriteScores(w)
	misses := r.Misses()
	fmt.Fprintf(w, "\nmisses: %d\n", len(misses))
	for _, o := range misses {
		got := "no programme"
		if o.Confident {
			got = fmt.Sprint(o.Lines)
		}
		fmt.Fprintf(w, "  %s %s %q gold=%v got=%s\n", o.Item.ID, o.Item.Lang, o.Item.Q, o.Item.Gold, got)
	}
}

// WriteScores prints the figures only: per language, overall, and per
// class when the items have classes. It names no question, so a held-back
// file can be measured during development without reading its misses.
func (r *Report) WriteScores(w io.Writer) {
	header := func(first string) {
		fmt.Fprintf(w, "%-9s %8s %8s %6s %6s %6s %8s %9s %9s\n", first, "in-scope", "out", "Hit@1", "Hit@3", "MRR@5", "Recall@5", "OOS-rej", "false-rej")
	}
	row := func(name string, s Scores) {
		fmt.Fprintf(w, "%-9s %8d %8d %6.3f %6.3f %6.3f %8.3f %9.3f %9.3f\n", name, s.InScope, s.OutOfScope, s.Hit1, s.Hit3, s.MRR5, s.Recall5, s.Rejection, s.FalseRejection)
	}
	header("lang")
	for _, l := range sortedKeys(r.ByLang) {
		row(l, r.ByLang[l])
	}
	row("all", r.All)
	if len(r.ByClass) == 0 {
		return
	}
	fmt.Fprintln(w)
	header("class")
	for _, c := range sortedKeys(r.ByClass) {
		row(c, r.ByClass[c])
	}
}

func sortedKeys(m map[string]Scores) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
