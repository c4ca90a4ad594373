package line

import (
	"strings"
	"unicode/utf16"

	"github.com/line/line-bot-sdk-go/v8/linebot/webhook"

	"github.com/supportbot/supportbot/internal/bot"
)

// channel names the adapter in questions and metrics.
const channel = "line"

// task is what one webhook event asks of us, decided while the webhook is
// being acknowledged and carried out later in the work pool.
type task struct {
	// eventID is the webhookEventId: the de-duplication key.
	eventID string
	// kind is the event type, for logs.
	kind string
	// conv keys the conversation state ("line:U…", "line:group:C…:U…").
	conv string
	// replyToken answers the event; empty when the event cannot be
	// answered (unfollow).
	replyToken string
	// chatID is the user id of a one-to-one chat, where LINE can show the
	// loading animation; empty in groups and rooms.
	chatID string
	// question is asked of the bot; nil when the task only forgets.
	question *bot.Question
	// forget drops the conversation's state (unfollow).
	forget bool
	// redelivered is LINE's deliveryContext.isRedelivery, for logs.
	redelivered bool
}

// source is where an event happened.
type source struct {
	user  string // the user's id; may be empty in groups and rooms
	group string // group or room id; empty in one-to-one chats
	room  bool
}

// conversation keys dialog state: one per user in a one-to-one chat, one
// per user within a group or room, so people in a group do not page
// through each other's results.
func (s source) conversation() string {
	switch {
	case s.group == "":
		return "line:" + s.user
	case s.room && s.user != "":
		return "line:room:" + s.group + ":" + s.user
	case s.room:
		return "line:room:" + s.group
	case s.user != "":
		return "line:group:" + s.group + ":" + s.user
	}
	return "line:group:" + s.group
}

func sourceOf(s webhook.SourceInterface) (source, bool) {
	switch v := s.(type) {
	case webhook.UserSource:
		return source{user: v.UserId}, v.UserId != ""
	case *webhook.UserSource:
		return source{user: v.UserId}, v != nil && v.UserId != ""
	case webhook.GroupSource:
		return source{user: v.UserId, group: v.GroupId}, v.GroupId != ""
	case *webhook.GroupSource:
		return source{user: v.UserId, group: v.GroupId}, v != nil && v.GroupId != ""
	case webhook.RoomSource:
		return source{user: v.UserId, group: v.RoomId, room: true}, v.RoomId != ""
	case *webhook.RoomSource:
		return source{user: v.UserId, group: v.RoomId, room: true}, v != nil && v.RoomId != ""
	}
	return source{}, false
}

// common holds the properties every event shares; the SDK gives each
// event type its own copy of them.
type common struct {
	id, kind, replyToken string
	src                  webhook.SourceInterface
	mode                 webhook.EventMode
	ctx                  *webhook.DeliveryContext
}

// eventCommon reads the shared properties of the events we handle.
func eventCommon(ev webhook.EventInterface) (common, bool) {
	switch e := ev.(type) {
	case webhook.MessageEvent:
		return common{e.WebhookEventId, "message", e.ReplyToken, e.Source, e.Mode, e.DeliveryContext}, true
	case *webhook.MessageEvent:
		return eventCommon(*e)
	case webhook.PostbackEvent:
		return common{e.WebhookEventId, "postback", e.ReplyToken, e.Source, e.Mode, e.DeliveryContext}, true
	case *webhook.PostbackEvent:
		return eventCommon(*e)
	case webhook.FollowEvent:
		return common{e.WebhookEventId, "follow", e.ReplyToken, e.Source, e.Mode, e.DeliveryContext}, true
	case *webhook.FollowEvent:
		return eventCommon(*e)
	case webhook.UnfollowEvent:
		return common{e.WebhookEventId, "unfollow", "", e.Source, e.Mode, e.DeliveryContext}, true
	case *webhook.UnfollowEvent:
		return eventCommon(*e)
	case webhook.JoinEvent:
		return common{e.WebhookEventId, "join", e.ReplyToken, e.Source, e.Mode, e.DeliveryContext}, true
	case *webhook.JoinEvent:
		return eventCommon(*e)
	}
	return common{}, false
}

// taskFor decides what an event asks of us. It reports false for events
// we leave alone: types we do not handle, events without a usable source
// or reply token, channels in standby mode (another bot server answers),
// and group messages not addressed to the bot.
func taskFor(ev webhook.EventInterface) (task, bool) {
	if ev == nil {
		return task{}, false
	}
	c, ok := eventCommon(ev)
	if !ok {
		return task{}, false
	}
	src, ok := sourceOf(c.src)
	if !ok {
		return task{}, false
	}
	t := task{eventID: c.id, kind: c.kind, conv: src.conversation(), replyToken: c.replyToken}
	if c.ctx != nil {
		t.redelivered = c.ctx.IsRedelivery
	}
	if c.kind == "unfollow" {
		// Blocked: nothing can be sent, and what we remember goes.
		t.forget = true
		return t, src.group == ""
	}
	// "standby: the bot server that received this webhook event shouldn't
	// send any messages."
	if c.mode == webhook.EventMode_STANDBY || t.replyToken == "" {
		return task{}, false
	}
	if src.group == "" {
		t.chatID = src.user
	}
	q := &bot.Question{Conversation: t.conv, Channel: channel, ID: c.id}
	switch e := deref(ev).(type) {
	case webhook.FollowEvent:
		q.Action = &bot.Action{Kind: bot.ActionGreet}
	case webhook.JoinEvent:
		q.Action = &bot.Action{Kind: bot.ActionIntro}
	case webhook.PostbackEvent:
		// Our buttons carry bot payloads; anything else (a rich menu made
		// by hand, an old button) gets the help text rather than silence.
		a := bot.Action{Kind: bot.ActionHelp}
		if e.Postback != nil {
			if parsed, err := bot.ParseAction(e.Postback.Data); err == nil {
				a = parsed
			}
		}
		q.Action = &a
	case webhook.MessageEvent:
		text, isText, addressed := messageText(e.Message, src.group != "")
		switch {
		case !addressed:
			return task{}, false
		case isText:
			q.Text = text
		default:
			q.Action = &bot.Action{Kind: bot.ActionUnsupported}
		}
	default:
		return task{}, false
	}
	t.question = q
	return t, true
}

// deref turns the pointer forms of the events we handle into values.
func deref(ev webhook.EventInterface) webhook.EventInterface {
	switch e := ev.(type) {
	case *webhook.MessageEvent:
		return *e
	case *webhook.PostbackEvent:
		return *e
	case *webhook.FollowEvent:
		return *e
	case *webhook.JoinEvent:
		return *e
	}
	return ev
}

// messageText reads a message. In a group or room only text that mentions
// the bot is addressed to it; the mention itself is cut from the question.
// Stickers, images and other media in a one-to-one chat get a hint to
// write instead; in groups they are people talking to each other.
func messageText(m webhook.MessageContentInterface, group bool) (text string, isText, addressed bool) {
	var tm *webhook.TextMessageContent
	switch v := m.(type) {
	case webhook.TextMessageContent:
		tm = &v
	case *webhook.TextMessageContent:
		tm = v
	}
	if tm == nil {
		return "", false, !group && m != nil
	}
	if !group {
		return strings.TrimSpace(tm.Text), true, true
	}
	var self [][2]int
	if tm.Mention != nil {
		for _, me := range tm.Mention.Mentionees {
			switch u := me.(type) {
			case webhook.UserMentionee:
				if u.IsSelf {
					self = append(self, [2]int{int(u.Index), int(u.Length)})
				}
			case *webhook.UserMentionee:
				if u != nil && u.IsSelf {
					self = append(self, [2]int{int(u.Index), int(u.Length)})
				}
			}
		}
	}
	if len(self) == 0 {
		return "", true, false
	}
	return strings.TrimSpace(stripSpans(tm.Text, self)), true, true
}

// stripSpans removes [index, index+length) spans counted in UTF-16 code
// units, as LINE counts mention positions. Spans out of range are clipped.
func stripSpans(s string, spans [][2]int) string {
	u := utf16.Encode([]rune(s))
	drop := make([]bool, len(u))
	for _, sp := range spans {
		from, n := sp[0], sp[1]
		if from < 0 || n <= 0 || from >= len(u) {
			continue
		}
		for i := from; i < len(u) && i < from+n; i++ {
			drop[i] = true
		}
	}
	kept := make([]uint16, 0, len(u))
	for i, c := range u {
		if !drop[i] {
			kept = append(kept, c)
		}
	}
	return string(utf16.Decode(kept))
}
