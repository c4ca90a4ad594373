package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	desk "github.com/supportbot/supportbot/internal/handoff"
)

// Staff is the staff's side of the handoff desk in one Slack channel
// (desk.Staff): it posts tickets, redraws them as they are taken and
// closed, and writes in their threads. The bot must be a member of the
// channel (/invite @supportbot), public or private.
type Staff struct {
	a       *Adapter // only its Web API calls are used
	channel string
	zone    *time.Location
}

var _ desk.Staff = (*Staff)(nil)

// StaffConfig configures the staff's side.
type StaffConfig struct {
	Credentials
	// Channel is the handoff channel's id (SLACK_HANDOFF_CHANNEL).
	Channel string
	// Zone is where the staff read times (the hours' zone; nil: Tokyo).
	Zone *time.Location
	// Deps: only the HTTP client, metrics and logger are used.
	adapter.Deps
}

// NewStaff builds the staff's side. It makes no network call.
func NewStaff(cfg StaffConfig) (*Staff, error) {
	if !StaffChannelID(cfg.Channel) {
		return nil, fmt.Errorf("slack: handoff channel %q is not a channel id (C… or G…)", cfg.Channel)
	}
	if cfg.BotToken == "" {
		return nil, errors.New("slack: handoff: no bot token")
	}
	d := cfg.Deps.WithDefaults()
	apiURL := cmp.Or(cfg.APIURL, slackapi.APIURL)
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	a := &Adapter{
		api: slackapi.New(cfg.BotToken, slackapi.OptionHTTPClient(d.HTTPClient), slackapi.OptionAPIURL(apiURL)), http: d.HTTPClient,
		apiURL: apiURL, token: cfg.BotToken, metrics: d.Metrics, log: d.Logger.With("channel", channelName, "side", "staff"), now: time.Now,
		caller: adapter.Caller{Platform: channelName, Policy: adapter.DefaultPolicy, Metrics: d.Metrics},
	}
	zone := cfg.Zone
	if zone == nil {
		zone = japan
	}
	return &Staff{a: a, channel: cfg.Channel, zone: zone}, nil
}

// Post implements desk.Staff: the ticket as a message in the channel;
// its ts is the ticket's thread.
func (s *Staff) Post(ctx context.Context, t desk.Ticket) (string, error) {
	ts, err := s.a.sendMessage(ctx, "chat.postMessage", s.channel, "", "", ticketMessage(t, s.zone))
	if err != nil {
		return "", fmt.Errorf("slack: post ticket %d: %w", t.ID, err)
	}
	return ts, nil
}

// Note implements desk.Staff: a message in the ticket's thread. A ticket
// taken or closed is redrawn first (its buttons change), so a note that is
// retried after a failure redraws again, which changes nothing, rather
// than posting twice. A reminder is also sent to the channel, to bump it.
func (s *Staff) Note(ctx context.Context, t desk.Ticket, m desk.Message) error {
	if m.Kind == desk.KindTaken || m.Kind == desk.KindClosed {
		if _, err := s.a.sendMessage(ctx, "chat.update", s.channel, "", t.Thread, ticketMessage(t, s.zone)); err != nil {
			return fmt.Errorf("slack: redraw ticket %d: %w", t.ID, err)
		}
	}
	text := noteText(t, m)
	if text == "" {
		return nil
	}
	var extra []field
	if m.Kind == desk.KindReminder {
		extra = append(extra, field{name: "reply_broadcast", raw: []byte("true")})
	}
	msg := message{Text: fitMarkup(text, maxFallbackText), Blocks: textSections(text)}
	if _, err := s.a.sendMessage(ctx, "chat.postMessage", s.channel, t.Thread, "", msg, extra...); err != nil {
		return fmt.Errorf("slack: note %s on ticket %d: %w", m.Kind, t.ID, err)
	}
	return nil
}

// Desk is the handoff desk as the staff's side of the adapter calls it.
type Desk interface {
	FromStaff(ctx context.Context, m desk.StaffMessage) error
	Take(ctx context.Context, ticket int64, staff string) (desk.Ticket, error)
	Close(ctx context.Context, ticket int64, staff string) (desk.Ticket, error)
}

// Handoff connects the adapter's events to the handoff desk: replies in
// the threads of the handoff channel, and the Take and Close buttons of
// its tickets.
type Handoff struct {
	// Channel is the handoff channel's id; events elsewhere are not the
	// staff's.
	Channel string
	Desk    Desk
}

// staffMessage reads a message event of the handoff channel: a staff
// member's reply in a thread (a plain message, one with files, or one
// also sent to the channel). The ticket post itself, edits
// (message_changed) and deletions (message_deleted), other bots' and our
// own messages are not replies: a reply once passed on is not passed on
// again, whatever happens to it in Slack.
func staffMessage(e *slackevents.MessageEvent, self string) (desk.StaffMessage, bool) {
	if !answeredSubtypes[e.SubType] || e.BotID != "" || !slackID(e.User) || e.User == self {
		return desk.StaffMessage{}, false
	}
	if e.ThreadTimeStamp == "" || e.ThreadTimeStamp == e.TimeStamp || e.TimeStamp == "" {
		return desk.StaffMessage{}, false
	}
	m := desk.StaffMessage{Thread: e.ThreadTimeStamp, ID: e.TimeStamp, User: e.User, Text: plainText(e.Text)}
	if e.Message != nil {
		m.Files = len(e.Message.Files)
	}
	if m.Text == "" && m.Files == 0 {
		return desk.StaffMessage{}, false
	}
	return m, true
}

// staffAction reads a click on a ticket's Take or Close button in the
// handoff channel: the ticket number and who clicked.
func staffAction(cb slackapi.InteractionCallback, channel string) (action string, ticket int64, user string, ok bool) {
	if cb.Type != slackapi.InteractionTypeBlockActions || !slackID(cb.User.ID) || channel == "" {
		return "", 0, "", false
	}
	where := cmp.Or(cb.Container.ChannelID, cb.Channel.ID)
	if where != channel {
		return "", 0, "", false
	}
	for _, ba := range cb.ActionCallback.BlockActions {
		if ba == nil || ba.ActionID != actionTake && ba.ActionID != actionClose {
			continue
		}
		id, err := strconv.ParseInt(ba.Value, 10, 64)
		if err != nil || id <= 0 {
			return "", 0, "", false
		}
		return ba.ActionID, id, cb.User.ID, true
	}
	return "", 0, "", false
}

// acceptStaffAction takes or closes a ticket: the desk redraws it, says
// so in its thread and tells the person.
func (a *Adapter) acceptStaffAction(ctx context.Context, cb slackapi.InteractionCallback) bool {
	if a.handoff.Desk == nil {
		return false
	}
	act, id, user, ok := staffAction(cb, a.handoff.Channel)
	if !ok {
		return false
	}
	if cb.TriggerID != "" && !a.firstSeen(ctx, "slack:action:"+cb.TriggerID) {
		return true
	}
	_ = a.submit(ctx, func(ctx context.Context) {
		var err error
		if act == actionTake {
			_, err = a.handoff.Desk.Take(ctx, id, user)
		} else {
			_, err = a.handoff.Desk.Close(ctx, id, user)
		}
		if err != nil {
			a.logger(ctx).WarnContext(ctx, "ticket button not acted on", "action", act, "ticket", id, "err", err)
		}
	})
	return true
}

// acceptStaffMessage passes a reply in a ticket's thread to the desk,
// once per event id (the desk keeps it once per message ts as well).
func (a *Adapter) acceptStaffMessage(ctx context.Context, key string, m desk.StaffMessage) error {
	return a.submit(ctx, func(ctx context.Context) {
		if !a.firstSeen(ctx, key) {
			return
		}
		if err := a.handoff.Desk.FromStaff(ctx, m); err != nil {
			// The event is acknowledged already: Slack will not send it
			// again, so the thread is told, straight through Slack.
			a.logger(ctx).WarnContext(ctx, "staff reply not passed on: the thread is told to send it again", "user", bot.HashID(m.User), "err", err)
			msg := message{Text: wNotStored, Blocks: textSections(wNotStored)}
			if err := a.postMessage(ctx, a.handoff.Channel, m.Thread, msg); err != nil {
				a.logger(ctx).ErrorContext(ctx, "staff reply lost, and the thread could not be told", "err", err)
			}
		}
	})
}
