package match_test

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/match"
)

// TestRankPooled holds the rankers' pool to its contract: a Ranking keeps
// none of the memory its ranker gives back for the next question. The
// questions of the golden files are ranked one after the other, and
// then again from four goroutines at once, each in its own order: every
// ranking stays as it was when ranked while the others are ranked after
// it, and every question ranks the same whatever was ranked before it.
func TestRankPooled(t *testing.T) {
	ix, an := index(t)
	files, err := filepath.Glob("testdata/explain/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	var questions []analysis.Query
	for _, file := range files {
		texts, err := readQuestions(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range texts {
			questions = append(questions, an.Analyze(text))
		}
	}
	want := make([]string, len(questions))
	kept := make([]match.Ranking, len(questions))
	for i, q := range questions {
		kept[i] = ix.Rank(q)
		want[i] = dump(kept[i])
	}
	for i, r := range kept {
		if got := dump(r); got != want[i] {
			t.Errorf("Rank(%q) changed after the questions ranked after it:\n%s", questions[i].Text, lineDiff(want[i], got))
		}
	}

	const workers = 4
	var wg sync.WaitGroup
	errs := make([][]string, workers)
	for w := range workers {
		wg.Go(func() {
			// Each its own order: started a quarter further on, and
			// every other one backwards.
			n := len(questions)
			rankings := make([]match.Ranking, n)
			for k := range n {
				i := (k + w*n/workers) % n
				if w%2 == 1 {
					i = n - 1 - i
				}
				rankings[i] = ix.Rank(questions[i])
				if got := dump(rankings[i]); got != want[i] {
					errs[w] = append(errs[w], fmt.Sprintf("goroutine %d: Rank(%q) differs from its first ranking:\n%s", w, questions[i].Text, lineDiff(want[i], got)))
				}
			}
			for i, r := range rankings {
				if got := dump(r); got != want[i] {
					errs[w] = append(errs[w], fmt.Sprintf("goroutine %d: Rank(%q) changed while others were ranked:\n%s", w, questions[i].Text, lineDiff(want[i], got)))
				}
			}
		})
	}
	wg.Wait()
	for _, e := range errs {
		for _, msg := range e {
			t.Error(msg)
		}
	}

	// Each result's evidence ends where its own does: appending to one
	// never writes into another's.
	for i, r := range kept {
		for _, res := range append(r.Results, r.Help...) {
			_ = append(res.Evidence, match.Evidence{Kind: "appended"})
		}
		if got := dump(r); got != want[i] {
			t.Errorf("Rank(%q): appending to a result's evidence changed another's:\n%s", questions[i].Text, lineDiff(want[i], got))
		}
	}
}

// dump writes all of a ranking's results with their evidence, and its
// help programmes with theirs.
func dump(r match.Ranking) string {
	var b strings.Builder
	if err := r.Explain(&b, 0); err != nil {
		return err.Error() // a strings.Builder takes every write
	}
	for _, h := range r.Help {
		fmt.Fprintf(&b, "  help %s %v %v %v\n", h.Initiative.ID, h.Score, h.Specific, h.Evidence)
	}
	return b.String()
}

// TestRankBare holds RankBare to Rank and RankRefined: the same ranking,
// field for field, but for each result's evidence, which is nil.
func TestRankBare(t *testing.T) {
	ix, an := index(t)
	files, err := filepath.Glob("testdata/explain/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		texts, err := readQuestions(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range texts {
			q := an.Analyze(text)
			for _, refined := range []bool{false, true} {
				want := ix.Rank(q)
				if refined {
					want = ix.RankRefined(q)
				}
				for _, rs := range [][]match.Result{want.Results, want.Help} {
					for i := range rs {
						rs[i].Evidence = nil
					}
				}
				if got := ix.RankBare(q, refined); !reflect.DeepEqual(got, want) {
					t.Errorf("RankBare(%q, %v) = %+v; want %+v", text, refined, got, want)
				}
			}
		}
	}
}
