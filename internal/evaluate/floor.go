package evaluate

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// Floor is the least a set of answers must score: a version of the
// knowledge that scores under it on a gold file does not go live.
type Floor struct {
	Hit1, Hit3, Rejection float64 // at least
	FalseRejection        float64 // at most
}

// DevFloor is the floor of the built-in development set (Dev): the targets
// of the bot-core issue, which TestTargets holds the shipped knowledge to
// and a reload holds every new version to.
func DevFloor() Floor {
	return Floor{Hit1: 0.90, Hit3: 0.97, Rejection: 0.90, FalseRejection: 0.03}
}

// Check returns nil when s meets the floor, else an error naming every
// figure under it.
func (f Floor) Check(s Scores) error {
	var short []string
	below := func(name string, got, floor float64) {
		if got < floor-epsilon {
			short = append(short, fmt.Sprintf("%s %.3f is under the floor %.2f", name, got, floor))
		}
	}
	below("Hit@1", s.Hit1, f.Hit1)
	below("Hit@3", s.Hit3, f.Hit3)
	if s.OutOfScope > 0 {
		below("out-of-scope rejection", s.Rejection, f.Rejection)
	}
	if s.FalseRejection > f.FalseRejection+epsilon {
		short = append(short, fmt.Sprintf("false rejection %.3f is over the ceiling %.2f", s.FalseRejection, f.FalseRejection))
	}
	if len(short) == 0 {
		return nil
	}
	return fmt.Errorf("evaluate: %s", strings.Join(short, "; "))
}

// epsilon absorbs rounding: scores are ratios of small counts.
const epsilon = 1e-9

// NoWorse returns nil when got (a new version's scores on a gold file) is
// at least base (the running version's on the same file) for Hit@1,
// Hit@3 and out-of-scope rejection, else an error naming each figure that
// fell and by how many questions.
func NoWorse(got, base Scores) error {
	var worse []string
	fell := func(name string, g, b float64, n int) {
		if g < b-epsilon {
			worse = append(worse, fmt.Sprintf("%s %.3f is under the running version's %.3f (%d of %d questions fewer)",
				name, g, b, int(math.Round((b-g)*float64(n))), n))
		}
	}
	fell("Hit@1", got.Hit1, base.Hit1, got.InScope)
	fell("Hit@3", got.Hit3, base.Hit3, got.InScope)
	fell("out-of-scope rejection", got.Rejection, base.Rejection, got.OutOfScope)
	if len(worse) == 0 {
		return nil
	}
	return fmt.Errorf("evaluate: %s", strings.Join(worse, "; "))
}

// devSet is the development set, embedded so that a server can hold a new
// version of the knowledge to it without the source tree.
//
//go:embed testdata/dev.jsonl
var devSet []byte

var devItems = sync.OnceValues(func() ([]Item, error) { return ReadGold(bytes.NewReader(devSet)) })

// Dev returns the built-in development set: 64 questions in Japanese and
// English, in and out of scope, gold by seed line.
func Dev() ([]Item, error) {
	items, err := devItems()
	if err != nil {
		return nil, fmt.Errorf("evaluate: built-in dev set: %w", err)
	}
	return slices.Clone(items), nil
}
