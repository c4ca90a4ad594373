package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/bot"
)

// Interactions serves POST /slack/interactions, the interactivity request
// URL. It handles block_actions from our own buttons, whose values are
// bot.Action payloads (details, more, category, language …) or a share
// button; everything else, including clicks on link buttons, is
// acknowledged and ignored.
//
// Status codes: 200 once the payload is read (the answer follows in a
// message); 400 for a body without a JSON payload; 401, 405 and 413 from
// readVerified. Slack does not retry interactions, so a full queue is
// logged and counted, not answered with 503.
func (a *Adapter) Interactions() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.readVerified(w, r)
		if !ok {
			return
		}
		received := a.now()
		cb, err := parseInteraction(body)
		if err != nil {
			if typ, ok := interactionType(body); ok {
				// Slack's JSON, but not as slack-go reads it: acknowledge
				// (Slack does not retry interactions) and make it seen.
				a.unreadable(r.Context(), "interaction", typ, err)
				w.WriteHeader(http.StatusOK)
				return
			}
			a.malformed(w, r, err)
			return
		}
		_ = a.acceptInteraction(r.Context(), cb, received)
		w.WriteHeader(http.StatusOK)
	})
}

// parseInteraction reads the JSON in the form field "payload".
func parseInteraction(body []byte) (slackapi.InteractionCallback, error) {
	var cb slackapi.InteractionCallback
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return cb, err
	}
	payload := form.Get("payload")
	if payload == "" {
		return cb, errors.New("no payload")
	}
	if err := json.Unmarshal([]byte(payload), &cb); err != nil {
		return cb, err
	}
	return cb, nil
}

// interactionType reads the type of an interaction payload that is JSON
// with a type, whatever else it holds.
func interactionType(body []byte) (string, bool) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", false
	}
	var p struct {
		Type string `json:"type"`
	}
	if json.Unmarshal([]byte(form.Get("payload")), &p) != nil || p.Type == "" {
		return "", false
	}
	return token(p.Type), true
}

// ourAction finds the first button of ours among a payload's actions: a
// bot action, or a share button carrying one.
func ourAction(actions []*slackapi.BlockAction) (act bot.Action, share, ok bool) {
	for _, ba := range actions {
		if ba == nil || ba.Value == "" {
			continue
		}
		v, isShare := strings.CutPrefix(ba.Value, sharePrefix)
		a, err := bot.ParseAction(v)
		if err != nil {
			continue
		}
		return a, isShare, true
	}
	return bot.Action{}, false, false
}

// Where the answer to a button goes.
type route int

const (
	routeThread    route = iota // a message in a channel or DM: answer beside it (in its thread in a channel)
	routeEphemeral              // an ephemeral answer: replace it through the response_url
	routeHome                   // the Home tab: answer in the app's DM
	routeShare                  // a share button: post the answer to the channel
)

// interactionWork is what a block_actions payload asks of us.
type interactionWork struct {
	team, user, channel string
	trigger             string
	act                 bot.Action
	q                   bot.Question
	route               route
	responseURL         string
	threadTS            string
}

// planInteraction decides what a payload asks of us; ok is false for
// anything but a click on one of our buttons. It is pure, so the fuzzer
// can check it. Where the answer goes follows from where the button was:
// the Home tab answers in the app's DM; an ephemeral answer is replaced in
// place (with a new share button); a message in a channel is answered in
// its thread, in a DM beside it; a share button posts the answer to the
// channel for everyone.
func planInteraction(cb slackapi.InteractionCallback) (w interactionWork, ok bool) {
	if cb.Type != slackapi.InteractionTypeBlockActions || !slackID(cb.Team.ID) || !slackID(cb.User.ID) {
		return w, false
	}
	act, share, ok := ourAction(cb.ActionCallback.BlockActions)
	if !ok {
		return w, false
	}
	w.team, w.user, w.act, w.trigger, w.responseURL = cb.Team.ID, cb.User.ID, act, cb.TriggerID, cb.ResponseURL
	w.channel = cb.Container.ChannelID
	if w.channel == "" {
		w.channel = cb.Channel.ID
	}
	if w.channel != "" && !slackID(w.channel) {
		return w, false
	}
	home := cb.Container.Type == "view" || cb.View.Type == slackapi.VTHomeTab
	switch {
	case share:
		w.route = routeShare
	case home:
		w.route, w.channel = routeHome, ""
	case cb.Container.IsEphemeral && w.responseURL != "":
		w.route = routeEphemeral
	case w.channel != "":
		w.route = routeThread
		w.threadTS = cb.Container.ThreadTs
		if w.threadTS == "" && !isDM(w.channel) {
			w.threadTS = cb.Container.MessageTs
			if w.threadTS == "" {
				w.threadTS = cb.Message.Timestamp
			}
		}
	default:
		return w, false
	}
	w.q = bot.Question{Conversation: conversation(w.team, w.user, w.channel), Action: &w.act}
	return w, true
}

// acceptInteraction queues the answer to a button (see planInteraction).
func (a *Adapter) acceptInteraction(ctx context.Context, cb slackapi.InteractionCallback, received time.Time) error {
	if a.acceptStaffAction(ctx, cb) {
		return nil
	}
	w, ok := planInteraction(cb)
	if !ok {
		return nil
	}
	if w.trigger != "" && !a.firstSeen(ctx, "slack:action:"+w.trigger) {
		return nil
	}
	if !a.allow(ctx, w.team, w.user) {
		return nil
	}
	w.q = a.withLocale(w.q, w.team, w.user)
	return a.submit(ctx, func(ctx context.Context) {
		if w.route == routeShare {
			a.share(ctx, w.q, w.user, w.channel, w.responseURL, received)
			return
		}
		ans, ok := a.answer(ctx, w.q)
		if !ok {
			return
		}
		var err error
		switch {
		case w.act.Kind == bot.ActionFeedback && w.responseURL != "":
			// The reply to a vote is for the voter alone, beside the
			// answer, which stays as it was (in a thread, or ephemeral).
			to := destination{responseURL: w.responseURL, issued: received, mode: respondEphemeral}
			err = a.deliver(ctx, to, render(ans, renderOptions{cards: a.cards}))
		case w.route == routeHome:
			// Home tab buttons have no response_url; posting to the user
			// id opens the app's DM (the Messages tab).
			err = a.deliver(ctx, destination{channel: w.user}, render(ans, renderOptions{cards: a.cards}))
		case w.route == routeEphemeral:
			to := destination{responseURL: w.responseURL, issued: received, mode: respondReplace}
			err = a.deliver(ctx, to, render(ans, renderOptions{share: shareable(w.q, ans), cards: a.cards}))
		default:
			err = a.deliver(ctx, destination{channel: w.channel, threadTS: w.threadTS}, render(ans, renderOptions{cards: a.cards}))
		}
		a.logAnswer(ctx, "button", ans, err)
		if w.route == routeHome && w.act.Kind == bot.ActionLang {
			a.refreshHome(ctx, w.team, w.user) // the Home tab follows the new language
		}
	})
}

// share posts the answer to q in the channel through the response_url of
// the ephemeral message the share button was on, then deletes that
// message: an ephemeral message cannot be turned into a visible one, and
// the response_url can post to the channel even where the bot is not a
// member.
func (a *Adapter) share(ctx context.Context, q bot.Question, user, channel, responseURL string, issued time.Time) {
	ans, ok := a.answer(ctx, q)
	if !ok {
		return
	}
	m := render(ans, renderOptions{sharedBy: user, cards: a.cards})
	var err error
	switch {
	case responseURL != "":
		err = a.respond(ctx, responseURL, issued, m, respondInChannel)
		if err == nil {
			if derr := a.respond(ctx, responseURL, issued, message{}, respondDelete); derr != nil {
				a.logger(ctx).InfoContext(ctx, "shared answer's ephemeral original not deleted", "err", derr)
			}
		}
	case channel != "":
		err = a.postMessage(ctx, channel, "", m)
	default:
		err = errors.New("slack: share with neither response_url nor channel")
	}
	a.logAnswer(ctx, "share", ans, err)
}
