package line

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

const (
	fixtureUser  = "U4af4980629a0b1c2d3e4f5a6b7c8d9e0"
	fixtureGroup = "Ca56f94637c1d2e3f4a5b6c7d8e9f0a1b"
	fixtureRoom  = "Ra8dbf4673c1d2e3f4a5b6c7d8e9f0a1b"
)

func action(k bot.ActionKind, v string) *bot.Action { return &bot.Action{Kind: k, Value: v} }

// TestTaskFor reads every fixture through the SDK's parser and checks
// what each event asks of the bot.
func TestTaskFor(t *testing.T) {
	conv := "line:" + fixtureUser
	tests := []struct {
		fixture string
		want    []task // one per event the adapter acts on
	}{
		{"verify", nil},
		{"text", []task{{eventID: "01JGQ6Z0TDDPYRVKNK77XKC3ZR", kind: "message", conv: conv, replyToken: "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA",
			chatID: fixtureUser, question: &bot.Question{Conversation: conv, Channel: "line", Text: "子どものスマホが心配"}}}},
		{"redelivery", []task{{eventID: "01JGQ6Z0TDDPYRVKNK77XKC3ZR", kind: "message", conv: conv, replyToken: "b60d432864f44d079f6d8efe86cf404b",
			chatID: fixtureUser, redelivered: true, question: &bot.Question{Conversation: conv, Channel: "line", Text: "子どものスマホが心配"}}}},
		{"postback", []task{{eventID: "01JGQ6Z2X3Y4Z5A6B7C8D9E0F1", kind: "postback", conv: conv, replyToken: "b60d432864f44d079f6d8efe86cf404c",
			chatID: fixtureUser, question: &bot.Question{Conversation: conv, Channel: "line", Action: action(bot.ActionDetails, "sechack365")}}}},
		{"postback_foreign", []task{{eventID: "01JGQ6Z2X3Y4Z5A6B7C8D9E0F2", kind: "postback", conv: conv, replyToken: "b60d432864f44d079f6d8efe86cf404d",
			chatID: fixtureUser, question: &bot.Question{Conversation: conv, Channel: "line", Action: action(bot.ActionHelp, "")}}}},
		{"follow", []task{{eventID: "01JGQ6Z3A4B5C6D7E8F9G0H1J2", kind: "follow", conv: conv, replyToken: "85cbe770fa8b4f45bbe077b1d4be4a36",
			chatID: fixtureUser, question: &bot.Question{Conversation: conv, Channel: "line", Action: action(bot.ActionGreet, "")}}}},
		{"unfollow", []task{{eventID: "01JGQ6Z4A4B5C6D7E8F9G0H1J3", kind: "unfollow", conv: conv, forget: true}}},
		{"join", []task{{eventID: "01JGQ6Z5A4B5C6D7E8F9G0H1J4", kind: "join", conv: "line:group:" + fixtureGroup, replyToken: "0f3779fba3b349968c5d07db31eab56f",
			question: &bot.Question{Conversation: "line:group:" + fixtureGroup, Channel: "line", Action: action(bot.ActionIntro, "")}}}},
		{"sticker", []task{{eventID: "01JGQ6Z6A4B5C6D7E8F9G0H1J5", kind: "message", conv: conv, replyToken: "6b2c1a8d7e9f4a3b8c5d2e1f0a9b8c7d",
			chatID: fixtureUser, question: &bot.Question{Conversation: conv, Channel: "line", Action: action(bot.ActionUnsupported, "")}}}},
		{"image", []task{{eventID: "01JGQ6Z7A4B5C6D7E8F9G0H1J6", kind: "message", conv: conv, replyToken: "7c3d2b9e8f0a4b5c9d6e3f2a1b0c9d8e",
			chatID: fixtureUser, question: &bot.Question{Conversation: conv, Channel: "line", Action: action(bot.ActionUnsupported, "")}}}},
		{"location", []task{{eventID: "01JGQ6Z8A4B5C6D7E8F9G0H1J7", kind: "message", conv: conv, replyToken: "8d4e3c0f9a1b4c6d0e7f4a3b2c1d0e9f",
			chatID: fixtureUser, question: &bot.Question{Conversation: conv, Channel: "line", Action: action(bot.ActionUnsupported, "")}}}},
		{"group_mention", []task{{eventID: "01JGQ6Z9A4B5C6D7E8F9G0H1J8", kind: "message", conv: "line:group:" + fixtureGroup + ":" + fixtureUser,
			replyToken: "9e5f4d1a0b2c4d7e1f8a5b4c3d2e1f0a", quoteToken: "q3Plxr4AgKd572740",
			question: &bot.Question{Conversation: "line:group:" + fixtureGroup + ":" + fixtureUser, Channel: "line", Text: "中小企業向けのセミナーはある？"}}}},
		{"group_other_mention", nil},
		{"group_sticker", nil},
		{"room_mention", []task{{eventID: "01JGQ6ZCA4B5C6D7E8F9G0H1JB", kind: "message", conv: "line:room:" + fixtureRoom + ":" + fixtureUser,
			replyToken: "c2b8a7a4d3e54f0a4b1c8d7e6f5a4b3c", quoteToken: "q3Plxr4AgKd572742",
			question: &bot.Question{Conversation: "line:room:" + fixtureRoom + ":" + fixtureUser, Channel: "line", Text: "使い方"}}}},
		{"standby", nil},
		{"leave", []task{{eventID: "01JGQ6ZHA4B5C6D7E8F9G0H1JG", kind: "leave", conv: "line:group:" + fixtureGroup, forgetGroup: true}}},
		{"unsend", nil},
		{"batch", []task{
			{eventID: "01JGQ6ZFA4B5C6D7E8F9G0H1JE", kind: "follow", conv: "line:U850014438e0f1a2b3c4d5e6f7a8b9c0d", replyToken: "e4d0c9c6f5a74b2c6d3e0f9a8b7c6d5e",
				chatID:   "U850014438e0f1a2b3c4d5e6f7a8b9c0d",
				question: &bot.Question{Conversation: "line:U850014438e0f1a2b3c4d5e6f7a8b9c0d", Channel: "line", Action: action(bot.ActionGreet, "")}},
			{eventID: "01JGQ6ZGA4B5C6D7E8F9G0H1JF", kind: "message", conv: conv, replyToken: "f5e1d0d7a6b84c3d7e4f1a0b9c8d7e6f",
				chatID: fixtureUser, question: &bot.Question{Conversation: conv, Channel: "line", Text: "中小企業向けの支援"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			body := fixture(t, tt.fixture)
			agreeWithSDK(t, body)
			got, ok := ownTasks(body)
			if !ok {
				t.Fatalf("the adapter cannot read the fixture")
			}
			for i := range tt.want {
				w := &tt.want[i]
				w.at = fixtureTime
				if w.user == "" {
					w.user = userOf(w.conv)
				}
				if w.group == "" {
					w.group = groupOf(w.conv)
				}
				// Every question carries its event's id, under which a
				// message relayed to the staff is kept once.
				if w.question != nil {
					w.question.ID = w.eventID
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("taskFor(%s) =\n%s\nwant\n%s", tt.fixture, dump(got), dump(tt.want))
			}
		})
	}
}

// fixtureTime is when every fixture's event happened (2026-01-01).
var fixtureTime = time.UnixMilli(1767225600000)

// userOf and groupOf read the user and the group back from a
// conversation key.
func userOf(conv string) string {
	parts := strings.Split(conv, ":")
	if last := parts[len(parts)-1]; strings.HasPrefix(last, "U") {
		return last
	}
	return ""
}

func groupOf(conv string) string {
	parts := strings.Split(conv, ":")
	if len(parts) >= 3 && (parts[1] == "group" || parts[1] == "room") {
		return strings.Join(parts[:3], ":")
	}
	return ""
}

func dump(ts []task) string {
	var s string
	for _, t := range ts {
		q := "<nil>"
		if t.question != nil {
			b, _ := json.Marshal(t.question)
			q = string(b)
		}
		s += "  " + t.eventID + " " + t.kind + " conv=" + t.conv + " token=" + t.replyToken + " chat=" + t.chatID +
			" user=" + t.user + " group=" + t.group + " quote=" + t.quoteToken + " at=" + t.at.UTC().Format(time.RFC3339) + " q=" + q + "\n"
	}
	return s
}

func TestConversation(t *testing.T) {
	tests := []struct {
		src  source
		want string
	}{
		{source{user: "U1"}, "line:U1"},
		{source{user: "U1", group: "C1"}, "line:group:C1:U1"},
		{source{group: "C1"}, "line:group:C1"},
		{source{user: "U1", group: "R1", room: true}, "line:room:R1:U1"},
		{source{group: "R1", room: true}, "line:room:R1"},
	}
	for _, tt := range tests {
		if got := tt.src.conversation(); got != tt.want {
			t.Errorf("%+v.conversation() = %q; want %q", tt.src, got, tt.want)
		}
	}
}

func TestStripSpans(t *testing.T) {
	tests := []struct {
		text  string
		spans [][2]int
		want  string
	}{
		{"@bot hello", [][2]int{{0, 4}}, " hello"},
		{"使い方 @サポートボット", [][2]int{{4, 8}}, "使い方 "},
		// 😀 is two UTF-16 units: LINE's indexes count them so.
		{"😀 @bot hi", [][2]int{{3, 4}}, "😀  hi"},
		{"@a @b x", [][2]int{{0, 2}, {3, 2}}, "  x"},
		{"short", [][2]int{{3, 100}}, "sho"},
		{"short", [][2]int{{-1, 2}, {10, 2}, {1, 0}}, "short"},
	}
	for _, tt := range tests {
		if got := stripSpans(tt.text, tt.spans); got != tt.want {
			t.Errorf("stripSpans(%q, %v) = %q; want %q", tt.text, tt.spans, got, tt.want)
		}
	}
}
