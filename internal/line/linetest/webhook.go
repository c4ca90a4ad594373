package linetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"
	"unicode/utf16"
)

// Identifiers the builders use unless a test sets its own: the bot's user
// id (a webhook's destination), a user and a group, shaped as LINE's.
const (
	BotUserID = "Uf0e1d2c3b4a5968778695a4b3c2d1e0f"
	UserID    = "U4af4980629a0b1c2d3e4f5a6b7c8d9e0"
	GroupID   = "Ca56f94637c1d2e3f4a5b6c7d8e9f0a1b"
)

// Event is one webhook event object (developers.line.biz, Messaging API
// reference, "Webhook event objects"). The builders below fill one as LINE
// would; a test changes any field before Body.
type Event struct {
	Type            string           `json:"type"`
	Mode            string           `json:"mode"`
	Timestamp       int64            `json:"timestamp"` // Unix milliseconds
	Source          Source           `json:"source"`
	WebhookEventID  string           `json:"webhookEventId"`
	DeliveryContext DeliveryContext  `json:"deliveryContext"`
	ReplyToken      string           `json:"replyToken,omitempty"`
	Message         *Message         `json:"message,omitempty"`
	Postback        *PostbackContent `json:"postback,omitempty"`
	Follow          *FollowDetail    `json:"follow,omitempty"`
}

// Source is who sent an event: a user in a one-to-one chat, or a user in
// a group or room.
type Source struct {
	Type    string `json:"type"` // "user", "group" or "room"
	GroupID string `json:"groupId,omitempty"`
	RoomID  string `json:"roomId,omitempty"`
	UserID  string `json:"userId,omitempty"`
}

// DeliveryContext says whether LINE is redelivering the event.
type DeliveryContext struct {
	IsRedelivery bool `json:"isRedelivery"`
}

// Message is a text message (the only kind the builders make).
type Message struct {
	ID         string   `json:"id"`
	Type       string   `json:"type"`
	QuoteToken string   `json:"quoteToken"`
	Text       string   `json:"text"`
	Mention    *Mention `json:"mention,omitempty"`
}

// Mention lists the users a message mentions.
type Mention struct {
	Mentionees []Mentionee `json:"mentionees"`
}

// Mentionee is one mention: Length characters of the text from Index.
type Mentionee struct {
	Index  int    `json:"index"`
	Length int    `json:"length"`
	UserID string `json:"userId,omitempty"`
	Type   string `json:"type"`
	IsSelf bool   `json:"isSelf,omitempty"`
}

// PostbackContent is what a postback button sent.
type PostbackContent struct {
	Data string `json:"data"`
}

// FollowDetail tells a first follow from an unblock.
type FollowDetail struct {
	IsUnblocked bool `json:"isUnblocked"`
}

// seq numbers the ids the builders make, so that two events built in one
// process never share a webhookEventId or reply token; it starts from the
// clock so that runs against one long-lived server do not collide either.
var seq atomic.Uint64

func init() { seq.Store(uint64(time.Now().UnixNano())) }

// event is an event of typ from src with fresh ids, sent now.
func event(typ string, src Source, replyable bool) Event {
	n := seq.Add(1)
	e := Event{
		Type:      typ,
		Mode:      "active",
		Timestamp: time.Now().UnixMilli(),
		Source:    src,
		// A webhookEventId is a ULID: 26 characters of Crockford base32,
		// of which hexadecimal digits are a part.
		WebhookEventID: fmt.Sprintf("01%024X", n),
	}
	if replyable {
		e.ReplyToken = fmt.Sprintf("%032x", n)
	}
	return e
}

func oneToOne(userID string) Source { return Source{Type: "user", UserID: userID} }

func textMessage(text string) *Message {
	n := seq.Add(1) % 1e17
	return &Message{ID: fmt.Sprintf("4%017d", n), Type: "text", QuoteToken: fmt.Sprintf("q%017d", n), Text: text}
}

// Text is a text message from user userID in a one-to-one chat with the
// bot.
func Text(userID, text string) Event {
	e := event("message", oneToOne(userID), true)
	e.Message = textMessage(text)
	return e
}

// GroupMention is a text message from user userID in group that mentions
// the bot, called name, at its start: "@name text".
func GroupMention(group, userID, name, text string) Event {
	e := event("message", Source{Type: "group", GroupID: group, UserID: userID}, true)
	at := "@" + name
	e.Message = textMessage(at + " " + text)
	e.Message.Mention = &Mention{Mentionees: []Mentionee{
		// LINE counts the index and length in UTF-16 code units.
		{Index: 0, Length: len(utf16.Encode([]rune(at))), UserID: BotUserID, Type: "user", IsSelf: true},
	}}
	return e
}

// Postback is a tap on a postback button carrying data, by user userID in
// a one-to-one chat.
func Postback(userID, data string) Event {
	e := event("postback", oneToOne(userID), true)
	e.Postback = &PostbackContent{Data: data}
	return e
}

// Follow is user userID adding the bot as a friend.
func Follow(userID string) Event {
	e := event("follow", oneToOne(userID), true)
	e.Follow = &FollowDetail{}
	return e
}

// Unfollow is user userID blocking the bot: LINE sends no reply token.
func Unfollow(userID string) Event { return event("unfollow", oneToOne(userID), false) }

// Leave is the bot removed from group (or leaving it): LINE sends no
// reply token and no user.
func Leave(group string) Event {
	return event("leave", Source{Type: "group", GroupID: group}, false)
}

// Body is the webhook body LINE posts for events, addressed to BotUserID.
func Body(events ...Event) []byte {
	if events == nil {
		events = []Event{} // LINE's "Verify" button sends "events":[]
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // LINE sends "<" and "&" as they are
	// The types above hold strings, numbers and booleans only: encoding
	// them cannot fail.
	_ = enc.Encode(struct {
		Destination string  `json:"destination"`
		Events      []Event `json:"events"`
	}{BotUserID, events})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
