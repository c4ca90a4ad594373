package evaluate

import (
	"context"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
)

// scripted answers each question with fixed cards.
type scripted map[string]bot.Answer

func (s scripted) Answer(_ context.Context, q bot.Question) (bot.Answer, error) {
	return s[q.Text], nil
}
func (s scripted) Forget(context.Context, string) error { return nil }

func cards(lines ...int) []bot.Card {
	var cs []bot.Card
	for _, l := range lines {
		cs = append(cs, bot.Card{Sources: []bot.Source{{File: "f", Line: l}}})
	}
	return cs
}

func TestScores(t *testing.T) {
	gold := `{"id":"a","lang":"ja","q":"qa","gold":[11]}
{"id":"b","lang":"ja","q":"qb","gold":[13,20]}
{"id":"c","lang":"en","q":"qc","gold":[15]}
{"id":"d","lang":"en","q":"qd","gold":[]}
{"id":"e","lang":"en","q":"qe","gold":[]}
`
	items, err := ReadGold(strings.NewReader(gold))
	if err != nil {
		t.Fatal(err)
	}
	b := scripted{
		"qa": {Confident: true, Cards: cards(11, 15)},     // hit at 1
		"qb": {Confident: true, Cards: cards(15, 16, 20)}, // hit at 3, recall 1/2
		"qc": {Confident: false},                          // false rejection
		"qd": {Confident: false},                          // rejected
		"qe": {Confident: true, Cards: cards(11)},         // offered: not rejected
	}
	rep, err := Run(context.Background(), b, items)
	if err != nil {
		t.Fatal(err)
	}
	s := rep.All
	checks := []struct {
		name      string
		got, want float64
	}{
		{"Hit@1", s.Hit1, 1.0 / 3},
		{"Hit@3", s.Hit3, 2.0 / 3},
		{"MRR@5", s.MRR5, (1 + 1.0/3) / 3},
		{"Recall@5", s.Recall5, (1 + 0.5) / 3},
		{"rejection", s.Rejection, 0.5},
		{"false rejection", s.FalseRejection, 1.0 / 3},
	}
	for _, c := range checks {
		if d := c.got - c.want; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s = %.4f; want %.4f", c.name, c.got, c.want)
		}
	}
	if got := len(rep.Misses()); got != 3 {
		t.Errorf("Misses = %d; want 3 (qb, qc, qe)", got)
	}
	if rep.ByLang["en"].OutOfScope != 2 || rep.ByLang["ja"].InScope != 2 {
		t.Errorf("ByLang = %+v; want ja 2 in scope, en 2 out of scope", rep.ByLang)
	}
}

func TestScoresByClass(t *testing.T) {
	gold := `{"id":"a","lang":"ja","class":"facet","q":"qa","gold":[11]}
{"id":"b","lang":"en","class":"facet","q":"qb","gold":[13]}
{"id":"c","lang":"en","class":"oos","q":"qc","gold":[]}
`
	items, err := ReadGold(strings.NewReader(gold))
	if err != nil {
		t.Fatal(err)
	}
	b := scripted{
		"qa": {Confident: true, Cards: cards(11)},
		"qb": {Confident: true, Cards: cards(15)},
		"qc": {Confident: false},
	}
	rep, err := Run(context.Background(), b, items)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.ByClass["facet"]; got.InScope != 2 || got.Hit1 != 0.5 {
		t.Errorf("ByClass[facet] = %+v; want 2 in scope, Hit@1 0.5", got)
	}
	if got := rep.ByClass["oos"]; got.OutOfScope != 1 || got.Rejection != 1 {
		t.Errorf("ByClass[oos] = %+v; want 1 out of scope, all rejected", got)
	}
	var out strings.Builder
	rep.WriteScores(&out)
	if s := out.String(); !strings.Contains(s, "facet") || strings.Contains(s, "qa") {
		t.Errorf("WriteScores wrote %q; want the classes and no question", s)
	}
}

func TestReadGoldNamesBadLine(t *testing.T) {
	_, err := ReadGold(strings.NewReader("{\"id\":\"a\",\"q\":\"x\",\"gold\":[]}\n{not json}\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("ReadGold(bad line 2) err = %v; want it to name line 2", err)
	}
}
