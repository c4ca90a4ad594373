package linetest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/line/line-bot-sdk-go/v8/linebot/webhook"

	"github.com/supportbot/supportbot/internal/line/linetest"
)

// TestSDKAcceptsSignatureAndBodies: LINE's own SDK verifies what Sign
// signs and parses what the builders build into the events they name.
func TestSDKAcceptsSignatureAndBodies(t *testing.T) {
	const secret = "channel-secret"
	tests := []struct {
		ev   linetest.Event
		want string // the SDK's event type
	}{
		{linetest.Text(linetest.UserID, "子どものスマホが心配"), "webhook.MessageEvent"},
		{linetest.GroupMention(linetest.GroupID, linetest.UserID, "サポートボット", "セミナーはある？"), "webhook.MessageEvent"},
		{linetest.Postback(linetest.UserID, "sb1:details:sechack365"), "webhook.PostbackEvent"},
		{linetest.Follow(linetest.UserID), "webhook.FollowEvent"},
		{linetest.Unfollow(linetest.UserID), "webhook.UnfollowEvent"},
		{linetest.Leave(linetest.GroupID), "webhook.LeaveEvent"},
	}
	for _, tt := range tests {
		body := linetest.Body(tt.ev)
		req := httptest.NewRequest(http.MethodPost, "/line/webhook", bytes.NewReader(body))
		linetest.Sign(req.Header, secret, body)
		cb, err := webhook.ParseRequest(secret, req)
		if err != nil {
			t.Errorf("ParseRequest(%s) = %v", body, err)
			continue
		}
		var got []string
		for _, e := range cb.Events {
			got = append(got, fmt.Sprintf("%T", e))
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("ParseRequest(%s) = %v; want [%s]", body, got, tt.want)
		}
		req = httptest.NewRequest(http.MethodPost, "/line/webhook", bytes.NewReader(body))
		linetest.Sign(req.Header, "another-secret", body)
		if _, err := webhook.ParseRequest(secret, req); !errors.Is(err, webhook.ErrInvalidSignature) {
			t.Errorf("ParseRequest of a body signed with another secret = %v; want ErrInvalidSignature", err)
		}
	}
}

// TestBodiesAreShapedLikeTheFixtures: each builder, given the ids of a
// fixture written from LINE's documentation, makes that fixture exactly.
func TestBodiesAreShapedLikeTheFixtures(t *testing.T) {
	// ids sets the fixture's generated ids on ev.
	ids := func(ev linetest.Event, eventID, replyToken, messageID string) linetest.Event {
		ev.Timestamp = 1767225600000
		ev.WebhookEventID, ev.ReplyToken = eventID, replyToken
		if ev.Message != nil {
			ev.Message.ID, ev.Message.QuoteToken = messageID, "q3Plxr4AgKd"+messageID[len(messageID)-6:]
		}
		return ev
	}
	mention := ids(linetest.GroupMention(linetest.GroupID, linetest.UserID, "サポートボット", "中小企業向けのセミナーはある？"),
		"01JGQ6Z9A4B5C6D7E8F9G0H1J8", "9e5f4d1a0b2c4d7e1f8a5b4c3d2e1f0a", "444573844083572740")
	mention.Message.Mention.Mentionees[0].UserID = "U7d3b1e5c9a2f4e6d8c0b2a4f6e8d0c2b"
	for fixture, ev := range map[string]linetest.Event{
		"text": ids(linetest.Text(linetest.UserID, "子どものスマホが心配"),
			"01JGQ6Z0TDDPYRVKNK77XKC3ZR", "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA", "444573844083572737"),
		"group_mention": mention,
		"postback": ids(linetest.Postback(linetest.UserID, "sb1:details:sechack365"),
			"01JGQ6Z2X3Y4Z5A6B7C8D9E0F1", "b60d432864f44d079f6d8efe86cf404c", ""),
		"follow": ids(linetest.Follow(linetest.UserID),
			"01JGQ6Z3A4B5C6D7E8F9G0H1J2", "85cbe770fa8b4f45bbe077b1d4be4a36", ""),
		"unfollow": ids(linetest.Unfollow(linetest.UserID), "01JGQ6Z4A4B5C6D7E8F9G0H1J3", "", ""),
		"leave":    ids(linetest.Leave(linetest.GroupID), "01JGQ6ZHA4B5C6D7E8F9G0H1JG", "", ""),
	} {
		want, err := os.ReadFile(filepath.Join("..", "testdata", "webhook", fixture+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if got := linetest.Body(ev); !sameJSON(t, got, want) {
			t.Errorf("%s: built\n%s\nwant the fixture\n%s", fixture, got, want)
		}
	}
}

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

// TestBuiltIDsDiffer: two events never share an id, so a test or a load
// run never trips the bot's de-duplication by accident.
func TestBuiltIDsDiffer(t *testing.T) {
	a, b := linetest.Text(linetest.UserID, "x"), linetest.Text(linetest.UserID, "x")
	if a.WebhookEventID == b.WebhookEventID || a.ReplyToken == b.ReplyToken || a.Message.ID == b.Message.ID {
		t.Errorf("two events share ids: %+v and %+v", a, b)
	}
	if len(a.WebhookEventID) != 26 || len(a.ReplyToken) != 32 {
		t.Errorf("webhookEventId %q, replyToken %q; want a 26-character ULID and a 32-character token", a.WebhookEventID, a.ReplyToken)
	}
}

// TestAPIRecordsAndFails: the stand-in records a reply decoded, counts
// calls per path, and lets a responder fail them.
func TestAPIRecordsAndFails(t *testing.T) {
	api := linetest.NewAPI(t)
	post := func(path, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, api.URL()+path, bytes.NewReader([]byte(body)))
		req.Header.Set("Authorization", "Bearer token")
		res, err := api.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := post(linetest.PathReply, `{"replyToken":"tok","messages":[{"type":"text","text":"hi"}]}`); res.StatusCode != http.StatusOK {
		t.Errorf("reply: %d; want 200", res.StatusCode)
	}
	if res := post(linetest.PathLoading, `{"chatId":"U1","loadingSeconds":5}`); res.StatusCode != http.StatusAccepted {
		t.Errorf("loading: %d; want 202", res.StatusCode)
	}
	api.Respond(func(w http.ResponseWriter, c linetest.Call, n int) {
		linetest.WriteError(w, http.StatusBadRequest, linetest.MsgInvalidReplyToken)
	})
	if res := post(linetest.PathReply, `{"replyToken":"tok","messages":[]}`); res.StatusCode != http.StatusBadRequest {
		t.Errorf("reply with a failing responder: %d; want 400", res.StatusCode)
	}
	replies := api.WaitFor(t, linetest.PathReply, 2)
	if r := replies[0]; r.Reply.ReplyToken != "tok" || len(r.Reply.Messages) != 1 || r.Auth != "Bearer token" {
		t.Errorf("first reply recorded as %+v", r)
	}
	if l := api.Loadings(); len(l) != 1 || l[0].Loading.ChatID != "U1" || l[0].Loading.LoadingSeconds != 5 {
		t.Errorf("loading recorded as %+v", l)
	}
	if n := api.Count(linetest.PathReply); n != 2 {
		t.Errorf("Count(reply) = %d; want 2", n)
	}
	api.Reset()
	if n := len(api.All()); n != 0 {
		t.Errorf("%d calls after Reset", n)
	}
}

// LINE's "Verify" button posts a webhook with no events; its signature is
// the base64 HMAC-SHA256 of the body with the channel secret.
func ExampleSignature() {
	body := linetest.Body()
	fmt.Println(string(body))
	fmt.Println(linetest.Signature("channel-secret", body))
	// Output:
	// {"destination":"Uf0e1d2c3b4a5968778695a4b3c2d1e0f","events":[]}
	// MBnOvxLdqYyEqWiBz0euYuYJCMNwUVhM0cuidwA3x8k=
}
