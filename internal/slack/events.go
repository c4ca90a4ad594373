package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/slack-go/slack/slackevents"

	"github.com/supportbot/supportbot/internal/bot"
	desk "github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/metrics"
)

// Events serves POST /slack/events, the Events API request URL.
//
// Status codes: 200 for url_verification (the challenge, as text), for an
// event taken or deliberately ignored (bots, edits, events we do not
// handle), and for an event taken while the work queue is full: it waits
// in the overflow queue, or, past that, is shed with a short busy notice
// to the person (Slack turns off the event subscriptions of an app that
// acknowledges fewer than 5 % of deliveries in an hour, so overload must
// not mean 503s); 400 for a body that is not an Events API payload; 401,
// 405 and 413 from readVerified; 503 only while shutting down, so that
// Slack retries the event, perhaps on another replica (its retries are
// recognised by event_id).
//
// Slack wants the response within three seconds: the answer is only
// queued here (Submit never blocks) and computed and posted by the pool.
func (a *Adapter) Events() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.readVerified(w, r)
		if !ok {
			return
		}
		ev, ok := parseAnswerable(body) // the events the bot answers, in one pass (parse.go)
		if !ok {
			if ev, ok = a.parseOther(w, r, body); !ok {
				return
			}
		}
		a.serveEvent(w, r, ev)
	})
}

// parseOther reads, with slack-go, an Events API body other than an
// event the bot answers; it answers the request itself when the body
// cannot be used: 400 for one that is not an Events API payload, 200 for
// an event slack-go cannot read.
func (a *Adapter) parseOther(w http.ResponseWriter, r *http.Request, body []byte) (slackevents.EventsAPIEvent, bool) {
	var outer struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(body, &outer); err != nil || outer.Type == "" {
		a.malformed(w, r, errors.Join(errors.New("not an Events API payload"), err))
		return slackevents.EventsAPIEvent{}, false
	}
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err == nil {
		return ev, true
	}
	if outer.Type == slackevents.CallbackEvent {
		// An inner event slack-go cannot read: acknowledge it, so Slack
		// does not retry what we would drop again, and make it seen — a
		// change on Slack's side would otherwise drop people's messages
		// silently.
		a.unreadable(r.Context(), "event", innerType(body), err)
		w.WriteHeader(http.StatusOK)
		return slackevents.EventsAPIEvent{}, false
	}
	a.malformed(w, r, err)
	return slackevents.EventsAPIEvent{}, false
}

// serveEvent answers a read Events API request: the url_verification
// challenge, or 200 for an event taken or deliberately ignored (503 only
// while shutting down).
func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request, ev slackevents.EventsAPIEvent) {
	ctx := r.Context()
	switch ev.Type {
	case slackevents.URLVerification:
		uv, _ := ev.Data.(*slackevents.EventsAPIURLVerificationEvent)
		if uv == nil || uv.Challenge == "" {
			a.malformed(w, r, errors.New("url_verification without a challenge"))
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write([]byte(uv.Challenge))
		return
	case slackevents.AppRateLimited:
		a.metrics.Backpressure(channelName, metrics.ReasonAppLimit)
		a.logger(ctx).WarnContext(ctx, "Slack is rate-limiting our event subscriptions")
	case slackevents.CallbackEvent:
		if retry := r.Header.Get("X-Slack-Retry-Num"); retry != "" {
			// Headers are not signed: log them only as the tokens Slack sends.
			a.logger(ctx).InfoContext(ctx, "event retried by Slack",
				"retry", token(retry), "reason", token(r.Header.Get("X-Slack-Retry-Reason")))
		}
		if err := a.acceptEvent(ctx, ev); errors.Is(err, errBusy) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// eventWork is what an event asks of us: an answer to a question, or the
// Home tab.
type eventWork struct {
	key        string // de-duplication key
	team, user string
	what       string // for logs: "mention", "dm", "home"
	q          bot.Question
	to         destination
	home       bool
	// staff is a staff member's reply in a ticket's thread (handoff).
	staff *desk.StaffMessage
}

// planEvent decides what an event_callback asks of us; ok is false for
// everything we ignore. staffChannel is the handoff channel ("" when
// handoff is off), whose thread replies are the staff's. It is pure, so
// the fuzzer can check it.
func planEvent(ev slackevents.EventsAPIEvent, staffChannel string) (w eventWork, ok bool) {
	cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if cb == nil || !slackID(ev.TeamID) {
		return w, false
	}
	self := botUser(cb)
	w.team = ev.TeamID
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		// A mention in a DM also arrives as message.im, which answers it;
		// an edited message that mentions us was answered when first sent.
		if e.Edited != nil || e.BotID != "" || !slackID(e.User) || e.User == self || !slackID(e.Channel) || isDM(e.Channel) {
			return w, false
		}
		if staffChannel != "" && e.Channel == staffChannel && e.ThreadTimeStamp != "" {
			// A mention in a ticket's thread is a reply to the person,
			// which its message event carries.
			return w, false
		}
		thread := e.ThreadTimeStamp
		if thread == "" {
			thread = e.TimeStamp
		}
		w.user, w.what = e.User, "mention"
		w.key = eventKey(cb.EventID, e.Channel, e.TimeStamp)
		w.q = bot.Question{Conversation: conversation(w.team, e.User, e.Channel), Text: plainText(e.Text)}
		w.to = destination{channel: e.Channel, threadTS: thread}
		return w, true
	case *slackevents.MessageEvent:
		if staffChannel != "" && e.Channel == staffChannel && (e.ChannelType == "channel" || e.ChannelType == "group") {
			// message.channels / message.groups: a staff member's reply
			// in a ticket's thread.
			m, ok := staffMessage(e, self)
			if !ok {
				return w, false
			}
			w.user, w.what, w.staff = e.User, "staff", &m
			w.key = eventKey(cb.EventID, e.Channel, e.TimeStamp)
			return w, true
		}
		// message.im only: a person's new message to the bot, with files
		// (file_share: "is this phishing?" and a screenshot) or sent to a
		// thread and the conversation at once (thread_broadcast, answered
		// in its thread). Edits, deletions, joins and every other subtype,
		// other bots and our own messages (which carry bot_id) are not
		// questions.
		if e.ChannelType != "im" || !answeredSubtypes[e.SubType] || e.BotID != "" || !slackID(e.User) || e.User == self || !slackID(e.Channel) {
			return w, false
		}
		w.user, w.what = e.User, "dm"
		w.key = eventKey(cb.EventID, e.Channel, e.TimeStamp)
		w.q = bot.Question{Conversation: conversation(w.team, e.User, e.Channel), Text: plainText(e.Text)}
		if e.Message != nil {
			w.q.Attachments = len(e.Message.Files)
		}
		w.to = destination{channel: e.Channel, threadTS: e.ThreadTimeStamp}
		return w, true
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab != "home" || !slackID(e.User) {
			return w, false
		}
		w.user, w.what, w.home = e.User, "home", true
		w.key = eventKey(cb.EventID, e.User, e.EventTimeStamp)
		return w, true
	}
	return w, false
}

// answeredSubtypes are the message subtypes that are a person's new
// words to the bot ("" is a plain message).
var answeredSubtypes = map[string]bool{"": true, "file_share": true, "thread_broadcast": true}

// acceptEvent queues the work for an event_callback, or ignores it. It
// returns errBusy when the pool is full. Over HTTP and Socket Mode alike,
// de-duplication by event_id happens in the job, so an event refused here
// and redelivered is still answered once.
func (a *Adapter) acceptEvent(ctx context.Context, ev slackevents.EventsAPIEvent) error {
	w, ok := planEvent(ev, a.handoff.Channel)
	if !ok {
		a.logger(ctx).DebugContext(ctx, "event ignored", "type", ev.InnerEvent.Type)
		return nil
	}
	if w.staff != nil {
		if a.handoff.Desk == nil {
			return nil
		}
		return a.acceptStaffMessage(ctx, w.key, *w.staff)
	}
	if w.home {
		return a.submitEvent(ctx, func(ctx context.Context) {
			if a.firstSeen(ctx, w.key) {
				a.refreshHome(ctx, w.team, w.user)
			}
		})
	}
	return a.queueAnswer(ctx, w.key, w.team, w.user, w.q, w.to, w.what)
}

// queueAnswer rate-limits the person and queues the answer to q; a
// person over their limit is told so once (slowDown), and one whose
// question the overloaded server sheds is told it is busy.
func (a *Adapter) queueAnswer(ctx context.Context, key, team, user string, q bot.Question, to destination, what string) error {
	q = a.withLocale(q, team, user)
	if !a.allow(ctx, team, user) {
		a.slowDown(ctx, team, user, to, q.Text)
		return nil
	}
	err := a.submitEvent(ctx, func(ctx context.Context) {
		if !a.firstSeen(ctx, key) {
			return
		}
		ans, ok := a.answer(ctx, q)
		if !ok {
			return
		}
		err := a.deliver(ctx, to, render(ans, renderOptions{cards: a.cards}))
		a.logAnswer(ctx, what, ans, err)
	})
	if errors.Is(err, errShed) {
		a.busy(ctx, team, user, to)
	}
	return err
}

// eventKey is the de-duplication key of an event: its event_id, or where a
// payload has none, the message it is about.
func eventKey(eventID, channel, ts string) string {
	if eventID != "" {
		return "slack:event:" + eventID
	}
	return "slack:event:" + channel + ":" + ts
}

// botUser is our bot's user id, from the installation the event was
// delivered for ("authorizations"), or "" when the payload does not say.
func botUser(cb *slackevents.EventsAPICallbackEvent) string {
	for _, au := range cb.Authorizations {
		if au.IsBot && au.UserID != "" {
			return au.UserID
		}
	}
	if len(cb.AuthedUsers) == 1 && strings.HasPrefix(cb.AuthedUsers[0], "U") {
		return cb.AuthedUsers[0]
	}
	return ""
}

// innerType reads the type of an Events API payload's inner event, for
// logs and metrics: a plain token or "?".
func innerType(body []byte) string {
	var p struct {
		Event struct {
			Type    string `json:"type"`
			Subtype string `json:"subtype"`
		} `json:"event"`
	}
	_ = json.Unmarshal(body, &p)
	if p.Event.Subtype != "" {
		return token(p.Event.Type) + "." + token(p.Event.Subtype)
	}
	return token(p.Event.Type)
}

// unreadable counts a signed event or interaction slack-go could not read
// and logs it at WARN, once a minute per kind and type, with the parse
// error and never the message.
func (a *Adapter) unreadable(ctx context.Context, kind, typ string, err error) {
	a.metrics.Unreadable(channelName, kind, typ)
	if a.unread.Allow(kind + ":" + typ) {
		a.logger(ctx).WarnContext(ctx, "Slack payload not understood; acknowledged and dropped",
			"kind", kind, "type", typ, "err", err, "note", "logged once a minute per type; see supportbot_unreadable_total")
	}
}

// reToken matches what Slack puts in its retry headers ("1",
// "http_timeout").
var reToken = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)

// token returns s when it is a plain token, else "?".
func token(s string) string {
	if reToken.MatchString(s) {
		return s
	}
	return "?"
}
