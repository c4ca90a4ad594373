package learned_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/evaluate"
	"github.com/supportbot/supportbot/internal/learned"
)

// TestCrossValidation measures the models as the questions of other
// people would meet them: each training file against models trained on
// all the others (leave one file out; each file was written by another
// hand, the training files of testdata/ too), the bot's answers with no model, with the scope model, and with
// both. It holds each model to the trade it was taken for, summed over
// the files: the scope model turns away more questions out of scope than
// it loses in scope; the programme model puts the right programme first
// for more questions than it takes it from.
//
//	go test ./internal/learned -run TestCrossValidation -v
func TestCrossValidation(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-validation trains the models once per file: skipped with -short")
	}
	k := dialogtest.Knowledge(t)
	an := k.Analyzer()
	items := map[string][]evaluate.Item{}
	ex := map[string][]learned.Example{}
	for _, name := range training {
		items[name] = readFile(t, name)
		for _, it := range items[name] {
			ex[name] = append(ex[name], example(an, it))
		}
	}
	run := func(s *learned.Scope, p *learned.Programmes, items []evaluate.Item) evaluate.Scores {
		e, err := dialog.New(dialog.Config{Knowledge: k.WithLearned(s, p)})
		if err != nil {
			t.Fatal(err)
		}
		r, err := evaluate.Run(context.Background(), e, items)
		if err != nil {
			t.Fatal(err)
		}
		return r.All
	}
	var turnedAway, lostInScope, firstGained float64
	for _, name := range training {
		var rest []learned.Example
		for _, other := range training {
			if other != name {
				rest = append(rest, ex[other]...)
			}
		}
		s, p := learned.TrainScope(rest), learned.TrainProgrammes(rest)
		none, scoped, both := run(nil, nil, items[name]), run(s, nil, items[name]), run(s, p, items[name])
		oos, in := float64(none.OutOfScope), float64(none.InScope)
		turnedAway += (scoped.Rejection - none.Rejection) * oos
		lostInScope += (scoped.FalseRejection - none.FalseRejection) * in
		firstGained += (both.Hit1 - scoped.Hit1) * in
		t.Logf("%-18s OOS rejection %.3f → %.3f, false rejection %.3f → %.3f (scope); Hit@1 %.3f → %.3f, Hit@3 %.3f → %.3f (programmes)",
			short(name), none.Rejection, scoped.Rejection, none.FalseRejection, scoped.FalseRejection, scoped.Hit1, both.Hit1, scoped.Hit3, both.Hit3)
	}
	// The scope model also keeps questions in scope the rules alone would
	// turn away (match's domainWord and vouched): lostInScope is then
	// negative.
	kept := fmt.Sprintf("for %s in scope lost", count(lostInScope))
	if lostInScope < 0 {
		kept = fmt.Sprintf("and kept %s more in scope", count(-lostInScope))
	}
	t.Logf("all files: the scope model turned away %s questions out of scope %s; the programme model put the right programme first for %s more", count(turnedAway), kept, count(firstGained))
	if turnedAway <= lostInScope {
		t.Errorf("a scope model trained without each file turns away %s questions out of scope and loses %s in scope: it no longer pays", count(turnedAway), count(lostInScope))
	}
	if firstGained <= 0 {
		t.Errorf("a programme model trained without each file changes the questions with the right programme first by %s: it no longer pays", count(firstGained))
	}
}

func count(f float64) string { return fmt.Sprintf("%.0f", f) }
