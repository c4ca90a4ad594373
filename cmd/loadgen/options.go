package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// options is the command line.
type options struct {
	server string   // binary to start as `serve`
	env    []string // extra KEY=VALUE for it
	logTo  string   // copy of its log

	target         string // a running server instead
	lineAPI        string // stand-in listen addresses (target mode)
	slackAPI       string
	sec            secrets
	metricsPath    string
	sch            schedule
	timeout        time.Duration
	grace          time.Duration
	redeliver      int
	redeliverAfter time.Duration
	faults         faults
	sampleEvery    time.Duration
	maxP99         time.Duration
	minThroughput  float64
	maxRefused     float64
	jsonOut        string
	verbose        bool
	cpuProfile     string
	tls            bool
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, " ") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

const usageText = `usage: loadgen (--server BINARY | --target URL --line-api ADDR --slack-api ADDR) [flags]

Sends signed LINE webhooks and Slack events to supportbot at --rate for
--duration, then checks that every accepted event got exactly one reply.

`

// parseOptions reads the flags. It returns nil options for -h.
func parseOptions(args []string, getenv func(string) string, stderr io.Writer) (*options, error) {
	fl := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var o options
	var env multi
	var faultShare float64
	fl.StringVar(&o.server, "server", "", "start this supportbot binary as `serve` on a free loopback port, its channels pointed at the stand-ins")
	fl.Var(&env, "env", "KEY=VALUE for the started server (repeatable), e.g. --env WORKERS=64")
	fl.StringVar(&o.logTo, "server-log", "", "copy the started server's log (JSON lines) to this file")
	fl.StringVar(&o.target, "target", "", "base URL of a running supportbot instead of --server")
	fl.StringVar(&o.lineAPI, "line-api", "", "with --target: address for the LINE API stand-in (the server's LINE_API_BASE_URL is http://ADDR)")
	fl.StringVar(&o.slackAPI, "slack-api", "", "with --target: address for the Slack API stand-in (the server's SLACK_API_URL is http://ADDR/api/)")
	fl.StringVar(&o.sec.lineSecret, "line-secret", getenv("LINE_CHANNEL_SECRET"), "with --target: LINE channel secret (default $LINE_CHANNEL_SECRET)")
	fl.StringVar(&o.sec.lineToken, "line-token", getenv("LINE_CHANNEL_ACCESS_TOKEN"), "with --target: LINE channel access token the server replies with (default $LINE_CHANNEL_ACCESS_TOKEN)")
	fl.StringVar(&o.sec.slackSecret, "slack-secret", getenv("SLACK_SIGNING_SECRET"), "with --target: Slack signing secret (default $SLACK_SIGNING_SECRET)")
	fl.StringVar(&o.sec.slackToken, "slack-token", getenv("SLACK_BOT_TOKEN"), "with --target: Slack bot token the server posts with (default $SLACK_BOT_TOKEN)")
	fl.StringVar(&o.metricsPath, "metrics", "/metrics", "path of the server's Prometheus metrics; empty: do not scrape")
	fl.Float64Var(&o.sch.rate, "rate", 200, "events per second, LINE and Slack together (open-loop)")
	fl.DurationVar(&o.sch.duration, "duration", 10*time.Second, "how long to send")
	fl.Float64Var(&o.sch.lineShare, "line-share", 0.5, "share of events from LINE; the rest from Slack")
	fl.IntVar(&o.sch.users, "users", 10000, "distinct synthetic users per platform")
	fl.IntVar(&o.sch.channels, "channels", 50, "Slack channels the users mention the bot in")
	fl.Float64Var(&o.sch.chatty, "chatty", 0, "share of events from one chatty user per platform (to check the per-user rate limit; pair with --env RATE_LIMIT=1)")
	fl.DurationVar(&o.timeout, "timeout", 10*time.Second, "give up on one webhook delivery after this long")
	fl.DurationVar(&o.grace, "grace", 75*time.Second, "after sending, wait at most this long for replies (ends early once every event is settled)")
	fl.IntVar(&o.redeliver, "redeliver", 0, "deliver an event refused with 503 (or unanswered) again up to this many times, as LINE (isRedelivery) and Slack (X-Slack-Retry-Num) do")
	fl.DurationVar(&o.redeliverAfter, "redeliver-after", time.Second, "wait before each redelivery")
	fl.Float64Var(&faultShare, "faults", 0, "share of platform API calls that fail transiently, half 429 and half 5xx (sets --fault-429 and --fault-5xx)")
	fl.Float64Var(&o.faults.RateLimit, "fault-429", 0, "share of API calls answered 429 with Retry-After")
	fl.Float64Var(&o.faults.ServerErr, "fault-5xx", 0, "share of API calls answered 500, 502 or 503")
	fl.Float64Var(&o.faults.Slow, "fault-slow", 0, "share of API calls answered after --slow-delay")
	fl.Float64Var(&o.faults.Drop, "fault-drop", 0, "share of API calls whose connection is closed without an answer")
	fl.DurationVar(&o.faults.RetryAfter, "retry-after", time.Second, "Retry-After of an injected 429 (whole seconds)")
	fl.DurationVar(&o.faults.SlowDelay, "slow-delay", 2*time.Second, "delay of a slow API call")
	fl.DurationVar(&o.sampleEvery, "sample", 10*time.Second, "sample the server's memory, goroutines and state every this long; 0: only before and after")
	fl.DurationVar(&o.maxP99, "max-p99", 0, "fail when the p99 acknowledgement latency is above this (0: no check)")
	fl.Float64Var(&o.minThroughput, "min-throughput", 0, "fail when fewer webhooks per second than this share of --rate were acknowledged (0: no check)")
	fl.Float64Var(&o.maxRefused, "max-refused", -1, "fail when more than this share of events is finally refused with 503 (-1: no check)")
	fl.StringVar(&o.jsonOut, "json", "", "also write the report as JSON to this file")
	fl.BoolVar(&o.verbose, "v", false, "log progress every second")
	fl.BoolVar(&o.tls, "tls", false, "with --server: the stand-ins speak HTTPS (HTTP/2 by ALPN, as the platforms' APIs do) with a certificate made for the run, which the started server trusts through SSL_CERT_FILE")
	fl.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the load generator itself to this file (it shares the machine with the server)")
	fl.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil
		}
		return nil, usageError{err.Error()}
	}
	if fl.NArg() > 0 {
		return nil, usageError{fmt.Sprintf("unexpected argument %q", fl.Arg(0))}
	}
	given := map[string]bool{}
	fl.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if given["faults"] {
		if given["fault-429"] || given["fault-5xx"] {
			return nil, usageError{"--faults sets --fault-429 and --fault-5xx; give one or the others"}
		}
		o.faults.RateLimit, o.faults.ServerErr = faultShare/2, faultShare/2
	}
	o.env = env

	var errs []string
	switch {
	case o.server == "" && o.target == "":
		errs = append(errs, "give --server BINARY (start one) or --target URL (load a running one)")
	case o.server != "" && o.target != "":
		errs = append(errs, "give --server or --target, not both")
	case o.target != "":
		if u, err := url.Parse(o.target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Sprintf("--target %q is not an http(s) URL", o.target))
		}
		o.target = strings.TrimSuffix(o.target, "/")
		if o.lineAPI == "" || o.slackAPI == "" {
			errs = append(errs, "--target needs --line-api and --slack-api: the addresses the server's LINE_API_BASE_URL and SLACK_API_URL point at")
		}
		for name, v := range map[string]string{"--line-secret": o.sec.lineSecret, "--line-token": o.sec.lineToken, "--slack-secret": o.sec.slackSecret, "--slack-token": o.sec.slackToken} {
			if v == "" {
				errs = append(errs, "--target needs "+name)
			}
		}
		if len(o.env) > 0 || o.logTo != "" || o.tls {
			errs = append(errs, "--env, --server-log and --tls apply to --server only")
		}
	case o.server != "":
		o.sec = secrets{lineSecret: randomHex(16), lineToken: randomHex(32), slackSecret: randomHex(16), slackToken: "xoxb-" + randomHex(16)}
		o.lineAPI, o.slackAPI = "127.0.0.1:0", "127.0.0.1:0"
	}
	for _, kv := range o.env {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			errs = append(errs, fmt.Sprintf("--env %q is not KEY=VALUE", kv))
		}
	}
	if o.sch.rate <= 0 || o.sch.duration <= 0 {
		errs = append(errs, "--rate and --duration must be positive")
	}
	if o.sch.lineShare < 0 || o.sch.lineShare > 1 {
		errs = append(errs, "--line-share must be between 0 and 1")
	}
	if o.sch.chatty < 0 || o.sch.chatty > 1 {
		errs = append(errs, "--chatty must be between 0 and 1")
	}
	if o.sch.users < 1 || o.sch.channels < 1 || o.sch.channels > 0xFFFF || o.sch.users > 0xFFFFFFF {
		errs = append(errs, "--users and --channels must be positive (channels at most 65535)")
	}
	if o.sch.total() > 50_000_000 {
		errs = append(errs, "--rate × --duration is more than 50 million events")
	}
	f := o.faults
	if f.Drop < 0 || f.RateLimit < 0 || f.ServerErr < 0 || f.Slow < 0 || f.Drop+f.RateLimit+f.ServerErr+f.Slow > 1 {
		errs = append(errs, "fault shares must be at least 0 and add up to at most 1")
	}
	if o.redeliver < 0 {
		errs = append(errs, "--redeliver must not be negative")
	}
	if len(errs) > 0 {
		return nil, usageError{strings.Join(errs, "\n")}
	}
	return &o, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
