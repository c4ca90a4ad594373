package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/bounds"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// The fuzz targets feed arbitrary, correctly signed bodies to the three
// endpoints (a signature only proves the body came from Slack, not that it
// is well formed) and check properties: no panic, every request within
// the time and memory budget (internal/bounds), only the documented
// status codes, every question keyed by Slack ids alone, every immediate
// reply within Block Kit's limits, and the real bot's answer to every
// question a body asks rendered within them too (checkRealAnswer). Seeds
// are the fixtures under testdata/ plus testdata/fuzz/<Target>/, whose
// hostile_* entries carry 100 KB texts, invalid UTF-8, NULs, bidi and
// zero-width marks, mixed scripts and 10,000-deep JSON.
//
// Their pools are closed before fuzzing: a job running in the background
// would add coverage at random and the fuzzer, which minimises every input
// that finds new coverage, would chase it. Parsing and routing run in the
// request; answering and posting are covered by the other tests and by
// FuzzRender.

// quietHarness is a harness whose pool takes no work.
func quietHarness(f *testing.F) *harness {
	h := newHarness(f, nil, func(c *Config) { c.Logger = nil }) // logs would only grow
	h.drain()
	return h
}

// fuzzBot is the real bot over the shipped knowledge, for the answers the
// targets check.
func fuzzBot(f *testing.F) *dialog.Engine {
	f.Helper()
	return dialogtest.New(f)
}

// serveWithin serves r, failing t when it takes more than the budget.
func serveWithin(t *testing.T, handler http.Handler, r *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	var w *httptest.ResponseRecorder
	if err := bounds.Within(r.URL.Path, func() { w = serve(handler, r) }); err != nil {
		t.Fatalf("%v for a body of %d bytes", err, r.ContentLength)
	}
	return w
}

// checkRealAnswer asks the real bot q, as a job would, and checks the
// message (or Home tab) it renders. The conversation is forgotten
// afterwards, so no input depends on the ones before it.
func checkRealAnswer(t *testing.T, b *dialog.Engine, q bot.Question, home bool) {
	t.Helper()
	ctx := context.Background()
	defer func() { _ = b.Forget(ctx, q.Conversation) }()
	q.Channel = channelName
	var a bot.Answer
	var err error
	if err := bounds.Within("the bot's answer", func() { a, err = b.Answer(ctx, q) }); err != nil {
		t.Fatalf("%v to %d bytes of text", err, len(q.Text))
	}
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	if home {
		for _, p := range checkBlocks(renderHome(a), maxViewBlocks) {
			t.Fatal("home:", p)
		}
		return
	}
	m := render(a, renderOptions{share: shareable(q, a)})
	for _, p := range checkBlocks(m.Blocks, maxMessageBlocks) {
		t.Fatal(p)
	}
	if units(m.Text) > maxFallbackText {
		t.Fatalf("fallback of %d units", units(m.Text))
	}
}

// addFixtures seeds f with every file of testdata/dir.
func addFixtures(f *testing.F, dir string, wrap func([]byte) []byte) {
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures in testdata/%s: %v", dir, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		b = []byte(strings.ReplaceAll(string(b), "{{RESPONSE_URL}}", "https://hooks.slack.com/commands/T0TEAM001/1/x"))
		f.Add(wrap(b))
	}
}

// checkConversation fails unless key is "slack:" and two or three Slack
// ids: nothing from outside reaches a key unchecked.
func checkConversation(t *testing.T, key string) {
	t.Helper()
	parts := strings.Split(key, ":")
	if parts[0] != "slack" || len(parts) < 3 || len(parts) > 4 {
		t.Fatalf("conversation %q is not slack:team:user[:channel]", key)
	}
	for _, id := range parts[1:] {
		if !slackID(id) {
			t.Fatalf("conversation %q holds %q, not a Slack id", key, id)
		}
	}
}

// samePlan fails unless the one-pass reading of an answerable event
// (parseAnswerable) plans what slack-go's reading plans, whenever slack-go
// can read the body: it is a shortcut to the same answer.
func samePlan(t testing.TB, body []byte) {
	t.Helper()
	fast, ok := parseAnswerable(body)
	if !ok {
		return
	}
	slow, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		// slack-go cannot read a part the bot does not use (a message's
		// blocks, say); the one pass answers what it asks.
		return
	}
	for _, staff := range []string{"", handoffChannel} { // without and with a handoff channel
		fw, fok := planEvent(fast, staff)
		sw, sok := planEvent(slow, staff)
		if fok != sok || !reflect.DeepEqual(fw, sw) {
			t.Fatalf("one pass plans %v %+v; slack-go %v %+v (handoff channel %q)", fok, fw, sok, sw, staff)
		}
	}
}

func FuzzEvents(f *testing.F) {
	addFixtures(f, "events", func(b []byte) []byte { return b })
	h := quietHarness(f)
	b := fuzzBot(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		w := serveWithin(t, h.a.Events(), h.request("/slack/events", body))
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusServiceUnavailable:
		case http.StatusRequestEntityTooLarge:
			if len(body) <= maxBody {
				t.Fatalf("413 for %d bytes", len(body))
			}
		default:
			t.Fatalf("status %d for a signed body", w.Code)
		}
		samePlan(t, body)
		ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
		if err != nil {
			return
		}
		if work, ok := planEvent(ev, ""); ok {
			if work.key == "" || !slackID(work.user) {
				t.Fatalf("plan %+v without a key or user", work)
			}
			if !work.home {
				checkConversation(t, work.q.Conversation)
				if !slackID(work.to.channel) {
					t.Fatalf("plan posts to %q", work.to.channel)
				}
			}
			checkRealAnswer(t, b, work.q, work.home)
		}
		// With a handoff channel, the staff's replies in its threads are
		// planned apart: never a question, always in a thread, by a person.
		for _, ch := range []string{slacktest.ChannelID, "G0PRIVATE1"} {
			work, ok := planEvent(ev, ch)
			if !ok || work.staff == nil {
				continue
			}
			m := work.staff
			if work.key == "" || !slackID(m.User) || m.Thread == "" || m.ID == "" || m.Thread == m.ID || m.Text == "" && m.Files == 0 || work.q.Text != "" {
				t.Fatalf("staff plan %+v, %+v", work, *m)
			}
		}
	})
}

func FuzzCommands(f *testing.F) {
	addFixtures(f, "commands", func(b []byte) []byte { return b })
	h := quietHarness(f)
	b := fuzzBot(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		w := serveWithin(t, h.a.Commands(), h.request("/slack/commands", body))
		switch w.Code {
		case http.StatusOK:
			if w.Body.Len() == 0 {
				break
			}
			var r struct {
				ResponseType string           `json:"response_type"`
				Text         string           `json:"text"`
				Blocks       []map[string]any `json:"blocks"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
				t.Fatalf("reply %q: %v", w.Body, err)
			}
			if r.ResponseType != "ephemeral" || r.Text == "" {
				t.Fatalf("reply %q is not an ephemeral message", w.Body)
			}
			for _, p := range checkJSONBlocks(r.Blocks, maxMessageBlocks) {
				t.Fatal(p)
			}
		case http.StatusBadRequest:
		default:
			t.Fatalf("status %d for a signed body", w.Code)
		}
		if cmd, err := parseCommand(context.Background(), body); err == nil && !cmd.sslCheck {
			q := commandQuestion(cmd.SlashCommand)
			checkConversation(t, q.Conversation)
			checkRealAnswer(t, b, q, false)
		}
	})
}

func FuzzInteractions(f *testing.F) {
	addFixtures(f, "interactions", func(b []byte) []byte { return b })
	h := quietHarness(f)
	b := fuzzBot(f)
	f.Fuzz(func(t *testing.T, payload []byte) {
		body := slacktest.PayloadForm(payload)
		w := serveWithin(t, h.a.Interactions(), h.request("/slack/interactions", body))
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Fatalf("status %d for a signed body", w.Code)
		}
		cb, err := parseInteraction(body)
		if err != nil {
			return
		}
		if work, ok := planInteraction(cb); ok {
			checkConversation(t, work.q.Conversation)
			if _, err := bot.ParseAction(work.act.Payload()); err != nil {
				t.Fatalf("planned action %+v does not round-trip: %v", work.act, err)
			}
			checkRealAnswer(t, b, work.q, false)
		}
	})
}

// sameEncoding fails unless appendBlocks encodes blocks byte for byte as
// encoding/json does.
func sameEncoding(t testing.TB, blocks []slackapi.Block) {
	t.Helper()
	want, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := appendBlocks(nil, blocks)
	if !ok {
		t.Fatal("appendBlocks cannot encode what render made")
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("appendBlocks =\n%s\nencoding/json =\n%s", got, want)
	}
}

// FuzzRender checks that any answer renders within every limit.
func FuzzRender(f *testing.F) {
	f.Add("「地域の取組」の取組は7件です。", "地域のセキュリティセミナー", "各地でセミナーを開いています。", "詳しく", "https://www.soumu.go.jp/", "sb1:details:x", 2, 1)
	f.Add(strings.Repeat("&<>", 2000), strings.Repeat("*", 300), "\n\n\n", strings.Repeat("😀", 80), "javascript:alert(1)", "", 60, 40)
	f.Add("", "", "", "", "", "", 0, 0)
	f.Fuzz(func(t *testing.T, text, title, summary, label, link, value string, cards, suggestions int) {
		cards, suggestions = min(max(cards, 0), 80), min(max(suggestions, 0), 60)
		a := bot.Answer{Lang: bot.Japanese, Kind: bot.KindProgrammes, Text: text, Footer: summary}
		for range cards {
			a.Cards = append(a.Cards, bot.Card{
				ID: value, Title: title, Summary: summary, URL: link, Citation: label,
				Organizations: []string{title, summary}, Audiences: []string{label},
				Buttons: []bot.Button{{Label: label, Action: &bot.Action{Kind: bot.ActionDetails, Value: value}}, {Label: label, URL: link}},
			})
		}
		for range suggestions {
			a.Suggestions = append(a.Suggestions, bot.Suggestion{Label: label, Action: bot.Action{Kind: bot.ActionAsk, Value: value}})
		}
		a.Contacts = []bot.Contact{{Name: title, What: summary, Phone: label, URL: link}}
		for _, o := range []renderOptions{{}, {share: &bot.Action{Kind: bot.ActionAsk, Value: text}}} {
			var m message
			if err := bounds.Within("render", func() { m = render(a, o) }); err != nil {
				t.Fatal(err)
			}
			for _, p := range checkBlocks(m.Blocks, maxMessageBlocks) {
				t.Fatal(p)
			}
			if units(m.Text) > maxFallbackText {
				t.Fatalf("fallback of %d units", units(m.Text))
			}
			if n := blocksText(m.Blocks); n > maxBlocksText {
				t.Fatalf("blocks carry %d characters; want at most %d", n, maxBlocksText)
			}
			sameEncoding(t, m.Blocks)
		}
		for _, p := range checkBlocks(renderHome(a), maxViewBlocks) {
			t.Fatal("home:", p)
		}
	})
}
