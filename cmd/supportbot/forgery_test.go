package main

// Forgery and replay (issue 7, item 2), through the whole server:
// server.NewServer with the real LINE and Slack adapters (newChannels),
// the real bot and in-memory de-duplication, against one local stand-in for
// the LINE Messaging API, the Slack Web API and Slack's response_url.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/inmem"
	"github.com/supportbot/supportbot/internal/line"
	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/server"
	"github.com/supportbot/supportbot/internal/slack"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
	"github.com/supportbot/supportbot/internal/work"
)

// otherSecret is a secret someone else holds: another channel's, or a
// guess.
const otherSecret = "a-secret-someone-else-holds"

// askingBot is the real bot, counting the questions that reach it.
type askingBot struct {
	bot.Answerer
	asked atomic.Int64
}

func (b *askingBot) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	b.asked.Add(1)
	return b.Answerer.Answer(ctx, q)
}

// platforms is a server with both channels configured, against the
// stand-ins for the LINE Messaging API and for the Slack Web API and
// response_url.
type platforms struct {
	url   string
	line  *linetest.API
	slack *slacktest.API
	bot   *askingBot
	pool  *work.Pool
	reg   *prometheus.Registry
	logs  *syncBuffer
}

// startPlatforms starts the server; wrap, if given, wraps the bot as
// serve's wiring does (the question log).
func startPlatforms(t *testing.T, wrap ...func(bot.Answerer) bot.Answerer) *platforms {
	t.Helper()
	p := &platforms{line: linetest.NewAPI(t), slack: slacktest.NewAPI(t), bot: &askingBot{Answerer: dialogtest.New(t)}, reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	m := metrics.New(p.reg)
	logger := server.NewLogger(p.logs, slog.LevelInfo)
	p.pool = work.New(4, 64, m)
	cfg := config{
		LINE:  line.Credentials{ChannelSecret: lineSecret, AccessToken: "line-access-token", APIBaseURL: p.line.URL()},
		Slack: slack.Credentials{SigningSecret: slackSecret, BotToken: "xoxb-test-token", APIURL: p.slack.APIURL()},
	}
	var b bot.Answerer = p.bot
	for _, w := range wrap {
		b = w(b)
	}
	ch, err := newChannels(cfg, adapter.Deps{
		Bot: adapter.Measure(b, m), Dedupe: inmem.NewDeduper(10*time.Minute, nil), Pool: p.pool, Metrics: m, Logger: logger,
		// One client for both adapters, as in serve; closing the LINE
		// stand-in closes its idle connections.
		HTTPClient: p.line.Client(),
	}, nil, nil, nil)
	if err != nil {
		t.Fatalf("newChannels: %v", err)
	}
	srv := httptest.NewServer(server.NewServer(server.Deps{
		Logger: logger, Metrics: m, Gatherer: p.reg, Handlers: ch.handlers,
	}))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	t.Cleanup(func() { p.drain(t) })
	return p
}

// drain waits for every queued answer and reply: after it the stand-in
// has seen every call the requests so far caused.
func (p *platforms) drain(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := p.pool.Shutdown(ctx); err != nil {
		t.Errorf("pool shutdown: %v", err)
	}
}

// calls lists the paths of every call the adapters made to either
// platform.
func (p *platforms) calls() []string {
	out := linetest.Paths(p.line.All())
	for _, c := range p.slack.All() {
		out = append(out, c.Path)
	}
	return out
}

// counter sums the series of a counter whose labels include labels.
func (p *platforms) counter(t *testing.T, name string, labels map[string]string) float64 {
	t.Helper()
	n, err := metrics.Sum(p.reg, name, labels)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// response is what a client saw.
type response struct {
	status int
	body   string
}

func (p *platforms) post(t *testing.T, path, contentType string, body []byte, h http.Header) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, string(b)}
}

// signLINE signs as LINE does. LINE signs no timestamp; replays are
// caught by the webhookEventId.
func signLINE(secret string, _ time.Time, body []byte) http.Header {
	h := http.Header{}
	linetest.Sign(h, secret, body)
	return h
}

// signSlack signs as Slack does, at at.
func signSlack(secret string, at time.Time, body []byte) http.Header {
	h := http.Header{}
	slacktest.Sign(h, secret, at, body)
	return h
}

// endpoint is a platform route, how its requests are signed, a valid
// request for it and what a refused signature looks like.
type endpoint struct {
	platform, path, contentType string
	secret                      string
	sign                        func(secret string, at time.Time, body []byte) http.Header
	// body is a valid request, its event or trigger id unique; id names
	// its response_url.
	body func(p *platforms, id string) []byte
	// refused is the status and body of a signature refusal; malformed is
	// the body of a parse error (a signed request that is not a webhook).
	refused   response
	malformed string
}

func endpoints() []endpoint {
	lineRefused := response{http.StatusBadRequest, "bad signature\n"}
	slackRefused := response{http.StatusUnauthorized, "invalid request signature\n"}
	return []endpoint{
		{
			platform: "line", path: "/line/webhook", contentType: "application/json", secret: lineSecret, sign: signLINE,
			body: func(*platforms, string) []byte {
				return linetest.Body(linetest.Text(linetest.UserID, "中小企業向けの支援"))
			},
			refused: lineRefused, malformed: "malformed webhook\n",
		},
		{
			platform: "slack", path: "/slack/events", contentType: "application/json", secret: slackSecret, sign: signSlack,
			body: func(*platforms, string) []byte {
				return slacktest.Mention(slacktest.ChannelID, slacktest.UserID, "security camp").Body()
			},
			refused: slackRefused, malformed: "malformed request\n",
		},
		{
			platform: "slack", path: "/slack/commands", contentType: "application/x-www-form-urlencoded", secret: slackSecret, sign: signSlack,
			body: func(p *platforms, id string) []byte {
				return slacktest.SlashCommand("/support", "中小企業向けの支援", p.slack.ResponseURL(id)).Body()
			},
			refused: slackRefused, malformed: "malformed request\n",
		},
		{
			platform: "slack", path: "/slack/interactions", contentType: "application/x-www-form-urlencoded", secret: slackSecret, sign: signSlack,
			body: func(p *platforms, id string) []byte {
				return slacktest.Click(slacktest.UserID, "sb-card-1-0", "sb1:details:sechack365", p.slack.ResponseURL(id)).Body()
			},
			refused: slackRefused, malformed: "malformed request\n",
		},
	}
}

// forgery turns a valid request into a forged one.
type forgery struct {
	name      string
	slackOnly bool
	reason    string // the rejected counter's reason
	forge     func(ep endpoint, body []byte) ([]byte, http.Header)
}

func forgeries() []forgery {
	now := time.Now
	return []forgery{
		{"unsigned", false, "signature", func(_ endpoint, body []byte) ([]byte, http.Header) {
			return body, http.Header{}
		}},
		{"signature of zeros", false, "signature", func(ep endpoint, body []byte) ([]byte, http.Header) {
			h := ep.sign(ep.secret, now(), body)
			if ep.platform == "line" {
				h.Set(linetest.SignatureHeader, base64.StdEncoding.EncodeToString(make([]byte, sha256.Size)))
			} else {
				h.Set(slacktest.SignatureHeader, "v0="+strings.Repeat("0", 2*sha256.Size))
			}
			return body, h
		}},
		{"signature not encoded", false, "signature", func(ep endpoint, body []byte) ([]byte, http.Header) {
			h := ep.sign(ep.secret, now(), body)
			for k := range h {
				if strings.HasSuffix(k, "Signature") {
					h.Set(k, "%%not base64 or hex%%")
				}
			}
			return body, h
		}},
		{"signed with another secret", false, "signature", func(ep endpoint, body []byte) ([]byte, http.Header) {
			return body, ep.sign(otherSecret, now(), body)
		}},
		{"body changed after signing", false, "signature", func(ep endpoint, body []byte) ([]byte, http.Header) {
			return append(bytes.Clone(body), ' '), ep.sign(ep.secret, now(), body)
		}},
		{"signature of another request", false, "signature", func(ep endpoint, body []byte) ([]byte, http.Header) {
			return body, ep.sign(ep.secret, now(), []byte(`{"events":[]}`))
		}},
		{"stale: signed 5 min 1 s ago", true, "stale", func(ep endpoint, body []byte) ([]byte, http.Header) {
			return body, ep.sign(ep.secret, now().Add(-5*time.Minute-time.Second), body)
		}},
		{"stale: signed a day ago", true, "stale", func(ep endpoint, body []byte) ([]byte, http.Header) {
			return body, ep.sign(ep.secret, now().Add(-24*time.Hour), body)
		}},
		{"future: signed 5 min 1 s ahead", true, "stale", func(ep endpoint, body []byte) ([]byte, http.Header) {
			return body, ep.sign(ep.secret, now().Add(5*time.Minute+time.Second), body)
		}},
		{"stale signature with a fresh timestamp", true, "signature", func(ep endpoint, body []byte) ([]byte, http.Header) {
			h := ep.sign(ep.secret, now().Add(-time.Hour), body)
			h.Set(slacktest.TimestampHeader, strconv.FormatInt(now().Unix(), 10))
			return body, h
		}},
		{"timestamp not a number", true, "signature", func(ep endpoint, body []byte) ([]byte, http.Header) {
			h := ep.sign(ep.secret, now(), body)
			h.Set(slacktest.TimestampHeader, "yesterday")
			return body, h
		}},
		{"signature scheme v1", true, "signature", func(ep endpoint, body []byte) ([]byte, http.Header) {
			h := ep.sign(ep.secret, now(), body)
			h.Set(slacktest.SignatureHeader, strings.Replace(h.Get(slacktest.SignatureHeader), "v0=", "v1=", 1))
			return body, h
		}},
	}
}

// notJSON is a body no parser accepts: a forged request carrying it must
// get the signature error, proving nothing was parsed first.
var notJSON = []byte("\x00this is {not JSON, nor a form: %zz\xff")

// TestForgedRequestsAreRefusedBeforeParsing sends every forgery to every
// platform endpoint, each with a valid payload and with a body that is not
// even JSON. Every one gets the signature refusal (never a parse error),
// is counted, reaches neither the bot nor the platform API, and leaves no
// log line but the access line.
func TestForgedRequestsAreRefusedBeforeParsing(t *testing.T) {
	p := startPlatforms(t)
	want := map[string]float64{} // platform/reason → refusals
	n := 0
	for _, ep := range endpoints() {
		for _, fg := range forgeries() {
			if fg.slackOnly && ep.platform != "slack" {
				continue
			}
			for _, payload := range []struct {
				name string
				body []byte
			}{{"valid payload", ep.body(p, fmt.Sprint("F", n))}, {"not JSON", notJSON}} {
				n++
				t.Run(ep.path+"/"+fg.name+"/"+payload.name, func(t *testing.T) {
					body, h := fg.forge(ep, payload.body)
					got := p.post(t, ep.path, ep.contentType, body, h)
					if got != ep.refused {
						t.Errorf("POST %s = %d %q; want %d %q", ep.path, got.status, got.body, ep.refused.status, ep.refused.body)
					}
					want[ep.platform+"/"+fg.reason]++
				})
			}
		}
	}
	p.drain(t)
	if calls := p.calls(); len(calls) != 0 {
		t.Errorf("forged requests reached the platform API: %q", calls)
	}
	if asked := p.bot.asked.Load(); asked != 0 {
		t.Errorf("forged requests reached the bot: %d questions", asked)
	}
	for key, n := range want {
		platform, reason, _ := strings.Cut(key, "/")
		if got := p.counter(t, "supportbot_webhook_rejected_total", map[string]string{"platform": platform, "reason": reason}); got != n {
			t.Errorf("rejected{platform=%q,reason=%q} = %v; want %v", platform, reason, got, n)
		}
	}
	if got := p.counter(t, "supportbot_webhook_rejected_total", map[string]string{"reason": "malformed"}); got != 0 {
		t.Errorf("rejected{reason=malformed} = %v; want 0: a forged body was parsed", got)
	}
	var logged []map[string]any
	for _, l := range p.logs.lines(t) {
		if l["msg"] != "request" {
			logged = append(logged, l)
		}
	}
	if len(logged) > 0 {
		t.Errorf("%d forged requests logged lines such as %v; want only the access line (the counter says the rest)", len(logged), logged[0])
	}
	if s := p.logs.String(); strings.Contains(s, "中小企業") || strings.Contains(s, "not JSON") || strings.Contains(s, "security camp") {
		t.Errorf("the log shows a forged body:\n%s", s)
	}
}

// TestSignedGarbageIsAParseError is the control of the test above: the
// same bodies correctly signed get past the signature and fail to parse,
// so the refusals above came from the signature check, before parsing.
func TestSignedGarbageIsAParseError(t *testing.T) {
	p := startPlatforms(t)
	for _, ep := range endpoints() {
		got := p.post(t, ep.path, ep.contentType, notJSON, ep.sign(ep.secret, time.Now(), notJSON))
		if got.status != http.StatusBadRequest || got.body != ep.malformed {
			t.Errorf("POST %s signed garbage = %d %q; want 400 %q", ep.path, got.status, got.body, ep.malformed)
		}
	}
}

// TestReplayedRequestsAreAnsweredOnce sends one valid, signed request to
// each endpoint again and again with the same body and headers — in turn,
// then many at once — as a replaying attacker or a platform redelivering
// would. Each is acknowledged, and the bot answers exactly once.
func TestReplayedRequestsAreAnsweredOnce(t *testing.T) {
	const inTurn, atOnce = 3, 12
	for _, ep := range endpoints() {
		t.Run(ep.path, func(t *testing.T) {
			p := startPlatforms(t)
			body := ep.body(p, "R1")
			h := ep.sign(ep.secret, time.Now(), body)
			var mu sync.Mutex
			var got []response
			send := func() {
				r := p.post(t, ep.path, ep.contentType, body, h)
				mu.Lock()
				got = append(got, r)
				mu.Unlock()
			}
			for range inTurn {
				send()
			}
			var wg sync.WaitGroup
			for range atOnce {
				wg.Go(send)
			}
			wg.Wait()
			p.drain(t)

			inBody := 0 // slash commands answer in the response body when quick
			for _, r := range got {
				if r.status != http.StatusOK {
					t.Errorf("replay answered %d %q; want 200 (acknowledged, not answered again)", r.status, r.body)
				}
				if strings.Contains(r.body, "blocks") {
					inBody++
				}
			}
			replies := p.line.Count(linetest.PathReply) + p.slack.Count("chat.postMessage") +
				p.slack.Count("chat.postEphemeral") + p.slack.Count(slacktest.OpResponseURL) + inBody
			if replies != 1 {
				t.Errorf("%d replies to %d copies of one request; want 1\ncalls: %q", replies, inTurn+atOnce, p.calls())
			}
			if asked := p.bot.asked.Load(); asked != 1 {
				t.Errorf("the bot was asked %d times; want 1", asked)
			}
		})
	}
}

// TestSignaturesComparedInConstantTime: the adapters check signatures
// only through the SDKs' helpers, and those compare MACs in constant time:
//
//   - LINE: webhook.ValidateSignature (line-bot-sdk-go/v8
//     linebot/webhook/parse.go) ends "return hmac.Equal(decoded,
//     hash.Sum(nil))"; internal/line/handler.go calls it.
//   - Slack: (*slack.SecretsVerifier).Ensure (slack-go security.go)
//     compares "hmac.Equal(computed, v.signature)"; internal/slack/verify.go
//     calls slack.NewSecretsVerifier and Ensure.
//
// The test reads those functions in the module versions go.mod selects,
// so an SDK upgrade that changed the comparison, or an adapter that
// started checking signatures itself, fails here.
func TestSignaturesComparedInConstantTime(t *testing.T) {
	dirs := packageDirs(t,
		"github.com/line/line-bot-sdk-go/v8/linebot/webhook",
		"github.com/slack-go/slack",
		"github.com/supportbot/supportbot/internal/line",
		"github.com/supportbot/supportbot/internal/slack",
	)
	constantTime := func(call string) bool { return call == "hmac.Equal" || call == "subtle.ConstantTimeCompare" }
	for _, sdk := range []struct{ dir, recv, fn string }{
		{dirs[0], "", "ValidateSignature"},
		{dirs[1], "SecretsVerifier", "Ensure"},
	} {
		calls, ok := callsIn(t, sdk.dir, sdk.recv, sdk.fn)
		if !ok {
			t.Errorf("%s: no func %s.%s", sdk.dir, sdk.recv, sdk.fn)
			continue
		}
		if !slices.ContainsFunc(calls, constantTime) {
			t.Errorf("%s.%s in %s calls %v; want hmac.Equal or subtle.ConstantTimeCompare", sdk.recv, sdk.fn, sdk.dir, calls)
		}
	}
	for _, adapter := range []struct {
		dir  string
		want []string
	}{
		{dirs[2], []string{"webhook.ValidateSignature"}},
		{dirs[3], []string{"slackapi.NewSecretsVerifier", "sv.Ensure"}},
	} {
		calls, imports := packageCalls(t, adapter.dir)
		for _, w := range adapter.want {
			if !slices.Contains(calls, w) {
				t.Errorf("%s does not call %s", adapter.dir, w)
			}
		}
		for _, imp := range []string{"crypto/hmac", "crypto/subtle"} {
			if imports[imp] {
				t.Errorf("%s imports %s: signatures must be checked by the SDK's constant-time helper only", adapter.dir, imp)
			}
		}
	}
}

// packageDirs returns the source directories of packages, as the go
// command resolves them for this module.
func packageDirs(t *testing.T, pkgs ...string) []string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to locate the SDK sources")
	}
	out, err := exec.Command(goCmd, append([]string{"list", "-f", "{{.Dir}}"}, pkgs...)...).Output()
	if err != nil {
		t.Fatalf("go list %v: %v", pkgs, err)
	}
	dirs := strings.Fields(string(out))
	if len(dirs) != len(pkgs) {
		t.Fatalf("go list %v = %q", pkgs, dirs)
	}
	return dirs
}

// parseDir parses the non-test Go files of dir.
func parseDir(t *testing.T, dir string) []*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	fset := token.NewFileSet()
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// callsIn returns the calls ("pkg.Func" or "x.Method") made in the body of
// func fn (a method of recv when recv is set) in dir.
func callsIn(t *testing.T, dir, recv, fn string) ([]string, bool) {
	t.Helper()
	for _, f := range parseDir(t, dir) {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Name.Name != fn || fd.Body == nil || (recv != "") != (fd.Recv != nil) {
				continue
			}
			if recv != "" && !strings.Contains(typeName(fd.Recv.List[0].Type), recv) {
				continue
			}
			return calls(fd.Body), true
		}
	}
	return nil, false
}

// packageCalls returns every selector call made in dir, and its imports.
func packageCalls(t *testing.T, dir string) ([]string, map[string]bool) {
	t.Helper()
	var out []string
	imports := map[string]bool{}
	for _, f := range parseDir(t, dir) {
		out = append(out, calls(f)...)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			imports[path] = true
		}
	}
	return out, imports
}

func calls(n ast.Node) []string {
	var out []string
	ast.Inspect(n, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok {
					out = append(out, x.Name+"."+sel.Sel.Name)
				}
			}
		}
		return true
	})
	return out
}

func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return typeName(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}
