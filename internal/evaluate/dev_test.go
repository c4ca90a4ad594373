package evaluate

import (
	"context"
	"os"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
)

// targets are floors a change must not push the bot below.
type targets struct {
	hit1, hit3, rejection, falseRejection float64
	// classes are floors per class of question (Item.Class): Hit@1 for
	// in-scope classes, out-of-scope rejection for "oos".
	classes map[string]float64
}

// issueTargets are the targets of the bot-core issue. A change that makes
// answers worse fails here rather than landing quietly.
var issueTargets = targets{hit1: 0.90, hit3: 0.97, rejection: 0.90, falseRejection: 0.03}

// TestTargets holds the bot to the targets on the development set
// (shared/eval/dev.jsonl, copied) and on heldout.jsonl, questions written
// independently from the seed alone to check that improvements generalise.
// heldout2.jsonl is harder on purpose (messy, long messages and
// out-of-scope questions that share the domain's words: 「補助金で太陽光
// パネル」, 「防犯カメラの設置業者」); it is held to floors just under the
// figures measured when it was added, so it can only improve.
//
// heldout3.jsonl was written by someone who never saw knowledge/, by
// class (situations, facets, names, kana, several programmes, look-alikes
// out of scope); it stands in for the questions of people outside the
// project and is never edited. Its floors are just under the figures
// reached when the understanding layers were built (issue 11), per class
// too. understanding-dev.jsonl holds the development questions of that
// work, written per persona before each layer was extended for them; it
// is a regression file with floors under its figures.
func TestTargets(t *testing.T) {
	b := dialogtest.WithStore(t, nil)
	for file, want := range map[string]targets{
		"testdata/dev.jsonl":      issueTargets,
		"testdata/heldout.jsonl":  issueTargets,
		"testdata/heldout2.jsonl": {hit1: 0.92, hit3: 0.96, rejection: 0.80, falseRejection: 0.02},
		"testdata/heldout3.jsonl": {hit1: 0.79, hit3: 0.90, rejection: 0.79, falseRejection: 0.05,
			classes: map[string]float64{"situation": 0.68, "facet": 0.86, "name": 1, "kana": 0.69, "multi": 0.82, "oos": 0.79}},
		"testdata/understanding-dev.jsonl": {hit1: 0.94, hit3: 0.97, rejection: 0.98, falseRejection: 0.01,
			classes: map[string]float64{"situation": 0.92, "facet": 0.97, "name": 1, "kana": 1, "multi": 0.9, "oos": 0.98}},
	} {
		t.Run(file, func(t *testing.T) { checkTargets(t, b, file, want) })
	}
}

func checkTargets(t *testing.T, b bot.Answerer, file string, want targets) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := ReadGold(f)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), b, items)
	if err != nil {
		t.Fatal(err)
	}
	s := rep.All
	t.Logf("Hit@1 %.3f  Hit@3 %.3f  MRR@5 %.3f  Recall@5 %.3f  OOS rejection %.3f  false rejection %.3f",
		s.Hit1, s.Hit3, s.MRR5, s.Recall5, s.Rejection, s.FalseRejection)
	for _, o := range rep.Misses() {
		if o.Item.Class == "" { // files with classes are read by their figures, not question by question
			t.Logf("miss %s %q gold=%v got=%v confident=%v", o.Item.ID, o.Item.Q, o.Item.Gold, o.Lines, o.Confident)
		}
	}
	for class, floor := range want.classes {
		c, ok := rep.ByClass[class]
		got := c.Hit1
		if class == "oos" {
			got = c.Rejection
		}
		if !ok || got < floor {
			t.Errorf("class %s: %.3f; want at least %.2f", class, got, floor)
		}
	}
	if s.Hit1 < want.hit1 {
		t.Errorf("Hit@1 = %.3f; want at least %.2f", s.Hit1, want.hit1)
	}
	if s.Hit3 < want.hit3 {
		t.Errorf("Hit@3 = %.3f; want at least %.2f", s.Hit3, want.hit3)
	}
	if s.Rejection < want.rejection {
		t.Errorf("out-of-scope rejection = %.3f; want at least %.2f", s.Rejection, want.rejection)
	}
	if s.FalseRejection > want.falseRejection {
		t.Errorf("false rejection = %.3f; want at most %.2f", s.FalseRejection, want.falseRejection)
	}
}
