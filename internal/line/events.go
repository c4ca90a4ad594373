package line

import (
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf16"

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
	// user is the user's id, whose profile says their language; empty
	// when LINE does not give it (a group member who has not agreed to
	// share it).
	user string
	// group keys the group or room ("line:group:C…", "line:room:R…");
	// empty in a one-to-one chat.
	group string
	// quoteToken quotes the message answered; set in groups and rooms,
	// where several people talk, so the answer shows whom it is for.
	quoteToken string
	// question is asked of the bot; nil when the task only forgets.
	question *bot.Question
	// notice marks a rate-limit notice sent instead of an answer.
	notice bool
	// forget drops the conversation's state (unfollow); forgetGroup drops
	// every conversation of the group (the bot left it).
	forget, forgetGroup bool
	// redelivered is LINE's deliveryContext.isRedelivery; at is when the
	// event happened. A redelivered event older than its reply token's
	// life cannot be answered.
	redelivered bool
	at          time.Time
}

// source is where an event happened.
type source struct {
	user  string // the user's id; may be empty in groups and rooms
	group string // group or room id; empty in one-to-one chats
	room  bool
}

// groupKey keys the group or room itself, "" in a one-to-one chat.
func (s source) groupKey() string {
	switch {
	case s.group == "":
		return ""
	case s.room:
		return "line:room:" + s.group
	}
	return "line:group:" + s.group
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

// The webhook, as the adapter reads it: only the fields it uses, decoded
// in one pass. The SDK's types (webhook.CallbackRequest) decode every
// event, source and message through a map of raw JSON and again into its
// type, which under load cost more CPU than the rest of a LINE
// acknowledgement; these read the same JSON directly, through
// scanWebhook (scan.go) for the plain webhooks LINE sends and
// encoding/json for the rest. The tests hold
// them to the SDK: every fixture, and every body the fuzzer finds that
// the SDK parses, gives the same tasks through the SDK's types
// (sdk_test.go).
type callback struct {
	Events []event `json:"events"`
}

// event is one webhook event object (Messaging API reference, "Webhook
// event objects"): the common properties and the parts of message,
// postback and source events the bot reads.
type event struct {
	Type            string           `json:"type"`
	Mode            string           `json:"mode"`
	Timestamp       int64            `json:"timestamp"`
	WebhookEventID  string           `json:"webhookEventId"`
	ReplyToken      string           `json:"replyToken"`
	Source          *eventSource     `json:"source"`
	DeliveryContext *deliveryContext `json:"deliveryContext"`
	Message         *eventMessage    `json:"message"`
	Postback        *postback        `json:"postback"`
}

type deliveryContext struct {
	IsRedelivery bool `json:"isRedelivery"`
}

type postback struct {
	Data string `json:"data"`
}

type eventSource struct {
	Type    string `json:"type"` // user, group, room
	UserID  string `json:"userId"`
	GroupID string `json:"groupId"`
	RoomID  string `json:"roomId"`
}

type eventMessage struct {
	Type       string   `json:"type"`
	Text       string   `json:"text"`
	QuoteToken string   `json:"quoteToken"`
	Mention    *mention `json:"mention"`
}

type mention struct {
	Mentionees []mentionee `json:"mentionees"`
}

type mentionee struct {
	Index  int32  `json:"index"`
	Length int32  `json:"length"`
	Type   string `json:"type"` // user, all
	IsSelf bool   `json:"isSelf"`
}

// decodeWebhook reads a webhook body: a JSON object whose events are a
// list. It is no stricter than the SDK, which leaves events of types it
// does not know alone whatever they hold: a property of the wrong JSON
// type counts as absent (so such an event is left alone or, missing what
// it needs, not answered) rather than refusing the whole webhook.
func decodeWebhook(body []byte) (callback, error) {
	if cb, ok := scanWebhook(body); ok {
		return cb, nil
	}
	var cb callback
	err := json.Unmarshal(body, &cb)
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" && te.Field != "events" {
		err = nil // encoding/json went on past the property and read the rest
	}
	return cb, err
}

func sourceOf(s *eventSource) (source, bool) {
	if s == nil {
		return source{}, false
	}
	switch s.Type {
	case "user":
		return source{user: s.UserID}, s.UserID != ""
	case "group":
		return source{user: s.UserID, group: s.GroupID}, s.GroupID != ""
	case "room":
		return source{user: s.UserID, group: s.RoomID, room: true}, s.RoomID != ""
	}
	return source{}, false
}

// replyable are the event types the bot answers, and the ones it acts on
// without answering.
var (
	replyable = map[string]bool{"message": true, "postback": true, "follow": true, "join": true}
	silent    = map[string]bool{"unfollow": true, "leave": true}
)

// taskFor decides what an event asks of us. It reports false for events
// we leave alone: types we do not handle, events without a usable source
// or reply token, channels in standby mode (another bot server answers),
// and group messages not addressed to the bot. Unfollow and leave forget
// in standby too: nothing is sent.
func taskFor(ev *event) (task, bool) {
	if ev == nil || !replyable[ev.Type] && !silent[ev.Type] {
		return task{}, false
	}
	src, ok := sourceOf(ev.Source)
	if !ok {
		return task{}, false
	}
	t := task{eventID: ev.WebhookEventID, kind: ev.Type, conv: src.conversation(),
		user: src.user, group: src.groupKey(), at: time.UnixMilli(ev.Timestamp)}
	if replyable[ev.Type] {
		t.replyToken = ev.ReplyToken
	}
	if ev.DeliveryContext != nil {
		t.redelivered = ev.DeliveryContext.IsRedelivery
	}
	switch ev.Type {
	case "unfollow":
		// Blocked: nothing can be sent, and what we remember goes.
		t.forget = true
		return t, src.group == ""
	case "leave":
		// Removed from a group or room: what its members asked there goes.
		t.forgetGroup = true
		return t, src.group != ""
	}
	// "standby: the bot server that received this webhook event shouldn't
	// send any messages."
	if ev.Mode == "standby" || t.replyToken == "" {
		return task{}, false
	}
	if src.group == "" {
		t.chatID = src.user
	}
	q := &bot.Question{Conversation: t.conv, Channel: channel, ID: ev.WebhookEventID}
	switch ev.Type {
	case "follow":
		q.Action = &bot.Action{Kind: bot.ActionGreet}
	case "join":
		q.Action = &bot.Action{Kind: bot.ActionIntro}
	case "postback":
		// Our buttons carry bot payloads; anything else (a rich menu made
		// by hand, an old button) gets the help text rather than silence.
		a := bot.Action{Kind: bot.ActionHelp}
		if ev.Postback != nil {
			if parsed, err := bot.ParseAction(ev.Postback.Data); err == nil {
				a = parsed
			}
		}
		q.Action = &a
	case "message":
		text, isText, addressed := messageText(ev.Message, src.group != "")
		switch {
		case !addressed:
			return task{}, false
		case isText:
			q.Text = text
			if src.group != "" {
				t.quoteToken = ev.Message.QuoteToken
			}
		default:
			q.Action = &bot.Action{Kind: bot.ActionUnsupported}
		}
	}
	t.question = q
	return t, true
}

// messageText reads a message. In a group or room only text that mentions
// the bot is addressed to it; the mention itself is cut from the question.
// Stickers, images and other media in a one-to-one chat get a hint to
// write instead; in groups they are people talking to each other.
func messageText(m *eventMessage, group bool) (text string, isText, addressed bool) {
	if m == nil || m.Type != "text" {
		return "", false, !group && m != nil
	}
	if !group {
		return strings.TrimSpace(m.Text), true, true
	}
	var self [][2]int
	if m.Mention != nil {
		for _, me := range m.Mention.Mentionees {
			if me.Type == "user" && me.IsSelf {
				self = append(self, [2]int{int(me.Index), int(me.Length)})
			}
		}
	}
	if len(self) == 0 {
		return "", true, false
	}
	return strings.TrimSpace(stripSpans(m.Text, self)), true, true
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
