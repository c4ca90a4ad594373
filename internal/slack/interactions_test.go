package slack

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

func TestButtonInChannelAnsweredInThread(t *testing.T) {
	h := newHarness(t, nil)
	if w := h.interaction(h.fixture("interactions/block_actions.json")); w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("ack = %d %q; want an empty 200", w.Code, w.Body)
	}
	h.drain()
	posts := h.api.Calls("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("%d posts; want 1", len(posts))
	}
	if ch, th := posts[0].Form.Get("channel"), posts[0].Form.Get("thread_ts"); ch != "C0CHAN001" || th != "1761955200.000100" {
		t.Errorf("posted to %q thread %q; want the button's thread", ch, th)
	}
	qs := h.bot.asked()
	want := bot.Action{Kind: bot.ActionDetails, Value: "sechack365"}
	if len(qs) != 1 || qs[0].Action == nil || *qs[0].Action != want {
		t.Fatalf("questions = %+v; want the details action", qs)
	}
	if qs[0].Conversation != "slack:T0TEAM001:U0USER002:C0CHAN001" {
		t.Errorf("conversation = %q; want the clicker's own in the channel", qs[0].Conversation)
	}
}

func TestButtonOnEphemeralReplacesIt(t *testing.T) {
	h := newHarness(t, nil)
	h.interaction(h.fixture("interactions/block_actions_ephemeral.json"))
	h.drain()
	hooks := h.api.Calls("response_url")
	if len(hooks) != 1 || len(h.api.Calls("chat.postMessage")) != 0 {
		t.Fatalf("calls = %v; want one response_url post", slacktest.Ops(h.api.All()))
	}
	c := hooks[0].JSON
	if c["replace_original"] != true || c["response_type"] != "ephemeral" {
		t.Errorf("replace_original = %v, response_type = %v; want the ephemeral replaced", c["replace_original"], c["response_type"])
	}
	raw, _ := json.Marshal(c["blocks"])
	if !strings.Contains(string(raw), `"sbshare1:sb1:category:regional"`) {
		t.Error("the replaced answer has no share button for the category")
	}
}

func TestShareButtonPostsToChannel(t *testing.T) {
	h := newHarness(t, nil)
	h.interaction(h.fixture("interactions/block_actions_share.json"))
	h.drain()
	hooks := h.api.Calls("response_url")
	if len(hooks) != 2 {
		t.Fatalf("%d response_url posts; want the shared answer and the deletion of the ephemeral", len(hooks))
	}
	shared, del := hooks[0].JSON, hooks[1].JSON
	if shared["response_type"] != "in_channel" || shared["replace_original"] != false {
		t.Errorf("share = response_type %v, replace_original %v; want a new in_channel message", shared["response_type"], shared["replace_original"])
	}
	raw := rawJSON(shared["blocks"])
	if !strings.Contains(raw, "<@U0USER001> さんが共有しました") {
		t.Error("shared answer does not say who shared it")
	}
	if strings.Contains(raw, "sbshare1:") {
		t.Error("shared answer offers to share again")
	}
	if del["delete_original"] != true {
		t.Errorf("second post = %v; want delete_original", del)
	}
	qs := h.bot.asked()
	want := bot.Action{Kind: bot.ActionAsk, Value: "助成金"}
	if len(qs) != 1 || qs[0].Action == nil || *qs[0].Action != want {
		t.Errorf("questions = %+v; want the question asked again", qs)
	}
}

func TestHomeButtonAnswersInDMAndRefreshesHome(t *testing.T) {
	h := newHarness(t, nil)
	h.interaction(h.fixture("interactions/block_actions_home.json"))
	h.drain()
	posts := h.api.Calls("chat.postMessage")
	if len(posts) != 1 || posts[0].Form.Get("channel") != "U0USER001" {
		t.Fatalf("posts = %v; want one to the person (the app's DM)", posts)
	}
	if pubs := h.api.Calls("views.publish"); len(pubs) != 1 {
		t.Errorf("%d views.publish; want the home tab refreshed after a language switch", len(pubs))
	}
	for _, q := range h.bot.asked() {
		if q.Conversation != "slack:T0TEAM001:U0USER001" {
			t.Errorf("conversation = %q; want the person's own", q.Conversation)
		}
	}
}

func TestLinkButtonAcknowledgedAndIgnored(t *testing.T) {
	h := newHarness(t, nil)
	if w := h.interaction(h.fixture("interactions/block_actions_url.json")); w.Code != http.StatusOK {
		t.Errorf("status = %d", w.Code)
	}
	h.drain()
	if n := len(h.api.All()); n != 0 {
		t.Errorf("%d calls for a link click; want 0", n)
	}
}

func TestForeignButtonValuesIgnored(t *testing.T) {
	h := newHarness(t, nil)
	for _, v := range []string{"approve", "sb1:", "sb1:nonsense", "sbshare1:rm -rf", "sb2:details:x"} {
		body := strings.Replace(string(h.fixture("interactions/block_actions.json")), "sb1:details:sechack365", v, 1)
		body = strings.Replace(body, "3b9d1a32a5b1f0e0c3d1", "x"+v, 1) // a new trigger_id each
		h.interaction([]byte(body))
	}
	h.drain()
	if n := len(h.bot.asked()); n != 0 {
		t.Errorf("bot asked %d times for values we did not make", n)
	}
}

// TestFeedbackButtonAnsweredToTheVoter: a 👍 under an answer in a thread
// is answered only to the person who tapped it (a new ephemeral message
// through the response_url), not in the thread, and the answer stays.
func TestFeedbackButtonAnsweredToTheVoter(t *testing.T) {
	h := newHarness(t, nil)
	body := strings.Replace(string(h.fixture("interactions/block_actions.json")), "sb1:details:sechack365", bot.FeedbackFor(sampleID, sampleTag).Up.Payload(), 1)
	body = strings.Replace(body, `"action_id": "sb-card-1-0"`, `"action_id": "`+actionHelpful+`"`, 1)
	h.interaction([]byte(body))
	h.drain()
	hooks := h.api.Calls(slacktest.OpResponseURL)
	if len(hooks) != 1 || len(h.api.Calls("chat.postMessage")) != 0 {
		t.Fatalf("calls = %v; want one response_url post and nothing in the thread", slacktest.Ops(h.api.All()))
	}
	if c := hooks[0].JSON; c["replace_original"] != false || c["response_type"] != "ephemeral" {
		t.Errorf("replace_original = %v, response_type = %v; want a new ephemeral message", c["replace_original"], c["response_type"])
	}
	qs := h.bot.asked()
	if len(qs) != 1 || qs[0].Action == nil || qs[0].Action.Kind != bot.ActionFeedback || qs[0].Conversation != "slack:T0TEAM001:U0USER002:C0CHAN001" {
		t.Errorf("questions = %+v; want the ballot, from the clicker's own conversation", qs)
	}
}
