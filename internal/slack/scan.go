package slack

import (
	"encoding/json"
	"strconv"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/supportbot/supportbot/internal/jsonscan"
)

// scanEnvelope reads an Events API body of the plain shape Slack sends
// in one pass (jsonscan), without encoding/json's reflection and its
// validating pass first (1.4 % of the server's CPU under cmd/loadgen). It
// gives up, ok false, on anything that is not plain (see jsonscan), on
// null, and on a property given twice; parseAnswerable then reads the
// body with encoding/json, so that the result is always encoding/json's
// (FuzzScanEnvelope holds it to that).
func scanEnvelope(body []byte) (env answerableEnvelope, ok bool) {
	s := jsonscan.New(body)
	var m jsonscan.Seen
	ok = s.Object(func(key []byte) bool {
		switch string(key) {
		case "token":
			return s.SetStr(&m, 0, &env.Token)
		case "team_id":
			return s.SetStr(&m, 1, &env.TeamID)
		case "type":
			return s.SetStr(&m, 2, &env.Type)
		case "api_app_id":
			return s.SetStr(&m, 3, &env.APIAppID)
		case "enterprise_id":
			return s.SetStr(&m, 4, &env.EnterpriseID)
		case "is_ext_shared_channel":
			var ok bool
			env.IsExtSharedChannel, ok = s.Bool()
			return m.First(5) && ok
		case "authed_users":
			env.AuthedUsers = []string{}
			return m.First(6) && s.Array(func() bool {
				u, ok := s.Str()
				env.AuthedUsers = append(env.AuthedUsers, u)
				return ok
			})
		case "event_id":
			return s.SetStr(&m, 7, &env.EventID)
		case "event_time":
			n, ok := s.Int(strconv.IntSize)
			env.EventTime = int(n)
			return m.First(8) && ok
		case "authorizations":
			env.Authorizations = []slackapi.EventAuthorization{}
			return m.First(9) && s.Array(func() bool {
				env.Authorizations = append(env.Authorizations, slackapi.EventAuthorization{})
				return scanAuthorization(s, &env.Authorizations[len(env.Authorizations)-1])
			})
		case "event":
			env.Event = new(answerableEvent)
			return m.First(10) && scanEvent(s, env.Event)
		}
		return s.SkipUnknown(key, envelopeKeys...)
	})
	return env, ok && s.End()
}

var (
	envelopeKeys = []string{"token", "team_id", "type", "api_app_id", "enterprise_id", "is_ext_shared_channel",
		"authed_users", "event_id", "event_time", "authorizations", "event"}
	authorizationKeys = []string{"enterprise_id", "team_id", "user_id", "is_bot", "is_enterprise_install"}
	eventKeys         = []string{"type", "subtype", "user", "text", "ts", "thread_ts", "channel", "channel_type",
		"event_ts", "bot_id", "edited", "files", "message"}
	editedKeys = []string{"user", "ts"}
)

func scanAuthorization(s *jsonscan.Scanner, a *slackapi.EventAuthorization) bool {
	var m jsonscan.Seen
	return s.Object(func(key []byte) bool {
		switch string(key) {
		case "enterprise_id":
			return s.SetStr(&m, 0, &a.EnterpriseID)
		case "team_id":
			return s.SetStr(&m, 1, &a.TeamID)
		case "user_id":
			return s.SetStr(&m, 2, &a.UserID)
		case "is_bot":
			var ok bool
			a.IsBot, ok = s.Bool()
			return m.First(3) && ok
		case "is_enterprise_install":
			var ok bool
			a.IsEnterpriseInstall, ok = s.Bool()
			return m.First(4) && ok
		}
		return s.SkipUnknown(key, authorizationKeys...)
	})
}

func scanEvent(s *jsonscan.Scanner, e *answerableEvent) bool {
	var m jsonscan.Seen
	return s.Object(func(key []byte) bool {
		switch string(key) {
		case "type":
			return s.SetStr(&m, 0, &e.Type)
		case "subtype":
			return s.SetStr(&m, 1, &e.SubType)
		case "user":
			return s.SetStr(&m, 2, &e.User)
		case "text":
			return s.SetStr(&m, 3, &e.Text)
		case "ts":
			return s.SetStr(&m, 4, &e.TS)
		case "thread_ts":
			return s.SetStr(&m, 5, &e.ThreadTS)
		case "channel":
			return s.SetStr(&m, 6, &e.Channel)
		case "channel_type":
			return s.SetStr(&m, 7, &e.ChannelType)
		case "event_ts":
			return s.SetStr(&m, 8, &e.EventTS)
		case "bot_id":
			return s.SetStr(&m, 9, &e.BotID)
		case "edited":
			e.Edited = new(slackevents.Edited)
			var em jsonscan.Seen
			return m.First(10) && s.Object(func(key []byte) bool {
				switch string(key) {
				case "user":
					return s.SetStr(&em, 0, &e.Edited.User)
				case "ts":
					return s.SetStr(&em, 1, &e.Edited.TimeStamp)
				}
				return s.SkipUnknown(key, editedKeys...)
			})
		case "files":
			e.Files = []struct{}{}
			return m.First(11) && s.Array(func() bool {
				e.Files = append(e.Files, struct{}{})
				return s.Peek() == '{' && s.Skip() // any object; anything else is encoding/json's to refuse
			})
		case "message":
			if s.Peek() == 'n' {
				return false // null: encoding/json keeps it as "null"
			}
			v, ok := s.Value()
			e.Message = append(json.RawMessage(nil), v...)
			return m.First(12) && ok
		}
		return s.SkipUnknown(key, eventKeys...)
	})
}
