package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/supportbot/supportbot/internal/evaluate"
)

func runEval(env *environment, args []string) error {
	fl := flag.NewFlagSet("eval", flag.ContinueOnError)
	fl.SetOutput(env.stderr)
	dir := knowledgeFlag(fl, env)
	summary := fl.Bool("summary", false, "print the figures only (per language and per class), not the misses: for held-back files")
	if err := fl.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fl.NArg() != 1 {
		return usageError{"eval: want one gold file, e.g. supportbot eval ../shared/eval/dev.jsonl"}
	}
	f, err := os.Open(fl.Arg(0))
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	gold, err := evaluate.ReadGold(f)
	if err != nil {
		return fmt.Errorf("eval: %s: %w", fl.Arg(0), err)
	}
	b, err := newEngine(*dir, nil)
	if err != nil {
		return err
	}
	rep, err := evaluate.Run(env.ctx, b, gold)
	if err != nil {
		return err
	}
	if *summary {
		rep.WriteScores(env.stdout)
	} else {
		rep.Write(env.stdout)
	}
	return nil
}
