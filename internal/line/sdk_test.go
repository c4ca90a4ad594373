package line

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/line/line-bot-sdk-go/v8/linebot/webhook"
)

// fromSDK is the reference the adapter's own webhook types are held to:
// an event as LINE's SDK parses it, turned into the adapter's event. An
// event type, source type or message type the SDK does not know stays
// unknown, as it does for the SDK.
func fromSDK(ev webhook.EventInterface) *event {
	var out event
	common := func(kind, id, token string, src webhook.SourceInterface, mode webhook.EventMode, dc *webhook.DeliveryContext, ts int64) {
		out.Type, out.WebhookEventID, out.ReplyToken, out.Mode, out.Timestamp = kind, id, token, string(mode), ts
		if dc != nil {
			out.DeliveryContext = &deliveryContext{dc.IsRedelivery}
		}
		switch s := src.(type) {
		case webhook.UserSource:
			out.Source = &eventSource{Type: "user", UserID: s.UserId}
		case webhook.GroupSource:
			out.Source = &eventSource{Type: "group", UserID: s.UserId, GroupID: s.GroupId}
		case webhook.RoomSource:
			out.Source = &eventSource{Type: "room", UserID: s.UserId, RoomID: s.RoomId}
		case *webhook.UserSource:
			out.Source = &eventSource{Type: "user", UserID: s.UserId}
		case *webhook.GroupSource:
			out.Source = &eventSource{Type: "group", UserID: s.UserId, GroupID: s.GroupId}
		case *webhook.RoomSource:
			out.Source = &eventSource{Type: "room", UserID: s.UserId, RoomID: s.RoomId}
		case webhook.UnknownSource, *webhook.UnknownSource:
			out.Source = &eventSource{Type: "?"}
		}
	}
	switch e := ev.(type) { // the SDK gives values; take pointers alike
	case webhook.MessageEvent:
		ev = &e
	case webhook.PostbackEvent:
		ev = &e
	case webhook.FollowEvent:
		ev = &e
	case webhook.UnfollowEvent:
		ev = &e
	case webhook.JoinEvent:
		ev = &e
	case webhook.LeaveEvent:
		ev = &e
	}
	switch e := ev.(type) {
	case *webhook.MessageEvent:
		common("message", e.WebhookEventId, e.ReplyToken, e.Source, e.Mode, e.DeliveryContext, e.Timestamp)
		msg := e.Message
		if v, ok := msg.(webhook.TextMessageContent); ok {
			msg = &v
		}
		switch m := msg.(type) {
		case nil:
		case *webhook.TextMessageContent:
			out.Message = &eventMessage{Type: "text", Text: m.Text, QuoteToken: m.QuoteToken}
			if m.Mention != nil {
				out.Message.Mention = &mention{}
				for _, me := range m.Mention.Mentionees {
					var one mentionee
					switch u := me.(type) {
					case webhook.UserMentionee:
						one.Index, one.Length, one.Type, one.IsSelf = u.Index, u.Length, "user", u.IsSelf
					case webhook.AllMentionee:
						one.Index, one.Length, one.Type = u.Index, u.Length, "all"
					case *webhook.UserMentionee:
						one.Index, one.Length, one.Type, one.IsSelf = u.Index, u.Length, "user", u.IsSelf
					case *webhook.AllMentionee:
						one.Index, one.Length, one.Type = u.Index, u.Length, "all"
					default:
						one.Type = "?"
					}
					out.Message.Mention.Mentionees = append(out.Message.Mention.Mentionees, one)
				}
			}
		default:
			out.Message = &eventMessage{Type: m.GetType()}
		}
	case *webhook.PostbackEvent:
		common("postback", e.WebhookEventId, e.ReplyToken, e.Source, e.Mode, e.DeliveryContext, e.Timestamp)
		if e.Postback != nil {
			out.Postback = &postback{e.Postback.Data}
		}
	case *webhook.FollowEvent:
		common("follow", e.WebhookEventId, e.ReplyToken, e.Source, e.Mode, e.DeliveryContext, e.Timestamp)
	case *webhook.UnfollowEvent:
		common("unfollow", e.WebhookEventId, "", e.Source, e.Mode, e.DeliveryContext, e.Timestamp)
	case *webhook.JoinEvent:
		common("join", e.WebhookEventId, e.ReplyToken, e.Source, e.Mode, e.DeliveryContext, e.Timestamp)
	case *webhook.LeaveEvent:
		common("leave", e.WebhookEventId, "", e.Source, e.Mode, e.DeliveryContext, e.Timestamp)
	default:
		out.Type = "?" // an event type the adapter leaves alone
	}
	return &out
}

// sdkTasks are the tasks of a body as LINE's SDK reads it; ok is false
// when the SDK cannot parse it.
func sdkTasks(body []byte) (tasks []task, ok bool) {
	var cb webhook.CallbackRequest
	if json.Unmarshal(body, &cb) != nil {
		return nil, false
	}
	for _, ev := range cb.Events {
		if tk, ok := taskFor(fromSDK(ev)); ok {
			tasks = append(tasks, tk)
		}
	}
	return tasks, true
}

// ownTasks are the tasks of a body as the adapter reads it.
func ownTasks(body []byte) (tasks []task, ok bool) {
	cb, err := decodeWebhook(body)
	if err != nil {
		return nil, false
	}
	for i := range cb.Events {
		if tk, ok := taskFor(&cb.Events[i]); ok {
			tasks = append(tasks, tk)
		}
	}
	return tasks, true
}

// agreeWithSDK checks that whenever the SDK can parse body, the adapter
// can too and derives the same tasks. One difference is allowed:
// encoding/json matches object keys regardless of case and the SDK reads
// some (source, message) only as written, so a body with a key LINE
// would write otherwise ("sourCe") may give the adapter a task the SDK
// does not see. LINE writes its keys as documented.
func agreeWithSDK(t *testing.T, body []byte) {
	t.Helper()
	want, sdkOK := sdkTasks(body)
	if !sdkOK || miscased(body) {
		return
	}
	got, ok := ownTasks(body)
	if !ok {
		t.Fatalf("the SDK parses the body but the adapter does not")
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tasks differ from the SDK's:\n%s\nSDK:\n%s", dump(got), dump(want))
	}
}

// ownKeys are the JSON keys of the adapter's webhook types.
var ownKeys = []string{"events", "type", "mode", "timestamp", "webhookEventId", "replyToken", "source", "userId",
	"groupId", "roomId", "deliveryContext", "isRedelivery", "message", "text", "quoteToken", "mention", "mentionees",
	"index", "length", "isSelf", "postback", "data"}

// miscased reports whether body has an object key that differs from one
// of ownKeys in case only.
func miscased(body []byte) bool {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case map[string]any:
			for k, sub := range x {
				for _, own := range ownKeys {
					if k != own && strings.EqualFold(k, own) {
						return true
					}
				}
				if walk(sub) {
					return true
				}
			}
		case []any:
			for _, sub := range x {
				if walk(sub) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}
