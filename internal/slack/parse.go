package slack

import (
	"encoding/json"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// The Events API bodies of the events the bot answers (app_mention;
// message, plain or with files or a thread broadcast) are read in one
// pass into what planEvent uses; everything else, and anything the one
// pass cannot read, goes through slackevents.ParseEvent (Events). slack-go
// reads the envelope twice and the inner event twice, and a message's
// rich_text blocks, which the bot never reads, every time: under load
// that was the larger share of a Slack acknowledgement. FuzzEvents holds
// the two readings to the same plan for every body (samePlan).

// answerableEnvelope is an event_callback with the fields of its inner
// event that planEvent reads.
type answerableEnvelope struct {
	Token              string                        `json:"token"`
	TeamID             string                        `json:"team_id"`
	Type               string                        `json:"type"`
	APIAppID           string                        `json:"api_app_id"`
	EnterpriseID       string                        `json:"enterprise_id"`
	IsExtSharedChannel bool                          `json:"is_ext_shared_channel"`
	AuthedUsers        []string                      `json:"authed_users"`
	EventID            string                        `json:"event_id"`
	EventTime          int                           `json:"event_time"`
	Authorizations     []slackapi.EventAuthorization `json:"authorizations"`
	Event              *answerableEvent              `json:"event"`
}

// answerableEvent is the inner event, as far as planEvent reads it.
type answerableEvent struct {
	Type        string              `json:"type"`
	SubType     string              `json:"subtype"`
	User        string              `json:"user"`
	Text        string              `json:"text"`
	TS          string              `json:"ts"`
	ThreadTS    string              `json:"thread_ts"`
	Channel     string              `json:"channel"`
	ChannelType string              `json:"channel_type"`
	EventTS     string              `json:"event_ts"`
	BotID       string              `json:"bot_id"`
	Edited      *slackevents.Edited `json:"edited"`
	Files       []struct{}          `json:"files"`
	Message     json.RawMessage     `json:"message"`
}

// parseAnswerable reads the events the bot answers in one pass; false
// for anything else, which slack-go reads.
func parseAnswerable(body []byte) (slackevents.EventsAPIEvent, bool) {
	env, ok := scanEnvelope(body)
	if !ok {
		env = answerableEnvelope{}
		if json.Unmarshal(body, &env) != nil {
			return slackevents.EventsAPIEvent{}, false
		}
	}
	if env.Type != slackevents.CallbackEvent || env.Event == nil {
		return slackevents.EventsAPIEvent{}, false
	}
	e := env.Event
	var inner any
	switch {
	case e.Type == string(slackevents.AppMention):
		inner = &slackevents.AppMentionEvent{
			Type: e.Type, User: e.User, Text: e.Text, TimeStamp: e.TS, ThreadTimeStamp: e.ThreadTS,
			Channel: e.Channel, EventTimeStamp: e.EventTS, BotID: e.BotID, Edited: e.Edited,
		}
	case e.Type == string(slackevents.Message) && answeredSubtypes[e.SubType] && e.Message == nil:
		// A message with a "message" object (message_changed and its
		// kind) is slack-go's to read.
		inner = &slackevents.MessageEvent{
			Type: e.Type, User: e.User, Text: e.Text, TimeStamp: e.TS, ThreadTimeStamp: e.ThreadTS,
			Channel: e.Channel, ChannelType: e.ChannelType, EventTimeStamp: e.EventTS, SubType: e.SubType,
			BotID: e.BotID, Message: &slackapi.Msg{Files: make([]slackapi.File, len(e.Files))},
		}
	default:
		return slackevents.EventsAPIEvent{}, false
	}
	cb := &slackevents.EventsAPICallbackEvent{
		Type: env.Type, Token: env.Token, TeamID: env.TeamID, APIAppID: env.APIAppID, EnterpriseID: env.EnterpriseID,
		AuthedUsers: env.AuthedUsers, EventID: env.EventID, EventTime: env.EventTime,
		IsExtSharedChannel: env.IsExtSharedChannel, Authorizations: env.Authorizations,
	}
	return slackevents.EventsAPIEvent{
		Token: env.Token, TeamID: env.TeamID, Type: env.Type, APIAppID: env.APIAppID, EnterpriseID: env.EnterpriseID,
		IsExtSharedChannel: env.IsExtSharedChannel, Data: cb,
		InnerEvent: slackevents.EventsAPIInnerEvent{Type: e.Type, Data: inner},
	}, true
}
