package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/evaluate"
)

// Check names the check that refused a version.
type Check string

// The checks, in the order they run.
const (
	CheckRead       Check = "read"       // the directory could not be read
	CheckLimits     Check = "limits"     // size, files, YAML nesting or aliases, questions
	CheckLint       Check = "lint"       // catalog.Lint found problems
	CheckBuild      Check = "build"      // the engine could not be built from it
	CheckRegression Check = "regression" // a regression file is malformed or scored under its floor
)

// refusal is why a version does not go live.
type refusal struct {
	check  Check
	reason string
}

func (r *refusal) Error() string { return fmt.Sprintf("%s: %s", r.check, r.reason) }

// DevFile names the built-in development set among the regression files.
const DevFile = "dev (built in)"

// EvalDir holds a knowledge directory's own regression files
// (eval/*.jsonl, the gold format of internal/evaluate).
const EvalDir = "eval"

// FileScore is how a version scored on one regression file.
type FileScore struct {
	File      string // DevFile or eval/NAME.jsonl
	Questions int
	Scores    evaluate.Scores
	// Floor is the rule the file holds a new version to.
	Floor string
}

// candidate is a version that passed every check.
type candidate struct {
	snap   *Snapshot
	cat    *catalog.Catalog
	k      *dialog.Knowledge
	scores []FileScore
	// cache keeps this version's scores by regression file content, so
	// that the next reload need not answer them again for it.
	cache map[string]evaluate.Scores
}

// goldFile is a regression file read from a snapshot.
type goldFile struct {
	name  string
	items []evaluate.Item
	hash  string // of its content: the cache key
}

// check runs every check on snap and returns the version ready to swap in,
// or a *refusal. running is the version answering now (nil at start-up,
// when only the absolute floors apply).
func check(ctx context.Context, snap *Snapshot, seeds fs.FS, lim Limits, running *candidate) (*candidate, error) {
	for _, name := range snap.Paths() {
		if ext := path.Ext(name); ext == ".yaml" || ext == ".yml" {
			if err := checkYAML(name, snap.files[name], lim); err != nil {
				return nil, &refusal{CheckLimits, err.Error()}
			}
		}
	}
	cat, err := catalog.Load(snap, seeds)
	if err != nil {
		var problems catalog.Problems
		if errors.As(err, &problems) {
			lines := make([]string, len(problems))
			for i, p := range problems {
				lines[i] = p.String()
			}
			return nil, &refusal{CheckLint, refusalLines(lines, 10)}
		}
		return nil, &refusal{CheckLint, err.Error()}
	}
	gold, err := readGold(snap, lim)
	if err != nil {
		return nil, err
	}
	k, err := dialog.NewKnowledge(cat)
	if err != nil {
		return nil, &refusal{CheckBuild, err.Error()}
	}
	c := &candidate{snap: snap, cat: cat, k: k, cache: map[string]evaluate.Scores{}}
	if err := c.score(ctx, gold, running); err != nil {
		return nil, err
	}
	return c, nil
}

// readGold reads the built-in development set and eval/*.jsonl.
func readGold(snap *Snapshot, lim Limits) ([]goldFile, error) {
	dev, err := evaluate.Dev()
	if err != nil {
		return nil, &refusal{CheckRegression, err.Error()}
	}
	files := []goldFile{{name: DevFile, items: dev}}
	names, _ := fs.Glob(snap, EvalDir+"/*.jsonl")
	questions := len(dev)
	for _, name := range names {
		data := snap.files[name]
		items, err := evaluate.ReadGold(bytes.NewReader(data))
		if err != nil {
			return nil, &refusal{CheckRegression, fmt.Sprintf("%s: %v", name, err)}
		}
		questions += len(items)
		if questions > lim.MaxQuestions {
			return nil, &refusal{CheckLimits, fmt.Sprintf("the regression files hold more than %d questions, the built-in set included", lim.MaxQuestions)}
		}
		sum := sha256.Sum256(data)
		files = append(files, goldFile{name: name, items: items, hash: hex.EncodeToString(sum[:])})
	}
	return files, nil
}

// score answers every regression file with the candidate and holds it to
// the floors: the development set to evaluate.DevFloor, every other file
// to the running version's scores on that same file (evaluate.NoWorse).
// Every file is scored, so a refusal names all that fell.
func (c *candidate) score(ctx context.Context, gold []goldFile, running *candidate) error {
	answer, err := dialog.New(dialog.Config{Knowledge: c.k})
	if err != nil {
		return &refusal{CheckBuild, err.Error()}
	}
	var fell []string
	for _, g := range gold {
		rep, err := evaluate.Run(ctx, answer, g.items)
		if err != nil {
			return err // only a cancelled ctx stops the engine
		}
		fsc := FileScore{File: g.name, Questions: len(g.items), Scores: rep.All}
		if g.name == DevFile {
			f := evaluate.DevFloor()
			fsc.Floor = fmt.Sprintf("Hit@1 ≥ %.2f, Hit@3 ≥ %.2f, out-of-scope rejection ≥ %.2f, false rejection ≤ %.2f", f.Hit1, f.Hit3, f.Rejection, f.FalseRejection)
			if err := f.Check(rep.All); err != nil {
				fell = append(fell, fmt.Sprintf("%s: %s", g.name, strings.TrimPrefix(err.Error(), "evaluate: ")))
			}
		} else {
			c.cache[g.hash] = rep.All
			fsc.Floor = "no worse than the running version on Hit@1, Hit@3 and out-of-scope rejection"
			if running != nil {
				base, err := running.scoresOn(ctx, g)
				if err != nil {
					return err
				}
				if err := evaluate.NoWorse(rep.All, base); err != nil {
					fell = append(fell, fmt.Sprintf("%s: %s", g.name, strings.TrimPrefix(err.Error(), "evaluate: ")))
				}
			}
		}
		c.scores = append(c.scores, fsc)
	}
	if len(fell) > 0 {
		return &refusal{CheckRegression, strings.Join(fell, "\n")}
	}
	return nil
}

// scoresOn returns the version's scores on a regression file: from the
// cache when it was scored on the same content before.
func (c *candidate) scoresOn(ctx context.Context, g goldFile) (evaluate.Scores, error) {
	if s, ok := c.cache[g.hash]; ok {
		return s, nil
	}
	answer, err := dialog.New(dialog.Config{Knowledge: c.k})
	if err != nil {
		return evaluate.Scores{}, err
	}
	rep, err := evaluate.Run(ctx, answer, g.items)
	if err != nil {
		return evaluate.Scores{}, err
	}
	c.cache[g.hash] = rep.All
	return rep.All, nil
}
