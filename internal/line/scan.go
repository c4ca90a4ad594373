package line

import "github.com/supportbot/supportbot/internal/jsonscan"

// scanWebhook decodes a webhook of the plain shape LINE sends in one pass
// over the bytes (jsonscan), without encoding/json's reflection and its
// validating pass first (the two were 2 % of the server's CPU under
// cmd/loadgen). It gives up, ok false, on anything that is not plain (see
// jsonscan), on null, and on a property given twice; decodeWebhook then
// decodes the body with encoding/json and its rules, so that the result
// is always encoding/json's (FuzzScanWebhook holds it to that).
func scanWebhook(body []byte) (cb callback, ok bool) {
	s := jsonscan.New(body)
	ok = s.Object(func(key []byte) bool {
		if string(key) != "events" {
			return s.SkipUnknown(key, "events")
		}
		if cb.Events != nil {
			return false // twice
		}
		cb.Events = []event{}
		return s.Array(func() bool {
			cb.Events = append(cb.Events, event{})
			return scanEvent(s, &cb.Events[len(cb.Events)-1])
		})
	})
	return cb, ok && s.End()
}

var eventKeys = []string{"type", "mode", "timestamp", "webhookEventId", "replyToken", "source", "deliveryContext", "message", "postback"}

func scanEvent(s *jsonscan.Scanner, ev *event) bool {
	var m jsonscan.Seen
	return s.Object(func(key []byte) bool {
		switch string(key) {
		case "type":
			return s.SetStr(&m, 0, &ev.Type)
		case "mode":
			return s.SetStr(&m, 1, &ev.Mode)
		case "timestamp":
			var ok bool
			ev.Timestamp, ok = s.Int(64)
			return m.First(2) && ok
		case "webhookEventId":
			return s.SetStr(&m, 3, &ev.WebhookEventID)
		case "replyToken":
			return s.SetStr(&m, 4, &ev.ReplyToken)
		case "source":
			ev.Source = new(eventSource)
			return m.First(5) && scanSource(s, ev.Source)
		case "deliveryContext":
			ev.DeliveryContext = new(deliveryContext)
			var dm jsonscan.Seen
			return m.First(6) && s.Object(func(key []byte) bool {
				if string(key) != "isRedelivery" {
					return s.SkipUnknown(key, "isRedelivery")
				}
				var ok bool
				ev.DeliveryContext.IsRedelivery, ok = s.Bool()
				return dm.First(0) && ok
			})
		case "message":
			ev.Message = new(eventMessage)
			return m.First(7) && scanMessage(s, ev.Message)
		case "postback":
			ev.Postback = new(postback)
			var pm jsonscan.Seen
			return m.First(8) && s.Object(func(key []byte) bool {
				if string(key) != "data" {
					return s.SkipUnknown(key, "data")
				}
				return s.SetStr(&pm, 0, &ev.Postback.Data)
			})
		}
		return s.SkipUnknown(key, eventKeys...)
	})
}

var sourceKeys = []string{"type", "userId", "groupId", "roomId"}

func scanSource(s *jsonscan.Scanner, src *eventSource) bool {
	var m jsonscan.Seen
	return s.Object(func(key []byte) bool {
		switch string(key) {
		case "type":
			return s.SetStr(&m, 0, &src.Type)
		case "userId":
			return s.SetStr(&m, 1, &src.UserID)
		case "groupId":
			return s.SetStr(&m, 2, &src.GroupID)
		case "roomId":
			return s.SetStr(&m, 3, &src.RoomID)
		}
		return s.SkipUnknown(key, sourceKeys...)
	})
}

var (
	messageKeys   = []string{"type", "text", "quoteToken", "mention"}
	mentioneeKeys = []string{"index", "length", "type", "isSelf"}
)

func scanMessage(s *jsonscan.Scanner, msg *eventMessage) bool {
	var m jsonscan.Seen
	return s.Object(func(key []byte) bool {
		switch string(key) {
		case "type":
			return s.SetStr(&m, 0, &msg.Type)
		case "text":
			return s.SetStr(&m, 1, &msg.Text)
		case "quoteToken":
			return s.SetStr(&m, 2, &msg.QuoteToken)
		case "mention":
			if !m.First(3) {
				return false
			}
			msg.Mention = new(mention)
			var mm jsonscan.Seen
			return s.Object(func(key []byte) bool {
				if string(key) != "mentionees" {
					return s.SkipUnknown(key, "mentionees")
				}
				if !mm.First(0) {
					return false
				}
				msg.Mention.Mentionees = []mentionee{}
				return s.Array(func() bool {
					msg.Mention.Mentionees = append(msg.Mention.Mentionees, mentionee{})
					return scanMentionee(s, &msg.Mention.Mentionees[len(msg.Mention.Mentionees)-1])
				})
			})
		}
		return s.SkipUnknown(key, messageKeys...)
	})
}

func scanMentionee(s *jsonscan.Scanner, me *mentionee) bool {
	var m jsonscan.Seen
	return s.Object(func(key []byte) bool {
		switch string(key) {
		case "index", "length":
			bit, dst := 0, &me.Index
			if string(key) == "length" {
				bit, dst = 1, &me.Length
			}
			n, ok := s.Int(32)
			*dst = int32(n)
			return m.First(bit) && ok
		case "type":
			return s.SetStr(&m, 2, &me.Type)
		case "isSelf":
			var ok bool
			me.IsSelf, ok = s.Bool()
			return m.First(3) && ok
		}
		return s.SkipUnknown(key, mentioneeKeys...)
	})
}
