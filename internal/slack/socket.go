package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"github.com/supportbot/supportbot/internal/metrics"
)

// errNoAppToken: RunSocketMode without Config.AppToken.
var errNoAppToken = errors.New("slack: Socket Mode needs an app-level token (SLACK_APP_TOKEN)")

// RunSocketMode serves the same features as the HTTP handlers over a
// Socket Mode WebSocket (no public URL needed). slack-go opens the
// connection (apps.connections.open with the app-level token), reconnects
// when Slack asks or the connection dies, and pings; each envelope is
// acknowledged as its HTTP request would be answered. It returns nil when
// ctx ends, after the work it started has been handed to the pool, or an
// error when Slack refuses the token.
func (a *Adapter) RunSocketMode(ctx context.Context) error {
	if a.appToken == "" {
		return errNoAppToken
	}
	client := socketmode.New(a.api, socketmode.OptionLog(debugLog{a.log}), socketmode.OptionReadLimit(maxBody))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup // slash commands waiting for a quick answer
	defer wg.Wait()
	done := make(chan error, 1)
	go func() { done <- client.RunContext(ctx) }()
	a.log.InfoContext(ctx, "Socket Mode starting")
	for {
		select {
		case <-ctx.Done():
			<-done
			a.log.InfoContext(ctx, "Socket Mode stopped")
			return nil
		case err := <-done:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-client.Events:
			a.socketEvent(ctx, client, evt, &wg)
		}
	}
}

// socketEvent handles one event of the Socket Mode client.
func (a *Adapter) socketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event, wg *sync.WaitGroup) {
	var envelope string
	if evt.Request != nil {
		envelope = evt.Request.EnvelopeID
	}
	log := a.log
	if envelope != "" {
		log = log.With("request_id", envelope)
	}
	ctx = withLogger(ctx, log)
	ack := func(payload any) {
		if envelope == "" {
			return
		}
		if err := client.AckCtx(ctx, envelope, payload); err != nil {
			a.metrics.Failed(channelName, metrics.ReasonAck)
			log.ErrorContext(ctx, "Socket Mode acknowledgement failed", "err", err)
		}
	}
	switch evt.Type {
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			ack(nil)
			return
		}
		if evt.Request != nil && evt.Request.RetryAttempt > 0 {
			log.InfoContext(ctx, "event retried by Slack", "retry", evt.Request.RetryAttempt, "reason", evt.Request.RetryReason)
		}
		// Not acknowledged while shutting down: Slack then redelivers the
		// envelope, as it retries an HTTP event refused with 503. A full
		// pool is acknowledged: the event waits in the overflow queue or
		// is shed with a busy notice (see Events).
		if err := a.acceptEvent(ctx, ev); errors.Is(err, errBusy) {
			return
		}
		ack(nil)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slackapi.SlashCommand)
		if !ok || cmd.Command == "" || !slackID(cmd.TeamID) || !slackID(cmd.UserID) {
			a.metrics.Rejected(channelName, metrics.ReasonMalformed)
			ack(nil)
			return
		}
		received := a.now()
		reply, h := a.startCommand(ctx, cmd, received)
		if reply != nil {
			ack(ackPayload(*reply))
			return
		}
		// Wait for a quick answer beside the event loop, which must keep
		// reading other people's envelopes.
		wg.Go(func() {
			m, ok := h.await(a.quick)
			if !ok {
				ack(nil)
				return
			}
			if err := client.AckCtx(ctx, envelope, slashReply(m)); err != nil {
				// Too large for a Socket Mode response (20 KB): acknowledge
				// empty and send the answer to the response_url instead.
				log.InfoContext(ctx, "answer sent to response_url", "err", err)
				ack(nil)
				to := destination{responseURL: cmd.ResponseURL, issued: received, mode: respondEphemeral}
				if m.inChannel {
					to.mode = respondInChannel
				}
				if err := a.submit(ctx, func(ctx context.Context) { _ = a.deliver(ctx, to, m) }); err != nil {
					log.WarnContext(ctx, "answer dropped", "err", err)
				}
			}
		})
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slackapi.InteractionCallback)
		ack(nil)
		if ok {
			_ = a.acceptInteraction(ctx, cb, a.now())
		}
	case socketmode.EventTypeErrorBadMessage:
		// An envelope slack-go could not parse (an inner event type it
		// does not know, say): acknowledge it so Slack does not resend it.
		if bad, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
			var req struct {
				EnvelopeID string `json:"envelope_id"`
				Type       string `json:"type"`
				Payload    json.RawMessage
			}
			if json.Unmarshal(bad.Message, &req) == nil && req.EnvelopeID != "" {
				envelope = req.EnvelopeID
				ack(nil)
			}
			typ := token(req.Type)
			if req.Type == "events_api" {
				typ += ":" + innerType(req.Payload)
			}
			a.unreadable(ctx, "socket", typ, bad.Cause)
		} else {
			a.unreadable(ctx, "socket", "?", errors.New("no message"))
		}
	case socketmode.EventTypeConnecting:
		log.DebugContext(ctx, "Socket Mode connecting")
	case socketmode.EventTypeConnected:
		log.InfoContext(ctx, "Socket Mode connected")
	case socketmode.EventTypeConnectionError:
		log.WarnContext(ctx, "Socket Mode connection failed; retrying", "err", evt.Data)
	case socketmode.EventTypeInvalidAuth:
		log.ErrorContext(ctx, "Socket Mode refused the app-level token")
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		log.WarnContext(ctx, "Socket Mode connection error", "type", evt.Type)
	case socketmode.EventTypeDisconnect:
		log.InfoContext(ctx, "Socket Mode reconnecting at Slack's request")
	default:
		log.DebugContext(ctx, "Socket Mode event", "type", evt.Type)
	}
}

// ackPayload is the acknowledgement of a slash command that says reply, or
// nothing for an empty one.
func ackPayload(m message) any {
	if m.Text == "" && len(m.Blocks) == 0 {
		return nil
	}
	return slashReply(m)
}
