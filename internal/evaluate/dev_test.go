package evaluate

import (
	"context"
	"os"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
)

// issueTargets are the targets of the bot-core issue (DevFloor, which a
// reload of the knowledge is held to as well). A change that makes
// answers worse fails here rather than landing quietly.
var issueTargets = DevFloor()

// TestTargets holds the bot to the targets on the development set
// (shared/eval/dev.jsonl, copied) and on heldout.jsonl, questions written
// independently from the seed alone to check that improvements generalise.
// heldout2.jsonl is harder on purpose (messy, long messages and
// out-of-scope questions that share the domain's words: 「補助金で太陽光
// パネル」, 「防犯カメラの設置業者」); it is held to floors just under the
// figures measured when it was added, so it can only improve.
func TestTargets(t *testing.T) {
	b := dialogtest.WithStore(t, nil)
	for file, want := range map[string]Floor{
		"testdata/dev.jsonl":      issueTargets,
		"testdata/heldout.jsonl":  issueTargets,
		"testdata/heldout2.jsonl": {Hit1: 0.92, Hit3: 0.96, Rejection: 0.80, FalseRejection: 0.02},
	} {
		t.Run(file, func(t *testing.T) { checkTargets(t, b, file, want) })
	}
}

func checkTargets(t *testing.T, b bot.Answerer, file string, want Floor) {
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
		t.Logf("miss %s %q gold=%v got=%v confident=%v", o.Item.ID, o.Item.Q, o.Item.Gold, o.Lines, o.Confident)
	}
	if err := want.Check(s); err != nil {
		t.Error(err)
	}
}
