package slacktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Identifiers the builders use unless a test sets its own, shaped as
// Slack's: the workspace, the app and its bot user, a person, a channel
// and a direct-message channel.
const (
	TeamID      = "T0TEAM001"
	AppID       = "A0APP0001"
	BotUserID   = "U0BOT0001"
	UserID      = "U0USER001"
	ChannelID   = "C0CHAN001"
	DMChannelID = "D0DMCHAN1"
)

// seq numbers the ids the builders make, so that two events built in one
// process never share an event_id, ts or trigger_id; it starts from the
// clock so that runs against one long-lived server do not collide either.
var seq atomic.Uint64

func init() { seq.Store(uint64(time.Now().UnixNano())) }

// ts is a message timestamp of now, unique within the process.
func ts(n uint64) string { return fmt.Sprintf("%d.%06d", time.Now().Unix(), n%1e6) }

// encode is v as JSON without HTML escaping: Slack sends "<@U…>" as it is.
func encode(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	// The payload types hold strings, numbers and booleans only: encoding
	// them cannot fail.
	_ = enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Callback is an Events API request body (type event_callback): the
// envelope Slack posts to the Request URL around one event.
type Callback struct {
	Token          string          `json:"token"`
	TeamID         string          `json:"team_id"`
	APIAppID       string          `json:"api_app_id"`
	Type           string          `json:"type"`
	EventID        string          `json:"event_id"`
	EventTime      int64           `json:"event_time"`
	Event          Event           `json:"event"`
	Authorizations []Authorization `json:"authorizations"`
}

// Event is the inner event of a callback: a message or an app_mention.
type Event struct {
	Type        string `json:"type"`
	User        string `json:"user"`
	Text        string `json:"text"`
	TS          string `json:"ts"`
	ThreadTS    string `json:"thread_ts,omitempty"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type,omitempty"` // message events: "im", "channel" …
	EventTS     string `json:"event_ts"`
	// Thread replies, files, edits (message events).
	Subtype      string `json:"subtype,omitempty"`
	ParentUserID string `json:"parent_user_id,omitempty"`
	Files        []File `json:"files,omitempty"`
	BotID        string `json:"bot_id,omitempty"`
	// Message is the message as it is now, in a message_changed event.
	Message *Inner `json:"message,omitempty"`
	Hidden  bool   `json:"hidden,omitempty"`
}

// Inner is the message a message_changed event carries.
type Inner struct {
	Type     string `json:"type"`
	User     string `json:"user"`
	Text     string `json:"text"`
	TS       string `json:"ts"`
	ThreadTS string `json:"thread_ts,omitempty"`
}

// File is a file shared with a message (file_share): the fields a bot
// sees, none of which gives the file to someone outside the workspace.
type File struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Mimetype   string `json:"mimetype"`
	Filetype   string `json:"filetype"`
	URLPrivate string `json:"url_private"`
}

// Authorization names the installation an event is for: the app's bot
// user in the workspace.
type Authorization struct {
	TeamID string `json:"team_id"`
	UserID string `json:"user_id"`
	IsBot  bool   `json:"is_bot"`
}

func callback(ev Event) Callback {
	n := seq.Add(1)
	ev.TS = ts(n)
	ev.EventTS = ev.TS
	return Callback{
		Token: "verification-token", TeamID: TeamID, APIAppID: AppID, Type: "event_callback",
		EventID: "Ev" + strconv.FormatUint(n, 36), EventTime: time.Now().Unix(), Event: ev,
		Authorizations: []Authorization{{TeamID: TeamID, UserID: BotUserID, IsBot: true}},
	}
}

// Mention is an app_mention: user writes "<@BotUserID> text" in channel.
func Mention(channel, user, text string) Callback {
	return callback(Event{Type: "app_mention", User: user, Text: "<@" + BotUserID + "> " + text, Channel: channel})
}

// DirectMessage is a message.im event: user writes text to the app in the
// direct-message channel.
func DirectMessage(channel, user, text string) Callback {
	return callback(Event{Type: "message", User: user, Text: text, Channel: channel, ChannelType: "im"})
}

// channelType is how a message event names the kind of channel: public
// channels are C…, private ones G… (older) or C….
func channelType(channel string) string {
	if strings.HasPrefix(channel, "G") {
		return "group"
	}
	return "channel"
}

// ThreadReply is a message.channels (or message.groups) event: user
// replies text in the thread threadTS of channel, under a message the bot
// posted.
func ThreadReply(channel, user, threadTS, text string) Callback {
	return callback(Event{Type: "message", User: user, Text: text, Channel: channel, ChannelType: channelType(channel),
		ThreadTS: threadTS, ParentUserID: BotUserID})
}

// ThreadFile is a thread reply that shares files (subtype file_share),
// with or without text.
func ThreadFile(channel, user, threadTS, text string, files ...File) Callback {
	c := ThreadReply(channel, user, threadTS, text)
	c.Event.Subtype, c.Event.Files = "file_share", files
	return c
}

// ThreadEdit is a message_changed event: user edited the reply ts in the
// thread threadTS to text. Slack sends it hidden, with the message as it
// is now inside.
func ThreadEdit(channel, user, threadTS, ts, text string) Callback {
	c := callback(Event{Type: "message", Subtype: "message_changed", Channel: channel, ChannelType: channelType(channel), Hidden: true,
		Message: &Inner{Type: "message", User: user, Text: text, TS: ts, ThreadTS: threadTS}})
	return c
}

// ByBot marks an event as posted by a bot (ours, or another's).
func (c Callback) ByBot(botID string) Callback {
	c.Event.BotID = botID
	return c
}

// Body is the callback as Slack posts it (application/json).
func (c Callback) Body() []byte { return encode(c) }

// Command is a slash command invocation, which Slack posts as a form.
type Command struct {
	Token, TeamID, ChannelID, UserID, APIAppID string
	Command, Text                              string
	ResponseURL, TriggerID                     string
}

// SlashCommand is user typing "command text" in ChannelID, answerable
// through responseURL.
func SlashCommand(command, text, responseURL string) Command {
	n := seq.Add(1)
	return Command{
		Token: "verification-token", TeamID: TeamID, ChannelID: ChannelID, UserID: UserID, APIAppID: AppID,
		Command: command, Text: text, ResponseURL: responseURL, TriggerID: fmt.Sprintf("13345224609.738474920.%x", n),
	}
}

// Body is the form Slack posts (application/x-www-form-urlencoded).
func (c Command) Body() []byte {
	return []byte(url.Values{
		"token": {c.Token}, "team_id": {c.TeamID}, "channel_id": {c.ChannelID}, "user_id": {c.UserID},
		"api_app_id": {c.APIAppID}, "command": {c.Command}, "text": {c.Text},
		"response_url": {c.ResponseURL}, "trigger_id": {c.TriggerID},
	}.Encode())
}

// BlockActions is the interaction payload of a click on a Block Kit
// element (type block_actions).
type BlockActions struct {
	Type        string    `json:"type"`
	Team        ID        `json:"team"`
	User        ID        `json:"user"`
	APIAppID    string    `json:"api_app_id"`
	TriggerID   string    `json:"trigger_id"`
	Channel     ID        `json:"channel"`
	Container   Container `json:"container"`
	ResponseURL string    `json:"response_url"`
	Actions     []Action  `json:"actions"`
}

// ID is an object Slack names by its id alone.
type ID struct {
	ID string `json:"id"`
}

// Container is where the clicked element is: a message, or the Home tab.
type Container struct {
	Type        string `json:"type"`
	MessageTS   string `json:"message_ts,omitempty"`
	ChannelID   string `json:"channel_id,omitempty"`
	IsEphemeral bool   `json:"is_ephemeral"`
}

// Action is one clicked element.
type Action struct {
	ActionID string `json:"action_id"`
	BlockID  string `json:"block_id"`
	Type     string `json:"type"`
	Value    string `json:"value"`
	ActionTS string `json:"action_ts"`
}

// Click is user clicking a button (actionID, carrying value) on a message
// the app posted in ChannelID, answerable through responseURL.
func Click(user, actionID, value, responseURL string) BlockActions {
	n := seq.Add(1)
	return BlockActions{
		Type: "block_actions", Team: ID{TeamID}, User: ID{user}, APIAppID: AppID,
		TriggerID: fmt.Sprintf("12466734323.1395872398.%x", n), Channel: ID{ChannelID},
		Container:   Container{Type: "message", MessageTS: ts(n), ChannelID: ChannelID},
		ResponseURL: responseURL,
		Actions:     []Action{{ActionID: actionID, BlockID: "b", Type: "button", Value: value, ActionTS: ts(n + 1)}},
	}
}

// ClickOn is user clicking a button (actionID, carrying value) on the
// message messageTS the app posted in channel, as block_actions.
func ClickOn(channel, messageTS, user, actionID, value, responseURL string) BlockActions {
	b := Click(user, actionID, value, responseURL)
	b.Channel = ID{channel}
	b.Container = Container{Type: "message", MessageTS: messageTS, ChannelID: channel}
	return b
}

// Body is the form Slack posts: the payload JSON in one field.
func (b BlockActions) Body() []byte { return PayloadForm(encode(b)) }

// PayloadForm is how Slack posts an interaction payload:
// application/x-www-form-urlencoded with the JSON in the field "payload".
func PayloadForm(payload []byte) []byte {
	return []byte("payload=" + url.QueryEscape(string(payload)))
}
