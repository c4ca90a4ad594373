package line

import (
	"bytes"
	"strconv"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"

	"github.com/supportbot/supportbot/internal/jsonstr"
)

// The JSON of a reply, appended by hand: byte for byte what encoding/json
// makes of the wire types (wire.go), which the golden files hold, and the
// tests check on every rendering (sameEncoding). A bubble is encoded to
// be measured against LINE's size limits and again when it is sent
// (through encoding/json that was most of a LINE reply's CPU), except a
// programme card of a carousel, whose JSON the card memo keeps
// (flexBubble.enc, cards.go).

// unknownValue stands in for a value of a type the encoder does not know:
// it is not JSON, so appendReply's caller never sends it.
const unknownValue = "\x00unknown"

// appendReply appends the body of POST /v2/bot/message/reply: the
// fields of the SDK's ReplyMessageRequest in its order. ok is false for
// a message, component or action of another type than ours (the caller
// then encodes with encoding/json).
func appendReply(dst []byte, token string, msgs []messaging_api.MessageInterface) (out []byte, ok bool) {
	start := len(dst)
	defer func() {
		if ok && bytes.Contains(out[start:], []byte(unknownValue)) {
			ok = false
		}
	}()
	dst = jsonstr.AppendField(dst, `{"replyToken":`, token)
	dst = append(dst, `,"notificationDisabled":false,"messages":`...)
	if msgs == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, m := range msgs {
			if i > 0 {
				dst = append(dst, ',')
			}
			var ok bool
			if dst, ok = appendMessage(dst, m); !ok {
				return dst, false
			}
		}
		dst = append(dst, ']')
	}
	return append(dst, '}'), true
}

func appendMessage(dst []byte, m messaging_api.MessageInterface) ([]byte, bool) {
	switch v := m.(type) {
	case *textMessage:
		if v == nil {
			return append(dst, "null"...), true
		}
		dst = append(dst, '{')
		if v.QuickReply != nil {
			dst = append(dst, `"quickReply":`...)
			dst = appendQuickReply(dst, v.QuickReply)
			dst = append(dst, ',')
		}
		dst = jsonstr.AppendField(dst, `"text":`, v.Text)
		if v.QuoteToken != "" {
			dst = jsonstr.AppendField(dst, `,"quoteToken":`, v.QuoteToken)
		}
		dst = jsonstr.AppendField(dst, `,"type":`, v.Type)
		return append(dst, '}'), true
	case *flexMessage:
		if v == nil {
			return append(dst, "null"...), true
		}
		dst = append(dst, '{')
		if v.QuickReply != nil {
			dst = append(dst, `"quickReply":`...)
			dst = appendQuickReply(dst, v.QuickReply)
			dst = append(dst, ',')
		}
		dst = jsonstr.AppendField(dst, `"altText":`, v.AltText)
		dst = append(dst, `,"contents":`...)
		switch c := v.Contents.(type) {
		case *flexBubble:
			dst = appendBubble(dst, c)
		case *flexCarousel:
			dst = appendCarousel(dst, c)
		default:
			return dst, false
		}
		dst = jsonstr.AppendField(dst, `,"type":`, v.Type)
		return append(dst, '}'), true
	}
	return dst, false
}

func appendCarousel(dst []byte, c *flexCarousel) []byte {
	if c == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, `{"contents":`...)
	if c.Contents == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, b := range c.Contents {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendBubble(dst, b)
		}
		dst = append(dst, ']')
	}
	dst = jsonstr.AppendField(dst, `,"type":`, c.Type)
	return append(dst, '}')
}

func appendBubble(dst []byte, b *flexBubble) []byte {
	if b == nil {
		return append(dst, "null"...)
	}
	if b.enc != nil {
		return append(dst, b.enc...)
	}
	dst = append(dst, '{')
	if b.Body != nil {
		dst = append(dst, `"body":`...)
		dst = appendBox(dst, b.Body)
		dst = append(dst, ',')
	}
	if b.Footer != nil {
		dst = append(dst, `"footer":`...)
		dst = appendBox(dst, b.Footer)
		dst = append(dst, ',')
	}
	dst = jsonstr.AppendField(dst, `"type":`, b.Type)
	return append(dst, '}')
}

func appendBox(dst []byte, b *flexBox) []byte {
	if b == nil {
		return append(dst, "null"...)
	}
	dst = jsonstr.AppendField(dst, `{"layout":`, b.Layout)
	dst = append(dst, `,"flex":`...)
	dst = strconv.AppendInt(dst, int64(b.Flex), 10)
	if b.Spacing != "" {
		dst = jsonstr.AppendField(dst, `,"spacing":`, b.Spacing)
	}
	if b.Margin != "" {
		dst = jsonstr.AppendField(dst, `,"margin":`, b.Margin)
	}
	dst = jsonstr.AppendField(dst, `,"type":`, b.Type)
	dst = append(dst, `,"contents":`...)
	if b.Contents == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, c := range b.Contents {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendComponent(dst, c)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

func appendComponent(dst []byte, c component) []byte {
	switch v := c.(type) {
	case *flexBox:
		return appendBox(dst, v)
	case *flexText:
		return appendFlexText(dst, v)
	case *flexSeparator:
		if v == nil {
			return append(dst, "null"...)
		}
		dst = append(dst, '{')
		if v.Margin != "" {
			dst = jsonstr.AppendField(dst, `"margin":`, v.Margin)
			dst = append(dst, ',')
		}
		dst = jsonstr.AppendField(dst, `"type":`, v.Type)
		return append(dst, '}')
	case *flexButton:
		return appendButton(dst, v)
	case nil:
		return append(dst, "null"...)
	}
	return append(dst, unknownValue...) // only wire.go's types are made; appendReply refuses this
}

func appendFlexText(dst []byte, t *flexText) []byte {
	if t == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, `{"flex":`...)
	dst = strconv.AppendInt(dst, int64(t.Flex), 10)
	for _, f := range [...]struct{ key, v string }{
		{`,"text":`, t.Text}, {`,"size":`, t.Size}, {`,"color":`, t.Color}, {`,"weight":`, t.Weight},
	} {
		if f.v != "" {
			dst = jsonstr.AppendField(dst, f.key, f.v)
		}
	}
	dst = append(dst, `,"wrap":`...)
	dst = strconv.AppendBool(dst, t.Wrap)
	if t.Margin != "" {
		dst = jsonstr.AppendField(dst, `,"margin":`, t.Margin)
	}
	if t.Action != nil {
		dst = append(dst, `,"action":`...)
		dst = appendURIAction(dst, t.Action)
	}
	dst = append(dst, `,"maxLines":`...)
	dst = strconv.AppendInt(dst, int64(t.MaxLines), 10)
	dst = append(dst, `,"scaling":`...)
	dst = strconv.AppendBool(dst, t.Scaling)
	dst = jsonstr.AppendField(dst, `,"type":`, t.Type)
	return append(dst, '}')
}

func appendButton(dst []byte, b *flexButton) []byte {
	if b == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, `{"flex":`...)
	dst = strconv.AppendInt(dst, int64(b.Flex), 10)
	if b.Color != "" {
		dst = jsonstr.AppendField(dst, `,"color":`, b.Color)
	}
	if b.Style != "" {
		dst = jsonstr.AppendField(dst, `,"style":`, b.Style)
	}
	dst = append(dst, `,"action":`...)
	switch a := b.Action.(type) {
	case *postbackAction:
		dst = appendPostback(dst, a)
	case *uriAction:
		dst = appendURIAction(dst, a)
	case nil:
		dst = append(dst, "null"...)
	default:
		dst = append(dst, unknownValue...) // only wire.go's types are made; appendReply refuses this
	}
	if b.Height != "" {
		dst = jsonstr.AppendField(dst, `,"height":`, b.Height)
	}
	dst = append(dst, `,"scaling":`...)
	dst = strconv.AppendBool(dst, b.Scaling)
	dst = jsonstr.AppendField(dst, `,"type":`, b.Type)
	return append(dst, '}')
}

// appendOptional appends the non-empty of fields as an object: the
// actions and quick-reply items, whose every field is omitempty.
func appendOptional(dst []byte, fields ...[2]string) []byte {
	dst = append(dst, '{')
	first := true
	for _, f := range fields {
		if f[1] == "" {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = jsonstr.AppendField(dst, f[0], f[1])
	}
	return append(dst, '}')
}

func appendURIAction(dst []byte, a *uriAction) []byte {
	if a == nil {
		return append(dst, "null"...)
	}
	return appendOptional(dst, [2]string{`"label":`, a.Label}, [2]string{`"uri":`, a.URI}, [2]string{`"type":`, a.Type})
}

func appendPostback(dst []byte, a *postbackAction) []byte {
	if a == nil {
		return append(dst, "null"...)
	}
	return appendOptional(dst, [2]string{`"label":`, a.Label}, [2]string{`"data":`, a.Data},
		[2]string{`"displayText":`, a.DisplayText}, [2]string{`"type":`, a.Type})
}

func appendQuickReply(dst []byte, q *quickReply) []byte {
	if len(q.Items) == 0 {
		return append(dst, "{}"...)
	}
	dst = append(dst, `{"items":[`...)
	for i, it := range q.Items {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		if it.Action != nil {
			dst = append(dst, `"action":`...)
			dst = appendPostback(dst, it.Action)
			if it.Type != "" {
				dst = append(dst, ',')
			}
		}
		if it.Type != "" {
			dst = jsonstr.AppendField(dst, `"type":`, it.Type)
		}
		dst = append(dst, '}')
	}
	return append(dst, "]}"...)
}
