package line

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
)

// checkMessages fails t for anything LINE would refuse in the messages of
// one reply, by the documented limits (limits.go), and for postback data
// the bot cannot read back.
func checkMessages(t testing.TB, msgs []message) {
	t.Helper()
	if len(msgs) == 0 || len(msgs) > maxMessagesPerReply {
		t.Errorf("%d messages in a reply; want 1 to %d", len(msgs), maxMessagesPerReply)
	}
	for i, m := range msgs {
		if qr, ok := m["quickReply"].(map[string]any); ok {
			if i != len(msgs)-1 {
				t.Errorf("message %d: quick replies on a message that is not the last (LINE shows only the last one's)", i)
			}
			items, _ := qr["items"].([]any)
			if len(items) == 0 || len(items) > maxQuickReplies {
				t.Errorf("message %d: %d quick reply items; want 1 to %d", i, len(items), maxQuickReplies)
			}
			for _, it := range items {
				item, _ := it.(map[string]any)
				if item["type"] != "action" {
					t.Errorf("quick reply item type %v; want action", item["type"])
				}
				checkAction(t, item["action"], maxQuickReplyLabel)
			}
		}
		switch m["type"] {
		case "text":
			s, _ := m["text"].(string)
			if s == "" || units(s) > maxText {
				t.Errorf("message %d: text of %d units; want 1 to %d", i, units(s), maxText)
			}
		case "flex":
			alt, _ := m["altText"].(string)
			if alt == "" || units(alt) > maxAltText {
				t.Errorf("message %d: altText of %d units; want 1 to %d", i, units(alt), maxAltText)
			}
			checkContainer(t, m["contents"])
		default:
			t.Errorf("message %d: unexpected type %v", i, m["type"])
		}
	}
}

func jsonSize(t testing.TB, v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}

func checkContainer(t testing.TB, v any) {
	t.Helper()
	c, _ := v.(map[string]any)
	switch c["type"] {
	case "bubble":
		checkBubble(t, c)
	case "carousel":
		if n := jsonSize(t, c); n > maxCarouselBytes {
			t.Errorf("carousel of %d bytes; LINE allows %d", n, maxCarouselBytes)
		}
		bubbles, _ := c["contents"].([]any)
		if len(bubbles) == 0 || len(bubbles) > maxBubbles {
			t.Errorf("carousel of %d bubbles; want 1 to %d", len(bubbles), maxBubbles)
		}
		for _, b := range bubbles {
			bb, _ := b.(map[string]any)
			if bb["type"] != "bubble" {
				t.Errorf("carousel holds %v; want bubble", bb["type"])
			}
			checkBubble(t, bb)
		}
	default:
		t.Errorf("flex container type %v", c["type"])
	}
}

func checkBubble(t testing.TB, b map[string]any) {
	t.Helper()
	if n := jsonSize(t, b); n > maxBubbleBytes {
		t.Errorf("bubble of %d bytes; LINE allows %d", n, maxBubbleBytes)
	}
	if b["body"] == nil {
		t.Error("bubble without a body")
	}
	for _, block := range []string{"header", "body", "footer"} {
		if box, ok := b[block].(map[string]any); ok {
			checkComponent(t, box)
		}
	}
}

func checkComponent(t testing.TB, c map[string]any) {
	t.Helper()
	switch c["type"] {
	case "box":
		if c["layout"] == nil {
			t.Error("box without layout")
		}
		kids, ok := c["contents"].([]any)
		if !ok {
			t.Error("box without contents")
		}
		for _, k := range kids {
			km, _ := k.(map[string]any)
			checkComponent(t, km)
		}
	case "text":
		if s, _ := c["text"].(string); s == "" {
			t.Error("empty text component")
		}
		if a, ok := c["action"]; ok && a != nil {
			checkAction(t, a, maxButtonLabel)
		}
	case "button":
		checkAction(t, c["action"], maxButtonLabel)
		if a, _ := c["action"].(map[string]any); a["label"] == nil || a["label"] == "" {
			t.Error("button without label")
		}
	case "separator":
	default:
		t.Errorf("unexpected component %v", c["type"])
	}
}

func checkAction(t testing.TB, v any, maxLabel int) {
	t.Helper()
	a, _ := v.(map[string]any)
	if l, _ := a["label"].(string); units(l) > maxLabel {
		t.Errorf("action label %q of %d units; LINE allows %d here", l, units(l), maxLabel)
	}
	switch a["type"] {
	case "postback":
		data, _ := a["data"].(string)
		if data == "" || units(data) > maxPostbackData {
			t.Errorf("postback data of %d units; want 1 to %d", units(data), maxPostbackData)
		}
		if _, err := bot.ParseAction(data); err != nil {
			t.Errorf("postback data %q: %v", data, err)
		}
		if d, _ := a["displayText"].(string); units(d) > maxDisplayText {
			t.Errorf("displayText of %d units; LINE allows %d", units(d), maxDisplayText)
		}
	case "uri":
		u, _ := a["uri"].(string)
		p, err := url.Parse(u)
		if err != nil || len(u) > maxURI || (p.Scheme != "https" && p.Scheme != "http") {
			t.Errorf("uri %q: not an http(s) URL within %d characters", u, maxURI)
		}
	default:
		t.Errorf("unexpected action %v", a["type"])
	}
}
