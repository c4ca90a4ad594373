package main

// Talking to a person (issue 13), through the whole program: `serve`
// started through run with LINE and Slack pointed at their stand-ins,
// the handoff channel set, and the tickets in SQLite (or PostgreSQL, for
// the replicas).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

const (
	handoffChannel = "C0HANDOFF"
	staffUser      = "U0STAFF01"
)

// rig is the stand-ins and the settings of a server with handoff on.
type rig struct {
	line  *linetest.API
	slack *slacktest.API
	env   map[string]string
}

func newRig(t *testing.T, extra map[string]string) *rig {
	t.Helper()
	r := &rig{line: linetest.NewAPI(t), slack: slacktest.NewAPI(t)}
	r.env = map[string]string{
		"LINE_CHANNEL_SECRET":       lineSecret,
		"LINE_CHANNEL_ACCESS_TOKEN": "line-test-token",
		"LINE_API_BASE_URL":         r.line.URL(),
		"SLACK_SIGNING_SECRET":      slackSecret,
		"SLACK_BOT_TOKEN":           "xoxb-test-token",
		"SLACK_API_URL":             r.slack.APIURL(),
		"SLACK_HANDOFF_CHANNEL":     handoffChannel,
		"RATE_LIMIT":                "1000",
		"RATE_BURST":                "1000",
	}
	for k, v := range extra {
		r.env[k] = v
	}
	return r
}

// sendLINE posts a signed LINE webhook with ev to in.
func (r *rig) sendLINE(t *testing.T, in *instance, ev linetest.Event) {
	t.Helper()
	body := linetest.Body(ev)
	if code := post(t, in.URL+"/line/webhook", body, func(h http.Header) { linetest.Sign(h, lineSecret, body) }); code != 200 {
		t.Fatalf("LINE webhook: %d", code)
	}
}

// sendSlack posts a signed Slack request to path.
func (r *rig) sendSlack(t *testing.T, in *instance, path string, body []byte, header ...string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", in.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if path != "/slack/events" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	slacktest.Sign(req.Header, slackSecret, time.Now(), body)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// reply waits for LINE's reply to the event with token.
func (r *rig) reply(t *testing.T, token string) lineMessage {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, c := range r.line.Replies() {
			if c.Reply.ReplyToken == token {
				return lineMessages(t, c.Reply.Messages)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no LINE reply to %s within 10 s", token)
	return lineMessage{}
}

// noReply checks that the event with token got no reply.
func (r *rig) noReply(t *testing.T, token string) {
	t.Helper()
	for _, c := range r.line.Replies() {
		if c.Reply.ReplyToken == token {
			t.Errorf("the bot replied to a message for the staff: %s", c.Body)
		}
	}
}

// pushes waits for n pushes delivered to user and returns them.
func (r *rig) pushes(t *testing.T, user string, n int) []lineMessage {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var out []lineMessage
		for _, c := range r.line.Pushes() {
			if c.Push.To == user {
				out = append(out, lineMessages(t, c.Push.Messages))
			}
		}
		if len(out) >= n {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d pushes to %s within 15 s; want %d", len(out), user, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ticket waits for the ticket post of number n (the n-th top-level post
// in the handoff channel) and returns it.
func (r *rig) ticket(t *testing.T, n int) slacktest.Call {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var posts []slacktest.Call
		for _, c := range r.slack.Calls("chat.postMessage") {
			if c.Form.Get("channel") == handoffChannel && c.Form.Get("thread_ts") == "" && !c.Failed {
				posts = append(posts, c)
			}
		}
		if len(posts) >= n {
			return posts[n-1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d tickets posted within 15 s; want %d (calls %v)", len(posts), n, slacktest.Ops(r.slack.All()))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// thread waits until the thread ts holds a note containing want.
func (r *rig) thread(t *testing.T, ts, want string) slacktest.Call {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		for _, c := range r.slack.Thread(ts) {
			if strings.Contains(c.Text(), want) {
				return c
			}
		}
		if time.Now().After(deadline) {
			var got []string
			for _, c := range r.slack.Thread(ts) {
				got = append(got, c.Text())
			}
			t.Fatalf("thread %s lacks %q within 15 s; it has %q", ts, want, got)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// lineMessage is what a person sees of a reply or push: the texts and
// the postback data of its quick replies.
type lineMessage struct {
	text      string
	postbacks []string
}

func lineMessages(t *testing.T, raw []json.RawMessage) lineMessage {
	t.Helper()
	var out lineMessage
	for _, m := range raw {
		var v struct {
			Type       string `json:"type"`
			Text       string `json:"text"`
			QuickReply *struct {
				Items []struct {
					Action struct {
						Data string `json:"data"`
					} `json:"action"`
				} `json:"items"`
			} `json:"quickReply"`
		}
		if err := json.Unmarshal(m, &v); err != nil {
			t.Fatal(err)
		}
		out.text += v.Text + "\n"
		if v.QuickReply != nil {
			for _, it := range v.QuickReply.Items {
				out.postbacks = append(out.postbacks, it.Action.Data)
			}
		}
	}
	return out
}

func (m lineMessage) offers(data string) bool { return slices.Contains(m.postbacks, data) }

// openTicket walks user from a question nothing fits to ticket n in
// Slack, and returns the ticket post and how long it took from the
// consent's webhook to the ticket reaching Slack.
func (r *rig) openTicket(t *testing.T, in *instance, user string, n int) (slacktest.Call, time.Duration) {
	t.Helper()
	ask := linetest.Text(user, "隣の家の犬がうるさくて眠れない")
	r.sendLINE(t, in, ask)
	if m := r.reply(t, ask.ReplyToken); !m.offers("sb1:handoff") || !strings.Contains(m.text, "相談員に直接聞くこともできます") {
		t.Fatalf("no match = %q %v; want Ask a person offered", m.text, m.postbacks)
	}
	offer := linetest.Postback(user, "sb1:handoff")
	r.sendLINE(t, in, offer)
	m := r.reply(t, offer.ReplyToken)
	if !m.offers("sb1:consent") || !m.offers("sb1:decline") || !strings.Contains(m.text, "お名前やアカウントのIDは伝わりません") {
		t.Fatalf("offer = %q %v; want what is shared, and consent", m.text, m.postbacks)
	}
	consent := linetest.Postback(user, "sb1:consent")
	start := time.Now()
	r.sendLINE(t, in, consent)
	ticket := r.ticket(t, n)
	took := ticket.At.Sub(start)
	if m := r.reply(t, consent.ReplyToken); !strings.Contains(m.text, fmt.Sprintf("受付番号 %d", n)) {
		t.Fatalf("consent = %q; want ticket %d opened", m.text, n)
	}
	return ticket, took
}

// TestHandoffLINE walks the LINE path of issue 13 whole: ask → no match →
// "Ask a person" → consent → ticket in Slack → Take → staff reply in the
// thread → push to the person → the person answers → in the thread →
// 「終了」 → both told → 👍.
func TestHandoffLINE(t *testing.T) {
	r := newRig(t, nil)
	in := startRun(t, []string{"serve"}, r.env)
	user := linetest.UserID

	ticket, took := r.openTicket(t, in, user, 1)
	t.Logf("consent to ticket in Slack: %v", took)
	if took > time.Second {
		t.Errorf("the ticket reached Slack %v after the consent; want at most 1 s", took)
	}
	thread := ticket.TS
	blocks := ticket.Form.Get("blocks")
	for _, want := range []string{"相談 #1 / Ticket #1", "LINE", "日本語", "隣の家の犬がうるさくて眠れない", "ボットの最後の回答", "sb-ho-take", "sb-ho-close"} {
		if !strings.Contains(blocks, want) {
			t.Errorf("the ticket lacks %q", want)
		}
	}
	if strings.Contains(blocks, user) || strings.Contains(ticket.Text(), user) {
		t.Error("the ticket shows the LINE user id")
	}
	var pretty bytes.Buffer
	_ = json.Indent(&pretty, []byte(blocks), "", "  ")
	t.Logf("ticket as Slack received it (chat.postMessage): channel=%s text=%q blocks=\n%s", ticket.Form.Get("channel"), ticket.Text(), pretty.String())

	// Take: the ticket is redrawn, the thread says who, the person is told.
	click := slacktest.ClickOn(handoffChannel, thread, staffUser, "sb-ho-take", "1", r.slack.ResponseURL("take"))
	if code := r.sendSlack(t, in, "/slack/interactions", click.Body()); code != 200 {
		t.Fatalf("Take: %d", code)
	}
	r.thread(t, thread, "took this ticket")
	if got := r.pushes(t, user, 1); !strings.Contains(got[0].text, "担当になりました") {
		t.Errorf("push after Take = %q", got[0].text)
	}
	if up := r.slack.Calls("chat.update"); len(up) == 0 || up[len(up)-1].Form.Get("ts") != thread || strings.Contains(up[len(up)-1].Form.Get("blocks"), "sb-ho-take") {
		t.Error("the ticket was not redrawn without its Take button")
	}

	// A staff reply in the thread reaches the person by push, once: Slack
	// retries the event, and it is not pushed again.
	staffReply := slacktest.ThreadReply(handoffChannel, staffUser, thread, "ご相談ありがとうございます。騒音は<https://www.gov-online.go.jp|自治体の相談窓口>へ。")
	sent := time.Now()
	if code := r.sendSlack(t, in, "/slack/events", staffReply.Body()); code != 200 {
		t.Fatalf("staff reply: %d", code)
	}
	got := r.pushes(t, user, 2)
	t.Logf("staff reply to LINE push: %v", time.Since(sent))
	if want := "相談員より:\nご相談ありがとうございます。騒音は自治体の相談窓口へ。"; strings.TrimSpace(got[1].text) != want {
		t.Errorf("push = %q; want %q", got[1].text, want)
	}
	if code := r.sendSlack(t, in, "/slack/events", staffReply.Body(), "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"); code != 200 {
		t.Fatalf("retried staff reply: %d", code)
	}
	pushes := r.line.Pushes()
	push := pushes[len(pushes)-1]
	var body bytes.Buffer
	_ = json.Indent(&body, push.Body, "", "  ")
	t.Logf("push as LINE received it (POST %s, X-Line-Retry-Key: %s):\n%s", push.Path, push.RetryKey, body.String())
	if len(push.RetryKey) != 36 {
		t.Errorf("push without a UUID retry key: %q", push.RetryKey)
	}

	// The person answers: it goes to the thread; the bot says nothing.
	answer := linetest.Text(user, "ありがとうございます。連絡してみます")
	r.sendLINE(t, in, answer)
	r.thread(t, thread, "ありがとうございます。連絡してみます")
	r.noReply(t, answer.ReplyToken)

	// 「メニュー」 still reaches the bot.
	menu := linetest.Text(user, "メニュー")
	r.sendLINE(t, in, menu)
	if m := r.reply(t, menu.ReplyToken); !strings.Contains(m.text, "やりとり中です（受付番号 1）") || !m.offers("sb1:end") {
		t.Errorf("menu while open = %q %v", m.text, m.postbacks)
	}

	// 「終了」: the person is told and asked to rate; the staff are told.
	end := linetest.Text(user, "終了")
	r.sendLINE(t, in, end)
	m := r.reply(t, end.ReplyToken)
	if !strings.Contains(m.text, "終了し") || !m.offers("sb1:rate:up.1") {
		t.Fatalf("終了 = %q %v; want ended, with 👍/👎", m.text, m.postbacks)
	}
	r.thread(t, thread, "The person ended the chat")
	rate := linetest.Postback(user, "sb1:rate:up.1")
	r.sendLINE(t, in, rate)
	if m := r.reply(t, rate.ReplyToken); !strings.Contains(m.text, "ありがとうございます") {
		t.Errorf("rating = %q", m.text)
	}
	r.thread(t, thread, "👍")
	// Staff reply after the end: not passed on, the thread is told.
	r.sendSlack(t, in, "/slack/events", slacktest.ThreadReply(handoffChannel, staffUser, thread, "追伸").Body())
	r.thread(t, thread, "did not reach the person")
	if err := in.shutdown(t); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if n := len(r.line.Pushes()); n != 2 {
		t.Errorf("%d pushes; want 2 (taken, the reply): the retried event and the reply after the end pushed nothing", n)
	}
	logs := in.stderr.String()
	for _, secret := range []string{user, lineSecret, slackSecret, "line-test-token", "xoxb-test-token", "隣の家の犬", "ご相談ありがとうございます"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

// TestHandoffFailures: item 7 of the issue, each with a person of its own
// on one server.
func TestHandoffFailures(t *testing.T) {
	r := newRig(t, nil)
	in := startRun(t, []string{"serve"}, r.env)
	users := []string{"U10000000000000000000000000000001", "U10000000000000000000000000000002", "U10000000000000000000000000000003", "U10000000000000000000000000000004", "U10000000000000000000000000000005"}
	n := 0
	open := func(t *testing.T, user string) string {
		t.Helper()
		n++
		ticket, _ := r.openTicket(t, in, user, n)
		return ticket.TS
	}

	t.Run("push refused", func(t *testing.T) {
		user := users[0]
		thread := open(t, user)
		r.line.Refuse(user, http.StatusTooManyRequests, linetest.MsgMonthlyLimit)
		r.sendSlack(t, in, "/slack/events", slacktest.ThreadReply(handoffChannel, staffUser, thread, "お返事です").Body())
		r.thread(t, thread, "did not reach the person")
		r.line.Refuse(user, 0, "")
	})

	t.Run("staff reply with only a file", func(t *testing.T) {
		user := users[1]
		thread := open(t, user)
		file := slacktest.ThreadFile(handoffChannel, staffUser, thread, "", slacktest.File{ID: "F0FILE001", Name: "手順書.pdf", Mimetype: "application/pdf", Filetype: "pdf",
			URLPrivate: "https://files.slack.com/files-pri/T0TEAM001-F0FILE001/tejunsho.pdf"})
		r.sendSlack(t, in, "/slack/events", file.Body())
		if got := r.pushes(t, user, 1); !strings.Contains(got[0].text, "ファイルをお届けできません") || !strings.Contains(got[0].text, "文章かリンクで") {
			t.Errorf("push = %q; want a note that a file was shared and how to get it", got[0].text)
		}
		r.thread(t, thread, "Files do not reach the person")
	})

	t.Run("forged requests refused", func(t *testing.T) {
		user := users[2]
		thread := open(t, user)
		before := len(r.line.Pushes())
		forged := slacktest.ThreadReply(handoffChannel, staffUser, thread, "偽の返信").Body()
		req, _ := http.NewRequest("POST", in.URL+"/slack/events", bytes.NewReader(forged))
		req.Header.Set("Content-Type", "application/json")
		slacktest.Sign(req.Header, "a-secret-someone-else-holds", time.Now(), forged)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("forged Slack event = %d; want 401", res.StatusCode)
		}
		consent := linetest.Body(linetest.Postback(users[4], "sb1:consent"))
		if code := post(t, in.URL+"/line/webhook", consent, func(h http.Header) { linetest.Sign(h, "a-secret-someone-else-holds", consent) }); code != http.StatusBadRequest {
			t.Errorf("forged LINE postback = %d; want 400", code)
		}
		time.Sleep(300 * time.Millisecond)
		if len(r.line.Pushes()) != before || len(r.slack.Thread(thread)) != 0 {
			t.Error("a forged request reached someone")
		}
		r.ticket(t, n) // no ticket beyond the ones opened
		for _, c := range r.slack.Calls("chat.postMessage") {
			if strings.Contains(c.Form.Get("blocks"), fmt.Sprintf("Ticket #%d", n+1)) {
				t.Error("a forged consent opened a ticket")
			}
		}
	})

	t.Run("unfollow", func(t *testing.T) {
		user := users[3]
		thread := open(t, user)
		r.sendLINE(t, in, linetest.Unfollow(user))
		r.thread(t, thread, "blocked the bot")
	})

	t.Run("Slack down", func(t *testing.T) {
		user := users[4]
		r.slack.FailWith(func(op string, _ int) (int, http.Header, string) {
			if op == "chat.postMessage" {
				return http.StatusServiceUnavailable, nil, `{"ok":false,"error":"service_unavailable"}`
			}
			return 0, nil, ""
		})
		ask := linetest.Text(user, "隣の家の犬がうるさくて眠れない")
		r.sendLINE(t, in, ask)
		r.reply(t, ask.ReplyToken)
		consent := linetest.Postback(user, "sb1:consent")
		r.sendLINE(t, in, consent)
		if m := r.reply(t, consent.ReplyToken); !strings.Contains(m.text, "保存しました") {
			t.Fatalf("consent with Slack down = %q; want saved, passed on later", m.text)
		}
		meanwhile := linetest.Text(user, "急ぎではありません")
		r.sendLINE(t, in, meanwhile)
		time.Sleep(200 * time.Millisecond)
		r.slack.FailWith(nil)
		n++
		ticket := r.ticket(t, n)
		r.thread(t, ticket.TS, "急ぎではありません")
	})
	if err := in.shutdown(t); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}
