package slack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/bot"
)

// checkBlocks reports every Block Kit limit the blocks break, as Slack
// would refuse them (invalid_blocks), reading the JSON we send.
func checkBlocks(blocks []slackapi.Block, maxBlocks int) []string {
	raw, err := json.Marshal(slackapi.Blocks{BlockSet: blocks})
	if err != nil {
		return []string{fmt.Sprintf("marshal: %v", err)}
	}
	var bs []map[string]any
	if err := json.Unmarshal(raw, &bs); err != nil {
		return []string{fmt.Sprintf("unmarshal: %v", err)}
	}
	return checkJSONBlocks(bs, maxBlocks)
}

func checkJSONBlocks(bs []map[string]any, maxBlocks int) []string {
	var bad []string
	fail := func(i int, format string, args ...any) {
		bad = append(bad, fmt.Sprintf("block %d: ", i)+fmt.Sprintf(format, args...))
	}
	if len(bs) > maxBlocks {
		bad = append(bad, fmt.Sprintf("%d blocks; max %d", len(bs), maxBlocks))
	}
	text := func(i int, what string, o any, max int, plainOnly bool) {
		m, ok := o.(map[string]any)
		if !ok {
			fail(i, "%s: no text object", what)
			return
		}
		s, _ := m["text"].(string)
		typ, _ := m["type"].(string)
		switch {
		case typ != "plain_text" && typ != "mrkdwn":
			fail(i, "%s: text type %q", what, typ)
		case plainOnly && typ != "plain_text":
			fail(i, "%s: must be plain_text", what)
		case strings.TrimSpace(s) == "":
			fail(i, "%s: empty text", what)
		case units(s) > max:
			fail(i, "%s: %d characters; max %d", what, units(s), max)
		}
	}
	for i, b := range bs {
		switch b["type"] {
		case "header":
			text(i, "header", b["text"], maxHeaderText, true)
		case "section":
			if b["text"] == nil && b["fields"] == nil {
				fail(i, "section without text or fields")
			}
			if b["text"] != nil {
				text(i, "section text", b["text"], maxSectionText, false)
			}
			fields, _ := b["fields"].([]any)
			if len(fields) > maxFields {
				fail(i, "%d fields; max %d", len(fields), maxFields)
			}
			for _, f := range fields {
				text(i, "field", f, maxFieldText, false)
			}
		case "context":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > maxContextElements {
				fail(i, "%d context elements; want 1 to %d", len(els), maxContextElements)
			}
			for _, e := range els {
				text(i, "context element", e, maxContextText, false)
			}
		case "actions":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > maxActionElements {
				fail(i, "%d action elements; want 1 to %d", len(els), maxActionElements)
			}
			ids := map[string]bool{}
			for _, e := range els {
				el := e.(map[string]any)
				text(i, "button", el["text"], maxButtonText, true)
				id, _ := el["action_id"].(string)
				if id == "" || units(id) > maxActionID || ids[id] {
					fail(i, "action_id %q empty, too long or repeated", id)
				}
				ids[id] = true
				v, _ := el["value"].(string)
				u, _ := el["url"].(string)
				if units(v) > maxButtonValue {
					fail(i, "button value of %d characters", units(v))
				}
				if u != "" && (units(u) > maxButtonURL || !webURL(u)) {
					fail(i, "button url %.40q", u)
				}
				if v == "" && u == "" {
					fail(i, "button with neither value nor url")
				}
			}
		case "divider":
		default:
			fail(i, "unexpected block type %v", b["type"])
		}
	}
	return bad
}

func TestRenderKeepsEveryLimit(t *testing.T) {
	for name, a := range map[string]bot.Answer{
		"programmes": sampleProgrammes(),
		"details":    sampleDetails(),
		"no match":   sampleNoMatch(),
		"help":       sampleHelp(bot.Japanese),
		"hostile":    sampleHostile(),
		"huge":       sampleHuge(),
		"empty":      {},
	} {
		t.Run(name, func(t *testing.T) {
			for _, o := range []renderOptions{{}, {share: &bot.Action{Kind: bot.ActionAsk, Value: strings.Repeat("質問", 500)}}, {sharedBy: "U0USER001"}} {
				m := render(a, o)
				for _, p := range checkBlocks(m.Blocks, maxMessageBlocks) {
					t.Error(p)
				}
				if n := units(m.Text); n > maxFallbackText || n > maxMessageText {
					t.Errorf("fallback text of %d characters; max %d", n, maxFallbackText)
				}
				if strings.TrimSpace(a.Text) != "" && strings.TrimSpace(m.Text) == "" {
					t.Error("no fallback text")
				}
			}
			for _, p := range checkBlocks(renderHome(a), maxViewBlocks) {
				t.Error("home:", p)
			}
		})
	}
}

func TestRenderHugeLeavesOutCardsWithANote(t *testing.T) {
	m := render(sampleHuge(), renderOptions{})
	if len(m.Blocks) > maxMessageBlocks {
		t.Fatalf("%d blocks", len(m.Blocks))
	}
	raw, _ := json.Marshal(m.Blocks)
	if !strings.Contains(string(raw), "表示しきれませんでした") {
		t.Error("cards left out without saying so")
	}
	// The suggestions and the footer survive: they are how to go on.
	if !strings.Contains(string(raw), `"sb-sug-0"`) {
		t.Error("suggestions dropped to make room for cards")
	}
}

func TestSuggestionsSplitAt25(t *testing.T) {
	var ss []bot.Suggestion
	for i := range 30 {
		ss = append(ss, bot.Suggestion{Label: fmt.Sprint("s", i), Action: bot.Action{Kind: bot.ActionCategory, Value: fmt.Sprint(i)}})
	}
	bs := suggestionBlocks(ss)
	if len(bs) != 2 {
		t.Fatalf("%d actions blocks for 30 suggestions; want 2", len(bs))
	}
	if n := len(bs[0].(*slackapi.ActionBlock).Elements.ElementSet); n != maxActionElements {
		t.Errorf("first actions block has %d elements; want %d", n, maxActionElements)
	}
}

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"日本語テキスト", 4, "日本語…"},
		{"😀😀😀", 4, "😀…"}, // an emoji is two UTF-16 units
		{"abc", 0, ""},
	} {
		if got := cut(tc.in, tc.max); got != tc.want {
			t.Errorf("cut(%q, %d) = %q; want %q", tc.in, tc.max, got, tc.want)
		}
		if got := cut(tc.in, tc.max); units(got) > tc.max {
			t.Errorf("cut(%q, %d) is %d units long", tc.in, tc.max, units(got))
		}
	}
}

func TestFitMarkupNeverSplitsAnEscape(t *testing.T) {
	s := escape(strings.Repeat("a&", 20))
	for max := 2; max < units(s); max++ {
		got := fitMarkup(s, max)
		if units(got) > max {
			t.Fatalf("fitMarkup(…, %d) is %d units", max, units(got))
		}
		body := strings.TrimSuffix(got, ellipsis)
		if i := strings.LastIndexByte(body, '&'); i >= 0 && !strings.HasPrefix(body[i:], "&amp;") {
			t.Fatalf("fitMarkup(…, %d) = %q splits an escape", max, got)
		}
	}
	lines := "*head*\n" + strings.Repeat("line\n", 10)
	if got := fitMarkup(lines, 20); !strings.HasPrefix(got, "*head*\n") || strings.Count(got, "*") != 2 {
		t.Errorf("fitMarkup dropped lines badly: %q", got)
	}
}

func TestEscapeStopsMentionsAndLinks(t *testing.T) {
	m := render(sampleHostile(), renderOptions{})
	// mrkdwn is where Slack reads mentions and links: every mrkdwn text
	// and the fallback must be escaped; plain_text is shown as is.
	texts := []string{m.Text}
	raw, _ := json.Marshal(slackapi.Blocks{BlockSet: m.Blocks})
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "mrkdwn" {
				texts = append(texts, v["text"].(string))
			}
			if u, ok := v["url"].(string); ok && !webURL(u) {
				t.Errorf("link to %q", u)
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	var bs any
	_ = json.Unmarshal(raw, &bs)
	walk(bs)
	for _, s := range texts {
		for _, bad := range []string{"<!channel>", "<@U0ATTACK1>", "<https://evil", "javascript:"} {
			if strings.Contains(s, bad) {
				t.Errorf("mrkdwn %q contains %q", s, bad)
			}
		}
	}
}

func TestPlainText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<@U0BOT0001> local seminars", "local seminars"},
		{"<@U0BOT0001|supportbot>   中小企業の支援", "中小企業の支援"},
		{"see <#C0CHAN001|general> and <https://example.org|this>", "see #general and this"},
		{"<!here> a &lt;b&gt; &amp; c", "a <b> & c"},
		{"<mailto:a@example.org>", "mailto:a@example.org"},
	} {
		if got := plainText(tc.in); got != tc.want {
			t.Errorf("plainText(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
