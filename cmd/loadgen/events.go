package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// questions are what synthetic users ask: the kinds of questions the bot
// is for, in Japanese and English, short and long.
var questions = []string{
	"中小企業向けの支援",
	"従業員5人でIT担当いないんだけど何からやればいい？",
	"子どものスマホが心配",
	"CTFに参加したい",
	"学校で出前授業をしてほしい",
	"詐欺にあったかもしれない",
	"地域でセキュリティの勉強会を開きたい",
	"support for small businesses",
	"free security training for teachers at our school",
	"my kid got a scam message on their phone",
	"how can students join a security contest",
	"help",
}

// platform is where an event comes from.
type platform uint8

const (
	lineEvent platform = iota
	slackEvent
)

func (p platform) String() string {
	if p == lineEvent {
		return "line"
	}
	return "slack"
}

// Identifiers. Every id carries the run's nonce, so runs against one
// long-lived server never collide in its de-duplication store, and the
// event's index, so a reply leads back to its event without a lookup.
//
//	LINE:  webhookEventId "01" + nonce + index, replyToken nonce + index
//	Slack: event_id "Ev" + nonce + index, channel "C" + nonce + n, and
//	       the message ts base+index/1e6 "." index%1e6, which the bot
//	       answers in its thread (thread_ts).
const (
	slackTeam = "T0LOADGEN"
	slackBot  = "U0LOADBOT"
)

// ids builds and reads the identifiers of one run.
type ids struct {
	nonce string // 8 characters of [0-9A-Z]
	base  int64  // Unix seconds of the first Slack ts
}

func (d ids) lineEventID(i int) string    { return fmt.Sprintf("01%s%016d", d.nonce, i) }
func (d ids) lineReplyToken(i int) string { return fmt.Sprintf("%s%024x", strings.ToLower(d.nonce), i) }

// lineIndex reads the event index back from a reply token.
func (d ids) lineIndex(token string) (int, bool) {
	rest, ok := strings.CutPrefix(token, strings.ToLower(d.nonce))
	if !ok || len(rest) != 24 {
		return 0, false
	}
	n, err := strconv.ParseInt(rest, 16, 64)
	return int(n), err == nil
}

func (d ids) lineUser(u int) string { return fmt.Sprintf("U%s%024x", strings.ToLower(d.nonce), u) }

func (d ids) slackEventID(i int) string { return fmt.Sprintf("Ev%s%012d", d.nonce, i) }
func (d ids) slackUser(u int) string    { return fmt.Sprintf("U%s%08X", d.nonce, u) }
func (d ids) slackChannel(c int) string { return fmt.Sprintf("C%s%04X", d.nonce, c) }
func (d ids) slackTS(i int) string {
	return fmt.Sprintf("%d.%06d", d.base+int64(i/1_000_000), i%1_000_000)
}

// slackIndex reads the event index back from a reply's thread_ts and
// channel.
func (d ids) slackIndex(channel, ts string) (int, bool) {
	if !strings.HasPrefix(channel, "C"+d.nonce) {
		return 0, false
	}
	sec, frac, ok := strings.Cut(ts, ".")
	if !ok || len(frac) != 6 {
		return 0, false
	}
	s, err1 := strconv.ParseInt(sec, 10, 64)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || s < d.base {
		return 0, false
	}
	return int(s-d.base)*1_000_000 + f, true
}

// lineBody is a LINE webhook with one text message event from a user in
// a one-to-one chat, with this run's ids.
func (d ids) lineBody(i, user int, text string, redelivery bool, at time.Time) []byte {
	ev := linetest.Text(d.lineUser(user), text)
	ev.Timestamp = at.UnixMilli()
	ev.WebhookEventID, ev.ReplyToken = d.lineEventID(i), d.lineReplyToken(i)
	ev.DeliveryContext.IsRedelivery = redelivery
	return linetest.Body(ev)
}

// slackBody is an Events API callback with an app_mention in a channel,
// which the bot answers in the message's thread, with this run's ids.
func (d ids) slackBody(i, user, channel int, text string, at time.Time) []byte {
	c := slacktest.Mention(d.slackChannel(channel), d.slackUser(user), text)
	c.Token, c.TeamID, c.APIAppID = "loadgen", slackTeam, "A0LOADGEN"
	c.EventID, c.EventTime = d.slackEventID(i), at.Unix()
	c.Event.Text = "<@" + slackBot + "> " + text
	c.Event.TS, c.Event.EventTS = d.slackTS(i), d.slackTS(i)
	c.Authorizations = []slacktest.Authorization{{TeamID: slackTeam, UserID: slackBot, IsBot: true}}
	return c.Body()
}
