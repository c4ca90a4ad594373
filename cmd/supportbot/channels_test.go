package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// platformStandIn records what the LINE and Slack APIs would receive.
type platformStandIn struct {
	srv   *httptest.Server
	mu    sync.Mutex
	calls []string // "path body"
}

func newPlatformStandIn(t *testing.T) *platformStandIn {
	p := &platformStandIn{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		p.calls = append(p.calls, r.URL.Path+" "+string(body))
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.HasPrefix(r.URL.Path, "/api/") { // Slack
			fmt.Fprint(w, `{"ok":true,"channel":"C0CHAN001","ts":"1761955201.000200"}`)
			return
		}
		fmt.Fprint(w, `{}`)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// count returns how many calls went to path with a body containing sub.
func (p *platformStandIn) count(path, sub string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, c := range p.calls {
		if strings.HasPrefix(c, path+" ") && strings.Contains(c, sub) {
			n++
		}
	}
	return n
}

func (p *platformStandIn) paths() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, c := range p.calls {
		out = append(out, strings.SplitN(c, " ", 2)[0])
	}
	return out
}

const (
	lineSecret  = "line-test-secret"
	slackSecret = "slack-test-secret"
)

func lineWebhook(eventID, replyToken, text string) []byte {
	return fmt.Appendf(nil, `{"destination":"Uf0e1d2c3b4a5968778695a4b3c2d1e0f","events":[{"replyToken":%q,"type":"message","mode":"active",`+
		`"timestamp":%d,"source":{"type":"user","userId":"U4af4980629a0b1c2d3e4f5a6b7c8d9e0"},"webhookEventId":%q,`+
		`"deliveryContext":{"isRedelivery":false},"message":{"id":"444573844083572737","type":"text","quoteToken":"q3Plxr4AgKd572737","text":%q}}]}`,
		replyToken, time.Now().UnixMilli(), eventID, text)
}

func slackEvent(eventID, text string) []byte {
	now := time.Now().Unix()
	return fmt.Appendf(nil, `{"token":"x","team_id":"T0TEAM001","api_app_id":"A0APP0001","type":"event_callback","event_id":%q,"event_time":%d,`+
		`"event":{"type":"app_mention","user":"U0USER001","text":"<@U0BOT0001> %s","ts":"%d.000100","channel":"C0CHAN001","event_ts":"%d.000100"},`+
		`"authorizations":[{"team_id":"T0TEAM001","user_id":"U0BOT0001","is_bot":true}]}`, eventID, now, text, now, now)
}

func postLINE(t *testing.T, url string, body []byte) int {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(lineSecret))
	mac.Write(body)
	req, _ := http.NewRequest("POST", url+"/line/webhook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Line-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func postSlack(t *testing.T, url string, body []byte) int {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(slackSecret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	req, _ := http.NewRequest("POST", url+"/slack/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestServeReplicasAnswerEventsOnce: two serve processes sharing one
// Redis receive the same LINE and Slack events (a platform retry landing
// on the other replica) and reply exactly once each.
func TestServeReplicasAnswerEventsOnce(t *testing.T) {
	redisURL := startRedis(t)
	api := newPlatformStandIn(t)
	env := map[string]string{
		"REDIS_URL":                 redisURL,
		"LINE_CHANNEL_SECRET":       lineSecret,
		"LINE_CHANNEL_ACCESS_TOKEN": "line-test-token",
		"LINE_API_BASE_URL":         api.srv.URL,
		"SLACK_SIGNING_SECRET":      slackSecret,
		"SLACK_BOT_TOKEN":           "xoxb-test-token",
		"SLACK_API_URL":             api.srv.URL + "/api/",
		"RATE_LIMIT":                "1000",
		"RATE_BURST":                "1000",
	}
	a := startRun(t, []string{"serve"}, env)
	b := startRun(t, []string{"serve"}, env)

	const events = 5
	var wg sync.WaitGroup
	for i := range events {
		line := lineWebhook(fmt.Sprintf("01JGQ6Z0TDDPYRVKNK77XKC%03d", i), fmt.Sprintf("replytoken%03d", i), "中小企業向けの支援")
		slack := slackEvent(fmt.Sprintf("Ev0REPLICA%03d", i), "中小企業向けの支援")
		for _, in := range []*instance{a, b} {
			wg.Go(func() {
				if code := postLINE(t, in.URL, line); code != 200 {
					t.Errorf("LINE webhook: %d; want 200", code)
				}
				if code := postSlack(t, in.URL, slack); code != 200 {
					t.Errorf("Slack event: %d; want 200", code)
				}
			})
		}
	}
	wg.Wait()
	// Shutting down drains the queued replies.
	for _, in := range []*instance{a, b} {
		if err := in.shutdown(t); err != nil {
			t.Errorf("shutdown: %v\n%s", err, in.stderr)
		}
	}
	for i := range events {
		if n := api.count("/v2/bot/message/reply", fmt.Sprintf("replytoken%03d", i)); n != 1 {
			t.Errorf("LINE event %d: %d replies; want exactly 1", i, n)
		}
	}
	if n := api.count("/api/chat.postMessage", ""); n != events {
		t.Errorf("Slack: %d messages posted for %d events; want one each (calls %v)", n, events, api.paths())
	}
	logs := a.stderr.String() + b.stderr.String()
	for _, secret := range []string{lineSecret, slackSecret, "line-test-token", "xoxb-test-token", "U4af4980629a0b1c2d3e4f5a6b7c8d9e0", "U0USER001"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

// TestServeMountsConfiguredChannelsOnly: with LINE configured and Slack
// not, LINE's route refuses an unsigned request and Slack's does not exist.
func TestServeMountsConfiguredChannelsOnly(t *testing.T) {
	api := newPlatformStandIn(t)
	in := startRun(t, nil, map[string]string{
		"LINE_CHANNEL_SECRET": lineSecret, "LINE_CHANNEL_ACCESS_TOKEN": "line-test-token", "LINE_API_BASE_URL": api.srv.URL,
	})
	res, err := http.Post(in.URL+"/line/webhook", "application/json", strings.NewReader(`{"events":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == 200 || res.StatusCode == 404 {
		t.Errorf("unsigned LINE webhook: %d; want it refused", res.StatusCode)
	}
	res, err = http.Post(in.URL+"/slack/events", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("POST /slack/events without Slack settings: %d; want 404", res.StatusCode)
	}
}
