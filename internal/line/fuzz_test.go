package line

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/bounds"
	"github.com/supportbot/supportbot/internal/line/linetest"
)

// FuzzWebhook signs arbitrary bodies and serves them. Properties: the
// handler never panics; it answers within the time and memory budget
// (internal/bounds); it answers only 200, 400, 413 or 503; it accepts
// every body LINE's SDK can parse, and derives from it the same tasks as
// from the SDK's events; a body signed with another
// secret is always refused; every task it derives has a channel-scoped
// conversation and a reply token when it will be answered; and the real
// bot's answer to every question it derives renders within LINE's limits
// (checkMessages). The seed corpus is every webhook fixture plus
// testdata/fuzz/FuzzWebhook, whose hostile_* entries carry 100 KB texts,
// invalid UTF-8, NULs, bidi and zero-width marks, mixed scripts and
// 10,000-deep JSON.
func FuzzWebhook(f *testing.F) {
	for _, name := range []string{
		"verify", "text", "redelivery", "postback", "postback_foreign", "follow", "unfollow", "join", "sticker",
		"image", "location", "group_mention", "group_other_mention", "group_sticker", "room_mention", "standby",
		"unsend", "batch", "leave",
	} {
		f.Add(fixture(f, name))
	}
	e := newEnv(f, echo)
	answerer, _, _ := realBot(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		// The stand-in keeps every call; forget them, or a long run grows.
		e.api.Reset()
		var rec *httptest.ResponseRecorder
		if err := bounds.Within("POST /line/webhook", func() { rec = e.post(body, "sign") }); err != nil {
			t.Fatalf("%v for a body of %d bytes", err, len(body))
		}
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable:
		default:
			t.Fatalf("status %d", rec.Code)
		}
		if other := e.post(body, linetest.Signature("another-secret", body)); other.Code != http.StatusBadRequest && other.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("body signed with another secret: status %d; want 400", other.Code)
		}
		if len(body) > maxBody {
			return
		}
		agreeWithSDK(t, body)
		tasks, parsed := ownTasks(body)
		accepted := rec.Code == http.StatusOK || rec.Code == http.StatusServiceUnavailable
		if parsed != accepted {
			t.Fatalf("adapter parses the body: %v; handler status %d", parsed, rec.Code)
		}
		answered := 0
		for _, tk := range tasks {
			if !strings.HasPrefix(tk.conv, "line:") {
				t.Errorf("conversation %q not scoped to LINE", tk.conv)
			}
			if tk.question != nil && tk.replyToken == "" {
				t.Errorf("question without a reply token: %+v", tk)
			}
			if tk.question == nil && !tk.forget && !tk.forgetGroup {
				t.Errorf("task that does nothing: %+v", tk)
			}
			if tk.question != nil && answered < 5 {
				answered++
				checkRealReply(t, answerer, *tk.question)
			}
		}
	})
}

// checkRealReply asks the real bot q, as a worker would, and checks the
// reply it renders. The conversation is forgotten afterwards, so no input
// depends on the ones before it.
func checkRealReply(t *testing.T, b bot.Answerer, q bot.Question) {
	t.Helper()
	ctx := context.Background()
	defer func() { _ = b.Forget(ctx, q.Conversation) }()
	var a bot.Answer
	var err error
	if err := bounds.Within("the bot's answer", func() { a, err = b.Answer(ctx, q) }); err != nil {
		t.Fatalf("%v to %d bytes of text", err, len(q.Text))
	}
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	msgs, _ := renderJSON(t, a)
	checkMessages(t, msgs)
}
