// Command loadgen puts supportbot under load and checks that nothing is
// lost: it sends correctly signed LINE webhooks and Slack event callbacks
// at a set rate for a set time (open-loop: by the clock, never waiting for
// responses), with local stand-ins for the LINE Messaging API and the
// Slack Web API that record every reply and can misbehave on purpose
// (429 with Retry-After, 5xx, slow answers, dropped connections). Then it
// checks that every event the server accepted got exactly one reply, or
// was counted as failed in the server's /metrics, and reports throughput,
// acknowledgement latency and errors. It exits 1 when a check fails.
//
// It starts `supportbot serve` itself (--server, a built binary) with the
// channels pointed at its stand-ins, or loads a server already running
// (--target, secrets by flag) whose LINE_API_BASE_URL and SLACK_API_URL
// point at the stand-in addresses given by --line-api and --slack-api.
//
//	go build -o /tmp/supportbot ./cmd/supportbot
//	go run ./cmd/loadgen --server /tmp/supportbot --rate 2000 --duration 30s
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errChecksFailed) {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
		}
		os.Exit(exitCode(err))
	}
}

// errChecksFailed: the run completed and its report says what failed.
var errChecksFailed = errors.New("checks failed")

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

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	opts, err := parseOptions(args, getenv, stderr)
	if err != nil {
		return err
	}
	if opts == nil { // -h
		return nil
	}
	// The load generator keeps every event of the run; collecting garbage
	// less often leaves more of the shared machine to the server. (Set in
	// the process, not through GOGC, which the started server would
	// inherit.)
	if getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	if opts.cpuProfile != "" {
		f, err := os.Create(opts.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := loadTest(ctx, *opts, stderr)
	if err != nil {
		return err
	}
	rep.write(stdout)
	if opts.jsonOut != "" {
		if err := rep.writeJSON(opts.jsonOut); err != nil {
			return err
		}
	}
	if !rep.passed() {
		return errChecksFailed
	}
	return nil
}
