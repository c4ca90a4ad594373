package slack

import (
	"strconv"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"
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
		dst = appendField(dst, `{"type":`, string(v.Type))
		if v.Text != nil {
			dst = append(dst, `,"text":`...)
			dst = appendText(dst, v.Text)
		}
		if v.BlockID != "" {
			dst = appendField(dst, `,"block_id":`, v.BlockID)
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
		dst = appendField(dst, `{"type":`, string(v.Type))
		if v.Text != nil {
			dst = append(dst, `,"text":`...)
			dst = appendText(dst, v.Text)
		}
		if v.BlockID != "" {
			dst = appendField(dst, `,"block_id":`, v.BlockID)
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
		dst = appendField(dst, `{"type":`, string(v.Type))
		if v.BlockID != "" {
			dst = appendField(dst, `,"block_id":`, v.BlockID)
		}
		return append(dst, '}'), true
	case *slackapi.ContextBlock:
		if v == nil {
			return dst, false
		}
		dst = appendField(dst, `{"type":`, string(v.Type))
		if v.BlockID != "" {
			dst = appendField(dst, `,"block_id":`, v.BlockID)
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
		dst = appendField(dst, `{"type":`, string(v.Type))
		if v.BlockID != "" {
			dst = appendField(dst, `,"block_id":`, v.BlockID)
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
		dst = appendField(dst, `"type":`, string(b.Type))
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
			dst = appendField(dst, f.key, f.v)
		}
	}
	return append(dst, '}')
}

// appendText is a TextBlockObject, or null.
func appendText(dst []byte, t *slackapi.TextBlockObject) []byte {
	if t == nil {
		return append(dst, "null"...)
	}
	dst = appendField(dst, `{"type":`, t.Type)
	dst = appendField(dst, `,"text":`, t.Text)
	if t.Emoji != nil {
		dst = append(dst, `,"emoji":`...)
		dst = strconv.AppendBool(dst, *t.Emoji)
	}
	if t.Verbatim {
		dst = append(dst, `,"verbatim":true`...)
	}
	return append(dst, '}')
}

// appendField appends key, then s as a JSON string.
func appendField(dst []byte, key, s string) []byte {
	return appendJSONString(append(dst, key...), s)
}

// appendJSONString appends s as encoding/json writes a string with HTML
// escaping (its default): <, > and & as \u003c, \u003e, \u0026, control
// characters escaped, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// jsonSafe marks the ASCII bytes encoding/json writes as they are with
// HTML escaping: printable, except ", \, <, > and &.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
