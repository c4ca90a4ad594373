package slack

import (
	"strconv"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/jsonstr"
)

// appendBlocks appends the JSON of blocks, byte for byte what
// encoding/json makes of slack-go's types, for the blocks render makes:
// header, section (text and fields), divider, context of text, and
// actions of buttons. ok is false for anything else, which the caller
// encodes with encoding/json instead.
//
// Encoding answers was the largest share of a Slack event's CPU under
// load: encoding/json walks slack-go's types by reflection, and its
// ContextElements and BlockElements encode their contents with
// json.Marshal again, which encoding/json then validates and copies.
// FuzzRender and the golden files hold the two encodings to the same
// bytes.
func appendBlocks(dst []byte, blocks []slackapi.Block) (out []byte, ok bool) {
	if blocks == nil {
		return append(dst, "null"...), true
	}
	dst = append(dst, '[')
	for i, b := range blocks {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, ok = appendBlock(dst, b); !ok {
			return dst, false
		}
	}
	return append(dst, ']'), true
}

func appendBlock(dst []byte, b slackapi.Block) ([]byte, bool) {
	switch v := b.(type) {
	case *slackapi.HeaderBlock:
		if v == nil {
			return dst, false
		}
		dst = jsonstr.AppendField(dst, `{"type":`, string(v.Type))
		if v.Text != nil {
			dst = append(dst, `,"text":`...)
			dst = appendText(dst, v.Text)
		}
		if v.BlockID != "" {
			dst = jsonstr.AppendField(dst, `,"block_id":`, v.BlockID)
		}
		if v.Level != 0 {
			dst = append(dst, `,"level":`...)
			dst = strconv.AppendInt(dst, int64(v.Level), 10)
		}
		return append(dst, '}'), true
	case *slackapi.SectionBlock:
		if v == nil || v.Accessory != nil || v.Expand {
			return dst, false
		}
		dst = jsonstr.AppendField(dst, `{"type":`, string(v.Type))
		if v.Text != nil {
			dst = append(dst, `,"text":`...)
			dst = appendText(dst, v.Text)
		}
		if v.BlockID != "" {
			dst = jsonstr.AppendField(dst, `,"block_id":`, v.BlockID)
		}
		if len(v.Fields) > 0 {
			dst = append(dst, `,"fields":[`...)
			for i, f := range v.Fields {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendText(dst, f)
			}
			dst = append(dst, ']')
		}
		return append(dst, '}'), true
	case *slackapi.DividerBlock:
		if v == nil {
			return dst, false
		}
		dst = jsonstr.AppendField(dst, `{"type":`, string(v.Type))
		if v.BlockID != "" {
			dst = jsonstr.AppendField(dst, `,"block_id":`, v.BlockID)
		}
		return append(dst, '}'), true
	case *slackapi.ContextBlock:
		if v == nil {
			return dst, false
		}
		dst = jsonstr.AppendField(dst, `{"type":`, string(v.Type))
		if v.BlockID != "" {
			dst = jsonstr.AppendField(dst, `,"block_id":`, v.BlockID)
		}
		dst = append(dst, `,"elements":`...)
		if v.ContextElements.Elements == nil {
			dst = append(dst, "null"...)
		} else {
			dst = append(dst, '[')
			for i, e := range v.ContextElements.Elements {
				t, ok := e.(*slackapi.TextBlockObject)
				if !ok {
					return dst, false
				}
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendText(dst, t)
			}
			dst = append(dst, ']')
		}
		return append(dst, '}'), true
	case *slackapi.ActionBlock:
		if v == nil {
			return dst, false
		}
		dst = jsonstr.AppendField(dst, `{"type":`, string(v.Type))
		if v.BlockID != "" {
			dst = jsonstr.AppendField(dst, `,"block_id":`, v.BlockID)
		}
		dst = append(dst, `,"elements":`...)
		if v.Elements == nil || v.Elements.ElementSet == nil {
			dst = append(dst, "null"...)
		} else {
			dst = append(dst, '[')
			for i, e := range v.Elements.ElementSet {
				btn, ok := e.(*slackapi.ButtonBlockElement)
				if !ok || btn == nil || btn.Confirm != nil || btn.VisibleToUserIDs != nil {
					return dst, false
				}
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendButton(dst, btn)
			}
			dst = append(dst, ']')
		}
		return append(dst, '}'), true
	}
	return dst, false
}

// appendButton is a ButtonBlockElement without confirm or visible_to.
func appendButton(dst []byte, b *slackapi.ButtonBlockElement) []byte {
	dst = append(dst, '{')
	sep := ""
	if b.Type != "" {
		dst = jsonstr.AppendField(dst, `"type":`, string(b.Type))
		sep = ","
	}
	dst = append(dst, sep+`"text":`...)
	dst = appendText(dst, b.Text)
	for _, f := range [...]struct{ key, v string }{
		{`,"action_id":`, b.ActionID}, {`,"url":`, b.URL}, {`,"value":`, b.Value}, {`,"style":`, string(b.Style)},
		{`,"accessibility_label":`, b.AccessibilityLabel}, {`,"agent_prompt":`, b.AgentPrompt},
		{`,"agent_prompt_display":`, b.AgentPromptDisplay},
	} {
		if f.v != "" {
			dst = jsonstr.AppendField(dst, f.key, f.v)
		}
	}
	return append(dst, '}')
}

// appendText is a TextBlockObject, or null.
func appendText(dst []byte, t *slackapi.TextBlockObject) []byte {
	if t == nil {
		return append(dst, "null"...)
	}
	dst = jsonstr.AppendField(dst, `{"type":`, t.Type)
	dst = jsonstr.AppendField(dst, `,"text":`, t.Text)
	if t.Emoji != nil {
		dst = append(dst, `,"emoji":`...)
		dst = strconv.AppendBool(dst, *t.Emoji)
	}
	if t.Verbatim {
		dst = append(dst, `,"verbatim":true`...)
	}
	return append(dst, '}')
}
