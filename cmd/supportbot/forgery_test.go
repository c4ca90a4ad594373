package main

// Forgery and replay (issue 7, item 2), through the whole server:
// server.NewServer with the real LINE and Slack adapters (newChannels),
// the real bot and in-memory de-duplication, against one local stand-in for
// the LINE Messaging API, the Slack Web API and Slack's response_url.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/server"
	"github.com/supportbot/supportbot/internal/slack"
	"github.com/supportbot/supportbot/internal/work"
)

// otherSecret is a secret someone else holds: another channel's, or a
// guess.
const otherSecret = "a-secret-someone-else-holds"

// standIn records every call the adapters make: LINE's /v2/…, Slack's
// /api/… and response_url posts to /hooks/….
type standIn struct {
	srv   *httptest.Server
	mu    sync.Mutex
	calls []string // "path body"
}

func newStandIn(t *testing.T) *standIn {
	s := &standIn{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.calls = append(s.calls, r.URL.Path+" "+string(body))
		s.mu.Unlock()
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/"):
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"ok":true,"channel":"C0CHAN001","ts":"1761955201.000200"}`)
		case strings.HasPrefix(r.URL.Path, "/hooks/"):
			fmt.Fprint(w, "ok")
		default:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{}`)
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// count returns how many calls went to a path starting with prefix.
func (s *standIn) count(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (s *standIn) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// askingBot is the real bot, counting the questions that reach it.
type askingBot struct {
	bot.Answerer
	asked atomic.Int64
}

func (b *askingBot) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	b.asked.Add(1)
	return b.Answerer.Answer(ctx, q)
}

// platforms is a server with both channels configured.
type platforms struct {
	url  string
	api  *standIn
	bot  *askingBot
	pool *work.Pool
	reg  *prometheus.Registry
	logs *syncBuffer
}

// startPlatforms starts the server; wrap, if given, wraps the bot as
// serve's wiring does (the question log).
func startPlatforms(t *testing.T, wrap ...func(bot.Answerer) bot.Answerer) *platforms {
	t.Helper()
	p := &platforms{api: newStandIn(t), bot: &askingBot{Answerer: dialogtest.New(t)}, reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	m := metrics.New(p.reg)
	logger := server.NewLogger(p.logs, slog.LevelInfo)
	p.pool = work.New(4, 64, m)
	cfg := config{
		LINE:  line.Credentials{ChannelSecret: lineSecret, AccessToken: "line-access-token", APIBaseURL: p.api.srv.URL},
		Slack: slack.Credentials{SigningSecret: slackSecret, BotToken: "xoxb-test-token", APIURL: p.api.srv.URL + "/api/"},
	}
	var b bot.Answerer = p.bot
	for _, w := range wrap {
		b = w(b)
	}
	ch, err := newChannels(cfg, adapter.Deps{
		Bot: adapter.Measure(b, m), Dedupe: inmem.NewDeduper(10*time.Minute, nil), Pool: p.pool, Metrics: m, Logger: logger,
		HTTPClient: p.api.srv.Client(),
	})
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

// signLINE signs as LINE does: X-Line-Signature is the base64 HMAC-SHA256
// of the body. LINE signs no timestamp; replays are caught by the
// webhookEventId.
func signLINE(secret string, _ time.Time, body []byte) http.Header {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return http.Header{"X-Line-Signature": {base64.StdEncoding.EncodeToString(mac.Sum(nil))}}
}

// signSlack signs as Slack does: v0= hex HMAC-SHA256 of "v0:ts:body".
func signSlack(secret string, at time.Time, body []byte) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return http.Header{
		"X-Slack-Request-Timestamp": {ts},
		"X-Slack-Signature":         {"v0=" + hex.EncodeToString(mac.Sum(nil))},
	}
}

// endpoint is a platform route, how its requests are signed, a valid
// request for it and what a refused signature looks like.
type endpoint struct {
	platform, path, contentType string
	secret                      string
	sign                        func(secret string, at time.Time, body []byte) http.Header
	// body is a valid request; id makes its event or trigger id unique.
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
			body: func(_ *platforms, id string) []byte {
				return fmt.Appendf(nil, `{"destination":"Uf0e1d2c3b4a5968778695a4b3c2d1e0f","events":[{"replyToken":"reply-%s","type":"message",`+
					`"mode":"active","timestamp":%d,"source":{"type":"user","userId":"U4af4980629a0b1c2d3e4f5a6b7c8d9e0"},`+
					`"webhookEventId":"01JGQ6Z0TDDPYRVKNK77X%s","deliveryContext":{"isRedelivery":false},`+
					`"message":{"id":"444573844083572737","type":"text","quoteToken":"q","text":"中小企業向けの支援"}}]}`,
					id, time.Now().UnixMilli(), id)
			},
			refused: lineRefused, malformed: "malformed webhook\n",
		},
		{
			platform: "slack", path: "/slack/events", contentType: "application/json", secret: slackSecret, sign: signSlack,
			body: func(_ *platforms, id string) []byte {
				now := time.Now().Unix()
				return fmt.Appendf(nil, `{"token":"x","team_id":"T0TEAM001","api_app_id":"A0APP0001","type":"event_callback",`+
					`"event_id":"Ev0%s","event_time":%d,"event":{"type":"app_mention","user":"U0USER001",`+
					`"text":"<@U0BOT0001> security camp","ts":"%d.000100","channel":"C0CHAN001","event_ts":"%d.000100"},`+
					`"authorizations":[{"team_id":"T0TEAM001","user_id":"U0BOT0001","is_bot":true}]}`, id, now, now, now)
			},
			refused: slackRefused, malformed: "malformed request\n",
		},
		{
			platform: "slack", path: "/slack/commands", contentType: "application/x-www-form-urlencoded", secret: slackSecret, sign: signSlack,
			body: func(p *platforms, id string) []byte {
				return []byte(url.Values{
					"token": {"x"}, "team_id": {"T0TEAM001"}, "channel_id": {"C0CHAN001"}, "user_id": {"U0USER001"},
					"command": {"/support"}, "text": {"中小企業向けの支援"}, "api_app_id": {"A0APP0001"},
					"response_url": {p.api.srv.URL + "/hooks/commands/T0TEAM001/" + id},
					"trigger_id":   {"13345224609.738474920." + id},
				}.Encode())
			},
			refused: slackRefused, malformed: "malformed request\n",
		},
		{
			platform: "slack", path: "/slack/interactions", contentType: "application/x-www-form-urlencoded", secret: slackSecret, sign: signSlack,
			body: func(p *platforms, id string) []byte {
				payload := fmt.Sprintf(`{"type":"block_actions","team":{"id":"T0TEAM001"},"user":{"id":"U0USER002"},`+
					`"api_app_id":"A0APP0001","trigger_id":"12466734323.1395872398.%s","channel":{"id":"C0CHAN001"},`+
					`"container":{"type":"message","message_ts":"1761955201.000300","channel_id":"C0CHAN001","is_ephemeral":false},`+
					`"response_url":"%s/hooks/actions/T0TEAM001/%s","actions":[{"action_id":"sb-card-1-0","block_id":"b",`+
					`"type":"button","value":"sb1:details:sechack365","action_ts":"1761955210.123456"}]}`, id, p.api.srv.URL, id)
				return []byte("payload=" + url.QueryEscape(payload))
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
				h.Set("X-Line-Signature", base64.StdEncoding.EncodeToString(make([]byte, sha256.Size)))
			} else {
				h.Set("X-Slack-Signature", "v0="+strings.Repeat("0", 2*sha256.Size))
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
			h.Set("X-Slack-Request-Timestamp", strconv.FormatInt(now().Unix(), 10))
			return body, h
		}},
		{"timestamp not a number", true, "signature", func(ep endpoint, body []byte) ([]byte, http.Header) {
			h := ep.sign(ep.secret, now(), body)
			h.Set("X-Slack-Request-Timestamp", "yesterday")
			return body, h
		}},
		{"signature scheme v1", true, "signature", func(ep endpoint, body []byte) ([]byte, http.Header) {
			h := ep.sign(ep.secret, now(), body)
			h.Set("X-Slack-Signature", strings.Replace(h.Get("X-Slack-Signature"), "v0=", "v1=", 1))
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
	if calls := p.api.all(); len(calls) != 0 {
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
			replies := p.api.count("/v2/bot/message/reply") + p.api.count("/api/chat.postMessage") +
				p.api.count("/api/chat.postEphemeral") + p.api.count("/hooks/") + inBody
			if replies != 1 {
				t.Errorf("%d replies to %d copies of one request; want 1\ncalls: %q", replies, inTurn+atOnce, p.api.all())
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
