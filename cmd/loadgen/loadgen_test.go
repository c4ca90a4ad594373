package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
)

// TestQuestionsShared holds the load generator's questions to the copy
// the engine's and the adapters' load benchmarks ask
// (dialogtest.LoadQuestions), so that those measure the work this load
// makes.
func TestQuestionsShared(t *testing.T) {
	if !slices.Equal(questions, dialogtest.LoadQuestions) {
		t.Errorf("cmd/loadgen's questions differ from dialogtest.LoadQuestions:\n%q\n%q", questions, dialogtest.LoadQuestions)
	}
}

// buildServer builds cmd/supportbot into a temporary directory.
func buildServer(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goBin); err != nil {
			t.Skip("no go command to build supportbot with")
		}
	}
	bin := filepath.Join(t.TempDir(), "supportbot")
	cmd := exec.Command(goBin, "build", "-o", bin, "../supportbot")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestLoadgenAgainstServer runs the load generator as documented, briefly
// and at a low rate, against a freshly built server with every kind of
// fault injected, and checks its report: every accepted event answered
// exactly once or counted as failed, nothing refused, a clean shutdown.
// With --tls the stand-ins speak HTTPS and the server reaches them over
// HTTP/2, as it reaches the platforms, dropped calls being reset streams.
func TestLoadgenAgainstServer(t *testing.T) {
	bin := buildServer(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"http1", nil},
		{"tls", []string{"--tls"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, stdout := runLoadgen(t, bin, tc.args)
			if tc.name == "tls" && (rep.APICalls == 0 || rep.APICallsH2 != rep.APICalls) {
				t.Errorf("%d of %d API calls over HTTP/2; want all", rep.APICallsH2, rep.APICalls)
			}
			if tc.name == "http1" && rep.APICallsH2 != 0 {
				t.Errorf("%d API calls over HTTP/2 to plain HTTP stand-ins", rep.APICallsH2)
			}
			for _, line := range []string{"ack latency:", "replies:", "result:      PASS"} {
				if !strings.Contains(stdout, line) {
					t.Errorf("report lacks %q:\n%s", line, stdout)
				}
			}
		})
	}
}

// runLoadgen runs the load generator against bin with every kind of fault
// and extra args, checks what every run must hold and returns the report.
func runLoadgen(t *testing.T, bin string, extra []string) (*report, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.json")
	args := []string{
		"--server", bin, "--rate", "100", "--duration", "2s", "--sample", "1s", "--grace", "30s",
		"--fault-429", "0.05", "--fault-5xx", "0.05", "--fault-slow", "0.05", "--slow-delay", "100ms",
		"--fault-drop", "0.02", "--redeliver", "2", "--redeliver-after", "200ms", "--max-refused", "0",
		"--env", "SHUTDOWN_TIMEOUT=10s", "--json", out,
	}
	args = append(args, extra...)
	if testing.Short() {
		args = append(args, "--duration", "1s")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, args, func(string) string { return "" }, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run = %v\nreport:\n%s\nlog:\n%s", err, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("report JSON: %v", err)
	}
	want := 200
	if testing.Short() {
		want = 100
	}
	if rep.Events != want || rep.Accepted != want {
		t.Errorf("events %d, accepted %d; want %d each", rep.Events, rep.Accepted, want)
	}
	if rep.Answered+int(rep.FailedCounted) != rep.Accepted || rep.Duplicated != 0 || rep.Lost != 0 {
		t.Errorf("answered %d + failed %v of %d accepted, duplicated %d, lost %d; want all accounted for once",
			rep.Answered, rep.FailedCounted, rep.Accepted, rep.Duplicated, rep.Lost)
	}
	if rep.Injected["429"]+rep.Injected["5xx"] == 0 {
		t.Errorf("no faults injected in %d API calls", rep.APICalls)
	}
	if len(rep.Samples) < 3 || rep.GoroutinesBefore <= 0 {
		t.Errorf("%d samples, goroutines before %d; want samples of the server", len(rep.Samples), rep.GoroutinesBefore)
	}
	return &rep, stdout.String()
}

// TestLinksNoBot: the load generator builds and signs its requests with
// the LINE and Slack test kits, and neither they nor it link the bot — no
// engine, matcher, analysis, kagome or its dictionary — so it stays a
// light client of the server it loads.
func TestLinksNoBot(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list dependencies with")
	}
	out, err := exec.Command(goBin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	const mod = "github.com/supportbot/supportbot/"
	for _, kit := range []string{mod + "internal/line/linetest", mod + "internal/slack/slacktest"} {
		if !slices.Contains(deps, kit) {
			t.Errorf("loadgen does not use %s", kit)
		}
	}
	for _, dep := range deps {
		for _, banned := range []string{mod + "internal/dialog", mod + "internal/match", mod + "internal/analysis", "github.com/ikawaha"} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("loadgen links %s", dep)
			}
		}
	}
}

func TestIDsRoundTrip(t *testing.T) {
	d := ids{nonce: "0A1B2C3D", base: 1_761_955_200}
	for _, i := range []int{0, 1, 999_999, 1_000_000, 123_456_789} {
		if got, ok := d.lineIndex(d.lineReplyToken(i)); !ok || got != i {
			t.Errorf("lineIndex(lineReplyToken(%d)) = %d, %v", i, got, ok)
		}
		if got, ok := d.slackIndex(d.slackChannel(7), d.slackTS(i)); !ok || got != i {
			t.Errorf("slackIndex(slackTS(%d)) = %d, %v", i, got, ok)
		}
	}
	if len(d.lineReplyToken(5)) != 32 || len(d.lineUser(5)) != 33 {
		t.Errorf("LINE ids %q %q: want 32-character tokens and U+32 user ids", d.lineReplyToken(5), d.lineUser(5))
	}
	other := ids{nonce: "FFFFFFFF", base: d.base}
	if _, ok := other.lineIndex(d.lineReplyToken(5)); ok {
		t.Error("a token of another run was taken for this run's")
	}
	var body map[string]any
	if err := json.Unmarshal(d.slackBody(3, 4, 5, questions[1], time.Unix(d.base, 0)), &body); err != nil {
		t.Errorf("slackBody is not JSON: %v", err)
	}
	if err := json.Unmarshal(d.lineBody(3, 4, questions[0], true, time.Unix(d.base, 0)), &body); err != nil {
		t.Errorf("lineBody is not JSON: %v", err)
	}
}

func TestParseMetrics(t *testing.T) {
	text := `# HELP supportbot_outbound_failures_total Replies given up on.
# TYPE supportbot_outbound_failures_total counter
supportbot_outbound_failures_total{platform="line",reason="rate_limited"} 3
supportbot_outbound_failures_total{platform="slack",reason="server_error"} 2
go_goroutines 42
`
	s, err := parseMetrics(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.sum("supportbot_outbound_failures_total"); got != 5 {
		t.Errorf("sum = %v; want 5", got)
	}
	if got := s.sum("supportbot_outbound_failures_total", `platform="line"`); got != 3 {
		t.Errorf("sum(line) = %v; want 3", got)
	}
	if got := s.sum("go_goroutines"); got != 42 {
		t.Errorf("go_goroutines = %v; want 42", got)
	}
}

func TestOptionsRefuseMistakes(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--server", "x", "--target", "http://127.0.0.1:1"},
		{"--target", "http://127.0.0.1:1"},
		{"--server", "x", "--faults", "0.1", "--fault-429", "0.1"},
		{"--server", "x", "--fault-5xx", "0.9", "--fault-slow", "0.2"},
		{"--server", "x", "--env", "NOEQUALS"},
		{"--server", "x", "--rate", "0"},
		{"--target", "http://127.0.0.1:1", "--line-api", ":1", "--slack-api", ":2", "--line-secret", "a", "--line-token", "b", "--slack-secret", "c", "--slack-token", "d", "--tls"},
	} {
		_, err := parseOptions(args, func(string) string { return "" }, &bytes.Buffer{})
		if _, ok := err.(usageError); !ok {
			t.Errorf("parseOptions(%q) = %v; want a usage error", args, err)
		}
	}
}
