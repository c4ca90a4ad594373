package slack

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// The tests in this file run the real bot over the shipped knowledge base:
// they are the "Done when".

// realBot builds the real bot with its own conversation store; the
// catalog (and the dictionary) are loaded once per test binary.
func realBot(t *testing.T) *dialog.Engine {
	t.Helper()
	return dialogtest.New(t)
}

// detailsIDs returns the initiative ids of the details buttons in blocks,
// in order: one per programme card.
func detailsIDs(t *testing.T, blocks []any) []string {
	t.Helper()
	var ids []string
	for _, b := range blocks {
		m := b.(map[string]any)
		if m["type"] != "actions" {
			continue
		}
		for _, e := range m["elements"].([]any) {
			el := e.(map[string]any)
			id, _ := el["action_id"].(string)
			v, _ := el["value"].(string)
			if a, err := bot.ParseAction(v); err == nil && a.Kind == bot.ActionDetails && strings.HasPrefix(id, "sb-card-") {
				ids = append(ids, a.Value)
			}
		}
	}
	return ids
}

func asMaps(t *testing.T, blocks []any) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, b := range blocks {
		out = append(out, b.(map[string]any))
	}
	return out
}

// TestDoneWhenMentionOfLocalSeminars: a signed app_mention of "local
// seminars" produces exactly one chat.postMessage in the thread with Block
// Kit blocks listing regional programmes.
func TestDoneWhenMentionOfLocalSeminars(t *testing.T) {
	h := newHarness(t, realBot(t))
	if w := h.event(h.fixture("events/app_mention.json")); w.Code != http.StatusOK {
		t.Fatalf("status = %d", w.Code)
	}
	h.drain()
	posts := h.api.Calls("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("%d chat.postMessage calls; want exactly 1 (calls: %v)", len(posts), slacktest.Ops(h.api.All()))
	}
	p := posts[0]
	if ch, th := p.Form.Get("channel"), p.Form.Get("thread_ts"); ch != "C0CHAN001" || th != "1761955200.000100" {
		t.Errorf("posted to %q thread %q; want C0CHAN001 in the mention's thread", ch, th)
	}
	blocks := p.Blocks(t)
	for _, problem := range checkJSONBlocks(asMaps(t, blocks), maxMessageBlocks) {
		t.Error(problem)
	}
	if p.Text() == "" {
		t.Error("no fallback text")
	}
	regional := map[string]bool{}
	for _, in := range dialogtest.Catalog(t).InCategory("regional") {
		regional[in.ID] = true
	}
	ids := detailsIDs(t, blocks)
	if len(ids) == 0 {
		t.Fatal("no programme cards in the answer")
	}
	// The regional programmes lead; a programme from another group may
	// follow only when it, too, is a seminar held locally (the METI/IPA
	// train-the-trainer seminars run across Japan with local chambers).
	lead := min(3, len(ids))
	for i, id := range ids {
		in, ok := dialogtest.Catalog(t).Initiative(id)
		if !ok {
			t.Fatalf("card %q is not in the catalog", id)
		}
		switch {
		case regional[id]:
		case i < lead:
			t.Errorf("card %d %q is not a regional programme; the first %d must be (regional: %v)", i+1, id, lead, regional)
		case !slices.Contains(in.Kinds, "seminar"):
			t.Errorf("card %d %q is neither a regional programme nor a seminar", i+1, id)
		}
	}
}

// TestDoneWhenSupportGrantsIsEphemeral: "/support 助成金" answers
// ephemerally, in the response itself.
func TestDoneWhenSupportGrantsIsEphemeral(t *testing.T) {
	h := newHarness(t, realBot(t))
	w := h.command(h.fixture("commands/support.form"))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d", w.Code)
	}
	typ, text, blocks := reply(t, w.Body.String())
	if typ != "ephemeral" || text == "" {
		t.Fatalf("reply = %q %q; want an ephemeral answer with fallback text", typ, text)
	}
	for _, problem := range checkJSONBlocks(blocks, maxMessageBlocks) {
		t.Error(problem)
	}
	var anys []any
	for _, b := range blocks {
		anys = append(anys, b)
	}
	if ids := detailsIDs(t, anys); len(ids) == 0 {
		t.Error("no programme in the answer to 助成金")
	}
	raw, _ := json.Marshal(blocks)
	if !strings.Contains(string(raw), "sbshare1:") {
		t.Error("no share button")
	}
	h.drain()
	if n := len(h.api.All()); n != 0 {
		t.Errorf("%d calls to Slack; want the answer in the response only", n)
	}
}

// TestDoneWhenReplayRefused: a replayed request with an old timestamp is
// refused and answers nothing.
func TestDoneWhenReplayRefused(t *testing.T) {
	h := newHarness(t, realBot(t))
	body := h.fixture("events/app_mention.json")
	r := httptest.NewRequest(http.MethodPost, "/slack/events", bytes.NewReader(body))
	slacktest.Sign(r.Header, testSecret, h.clock.Add(-10*time.Minute), body)
	if w := serve(h.a.Events(), r); w.Code != http.StatusUnauthorized {
		t.Errorf("status = %d; want 401", w.Code)
	}
	h.drain()
	if n := len(h.api.All()); n != 0 {
		t.Errorf("%d calls to Slack for a replay", n)
	}
}

// TestRealBotMoreInThread: the "more" button under a mention's answer
// continues that person's results in the same thread.
func TestRealBotMoreInThread(t *testing.T) {
	h := newHarness(t, realBot(t))
	h.event(h.fixture("events/app_mention.json"))
	first := h.api.WaitFor(t, "chat.postMessage", 1)[0]
	firstIDs := detailsIDs(t, first.Blocks(t))
	if !strings.Contains(rawJSON(first.Blocks(t)), `"sb1:more"`) {
		t.Skip("the answer to \"local seminars\" fits one page; nothing to page through")
	}
	click := strings.NewReplacer(
		"U0USER002", "U0USER001", "bob", "alice",
		"sb1:details:sechack365", "sb1:more",
	).Replace(string(h.fixture("interactions/block_actions.json")))
	h.interaction([]byte(click))
	h.drain()
	posts := h.api.Calls("chat.postMessage")
	if len(posts) != 2 {
		t.Fatalf("%d posts; want 2", len(posts))
	}
	if th := posts[1].Form.Get("thread_ts"); th != "1761955200.000100" {
		t.Errorf("more posted in thread %q; want the mention's", th)
	}
	next := detailsIDs(t, posts[1].Blocks(t))
	if len(next) == 0 {
		t.Fatal("more showed no programmes")
	}
	seen := map[string]bool{}
	for _, id := range firstIDs {
		seen[id] = true
	}
	for _, id := range next {
		if seen[id] {
			t.Errorf("more repeated %q from the first page", id)
		}
	}
}

// TestRealBotHome: the Home tab lists the categories of the catalog.
func TestRealBotHome(t *testing.T) {
	h := newHarness(t, realBot(t))
	h.event(h.fixture("events/app_home_opened.json"))
	h.drain()
	pubs := h.api.Calls("views.publish")
	if len(pubs) != 1 {
		t.Fatalf("%d views.publish; want 1", len(pubs))
	}
	blocks := pubs[0].Blocks(t)
	for _, problem := range checkJSONBlocks(asMaps(t, blocks), maxViewBlocks) {
		t.Error(problem)
	}
	raw := rawJSON(blocks)
	for _, c := range dialogtest.Catalog(t).Taxonomy.Categories {
		if !strings.Contains(raw, "sb1:category:"+c.ID) {
			t.Errorf("home has no button for category %s", c.ID)
		}
	}
}
