package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/bot"
)

// Commands serves POST /slack/commands, the request URL of /support.
//
// "/support <question>" is answered ephemerally (only the person sees it)
// with a button to share the answer to the channel; "/support", "/support
// help" and 「/support ヘルプ」 show how to ask and the categories;
// "/support insights" shows the staff the digest of the last seven days,
// in the staff channel only (staff.go). Slack
// wants a response within 3 s: an answer ready within quickReply is the
// response body itself; a slower one is acknowledged with an empty 200 and
// sent to the command's response_url when it is ready.
//
// Status codes: 200 (also for a full queue or a rate-limited person, with
// a short ephemeral message saying so: an error status would only show
// the person "dispatch_failed"); 400 for a body that is not a slash
// command; 401, 405 and 413 from readVerified.
func (a *Adapter) Commands() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.readVerified(w, r)
		if !ok {
			return
		}
		received := a.now()
		cmd, err := parseCommand(r.Context(), body)
		if err != nil {
			a.malformed(w, r, err)
			return
		}
		if cmd.sslCheck {
			w.WriteHeader(http.StatusOK)
			return
		}
		reply, h := a.startCommand(r.Context(), cmd.SlashCommand, received)
		if reply == nil {
			m, ok := h.await(a.quick)
			if !ok {
				w.WriteHeader(http.StatusOK)
				return
			}
			reply = &m
		}
		if reply.Text == "" && len(reply.Blocks) == 0 {
			w.WriteHeader(http.StatusOK) // nothing to say (a repeated request)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(slashReply(*reply))
	})
}

// command is a parsed slash command request.
type command struct {
	slackapi.SlashCommand
	sslCheck bool // Slack checking our certificate: answer 200, nothing else
}

// parseCommand reads a slash command from its verified form body with
// slack-go's parser.
func parseCommand(ctx context.Context, body []byte) (command, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, "/", bytes.NewReader(body))
	if err != nil {
		return command{}, err
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sc, err := slackapi.SlashCommandParse(r)
	if err != nil {
		return command{}, err
	}
	if r.PostForm.Get("ssl_check") == "1" {
		return command{sslCheck: true}, nil
	}
	if sc.Command == "" || !slackID(sc.TeamID) || !slackID(sc.UserID) {
		return command{}, errors.New("slash command without command, team or user")
	}
	return command{SlashCommand: sc}, nil
}

// helpWords ask for help rather than a programme, in their language;
// "" (a bare "/support" or "?") leaves the language to the conversation or
// the person's Slack locale.
var helpWords = map[string]bot.Lang{
	"": "", "help": bot.English, "?": "", "？": "",
	"ヘルプ": bot.Japanese, "使い方": bot.Japanese, "へるぷ": bot.Japanese,
}

// commandQuestion turns the text after /support into a question.
func commandQuestion(cmd slackapi.SlashCommand) bot.Question {
	channel := cmd.ChannelID
	if !slackID(channel) {
		channel = ""
	}
	q := bot.Question{Conversation: conversation(cmd.TeamID, cmd.UserID, channel)}
	text := plainText(cmd.Text)
	if l, ok := helpWords[strings.ToLower(text)]; ok {
		q.Action = &bot.Action{Kind: bot.ActionHelp}
		q.Lang = l
		return q
	}
	q.Text = text
	return q
}

// startCommand queues the answer to a slash command. It returns a reply
// to give at once (busy, rate-limited, a repeat) or else the handoff
// through which the answer comes back if it is quick.
func (a *Adapter) startCommand(ctx context.Context, cmd slackapi.SlashCommand, received time.Time) (*message, *handoff) {
	if cmd.TriggerID != "" && !a.firstSeen(ctx, "slack:command:"+cmd.TriggerID) {
		return &message{}, nil
	}
	if !a.allow(ctx, cmd.TeamID, cmd.UserID) {
		return &message{Text: bilingual(wSlowDown)}, nil
	}
	if isInsights(cmd.Text) {
		return a.startInsights(ctx, cmd, received)
	}
	q := a.withLocale(commandQuestion(cmd), cmd.TeamID, cmd.UserID)
	h := newHandoff()
	to := destination{responseURL: cmd.ResponseURL, issued: received, mode: respondEphemeral}
	err := a.submit(ctx, func(ctx context.Context) {
		ans, ok := a.answer(ctx, q)
		if !ok {
			h.abandon()
			return
		}
		m := render(ans, renderOptions{share: shareable(q, ans), cards: a.cards})
		if h.offer(m) {
			a.logAnswer(ctx, "command", ans, nil)
			return
		}
		err := a.deliver(ctx, to, m)
		a.logAnswer(ctx, "command (response_url)", ans, err)
	})
	if err != nil {
		return &message{Text: bilingual(wBusy)}, nil
	}
	return nil, h
}

// shareable is the action to ask again when the person shares an answer,
// or nil when there is nothing worth sharing or the answer cannot be
// asked for again without the person's state ("more").
func shareable(q bot.Question, ans bot.Answer) *bot.Action {
	if len(ans.Cards) == 0 {
		return nil
	}
	if q.Action != nil {
		switch q.Action.Kind {
		case bot.ActionDetails, bot.ActionCategory, bot.ActionTrouble, bot.ActionAsk:
			act := *q.Action
			return &act
		}
		return nil
	}
	if q.Text == "" {
		return nil
	}
	return &bot.Action{Kind: bot.ActionAsk, Value: q.Text}
}

// commandReply is the JSON of a slash command's immediate response.
type commandReply struct {
	ResponseType string          `json:"response_type"`
	Text         string          `json:"text"`
	Blocks       slackapi.Blocks `json:"blocks,omitzero"`
}

// slashReply is m as a slash command's response: for the person alone
// (ephemeral) unless m is for the channel.
func slashReply(m message) commandReply {
	typ := slackapi.ResponseTypeEphemeral
	if m.inChannel {
		typ = slackapi.ResponseTypeInChannel
	}
	return commandReply{ResponseType: typ, Text: m.Text, Blocks: slackapi.Blocks{BlockSet: m.Blocks}}
}

// handoff decides, once, whether a slash command's answer goes back in the
// acknowledgement (it came in time) or to the response_url (it did not).
type handoff struct {
	mu      sync.Mutex
	settled bool
	ch      chan message // buffered: offer never blocks
	gone    chan struct{}
}

func newHandoff() *handoff {
	return &handoff{ch: make(chan message, 1), gone: make(chan struct{})}
}

// offer hands m to the waiting acknowledgement and reports whether it was
// taken; false means the answer must go to the response_url.
func (h *handoff) offer(m message) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.settled {
		return false
	}
	h.settled = true
	h.ch <- m
	return true
}

// abandon tells the waiting acknowledgement that no answer will come.
func (h *handoff) abandon() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.settled {
		h.settled = true
		close(h.gone)
	}
}

// await waits up to d for the answer. false: acknowledge without it (the
// job will use the response_url, or has nothing to send).
func (h *handoff) await(d time.Duration) (message, bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case m := <-h.ch:
		return m, true
	case <-h.gone:
		return message{}, false
	case <-t.C:
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.settled {
		// Offered (or abandoned) just as the timer fired.
		select {
		case m := <-h.ch:
			return m, true
		default:
			return message{}, false
		}
	}
	h.settled = true
	return message{}, false
}
