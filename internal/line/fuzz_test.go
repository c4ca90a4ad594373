package line

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/line/line-bot-sdk-go/v8/linebot/webhook"
)

// FuzzWebhook signs arbitrary bodies and serves them. Properties: the
// handler never panics; it answers only 200, 400, 413 or 503; it accepts
// a body exactly when the SDK can parse it; a body signed with another
// secret is always refused; every task it derives has a channel-scoped
// conversation and a reply token when it will be answered. The seed
// corpus is every webhook fixture plus testdata/fuzz/FuzzWebhook.
func FuzzWebhook(f *testing.F) {
	for _, name := range []string{
		"verify", "text", "redelivery", "postback", "postback_foreign", "follow", "unfollow", "join", "sticker",
		"image", "location", "group_mention", "group_other_mention", "group_sticker", "room_mention", "standby",
		"unsend", "batch",
	} {
		f.Add(fixture(f, name))
	}
	e := newEnv(f, echo)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := e.post(body, "sign")
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable:
		default:
			t.Fatalf("status %d", rec.Code)
		}
		if other := e.post(body, sign("another-secret", body)); other.Code != http.StatusBadRequest && other.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("body signed with another secret: status %d; want 400", other.Code)
		}
		if len(body) > maxBody {
			return
		}
		var cb webhook.CallbackRequest
		parsed := json.Unmarshal(body, &cb) == nil
		accepted := rec.Code == http.StatusOK || rec.Code == http.StatusServiceUnavailable
		if parsed != accepted {
			t.Fatalf("SDK parses the body: %v; handler status %d", parsed, rec.Code)
		}
		for _, ev := range cb.Events {
			tk, ok := taskFor(ev)
			if !ok {
				continue
			}
			if !strings.HasPrefix(tk.conv, "line:") {
				t.Errorf("conversation %q not scoped to LINE", tk.conv)
			}
			if tk.question != nil && tk.replyToken == "" {
				t.Errorf("question without a reply token: %+v", tk)
			}
			if tk.question == nil && !tk.forget {
				t.Errorf("task that does nothing: %+v", tk)
			}
		}
	})
}
