package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/questionlog"
	"github.com/supportbot/supportbot/internal/sqlite"
)

// TestLINEFeedbackOfAnotherUserRefused: over signed LINE webhooks, user A
// gets an answer with 👍/👎 quick replies; user B sends A's 👎 postback
// and is refused; A's own is accepted.
func TestLINEFeedbackOfAnotherUserRefused(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reg := prometheus.NewRegistry()
	l, err := questionlog.New(questionlog.Config{Store: sqlite.NewQuestionLog(db), Secrets: db, Metrics: metrics.New(reg)})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Ready(context.Background()); err != nil {
		t.Fatal(err)
	}
	p := startPlatforms(t, l.Wrap)
	const userA, userB = "U4af4980629a0b1c2d3e4f5a6b7c8d9e0", "U0bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	send := func(id, user, event string) {
		body := fmt.Appendf(nil, `{"destination":"Uf0e1d2c3b4a5968778695a4b3c2d1e0f","events":[{"replyToken":"reply-%s",`+
			`"mode":"active","timestamp":%d,"source":{"type":"user","userId":"%s"},"webhookEventId":"01JGQ6Z0TDDPYRVKNK77X%s",`+
			`"deliveryContext":{"isRedelivery":false},%s}]}`, id, time.Now().UnixMilli(), user, id, event)
		if r := p.post(t, "/line/webhook", "application/json", body, signLINE(lineSecret, time.Now(), body)); r.status != 200 {
			t.Fatalf("webhook %s = %d %s", id, r.status, r.body)
		}
	}
	// reply waits for the reply to a token and returns its body.
	reply := func(id string) string {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			for _, c := range p.line.Replies() {
				if c.Reply.ReplyToken == "reply-"+id {
					return string(c.Body)
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("no reply to %s", id)
		return ""
	}
	send("AAAAAAA1", userA, `"type":"message","message":{"id":"1","type":"text","quoteToken":"q","text":"子どものスマホが心配"}`)
	var down string
	for _, part := range strings.Split(reply("AAAAAAA1"), `"data":"`)[1:] {
		if data, _, _ := strings.Cut(part, `"`); strings.HasPrefix(data, "sb1:feedback:down.") {
			down = data
		}
	}
	if down == "" {
		t.Fatal("A's answer has no 👎 quick reply")
	}
	postback := func(data string) string {
		b, _ := json.Marshal(data)
		return `"type":"postback","postback":{"data":` + string(b) + `}`
	}
	send("BBBBBBB1", userB, postback(down))
	if r := reply("BBBBBBB1"); !strings.Contains(r, "受け付けられませんでした") {
		t.Errorf("B's tap on A's 👎 answered %.300s; want a refusal", r)
	}
	send("AAAAAAA2", userA, postback(down))
	if r := reply("AAAAAAA2"); !strings.Contains(r, "お役に立てず") {
		t.Errorf("A's own 👎 answered %.300s; want the follow-up", r)
	}
	for result, want := range map[string]float64{"refused": 1, "accepted": 1} {
		if n, _ := metrics.Sum(reg, "supportbot_feedback_total", map[string]string{"result": result}); n != want {
			t.Errorf("%s votes counted %v; want %v", result, n, want)
		}
	}
}
