package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/redis/redistest"
)

// syncBuffer collects a process's output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// lines decodes the JSON log lines written so far.
func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// fakeEnv is a getenv over a map. KNOWLEDGE_DIR passes through from the
// real environment so a corrected knowledge base can be tested.
func fakeEnv(vars map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		if k == "KNOWLEDGE_DIR" {
			return os.Getenv(k)
		}
		return ""
	}
}

// instance is a `supportbot` started through run.
type instance struct {
	URL    string
	stderr *syncBuffer
	stop   context.CancelFunc
	done   chan error
}

// startRun starts run with args and env on a port the kernel picks, and
// waits for its "ready" log line (which names the address) and /healthz.
// A port picked beforehand could be taken by a parallel test between the
// pick and the bind, and /healthz would then answer from the wrong server.
func startRun(t *testing.T, args []string, vars map[string]string) *instance {
	t.Helper()
	env := map[string]string{"PORT": "0", "SHUTDOWN_TIMEOUT": "10s", "DATA_DIR": t.TempDir()}
	for k, v := range vars {
		env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{stderr: &syncBuffer{}, stop: cancel, done: make(chan error, 1)}
	go func() { in.done <- run(ctx, args, fakeEnv(env), strings.NewReader(""), io.Discard, in.stderr) }()
	t.Cleanup(func() { cancel(); <-in.done })
	deadline := time.Now().Add(30 * time.Second)
	for {
		if in.URL == "" {
			in.URL = readyURL(in.stderr.String())
		}
		if in.URL != "" {
			res, err := http.Get(in.URL + "/healthz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					return in
				}
			}
		}
		select {
		case err := <-in.done:
			in.done <- err
			t.Fatalf("run returned before serving: %v\n%s", err, in.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready within 30s\n%s", in.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readyURL is the url of the "ready" line in a JSON or text log, or "".
func readyURL(logs string) string {
	for _, l := range strings.Split(logs, "\n") {
		var m struct{ Msg, URL string }
		if json.Unmarshal([]byte(l), &m) == nil && m.Msg == "ready" {
			return m.URL
		}
		if strings.Contains(l, " msg=ready ") {
			for _, f := range strings.Fields(l) {
				if u, ok := strings.CutPrefix(f, "url="); ok {
					return u
				}
			}
		}
	}
	return ""
}

// shutdown cancels run's context (SIGTERM) and returns its result.
func (in *instance) shutdown(t *testing.T) error {
	t.Helper()
	in.stop()
	select {
	case err := <-in.done:
		in.done <- err // for Cleanup
		return err
	case <-time.After(15 * time.Second):
		t.Fatalf("run did not return after shutdown\n%s", in.stderr)
		return nil
	}
}

type chatReply struct {
	Session string `json:"session"`
	Answer  struct {
		Kind   string `json:"kind"`
		Offset int    `json:"offset"`
		Total  int    `json:"total"`
		Cards  []struct {
			ID string `json:"id"`
		} `json:"cards"`
	} `json:"answer"`
	Error string `json:"error"`
}

func (in *instance) chat(t *testing.T, body string) (int, chatReply) {
	t.Helper()
	res, err := http.Post(in.URL+"/api/chat", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r chatReply
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("POST /api/chat: %v", err)
	}
	return res.StatusCode, r
}

// TestServe runs the program as `go run ./cmd/supportbot` would, with
// nothing configured.
func TestServe(t *testing.T) {
	in := startRun(t, nil, nil)
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/"} {
		res, err := http.Get(in.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("GET %s = %d; want 200", path, res.StatusCode)
		}
	}
	code, r := in.chat(t, `{"text":"中小企業向けの支援"}`)
	// 「中小企業向けの支援」 names a whole category: its programmes are listed.
	if code != 200 || r.Session == "" || len(r.Answer.Cards) == 0 || r.Answer.Total <= len(r.Answer.Cards) {
		t.Fatalf("POST /api/chat = %d %+v; want programme cards and a session", code, r)
	}
	code, more := in.chat(t, `{"session":"`+r.Session+`","action":{"kind":"more"}}`)
	if code != 200 || more.Answer.Offset != len(r.Answer.Cards) {
		t.Errorf("more = %d offset %d; want the next page", code, more.Answer.Offset)
	}
	if err := in.shutdown(t); err != nil {
		t.Errorf("run after shutdown = %v; want nil\n%s", err, in.stderr)
	}
	logs := in.stderr.String()
	for _, want := range []string{`"msg":"ready"`, `"msg":"shut down"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("log line is not JSON: %s", line)
		}
	}
}

func TestServeRefusesHalfConfiguredChannels(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"LINE secret only", map[string]string{"LINE_CHANNEL_SECRET": "s3cret-line"},
			"LINE is half configured: LINE_CHANNEL_SECRET is set but LINE_CHANNEL_ACCESS_TOKEN is not"},
		{"LINE token only", map[string]string{"LINE_CHANNEL_ACCESS_TOKEN": "t0ken-line"},
			"LINE is half configured: LINE_CHANNEL_ACCESS_TOKEN is set but LINE_CHANNEL_SECRET is not"},
		{"Slack secret only", map[string]string{"SLACK_SIGNING_SECRET": "s3cret-slack"},
			"Slack is half configured: SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not"},
		{"Slack app token only", map[string]string{"SLACK_APP_TOKEN": "xapp-t0ken"},
			"Slack is half configured: SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not"},
		{"Slack bot token only", map[string]string{"SLACK_BOT_TOKEN": "xoxb-t0ken"},
			"SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is not"},
		{"bad duration", map[string]string{"SHUTDOWN_TIMEOUT": "soon"},
			`SHUTDOWN_TIMEOUT: "soon" is not a positive duration`},
		{"bad port", map[string]string{"PORT": "http"}, `PORT: "http" is neither a port nor host:port`},
		{"bad Redis URL", map[string]string{"REDIS_URL": "redis://:hunter2@host:port:x"}, "REDIS_URL is not a valid URL"},
		{"short admin token", map[string]string{"ADMIN_TOKEN": "t0ken-short"}, "ADMIN_TOKEN: shorter than 16 characters"},
		{"bad knowledge poll", map[string]string{"KNOWLEDGE_POLL": "often"}, `KNOWLEDGE_POLL: "often" is not a positive duration`},
		{"handoff channel by name", map[string]string{"SLACK_HANDOFF_CHANNEL": "#support"}, `SLACK_HANDOFF_CHANNEL: "#support" is not a channel id`},
		{"handoff without Slack", map[string]string{"SLACK_HANDOFF_CHANNEL": "C0HANDOFF"}, "SLACK_HANDOFF_CHANNEL is set but Slack is not"},
		{"bad handoff hours", map[string]string{"HANDOFF_HOURS": "Mon-Fri 9 to 5"}, `HANDOFF_HOURS: handoff: hours`},
		{"bad holiday", map[string]string{"HANDOFF_HOLIDAYS": "2026-12-32"}, `handoff: holiday "2026-12-32"`},
		{"bad reminder", map[string]string{"HANDOFF_REMIND": "often"}, `HANDOFF_REMIND: "often" is not a positive duration`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr syncBuffer
			err := run(context.Background(), []string{"serve"}, fakeEnv(tt.env), nil, io.Discard, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run = %v; want an error containing %q", err, tt.want)
			}
			for _, v := range tt.env {
				if strings.Contains(v, "t0ken") || strings.Contains(v, "s3cret") || strings.Contains(v, "hunter2") {
					if strings.Contains(err.Error()+stderr.String(), v) {
						t.Errorf("the secret %q appears in the error or log", v)
					}
				}
			}
		})
	}
}

func TestConfigPrecedence(t *testing.T) {
	env := &environment{ctx: context.Background(), stderr: io.Discard, getenv: fakeEnv(map[string]string{
		"PORT": "9000", "STATE_TTL": "5m", "LOG_LEVEL": "debug",
	})}
	c, err := loadConfig(env, "serve", []string{"--state-ttl=1h"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9000" || c.StateTTL != time.Hour || c.LogLevel.String() != "DEBUG" || c.Workers != 2*runtime.GOMAXPROCS(0) {
		t.Errorf("config = addr %q, state TTL %v, log level %v, workers %d; want :9000 (env), 1h (flag), DEBUG (env), %d (default: auto)",
			c.Addr, c.StateTTL, c.LogLevel, c.Workers, 2*runtime.GOMAXPROCS(0))
	}
	c, err = loadConfig(env, "serve", []string{"--addr", "127.0.0.1:0"})
	if err != nil || c.Addr != "127.0.0.1:0" {
		t.Errorf("--addr: %q, %v; want 127.0.0.1:0", c.Addr, err)
	}
	if _, err := loadConfig(env, "serve", []string{"--nope"}); !errors.As(err, new(usageError)) {
		t.Errorf("unknown flag: %v; want a usage error", err)
	}
}

// TestServeShutdownDuringBurst: SIGTERM while clients keep asking loses
// no reply the server started: every request the server logged as
// answered reached its client, none failed with a 5xx, and run returns nil.
func TestServeShutdownDuringBurst(t *testing.T) {
	in := startRun(t, []string{"serve"}, map[string]string{"RATE_LIMIT": "100000", "RATE_BURST": "100000"})
	var ok, failed, bad atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range 32 {
		wg.Go(func() {
			session := fmt.Sprintf("burstsession%08d", i)
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				q := []string{"中小企業向けの支援", "子どものスマホが心配", "CTFに参加したい", "もっと"}[n%4]
				res, err := client.Post(in.URL+"/api/chat", "application/json",
					strings.NewReader(`{"session":"`+session+`","text":"`+q+`"}`))
				if err != nil {
					failed.Add(1) // refused: the server no longer accepts
					return
				}
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || err != nil || !json.Valid(body) {
					bad.Add(1)
					t.Errorf("reply %d %v: %.100s", res.StatusCode, err, body)
					return
				}
				ok.Add(1)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	if err := in.shutdown(t); err != nil {
		t.Errorf("run = %v; want nil after a graceful shutdown", err)
	}
	close(stop)
	wg.Wait()
	served := strings.Count(in.stderr.String(), `"route":"POST /api/chat","status":200`)
	t.Logf("%d replies delivered, %d served, %d clients refused after shutdown", ok.Load(), served, failed.Load())
	if ok.Load() == 0 {
		t.Fatal("no reply before shutdown; the burst did not run")
	}
	if int64(served) != ok.Load() {
		t.Errorf("server answered %d requests but clients received %d: replies lost", served, ok.Load())
	}
}

// TestServeReplicasShareRedis: two serve processes on one Redis continue
// each other's web conversations.
func TestServeReplicasShareRedis(t *testing.T) {
	url := startRedis(t)
	env := map[string]string{"REDIS_URL": url}
	a := startRun(t, []string{"serve"}, env)
	b := startRun(t, []string{"serve"}, env)
	for _, in := range []*instance{a, b} {
		res, err := http.Get(in.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), `"redis":"ok"`) {
			t.Errorf("GET /readyz = %d %s; want ready with redis ok", res.StatusCode, body)
		}
	}
	_, first := a.chat(t, `{"text":"中小企業向けの支援"}`)
	_, more := b.chat(t, `{"session":"`+first.Session+`","action":{"kind":"more"}}`)
	if more.Answer.Offset != len(first.Answer.Cards) || len(more.Answer.Cards) == 0 {
		t.Errorf("replica B's more: offset %d with %d cards; want the page after A's %d cards", more.Answer.Offset, len(more.Answer.Cards), len(first.Answer.Cards))
	}
}

// startRedis is a redis-server of the test's own, REDIS_URL's, or a skip.
func startRedis(t *testing.T) string { return redistest.Start(t).URL }
