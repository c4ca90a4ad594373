// Command supportbot tells people in Japan which cybersecurity support
// programmes exist for them and what to do next. With no arguments it
// serves the web chat and every configured channel; subcommands ask
// questions from the shell, evaluate answers and check the knowledge base.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	// The zone of INSIGHTS_SCHEDULE (Asia/Tokyo by default) is read at
	// start-up; with the zone database in the binary (450 KB) that works
	// in any image, also one without /usr/share/zoneinfo.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errSilent) {
			fmt.Fprintln(os.Stderr, "supportbot:", err)
		}
		os.Exit(exitCode(err))
	}
}

// errSilent is returned when a command already reported its failure.
var errSilent = errors.New("failed")

// usageError marks a command-line mistake (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

const usage = `usage: supportbot [command] [flags]

commands:
  serve               serve the web chat and configured channels (the default)
  ask "question"      answer one question; ask --json answers JSON Lines from stdin
  chat                talk to the bot in the terminal
  eval FILE.jsonl     measure answers against a gold file
  insights            what the question log says: per day, unanswered, feedback, demand
  knowledge lint      validate the knowledge base against the seed
  knowledge export    print the initiatives as JSON Lines
  knowledge configmap print the knowledge directory as a Kubernetes ConfigMap

Run "supportbot COMMAND -h" for a command's flags.
`

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	env := &environment{ctx: ctx, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	switch cmd {
	case "serve":
		return runServe(env, args)
	case "ask":
		return runAsk(env, args)
	case "chat":
		return runChat(env, args)
	case "eval":
		return runEval(env, args)
	case "knowledge":
		return runKnowledge(env, args)
	case "insights":
		return runInsights(env, args)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// environment is what a subcommand may touch of the process.
type environment struct {
	ctx            context.Context
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}
