package scope_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/evaluate"
	"github.com/supportbot/supportbot/internal/scope"
)

// TestCrossValidation measures the model as the questions of other people
// would meet it: each training file against a model trained on all the
// others (leave one file out; each file was written by another hand), with
// the bot's answers with that model beside its answers with none. It
// holds the model to the trade it was taken for: over all files, more
// questions out of scope turned away than questions in scope lost.
//
//	go test ./internal/scope -run TestCrossValidation -v
func TestCrossValidation(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-validation trains a model per file: skipped with -short")
	}
	k := dialogtest.Knowledge(t)
	an := k.Analyzer()
	type file struct {
		items    []evaluate.Item
		examples []scope.Example
	}
	files := map[string]file{}
	for _, name := range training {
		f, err := os.Open(filepath.Join("..", "evaluate", "testdata", name+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		items, err := evaluate.ReadGold(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fl := file{items: items}
		for _, it := range items {
			q := an.Analyze(it.Q)
			fl.examples = append(fl.examples, scope.Example{Features: scope.Features(&q, an.Concepts()), Out: len(it.Gold) == 0})
		}
		files[name] = fl
	}
	run := func(m *scope.Model, items []evaluate.Item) evaluate.Scores {
		e, err := dialog.New(dialog.Config{Knowledge: k.WithScope(m)})
		if err != nil {
			t.Fatal(err)
		}
		r, err := evaluate.Run(context.Background(), e, items)
		if err != nil {
			t.Fatal(err)
		}
		return r.All
	}
	var gained, lost float64
	for _, name := range training {
		var rest []scope.Example
		for _, other := range training {
			if other != name {
				rest = append(rest, files[other].examples...)
			}
		}
		f := files[name]
		without, with := run(nil, f.items), run(scope.Train(rest), f.items)
		oos, in := float64(without.OutOfScope), float64(without.InScope)
		gained += (with.Rejection - without.Rejection) * oos
		lost += (with.FalseRejection - without.FalseRejection) * in
		t.Logf("%-18s Hit@1 %.3f → %.3f  Hit@3 %.3f → %.3f  OOS rejection %.3f → %.3f  false rejection %.3f → %.3f",
			name, without.Hit1, with.Hit1, without.Hit3, with.Hit3, without.Rejection, with.Rejection, without.FalseRejection, with.FalseRejection)
	}
	t.Logf("all files: %s questions out of scope turned away, %s in scope lost", count(gained), count(lost))
	if gained <= lost {
		t.Errorf("a model trained without each file turns away %s questions out of scope and loses %s in scope: it no longer pays", count(gained), count(lost))
	}
}

func count(f float64) string { return fmt.Sprintf("%.0f", f) }
