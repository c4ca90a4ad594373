package slacktest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// TestSDKVerifiesSignature: slack-go's verifier accepts what Sign signs,
// and refuses it under another secret.
func TestSDKVerifiesSignature(t *testing.T) {
	body := slacktest.Mention(slacktest.ChannelID, slacktest.UserID, "local seminars").Body()
	for _, tt := range []struct {
		secret string
		ok     bool
	}{{"signing-secret", true}, {"another-secret", false}} {
		h := http.Header{}
		slacktest.Sign(h, tt.secret, time.Now(), body)
		sv, err := slackapi.NewSecretsVerifier(h, "signing-secret")
		if err != nil {
			t.Fatal(err)
		}
		sv.Write(body)
		if err := sv.Ensure(); (err == nil) != tt.ok {
			t.Errorf("signed with %q: Ensure = %v; want ok %v", tt.secret, err, tt.ok)
		}
	}
}

// TestSDKParsesBodies: slack-go parses what the builders build into the
// events, commands and actions they name.
func TestSDKParsesBodies(t *testing.T) {
	for _, tt := range []struct {
		c    slacktest.Callback
		want string
	}{
		{slacktest.Mention(slacktest.ChannelID, slacktest.UserID, "local seminars"), "*slackevents.AppMentionEvent"},
		{slacktest.DirectMessage(slacktest.DMChannelID, slacktest.UserID, "中小企業"), "*slackevents.MessageEvent"},
	} {
		ev, err := slackevents.ParseEvent(tt.c.Body(), slackevents.OptionNoVerifyToken())
		if err != nil {
			t.Fatalf("ParseEvent(%s) = %v", tt.c.Body(), err)
		}
		if got := fmt.Sprintf("%T", ev.InnerEvent.Data); ev.Type != slackevents.CallbackEvent || got != tt.want {
			t.Errorf("ParseEvent(%s) = %s %s; want a callback with %s", tt.c.Body(), ev.Type, got, tt.want)
		}
	}

	body := slacktest.SlashCommand("/support", "助成金", "https://hooks.slack.test/x").Body()
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	cmd, err := slackapi.SlashCommandParse(req)
	if err != nil || cmd.Command != "/support" || cmd.Text != "助成金" || cmd.ResponseURL != "https://hooks.slack.test/x" || cmd.TeamID != slacktest.TeamID {
		t.Errorf("SlashCommandParse(%s) = %+v, %v", body, cmd, err)
	}

	form, err := url.ParseQuery(string(slacktest.Click("U0USER002", "sb-card-1-0", "sb1:details:sechack365", "https://hooks.slack.test/y").Body()))
	if err != nil {
		t.Fatal(err)
	}
	var ic slackapi.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &ic); err != nil {
		t.Fatal(err)
	}
	if a := ic.ActionCallback.BlockActions; ic.Type != slackapi.InteractionTypeBlockActions || len(a) != 1 ||
		a[0].Value != "sb1:details:sechack365" || ic.User.ID != "U0USER002" || ic.ResponseURL != "https://hooks.slack.test/y" {
		t.Errorf("interaction parsed as %+v", ic)
	}
}

// TestBodiesAreShapedLikeTheFixtures: every field a builder writes stands
// in the fixture written from Slack's documentation, at the same place,
// with the same value once the generated ids are the fixture's.
func TestBodiesAreShapedLikeTheFixtures(t *testing.T) {
	mention := slacktest.Mention(slacktest.ChannelID, slacktest.UserID, "local seminars")
	mention.Token, mention.EventID, mention.EventTime = "ZZZZZZWSxiZZZ2yIvs3peJ", "Ev0MENTION01", 1761955200
	mention.Event.TS, mention.Event.EventTS = "1761955200.000100", "1761955200.000100"

	dm := slacktest.DirectMessage(slacktest.DMChannelID, slacktest.UserID, "中小企業向けの支援を知りたい")
	dm.Token, dm.EventID, dm.EventTime = "ZZZZZZWSxiZZZ2yIvs3peJ", "Ev0DM000001", 1761955300
	dm.Event.TS, dm.Event.EventTS = "1761955300.000200", "1761955300.000200"

	cmd := slacktest.SlashCommand("/support", "助成金", "{{RESPONSE_URL}}")
	cmd.Token, cmd.TriggerID = "gIkuvaNzQIHg97ATvDxqgjtO", "13345224609.738474920.8088930838d88f008e0"

	click := slacktest.Click("U0USER002", "sb-card-1-0", "sb1:details:sechack365", "{{RESPONSE_URL}}")
	click.TriggerID, click.Container.MessageTS = "12466734323.1395872398.3b9d1a32a5b1f0e0c3d1", "1761955201.000300"
	click.Actions[0].BlockID, click.Actions[0].ActionTS = "q0Z=", "1761955210.123456"

	for _, tt := range []struct {
		fixture string
		got     any
	}{
		{"events/app_mention.json", decodeJSON(t, mention.Body())},
		{"events/message_im.json", decodeJSON(t, dm.Body())},
		{"commands/support.form", decodeForm(t, cmd.Body())},
		{"interactions/block_actions.json", decodeJSON(t, []byte(decodeForm(t, click.Body())["payload"].(string)))},
	} {
		raw, err := os.ReadFile(filepath.Join("..", "testdata", tt.fixture))
		if err != nil {
			t.Fatal(err)
		}
		var want any
		if strings.HasSuffix(tt.fixture, ".form") {
			want = decodeForm(t, bytes.ReplaceAll(raw, []byte("{{RESPONSE_URL}}"), []byte(url.QueryEscape("{{RESPONSE_URL}}"))))
		} else {
			want = decodeJSON(t, raw)
		}
		for _, d := range notIn(tt.got, want, "") {
			t.Errorf("%s: %s", tt.fixture, d)
		}
	}
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return v
}

func decodeForm(t *testing.T, b []byte) map[string]any {
	t.Helper()
	v, err := url.ParseQuery(string(b))
	if err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	out := map[string]any{}
	for k := range v {
		out[k] = v.Get(k)
	}
	return out
}

// notIn lists what of got is not in want: missing keys, other values.
func notIn(got, want any, path string) []string {
	g, ok := got.(map[string]any)
	if !ok {
		if gl, ok := got.([]any); ok {
			wl, _ := want.([]any)
			if len(gl) > len(wl) {
				return []string{fmt.Sprintf("%s: %d elements; the fixture has %d", path, len(gl), len(wl))}
			}
			var out []string
			for i := range gl {
				out = append(out, notIn(gl[i], wl[i], fmt.Sprintf("%s[%d]", path, i))...)
			}
			return out
		}
		if !reflect.DeepEqual(got, want) {
			return []string{fmt.Sprintf("%s = %v; the fixture has %v", path, got, want)}
		}
		return nil
	}
	w, _ := want.(map[string]any)
	var out []string
	for k, v := range g {
		wv, ok := w[k]
		if !ok {
			out = append(out, fmt.Sprintf("%s.%s is not in the fixture", path, k))
			continue
		}
		out = append(out, notIn(v, wv, path+"."+k)...)
	}
	return out
}

// TestAPIRecordsAndFails: the stand-in records Web API calls by method
// and response_url posts, and lets a Failure refuse them.
func TestAPIRecordsAndFails(t *testing.T) {
	api := slacktest.NewAPI(t)
	post := func(u, contentType, body string) int {
		t.Helper()
		res, err := api.Client().Post(u, contentType, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	form := url.Values{"channel": {"C1"}, "text": {"hi"}, "blocks": {`[{"type":"divider"}]`}}.Encode()
	if code := post(api.APIURL()+"chat.postMessage", "application/x-www-form-urlencoded", form); code != http.StatusOK {
		t.Errorf("chat.postMessage: %d", code)
	}
	api.FailWith(func(op string, n int) (int, http.Header, string) {
		return http.StatusTooManyRequests, http.Header{"Retry-After": {"1"}}, `{"ok":false,"error":"ratelimited"}`
	})
	if code := post(api.ResponseURL("r1"), "application/json", `{"text":"later","blocks":[{"type":"divider"}]}`); code != http.StatusTooManyRequests {
		t.Errorf("response_url with a failure set: %d; want 429", code)
	}
	posts := api.WaitFor(t, "chat.postMessage", 1)
	if c := posts[0]; c.Text() != "hi" || len(c.Blocks(t)) != 1 || c.Form.Get("channel") != "C1" {
		t.Errorf("chat.postMessage recorded as %+v", c)
	}
	if hooks := api.Calls(slacktest.OpResponseURL); len(hooks) != 1 || hooks[0].Text() != "later" || len(hooks[0].Blocks(t)) != 1 {
		t.Errorf("response_url recorded as %+v", hooks)
	}
	if ops := slacktest.Ops(api.All()); !reflect.DeepEqual(ops, []string{"chat.postMessage", slacktest.OpResponseURL}) || api.Count("chat.postMessage") != 1 {
		t.Errorf("calls %v", ops)
	}
}

// Slack signs "v0:<timestamp>:<body>" with the app's signing secret.
func ExampleSign() {
	h := http.Header{}
	slacktest.Sign(h, "signing-secret", time.Unix(1761955200, 0), []byte(`{"type":"url_verification"}`))
	fmt.Println(h.Get(slacktest.TimestampHeader))
	fmt.Println(h.Get(slacktest.SignatureHeader))
	// Output:
	// 1761955200
	// v0=51b67accf8b6ae9ad3fe635e98b1dd1aebc915b8e0a4fde2622ff94425b00822
}
