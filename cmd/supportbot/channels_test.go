package main

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

const (
	lineSecret  = "line-test-secret"
	slackSecret = "slack-test-secret"
)

// post sends body to url, signed by sign, and returns the status.
func post(t *testing.T, url string, body []byte, sign func(http.Header)) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	sign(req.Header)
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
	lineAPI, slackAPI := linetest.NewAPI(t), slacktest.NewAPI(t)
	env := map[string]string{
		"REDIS_URL":                 redisURL,
		"LINE_CHANNEL_SECRET":       lineSecret,
		"LINE_CHANNEL_ACCESS_TOKEN": "line-test-token",
		"LINE_API_BASE_URL":         lineAPI.URL(),
		"SLACK_SIGNING_SECRET":      slackSecret,
		"SLACK_BOT_TOKEN":           "xoxb-test-token",
		"SLACK_API_URL":             slackAPI.APIURL(),
		"RATE_LIMIT":                "1000",
		"RATE_BURST":                "1000",
	}
	a := startRun(t, []string{"serve"}, env)
	b := startRun(t, []string{"serve"}, env)

	const events = 5
	var tokens []string // LINE's reply token of each event
	var wg sync.WaitGroup
	for range events {
		ev := linetest.Text(linetest.UserID, "中小企業向けの支援")
		tokens = append(tokens, ev.ReplyToken)
		line := linetest.Body(ev)
		slack := slacktest.Mention(slacktest.ChannelID, slacktest.UserID, "中小企業向けの支援").Body()
		for _, in := range []*instance{a, b} {
			wg.Go(func() {
				if code := post(t, in.URL+"/line/webhook", line, func(h http.Header) { linetest.Sign(h, lineSecret, line) }); code != 200 {
					t.Errorf("LINE webhook: %d; want 200", code)
				}
				if code := post(t, in.URL+"/slack/events", slack, func(h http.Header) { slacktest.Sign(h, slackSecret, time.Now(), slack) }); code != 200 {
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
	replies := map[string]int{} // reply token → replies
	for _, c := range lineAPI.Replies() {
		replies[c.Reply.ReplyToken]++
	}
	for i, token := range tokens {
		if n := replies[token]; n != 1 {
			t.Errorf("LINE event %d: %d replies; want exactly 1", i, n)
		}
	}
	if n := slackAPI.Count("chat.postMessage"); n != events {
		t.Errorf("Slack: %d messages posted for %d events; want one each (calls %v)", n, events, slacktest.Ops(slackAPI.All()))
	}
	logs := a.stderr.String() + b.stderr.String()
	for _, secret := range []string{lineSecret, slackSecret, "line-test-token", "xoxb-test-token", linetest.UserID, slacktest.UserID} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

// TestServeMountsConfiguredChannelsOnly: with LINE configured and Slack
// not, LINE's route refuses an unsigned request and Slack's does not exist.
func TestServeMountsConfiguredChannelsOnly(t *testing.T) {
	api := linetest.NewAPI(t)
	in := startRun(t, nil, map[string]string{
		"LINE_CHANNEL_SECRET": lineSecret, "LINE_CHANNEL_ACCESS_TOKEN": "line-test-token", "LINE_API_BASE_URL": api.URL(),
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
